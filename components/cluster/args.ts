/** Cluster's arguments: plain data and Inputs (the multi-language schema is generated from them, see shared/args.ts). */
import type * as pulumi from "@pulumi/pulumi";

/** One Kubernetes node (a kind or k3d node container). */
export interface ClusterNodeArgs {
    /** Kubernetes node name (kubeadm nodeRegistration.name, k3s --node-name). */
    name: string;
    /** control-plane or worker. */
    role: string;
    /** The node's address on its segment (kubelet --node-ip). */
    address: string;
    /** Prefix length of that segment. Default 24 (IPv4) or 64 (IPv6); the join script does not use it. */
    prefixLength?: number;
    /** The node's segment: the Docker network named it or `*-<subnet>` (see nodeNetworkNames). */
    subnet: string;
    /** Default route next hop: the first router of the node's segment. */
    gateway: string;
    /** Every router of the segment, in order, when there are several (gateway first). Default [gateway]. */
    gateways?: string[];
    /** Rack: the node's `rack` label (BGP node selectors use it). Default none. */
    rack?: string;
    /** Extra node labels (kubelet --node-labels, k3d nodeLabels), e.g. for a BGP node selector. Default none. */
    labels?: { [key: string]: string };
    /** ipFamily dual: the node's IPv6 address, segment prefix length and gateway(s) (the fields above are its IPv4 ones); required there. */
    ipv6?: ClusterNodeIpv6Args;
}

/** A dual-stack node's IPv6 half. */
export interface ClusterNodeIpv6Args {
    address: string;
    /** Default 64. */
    prefixLength?: number;
    gateway: string;
    /** Default [gateway]. */
    gateways?: string[];
}

/** A dual-stack cluster's IPv6 pod and service CIDRs. */
export interface ClusterIpv6Args {
    podCidr: string;
    serviceCidr: string;
}

export interface ClusterArgs {
    /** kind (default), k3d or existing (then kubeconfig is required and nothing is created). */
    provider?: string;
    /** Cluster name (kind/k3d cluster and the container names derived from it). */
    name: string;
    /** Kubernetes version (node image tag, e.g. v1.32.2); required for kind and k3d. */
    kubernetesVersion?: string;
    /** ipv4, ipv6 (IPv6-only cluster) or dual (IPv4 and IPv6; podCidr, serviceCidr and node addresses are then the IPv4 ones, `ipv6` the others). Default ipv4. */
    ipFamily?: string;
    /** ipFamily dual: the IPv6 pod and service CIDRs (required there). */
    ipv6?: ClusterIpv6Args;
    /** ipFamily dual: Kubernetes' primary family, listed first in the pod and service CIDRs and node addresses (ipv4 or ipv6). Default ipv4. */
    primaryFamily?: string;
    /** Run kube-proxy (Cilium then does not replace it: Helm kubeProxyReplacement "false"). Default false. */
    kubeProxy?: boolean;
    /** Cluster pod CIDR; required for kind and k3d. */
    podCidr?: string;
    /** Service CIDR; required for kind and k3d. */
    serviceCidr?: string;
    /** The nodes, control planes and workers, in the order the cluster config lists them; required for kind and k3d. */
    nodes?: ClusterNodeArgs[];
    /** Kubeconfig of an existing cluster; required for provider existing. Kept secret. */
    kubeconfig?: pulumi.Input<string>;
    /** Docker networks the nodes join (typically RouterFleet's nodeNetworkNames). Default: networks named as the subnets. */
    nodeNetworkNames?: pulumi.Input<string[]>;
}

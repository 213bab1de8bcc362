/**
 * Defaults for every configuration key. Pulumi.yaml declares the same defaults for the CLI;
 * a test keeps the two in agreement.
 */
import type { IpFamily } from "./types";

export const SUPPORTED_CILIUM_LINES = ["1.15", "1.16", "1.17", "1.18", "1.19", "1.20"] as const;

export const DEFAULT_FRR_IMAGE = "quay.io/frrouting/frr:10.2.1";

export const TOP_LEVEL_DEFAULTS = {
    ipFamily: "ipv4" as IpFamily,
    ciliumVersion: "1.18.12",
    clusterProvider: "kind",
    kubernetesVersion: "v1.32.2",
};

/** Family-dependent sizes: carved prefixes and per-item lengths. */
export interface FamilySizes {
    nodeNetwork: number;
    nodeNetworkLeaf: number;
    rackSubnetLength: number;
    podCidr: number;
    podMaskSize: number;
    serviceCidr: number;
    lbPool: number;
    loopbacks: number;
    links: number;
    linkPrefixLength: number;
}

export const FAMILY_SIZES: Record<IpFamily, FamilySizes> = {
    ipv4: {
        nodeNetwork: 20, nodeNetworkLeaf: 20, rackSubnetLength: 24, podCidr: 16, podMaskSize: 24,
        serviceCidr: 16, lbPool: 27, loopbacks: 24, links: 20, linkPrefixLength: 29,
    },
    ipv6: {
        nodeNetwork: 64, nodeNetworkLeaf: 56, rackSubnetLength: 64, podCidr: 56, podMaskSize: 64,
        serviceCidr: 112, lbPool: 112, loopbacks: 64, links: 52, linkPrefixLength: 64,
    },
};

export const PLAN_DEFAULTS = {
    nodeHostOffset: 32,
    maxSpines: 8,
    routerIdPool: "10.255.0.0/16",
};

/** Node router IDs start here in the router-ID pool; routers use 1..255. */
export const ROUTER_ID_NODE_BASE = 256;
export const MAX_ROUTER_ID = 255;

export const BGP_DEFAULTS = {
    holdTimeSeconds: 9,
    keepaliveTimeSeconds: 3,
    connectRetryTimeSeconds: 5,
    gracefulRestart: { enabled: true, restartTimeSeconds: 120 },
    podCidrAdvertisement: { enabled: true, communities: [] as string[] },
    serviceAdvertisement: { addresses: ["LoadBalancerIP"] as const },
    authSecretName: "bgp-auth-secret",
    secretsNamespace: "kube-system",
    filterNodeRoutes: true,
    authentication: true,
    peerWith: "interface" as const,
    objectNames: { clusterConfig: "cilium-bgp", podCidrAdvertisement: "bgp-podcidr", serviceAdvertisement: "bgp-services" },
};

export const CILIUM_DEFAULTS = { kubeProxyReplacement: true };

/**
 * The Gateway API release each Cilium line builds against (Cilium's go.mod; table in
 * ../shared/README.md). The CRDs applied default to it, and a configured version must be a
 * release of the same minor line.
 */
export const GATEWAY_API_FOR_CILIUM_LINE: Record<string, string> = {
    "1.15": "v1.0.0", "1.16": "v1.1.0", "1.17": "v1.2.1", "1.18": "v1.3.0", "1.19": "v1.4.1", "1.20": "v1.5.1",
};

/**
 * The first line whose Gateway can request its address through the standard channel:
 * Gateway API v1.2 made spec.infrastructure standard, and Cilium 1.17 honours spec.addresses.
 * Not 1.16 (seed 001 ran it with v1.1's experimental CRDs and took whatever address LB IPAM
 * picked): v1.1's standard Gateway does declare spec.addresses
 * (../shared/reference/gateway-api/v1.1.0), but Cilium 1.16 ignores it (cilium/cilium#32865, fixed
 * by #33042, still in review after 1.16.0 shipped), and v1.1's standard Gateway has no
 * spec.infrastructure to carry LB IPAM's annotation and the pool's labels.
 */
export const GATEWAY_API_MIN_LINE = "1.17";

export const GATEWAY_API_DEFAULTS = {
    enabled: false,
    channel: "standard" as const,
    name: "shared-gw",
    namespace: "gateway",
    listeners: [{ name: "http", protocol: "HTTP" as const, port: 80 }],
    allowedNamespaces: { matchLabels: { "shared-gw": "true" } },
    httpRoute: false,
};

export const SMOKE_DEFAULTS = {
    enabled: false,
    name: "echo",
    namespace: "smoke",
    // Kubernetes' own e2e test server: /hostname names the pod, /clientip shows the source address
    // the pod sees (preserved with externalTrafficPolicy Local, seed 003).
    image: "registry.k8s.io/e2e-test-images/agnhost:2.53",
    args: ["netexec", "--http-port=8080"],
    containerPort: 8080,
    port: 80,
    portName: "http",
    externalTrafficPolicy: "Cluster" as const,
};

export const ROUTER_DEFAULTS = { defaultOriginate: false, frrDefaults: "traditional" as const };

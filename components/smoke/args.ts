/** SmokeWorkload's arguments: plain data only (the multi-language schema is generated from them, see shared/args.ts). */

export interface SmokeWorkloadArgs {
    /** Cilium version (e.g. 1.18.12) or line: selects the LB-IPAM address annotation of the Service. */
    ciliumVersion: string;
    /** Name of the Deployment and the Service, and the value of their pods' `app` label. */
    name: string;
    /** Namespace; created unless built in (default, kube-system, ...), a built-in one is patched when namespaceLabels are set. */
    namespace: string;
    /** Labels of the namespace, e.g. what the shared Gateway's allowedNamespaces selects. Default none. */
    namespaceLabels?: { [key: string]: string };
    /** Container image of the echo server. */
    image: string;
    /** Container arguments. Default none. */
    args?: string[];
    /** Port the container listens on. */
    containerPort: number;
    /** Port of the LoadBalancer Service. */
    port: number;
    /** Pod count; at least the number of nodes so that every listed node hosts one. */
    replicas: number;
    /** Kubernetes node names the pods are pinned to (spread one per node first). */
    nodes: string[];
    /** Tolerate the control-plane taint (when a listed node is a control-plane node). Default false. */
    tolerateControlPlane?: boolean;
    /** The Service's address, from an LB pool (the LB-IPAM annotation requests it). */
    address: string;
    /** ipv4 or ipv6: the family of `address`, the Service's (primary) family. Default ipv4. */
    ipFamily?: string;
    /** A dual-stack Service: its address in the other family, listed second (`address` is the primary family's). Default none: single-stack. */
    secondaryAddress?: string;
    /** Cluster or Local (only nodes hosting a pod announce the address, client addresses kept). Default Cluster. */
    externalTrafficPolicy?: string;
    /** Labels of the Service: what the pool's serviceSelector and the BGP Service advertisement select, and any others. Default `app: <name>`; `app` is always `name`. */
    serviceLabels?: { [key: string]: string };
    /** Annotations of the Service besides the LB-IPAM address request (which `address` writes and they may not name). Default none. */
    serviceAnnotations?: { [key: string]: string };
}

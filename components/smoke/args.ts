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
    /** Container image of the echo server (not used with `selector`). */
    image: string;
    /** Container arguments. Default none. */
    args?: string[];
    /** Port the container listens on (not used with `selector`). */
    containerPort: number;
    /** Port of the LoadBalancer Service. */
    port: number;
    /** Name of the Service's port; without `selector` also the container port's name, which the Service targets. Default http. */
    portName?: string;
    /** Only with `selector`: the selected pods' port, a port name or a number in digits. Default: `port`, as Kubernetes defaults it. */
    targetPort?: string;
    /** A fixed nodePort within Kubernetes' default service-node-port-range 30000-32767. Default none: Kubernetes allocates one. */
    nodePort?: number;
    /**
     * Labels of existing pods the Service selects instead of its own echo pods: no Deployment is
     * created (`nodes` must be empty; image, containerPort and replicas are not used) and the Service
     * carries no `app` label of its own; `{}` renders no selector (Kubernetes: endpoints managed
     * outside the Service). Default none: the component's own pods.
     */
    selector?: { [key: string]: string };
    /** Pod count; at least the number of nodes so that every listed node hosts one (not used with `selector`). */
    replicas: number;
    /** Kubernetes node names the pods are pinned to (spread one per node first); empty with `selector`. */
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
    /** Labels of the Service: what the pool's serviceSelector and the BGP Service advertisement select, and any others. Default `app: <name>`; `app` is always `name` (without `selector`). */
    serviceLabels?: { [key: string]: string };
    /** Annotations of the Service besides the LB-IPAM address request (which `address` writes and they may not name). Default none. */
    serviceAnnotations?: { [key: string]: string };
}

/**
 * The stack configuration model: what a user writes in `Pulumi.<stack>.yaml`, after
 * defaults are applied and validation has passed. Every component receives this (or the
 * address plan built from it); nothing reads `pulumi.Config` on its own.
 */

export type IpFamily = "ipv4" | "ipv6";
/** A stack's families: one, or both (`dual`: the IPv4 plan plus `addressPlan.ipv6`). */
export type StackFamily = IpFamily | "dual";
export type RouterFlavour = "frr" | "vyos";
export type RouterRole = "tor" | "leaf" | "spine" | "edge";
export type NodeRole = "control-plane" | "worker";
export type ClusterProvider = "kind" | "k3d" | "existing";
export type BgpPeerWith = "interface" | "loopback";
export type ServiceAddressType = "LoadBalancerIP" | "ClusterIP" | "ExternalIP";

/** A Kubernetes label selector, as Cilium and Kubernetes take it. */
export interface LabelSelector {
    matchLabels?: Record<string, string>;
    matchExpressions?: { key: string; operator: "In" | "NotIn" | "Exists" | "DoesNotExist"; values?: string[] }[];
}

export interface LbPoolConfig {
    name: string;
    /** Explicit block; carved from the aggregate when absent. */
    cidr?: string;
    /** Prefix length used when the block is carved. */
    prefixLength?: number;
    /** Services this pool serves (Cilium `serviceSelector`); every service when absent. */
    serviceSelector?: LabelSelector;
}

export interface AddressPlanConfig {
    /** The blocks the plan owns, in carving order: `addressPlan.aggregates`, or the one `addressPlan.aggregate`. */
    aggregates: string[];
    /** Which key they came from, for messages: `aggregate` names `addressPlan.aggregate`, `aggregates` each `addressPlan.aggregates[i]`. */
    aggregatesKey: "aggregate" | "aggregates";
    nodeNetwork?: string;
    /** Per-rack node subnets are carved from nodeNetwork with this length (leaf topologies). */
    rackSubnetLength: number;
    /** Explicit node subnets by rack name (seed 004's 10.1.5.0/24); a rack absent here is numbered in nodeNetwork. */
    rackSubnets: Record<string, string>;
    /** Node N gets host address nodeHostOffset + N in its subnet; hosts below it belong to routers. */
    nodeHostOffset: number;
    podCidr?: string;
    podMaskSize: number;
    serviceCidr?: string;
    lbPools: LbPoolConfig[];
    loopbacks?: string;
    links?: string;
    linkPrefixLength: number;
    /** Explicit leaf-spine link subnets by the plan's link name (`link-<leaf>-<spine>`); the others are numbered in links. */
    linkSubnets: Record<string, string>;
    /** Spine slots reserved per leaf when link subnets are indexed (keeps indices stable). */
    maxSpines: number;
    /** IPv4-format pool of 32-bit BGP router IDs (used on IPv6-only stacks). */
    routerIdPool: string;
    /** `ipFamily: dual`: the IPv6 half (`addressPlan.ipv6`; its routerIdPool and maxSpines are this plan's). */
    ipv6?: AddressPlanConfig;
}

export interface AsnConfig {
    /** The cluster's ASN when racks do not have their own. */
    cluster: number;
    /** Per-rack ASNs for the nodes of that rack (seeds 002 and 004). */
    racks: Record<string, number>;
    /** Public ASNs the operator owns and wants to use (seed 000's own ASN). */
    allowPublic: number[];
}

export interface RouterConfig {
    name: string;
    /** Stable ordinal: decides every address of this router. Defaults to the number ending the name. */
    id: number;
    flavour: RouterFlavour;
    role: RouterRole;
    rack?: string;
    asn: number;
    image: string;
    /** Explicit address on its node segment (anywhere but a node's address); host `id` of the segment when absent. */
    address?: string;
    /** Explicit 32-bit BGP router ID (dotted quad, seed 004's interface addresses); the loopback (IPv4) or routerIdPool offset `id` (IPv6) when absent. */
    routerId?: string;
    /** Send a default route to the BGP neighbors of the tier below (a spine: its leaves; seed 002's router0). */
    defaultOriginate: boolean;
    /** FRR's defaults profile (`frr defaults`), FRR routers only. */
    frrDefaults: "traditional" | "datacenter";
}

export interface NodeConfig {
    name: string;
    /** Extra Kubernetes labels of the node (kubelet --node-labels / k3d nodeLabels), e.g. seed 003's homelab/role: worker. */
    labels?: Record<string, string>;
    /** Stable ordinal: decides the node's address, pod CIDR and router ID. Defaults to the number ending the name. */
    id: number;
    role: NodeRole;
    rack?: string;
    /** Explicit address on its node segment (seed 004's per-rack .10/.11); host nodeHostOffset + id when absent. */
    address?: string;
}

export interface ClusterConfig {
    name: string;
    provider: ClusterProvider;
    kubernetesVersion: string;
    /** Kubernetes' primary family: the stack's family, or either one on a dual stack (listed first everywhere Kubernetes lists both). */
    primaryFamily: IpFamily;
    nodes: NodeConfig[];
}

export interface CiliumConfig {
    /** Chart version, e.g. 1.18.12. */
    version: string;
    /** Cilium replaces kube-proxy (the clusters are created without it); false keeps kube-proxy. */
    kubeProxyReplacement: boolean;
    /** Minor line derived from the version, e.g. "1.18". */
    line: string;
    /** Helm values deep-merged over the computed ones, last. */
    values: Record<string, unknown>;
}

export interface BgpConfig {
    /** Cilium's BGP API: v2 (cluster/peer configs, advertisements) or v1 (peering policies, served by 1.15-1.18). */
    controlPlane: "v1" | "v2";
    holdTimeSeconds: number;
    keepaliveTimeSeconds: number;
    connectRetryTimeSeconds: number;
    gracefulRestart: { enabled: boolean; restartTimeSeconds: number };
    /** eBGP multihop TTL for node sessions; absent means directly connected (TTL 1). */
    ebgpMultihop?: number;
    /** The router address nodes peer with: its address on their segment, or its loopback (multihop, seed 002). */
    peerWith: BgpPeerWith;
    /** enabled false: the nodes do not announce their pod CIDRs (v1 exportPodCIDR: false, seed 003). */
    podCidrAdvertisement: { enabled: boolean; communities: string[]; localPreference?: number };
    /** addresses empty: no Service address is announced (no Service advertisement object). */
    serviceAdvertisement: { addresses: ServiceAddressType[]; selector?: LabelSelector };
    /** Name of the Secret that carries the password (key `password`). */
    authSecretName: string;
    secretsNamespace: string;
    /** Routers filter what nodes announce (prefix-lists and route-maps); false = accept all. */
    filterNodeRoutes: boolean;
    /** Sessions use the MD5 password from the secret key `bgpPassword`. */
    authentication: boolean;
    /** Only the nodes this selects run BGP (seed 003: homelab/role: worker); every node when absent. */
    nodeSelector?: LabelSelector;
    /** Names of the Cilium BGP objects (seed 000's cilium-bgp, cilium-peer, bgp-advertisements...). */
    objectNames: BgpObjectNames;
    /** Per-rack choices (rack name -> settings): the rack's object name and v1 service selector (seeds 002, 004). */
    racks: Record<string, BgpRackConfig>;
    /** The families nodes open sessions in (one session per family and router); the stack's families unless set. */
    sessionFamilies: IpFamily[];
}

export interface BgpObjectNames {
    clusterConfig: string;
    /** Absent: cilium-peer-ibgp / cilium-peer-ebgp. */
    peerConfig?: string;
    podCidrAdvertisement: string;
    serviceAdvertisement: string;
}

export interface BgpRackConfig {
    /** Name of the rack's CiliumBGPClusterConfig / CiliumBGPPeeringPolicy (seed 002: rack0). */
    name?: string;
    /** v1: the services this rack's nodes announce (seed 004). */
    serviceSelector?: LabelSelector;
}

export type GatewayApiChannel = "standard" | "experimental";
export type GatewayListenerProtocol = "HTTP" | "HTTPS";
export type ExternalTrafficPolicy = "Cluster" | "Local";

/** One listener of the shared Gateway. */
export interface GatewayListenerConfig {
    name: string;
    protocol: GatewayListenerProtocol;
    port: number;
    /** Host name (or `*.domain` wildcard) the listener matches; every host when absent. */
    hostname?: string;
    /** HTTPS only: the Secret (in the Gateway's namespace) holding the certificate. */
    tlsSecretName?: string;
}

/** Gateway API support (seeds 000 and 001): CRDs, Cilium's controller, a shared Gateway. */
export interface GatewayApiConfig {
    enabled: boolean;
    /** Gateway API release whose CRDs are applied, e.g. v1.3.0 (default: the one the Cilium line builds against). */
    version: string;
    channel: GatewayApiChannel;
    /** The shared Gateway's name and namespace. */
    name: string;
    namespace: string;
    /** LB pool the Gateway's address comes from (default: the first pool). */
    lbPool: string;
    /** Requested address; default: a deterministic address of lbPool (see components/lbpools/requests.ts). */
    address?: string;
    listeners: GatewayListenerConfig[];
    /** Namespaces whose routes may attach to the Gateway, by label (seed 001: shared-gw=true). */
    allowedNamespaces: LabelSelector;
    /** An HTTPRoute from the Gateway to the smoke workload (needs smoke.enabled). */
    httpRoute: boolean;
    /** The HTTPRoute's spec.hostnames (none: every name). */
    httpRouteHostnames: string[];
}

/** A test workload behind a LoadBalancer Service (seeds 002-004): proves LB IPAM and BGP end to end. */
export interface SmokeConfig {
    enabled: boolean;
    /** Deployment and Service name (also the `app` label). */
    name: string;
    namespace: string;
    image: string;
    /** Container arguments (the image's entrypoint is kept). */
    args: string[];
    containerPort: number;
    /** The Service's port. */
    port: number;
    replicas: number;
    lbPool: string;
    address?: string;
    externalTrafficPolicy: ExternalTrafficPolicy;
    /** Plan node names the pods are pinned to (nodeAffinity on kubernetes.io/hostname). */
    nodes: string[];
    /** Extra labels of the Service (seed 003's homelab/part-of); never `app`, the pods' selector label. */
    labels: Record<string, string>;
    /** Annotations of the Service (seed 003's external-dns hostname); never the LB-IPAM address annotation. */
    annotations: Record<string, string>;
    /** Name of the Service's port (and, with the project's own pods, of their container port). */
    portName: string;
    /** The Service port's targetPort: a port number or a port name of the selected pods; only with `selector`. */
    targetPort?: number | string;
    /** A fixed nodePort (Kubernetes' default service-node-port-range 30000-32767); unset: Kubernetes allocates one. */
    nodePort?: number;
    /**
     * Pods the Service selects instead of the project's own (seed 003: Traefik's). Set: no Deployment
     * is created; `{}` renders no selector (Kubernetes: endpoints are managed outside the Service).
     */
    selector?: Record<string, string>;
}

/** The validated configuration of one stack. */
export interface FabricConfig {
    stack: string;
    ipFamily: StackFamily;
    addressPlan: AddressPlanConfig;
    asn: AsnConfig;
    routers: RouterConfig[];
    cluster: ClusterConfig;
    cilium: CiliumConfig;
    bgp: BgpConfig;
    gatewayApi: GatewayApiConfig;
    smoke: SmokeConfig;
}

/**
 * The address plan: every prefix and address the fabric uses, computed once from the stack
 * configuration. Plain data (strings and numbers) so that renderers stay pure and the plan
 * can be written to JSON as it is.
 */
import type { IpFamily, LabelSelector, NodeRole, RouterFlavour, RouterRole } from "../config/types";

export type PrefixRole =
    | "aggregate"
    | "node-network"
    | "node-subnet"
    | "pod-cidr"
    | "service-cidr"
    | "lb-pool"
    | "loopbacks"
    | "loopback"
    | "links"
    | "link"
    | "router-id-pool"
    | "vrrp-address";

/** One row of the addressing table (seed 000 style): prefix, role, use. */
export interface Allocation {
    prefix: string;
    role: PrefixRole;
    use: string;
    /** Config key the prefix came from, or "carved" when it was cut from the aggregate. */
    source: string;
}

export interface PlannedLbPool {
    name: string;
    cidr: string;
    serviceSelector?: LabelSelector;
}

/** An L2 segment nodes live on: the whole node network (ToR/edge), or one rack's subnet (leaf). */
export interface NodeSubnet {
    /** Docker network name suffix, e.g. "nodes" or "nodes-rack1". */
    name: string;
    cidr: string;
    rack?: string;
    /** Address reserved for the Docker network's gateway (the bridge), never given to a host. */
    dockerGateway: string;
    /** Routers attached to this segment. */
    routers: string[];
}

export interface RouterInterface {
    /** The segment: a NodeSubnet name or a link name. */
    network: string;
    address: string;
    prefixLength: number;
}

export interface PlannedRouter {
    name: string;
    id: number;
    flavour: RouterFlavour;
    role: RouterRole;
    rack?: string;
    asn: number;
    image: string;
    /** 32-bit BGP router ID in dotted-quad form. */
    routerId: string;
    /** Loopback address (host address, no prefix length). */
    loopback: string;
    interfaces: RouterInterface[];
}

export interface PlannedNode {
    name: string;
    id: number;
    role: NodeRole;
    rack?: string;
    /** Extra Kubernetes labels (cluster.nodes[].labels). */
    labels?: Record<string, string>;
    /** The ASN the node's Cilium BGP instance uses (its rack's or the cluster's). */
    asn: number;
    address: string;
    prefixLength: number;
    /** NodeSubnet name. */
    subnet: string;
    /** The first of `gateways`: the segment's VRRP virtual address, or its one router's address. */
    gateway: string;
    /**
     * Default route next hops. A segment served by two or more routers: one, the virtual address of
     * its VRRP group (`AddressPlan.vrrpGroups`), which the master router holds. A segment with one
     * router: that router's address. Several entries only for a caller of the Cluster component that
     * passes them (an ECMP route; components/cluster/routes.ts), never from the plan.
     */
    gateways: string[];
    podCidr: string;
    routerId: string;
}

/** One member router of a VRRP group. */
export interface VrrpMember {
    router: string;
    /** VRRP priority: 255 - router id (clamped to 1-254): the lowest id is the master. */
    priority: number;
    /** The router's own address on the segment (VRRP's primary address for IPv4 adverts). */
    address: string;
}

/**
 * First-hop redundancy on a node segment served by two or more routers (a ToR pair): one VRRPv3
 * group whose virtual address is the nodes' default gateway (components/plan/vrrp.ts).
 */
export interface VrrpGroup {
    /** NodeSubnet name. */
    segment: string;
    /** Virtual router id, 1-255: the rack's number, else 1 (it only has to be unique on its segment). */
    vrid: number;
    /** The virtual address: reserved on the segment, never given to a host. */
    address: string;
    prefixLength: number;
    /** VRRP advertisement interval in milliseconds (master down after about 3 of them). */
    advertisementIntervalMs: number;
    /** In router-id order: the first is the master while it runs. */
    members: VrrpMember[];
}

/** A router-to-router point-to-point segment (leaf <-> spine). */
export interface PlannedLink {
    name: string;
    cidr: string;
    dockerGateway: string;
    a: { router: string; address: string };
    b: { router: string; address: string };
}

/** A BGP session between a Kubernetes node (Cilium) and a router. */
export interface NodeSession {
    node: string;
    router: string;
    nodeAddress: string;
    routerAddress: string;
    nodeAsn: number;
    routerAsn: number;
    type: "ibgp" | "ebgp";
    /** The router treats the node as a route-reflector client (iBGP on a leaf). */
    routeReflectorClient: boolean;
    family: IpFamily;
    /** Present when the node peers with the router's loopback (bgp.peerWith): routerAddress is the loopback, the router sends from it. */
    peerWith?: "loopback";
}

/** A BGP session between two routers (leaf <-> spine), over their link. */
export interface RouterSession {
    link: string;
    a: string;
    b: string;
    aAddress: string;
    bAddress: string;
    aAsn: number;
    bAsn: number;
    family: IpFamily;
}

export interface AddressPlan {
    family: IpFamily;
    /** The first of `aggregates` (the only one on a one-block plan). */
    aggregate: string;
    /** The disjoint blocks the plan owns, in carving order: every prefix lies in exactly one; routers announce and blackhole each. */
    aggregates: string[];
    nodeNetwork: string;
    podCidr: string;
    podMaskSize: number;
    serviceCidr: string;
    loopbacks: string;
    /** Present when the topology has router-to-router links. */
    links?: string;
    routerIdPool: string;
    lbPools: PlannedLbPool[];
    nodeSubnets: NodeSubnet[];
    routers: PlannedRouter[];
    nodes: PlannedNode[];
    linkNets: PlannedLink[];
    nodeSessions: NodeSession[];
    routerSessions: RouterSession[];
    /** One VRRP group per node segment served by two or more routers, in segment order. */
    vrrpGroups: VrrpGroup[];
    /** True when some router has several equal paths to a prefix (spines, or several nodes per LB address). */
    ecmp: boolean;
    /** Every allocation as a table row, in a stable order (a dual plan: both halves', IPv4 first). */
    allocations: Allocation[];
    /** `ipFamily: dual`: the IPv6 half (this plan is the IPv4 one), same routers, nodes and router IDs (plan/dual.ts). */
    secondary?: AddressPlan;
    /** `ipFamily: dual`: Kubernetes' primary family (cluster.primaryFamily), whichever half it is; absent: this plan's family. */
    primaryFamily?: IpFamily;
}

/** RouterFleet's arguments: plain data and Inputs (see shared/args.ts for why plain types only). */
import type * as pulumi from "@pulumi/pulumi";

/** A Docker bridge network: a node segment or a router-to-router link. */
export interface RouterNetworkArgs {
    /** Segment name; the Docker network is `<namePrefix>-<name>`, its resource `net-<name>`. */
    name: string;
    /** The segment's CIDR. */
    subnet: string;
    /** The Docker bridge's own address in it (never a router's or a node's). */
    gateway: string;
    /** ipFamily dual: the segment's IPv6 CIDR (the network then has both subnets). Default none. */
    ipv6Subnet?: string;
    /** ipFamily dual: the Docker bridge's IPv6 address in ipv6Subnet. Required with ipv6Subnet. */
    ipv6Gateway?: string;
    /** A node segment: its Docker name is in nodeNetworkNames. Default false (a link). */
    nodes?: boolean;
    /** Docker labels. Default none. */
    labels?: { [key: string]: string };
}

/** A router's address on one network. */
export interface RouterAddressArgs {
    /** Network name (RouterNetworkArgs.name). */
    network: string;
    /** The router's address there. */
    address: string;
    /** The segment's prefix length. */
    prefixLength: number;
}

/** A file the router boots from. */
export interface RouterFileArgs {
    /** Path in the container. */
    file: string;
    /** Content. */
    content: string;
    /** Octal mode. Default 0640. */
    permissions?: string;
}

/** The router side of one BGP session (reported in `routers`, for policy checks). */
export interface RouterNeighborArgs {
    /** The peer's address. */
    address: string;
    /** The peer's ASN. */
    asn: number;
    /** ipv4 or ipv6. */
    family: string;
    /** The peer's name (node or router). */
    peer: string;
}

/** One router container. */
export interface RouterArgs {
    /** Router name: container hostname; the container is `<namePrefix>-<name>`, its resource `router-<name>`. */
    name: string;
    /** Container image (FRR or VyOS). */
    image: string;
    /** frr (default) or vyos (a privileged container running systemd). */
    flavour?: string;
    /** tor, leaf, spine or edge, as reported in `routers`. Default tor. */
    role?: string;
    /** Its ASN, as reported. */
    asn: number;
    /** Its BGP router ID, as reported. */
    routerId: string;
    /** Its loopback address, as reported (ipFamily dual: the IPv4 one). */
    loopback: string;
    /** ipFamily dual: its IPv6 loopback address, as reported. Default none. */
    ipv6Loopback?: string;
    /** Its addresses, one per network it is attached to (ipFamily dual: one of each family per network). */
    addresses: RouterAddressArgs[];
    /**
     * The files it boots from (frr.conf, daemons, vtysh.conf or VyOS config.boot), rendered with
     * the BGP password (routerFleetArgsFromPlan): always handled as a secret. The password is not
     * a separate argument because each syntax quotes it differently (components/routers/password.ts).
     */
    files: pulumi.Input<RouterFileArgs[]>;
    /** The router side of its BGP sessions, as reported. Default none. */
    neighbors?: RouterNeighborArgs[];
    /** Docker labels. Default none. */
    labels?: { [key: string]: string };
}

export interface RouterFleetArgs {
    /** Prefix of every Docker name (e.g. cbf-dev). */
    namePrefix: string;
    /** ipv4, ipv6 (IPv6 networks, IPv6 addresses, no IPv4 forwarding) or dual (both). Default ipv4. */
    ipFamily?: string;
    /** The networks, node segments first. */
    networks: RouterNetworkArgs[];
    /** The routers. */
    routers: RouterArgs[];
}

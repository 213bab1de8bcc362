/**
 * First-hop redundancy for node segments served by two or more routers (a ToR pair).
 *
 * Why: a node's only way out is its default route (Cilium installs no BGP route). An ECMP default
 * over both ToRs does not survive a stopped ToR on IPv6: Linux skips a dead next hop only when the
 * host does not forward (net/ipv6/route.c ip6_pol_route sets RT6_LOOKUP_F_REACHABLE only with
 * forwarding 0), and Kubernetes nodes forward. So such a segment gets one VRRPv3 group: the routers
 * elect a master that holds a virtual address, the nodes route via that address, and a backup takes
 * it over about 3 advertisement intervals after the master goes silent (RFC 5798 Master_Down_Interval).
 *
 * Every value derives from the segment and the router ids alone, so adding a node or a router
 * moves nothing: the virtual address is the host before the Docker gateway (the last two hosts of
 * the segment are thus reserved), the VRID is the rack's number (segments are separate broadcast
 * domains: a VRID only has to be unique on its own), and priority 255 - id makes the lowest id master.
 */
import type { Problems } from "../config/errors";
import { trailingNumber } from "../config/load";
import { type Prefix, formatAddress, highestFreeAtOrBelow, parseAddress } from "./addr";
import type { NodeSubnet, PlannedRouter, VrrpGroup } from "./types";

/** 1 s: the shortest VRRPv2/keepalived/VyOS interval in whole seconds, so every flavour can render it. */
export const VRRP_ADVERTISEMENT_INTERVAL_MS = 1000;

/** VRRP priority of a router: 255 is reserved for the address owner (none here), 0 for "leaving". */
export const vrrpPriority = (routerId: number): number => Math.min(254, Math.max(1, 255 - routerId));

/** The VRID of a segment: its rack's number when that is 1-255, else 1. */
export function vrrpId(segment: NodeSubnet): number {
    const n = segment.rack !== undefined ? trailingNumber(segment.rack) : undefined;
    return n !== undefined && n >= 1 && n <= 255 ? n : 1;
}

/**
 * The virtual address of a segment: the host before its Docker gateway, or the next lower one when a
 * router was given that address (routers[].address; the gateway itself moves the same way).
 */
export function vrrpAddress(segment: NodeSubnet, prefix: Prefix, routers: PlannedRouter[]): bigint {
    const gateway = parseAddress(segment.dockerGateway);
    if (typeof gateway === "string") throw new Error(`${segment.name}: Docker gateway ${segment.dockerGateway}: ${gateway}`);
    const taken = new Set(routers.flatMap((r) => r.interfaces.filter((i) => i.network === segment.name).map((i) => i.address)));
    return highestFreeAtOrBelow(prefix, gateway.value - 1n, taken);
}

export function planVrrpGroups(p: Problems, segments: NodeSubnet[], prefixOf: (segment: string) => Prefix,
    routers: PlannedRouter[], routerPath: (router: string) => string): VrrpGroup[] {
    const groups: VrrpGroup[] = [];
    for (const s of segments) {
        const members = routers.filter((r) => s.routers.includes(r.name)).sort((a, b) => a.id - b.id);
        if (members.length < 2) continue;
        const prefix = prefixOf(s.name);
        const priorities = new Map<number, string>();
        for (const r of members) {
            const prio = vrrpPriority(r.id);
            const other = priorities.get(prio);
            // Equal priorities elect by the higher primary address: the highest id, not the lowest.
            if (other !== undefined) p.add(`${routerPath(r.name)}.id`, r.id, `gives VRRP priority ${prio} on ${s.name}, as ${other} does (priority is 255 - id, at least 1): use ids below 254 for routers sharing a node segment`);
            priorities.set(prio, r.name);
        }
        groups.push({
            segment: s.name, vrid: vrrpId(s), address: formatAddress(prefix.family, vrrpAddress(s, prefix, members)), prefixLength: prefix.length,
            advertisementIntervalMs: VRRP_ADVERTISEMENT_INTERVAL_MS,
            members: members.map((r) => ({
                router: r.name, priority: vrrpPriority(r.id),
                address: r.interfaces.find((i) => i.network === s.name)?.address ?? "",
            })),
        });
    }
    return groups;
}

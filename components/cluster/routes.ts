/**
 * A node's default route via its gateways, and the kernel settings that go with it. Pure: join.ts
 * renders it into `docker exec` lines, the lab applies the same to its nodes.
 *
 * The plan gives every node ONE gateway: its segment's VRRP virtual address where two or more routers
 * serve the segment (components/plan/vrrp.ts), else its one router. A plain `default via` then fails
 * over with VRRP (about 3 s), on both families. Several gateways (an ECMP route) only come from a
 * caller of the Cluster component that passes them; that is why the multipath form stays, with
 * what it can and cannot do:
 *
 * Linux picks one next hop of a multipath route per flow (hash). Whether it skips a dead router:
 * - IPv4: with net.ipv4.fib_multipath_use_neigh=1, fib_select_multipath (net/ipv4/fib_semantics.c)
 *   passes over a next hop whose neighbour entry is FAILED (fib_good_nh), on a forwarding host too.
 * - IPv6: no such switch. rt6_score_route (net/ipv6/route.c) consults rt6_check_neigh only under
 *   RT6_LOOKUP_F_REACHABLE, which ip6_pol_route sets only when net.ipv6.conf.all.forwarding is 0;
 *   a Kubernetes node forwards (pods), so fib6_select_path keeps hashing flows onto a FAILED router.
 */
import type { IpFamily } from "../config/types";

export interface NodeDefaultRoute {
    /** sysctl key (dotted) and value, set before the route. */
    sysctls: [string, string][];
    /** Arguments of `ip`: `[-6] route replace default ...`. */
    ipArgs: string[];
}

export function nodeDefaultRoute(family: IpFamily, gateways: string[]): NodeDefaultRoute {
    if (gateways.length === 0) throw new Error("a node default route needs at least one gateway");
    const fam = family === "ipv6" ? ["-6"] : [];
    if (gateways.length === 1) return { sysctls: [], ipArgs: [...fam, "route", "replace", "default", "via", gateways[0]] };
    const v = family === "ipv6" ? "ipv6" : "ipv4";
    const sysctls: [string, string][] = [
        // Spread by addresses and ports (L4), not addresses only: one client's connections use both routers.
        [`net.${v}.fib_multipath_hash_policy`, "1"],
        ...(family === "ipv4" ? [["net.ipv4.fib_multipath_use_neigh", "1"] as [string, string]] : []),
    ];
    return { sysctls, ipArgs: [...fam, "route", "replace", "default", ...gateways.flatMap((g) => ["nexthop", "via", g])] };
}

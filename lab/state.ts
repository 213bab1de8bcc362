/**
 * What the daemons say, parsed from their JSON: FRR's `show bgp summary json` and
 * `show bgp <afi> unicast json`, GoBGP's `gobgp neighbor -j`, iproute2's `ip -j addr`. Pure.
 */
import type { IpFamily } from "../components/config/types";

export interface SessionState { peer: string; state: string }

export interface RouteState {
    /** Next-hop addresses of the paths FRR selected (best and multipath), stale ones aside. */
    nextHops: string[];
    /** Next hops of paths graceful restart keeps while their peer is away (FRR marks them stale). */
    staleNextHops: string[];
    communities: string[];
}

export interface RouterState {
    sessions: SessionState[];
    routes: Record<string, RouteState>;
}

type Obj = Record<string, unknown>;
const asObj = (v: unknown): Obj => (typeof v === "object" && v !== null ? v as Obj : {});

/** FRR's summary: one entry per peer across address families. */
export function parseFrrSummary(json: string): SessionState[] {
    const data = asObj(JSON.parse(json || "{}"));
    const out = new Map<string, string>();
    for (const af of Object.values(data)) {
        for (const [peer, p] of Object.entries(asObj(asObj(af).peers))) {
            const state = String(asObj(p).state ?? "unknown");
            // A peer shown in several families is Established only if it is in all of them.
            if (!out.has(peer) || state !== "Established") out.set(peer, state);
        }
    }
    return [...out.entries()].map(([peer, state]) => ({ peer, state })).sort((a, b) => a.peer.localeCompare(b.peer));
}

/** FRR's BGP table: for each prefix, the next hops of the selected (best + multipath) paths. */
export function parseFrrRoutes(json: string, family: IpFamily): Record<string, RouteState> {
    const routes = asObj(asObj(JSON.parse(json || "{}")).routes);
    const out: Record<string, RouteState> = {};
    for (const [prefix, pathsRaw] of Object.entries(routes)) {
        const paths = (Array.isArray(pathsRaw) ? pathsRaw : []).map(asObj).filter((p) => p.valid === true && (p.bestpath === true || p.multipath === true));
        if (paths.length === 0) continue;
        const hops = new Set<string>();
        const stale = new Set<string>();
        for (const p of paths) {
            const nh = (Array.isArray(p.nexthops) ? p.nexthops : []).map(asObj);
            // IPv6 paths carry a global and a link-local next hop: the global one names the peer.
            const chosen = nh.find((h) => family === "ipv4" ? h.afi === "ipv4" || !String(h.ip).includes(":") : h.scope === "global") ?? nh[0];
            if (chosen?.ip && chosen.ip !== "0.0.0.0" && chosen.ip !== "::") (p.stale === true ? stale : hops).add(String(chosen.ip));
        }
        // The table view carries no communities: parseFrrPrefix fills them in per prefix.
        out[prefix] = { nextHops: [...hops].sort(), staleNextHops: [...stale].sort(), communities: [] };
    }
    return out;
}

/** Communities on the selected paths of one prefix, from `show bgp <afi> unicast <prefix> json`. */
export function parseFrrPrefixCommunities(json: string): string[] {
    const paths = (asObj(JSON.parse(json || "{}")).paths as unknown[] | undefined ?? []).map(asObj)
        .filter((p) => p.valid === true && (p.bestpath !== undefined && p.bestpath !== false || p.multipath === true));
    const out = new Set<string>();
    for (const p of paths) {
        for (const key of ["community", "largeCommunity"]) {
            const s = asObj(p[key]).string;
            if (typeof s === "string") for (const c of s.split(" ").filter(Boolean)) out.add(c);
        }
    }
    return [...out].sort();
}

const GOBGP_STATES = ["UNKNOWN", "IDLE", "CONNECT", "ACTIVE", "OPENSENT", "OPENCONFIRM", "ESTABLISHED"];

/** GoBGP's neighbor list. */
export function parseGobgpNeighbors(json: string): SessionState[] {
    const data = JSON.parse(json || "[]") as unknown;
    return (Array.isArray(data) ? data : []).map(asObj).map((n) => {
        const conf = asObj(n.conf);
        const st = asObj(n.state);
        const raw = st.session_state ?? st.sessionState;
        const state = typeof raw === "number" ? GOBGP_STATES[raw] ?? String(raw) : String(raw ?? "unknown").toUpperCase();
        return { peer: String(conf.neighbor_address ?? conf.neighborAddress ?? st.neighbor_address ?? ""), state: state === "ESTABLISHED" ? "Established" : state.toLowerCase() };
    }).sort((a, b) => a.peer.localeCompare(b.peer));
}

/** IPv4 addresses on interfaces other than loopback, from `ip -j addr`. */
export function ipv4Addresses(json: string): { iface: string; address: string }[] {
    const links = JSON.parse(json || "[]") as unknown;
    const out: { iface: string; address: string }[] = [];
    for (const l of (Array.isArray(links) ? links : []).map(asObj)) {
        if (l.ifname === "lo") continue;
        for (const a of (Array.isArray(l.addr_info) ? l.addr_info : []).map(asObj)) {
            if (a.family === "inet") out.push({ iface: String(l.ifname), address: `${String(a.local)}/${String(a.prefixlen)}` });
        }
    }
    return out;
}

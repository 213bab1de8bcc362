/**
 * What the lab expects of the fabric and what it found wrong. Pure: the observed state goes in,
 * problems come out, so every rule is unit-tested without root.
 *
 * Sessions: every planned session whose ends both run must be Established, seen from both ends.
 * Routes: given the sessions that are up, each router must hold each announced prefix with the
 * next hops BGP would pick: the announcing nodes it peers with directly, else (ECMP) every
 * fabric neighbour on a shortest loop-free path. A prefix no node may announce must be nowhere.
 */
import type { AddressPlan } from "../components/plan/types";
import type { RouterState, SessionState } from "./state";

export interface Announcer { node: string; prefixes: string[]; communities: Record<string, string[]> }

export interface ObservedState {
    routers: Record<string, RouterState>;
    nodes: Record<string, { sessions: SessionState[] }>;
    /** Host -> IPv4 addresses found on a non-loopback interface (IPv6-only stacks). */
    ipv4: Record<string, string[]>;
}

export interface ExpectedRoute { router: string; prefix: string; nextHops: string[]; communities: string[] }

export interface CheckInput {
    plan: AddressPlan;
    /** Routers whose daemons run (FRR ones, minus any the fault test stopped). */
    running: string[];
    announcers: Announcer[];
    /** Prefixes that must not appear on any router (a node announces them to test the filters). */
    forbidden: string[];
    ipv6Only: boolean;
    /**
     * A router is stopped: its peers may keep its routes as stale for the graceful-restart time
     * (as configured). Stale paths are reported, not counted as next hops. Otherwise any stale
     * path is a problem.
     */
    allowStale: boolean;
    /** Routers that send their lower-tier BGP neighbors a default route (routers[].defaultOriginate: spines, to their leaves). Default none. */
    defaultOriginators?: string[];
}

export interface SessionRow { router: string; peer: string; peerAddress: string; state: string }

/** The plan's one-family halves: [plan], or a dual stack's [IPv4 half, IPv6 half] (each with its own sessions). */
export const planHalves = (plan: AddressPlan): AddressPlan[] => [plan, ...(plan.secondary ? [plan.secondary] : [])];

const familyOfPrefix = (prefix: string): string => (prefix.includes(":") ? "ipv6" : "ipv4");

const isUp = (s: SessionState | undefined): boolean => s?.state === "Established";

/** Sessions as the routers see them, one row per planned session with a running router. */
export function sessionRows(input: CheckInput, observed: ObservedState): SessionRow[] {
    const running = new Set(input.running);
    const rows: SessionRow[] = [];
    const stateAt = (router: string, address: string): string =>
        observed.routers[router]?.sessions.find((s) => s.peer === address)?.state ?? "missing";
    const halves = planHalves(input.plan);
    for (const s of halves.flatMap((h) => h.nodeSessions)) {
        if (running.has(s.router)) rows.push({ router: s.router, peer: s.node, peerAddress: s.nodeAddress, state: stateAt(s.router, s.nodeAddress) });
    }
    for (const s of halves.flatMap((h) => h.routerSessions)) {
        if (running.has(s.a) && running.has(s.b)) {
            rows.push({ router: s.a, peer: s.b, peerAddress: s.bAddress, state: stateAt(s.a, s.bAddress) });
            rows.push({ router: s.b, peer: s.a, peerAddress: s.aAddress, state: stateAt(s.b, s.aAddress) });
        }
    }
    return rows;
}

/**
 * The routes each running router must hold, given which sessions are up. A dual stack: each half's
 * prefixes travel over that half's sessions only (every session carries its own family).
 */
export function expectedRoutes(input: CheckInput, observed: ObservedState): ExpectedRoute[] {
    return planHalves(input.plan).flatMap((plan) => familyExpectedRoutes(plan, {
        ...input, announcers: input.announcers.map((a) => ({ ...a, prefixes: a.prefixes.filter((p) => familyOfPrefix(p) === plan.family) })),
    }, observed));
}

function familyExpectedRoutes(plan: AddressPlan, input: CheckInput, observed: ObservedState): ExpectedRoute[] {
    const running = new Set(input.running);
    const asnOf = new Map(plan.routers.map((r) => [r.name, r.asn]));
    const up = (router: string, address: string): boolean => isUp(observed.routers[router]?.sessions.find((s) => s.peer === address));
    const nodeSessions = plan.nodeSessions.filter((s) => running.has(s.router) && up(s.router, s.nodeAddress));
    // Fabric adjacencies that are up: router -> [neighbour, the neighbour's address on the link].
    const adj = new Map<string, { peer: string; address: string }[]>();
    for (const s of plan.routerSessions) {
        if (!running.has(s.a) || !running.has(s.b) || !up(s.a, s.bAddress) || !up(s.b, s.aAddress)) continue;
        adj.set(s.a, [...(adj.get(s.a) ?? []), { peer: s.b, address: s.bAddress }]);
        adj.set(s.b, [...(adj.get(s.b) ?? []), { peer: s.a, address: s.aAddress }]);
    }
    const prefixes = [...new Set(input.announcers.flatMap((a) => a.prefixes))].sort();
    const out: ExpectedRoute[] = [];
    for (const prefix of prefixes) {
        const announcing = new Map(input.announcers.filter((a) => a.prefixes.includes(prefix)).map((a) => [a.node, a]));
        const communities = [...new Set([...announcing.values()].flatMap((a) => a.communities[prefix] ?? []))].sort();
        // Level 0: routers with a session to an announcing node. Their AS path holds the node's ASN.
        const best = new Map<string, { dist: number; nextHops: string[]; asPath: number[] }>();
        for (const s of nodeSessions.filter((x) => announcing.has(x.node))) {
            const cur = best.get(s.router) ?? { dist: 0, nextHops: [], asPath: s.type === "ebgp" ? [s.nodeAsn] : [] };
            cur.nextHops.push(s.nodeAddress);
            best.set(s.router, cur);
        }
        // Breadth first over the fabric: ECMP over every neighbour at the shortest distance,
        // never through a path that already carries the receiving router's ASN (BGP loop check).
        let frontier = [...best.keys()];
        for (let dist = 1; frontier.length > 0; dist++) {
            const next = new Map<string, { dist: number; nextHops: string[]; asPath: number[] }>();
            for (const from of frontier) {
                const fromBest = best.get(from)!;
                const path = [asnOf.get(from) as number, ...fromBest.asPath];
                for (const { peer } of adj.get(from) ?? []) {
                    if (best.has(peer) || path.includes(asnOf.get(peer) as number)) continue;
                    const link = (adj.get(peer) ?? []).find((x) => x.peer === from)!;
                    const cur = next.get(peer) ?? { dist, nextHops: [], asPath: path };
                    cur.nextHops.push(link.address);
                    next.set(peer, cur);
                }
            }
            for (const [r, v] of next) best.set(r, v);
            frontier = [...next.keys()];
        }
        for (const [router, b] of [...best.entries()].sort(([a], [c]) => a.localeCompare(c))) {
            // Communities are checked where they arrive from the node; FRR keeps them on re-advertisement too.
            out.push({ router, prefix, nextHops: [...new Set(b.nextHops)].sort(), communities: b.dist === 0 ? communities : [] });
        }
    }
    return out;
}

/** Everything wrong with the observed state, as sentences that name the router, node or prefix. */
export function findProblems(input: CheckInput, observed: ObservedState): string[] {
    const problems: string[] = [];
    const running = new Set(input.running);
    for (const row of sessionRows(input, observed)) {
        if (row.state !== "Established") problems.push(`session ${row.router} -> ${row.peer} (${row.peerAddress}) is ${row.state}, not Established`);
    }
    for (const s of planHalves(input.plan).flatMap((h) => h.nodeSessions).filter((x) => running.has(x.router))) {
        const st = observed.nodes[s.node]?.sessions.find((x) => x.peer === s.routerAddress);
        if (!isUp(st)) problems.push(`session ${s.node} -> ${s.router} (${s.routerAddress}) is ${st?.state ?? "missing"} on the node's speaker, not Established`);
    }
    for (const e of expectedRoutes(input, observed)) {
        const got = observed.routers[e.router]?.routes[e.prefix];
        if (!got) { problems.push(`router ${e.router} lacks ${e.prefix} (expected via ${e.nextHops.join(", ")})`); continue; }
        if (got.nextHops.join(",") !== e.nextHops.join(",")) {
            problems.push(`router ${e.router} has ${e.prefix} via ${got.nextHops.join(", ") || "no next hop"}, expected via ${e.nextHops.join(", ")}`);
        }
        if (got.staleNextHops.length > 0 && !input.allowStale) {
            problems.push(`router ${e.router} still holds stale (graceful-restart) paths for ${e.prefix} via ${got.staleNextHops.join(", ")}`);
        }
        const missing = e.communities.filter((c) => !got.communities.includes(c));
        if (missing.length > 0) problems.push(`router ${e.router} has ${e.prefix} without community ${missing.join(", ")}`);
    }
    problems.push(...defaultRouteProblems(input, observed));
    // Anything learned from a node must be something nodes may announce.
    const nodeAddresses = new Set(planHalves(input.plan).flatMap((h) => h.nodes.map((n) => n.address)));
    const allowed = new Set(input.announcers.flatMap((a) => a.prefixes));
    for (const [router, st] of Object.entries(observed.routers)) {
        for (const prefix of input.forbidden) {
            if (st.routes[prefix]) problems.push(`router ${router} accepted ${prefix}, a prefix outside the cluster's (its filters should drop it)`);
        }
        for (const [prefix, r] of Object.entries(st.routes)) {
            if (!allowed.has(prefix) && !input.forbidden.includes(prefix) && r.nextHops.some((h) => nodeAddresses.has(h))) {
                problems.push(`router ${router} holds ${prefix} from a node, which no node should announce`);
            }
        }
    }
    if (input.ipv6Only) {
        for (const [host, addrs] of Object.entries(observed.ipv4)) {
            if (addrs.length > 0) problems.push(`${host} has IPv4 address ${addrs.join(", ")} on an IPv6-only stack`);
        }
    }
    return problems;
}

/**
 * routers[].defaultOriginate: every running leaf holds the default route via each running originating spine
 * it has an Established session with (ECMP), and no other router holds one (a leaf passes it on to nobody).
 */
export function defaultRouteProblems(input: CheckInput, observed: ObservedState): string[] {
    // A dual stack: each half's default route over that half's router sessions.
    return planHalves(input.plan).flatMap((plan) => familyDefaultRouteProblems(plan, input, observed));
}

function familyDefaultRouteProblems(plan: AddressPlan, input: CheckInput, observed: ObservedState): string[] {
    const originators = new Set(input.defaultOriginators ?? []);
    const running = new Set(input.running);
    const prefix = plan.family === "ipv4" ? "0.0.0.0/0" : "::/0";
    const up = (router: string, address: string): boolean => isUp(observed.routers[router]?.sessions.find((s) => s.peer === address));
    const want = new Map<string, string[]>();
    for (const s of plan.routerSessions) {
        if (!originators.has(s.b) || !running.has(s.a) || !running.has(s.b) || !up(s.a, s.bAddress) || !up(s.b, s.aAddress)) continue;
        want.set(s.a, [...(want.get(s.a) ?? []), s.bAddress]);
    }
    const problems: string[] = [];
    for (const router of [...running].sort()) {
        const got = observed.routers[router]?.routes[prefix];
        const hops = [...(want.get(router) ?? [])].sort();
        if (hops.length === 0) {
            if (got) problems.push(`router ${router} holds the default route ${prefix} via ${got.nextHops.join(", ") || "no next hop"}, which no spine sends it`);
        } else if (!got) problems.push(`router ${router} lacks the default route ${prefix} its spines send (expected via ${hops.join(", ")})`);
        else if (got.nextHops.join(",") !== hops.join(",")) problems.push(`router ${router} has the default route ${prefix} via ${got.nextHops.join(", ") || "no next hop"}, expected via ${hops.join(", ")}`);
    }
    return problems;
}

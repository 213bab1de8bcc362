/**
 * Reads the BGP facts a seed states (ASN, router ID, neighbors and their remote-as, networks,
 * route-reflector clients, multipath-relax, loopback addresses) out of a rendered router
 * configuration: FRR's frr.conf and VyOS's `set` commands. Written apart from the project's own
 * parser (components/bgp/agreement.ts) on purpose, so that the seed comparison does not take the
 * code under test's word for what its text means.
 */

export type RemoteAs = number | "internal" | "external";

export interface ParsedNeighbor {
    address: string;
    remoteAs?: RemoteAs;
    peerGroup?: string;
    routeReflectorClient: boolean;
}

export interface ParsedRouter {
    asn?: number;
    routerId?: string;
    neighbors: ParsedNeighbor[];
    networks: string[];
    redistributeConnected: boolean;
    multipathRelax: boolean;
    loopbacks: string[];
    /** VyOS: addresses of ethernet interfaces (a Docker-hosted router's come from Docker instead). */
    interfaceAddresses: string[];
    /** Prefixes routed to blackhole (FRR `ip[v6] route P blackhole`, VyOS `static route[6] P blackhole`). */
    blackholes: string[];
    /** Neighbors (or their peer group) with default-originate. */
    defaultOriginate: string[];
    /** FRR's `frr defaults <profile>` line, when there is one. */
    frrDefaults?: string;
}

const asOf = (v: string): RemoteAs => (v === "internal" || v === "external" ? v : Number(v));

/** Peer-group values resolved onto their members (a member's own statement wins). */
function resolve(neighbors: Map<string, ParsedNeighbor>, groups: Map<string, { remoteAs?: RemoteAs; rr: boolean }>): ParsedNeighbor[] {
    return [...neighbors.values()].map((n) => {
        const g = n.peerGroup !== undefined ? groups.get(n.peerGroup) : undefined;
        const remoteAs = n.remoteAs ?? g?.remoteAs;
        return { address: n.address, ...(remoteAs !== undefined ? { remoteAs } : {}), ...(n.peerGroup !== undefined ? { peerGroup: n.peerGroup } : {}), routeReflectorClient: n.routeReflectorClient || (g?.rr ?? false) };
    });
}

type PeerGroupFacts = { remoteAs?: RemoteAs; rr: boolean };

/** What both parsers start from: an empty result, the neighbors and peer groups seen so far, and a neighbor getter. */
function emptyParse(): { out: ParsedRouter; neighbors: Map<string, ParsedNeighbor>; groups: Map<string, PeerGroupFacts>; entry: (a: string) => ParsedNeighbor } {
    const out: ParsedRouter = { neighbors: [], networks: [], redistributeConnected: false, multipathRelax: false, loopbacks: [], interfaceAddresses: [], blackholes: [], defaultOriginate: [] };
    const neighbors = new Map<string, ParsedNeighbor>();
    const groups = new Map<string, PeerGroupFacts>();
    const entry = (a: string): ParsedNeighbor => {
        let n = neighbors.get(a);
        if (!n) { n = { address: a, routeReflectorClient: false }; neighbors.set(a, n); }
        return n;
    };
    return { out, neighbors, groups, entry };
}

/** FRR's integrated configuration (frr.conf), the statements a `router bgp` block and `interface lo` hold. */
export function parseFrr(text: string): ParsedRouter {
    const { out, neighbors, groups, entry } = emptyParse();
    let block: "none" | "bgp" | "lo" | "other" = "none";
    for (const raw of text.split("\n")) {
        const line = raw.trim();
        if (line === "" || line.startsWith("!")) continue;
        let m: RegExpExecArray | null;
        if (!raw.startsWith(" ")) {
            if ((m = /^router bgp (\d+)$/.exec(line))) { block = "bgp"; out.asn = Number(m[1]); continue; }
            if (line === "interface lo") { block = "lo"; continue; }
            if (line === "exit" || line === "end") { block = "none"; continue; }
            if ((m = /^frr defaults (\S+)$/.exec(line))) { out.frrDefaults = m[1]; continue; }
            if ((m = /^ip(?:v6)? route (\S+) blackhole\b/.exec(line))) { out.blackholes.push(m[1]); continue; }
            block = /^(interface|router|route-map|bfd|line)\b/.test(line) ? "other" : "none";
            continue;
        }
        if (block === "lo") {
            if ((m = /^ip(?:v6)? address (\S+)$/.exec(line))) out.loopbacks.push(m[1]);
            continue;
        }
        if (block !== "bgp") continue;
        if ((m = /^bgp router-id (\S+)$/.exec(line))) out.routerId = m[1];
        else if (line === "bgp bestpath as-path multipath-relax") out.multipathRelax = true;
        else if ((m = /^network (\S+)/.exec(line))) out.networks.push(m[1]);
        else if (/^redistribute connected\b/.test(line)) out.redistributeConnected = true;
        else if ((m = /^neighbor (\S+) peer-group$/.exec(line))) groups.set(m[1], groups.get(m[1]) ?? { rr: false });
        else if ((m = /^neighbor (\S+) (?:interface )?peer-group (\S+)$/.exec(line))) entry(m[1]).peerGroup = m[2];
        else if ((m = /^neighbor (\S+) interface remote-as (\S+)$/.exec(line))) entry(m[1]).remoteAs = asOf(m[2]);
        else if ((m = /^neighbor (\S+) remote-as (\S+)$/.exec(line))) {
            const g = groups.get(m[1]);
            if (g) g.remoteAs = asOf(m[2]); else entry(m[1]).remoteAs = asOf(m[2]);
        } else if ((m = /^neighbor (\S+) default-originate$/.exec(line))) {
            out.defaultOriginate.push(m[1]);
        } else if ((m = /^neighbor (\S+) route-reflector-client$/.exec(line))) {
            const g = groups.get(m[1]);
            if (g) g.rr = true; else entry(m[1]).routeReflectorClient = true;
        }
    }
    out.neighbors = resolve(neighbors, groups);
    return out;
}

/** Splits one `set` command into words, with VyOS's single quotes removed. */
function words(line: string): string[] {
    const out: string[] = [];
    const re = /'((?:[^']|'\\'')*)'|(\S+)/g;
    let m: RegExpExecArray | null;
    while ((m = re.exec(line))) out.push(m[1] !== undefined ? m[1].replace(/'\\''/g, "'") : m[2]);
    return out;
}

/**
 * VyOS configuration commands, one per line: 1.4+ (`set protocols bgp system-as N`, what the project
 * emits) and, to read the seeds' own listings, 1.2 (`set protocols bgp N neighbor ...`).
 */
export function parseVyosSet(text: string): ParsedRouter {
    const { out, neighbors, groups, entry } = emptyParse();
    const group = (g: string): PeerGroupFacts => {
        let x = groups.get(g);
        if (!x) { x = { rr: false }; groups.set(g, x); }
        return x;
    };
    for (const line of text.split("\n")) {
        const w = words(line.trim());
        if (w[0] !== "set") continue;
        const p = w.slice(1);
        if (p[0] === "interfaces" && p[1] === "loopback" && p[3] === "address" && p[4]) { out.loopbacks.push(p[4]); continue; }
        if (p[0] === "interfaces" && p[1] === "ethernet" && p[3] === "address" && p[4]) { out.interfaceAddresses.push(p[4]); continue; }
        if (p[0] === "protocols" && p[1] === "static" && (p[2] === "route" || p[2] === "route6") && p[4] === "blackhole") { out.blackholes.push(p[3]); continue; }
        if (p[0] !== "protocols" || p[1] !== "bgp") continue;
        let b = p.slice(2);
        if (/^\d+$/.test(b[0] ?? "")) { out.asn = Number(b[0]); b = b.slice(1); }
        if (b[0] === "system-as") out.asn = Number(b[1]);
        else if (b[0] === "parameters" && b[1] === "router-id") out.routerId = b[2];
        else if (b.join(" ") === "parameters bestpath as-path multipath-relax") out.multipathRelax = true;
        else if (b[0] === "address-family" && b[2] === "network") out.networks.push(b[3]);
        else if (b[0] === "address-family" && b[2] === "redistribute" && b[3] === "connected") out.redistributeConnected = true;
        else if (b[0] === "neighbor" || b[0] === "peer-group") {
            const rest = b.slice(2);
            const isGroup = b[0] === "peer-group";
            if (rest[0] === "remote-as") { if (isGroup) group(b[1]).remoteAs = asOf(rest[1]); else entry(b[1]).remoteAs = asOf(rest[1]); }
            else if (rest[0] === "interface" && rest[1] === "remote-as") entry(b[1]).remoteAs = asOf(rest[2]);
            else if (rest[0] === "peer-group" && !isGroup) entry(b[1]).peerGroup = rest[1];
            else if (rest[0] === "address-family" && rest[2] === "default-originate") out.defaultOriginate.push(b[1]);
            else if (rest[0] === "address-family" && rest[2] === "route-reflector-client") { if (isGroup) group(b[1]).rr = true; else entry(b[1]).routeReflectorClient = true; }
            else if (isGroup) group(b[1]);
            else entry(b[1]);
        }
    }
    out.neighbors = resolve(neighbors, groups);
    return out;
}

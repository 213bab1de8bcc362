/**
 * The lab's data-plane checks: packets, not tables. Pure parts (what to probe, what the answers
 * must be, how a failed path is named) live here and are unit-tested; run.ts executes them.
 *
 * - every node pings every other node's address and every running router's loopback;
 * - no node speaker has a socket listening on TCP 179 (Cilium's GoBGP runs with listen port -1);
 * - an external client namespace, on a lab-only segment beyond the top-tier routers (like a
 *   user's laptop beyond the spines / ToRs / edge router), opens real TCP connections to every
 *   announced LoadBalancer address and to a server in every announced pod CIDR; a tiny server on
 *   each announcing node answers with its node name and the client address it sees. The answers
 *   must come only from the nodes that announce the address (externalTrafficPolicy Local: the
 *   hosting nodes), show the client's own address, and, where the fabric has ECMP and several
 *   nodes announce, come from more than one node over N connections.
 */
import type { IpFamily } from "../components/config/types";
import { contains, familyBits, formatAddress, overlaps, parsePrefix, type Prefix, subnet } from "../components/plan/addr";
import type { AddressPlan } from "../components/plan/types";

/** TCP port of the lab's answer servers (lab only; not a port the program renders). */
export const ANSWER_PORT = 7979;
/** Connections per announced address: enough to see ECMP spread with L4 hashing. */
export const CONNECTIONS_PER_ADDRESS = 16;

export interface ClientSpec {
    /** Lab-only prefix of the client segment: the last free /24 (/64) of the aggregate. */
    prefix: string;
    address: string;
    prefixLength: number;
    /** The top-tier routers the segment attaches to, each with its address on it and its ASN. */
    routers: { name: string; address: string; asn: number }[];
    /** Dual stack: the IPv6 half's client segment, on the same cable (its prefix from the IPv6 aggregate, same routers). */
    secondary?: Omit<ClientSpec, "secondary">;
}

const TIER_ORDER = ["edge", "spine", "leaf", "tor"] as const;

/** The routers at the top of the fabric: the highest role present (edge > spine > leaf > tor). */
export function topTier(plan: AddressPlan, running: string[]): string[] {
    const routers = plan.routers.filter((r) => running.includes(r.name));
    for (const role of TIER_ORDER) {
        const found = routers.filter((r) => r.role === role).map((r) => r.name);
        if (found.length > 0) return found;
    }
    return [];
}

/** Every prefix the plan hands out: the client segment must overlap none of them. */
function planPrefixes(plan: AddressPlan): Prefix[] {
    const texts = [plan.nodeNetwork, plan.podCidr, plan.serviceCidr, plan.loopbacks, plan.links, ...plan.lbPools.map((p) => p.cidr),
        ...plan.nodeSubnets.map((s) => s.cidr), ...plan.linkNets.map((l) => l.cidr)].filter((x): x is string => typeof x === "string");
    return texts.map((t) => parsePrefix(t)).filter((p): p is Prefix => typeof p === "object");
}

/**
 * The client segment: the last /24 (IPv4) or /64 (IPv6) of the aggregate that no planned prefix
 * overlaps. Inside the aggregate so that the routers' fabric filters (the aggregate and
 * everything in it) carry it; the attached routers announce it (lab only, see netns.ts).
 */
export function clientSpec(plan: AddressPlan, running: string[]): ClientSpec | undefined {
    const primary = familyClientSpec(plan, running);
    if (!primary || !plan.secondary) return primary;
    const secondary = familyClientSpec(plan.secondary, running);
    return secondary ? { ...primary, secondary } : primary;
}

function familyClientSpec(plan: AddressPlan, running: string[]): ClientSpec | undefined {
    const aggregate = parsePrefix(plan.aggregate) as Prefix;
    const length = plan.family === "ipv4" ? 24 : 64;
    if (aggregate.length > length) return undefined;
    const used = planPrefixes(plan);
    const count = 1n << BigInt(length - aggregate.length);
    for (let i = count - 1n; i >= 0n && i >= count - 4096n; i--) {
        const candidate = subnet(aggregate, length, i);
        if (used.some((u) => overlaps(u, candidate))) continue;
        const at = (n: number): string => formatAddress(plan.family, candidate.base + BigInt(n));
        const tops = topTier(plan, running);
        if (tops.length === 0) return undefined;
        return {
            prefix: `${formatAddress(plan.family, candidate.base)}/${length}`, address: at(1), prefixLength: length,
            routers: tops.map((name, k) => ({ name, address: at(2 + k), asn: plan.routers.find((r) => r.name === name)!.asn })),
        };
    }
    return undefined;
}

/** The first host address of a pod CIDR: where the node's pod-CIDR answer server listens. */
export function podProbeAddress(podCidr: string): string {
    const p = parsePrefix(podCidr) as Prefix;
    return formatAddress(p.family, p.base + 1n);
}

export interface AddressTarget {
    /** "service ns/name LoadBalancerIP" or "pod CIDR of worker-2". */
    what: string;
    address: string;
    /** Nodes whose speakers announce it (and run an answer server on it). */
    announcers: string[];
    /** Whether the answers must come from more than one node (ECMP). */
    expectSpread: boolean;
}

/** One client connection's outcome: the answering node and the client address it saw, or an error. */
export interface Answer { node?: string; seen?: string; error?: string }

/** Problems with the answers to one target, as sentences naming the target and the nodes. */
export function answerProblems(t: AddressTarget, clientAddress: string, answers: Answer[], reachable: string[]): string[] {
    const problems: string[] = [];
    const failed = answers.filter((a) => a.error !== undefined);
    const expected = t.announcers.filter((n) => reachable.includes(n));
    if (expected.length === 0) {
        if (answers.some((a) => a.node)) problems.push(`client -> ${t.what} (${t.address}): answered by ${[...new Set(answers.map((a) => a.node))].join(", ")} although no announcing node is reachable`);
        return problems;
    }
    if (failed.length > 0) problems.push(`client -> ${t.what} (${t.address}): ${failed.length}/${answers.length} connections failed (${failed[0].error})`);
    const nodes = [...new Set(answers.filter((a) => a.node).map((a) => a.node as string))].sort();
    const strangers = nodes.filter((n) => !expected.includes(n));
    if (strangers.length > 0) problems.push(`client -> ${t.what} (${t.address}): answered by ${strangers.join(", ")}, which should not receive it (announcing: ${expected.join(", ")})`);
    const masked = answers.filter((a) => a.seen !== undefined && a.seen !== clientAddress);
    if (masked.length > 0) problems.push(`client -> ${t.what} (${t.address}): the server saw ${masked[0].seen}, not the client's own address ${clientAddress}`);
    if (t.expectSpread && expected.length > 1 && failed.length === 0 && nodes.length < 2) {
        problems.push(`client -> ${t.what} (${t.address}): all ${answers.length} connections went to ${nodes.join(", ")}; ECMP should spread them over ${expected.join(", ")}`);
    }
    return problems;
}

/** One hop of `ip -j route get`: a next hop address, on-link delivery, or a dead end. */
export interface RouteHop { gateway?: string; type?: string; error?: string }

export function parseRouteGet(code: number, stdout: string, stderr: string): RouteHop {
    // The kernel answers a lookup that hits a blackhole route with EINVAL, prohibit with EACCES.
    if (code !== 0 && /Invalid argument/.test(stderr)) return { type: "blackhole" };
    if (code !== 0 && /Permission denied/.test(stderr)) return { type: "prohibit" };
    if (code !== 0) return { error: (stderr || stdout).trim() || `exit ${code}` };
    try {
        const r = (JSON.parse(stdout) as { gateway?: string; type?: string }[])[0] ?? {};
        return { ...(r.gateway ? { gateway: r.gateway } : {}), ...(r.type ? { type: r.type } : {}) };
    } catch {
        return { error: `unreadable: ${stdout.trim()}` };
    }
}

/**
 * Names where a path from `from` to `dst` stops, by following `ip route get` hop by hop through
 * the lab's hosts. `owner` maps an interface address to its host; `delivered(host)` says whether
 * the destination lives on that host. Returns undefined when the path reaches it.
 */
export async function tracePath(from: string, dst: string, owner: Map<string, string>, delivered: (host: string) => boolean,
    routeGet: (host: string, dst: string) => Promise<RouteHop>): Promise<string | undefined> {
    const seen: string[] = [];
    let host = from;
    for (let i = 0; i < 16; i++) {
        if (delivered(host)) return undefined;
        if (seen.includes(host)) return `loop through ${[...seen, host].join(" -> ")}`;
        seen.push(host);
        const hop = await routeGet(host, dst);
        const path = seen.join(" -> ");
        if (hop.error) return `no route at ${host} (${hop.error}; path ${path})`;
        if (hop.type === "blackhole" || hop.type === "unreachable" || hop.type === "prohibit") return `black hole at ${host} (${hop.type} route; path ${path})`;
        if (!hop.gateway) {
            // On-link: the destination must be on the segment, i.e. some host owns it.
            const target = owner.get(dst);
            if (target && delivered(target)) return undefined;
            return `stopped at ${host}: ${dst} is treated as on-link but no host on the segment has it (path ${path})`;
        }
        const next = owner.get(hop.gateway);
        if (!next) return `wrong next hop at ${host}: ${hop.gateway} belongs to no lab host (path ${path})`;
        host = next;
    }
    return `more than 16 hops from ${from}`;
}

/** The family's host length, for VIPs bound on a node's lo. */
export const hostLength = (family: IpFamily): number => familyBits(family);

/** True when `address` lies inside `prefix`. */
export function inPrefix(prefix: string, address: string): boolean {
    const p = parsePrefix(prefix);
    const a = parsePrefix(`${address}/${address.includes(":") ? 128 : 32}`);
    return typeof p === "object" && typeof a === "object" && contains(p, a);
}

/** Marks the lab's answer servers on their command line (leftover checks look for it). */
export const ANSWER_SERVER_TAG = "cbf-answer-server";

/** The answer server, run with `node -e` in a node namespace: the tag, node name, port, then the addresses to serve. */
export const ANSWER_SERVER_JS = `
const net = require("net");
const [, name, port, ...addresses] = process.argv.slice(1);
for (const a of addresses) {
  net.createServer((s) => { s.on("error", () => {}); s.end(name + " " + s.remoteAddress + "\\n"); })
    .on("error", (e) => { console.error(a, e.message); process.exitCode = 1; })
    .listen(Number(port), a);
}`;

/** The client, run with `node -e` in the client namespace: N sequential connections, one JSON line of answers. */
export const CLIENT_JS = `
const net = require("net");
const [address, port, count, timeout] = process.argv.slice(1);
const one = () => new Promise((resolve) => {
  const s = net.connect({ host: address, port: Number(port) });
  let data = "";
  const t = setTimeout(() => { s.destroy(); resolve({ error: "timeout" }); }, Number(timeout));
  s.on("data", (d) => { data += d; });
  s.on("end", () => { clearTimeout(t); const [node, seen] = data.trim().split(" "); resolve({ node, seen }); });
  s.on("error", (e) => { clearTimeout(t); resolve({ error: e.code || e.message }); });
});
(async () => { const out = []; for (let i = 0; i < Number(count); i++) out.push(await one()); console.log(JSON.stringify(out)); })();`;

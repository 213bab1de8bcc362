/**
 * Runs the data-plane checks of dataplane.ts against a running lab: pings, the listening-socket
 * check, TCP connections from the external client to the answer servers on the announcing
 * nodes; a failed packet path is traced hop by hop with `ip route get`. Only traffic between
 * the lab's own namespaces.
 */
import { hostPrefix } from "../components/bgp/common";
import {
    ANSWER_PORT, ANSWER_SERVER_JS, ANSWER_SERVER_TAG, type AddressTarget, type Answer, CLIENT_JS, CONNECTIONS_PER_ADDRESS, answerProblems,
    parseRouteGet, podProbeAddress, tracePath,
} from "./dataplane";
import type { LabEngine, LabNode, LabTopology } from "./engine";
import type { LabModel } from "./topology";
import type { IpFamily } from "../components/config/types";
import type { AddressPlan } from "../components/plan/types";

/** `family`: the address family the packets used (absent: a check of no family, the listening-socket one). */
export interface ReachCheck { check: string; ok: boolean; family?: IpFamily; detail?: string; answeredBy?: string[] }

const familyOf = (address: string): IpFamily => (address.includes(":") ? "ipv6" : "ipv4");

/** One ping: from a node's address of one family to another node's address or a router's loopback of that family. */
export interface PingTarget { family: IpFamily; from: string; fromAddress: string; what: string; address: string; to: string }

/** A router's loopback in one family (a dual stack has one per half). */
export interface Loopback { router: string; family: IpFamily; address: string }

/** The routers' loopbacks of every half of the plan. */
export const planLoopbacks = (plan: AddressPlan): Loopback[] =>
    [plan, ...(plan.secondary ? [plan.secondary] : [])].flatMap((h) => h.routers.map((r) => ({ router: r.name, family: h.family, address: r.loopback })));

/**
 * Every ping of one round, per family: each node to every other node and to every running
 * router's loopback, in each family the lab carries (a dual stack: IPv4 from the nodes' IPv4
 * addresses, IPv6 from their IPv6 ones).
 */
export function pingTargets(t: LabTopology, running: string[], loopbacks: Loopback[]): PingTarget[] {
    const addressIn = (n: LabNode, family: IpFamily): string | undefined =>
        [n.address, n.secondary?.address].find((a) => a !== undefined && familyOf(a) === family);
    const out: PingTarget[] = [];
    for (const family of t.families) {
        for (const n of t.nodes) {
            const fromAddress = addressIn(n, family);
            if (!fromAddress) continue;
            for (const o of t.nodes.filter((x) => x.name !== n.name)) {
                const address = addressIn(o, family);
                if (address) out.push({ family, from: n.name, fromAddress, what: `node ${o.name}`, address, to: o.name });
            }
            for (const l of loopbacks.filter((x) => x.family === family && running.includes(x.router))) {
                out.push({ family, from: n.name, fromAddress, what: `loopback of ${l.router}`, address: l.address, to: l.router });
            }
        }
    }
    return out;
}

/** Checks of one phase by family, for the report: "ipv4", "ipv6", and "any" for the family-less ones. */
export function checksByFamily(checks: ReachCheck[]): Record<string, { passed: number; total: number }> {
    const out: Record<string, { passed: number; total: number }> = {};
    for (const c of checks) {
        const k = c.family ?? "any";
        const e = (out[k] ??= { passed: 0, total: 0 });
        e.total++;
        if (c.ok) e.passed++;
    }
    return out;
}

/** What the client connects to: every announced service address and one address in every announced pod CIDR. */
export function addressTargets(model: LabModel, ecmp: boolean): AddressTarget[] {
    const announcersOf = (prefix: string): string[] => model.topology.nodes.filter((n) => n.announce.some((a) => a.prefix === prefix)).map((n) => n.name).sort();
    const out: AddressTarget[] = [];
    for (const s of model.services) {
        const announcers = announcersOf(hostPrefix(s.address));
        if (announcers.length === 0 || out.some((t) => t.address === s.address)) continue;
        // Pods the lab does not run: say that the answers are the lab's own server's (routing), not the Service's backend.
        const what = `service ${s.namespace}/${s.name} ${s.addressType}${s.endpointsOutside ? " (routing only: the lab's answer server on the announcing nodes, not the Service's pods)" : ""}`;
        out.push({ what, address: s.address, announcers, expectSpread: ecmp });
    }
    for (const n of model.topology.nodes) {
        // A dual-stack node announces a pod CIDR per family: each is a target.
        for (const pod of n.announce.filter((a) => a.reason === "pod CIDR")) {
            out.push({ what: `pod CIDR ${pod.prefix} of ${n.name}`, address: podProbeAddress(pod.prefix), announcers: [n.name], expectSpread: false });
        }
    }
    return out;
}

/** A Service address whose pods the lab does not run, and what the lab checks of it instead. */
export interface OutsideBackend { service: string; address: string; announcers: string[]; checked: string }

/**
 * Service addresses whose pods are not the program's (ServiceFacts.endpointsOutside): the lab
 * cannot check their backend, only the announcement and the route, and says which.
 */
export function outsideBackends(model: LabModel): OutsideBackend[] {
    const out: OutsideBackend[] = [];
    for (const s of model.services.filter((x) => x.endpointsOutside && x.addressType !== "ClusterIP")) {
        if (out.some((o) => o.address === s.address)) continue;
        const announcers = model.topology.nodes.filter((n) => n.announce.some((a) => a.prefix === hostPrefix(s.address))).map((n) => n.name).sort();
        const checked = announcers.length > 0
            ? `checked: announced by ${announcers.join(", ")} and routed to them (TCP to the lab's answer server there, port ${ANSWER_PORT}); not checked: the Service's backend, which the lab does not run`
            : `externalTrafficPolicy ${s.externalTrafficPolicy} and no endpoint: Cilium announces it from no node, so the lab checks only that no router learns it from a node; not checked: its routing or backend`;
        out.push({ service: `${s.namespace}/${s.name}`, address: s.address, announcers, checked: `${s.endpointsOutside}; ${checked}` });
    }
    return out;
}

/** Binds each node's addresses to serve on lo and starts its answer server (once per lab). */
export async function startAnswerServers(engine: LabEngine, targets: AddressTarget[]): Promise<void> {
    const byNode = new Map<string, string[]>();
    for (const t of targets) for (const n of t.announcers) byNode.set(n, [...(byNode.get(n) ?? []), t.address]);
    for (const [node, addresses] of byNode) {
        const h = engine.host(node);
        for (const a of addresses) {
            const r = await h.exec(["ip", "addr", "add", `${a}/${a.includes(":") ? 128 : 32}`, "dev", "lo"]);
            if (r.code !== 0 && !/exists/i.test(r.stderr)) throw new Error(`node ${node}: cannot bind ${a} on lo: ${r.stderr.trim()}`);
        }
        const argv = ["node", "-e", ANSWER_SERVER_JS, ANSWER_SERVER_TAG, node, String(ANSWER_PORT), ...addresses].map((w) => `'${w.replace(/'/g, "'\\''")}'`).join(" ");
        const r = await h.exec(["sh", "-c", `${argv} >/dev/null 2>&1 &`]);
        if (r.code !== 0) throw new Error(`node ${node}: cannot start the answer server: ${r.stderr.trim()}`);
    }
}

function ownerMap(model: LabModel): Map<string, string> {
    const t = model.topology;
    const m = new Map<string, string>();
    for (const r of t.routers) for (const i of r.interfaces) for (const a of [i.address, i.secondary?.address]) if (a) m.set(a, r.name);
    for (const n of t.nodes) for (const a of [n.address, n.secondary?.address]) if (a) m.set(a, n.name);
    for (const c of t.client ? [t.client, ...(t.client.secondary ? [t.client.secondary] : [])] : []) {
        m.set(c.address, "client");
        for (const r of c.routers) m.set(r.address, r.name);
    }
    return m;
}

export interface ProbeInput {
    model: LabModel;
    /** Routers whose daemons run. */
    running: string[];
    /** Router loopbacks, per family. */
    loopbacks: Loopback[];
    /** Per family: nodes with at least one Established session of that family: only their announcements of it can be reached. */
    announcing: Partial<Record<IpFamily, string[]>>;
    targets: AddressTarget[];
}

/** One round of every data-plane check. */
export async function probe(engine: LabEngine, input: ProbeInput): Promise<ReachCheck[]> {
    const { model } = input;
    const t = model.topology;
    const owner = ownerMap(model);
    const routeGet = async (host: string, dst: string) => {
        const r = await engine.host(host).exec(["ip", "-j", "route", "get", dst]);
        return parseRouteGet(r.code, r.stdout, r.stderr);
    };
    const ownsAddress = (host: string, dst: string): boolean =>
        owner.get(dst) === host || input.loopbacks.some((l) => l.router === host && l.address === dst) || input.targets.some((x) => x.address === dst && x.announcers.includes(host));
    const why = async (from: string, dst: string): Promise<string> =>
        (await tracePath(from, dst, owner, (h) => ownsAddress(h, dst), routeGet)) ?? "the path reaches it: the reply has no route back";
    const checks: ReachCheck[] = [];

    const pings: Promise<void>[] = [];
    // A dual stack's checks name their family first: a problem says family, source, destination and (detail) the hop.
    const tag = (family: IpFamily): string => (t.families.length > 1 ? `${family}: ` : "");
    for (const d of pingTargets(t, input.running, input.loopbacks)) {
        pings.push((async () => {
            const r = await engine.host(d.from).exec(["ping", "-n", "-c", "1", "-W", "1", d.address]);
            const check = `${tag(d.family)}${d.from} -> ${d.what} (${d.address}): ping`;
            const family = d.family;
            if (r.code === 0) { checks.push({ check, ok: true, family }); return; }
            // ping itself missing or refused: say so instead of blaming the path.
            if (r.code >= 126 || /not found|No such file|executable/i.test(r.stderr)) { checks.push({ check, ok: false, family, detail: `ping cannot run on ${d.from}: ${r.stderr.trim() || `exit ${r.code}`}` }); return; }
            // Forward path first, then (it arrived) the way back.
            const forward = await tracePath(d.from, d.address, owner, (h) => ownsAddress(h, d.address), routeGet);
            const detail = forward ?? `return path: ${(await tracePath(d.to, d.fromAddress, owner, (h) => h === d.from, routeGet)) ?? "both paths route, yet no reply"}`;
            checks.push({ check, ok: false, family, detail });
        })());
    }
    await Promise.all(pings);

    // Cilium's GoBGP runs with listen port -1: no node accepts BGP connections.
    await Promise.all(t.nodes.map(async (n) => {
        const r = await engine.host(n.name).exec(["ss", "-Hltn", "sport = :179"]);
        const listening = r.stdout.trim();
        checks.push({ check: `${n.name}: no socket listening on TCP 179`, ok: r.code === 0 && listening === "", ...(listening || r.code !== 0 ? { detail: listening || r.stderr.trim() } : {}) });
    }));

    if (t.client && engine.hasClient?.()) {
        // The client's own address in the target's family (a dual stack's client has one per half).
        const clientAddress = (family: IpFamily): string | undefined =>
            [t.client, t.client?.secondary].find((c) => c !== undefined && familyOf(c.address) === family)?.address;
        await Promise.all(input.targets.map(async (target) => {
            const family = familyOf(target.address);
            const check0 = `${tag(family)}client -> ${target.what} (${target.address}): TCP`;
            const own = clientAddress(family);
            if (!own) { checks.push({ check: check0, ok: false, family, detail: `the lab client has no ${family} address` }); return; }
            const r = await engine.host("client").exec(["node", "-e", CLIENT_JS, target.address, String(ANSWER_PORT), String(CONNECTIONS_PER_ADDRESS), "1000"]);
            let answers: Answer[] = [];
            try { answers = JSON.parse(r.stdout) as Answer[]; } catch { answers = [{ error: `client failed: ${(r.stderr || r.stdout).trim()}` }]; }
            const problems = answerProblems(target, own, answers, input.announcing[family] ?? []);
            const nodes = [...new Set(answers.filter((a) => a.node).map((a) => a.node))].sort();
            const check = `${check0}, ${answers.length} connections answered by ${nodes.join(", ") || "nobody"}`;
            const answeredBy = nodes as string[];
            if (problems.length === 0) { checks.push({ check, ok: true, family, answeredBy }); return; }
            const path = answers.some((a) => a.error) ? `; path: ${await why("client", target.address)}` : "";
            checks.push({ check, ok: false, family, detail: `${problems.join("; ")}${path}`, answeredBy });
        }));
    }
    return checks.sort((a, b) => a.check.localeCompare(b.check));
}

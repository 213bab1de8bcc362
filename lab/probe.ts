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
import type { LabEngine } from "./engine";
import type { LabModel } from "./topology";

export interface ReachCheck { check: string; ok: boolean; detail?: string; answeredBy?: string[] }

/** What the client connects to: every announced service address and one address in every announced pod CIDR. */
export function addressTargets(model: LabModel, ecmp: boolean): AddressTarget[] {
    const announcersOf = (prefix: string): string[] => model.topology.nodes.filter((n) => n.announce.some((a) => a.prefix === prefix)).map((n) => n.name).sort();
    const out: AddressTarget[] = [];
    for (const s of model.services) {
        const announcers = announcersOf(hostPrefix(s.address));
        if (announcers.length === 0 || out.some((t) => t.address === s.address)) continue;
        out.push({ what: `service ${s.namespace}/${s.name} ${s.addressType}`, address: s.address, announcers, expectSpread: ecmp });
    }
    for (const n of model.topology.nodes) {
        const pod = n.announce.find((a) => a.reason === "pod CIDR");
        if (pod) out.push({ what: `pod CIDR ${pod.prefix} of ${n.name}`, address: podProbeAddress(pod.prefix), announcers: [n.name], expectSpread: false });
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
    for (const r of t.routers) for (const i of r.interfaces) m.set(i.address, r.name);
    for (const n of t.nodes) m.set(n.address, n.name);
    if (t.client) {
        m.set(t.client.address, "client");
        for (const r of t.client.routers) m.set(r.address, r.name);
    }
    return m;
}

export interface ProbeInput {
    model: LabModel;
    /** Routers whose daemons run. */
    running: string[];
    /** Router loopbacks by router name. */
    loopbacks: Record<string, string>;
    /** Nodes with at least one Established session: only their announcements can be reached. */
    announcing: string[];
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
        owner.get(dst) === host || input.loopbacks[host] === dst || input.targets.some((x) => x.address === dst && x.announcers.includes(host));
    const why = async (from: string, dst: string): Promise<string> =>
        (await tracePath(from, dst, owner, (h) => ownsAddress(h, dst), routeGet)) ?? "the path reaches it: the reply has no route back";
    const checks: ReachCheck[] = [];

    const pings: Promise<void>[] = [];
    for (const n of t.nodes) {
        const dsts = [
            ...t.nodes.filter((o) => o.name !== n.name).map((o) => ({ what: `node ${o.name}`, address: o.address, to: o.name })),
            ...input.running.map((r) => ({ what: `loopback of ${r}`, address: input.loopbacks[r], to: r })),
        ];
        for (const d of dsts) {
            pings.push((async () => {
                const r = await engine.host(n.name).exec(["ping", "-n", "-c", "1", "-W", "1", d.address]);
                const check = `${n.name} -> ${d.what} (${d.address}): ping`;
                if (r.code === 0) { checks.push({ check, ok: true }); return; }
                // ping itself missing or refused: say so instead of blaming the path.
                if (r.code >= 126 || /not found|No such file|executable/i.test(r.stderr)) { checks.push({ check, ok: false, detail: `ping cannot run on ${n.name}: ${r.stderr.trim() || `exit ${r.code}`}` }); return; }
                // Forward path first, then (it arrived) the way back.
                const forward = await tracePath(n.name, d.address, owner, (h) => ownsAddress(h, d.address), routeGet);
                const detail = forward ?? `return path: ${(await tracePath(d.to, n.address, owner, (h) => h === n.name, routeGet)) ?? "both paths route, yet no reply"}`;
                checks.push({ check, ok: false, detail });
            })());
        }
    }
    await Promise.all(pings);

    // Cilium's GoBGP runs with listen port -1: no node accepts BGP connections.
    await Promise.all(t.nodes.map(async (n) => {
        const r = await engine.host(n.name).exec(["ss", "-Hltn", "sport = :179"]);
        const listening = r.stdout.trim();
        checks.push({ check: `${n.name}: no socket listening on TCP 179`, ok: r.code === 0 && listening === "", ...(listening || r.code !== 0 ? { detail: listening || r.stderr.trim() } : {}) });
    }));

    if (t.client && engine.hasClient?.()) {
        const client = t.client;
        await Promise.all(input.targets.map(async (target) => {
            const r = await engine.host("client").exec(["node", "-e", CLIENT_JS, target.address, String(ANSWER_PORT), String(CONNECTIONS_PER_ADDRESS), "1000"]);
            let answers: Answer[] = [];
            try { answers = JSON.parse(r.stdout) as Answer[]; } catch { answers = [{ error: `client failed: ${(r.stderr || r.stdout).trim()}` }]; }
            const problems = answerProblems(target, client.address, answers, input.announcing);
            const nodes = [...new Set(answers.filter((a) => a.node).map((a) => a.node))].sort();
            const check = `client -> ${target.what} (${target.address}): TCP, ${answers.length} connections answered by ${nodes.join(", ") || "nobody"}`;
            const answeredBy = nodes as string[];
            if (problems.length === 0) { checks.push({ check, ok: true, answeredBy }); return; }
            const path = answers.some((a) => a.error) ? `; path: ${await why("client", target.address)}` : "";
            checks.push({ check, ok: false, detail: `${problems.join("; ")}${path}`, answeredBy });
        }));
    }
    return checks.sort((a, b) => a.check.localeCompare(b.check));
}

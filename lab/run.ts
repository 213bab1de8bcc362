/**
 * One lab run: the program under the mock runtime -> lab model -> engine up -> announcements ->
 * poll the daemons until the checks pass (convergence) or time runs out -> optional fault phase
 * (stop a router, check, restart, check) -> report. The engine is always torn down.
 */
import { type VrrpObservation, failoverProbe, measureFailover, waitForVrrp } from "./vrrp";
import { randomBytes } from "crypto";
import { runFabricOffline, type OfflineRun } from "../cli/offline";
import { readStackConfig, SECRET_KEYS } from "../components/config/stackfile";
import { type Announcer, type CheckInput, type ObservedState, findProblems, planHalves, sessionRows, type SessionRow } from "./checks";
import type { IpFamily } from "../components/config/types";
import type { RouterState } from "./state";
import type { LabEngine } from "./engine";
import { announceCommand } from "./speaker";
import { ipv4Addresses, parseFrrPrefixCommunities, parseFrrRoutes, parseFrrSummary, parseGobgpNeighbors } from "./state";
import { buildLabModel, type LabModel, type TopologyOptions } from "./topology";
import { type FrrVersions, frrVersions } from "./frr-version";
import { sleep } from "./sh";
import { addressTargets, checksByFamily, type OutsideBackend, outsideBackends, planLoopbacks, probe, type ProbeInput, type ReachCheck, startAnswerServers } from "./probe";

/** The stack has nothing the lab can run (every router is VyOS-flavoured). */
export class NothingToRun extends Error {}

export interface LabOptions extends TopologyOptions {
    root: string;
    stack: string;
    engine: LabEngine;
    /** Seconds to wait for convergence (each phase). */
    timeoutSeconds: number;
    /** After converging, stop this router, check, start it again, check. */
    stopRouter?: string;
    /**
     * Last: kill this node's speaker with SIGKILL (a node that dies: no NOTIFICATION) and measure how
     * long the routers keep its routes as graceful-restart stale paths.
     */
    killNode?: string;
    log: (line: string) => void;
    env?: NodeJS.ProcessEnv;
}

export interface LabPhase {
    name: string;
    converged: boolean;
    seconds: number;
    problems: string[];
}

export interface LabReport {
    stack: string;
    engine: string;
    family: string;
    routers: string[];
    nodes: string[];
    skipped: { router: string; reason: string }[];
    sessions: SessionRow[];
    routes: Record<string, Record<string, string[]>>;
    announcements: Record<string, string[]>;
    convergenceSeconds: number | null;
    /** Seconds from the first daemon's start until every reachability check passed (null: never). */
    reachabilitySeconds: number | null;
    /** Data-plane checks per phase (see dataplane.ts): what each one proves is in its name. */
    reachability: Record<string, ReachCheck[]>;
    /** Per phase, per family (ipv4, ipv6; "any": the family-less listening-socket checks): checks passed of total. */
    reachabilityByFamily?: Record<string, Record<string, { passed: number; total: number }>>;
    /** Advertisement types the stack configures but no rendered object exercises. */
    unexercised: { type: string; reason: string }[];
    /** Service addresses whose pods the program does not run (e.g. smoke.selector): what the lab checks of them instead. */
    outsideBackends?: OutsideBackend[];
    /** killNode: seconds the routers kept the dead node's routes (stale), and whether they were marked stale. */
    deadNode?: { node: string; staleSeen: boolean; seconds: number | null; restartTimeSeconds: number | null };
    /** The lab-only external client segment (address and the routers it attaches to). */
    client?: { prefix: string; address: string; routers: string[] };
    phases: LabPhase[];
    problems: string[];
    /** The lab's FRR against the image the program deploys (absent in reports of older runs). */
    frr?: FrrVersions;
    /** Per phase: each VRRP group's master (exactly one while a member runs; lab/vrrp.ts). Empty without VRRP groups. */
    vrrp?: Record<string, VrrpObservation[]>;
    /**
     * stopRouter of a VRRP master: seconds from the stop until a node on the segment reached the
     * surviving router's loopback again through the virtual address (null: not within the timeout).
     */
    failover?: { router: string; group: number; segment: string; node: string; target: string; seconds: number | null };
}

/** Sessions and routes: what changes while the fabric converges. */
async function observeRouting(engine: LabEngine, model: LabModel, input: CheckInput): Promise<ObservedState> {
    const { running } = input;
    const t = model.topology;
    const observed: ObservedState = { routers: {}, nodes: {}, ipv4: {} };
    await Promise.all(running.map(async (r) => {
        const h = engine.host(r);
        // A dual stack: both families' tables, in one map (their prefixes differ).
        const [summary, ...tables] = await Promise.all([
            h.exec(["vtysh", "-c", "show bgp summary json"]),
            ...t.families.map((f) => h.exec(["vtysh", "-c", `show bgp ${f} unicast json`])),
        ]);
        observed.routers[r] = {
            sessions: summary.code === 0 ? safe(() => parseFrrSummary(summary.stdout), []) : [],
            routes: Object.assign({}, ...tables.map((routes, k) => (routes.code === 0 ? safe(() => parseFrrRoutes(routes.stdout, t.families[k]), {}) : {}))) as RouterState["routes"],
        };
        // Communities only show per prefix: ask for the prefixes that were announced with some.
        await Promise.all(communityPrefixes(input).map(async (prefix) => {
            const route = observed.routers[r].routes[prefix];
            if (!route) return;
            const one = await h.exec(["vtysh", "-c", `show bgp ${prefix.includes(":") ? "ipv6" : "ipv4"} unicast ${prefix} json`]);
            if (one.code === 0) route.communities = safe(() => parseFrrPrefixCommunities(one.stdout), []);
        }));
    }));
    await Promise.all(t.nodes.map(async (n) => {
        const r = await engine.host(n.name).exec(["gobgp", "neighbor", "-j"]);
        observed.nodes[n.name] = { sessions: r.code === 0 ? safe(() => parseGobgpNeighbors(r.stdout), []) : [] };
    }));
    return observed;
}

/** IPv4 addresses on every host of the lab (IPv6-only stacks). They only change when hosts start, not while BGP converges. */
async function observeIpv4(engine: LabEngine, model: LabModel, input: CheckInput): Promise<ObservedState["ipv4"]> {
    const out: ObservedState["ipv4"] = {};
    const hosts = [...[...input.running, ...model.topology.nodes.map((n) => n.name)].map((h) => engine.host(h)), ...(engine.auxiliaryHosts?.() ?? [])];
    await Promise.all(hosts.map(async (h) => {
        const r = await h.exec(["ip", "-j", "addr"]);
        // A host whose addresses cannot be listed must not pass the check by saying nothing.
        out[h.name] = r.code !== 0 ? [`(unknown: ip -j addr failed: ${r.stderr.trim()})`]
            : safe(() => ipv4Addresses(r.stdout), []).map((a) => `${a.address} on ${a.iface}`);
    }));
    return out;
}

const communityPrefixes = (input: CheckInput): string[] =>
    [...new Set(input.announcers.flatMap((a) => Object.entries(a.communities).filter(([, c]) => c.length > 0).map(([p]) => p)))].sort();

/** Daemons answer with partial or no JSON while they start: that is "not yet", not a crash. */
function safe<T>(f: () => T, fallback: T): T {
    try { return f(); } catch { return fallback; }
}

/**
 * Polls sessions and routes until no problem is left or the time is up, then (IPv6-only stacks)
 * adds the hosts' addresses once; returns the last observation and every problem in it.
 */
async function waitForConvergence(engine: LabEngine, model: LabModel, input: CheckInput, timeoutSeconds: number):
    Promise<{ converged: boolean; seconds: number; observed: ObservedState; problems: string[] }> {
    const start = Date.now();
    for (;;) {
        const observed = await observeRouting(engine, model, input);
        let problems = findProblems(input, observed);
        if (problems.length === 0 || (Date.now() - start) / 1000 >= timeoutSeconds) {
            if (input.ipv6Only) {
                observed.ipv4 = await observeIpv4(engine, model, input);
                problems = findProblems(input, observed);
            }
            return { converged: problems.length === 0, seconds: (Date.now() - start) / 1000, observed, problems };
        }
        await sleep(200);
    }
}

export async function announce(engine: LabEngine, model: LabModel): Promise<void> {
    for (const n of model.topology.nodes) {
        for (const a of n.announce) {
            // gobgpd takes a moment to open its API after start.
            for (let i = 0; ; i++) {
                const r = await engine.host(n.name).exec(announceCommand(a));
                if (r.code === 0) break;
                if (i >= 50) throw new Error(`node ${n.name}: gobgp could not announce ${a.prefix}: ${(r.stderr || r.stdout).trim()}`);
                await sleep(100);
            }
        }
    }
}

export function loadLabRun(root: string, stack: string, env: NodeJS.ProcessEnv): Promise<OfflineRun> {
    // The lab needs a real password on both sides; a fresh random one unless the user gives one.
    const password = env[SECRET_KEYS.bgpPassword] || `lab-${randomBytes(9).toString("base64url")}`;
    const labEnv = { ...env, [SECRET_KEYS.bgpPassword]: password };
    return runFabricOffline(stack, readStackConfig(root, stack, labEnv), labEnv);
}

export async function runLab(o: LabOptions): Promise<LabReport> {
    try {
        return await runPhases(o);
    } finally {
        // Always, whatever failed: the engine removes what it made (nothing, if it never came up).
        await o.engine.down();
    }
}

async function runPhases(o: LabOptions): Promise<LabReport> {
    const offline = await loadLabRun(o.root, o.stack, o.env ?? process.env);
    const foreignPrefixNode = o.foreignPrefixNode ?? (offline.config.bgp.filterNodeRoutes ? offline.plan.nodes[0]?.name : undefined);
    const model = buildLabModel(offline, { ...o, vyosAsFrr: o.engine.name === "netns", ...(foreignPrefixNode ? { foreignPrefixNode } : {}) });
    const t = model.topology;
    for (const s of t.skipped) o.log(`lab: skipping router ${s.router}: ${s.reason}`);
    if (t.routers.length === 0) throw new NothingToRun(`stack ${o.stack} has no router this engine can run (the ${o.engine.name} engine skips VyOS routers)`);
    const announcers: Announcer[] = model.speakers.map((s) => ({
        node: s.node, prefixes: s.announce.map((a) => a.prefix),
        communities: Object.fromEntries(s.announce.map((a) => [a.prefix, a.communities.filter((c) => /^\d+:\d+(:\d+)?$/.test(c))])),
    }));
    const input: CheckInput = {
        plan: offline.plan, running: t.routers.map((r) => r.name), announcers,
        forbidden: model.foreignPrefixes ?? [], ipv6Only: t.family === "ipv6", allowStale: false,
        defaultOriginators: offline.config.routers.filter((r) => r.defaultOriginate).map((r) => r.name),
    };
    const frr = frrVersions(offline.plan.routers.filter((r) => r.flavour === "frr").map((r) => r.image));
    o.log(frr.note);
    const report: LabReport = {
        stack: o.stack, engine: o.engine.name, family: t.family, routers: t.routers.map((r) => r.name), nodes: t.nodes.map((n) => n.name),
        skipped: t.skipped, sessions: [], routes: {}, announcements: Object.fromEntries(t.nodes.map((n) => [n.name, n.announce.map((a) => a.prefix)])),
        convergenceSeconds: null, reachabilitySeconds: null, reachability: {}, unexercised: model.unexercised,
        ...(t.client ? { client: { prefix: t.client.prefix, address: t.client.address, routers: t.client.routers.map((r) => r.name) } } : {}),
        phases: [], problems: [],
        frr,
    };
    for (const u of model.unexercised) o.log(`lab: advertisement ${u.type} not exercised: ${u.reason}`);
    const outside = outsideBackends(model);
    if (outside.length > 0) report.outsideBackends = outside;
    for (const b of outside) o.log(`lab: service ${b.service} (${b.address}): ${b.checked}`);
    const targets = addressTargets(model, offline.plan.ecmp);
    const loopbacks = planLoopbacks(offline.plan);
    /** Per family: nodes with an Established session of that family on some running router: their announcements of it are live. */
    const announcingNodes = (observed: ObservedState, running: string[]): Partial<Record<IpFamily, string[]>> =>
        Object.fromEntries(planHalves(offline.plan).map((h) => [h.family, h.nodes.filter((n) =>
            running.some((r) => observed.routers[r]?.sessions.some((x) => x.peer === n.address && x.state === "Established"))).map((n) => n.name)]));
    const reach = async (name: string, running: string[], observed: ObservedState): Promise<boolean> => {
        const probeInput: ProbeInput = { model, running, loopbacks, announcing: announcingNodes(observed, running), targets };
        const started = Date.now();
        const deadline = started + o.timeoutSeconds * 1000;
        for (;;) {
            const checks = await probe(o.engine, probeInput);
            const failed = checks.filter((c) => !c.ok);
            if (failed.length === 0 || Date.now() >= deadline) {
                report.reachability[name] = checks;
                const byFamily = checksByFamily(checks);
                (report.reachabilityByFamily ??= {})[name] = byFamily;
                // Seconds from the control plane's convergence until every packet check passed.
                report.phases.push({ name: `${name}: reachability`, converged: failed.length === 0, seconds: Math.round((Date.now() - started) / 10) / 100,
                    problems: failed.map((c) => `${c.check}: ${c.detail ?? "failed"}`) });
                o.log(`lab: ${name}: reachability ${checks.length - failed.length}/${checks.length} checks pass (${Object.entries(byFamily).map(([f, c]) => `${f} ${c.passed}/${c.total}`).join(", ")})`);
                for (const c of failed) o.log(`  problem: ${c.check}: ${c.detail ?? "failed"}`);
                return failed.length === 0;
            }
            await sleep(500);
        }
    };
    const record = (name: string, r: { converged: boolean; seconds: number; observed: ObservedState; problems: string[] }, inp: CheckInput): void => {
        report.phases.push({ name, converged: r.converged, seconds: round(r.seconds), problems: r.problems });
        report.sessions = sessionRows(inp, r.observed);
        report.routes = Object.fromEntries(Object.entries(r.observed.routers).map(([router, st]) =>
            [router, Object.fromEntries(Object.entries(st.routes).map(([p, x]) => [p, x.staleNextHops.length ? [...x.nextHops, ...x.staleNextHops.map((h) => `${h} (stale)`)] : x.nextHops]))]));
        o.log(`lab: ${name}: ${r.converged ? `converged in ${round(r.seconds)} s` : `NOT converged after ${round(r.seconds)} s`}`);
        for (const p of r.problems) o.log(`  problem: ${p}`);
    };
    if (o.stopRouter && !input.running.includes(o.stopRouter)) {
        throw new Error(`--stop-router ${o.stopRouter}: no running router of that name (${input.running.join(", ")})`);
    }
    o.log(`lab: ${o.engine.name} engine: ${t.routers.length} routers, ${t.nodes.length} node speakers, ${t.segments.length} segments`);
    await o.engine.up(t);
    // The convergence clock runs from the first routing daemon's start (engines say when).
    const started = o.engine.daemonsStartedAt ?? Date.now();
    await announce(o.engine, model);
    const first = await waitForConvergence(o.engine, model, input, o.timeoutSeconds);
    const seconds = (Date.now() - started) / 1000;
    record("converge", { ...first, seconds }, input);
    if (first.converged) report.convergenceSeconds = round(seconds);
    const vrrpPhase = async (name: string, running: string[]): Promise<VrrpObservation[]> => {
        if (planHalves(offline.plan).every((h) => h.vrrpGroups.length === 0)) return [];
        const v = await waitForVrrp(o.engine, offline.plan, running, o.timeoutSeconds);
        (report.vrrp ??= {})[name] = v.observed;
        report.phases.push({ name: `${name}: vrrp`, converged: v.problems.length === 0, seconds: round(v.seconds), problems: v.problems });
        o.log(`lab: ${name}: VRRP ${v.observed.map((g) => `group ${g.vrid} on ${g.segment}: master ${g.masters.join(", ") || "none"}`).join("; ")}`);
        for (const p of v.problems) o.log(`  problem: ${p}`);
        return v.observed;
    };
    const vrrpBefore = await vrrpPhase("converge", input.running);
    await startAnswerServers(o.engine, targets);
    if (await reach("converge", input.running, first.observed)) report.reachabilitySeconds = round((Date.now() - started) / 1000);
    if (o.engine.healthProblems) {
        const health = await o.engine.healthProblems();
        report.phases.push({ name: "health checks", converged: health.length === 0, seconds: 0, problems: health });
        o.log(`lab: router health checks: ${health.length === 0 ? "all healthy" : health.join("; ")}`);
    }
    if (o.stopRouter && first.converged) {
        const probe = failoverProbe(offline.plan, o.stopRouter, vrrpBefore);
        const tStop = Date.now();
        await o.engine.stopRouter(o.stopRouter);
        if (probe) {
            const secs = await measureFailover(o.engine, probe.node, probe.target, tStop, o.timeoutSeconds);
            report.failover = { router: o.stopRouter, group: probe.group.vrid, segment: probe.group.segment, node: probe.node, target: probe.target, seconds: secs };
            report.phases.push({ name: `${o.stopRouter} stopped: VRRP failover`, converged: secs !== null, seconds: secs ?? o.timeoutSeconds,
                problems: secs === null ? [`${probe.node} did not reach ${probe.target} through the VRRP address ${probe.group.address} within ${o.timeoutSeconds} s of stopping ${o.stopRouter}`] : [] });
            o.log(`lab: ${o.stopRouter} (VRRP master) stopped: ${probe.node} reached ${probe.via}'s loopback through ${probe.group.address} again after ${secs ?? `more than ${o.timeoutSeconds}`} s`);
        }
        const degraded = { ...input, running: input.running.filter((r) => r !== o.stopRouter), allowStale: true };
        const down = await waitForConvergence(o.engine, model, degraded, o.timeoutSeconds);
        record(`${o.stopRouter} stopped`, down, degraded);
        await vrrpPhase(`${o.stopRouter} stopped`, degraded.running);
        await reach(`${o.stopRouter} stopped`, degraded.running, down.observed);
        const t1 = Date.now();
        await o.engine.startRouter(o.stopRouter);
        const back = await waitForConvergence(o.engine, model, input, o.timeoutSeconds);
        record(`${o.stopRouter} restarted`, { ...back, seconds: (Date.now() - t1) / 1000 }, input);
        await vrrpPhase(`${o.stopRouter} restarted`, input.running);
        await reach(`${o.stopRouter} restarted`, input.running, back.observed);
    }
    if (o.killNode && first.converged) {
        const node = offline.plan.nodes.find((n) => n.name === o.killNode);
        if (!node) throw new Error(`--kill-node ${o.killNode}: no such node`);
        if (!o.engine.killNode) throw new Error(`the ${o.engine.name} engine cannot kill a node`);
        const gr = offline.config.bgp.gracefulRestart;
        const t0 = Date.now();
        await o.engine.killNode(node.name);
        let staleSeen = false;
        let seconds: number | null = null;
        const limit = (gr.enabled ? gr.restartTimeSeconds : 0) + o.timeoutSeconds;
        while ((Date.now() - t0) / 1000 < limit) {
            const obs = await observeRouting(o.engine, model, input);
            const routes = Object.values(obs.routers).flatMap((st) => Object.values(st.routes));
            if (routes.some((r) => r.staleNextHops.includes(node.address))) staleSeen = true;
            if (!routes.some((r) => r.nextHops.includes(node.address) || r.staleNextHops.includes(node.address))) { seconds = round((Date.now() - t0) / 1000); break; }
            await sleep(500);
        }
        report.deadNode = { node: node.name, staleSeen, seconds, restartTimeSeconds: gr.enabled ? gr.restartTimeSeconds : null };
        o.log(`lab: ${node.name} killed: routers kept its routes ${staleSeen ? "as stale paths " : ""}for ${seconds ?? `more than ${limit}`} s (graceful-restart restart time ${gr.enabled ? `${gr.restartTimeSeconds} s` : "off"})`);
    }
    report.problems = report.phases.flatMap((p) => p.problems.map((x) => (report.phases.length > 1 ? `${p.name}: ${x}` : x)));
    return report;
}

const round = (s: number): number => Math.round(s * 100) / 100;

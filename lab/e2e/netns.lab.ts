/**
 * The namespace lab for real: root, FRR and gobgpd on this machine (`.ci/run` installs them).
 * Run with `npm run test:lab`. Not part of `npm test`, which needs neither.
 */
import * as assert from "node:assert/strict";
import { spawn } from "child_process";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { labCommand, missingTools } from "../cli";
import { NetnsEngine, staleNamespaces } from "../netns";
import { smokePlacement } from "../../components/smoke";
import { loadLabRun, runLab, type LabReport } from "../run";
import { run, sleep } from "../sh";
import { ANSWER_SERVER_TAG } from "../dataplane";
import { buildLabModel, type TopologyOptions } from "../topology";

const ROOT = path.resolve(__dirname, "../..");
const quiet = (): void => undefined;

/** Processes whose command line mentions `text` (read from /proc: no dependency on procps). */
function processesMentioning(text: string): string[] {
    const out: string[] = [];
    for (const pid of fs.readdirSync("/proc").filter((d) => /^\d+$/.test(d) && Number(d) !== process.pid)) {
        try {
            const cmd = fs.readFileSync(`/proc/${pid}/cmdline`, "utf8").split("\0").join(" ");
            if (cmd.includes(text)) out.push(`${pid} ${cmd}`);
        } catch { /* gone meanwhile */ }
    }
    return out;
}

/** Namespaces named `<prefix>-...` and processes whose command line mentions `dir`. */
async function leftovers(prefix: string, dir: string): Promise<string[]> {
    const ns = (await run(["ip", "netns", "list"])).stdout.split("\n").filter((l) => l.startsWith(`${prefix}-`));
    return [...ns, ...processesMentioning(dir), ...processesMentioning(ANSWER_SERVER_TAG)];
}

async function lab(stack: string, o: TopologyOptions & { stopRouter?: string; killNode?: string; timeoutSeconds?: number } = {}): Promise<LabReport> {
    const engine = new NetnsEngine({ log: quiet });
    try {
        return await runLab({ root: ROOT, stack, engine, timeoutSeconds: o.timeoutSeconds ?? 60, log: quiet, ...o });
    } finally {
        assert.deepEqual(await leftovers(engine.prefix, engine.dir), [], "teardown left namespaces or processes behind");
    }
}

/**
 * The smoke Service's address comes from exactly the nodes that should announce it (its pods' nodes
 * for externalTrafficPolicy Local, every node for Cluster), and each router that peers with those
 * nodes has exactly them as next hops. Expected values come from the stack's configuration.
 */
async function checkSmoke(stack: string, report: LabReport, etp: "Local" | "Cluster"): Promise<void> {
    const { config, plan } = await loadLabRun(ROOT, stack, process.env);
    const smoke = smokePlacement(config, plan);
    assert.ok(smoke, `${stack} enables the smoke workload`);
    assert.equal(smoke.externalTrafficPolicy, etp);
    const prefix = `${smoke.address}/${smoke.family === "ipv4" ? 32 : 128}`;
    const hosts = etp === "Local" ? smoke.nodes : plan.nodes.map((n) => n.name);
    assert.deepEqual(Object.entries(report.announcements).filter(([, ps]) => ps.includes(prefix)).map(([n]) => n).sort(), [...hosts].sort());
    for (const r of plan.routers) {
        const direct = plan.nodeSessions.filter((s) => s.router === r.name && hosts.includes(s.node)).map((s) => s.nodeAddress).sort();
        const got = report.routes[r.name]?.[prefix];
        assert.ok(got && got.length > 0, `${r.name} lacks the smoke address ${prefix}`);
        if (direct.length > 0) assert.deepEqual([...got].sort(), direct, `${r.name}: next hops for ${prefix}`);
    }
}

describe("namespace lab (root, FRR, GoBGP)", function () {
    this.timeout(300_000);
    before(() => {
        assert.equal(process.getuid?.(), 0, "the lab tests need root");
        assert.deepEqual(missingTools(), []);
    });

    it("dev: converges; every router holds every announced prefix; the foreign prefix is filtered; JSON report from the CLI", async () => {
        const file = path.join(fs.mkdtempSync(path.join(os.tmpdir(), "cbf-report-")), "dev.json");
        const lines: string[] = [];
        const code = await labCommand(["--stack", "dev", "--report", file], ROOT, (m) => lines.push(m));
        assert.equal(code, 0, lines.join("\n"));
        const report = JSON.parse(fs.readFileSync(file, "utf8")) as LabReport;
        for (const key of ["sessions", "routes", "convergenceSeconds", "problems"]) assert.ok(key in report, key);
        assert.deepEqual(report.problems, []);
        assert.ok(typeof report.convergenceSeconds === "number" && report.convergenceSeconds > 0);
        assert.ok(report.sessions.length > 0 && report.sessions.every((s) => s.state === "Established"));
        const announced = new Set(Object.values(report.announcements).flat());
        const foreign = [...announced].filter((p) => p.startsWith("198.51.100."));
        assert.equal(foreign.length, 1, "one node announces a foreign prefix");
        for (const [router, routes] of Object.entries(report.routes)) {
            for (const p of announced) {
                if (foreign.includes(p)) assert.equal(routes[p], undefined, `${router} accepted ${p}`);
                else assert.ok(routes[p]?.length, `${router} lacks ${p}`);
            }
        }
        await checkSmoke("dev", report, "Local");
        // Packets: every reachability check passed, and they cover what they claim.
        const checks = report.reachability.converge;
        assert.ok(checks.length > 0 && checks.every((c) => c.ok), JSON.stringify(checks.filter((c) => !c.ok)));
        const { config, plan } = await loadLabRun(ROOT, "dev", process.env);
        assert.equal(checks.filter((c) => /: ping$/.test(c.check)).length, plan.nodes.length * (plan.nodes.length - 1 + plan.routers.length));
        assert.equal(checks.filter((c) => /no socket listening on TCP 179/.test(c.check)).length, plan.nodes.length);
        const smoke = smokePlacement(config, plan)!;
        const vip = checks.find((c) => c.check.includes(`(${smoke.address}): TCP`))!;
        // externalTrafficPolicy Local: only the hosting nodes answer, and ECMP spreads over both.
        assert.deepEqual(vip.answeredBy, [...smoke.nodes].sort());
        assert.equal(typeof report.reachabilitySeconds, "number");
        console.log(`      dev converged in ${report.convergenceSeconds} s, reachability in ${report.reachabilitySeconds} s`);
    });

    it("ipv6: converges over IPv6 only; stopping the gateway ToR (r01, the VRRP master) keeps every client -> VIP connection working via r02", async () => {
        const report = await lab("ipv6", { stopRouter: "r01" });
        // Control plane: every prefix stays reachable through r02 while r01 is down, and comes back.
        for (const name of ["converge", "r01 stopped", "r01 restarted"]) {
            assert.ok(report.phases.find((p) => p.name === name)?.converged, `${name}: routing converged`);
        }
        assert.ok(report.sessions.every((s) => s.peerAddress.includes(":")));
        await checkSmoke("ipv6", report, "Cluster");
        // Every node's one default route goes via the segment's VRRP address (components/plan/vrrp.ts):
        // r01 holds it, r02 takes it over when r01 stops, r01 takes it back (preempt) when it returns.
        assert.deepEqual(Object.fromEntries(Object.entries(report.vrrp ?? {}).map(([phase, groups]) => [phase, groups.map((g) => g.masters)])),
            { "converge": [["r01"]], "r01 stopped": [["r02"]], "r01 restarted": [["r01"]] });
        for (const phase of ["converge", "r01 stopped", "r01 restarted"]) {
            const checks = report.reachability[phase];
            assert.ok(checks?.length && checks.every((c) => c.ok), `${phase}: ${JSON.stringify(checks?.filter((c) => !c.ok))}`);
        }
        // Every client -> VIP/pod check ran while r01 was down, each with all its connections answered.
        assert.ok(report.reachability["r01 stopped"].filter((c) => c.check.startsWith("client -> ")).length > 0);
        assert.equal(typeof report.failover?.seconds, "number", JSON.stringify(report.failover));
        assert.deepEqual(report.problems, []);
        console.log(`      ipv6: converged in ${report.convergenceSeconds} s; ${report.phases.map((p) => `${p.name} ${p.seconds} s`).join(", ")}; VRRP failover ${report.failover?.seconds} s`);
    });

    it("dual: both families converge and reach every node, loopback, LB address and pod CIDR; stopping r01 (VRRP master of both groups) keeps both working via r02", async () => {
        const report = await lab("dual", { stopRouter: "r01" });
        const { plan } = await loadLabRun(ROOT, "dual", process.env);
        const v6 = plan.secondary!;
        for (const name of ["converge", "r01 stopped", "r01 restarted"]) {
            assert.ok(report.phases.find((p) => p.name === name)?.converged, `${name}: routing converged`);
        }
        // Sessions of both halves, seen Established.
        assert.equal(report.sessions.filter((s) => s.peerAddress.includes(":")).length, v6.nodeSessions.length);
        assert.equal(report.sessions.filter((s) => !s.peerAddress.includes(":")).length, plan.nodeSessions.length);
        // One VRRP group per family on the segment: r01 masters both, r02 takes both over, r01 takes both back.
        assert.deepEqual(Object.fromEntries(Object.entries(report.vrrp ?? {}).map(([phase, groups]) => [phase, groups.map((g) => g.masters)])),
            { "converge": [["r01"], ["r01"]], "r01 stopped": [["r02"], ["r02"]], "r01 restarted": [["r01"], ["r01"]] });
        for (const phase of ["converge", "r01 stopped", "r01 restarted"]) {
            const checks = report.reachability[phase];
            assert.ok(checks?.length && checks.every((c) => c.ok), `${phase}: ${JSON.stringify(checks?.filter((c) => !c.ok))}`);
            for (const [family, half] of [["ipv4", plan], ["ipv6", v6]] as const) {
                const mine = checks.filter((c) => c.family === family);
                // Pings: node <-> node and node -> each running router's loopback; TCP: the LB address and every node's pod CIDR.
                const routers = phase === "r01 stopped" ? half.routers.length - 1 : half.routers.length;
                assert.equal(mine.filter((c) => c.check.endsWith(": ping")).length, half.nodes.length * (half.nodes.length - 1 + routers), `${phase} ${family} pings`);
                for (const n of half.nodes) assert.ok(mine.some((c) => c.check.includes(`pod CIDR ${n.podCidr} of ${n.name}`)), `${phase} ${family} pod CIDR of ${n.name}`);
                assert.ok(mine.some((c) => c.check.includes("client -> service ")), `${phase} ${family} LB address`);
            }
        }
        assert.deepEqual(report.problems, []);
        const f = report.reachabilityByFamily?.converge ?? {};
        console.log(`      dual: converged in ${report.convergenceSeconds} s; reachability ipv4 ${f.ipv4?.passed}/${f.ipv4?.total}, ipv6 ${f.ipv6?.passed}/${f.ipv6?.total}; ${report.phases.map((p) => `${p.name} ${p.seconds} s`).join(", ")}; VRRP failover ${report.failover?.seconds} s`);
    });

    it("dev: stopping a spine keeps every prefix through the other spine", async () => {
        const report = await lab("dev", { stopRouter: "spine1" });
        assert.deepEqual(report.problems, []);
        assert.ok(report.phases.every((p) => p.converged));
        const stopped = report.reachability["spine1 stopped"];
        assert.ok(stopped.some((c) => c.check.startsWith("client -> service")) && stopped.every((c) => c.ok));
    });

    it("a wrong password on one node leaves exactly its sessions down, named, and the run fails", async () => {
        const report = await lab("ipv6", { wrongPasswordNode: "worker-2", timeoutSeconds: 20 });
        const down = report.sessions.filter((s) => s.state !== "Established");
        assert.deepEqual(down.map((s) => s.peer).sort(), ["worker-2", "worker-2"]);
        assert.equal(report.sessions.filter((s) => s.state === "Established").length, report.sessions.length - 2);
        assert.ok(report.problems.length > 0);
        assert.ok(report.problems.every((p) => p.includes("worker-2")), report.problems.join("\n"));
        // Packets: exactly worker-2's answers are gone (the Service is externalTrafficPolicy Cluster on every node).
        const { plan } = await loadLabRun(ROOT, "ipv6", process.env);
        const others = plan.nodes.map((n) => n.name).filter((n) => n !== "worker-2").sort();
        for (const c of report.reachability.converge.filter((x) => x.check.startsWith("client -> service"))) {
            assert.ok(c.ok, c.check);
            assert.deepEqual(c.answeredBy, others, c.check);
        }
    });

    it("must show: a node speaker listening on TCP 179 fails the run, naming the node", async () => {
        const report = await lab("ipv6", { listeningNode: "worker-3", timeoutSeconds: 15 });
        const failed = report.reachability.converge.filter((c) => !c.ok);
        assert.deepEqual(failed.map((c) => c.check), ["worker-3: no socket listening on TCP 179"]);
        assert.ok(report.problems.some((p) => p.includes("worker-3: no socket listening on TCP 179")));
    });

    it("must show: without the inter-rack route (leaf2 no longer announces its rack) packets stop, named with the hop", async () => {
        const { plan } = await loadLabRun(ROOT, "dev", process.env);
        const rack2 = plan.nodeSubnets.find((x) => x.rack === "rack2")!;
        const report = await lab("dev", { withoutNetwork: { router: "leaf2", prefix: rack2.cidr }, timeoutSeconds: 15 });
        const failed = report.reachability.converge.filter((c) => !c.ok);
        assert.ok(failed.some((c) => /control-plane-1 -> node worker-3 .*: ping/.test(c.check) && /black hole at (leaf1|spine[12])/.test(c.detail ?? "")), JSON.stringify(failed, null, 1));
        assert.ok(report.problems.length > 0);
    });

    it("graceful restart as Cilium sets it: a node that dies leaves stale routes for the restart time", async () => {
        const { config } = await loadLabRun(ROOT, "ipv6", process.env);
        const restart = config.bgp.gracefulRestart.restartTimeSeconds;
        const report = await lab("ipv6", { killNode: "worker-2" });
        assert.ok(report.deadNode, "the node was killed");
        assert.equal(report.deadNode.staleSeen, true, "the routers marked its routes stale");
        assert.ok(report.deadNode.seconds !== null && report.deadNode.seconds >= restart - 1 && report.deadNode.seconds <= restart + 10,
            `stale for ${report.deadNode.seconds} s, restart time ${restart} s`);
        console.log(`      ipv6: worker-2 killed, stale routes kept ${report.deadNode.seconds} s (restart time ${restart} s)`);
    });

    /** Starts the CLI on dev, sends SIGINT once `trigger` shows on stderr (plus `delayMs`), returns the exit code and stderr. */
    async function interruptAt(trigger: RegExp, delayMs: number): Promise<{ code: number | null; err: string }> {
        const child = spawn(process.execPath, ["-r", "ts-node/register/transpile-only", path.join(ROOT, "lab/cli.ts"), "--stack", "dev"], { cwd: ROOT, stdio: ["ignore", "ignore", "pipe"] });
        let err = "";
        child.stderr.on("data", (d: Buffer) => { err += d.toString(); });
        const exited = new Promise<number | null>((r) => child.on("exit", (c) => r(c)));
        for (let i = 0; i < 600 && !trigger.test(err); i++) await sleep(50);
        assert.ok(trigger.test(err), `never saw ${trigger}: ${err}`);
        await sleep(delayMs);
        child.kill("SIGINT");
        return { code: await exited, err };
    }

    /** Anything a lab run leaves: its namespaces, processes in its directories, answer servers. */
    async function anyLeftovers(): Promise<string[]> {
        const procs = fs.readdirSync("/proc").filter((d) => /^\d+$/.test(d) && Number(d) !== process.pid).flatMap((pid) => {
            try {
                const cmd = fs.readFileSync(`/proc/${pid}/cmdline`, "utf8").split("\0").join(" ");
                return /\/tmp\/cbf[0-9a-f]{4}-/.test(cmd) || cmd.includes(ANSWER_SERVER_TAG) ? [`${pid} ${cmd}`] : [];
            } catch { return []; }
        });
        return [...await staleNamespaces(), ...procs];
    }

    for (const delay of [0, 300, 1200]) {
        it(`down() while up() is still building (${delay} ms in) waits for it and leaves nothing`, async () => {
            const t = buildLabModel(await loadLabRun(ROOT, "dev", process.env)).topology;
            const engine = new NetnsEngine({ log: quiet });
            const building = engine.up(t).then(() => "built", (e: Error) => e.message);
            await sleep(delay);
            await engine.down();
            const outcome = await building;
            // Whatever up() did after down() began must be gone too.
            await sleep(300);
            assert.deepEqual(await leftovers(engine.prefix, engine.dir), [], `up: ${outcome}`);
        });
    }

    // Issue 14 class 8: an interrupt at any moment, also while namespaces are being created, leaves nothing.
    for (const [name, trigger, delay] of [
        ["as the build starts", /netns engine:/, 0],
        ["while namespaces are created (150 ms)", /netns engine:/, 150],
        ["while namespaces and links are created (400 ms)", /netns engine:/, 400],
        ["while nodes are attached (900 ms)", /netns engine:/, 900],
        ["while routers start", /FRR started in namespace cbf[0-9a-f]{4}-spine2/, 0],
        ["after convergence, while the packet checks run", /converge: converged/, 200],
    ] as [string, RegExp, number][]) {
        it(`an interrupt ${name} leaves no namespace or process and exits 130`, async () => {
            assert.deepEqual(await anyLeftovers(), [], "leftovers before the run");
            const { code, err } = await interruptAt(trigger, delay);
            assert.equal(code, 130, err);
            assert.deepEqual(await anyLeftovers(), [], err);
        });
    }

    it("Ctrl-C tears everything down and exits 130", async () => {
        const child = spawn(process.execPath, ["-r", "ts-node/register/transpile-only", path.join(ROOT, "lab/cli.ts"), "--stack", "dev"], { cwd: ROOT, stdio: ["ignore", "ignore", "pipe"] });
        let err = "";
        child.stderr.on("data", (d: Buffer) => { err += d.toString(); });
        // Wait until the routers run, then interrupt.
        for (let i = 0; i < 300 && !/FRR started in namespace (cbf[0-9a-f]{4})-leaf2/.test(err); i++) await sleep(100);
        const prefix = /FRR started in namespace (cbf[0-9a-f]{4})-/.exec(err)?.[1];
        assert.ok(prefix, err);
        // The leftover check sees the run's daemons while they run (so it can fail).
        assert.ok(processesMentioning(`/tmp/${prefix}-`).length > 0);
        child.kill("SIGINT");
        const code = await new Promise<number | null>((r) => child.on("exit", (c) => r(c)));
        assert.equal(code, 130, err);
        assert.deepEqual(await leftovers(prefix, `/tmp/${prefix}-`), []);
    });
});

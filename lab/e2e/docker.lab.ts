/**
 * The Docker engine for real (root, docker.io, debootstrap; `.ci/run` installs them): routers boot
 * from the uploaded files and pass their health checks, and teardown removes everything the run
 * made, also after an `up` that fails halfway. Convergence and faults on Docker are run by
 * `.ci/run` through `npm run lab -- --engine docker`.
 */
import * as assert from "node:assert/strict";
import * as path from "path";
import type { LabTopology } from "../engine";
import { ensureDaemon } from "../docker/daemon";
import { DockerEngine } from "../docker/engine";
import { LAB_LABEL } from "../docker/translate";
import { loadLabRun, runLab } from "../run";
import { buildLabModel } from "../topology";

const ROOT = path.resolve(__dirname, "../..");
const quiet = (): void => undefined;

async function topology(stack: string): Promise<LabTopology> {
    return buildLabModel(await loadLabRun(ROOT, stack, process.env)).topology;
}

/** Containers and networks of any lab run still on the engine. */
async function leftovers(): Promise<string[]> {
    const conn = await ensureDaemon({ log: quiet });
    try {
        const filters = JSON.stringify({ label: [LAB_LABEL] });
        const c = await conn.docker.listContainers({ all: true, filters });
        const n = await conn.docker.listNetworks({ filters });
        return [...c.map((x) => `container ${x.Names.join(",")}`), ...n.map((x) => `network ${x.Name}`)];
    } finally {
        await conn.stop();
    }
}

describe("Docker lab engine (root, dockerd)", function () {
    this.timeout(600_000);

    it("dev: every router runs the uploaded frr.conf and passes its health check; nothing is left afterwards", async () => {
        const t = await topology("dev");
        const engine = new DockerEngine({ log: quiet });
        try {
            await engine.up(t);
            assert.deepEqual(await engine.healthProblems(), []);
            for (const r of t.routers) {
                const running = await engine.host(r.name).exec(["vtysh", "-c", "show running-config"]);
                assert.equal(running.code, 0, running.stderr);
                const uploaded = r.files.find((f) => f.file.endsWith("/frr.conf"))!.content;
                // The lines that name the router, its BGP instance and every neighbor.
                const key = uploaded.split("\n").filter((l) => /^(hostname|router bgp)|^\s*neighbor \S+ (peer-group \S+|remote-as)/.test(l)).map((l) => l.trim());
                assert.ok(key.length > 2, r.name);
                assert.deepEqual(key.filter((l) => !running.stdout.includes(l)), [], `${r.name}: running config lacks uploaded lines`);
            }
        } finally {
            await engine.down();
        }
        assert.deepEqual(await leftovers(), []);
    });

    it("dev: packets too: every node pings every node and loopback, none listens on 179, the client reaches the VIP and pod CIDRs, also with spine1 stopped", async () => {
        // 150 s: with spine1 stopped the leaves keep its graceful-restart stale paths (restart time 120 s) on a link whose bridge stays up.
        const report = await runLab({ root: ROOT, stack: "dev", engine: new DockerEngine({ log: quiet }), timeoutSeconds: 150, log: quiet, stopRouter: "spine1" });
        assert.deepEqual(report.problems, []);
        for (const phase of ["converge", "spine1 stopped", "spine1 restarted"]) {
            const checks = report.reachability[phase];
            assert.ok(checks?.some((c) => /: ping$/.test(c.check)) && checks.some((c) => /TCP 179/.test(c.check)), phase);
            // The external client: the smoke VIP (spread over worker-2 and worker-3) and every pod CIDR, over TCP.
            const client = checks.filter((c) => c.check.startsWith("client -> "));
            assert.equal(client.length, 5, `${phase}: client checks ${JSON.stringify(client.map((c) => c.check))}`);
            assert.deepEqual(client.find((c) => /LoadBalancerIP/.test(c.check))?.answeredBy, ["worker-2", "worker-3"], phase);
            assert.ok(checks.every((c) => c.ok), `${phase}: ${JSON.stringify(checks.filter((c) => !c.ok))}`);
        }
        assert.deepEqual(await leftovers(), []);
    });

    it("an up that fails halfway is torn down completely (and down is idempotent)", async () => {
        const t = await topology("dev");
        t.nodes[t.nodes.length - 1] = { ...t.nodes[t.nodes.length - 1], segment: "no-such-segment" };
        const engine = new DockerEngine({ log: quiet });
        try {
            await assert.rejects(engine.up(t));
            assert.ok((engine.report?.containers.length ?? 0) > 0, "the failing up had created containers");
        } finally {
            await engine.down();
            await engine.down();
        }
        assert.deepEqual(await leftovers(), []);
    });
});

import * as assert from "node:assert/strict";
import { spawnSync } from "child_process";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { planCommand } from "../../cli/plan";
import { labCommand } from "../../lab/cli";
import { listStacks } from "../../components/config/stackfile";

const ROOT = path.resolve(__dirname, "../..");
const TS_NODE = path.join(ROOT, "node_modules/ts-node/dist/bin.js");


describe("command-line manners (npm run plan, npm run lab)", function () {
    this.timeout(60000);
    const tmp = fs.mkdtempSync(path.join(os.tmpdir(), "cbf-manners-"));
    after(() => fs.rmSync(tmp, { recursive: true, force: true }));

    for (const [script, first] of [["cli/plan.ts", "usage: npm run plan -- --stack <name>"], ["lab/cli.ts", "usage: npm run lab -- --stack <name>"]]) {
        it(`${script} --help prints the usage and the options on stdout and exits 0 (as a process)`, () => {
            const r = spawnSync(process.execPath, [TS_NODE, "--transpile-only", script, "--help"], { cwd: ROOT, encoding: "utf8" });
            assert.equal(r.status, 0, r.stderr);
            assert.ok(r.stdout.split("\n")[0].startsWith(first), r.stdout);
            assert.match(r.stdout, /--stack <name>\s+the stack/);
            assert.match(r.stdout, /Exit status: 0/);
            assert.equal(r.stderr, "");
        });
    }

    it("-h is the same, in-process, with nothing on the log", async () => {
        const out: string[] = [];
        const log: string[] = [];
        assert.equal(await planCommand(["-h"], ROOT, { log: (m) => log.push(m), env: {}, print: (m) => out.push(m) }), 0);
        assert.equal(await labCommand(["--stack", "dev", "-h"], ROOT, (m) => log.push(m), (m) => out.push(m)), 0);
        assert.deepEqual(log, []);
        assert.equal(out.length, 2);
        assert.match(out[0], /^usage: npm run plan/);
        assert.match(out[1], /^usage: npm run lab/);
    });

    it("bad usage is still exit 2 with the reason and the usage line", async () => {
        const lines: string[] = [];
        assert.equal(await planCommand(["--stack"], ROOT, { log: (m) => lines.push(m), env: {} }), 2);
        assert.deepEqual(lines, ["error: --stack needs a value", "usage: npm run plan -- --stack <name> [--out <dir>] [--show-secrets] [--policy-config <file>] [--diff <git-ref>]"]);
    });

    for (const [argv, expected] of [
        [["--stack", "prod"], `error: unknown stack "prod" (stacks here: ${listStacks(ROOT).join(", ")})`],
        [["--stack", "dev", "--stop-router", "spine9"], 'error: --stop-router: stack dev has no router "spine9" (routers: spine1, spine2, leaf1, leaf2)'],
        [["--stack", "ipv6", "--wrong-password", "worker-9"], /^error: --wrong-password: stack ipv6 has no node "worker-9" \(nodes: [a-z0-9-]+(, [a-z0-9-]+){2}\)$/],
    ] as [string[], string | RegExp][]) {
        it(`lab ${argv.join(" ")}: exit 2 naming the valid names, before anything runs`, async () => {
            const lines: string[] = [];
            assert.equal(await labCommand(argv, ROOT, (m) => lines.push(m), () => assert.fail("nothing on stdout")), 2);
            assert.equal(lines.length, 1, lines.join("\n"));
            if (typeof expected === "string") assert.equal(lines[0], expected); else assert.match(lines[0], expected);
        });
    }

    it("an unset BGP password gives one notice that a placeholder was used; a set one none", async () => {
        const unset: string[] = [];
        assert.equal(await planCommand(["--stack", "dev", "--out", path.join(tmp, "a")], ROOT, { log: (m) => unset.push(m), env: {} }), 0);
        const notices = unset.filter((l) => /placeholder/.test(l));
        assert.deepEqual(notices, ["plan: notice: bgpPassword is not set: the router configs use a placeholder password (set it with pulumi config set --secret bgpPassword, or CBF_BGP_PASSWORD)"]);
        const set: string[] = [];
        assert.equal(await planCommand(["--stack", "dev", "--out", path.join(tmp, "b")], ROOT, { log: (m) => set.push(m), env: { CBF_BGP_PASSWORD: "s3cret-for-test" } }), 0);
        assert.deepEqual(set.filter((l) => /placeholder/.test(l)), []);
    });
});

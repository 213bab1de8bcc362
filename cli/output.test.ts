/** The output swap under concurrency: several processes writing the same --out at once never crash or mix. */
import { strict as assert } from "assert";
import { spawn } from "child_process";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { writeAtomically } from "./output";
import { planCommand } from "./plan";

const ROOT = path.resolve(__dirname, "..");

function listFiles(dir: string): string[] {
    return fs.readdirSync(dir, { recursive: true, withFileTypes: true })
        .filter((e) => e.isFile()).map((e) => path.relative(dir, path.join(e.parentPath, e.name))).sort();
}

/** Runs `node -e script` with ts-node; resolves with its exit status and stderr. */
function node(args: string[]): Promise<{ status: number | null; stderr: string }> {
    return new Promise((resolve) => {
        const child = spawn(process.execPath, ["-r", "ts-node/register/transpile-only", ...args], { cwd: ROOT, stdio: ["ignore", "ignore", "pipe"] });
        let stderr = "";
        child.stderr.on("data", (d: Buffer) => { stderr += d.toString(); });
        child.on("close", (status) => resolve({ status, stderr }));
    });
}

describe("plan output directory (writeAtomically)", function () {
    this.timeout(180000);

    it("replaces an existing directory whole (no file of the old output survives)", () => {
        const parent = fs.mkdtempSync(path.join(os.tmpdir(), "cbf-swap-"));
        const out = path.join(parent, "out");
        writeAtomically(out, new Map([["a.txt", "1"], ["sub/b.txt", "2"]]));
        writeAtomically(out, new Map([["c.txt", "3"]]));
        assert.deepEqual(listFiles(out), ["c.txt"]);
        assert.deepEqual(fs.readdirSync(parent), ["out"]);
    });

    it("six processes swapping into the same directory 25 times each: no crash, never a mix, nothing left aside", async () => {
        const parent = fs.mkdtempSync(path.join(os.tmpdir(), "cbf-swap-"));
        const out = path.join(parent, "out");
        const writer = (id: number): string => `
            const { writeAtomically } = require(${JSON.stringify(path.join(ROOT, "cli/output.ts"))});
            for (let i = 0; i < 25; i++) {
                const files = new Map();
                for (let f = 0; f < 20; f++) files.set("d" + (f % 4) + "/f" + f + ".txt", "writer ${id} run " + i);
                files.set("writer-${id}.txt", "${id}");
                writeAtomically(${JSON.stringify(out)}, files);
            }`;
        const results = await Promise.all([1, 2, 3, 4, 5, 6].map((id) => node(["-e", writer(id)])));
        for (const r of results) assert.equal(r.status, 0, r.stderr);
        // One writer's complete output, nothing of the others.
        const files = listFiles(out);
        const owners = files.filter((f) => f.startsWith("writer-"));
        assert.equal(owners.length, 1, files.join(", "));
        assert.equal(files.length, 21);
        const id = owners[0].replace(/\D/g, "");
        const contents = new Set(files.filter((f) => f.startsWith("d")).map((f) => fs.readFileSync(path.join(out, f), "utf8").replace(/ run \d+$/, "")));
        assert.deepEqual([...contents], [`writer ${id}`]);
        assert.deepEqual(fs.readdirSync(parent), ["out"], "temporary or moved-aside directories left behind");
    });

    it("two concurrent `npm run plan` processes into the same --out both exit 0 and leave one run's output", async () => {
        const parent = fs.mkdtempSync(path.join(os.tmpdir(), "cbf-swap-plan-"));
        const out = path.join(parent, "dev");
        const runs = await Promise.all([1, 2].map(() => node(["cli/plan.ts", "--stack", "dev", "--out", out])));
        for (const r of runs) assert.equal(r.status, 0, r.stderr.split("\n").slice(-5).join("\n"));
        const ref = path.join(parent, "ref");
        assert.equal(await planCommand(["--stack", "dev", "--out", ref], ROOT, { log: () => undefined, env: {} }), 0);
        const files = listFiles(ref);
        assert.deepEqual(listFiles(out), files);
        for (const f of files) assert.ok(fs.readFileSync(path.join(out, f)).equals(fs.readFileSync(path.join(ref, f))), `${f} differs`);
        assert.deepEqual(fs.readdirSync(parent).sort(), ["dev", "ref"]);
    });
});

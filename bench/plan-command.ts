/**
 * Offline-plan timings: the default stack (target < 3 s) and a generated stack of 500 nodes and
 * 8 routers (target < 10 s), each the whole command in-process, writing to a temp directory.
 */
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { performance } from "perf_hooks";
import { stringify } from "yaml";
import { planCommand } from "../cli/plan";
import { fixtureConfig } from "../components/plan/fixtures";

const ROOT = path.resolve(__dirname, "..");

async function timed(argv: string[], root: string): Promise<{ ms: number; code: number }> {
    const t0 = performance.now();
    const code = await planCommand(argv, root, { log: () => undefined, env: { CBF_BGP_PASSWORD: "bench-password" } });
    return { ms: performance.now() - t0, code };
}

export async function benchPlanCommand(): Promise<boolean> {
    const tmp = fs.mkdtempSync(path.join(os.tmpdir(), "cbf-bench-"));
    const gen = fs.mkdtempSync(path.join(os.tmpdir(), "cbf-gen-"));
    fs.copyFileSync(path.join(ROOT, "Pulumi.yaml"), path.join(gen, "Pulumi.yaml"));
    const raw = fixtureConfig({ family: "ipv4", nodes: 500, topology: "spine-leaf", routers: 8 });
    fs.writeFileSync(path.join(gen, "Pulumi.gen500.yaml"), stringify({
        config: Object.fromEntries(Object.entries(raw).map(([k, v]) => [`cilium-bgp-fabric:${k}`, v])),
    }));
    const dev = await timed(["--stack", "dev", "--out", path.join(tmp, "dev")], ROOT);
    const big = await timed(["--stack", "gen500", "--out", path.join(tmp, "gen500")], gen);
    console.log("");
    console.log("Offline plan (`npm run plan`, whole command in-process, first run includes module loading):");
    console.log(`| stack | ms | target | exit |`);
    console.log(`|---|---:|---:|---:|`);
    console.log(`| dev (default) | ${dev.ms.toFixed(0)} | < 3000 | ${dev.code} |`);
    console.log(`| generated: 500 nodes, 8 routers | ${big.ms.toFixed(0)} | < 10000 | ${big.code} |`);
    fs.rmSync(tmp, { recursive: true, force: true });
    fs.rmSync(gen, { recursive: true, force: true });
    return !(dev.ms < 3000 && big.ms < 10000 && dev.code === 0 && big.code !== 2);
}

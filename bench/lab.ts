/**
 * `npm run bench:lab` (root, frr, gobgpd): BGP convergence in the namespace lab, from the daemons'
 * start to every check passing. Target: ipv6 stack under 10 s with its timers. Median of 3 runs.
 */
import * as path from "path";
import { NetnsEngine } from "../lab/netns";
import { runLab } from "../lab/run";
import { median } from "./stats";

const TARGETS: Record<string, number | undefined> = { ipv6: 10, dev: undefined };
const RUNS = 3;

async function main(): Promise<void> {
    const root = path.resolve(__dirname, "..");
    let failed = false;
    console.log("| stack | runs (s) | median s | target |");
    console.log("|---|---|---:|---|");
    for (const [stack, target] of Object.entries(TARGETS)) {
        const times: number[] = [];
        for (let i = 0; i < RUNS; i++) {
            const report = await runLab({ root, stack, engine: new NetnsEngine(), timeoutSeconds: 60, log: () => undefined });
            if (report.convergenceSeconds === null) throw new Error(`${stack}: did not converge: ${report.problems.join("; ")}`);
            times.push(report.convergenceSeconds);
        }
        const mid = median(times);
        const ok = target === undefined || mid < target;
        failed ||= !ok;
        console.log(`| ${stack} | ${times.join(", ")} | ${mid} | ${target === undefined ? "-" : `< ${target} s: ${ok ? "OK" : "MISSED"}`} |`);
    }
    if (failed) process.exitCode = 1;
}

main().catch((e: unknown) => { console.error(e); process.exitCode = 3; });

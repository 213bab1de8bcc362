/**
 * `npm run bench`: performance targets live here, never in unit tests.
 * Plan building: 10 / 100 / 1000 / 5000 nodes with 16 routers (8 spines, 8 leaves), both families.
 * Target on the 2-core dev machine: 1000 nodes < 50 ms; 5000 nodes < 6x 1000 nodes.
 */
import { performance } from "perf_hooks";
import { loadStack } from "../components/config";
import { fixtureConfig } from "../components/plan/fixtures";
import type { IpFamily } from "../components/config/types";
import { benchPlanCommand } from "./plan-command";
import { median } from "./stats";

function timePlan(family: IpFamily, nodes: number): number {
    const raw = fixtureConfig({ family, nodes, topology: "spine-leaf", routers: 16 });
    loadStack("bench", raw, "pw"); // warm-up (JIT, module loading)
    const runs = nodes >= 5000 ? 9 : 31; // medians over many runs: the machine has 2 cores and other work
    const times: number[] = [];
    for (let i = 0; i < runs; i++) {
        const t0 = performance.now();
        loadStack("bench", raw, "pw");
        times.push(performance.now() - t0);
    }
    return median(times);
}

async function main(): Promise<void> {
    let failed = false;
    console.log("Address plan (validate + allocate), 16 routers, median ms:");
    console.log("| nodes | ipv4 ms | ipv6 ms |");
    console.log("|---:|---:|---:|");
    const at: Record<string, Record<number, number>> = { ipv4: {}, ipv6: {} };
    for (const n of [10, 100, 1000, 5000]) {
        at.ipv4[n] = timePlan("ipv4", n);
        at.ipv6[n] = timePlan("ipv6", n);
        console.log(`| ${n} | ${at.ipv4[n].toFixed(2)} | ${at.ipv6[n].toFixed(2)} |`);
    }
    for (const f of ["ipv4", "ipv6"]) {
        const t1k = at[f][1000];
        const ratio = at[f][5000] / t1k;
        const ok = t1k < 50 && ratio < 6;
        failed ||= !ok;
        console.log(`${f}: 1000 nodes ${t1k.toFixed(1)} ms (target < 50), 5000/1000 = ${ratio.toFixed(2)}x (target < 6x): ${ok ? "OK" : "MISSED"}`);
    }
    failed = (await benchPlanCommand()) || failed;
    if (failed) process.exitCode = 1;
}

void main();

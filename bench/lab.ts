/**
 * `npm run bench:lab` (root, frr, gobgpd, ping): per stack, BGP convergence (daemons' start to
 * every control-plane check passing) and the time until every reachability check passes, each as
 * a ratio to the protocol floor. Median of 3 runs.
 *
 * Protocol floor. Cilium's GoBGP does not listen (port -1), so every session waits for the node
 * to dial out; the routers cannot connect to the nodes. GoBGP's first dial comes after
 * `Intn(m) + m` whole seconds with m = minConnectRetryInterval = 5 (osrg/gobgp pkg/server/fsm.go
 * connectLoop: `tick := minConnectRetryInterval`, `time.Duration(r.Intn(tick)+tick) * time.Second`),
 * i.e. 5..9 s; a dial that fails waits `Intn(c) + c` more, c = max(connectRetryTimeSeconds, 5). The
 * lab's routers listen within a second, before any first dial, so
 *
 *     floor = 2m - 1 = 9 s   (the latest first dial: all sessions can be up only then)
 *
 * plus the OPEN/KEEPALIVE exchange, the End-of-RIB wait that local-restarting (-r) imposes and
 * propagation, all milliseconds here. A ratio near 1 means the lab adds almost nothing to the protocol.
 */
import * as path from "path";
import { NetnsEngine } from "../lab/netns";
import { runLab } from "../lab/run";
import { median } from "./stats";

const STACKS = ["dev", "ipv6"];
const RUNS = 3;
/** GoBGP's minConnectRetryInterval (see above). */
const GOBGP_MIN_CONNECT_RETRY = 5;
export const PROTOCOL_FLOOR_SECONDS = 2 * GOBGP_MIN_CONNECT_RETRY - 1;
/** A run slower than this multiple of the floor means the lab (not the protocol) is slow. */
const MAX_RATIO = 1.5;

async function main(): Promise<void> {
    const root = path.resolve(__dirname, "..");
    let failed = false;
    console.log(`protocol floor: ${PROTOCOL_FLOOR_SECONDS} s (GoBGP's latest first dial: 2 x ${GOBGP_MIN_CONNECT_RETRY} - 1 s; nodes initiate every session)`);
    console.log("| stack | convergence runs (s) | median s | / floor | reachability runs (s) | median s | / floor |");
    console.log("|---|---|---:|---:|---|---:|---:|");
    for (const stack of STACKS) {
        const conv: number[] = [];
        const reach: number[] = [];
        for (let i = 0; i < RUNS; i++) {
            const report = await runLab({ root, stack, engine: new NetnsEngine(), timeoutSeconds: 60, log: () => undefined });
            if (report.convergenceSeconds === null || report.reachabilitySeconds === null) {
                throw new Error(`${stack}: did not converge or reach: ${report.problems.join("; ")}`);
            }
            conv.push(report.convergenceSeconds);
            reach.push(report.reachabilitySeconds);
        }
        const c = median(conv);
        const r = median(reach);
        const ratio = (x: number): string => (x / PROTOCOL_FLOOR_SECONDS).toFixed(2);
        failed ||= r / PROTOCOL_FLOOR_SECONDS > MAX_RATIO;
        console.log(`| ${stack} | ${conv.join(", ")} | ${c} | ${ratio(c)} | ${reach.join(", ")} | ${r} | ${ratio(r)} |`);
    }
    if (failed) {
        console.log(`MISSED: reachability slower than ${MAX_RATIO} x the protocol floor`);
        process.exitCode = 1;
    }
}

if (require.main === module) main().catch((e: unknown) => { console.error(e); process.exitCode = 3; });

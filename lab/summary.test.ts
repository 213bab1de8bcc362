import * as assert from "node:assert/strict";
import type { LabReport } from "./run";
import { summarize } from "./summary";

const report = (stack: string, engine: string, convergenceSeconds: number | null, extra: Partial<LabReport> = {}): LabReport => ({
    stack, engine, family: "ipv6", routers: [], nodes: [], skipped: [], sessions: [], routes: {}, announcements: {},
    convergenceSeconds, reachabilitySeconds: null, reachability: {}, unexercised: [], phases: [{ name: "converge", converged: convergenceSeconds !== null, seconds: convergenceSeconds ?? 60, problems: [] }],
    problems: [], ...extra,
});

describe("lab summary", () => {
    it("puts both engines' convergence side by side, netns first, one row per stack", () => {
        const table = summarize([
            report("ipv6", "docker", 2.4),
            report("ipv6", "netns", 5.6, { phases: [{ name: "converge", converged: true, seconds: 5.6, problems: [] }, { name: "r01 stopped", converged: true, seconds: 0.5, problems: [] }] }),
            report("dev", "netns", null, { problems: ["session x down"] }),
        ]).split("\n");
        assert.equal(table[0], "| stack | netns engine | docker engine |");
        assert.equal(table[2], "| dev | not converged; 1 problems | - |");
        assert.equal(table[3], "| ipv6 | 5.6 s; r01 stopped 0.5 s; 0 problems | 2.4 s; 0 problems |");
    });
});

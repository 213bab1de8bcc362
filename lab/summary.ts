/**
 * `npm run lab:summary [-- <dir>]`: the lab reports in a directory (default out/lab) side by side,
 * one row per stack, one column per engine: convergence seconds and problem count. Written to
 * <dir>/summary.md and printed.
 */
import * as fs from "fs";
import * as path from "path";
import type { LabReport } from "./run";

export function summarize(reports: LabReport[]): string {
    const engines = [...new Set(reports.map((r) => r.engine))].sort((a, b) => (a === "netns" ? -1 : b === "netns" ? 1 : a.localeCompare(b)));
    const stacks = [...new Set(reports.map((r) => r.stack))].sort();
    const cell = (r: LabReport | undefined): string => {
        if (!r) return "-";
        const phases = r.phases.filter((p) => p.name !== "converge" && p.name !== "health checks").map((p) => `${p.name} ${p.seconds} s`);
        const conv = r.convergenceSeconds === null ? "not converged" : `${r.convergenceSeconds} s`;
        return [conv, ...phases, `${r.problems.length} problems`].join("; ");
    };
    const lines = [
        `| stack | ${engines.map((e) => `${e} engine`).join(" | ")} |`,
        `|---|${engines.map(() => "---").join("|")}|`,
        ...stacks.map((s) => `| ${s} | ${engines.map((e) => cell(reports.find((r) => r.stack === s && r.engine === e))).join(" | ")} |`),
    ];
    return `${lines.join("\n")}\n`;
}

export function readReports(dir: string): LabReport[] {
    if (!fs.existsSync(dir)) return [];
    return fs.readdirSync(dir).filter((f) => f.endsWith(".json")).sort()
        .map((f) => JSON.parse(fs.readFileSync(path.join(dir, f), "utf8")) as Partial<LabReport>)
        .filter((r): r is LabReport => typeof r.stack === "string" && typeof r.engine === "string" && Array.isArray(r.phases));
}

if (require.main === module) {
    const dir = process.argv[2] ?? path.join(process.cwd(), "out", "lab");
    const table = summarize(readReports(dir));
    fs.mkdirSync(dir, { recursive: true });
    fs.writeFileSync(path.join(dir, "summary.md"), table);
    process.stdout.write(`Convergence (daemons started -> every check passes), per engine:\n${table}`);
}

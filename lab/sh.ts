/** Running commands for the lab: collected output and exit status, never a shell string. */
import { execFile, spawn } from "child_process";
import * as fs from "fs";
import type { ExecResult } from "./engine";

export function run(argv: string[], o: { input?: string; timeoutMs?: number } = {}): Promise<ExecResult> {
    return new Promise((resolve) => {
        const child = execFile(argv[0], argv.slice(1), { timeout: o.timeoutMs ?? 30_000, maxBuffer: 64 * 1024 * 1024 }, (err, stdout, stderr) => {
            // A number is the exit status; a string (ENOENT...) means it never ran; a timeout kills it.
            const e = err as (Error & { code?: number | string }) | null;
            const code = !e ? 0 : typeof e.code === "number" ? e.code : 127;
            resolve({ code, stdout: String(stdout), stderr: String(stderr) || (e && code === 127 ? e.message : "") });
        });
        if (o.input !== undefined) child.stdin?.end(o.input);
    });
}

/** Runs a command and throws with its output when it fails: for set-up steps that must work. */
export async function must(argv: string[]): Promise<string> {
    const r = await run(argv);
    if (r.code !== 0) throw new Error(`${argv.join(" ")} failed (exit ${r.code}): ${(r.stderr || r.stdout).trim()}`);
    return r.stdout;
}

/** Starts a long-running process detached from ours, output to a log file; returns its pid. */
export function startDetached(argv: string[], logFile: string): number {
    const fd = fs.openSync(logFile, "a");
    const child = spawn(argv[0], argv.slice(1), { detached: true, stdio: ["ignore", fd, fd] });
    fs.closeSync(fd);
    child.unref();
    if (child.pid === undefined) throw new Error(`could not start ${argv.join(" ")}`);
    return child.pid;
}

export const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));

/** Whether a program is on the PATH (or an absolute path that exists). */
export function haveProgram(name: string): boolean {
    if (name.startsWith("/")) return fs.existsSync(name);
    return (process.env.PATH ?? "").split(":").some((d) => d && fs.existsSync(`${d}/${name}`));
}

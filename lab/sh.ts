/** Running commands for the lab: collected output and exit status, never a shell string. */
import { execFile, spawn } from "child_process";
import * as fs from "fs";
import * as path from "path";
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

/** Debian's sbin directories: root's PATH (in CI, under sudo) may lack them. */
export const SBIN_DIRS = ["/usr/sbin", "/usr/bin", "/sbin", "/bin"];

/** The first executable `name` on the PATH, then in `extraDirs`; an absolute name is checked as it is. */
export function findProgram(name: string, extraDirs: string[] = [], env: NodeJS.ProcessEnv = process.env): string | undefined {
    const candidates = name.startsWith("/") ? [name]
        : [...(env.PATH ?? "").split(":").filter(Boolean), ...extraDirs].map((d) => path.join(d, name));
    return candidates.find((p) => {
        try {
            fs.accessSync(p, fs.constants.X_OK);
            return true;
        } catch {
            return false;
        }
    });
}

/** Whether a program is on the PATH (or an absolute path that exists): what execFile can start. */
export const haveProgram = (name: string): boolean => findProgram(name) !== undefined;

/** Whether a process exists (signal 0 only checks). */
export function pidAlive(pid: number): boolean {
    try {
        process.kill(pid, 0);
        return true;
    } catch {
        return false;
    }
}

/** The last lines of a log file, for an error message. */
export function tailFile(file: string, lines = 20): string {
    try {
        return fs.readFileSync(file, "utf8").trimEnd().split("\n").slice(-lines).join("\n");
    } catch {
        return "(no log)";
    }
}

/**
 * A stack's plan as rendered at a git ref, for `npm run plan -- --diff <ref>`: with the ref's own
 * code, in a temporary `git worktree` running the ref's own `npm run plan -- --out <tmp>`, or,
 * when the ref's code is this checkout's (only stack files differ), in-process from the ref's
 * stack files. The worktree is removed on every path out, errors and Ctrl-C included.
 */
import { execFileSync, spawn } from "child_process";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { parse } from "yaml";
import type { PlanTree } from "./plan-diff";

/** The ref names no commit, or the checkout is no git repository: exit status 2. */
export class RefError extends Error {}

/** The stack exists at the ref but does not render there (the ref's plan exits 2 or crashes). */
export class RefRenderError extends Error {}

export interface AtRef {
    /** The commit the ref names. */
    sha: string;
    /** The rendered plan; undefined when the stack file does not exist at the ref (a new stack). */
    tree: PlanTree | undefined;
    /** How it was rendered. */
    how: "in-process" | "worktree" | "absent";
    /** The ref's plain-text bgpPassword from its stack file, if any: for crash-text redaction only. */
    stackFileSecrets: string[];
}

export interface AtRefIo {
    log: (line: string) => void;
    env: NodeJS.ProcessEnv;
}

/** Renders a stack from a project root holding Pulumi.yaml and Pulumi.<stack>.yaml into outDir; resolves to the plan's exit status. */
export type RenderInProcess = (root: string, outDir: string) => Promise<number>;

const STACK_FILES = ":(exclude,glob)Pulumi.*.yaml";
/** A node_modules symlink (a worktree sharing another's) is no ignored directory to git; the lockfile stands for it. */
const NODE_MODULES = ":(exclude)node_modules";

function git(cwd: string, args: string[]): string {
    return execFileSync("git", args, { cwd, encoding: "utf8", stdio: ["ignore", "pipe", "pipe"] });
}
function gitOk(cwd: string, args: string[]): boolean {
    try {
        execFileSync("git", args, { cwd, stdio: "ignore" });
        return true;
    } catch {
        return false;
    }
}
function gitShow(cwd: string, sha: string, file: string): string | undefined {
    try {
        return execFileSync("git", ["show", `${sha}:${file}`], { cwd, encoding: "utf8", stdio: ["ignore", "pipe", "ignore"], maxBuffer: 256 * 1024 * 1024 });
    } catch {
        return undefined;
    }
}

/** Every file under dir, by its path relative to dir with forward slashes. */
export function readPlanTree(dir: string): Map<string, string> {
    const out = new Map<string, string>();
    const entries = fs.readdirSync(dir, { recursive: true, withFileTypes: true }).filter((e) => e.isFile());
    for (const e of entries) {
        const full = path.join(e.parentPath, e.name);
        out.set(path.relative(dir, full).split(path.sep).join("/"), fs.readFileSync(full, "utf8"));
    }
    return out;
}

/** The commit `ref` names in the repository holding root, or a RefError naming it. */
export function resolveRef(root: string, ref: string): string {
    if (!gitOk(root, ["rev-parse", "--is-inside-work-tree"])) throw new RefError(`--diff ${ref}: ${root} is not inside a git repository`);
    // A ref starting with "-" would be read as an option by git.
    if (ref === "" || ref.startsWith("-")) throw new RefError(`--diff ${JSON.stringify(ref)}: not a git ref`);
    try {
        return git(root, ["rev-parse", "--verify", "--quiet", "--end-of-options", `${ref}^{commit}`]).trim();
    } catch {
        throw new RefError(`--diff ${ref}: no such commit, branch or tag in this repository (a shallow clone needs fetch-depth: 0)`);
    }
}

/** True when the ref's tracked files, stack files aside, are exactly this checkout's (nothing modified, nothing untracked). */
export function sameCodeAsRef(root: string, sha: string): boolean {
    if (!gitOk(root, ["diff", "--quiet", sha, "--", ".", STACK_FILES])) return false;
    return git(root, ["ls-files", "--others", "--exclude-standard", "--", ".", STACK_FILES, NODE_MODULES]).trim() === "";
}

/** The plain (unencrypted) bgpPassword a stack file holds, read without the project's code (the ref's may differ). */
function plainPasswords(stackText: string): string[] {
    try {
        const config = (parse(stackText) as { config?: Record<string, unknown> } | null)?.config ?? {};
        const v = config["cilium-bgp-fabric:bgpPassword"];
        return typeof v === "string" && v !== "" ? [v] : [];
    } catch {
        return [];
    }
}

export async function renderAtRef(root: string, ref: string, stack: string, io: AtRefIo, renderInProcess: RenderInProcess,
    extraPlanArgs: string[] = []): Promise<AtRef> {
    const sha = resolveRef(root, ref);
    const prefix = git(root, ["rev-parse", "--show-prefix"]).trim();
    const stackFile = `${prefix}Pulumi.${stack}.yaml`;
    const stackText = gitShow(root, sha, stackFile);
    if (stackText === undefined) {
        io.log(`plan: --diff ${ref}: ${stackFile} does not exist at ${sha.slice(0, 12)}: a new stack`);
        return { sha, tree: undefined, how: "absent", stackFileSecrets: [] };
    }
    const stackFileSecrets = plainPasswords(stackText);
    const tmp = fs.mkdtempSync(path.join(os.tmpdir(), "cbf-plan-diff-"));
    const outDir = path.join(tmp, "out");
    const log = (l: string): void => io.log(`  [${ref}] ${l}`);
    try {
        if (sameCodeAsRef(root, sha)) {
            io.log(`plan: --diff ${ref}: the code at ${sha.slice(0, 12)} is this checkout's; rendering its stack files in-process`);
            const refRoot = path.join(tmp, "root");
            fs.mkdirSync(refRoot);
            const project = gitShow(root, sha, `${prefix}Pulumi.yaml`);
            if (project !== undefined) fs.writeFileSync(path.join(refRoot, "Pulumi.yaml"), project);
            fs.writeFileSync(path.join(refRoot, `Pulumi.${stack}.yaml`), stackText);
            const rc = await renderInProcess(refRoot, outDir);
            if (rc !== 0 && rc !== 1) throw new RefRenderError(`--diff ${ref}: stack ${stack} does not render at ${sha.slice(0, 12)} (its plan exits ${rc}; see the lines above)`);
            return { sha, tree: readPlanTree(outDir), how: "in-process", stackFileSecrets };
        }
        return { sha, tree: await renderInWorktree(root, ref, sha, prefix, stack, tmp, outDir, io, log, extraPlanArgs), how: "worktree", stackFileSecrets };
    } finally {
        fs.rmSync(tmp, { recursive: true, force: true });
    }
}

/** The ref's checkout may use this one's node_modules (a symlink) when both lockfiles are byte-identical; else it installs its own. */
export function canShareNodeModules(root: string, refProjectDir: string): boolean {
    const here = path.join(root, "package-lock.json");
    const there = path.join(refProjectDir, "package-lock.json");
    return fs.existsSync(here) && fs.existsSync(there) && fs.existsSync(path.join(root, "node_modules"))
        && fs.readFileSync(here).equals(fs.readFileSync(there));
}

async function renderInWorktree(root: string, ref: string, sha: string, prefix: string, stack: string, tmp: string, outDir: string,
    io: AtRefIo, log: (l: string) => void, extraPlanArgs: string[]): Promise<PlanTree> {
    const top = git(root, ["rev-parse", "--show-toplevel"]).trim();
    const wt = path.join(tmp, "worktree");
    const remove = (): void => {
        if (!gitOk(top, ["worktree", "remove", "--force", wt])) {
            fs.rmSync(wt, { recursive: true, force: true });
            // Only entries whose directory is gone are pruned: ours, now.
            gitOk(top, ["worktree", "prune"]);
        }
    };
    // Ctrl-C or a kill while the worktree exists: remove it before the process goes.
    const onSignal = (signal: NodeJS.Signals): void => {
        remove();
        fs.rmSync(tmp, { recursive: true, force: true });
        process.kill(process.pid, signal);
    };
    io.log(`plan: --diff ${ref}: the code differs at ${sha.slice(0, 12)}; rendering with its own \`npm run plan\` in a temporary git worktree`);
    git(top, ["worktree", "add", "--detach", "--quiet", wt, sha]);
    process.once("SIGINT", onSignal);
    process.once("SIGTERM", onSignal);
    try {
        const projectDir = path.join(wt, prefix);
        if (canShareNodeModules(root, projectDir)) {
            fs.symlinkSync(path.join(root, "node_modules"), path.join(projectDir, "node_modules"), "dir");
        } else {
            io.log(`plan: --diff ${ref}: its package-lock.json differs from this checkout's: installing its dependencies (npm ci, slow)`);
            const rc = await run("npm", ["ci", "--no-audit", "--no-fund", "--ignore-scripts"], projectDir, io.env, log);
            if (rc !== 0) throw new RefRenderError(`--diff ${ref}: npm ci failed at ${sha.slice(0, 12)} (exit ${rc}; see the lines above)`);
        }
        const rc = await run("npm", ["run", "--silent", "plan", "--", "--stack", stack, "--out", outDir, ...extraPlanArgs], projectDir, io.env, log);
        if (rc !== 0 && rc !== 1) throw new RefRenderError(`--diff ${ref}: stack ${stack} does not render at ${sha.slice(0, 12)} (its npm run plan exits ${rc}; see the lines above)`);
        return readPlanTree(outDir);
    } finally {
        process.removeListener("SIGINT", onSignal);
        process.removeListener("SIGTERM", onSignal);
        remove();
    }
}

/** Runs a command, its output (stdout and stderr) passed line by line to log; resolves to its exit status. */
function run(cmd: string, args: string[], cwd: string, env: NodeJS.ProcessEnv, log: (l: string) => void): Promise<number> {
    return new Promise((resolve, reject) => {
        const child = spawn(cmd, args, { cwd, env, stdio: ["ignore", "pipe", "pipe"] });
        const lines = (buf: { rest: string }) => (d: Buffer): void => {
            const parts = (buf.rest + d.toString()).split("\n");
            buf.rest = parts.pop() ?? "";
            for (const p of parts) log(p);
        };
        const o = { rest: "" };
        const e = { rest: "" };
        child.stdout.on("data", lines(o));
        child.stderr.on("data", lines(e));
        child.on("error", reject);
        child.on("close", (code, signal) => {
            for (const b of [o, e]) if (b.rest) log(b.rest);
            resolve(code ?? (signal ? 128 : 3));
        });
    });
}

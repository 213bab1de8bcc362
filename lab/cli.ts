/**
 * `npm run lab -- --stack <name> [--report <file>] [--engine netns|docker] [--timeout <s>]
 *                 [--stop-router <router>] [--wrong-password <node>]`
 *
 * Builds the stack's fabric from the program's own output and runs real FRR and GoBGP on it
 * (see README, "BGP lab"). Needs root. Exit status: 0 converged and every check passed,
 * 1 a check failed (the problems are printed and in the report), 2 bad usage or missing tools,
 * 3 the lab itself crashed, 4 nothing to run (every router of the stack is VyOS-flavoured).
 * Interrupted runs tear down before they exit.
 */
import { spawnSync } from "child_process";
import * as fs from "fs";
import * as path from "path";
import { HelpRequested, UsageError, parseCommandLine, runAsMain } from "../cli/command";
import { ConfigError } from "../components/config";
import { PROJECT, listStacks, readStackConfig } from "../components/config/stackfile";
import type { LabEngine } from "./engine";
import { NetnsEngine, staleNamespaces } from "./netns";
import { NothingToRun, runLab } from "./run";
import { haveProgram } from "./sh";

const USAGE = "usage: npm run lab -- --stack <name> [--report <file>] [--engine netns|docker] [--timeout <seconds>] [--stop-router <router>] [--wrong-password <node>]";

const HELP = `Runs the stack's routers (real FRR) and nodes (GoBGP speakers) in network namespaces, from the
program's own offline output, and checks sessions, routes and packets. Needs root.

  --stack <name>             the stack (Pulumi.<name>.yaml)
  --report <file>            write the JSON report there
  --engine netns|docker      where routers and nodes run (default: netns)
  --timeout <seconds>        convergence timeout (default: 60)
  --stop-router <router>     after convergence, stop this router, check, restart it
  --wrong-password <node>    give this node a wrong MD5 password (its sessions must stay down)
  -h, --help                 this text

Exit status: 0 passed, 1 a check failed, 2 bad usage or missing tools, 3 crash, 4 nothing to run.`;

interface Args {
    stack: string;
    report?: string;
    engine: "netns" | "docker";
    timeout: number;
    stopRouter?: string;
    wrongPassword?: string;
}

export function parseLabArgs(argv: string[]): Args {
    const a: Args = { stack: "", engine: "netns", timeout: 60 };
    const value = (i: number, flag: string): string => {
        const v = argv[i];
        if (v === undefined || v.startsWith("--")) throw new UsageError(`${flag} needs a value`);
        return v;
    };
    for (let i = 0; i < argv.length; i++) {
        const f = argv[i];
        if (f === "--stack") a.stack = value(++i, f);
        else if (f === "--report") a.report = value(++i, f);
        else if (f === "--engine") {
            const e = value(++i, f);
            if (e !== "netns" && e !== "docker") throw new UsageError(`--engine must be netns or docker, not "${e}"`);
            a.engine = e;
        } else if (f === "--timeout") {
            a.timeout = Number(value(++i, f));
            if (!Number.isFinite(a.timeout) || a.timeout <= 0) throw new UsageError(`--timeout must be a positive number of seconds, not "${argv[i]}"`);
        } else if (f === "--stop-router") a.stopRouter = value(++i, f);
        else if (f === "--wrong-password") a.wrongPassword = value(++i, f);
        else if (f === "--help" || f === "-h") throw new HelpRequested();
        else throw new UsageError(`unknown argument ${f}`);
    }
    if (!a.stack) throw new UsageError("--stack is required");
    return a;
}

/**
 * Names on the command line that the stack does not have (stack, --stop-router, --wrong-password),
 * each with the valid names; checked before anything needs root.
 */
export function unknownNames(root: string, a: Args): string[] {
    const stacks = listStacks(root);
    if (!stacks.includes(a.stack)) return [`unknown stack "${a.stack}" (stacks here: ${stacks.join(", ") || "none"})`];
    const values = readStackConfig(root, a.stack, {}).values;
    const names = (key: string, pick: (v: unknown) => unknown): string[] => {
        try {
            const list = pick(JSON.parse(values[`${PROJECT}:${key}`] ?? "null"));
            return Array.isArray(list) ? list.map((e) => String((e as { name?: unknown }).name)) : [];
        } catch {
            return [];
        }
    };
    const problems: string[] = [];
    const routers = names("routers", (v) => v);
    const nodes = names("cluster", (v) => (v as { nodes?: unknown } | null)?.nodes);
    if (a.stopRouter !== undefined && !routers.includes(a.stopRouter)) problems.push(`--stop-router: stack ${a.stack} has no router "${a.stopRouter}" (routers: ${routers.join(", ")})`);
    if (a.wrongPassword !== undefined && !nodes.includes(a.wrongPassword)) problems.push(`--wrong-password: stack ${a.stack} has no node "${a.wrongPassword}" (nodes: ${nodes.join(", ")})`);
    return problems;
}

/** What this machine lacks for the namespace engine, with the command that fixes it. */
export function missingTools(): string[] {
    const need: [string, string][] = [["ip", "iproute2"], ["/usr/lib/frr/zebra", "frr"], ["/usr/lib/frr/bgpd", "frr"], ["vtysh", "frr"], ["gobgpd", "gobgpd"], ["gobgp", "gobgpd"], ["ping", "iputils-ping"], ["ss", "iproute2"]];
    const missing = [...new Set(need.filter(([p]) => !haveProgram(p)).map(([, pkg]) => pkg))];
    // VyOS routers (lab/vyos): VyOS's templates render with Python's Jinja2, and VyOS's daemons file loads bgpd's rpki module.
    if (spawnSync("python3", ["-c", "import jinja2"]).status !== 0) missing.push("python3-jinja2");
    const rpki = fs.readdirSync("/usr/lib", { withFileTypes: true })
        .some((d) => d.isDirectory() && fs.existsSync(path.join("/usr/lib", d.name, "frr/modules/bgpd_rpki.so")));
    if (!rpki) missing.push("frr-rpki-rtrlib");
    // VyOS routers' VRRP (high-availability vrrp) runs in keepalived, as on VyOS (lab/vyos/keepalived.ts).
    if (!haveProgram("keepalived")) missing.push("keepalived");
    return missing.length ? [`missing: ${missing.join(", ")}. Install with: apt-get install -y --no-install-recommends ${missing.join(" ")}`] : [];
}

async function makeEngine(kind: Args["engine"], log: (m: string) => void): Promise<LabEngine> {
    if (kind === "docker") {
        const { DockerEngine } = await import("./docker/engine");
        return new DockerEngine({ log });
    }
    return new NetnsEngine({ log });
}

export async function labCommand(argv: string[], root = process.cwd(), log = (m: string): void => { process.stderr.write(`${m}\n`); },
    print = (m: string): void => { process.stdout.write(`${m}\n`); }): Promise<number> {
    const args = parseCommandLine(() => parseLabArgs(argv), USAGE, log, HELP, print);
    if (typeof args === "number") return args;
    const unknown = unknownNames(root, args);
    if (unknown.length) { for (const m of unknown) log(`error: ${m}`); return 2; }
    if (process.getuid?.() !== 0) {
        log("error: the lab creates network namespaces and runs routing daemons: run it as root (sudo -E npm run lab -- ...)");
        return 2;
    }
    const missing = args.engine === "netns" ? missingTools() : [];
    if (missing.length) { for (const m of missing) log(`error: ${m}`); return 2; }
    const stale = await staleNamespaces();
    if (stale.length) log(`lab: warning: namespaces left by an earlier run: ${stale.join(", ")} (remove with: ip netns del <name>)`);

    const engine = await makeEngine(args.engine, log);
    // Ctrl-C and kill: tear down first, then leave with the conventional status.
    let stopping = false;
    const onSignal = (sig: NodeJS.Signals): void => {
        if (stopping) return;
        stopping = true;
        log(`lab: ${sig}: tearing down`);
        engine.down().finally(() => process.exit(sig === "SIGINT" ? 130 : 143));
    };
    process.on("SIGINT", onSignal);
    process.on("SIGTERM", onSignal);
    try {
        const report = await runLab({
            root, stack: args.stack, engine, timeoutSeconds: args.timeout, log,
            ...(args.stopRouter ? { stopRouter: args.stopRouter } : {}),
            ...(args.wrongPassword ? { wrongPasswordNode: args.wrongPassword } : {}),
        });
        if (args.report) {
            fs.mkdirSync(path.dirname(path.resolve(args.report)), { recursive: true });
            fs.writeFileSync(args.report, `${JSON.stringify(report, null, 2)}\n`);
            log(`lab: report written to ${args.report}`);
        }
        const up = report.sessions.filter((s) => s.state === "Established").length;
        log(`lab: ${args.stack}: ${up}/${report.sessions.length} sessions Established, convergence ${report.convergenceSeconds ?? "none"} s, ${report.problems.length} problems`);
        return report.problems.length === 0 ? 0 : 1;
    } catch (e) {
        if (e instanceof ConfigError) { log(`error: ${e.message}`); return 2; }
        if (e instanceof NothingToRun) { log(`lab: ${e.message}`); return 4; }
        throw e;
    } finally {
        process.off("SIGINT", onSignal);
        process.off("SIGTERM", onSignal);
    }
}

if (require.main === module) runAsMain("lab", () => labCommand(process.argv.slice(2)));

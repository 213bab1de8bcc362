/**
 * `npm run plan -- --stack <name> [--out <dir>] [--show-secrets] [--policy-config <file>] [--diff <git-ref>]`
 *
 * Runs the real program in-process under Pulumi's mock runtime with the stack's configuration,
 * collects every registered resource, runs the policy pack on them and writes the artifacts.
 * With --diff, also renders the stack at a git ref and prints the review summary (Markdown) on stdout.
 * Exit status: 0 clean, 1 mandatory policy violation, 2 configuration error (or bad usage, or a bad ref).
 */
import * as fs from "fs";
import * as path from "path";
import { ConfigError } from "../components/config";
import { PROJECT, SECRET_KEYS, readStackConfig } from "../components/config/stackfile";
import { HelpRequested, UsageError, parseCommandLine, runAsMain } from "./command";
import { buildPlanArtifacts, type PlanResult } from "./artifacts";
import { runFabricOffline } from "./offline";
import { writeAtomically } from "./output";
import { packConfigProblems, type PackConfig } from "../policy/config";
import { policies } from "../policy/rules";
import { RefError, RefRenderError, renderAtRef, resolveRef } from "./plan-at-ref";
import { code, renderPlanDiff } from "./plan-diff";
import { redactKnownSecrets, registerSecret } from "./secrets";

export { writeAtomically };

interface Args {
    stack: string;
    out?: string;
    showSecrets: boolean;
    /** A `--policy-pack-config` file, laid over the stack's own settings. */
    policyConfig?: string;
    /** A git ref to diff the plan against (`--diff origin/main`). */
    diff?: string;
}

const USAGE = "usage: npm run plan -- --stack <name> [--out <dir>] [--show-secrets] [--policy-config <file>] [--diff <git-ref>]";

const HELP = `Renders every artifact of a stack offline (Pulumi's mock runtime: no Pulumi CLI, cloud, Docker or cluster).

  --stack <name>    the stack: Pulumi.<name>.yaml beside Pulumi.yaml (dev, ipv6, ipv6-vyos, ...)
  --out <dir>       where to write the artifacts (default: out/<stack>/); replaced as a whole
  --show-secrets    write the BGP password into the rendered router configs (default: redacted)
  --policy-config <file>
                    a policy pack config (JSON, as pulumi's --policy-pack-config) over the stack's own
  --diff <git-ref>  also render the stack at that commit (with its own code, in a temporary git
                    worktree; in-process when only stack files differ) and print a review summary as
                    Markdown on stdout: allocations added, removed and moved (moved ones flagged ⚠️:
                    they renumber live systems), BGP sessions, router config diffs, Kubernetes
                    objects, policy results. A stack missing at the ref is a new stack. Not with
                    --show-secrets.
  -h, --help        this text

Secrets: CBF_BGP_PASSWORD and CBF_KUBECONFIG supply bgpPassword and kubeconfig; unset or
encrypted ones are replaced by a placeholder (a notice says so).
Exit status: 0 clean, 1 mandatory policy violation, 2 configuration error, bad usage, or a ref
that names no commit or where the stack does not render.`;

function usage(msg: string): never {
    throw new UsageError(msg);
}

function parseArgs(argv: string[]): Args {
    const a: Args = { stack: "", showSecrets: false };
    for (let i = 0; i < argv.length; i++) {
        const v = argv[i];
        if (v === "--stack") a.stack = argv[++i] ?? usage("--stack needs a value");
        else if (v === "--out") a.out = argv[++i] ?? usage("--out needs a value");
        else if (v === "--show-secrets") a.showSecrets = true;
        else if (v === "--policy-config") a.policyConfig = argv[++i] ?? usage("--policy-config needs a value");
        else if (v === "--diff") a.diff = argv[++i] ?? usage("--diff needs a git ref");
        else if (v === "--help" || v === "-h") throw new HelpRequested();
        else usage(`unknown argument ${v}`);
    }
    if (!a.stack) usage("--stack is required");
    // The summary is for a pull request comment: it must never carry the password.
    if (a.diff !== undefined && a.showSecrets) usage("--diff prints a summary for review: it cannot be combined with --show-secrets");
    return a;
}

/** A `--policy-pack-config` file as the CLI takes it, or what is wrong with it. */
export function readPackConfig(file: string): PackConfig | string {
    let text: string;
    try {
        text = fs.readFileSync(file, "utf8");
    } catch (e) {
        return `cannot read it (${(e as NodeJS.ErrnoException).code ?? (e as Error).message})`;
    }
    let parsed: unknown;
    try {
        parsed = JSON.parse(text);
    } catch (e) {
        return `not JSON: ${(e as Error).message}`;
    }
    const problems = packConfigProblems(parsed, policies.map((p) => p.name));
    return problems.length > 0 ? problems.join("; ") : (parsed as PackConfig);
}

/** Where the command reports progress and reads secrets from; tests and the benchmark pass their own. */
export interface PlanIo {
    log: (line: string) => void;
    env: NodeJS.ProcessEnv;
    /** Where --help goes (stdout by default). */
    print?: (line: string) => void;
}

const processIo: PlanIo = { log: (m) => { process.stderr.write(`${m}\n`); }, env: process.env };

export async function planCommand(argv: string[], root = process.cwd(), io: PlanIo = processIo): Promise<number> {
    const { log, env } = io;
    const args = parseCommandLine(() => parseArgs(argv), USAGE, log, HELP, io.print);
    if (typeof args === "number") return args;
    let stackConfig;
    try {
        stackConfig = readStackConfig(root, args.stack, env);
    } catch (e) {
        log(`error: ${(e as Error).message}`);
        return 2;
    }
    let policyConfig: PackConfig | undefined;
    if (args.policyConfig !== undefined) {
        const read = readPackConfig(path.resolve(root, args.policyConfig));
        if (typeof read === "string") { log(`error: --policy-config ${args.policyConfig}: ${read}`); return 2; }
        policyConfig = read;
    }
    // A bad ref is found before anything renders.
    if (args.diff !== undefined) {
        try {
            resolveRef(root, args.diff);
        } catch (e) {
            if (!(e instanceof RefError)) throw e;
            log(`error: ${e.message}`);
            return 2;
        }
    }
    log(`plan: stack ${args.stack} (config from Pulumi.yaml + Pulumi.${args.stack}.yaml)`);
    for (const key of stackConfig.undecryptable) {
        const name = key.replace(`${PROJECT}:`, "") as keyof typeof SECRET_KEYS;
        log(`plan: ${key} is encrypted and cannot be decrypted offline; using a placeholder (set ${SECRET_KEYS[name] ?? "its environment variable"} to supply it)`);
    }
    let result: PlanResult;
    try {
        log("plan: running the program under the Pulumi mock runtime");
        const run = await runFabricOffline(args.stack, stackConfig, env);
        if (run.secretSources.bgpPassword === "placeholder (not set)" && run.config.bgp.authentication) {
            log(`plan: notice: bgpPassword is not set: the router configs use a placeholder password (set it with pulumi config set --secret bgpPassword, or ${SECRET_KEYS.bgpPassword})`);
        }
        log(`plan: ${run.resources.length} resources registered; running the policy pack`);
        result = await buildPlanArtifacts(args.stack, run, { showSecrets: args.showSecrets, ...(policyConfig ? { policyConfig } : {}) });
    } catch (e) {
        if (e instanceof ConfigError) {
            log(`error: ${e.message}`);
            return 2;
        }
        throw e;
    }
    const outDir = args.out ?? path.join(root, "out", args.stack);
    writeAtomically(outDir, result.files);
    log("");
    log(`resources by type:`);
    for (const [type, n] of Object.entries(result.resourceCounts)) log(`  ${String(n).padStart(3)}  ${type}`);
    log(`artifacts: ${result.files.size} files in ${path.relative(root, outDir) || outDir}`);
    for (const [k, v] of Object.entries(result.endpoints)) log(`  ${k}: ${v}`);
    const mandatory = result.violations.filter((v) => v.enforcementLevel === "mandatory");
    const advisory = result.violations.filter((v) => v.enforcementLevel === "advisory");
    for (const v of result.violations) log(`  [${v.enforcementLevel}] ${v.policyName}: ${v.resource}: ${v.message}`);
    log(`policy: ${result.policies.length} policies checked, ${mandatory.length} mandatory and ${advisory.length} advisory violations`);
    const status = mandatory.length > 0 ? 1 : 0;
    if (args.diff === undefined) return status;
    const diffStatus = await printDiff(args.stack, args.diff, root, io, result.files, args.policyConfig === undefined ? undefined : path.resolve(root, args.policyConfig));
    return diffStatus ?? status;
}

/** `--diff <ref>`: renders the stack at the ref and prints the summary; an exit status when that fails. */
async function printDiff(stack: string, ref: string, root: string, io: PlanIo, now: Map<string, string>, policyConfig: string | undefined): Promise<number | undefined> {
    const { log, env } = io;
    const policyArgs = policyConfig === undefined ? [] : ["--policy-config", policyConfig];
    log("");
    let before;
    try {
        before = await renderAtRef(root, ref, stack, { log, env },
            (refRoot, outDir) => planCommand(["--stack", stack, "--out", outDir, ...policyArgs], refRoot, { log: (l) => log(`  [${ref}] ${l}`), env }),
            policyArgs);
    } catch (e) {
        if (!(e instanceof RefError || e instanceof RefRenderError)) throw e;
        log(`error: ${e.message}`);
        return 2;
    }
    const markdown = renderPlanDiff(stack, { label: `${code(ref)} (${before.sha.slice(0, 12)})`, tree: before.tree }, { label: "this checkout", tree: now });
    // Both trees are redacted where each plan placed the password; this is the net for a ref whose
    // own code did not (a password in clear in its stack file, say).
    for (const s of before.stackFileSecrets) registerSecret(s);
    const safe = redactKnownSecrets(markdown);
    if (safe !== markdown) log(`plan: warning: the rendering at ${ref} contained a secret in clear; it is redacted in the summary`);
    (io.print ?? ((m: string) => { process.stdout.write(`${m}\n`); }))(safe.replace(/\n$/, ""));
    log(`plan: diff against ${ref} (${before.sha.slice(0, 12)}, ${before.how}) printed`);
    return undefined;
}

if (require.main === module) runAsMain("plan", () => planCommand(process.argv.slice(2)));

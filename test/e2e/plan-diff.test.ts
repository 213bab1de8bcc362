/**
 * `npm run plan -- --stack X --diff <ref>`: the pure summary (cli/plan-diff.ts) on hand-built plan
 * trees, then the command on a temporary git repository holding a copy of the project (a stack
 * committed, changed, diffed; the ref's own code run in a temporary worktree).
 */
import { strict as assert } from "assert";
import { execFileSync } from "child_process";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { stringify } from "yaml";
import { code, diffAllocations, renderPlanDiff, type PlanTree } from "../../cli/plan-diff";
import { planCommand } from "../../cli/plan";
import { canShareNodeModules } from "../../cli/plan-at-ref";

const ROOT = path.resolve(__dirname, "../..");

// ---------------------------------------------------------------------------------------------
// Hand-built plan trees: the shape `npm run plan` writes, cut down to what the summary reads.

interface NodeFx { name: string; address: string; podCidr: string }
interface Fixture {
    loopbacks?: string;
    nodes?: NodeFx[];
    violations?: { policyName: string; enforcementLevel: string; resource: string; message: string }[];
    frr?: string;
    holdTime?: number;
    extraObject?: boolean;
}

const NODES: NodeFx[] = [
    { name: "cp-1", address: "10.0.1.33", podCidr: "10.1.1.0/24" },
    { name: "worker-2", address: "10.0.1.34", podCidr: "10.1.2.0/24" },
];
const FRR = "frr defaults traditional\nhostname leaf1\n!\nrouter bgp 65011\n neighbor NODES password [secret]\n neighbor 10.0.1.33 peer-group NODES\n neighbor 10.0.1.34 peer-group NODES\n maximum-paths 4\nexit\n";

function fixture(f: Fixture = {}): Map<string, string> {
    const loopbacks = f.loopbacks ?? "10.0.255.0/24";
    const lo = loopbacks.replace(/\.0\/24$/, ".11");
    const nodes = f.nodes ?? NODES;
    const plan = {
        stack: "fx", ipFamily: "ipv4", ciliumVersion: "1.18.12",
        secrets: { bgpPassword: "stack file", kubeconfig: "placeholder (not set)" },
        resources: [{ type: "docker:index/container:Container", name: "router-leaf1", parent: null }],
        addressPlan: {
            allocations: [
                { prefix: "10.0.0.0/8", role: "aggregate", use: "Assigned aggregate", source: "addressPlan.aggregate" },
                { prefix: loopbacks, role: "loopbacks", use: "Router loopbacks", source: "addressPlan.loopbacks" },
                { prefix: `${lo}/32`, role: "loopback", use: "leaf1 loopback", source: "addressPlan.loopbacks" },
            ],
            nodes: nodes.map((n) => ({ name: n.name, address: n.address, prefixLength: 24, podCidr: n.podCidr, routerId: n.address })),
            routers: [{ name: "leaf1", loopback: lo, routerId: lo, interfaces: [{ network: "nodes-rack1", address: "10.0.1.11", prefixLength: 24 }] }],
            nodeSessions: nodes.map((n) => ({ node: n.name, router: "leaf1", nodeAddress: n.address, routerAddress: "10.0.1.11", nodeAsn: 65011, routerAsn: 65011, type: "ibgp", routeReflectorClient: true, family: "ipv4" })),
            routerSessions: [],
        },
        policy: { config: {}, policies: ["bgp-timers-valid", "bgp-auth-secret"], violations: f.violations ?? [] },
    };
    const peer = { apiVersion: "cilium.io/v2", kind: "CiliumBGPPeerConfig", metadata: { name: "cilium-peer" }, spec: { timers: { holdTimeSeconds: f.holdTime ?? 9, keepAliveTimeSeconds: 3 } } };
    const files = new Map<string, string>([
        ["plan.json", `${JSON.stringify(plan, null, 2)}\n`],
        ["routers/leaf1/frr.conf", f.frr ?? FRR],
        ["manifests/cilium.io_ciliumbgppeerconfig_cilium-peer.yaml", stringify(peer)],
        ["manifests/core_secret_kube-system_bgp-auth-secret.yaml", stringify({ apiVersion: "v1", kind: "Secret", metadata: { name: "bgp-auth-secret", namespace: "kube-system" }, stringData: { password: "[secret]" } })],
        ["address-plan.md", `# fx\n${loopbacks}\n`],
    ]);
    if (f.extraObject) files.set("manifests/core_namespace_smoke.yaml", stringify({ apiVersion: "v1", kind: "Namespace", metadata: { name: "smoke" } }));
    return files;
}

const diff = (before: PlanTree | undefined, after: PlanTree | undefined): string =>
    renderPlanDiff("fx", { label: "`main` (abc)", tree: before }, { label: "this checkout", tree: after });

describe("plan diff summary (cli/plan-diff.ts, hand-built trees)", () => {
    it("flags a moved allocation loudly, at the top, before any section", () => {
        const md = diff(fixture(), fixture({ loopbacks: "10.0.254.0/24" }));
        const top = md.slice(0, md.indexOf("##### Allocations"));
        assert.match(top, /⚠️ \*\*4 allocations moved: they renumber live systems\*\*/);
        assert.ok(top.includes("- ⚠️ loopbacks `Router loopbacks`: `10.0.255.0/24` → `10.0.254.0/24`"), top);
        assert.ok(top.includes("- ⚠️ loopback `leaf1 loopback`: `10.0.255.11/32` → `10.0.254.11/32`"), top);
        assert.ok(top.includes("- ⚠️ router loopback `leaf1`: `10.0.255.11` → `10.0.254.11`"), top);
        assert.ok(top.includes("- ⚠️ router ID `leaf1`: `10.0.255.11` → `10.0.254.11`"), top);
        assert.ok(md.includes("| ⚠️ moved | loopbacks | Router loopbacks | 10.0.255.0/24 | 10.0.254.0/24 |"), md);
        assert.ok(md.includes("0 added, 0 removed, 4 moved,"), md);
        assert.ok(md.includes("Also changed: `address-plan.md` (changed)."), md);
    });

    it("does not flag a change that only adds (a new node): its allocations and session are listed as added", () => {
        const md = diff(fixture(), fixture({ nodes: [...NODES, { name: "worker-3", address: "10.0.1.35", podCidr: "10.1.3.0/24" }] }));
        assert.ok(!md.includes("⚠️"), md);
        assert.ok(!md.includes("moved:"), md);
        assert.ok(md.includes("3 added, 0 removed, 0 moved,"), md);
        assert.ok(md.includes("| added | node address | worker-3 | | 10.0.1.35/24 |"), md);
        assert.ok(md.includes("| added | node pod CIDR | worker-3 | | 10.1.3.0/24 |"), md);
        assert.ok(md.includes("- added: node worker-3 10.0.1.35 AS65011 ↔ leaf1 10.0.1.11 AS65011 (ibgp, ipv4, route-reflector client)"), md);
        assert.ok(md.includes("1 added, 0 removed, 2 unchanged."), md);
    });

    it("a node that moves to another address is flagged, and its session is removed and added", () => {
        const md = diff(fixture(), fixture({ nodes: [NODES[0], { ...NODES[1], address: "10.0.1.40" }] }));
        assert.ok(md.includes("- ⚠️ node address `worker-2`: `10.0.1.34/24` → `10.0.1.40/24`"), md);
        assert.ok(md.includes("- removed: node worker-2 10.0.1.34 AS65011"), md);
        assert.ok(md.includes("- added: node worker-2 10.0.1.40 AS65011"), md);
    });

    it("shows each router config's unified diff", () => {
        const after = FRR.replace(" maximum-paths 4\n", " maximum-paths 5\n");
        const md = diff(fixture(), fixture({ frr: after }));
        // Line 8 changes: 3 lines of context before it, the file's last line after it.
        const expected = [
            "<details><summary>`routers/leaf1/frr.conf` changed (+1 −1)</summary>",
            "",
            "```diff",
            "--- a/routers/leaf1/frr.conf",
            "+++ b/routers/leaf1/frr.conf",
            "@@ -5,5 +5,5 @@",
            "  neighbor NODES password [secret]",
            "  neighbor 10.0.1.33 peer-group NODES",
            "  neighbor 10.0.1.34 peer-group NODES",
            "- maximum-paths 4",
            "+ maximum-paths 5",
            " exit",
            "```",
            "",
            "</details>",
        ].join("\n");
        assert.ok(md.includes(expected), md);
        assert.ok(diff(fixture(), fixture()).includes("No router configuration changed."));
    });

    it("cuts a long router diff and says so", () => {
        const long = Array.from({ length: 50 }, (_, i) => `line ${i}`).join("\n");
        const md = renderPlanDiff("fx", { label: "a", tree: fixture() }, { label: "b", tree: fixture({ frr: long }) }, { maxDiffLines: 10 });
        assert.ok(md.includes("# … "), md);
        assert.match(md, /# … \d+ more lines \(the whole file is in the plan output\)/);
    });

    it("shows Kubernetes objects added, changed (with the changed fields) and removed, by apiVersion/kind/namespace/name", () => {
        const md = diff(fixture(), fixture({ holdTime: 15, extraObject: true }));
        assert.ok(md.includes("1 added, 1 changed, 0 removed, 1 unchanged."), md);
        assert.ok(md.includes("- added: `v1/Namespace/smoke`"), md);
        assert.ok(md.includes("- changed: `cilium.io/v2/CiliumBGPPeerConfig/cilium-peer`\n  - `spec.timers.holdTimeSeconds`: `9` → `15`"), md);
        assert.ok(!md.includes("keepAliveTimeSeconds"), "unchanged fields are not listed");
        const back = diff(fixture({ extraObject: true }), fixture());
        assert.ok(back.includes("- removed: `v1/Namespace/smoke`"), back);
    });

    it("policy results before and after: counts by enforcement level, new and resolved violations", () => {
        const v = { policyName: "bgp-timers-valid", enforcementLevel: "mandatory", resource: "cilium-peer", message: "keepalive 3 > hold 2" };
        const a = { policyName: "bgp-auth-secret", enforcementLevel: "advisory", resource: "stack", message: "no password" };
        const md = diff(fixture({ violations: [a] }), fixture({ violations: [v] }));
        assert.ok(md.includes("| advisory | 1 | 0 |\n| mandatory | 0 | 1 |\n| policies checked | 2 | 2 |"), md);
        assert.ok(md.includes("- ❌ new: [mandatory] bgp-timers-valid: cilium-peer: keepalive 3 > hold 2"), md);
        assert.ok(md.includes("- resolved: [advisory] bgp-auth-secret: stack: no password"), md);
        assert.ok(diff(fixture(), fixture()).includes("No new or resolved violation."));
    });

    it("a stack missing at the ref is a new stack: everything added, nothing flagged", () => {
        const md = diff(undefined, fixture());
        assert.ok(md.includes("**New stack**: `fx` does not exist at `main` (abc); everything below is added."), md);
        assert.ok(!md.includes("⚠️"), md);
        assert.ok(md.includes("| added | loopbacks | Router loopbacks | | 10.0.255.0/24 |"), md);
        assert.ok(md.includes("`routers/leaf1/frr.conf` added"), md);
        assert.ok(md.includes("--- /dev/null\n+++ b/routers/leaf1/frr.conf\n@@ -0,0 +1,9 @@\n+frr defaults traditional"), md);
        assert.ok(md.includes("| mandatory | – | 0 |"), md);
    });

    it("no change: every section says so", () => {
        const md = diff(fixture(), fixture());
        for (const line of ["No allocation added, removed or moved (12 unchanged).", "No session added or removed (2 unchanged).", "No object added, changed or removed (2 unchanged)."]) assert.ok(md.includes(line), md);
    });

    it("is deterministic: the same trees in any insertion order give the same bytes", () => {
        const a = fixture();
        const b = fixture({ loopbacks: "10.0.254.0/24", holdTime: 15, extraObject: true });
        const reversed = (t: Map<string, string>): Map<string, string> => new Map([...t].reverse());
        assert.equal(diff(reversed(a), reversed(b)), diff(a, b));
    });

    it("several allocations of one role and name: equal values pair first, the rest pair as moves, the surplus is added", () => {
        const agg = (value: string) => ({ role: "aggregate", name: "Assigned aggregate", value });
        const c = diffAllocations([agg("10.0.0.0/8"), agg("172.16.0.0/12")], [agg("172.16.0.0/12"), agg("192.168.0.0/16"), agg("100.64.0.0/10")]);
        assert.equal(c.unchanged, 1);
        assert.deepEqual(c.moved, [{ role: "aggregate", name: "Assigned aggregate", from: "10.0.0.0/8", to: "100.64.0.0/10" }]);
        assert.deepEqual(c.added, [agg("192.168.0.0/16")]);
        assert.deepEqual(c.removed, []);
    });

    it("inline code survives backticks in names", () => {
        assert.equal(code("a`b"), "``a`b``");
        assert.equal(code("`x"), "`` `x ``");
    });
});

// ---------------------------------------------------------------------------------------------
// The command on a temporary git repository.

const git = (cwd: string, ...args: string[]): string =>
    execFileSync("git", ["-c", "user.name=t", "-c", "user.email=t@example.invalid", "-c", "commit.gpgsign=false", ...args], { cwd, encoding: "utf8", stdio: ["ignore", "pipe", "pipe"] });

/** A git repository holding this checkout's tracked files (as they are now), node_modules shared by symlink, committed. */
function projectRepo(): string {
    const repo = fs.mkdtempSync(path.join(os.tmpdir(), "cbf-diff-repo-"));
    const files = execFileSync("git", ["ls-files", "-z"], { cwd: ROOT, encoding: "utf8" }).split("\0").filter((f) => f && fs.existsSync(path.join(ROOT, f)));
    for (const f of files) {
        fs.mkdirSync(path.dirname(path.join(repo, f)), { recursive: true });
        fs.copyFileSync(path.join(ROOT, f), path.join(repo, f));
    }
    fs.symlinkSync(path.join(ROOT, "node_modules"), path.join(repo, "node_modules"), "dir");
    git(repo, "init", "-q", "-b", "main");
    git(repo, "add", "-A", ".", ":(exclude)node_modules");
    git(repo, "commit", "-q", "-m", "base");
    return repo;
}

const edit = (file: string, from: string, to: string): void => {
    const text = fs.readFileSync(file, "utf8");
    assert.ok(text.includes(from), `${file} has ${JSON.stringify(from)}`);
    fs.writeFileSync(file, text.replace(from, to));
};

/** The environment without a BGP password from outside: the stacks' own (plain) passwords are used. */
function envWithoutPassword(): NodeJS.ProcessEnv {
    const env = { ...process.env };
    delete env.CBF_BGP_PASSWORD;
    delete env.CBF_KUBECONFIG;
    return env;
}

async function runDiff(repo: string, ref: string, stack = "dev", out = path.join(repo, "out", stack)): Promise<{ status: number; md: string; log: string[] }> {
    const log: string[] = [];
    const printed: string[] = [];
    const status = await planCommand(["--stack", stack, "--diff", ref, "--out", out], repo,
        { log: (l) => log.push(l), env: envWithoutPassword(), print: (m) => printed.push(m) });
    return { status, md: printed.join("\n"), log };
}

const leftovers = (): string[] => fs.readdirSync(os.tmpdir()).filter((f) => f.startsWith("cbf-plan-diff-"));

describe("npm run plan -- --diff <git-ref> (temporary git repository)", function () {
    this.timeout(240000);
    let repo: string;
    before(() => { repo = projectRepo(); });
    after(() => { fs.rmSync(repo, { recursive: true, force: true }); });

    it("a stack change only (same code): rendered in-process; a moved loopback block is flagged, the command exits 0", async () => {
        edit(path.join(repo, "Pulumi.dev.yaml"), "    loopbacks: 10.0.255.0/24", "    loopbacks: 10.0.254.0/24");
        try {
            const r = await runDiff(repo, "main");
            assert.equal(r.status, 0, r.log.join("\n"));
            assert.ok(r.log.some((l) => l.includes("is this checkout's; rendering its stack files in-process")), r.log.join("\n"));
            const sha = git(repo, "rev-parse", "main").trim().slice(0, 12);
            assert.ok(r.md.startsWith(`#### Plan diff: \`dev\`, \`main\` (${sha}) → this checkout\n\n⚠️ **`), r.md.slice(0, 300));
            assert.ok(r.md.includes("- ⚠️ loopbacks `Router loopbacks`: `10.0.255.0/24` → `10.0.254.0/24`"), r.md);
            assert.ok(r.md.includes("- ⚠️ router loopback `spine1`: `10.0.255.1` → `10.0.254.1`"), r.md);
            assert.match(r.md, /^- ip address 10\.0\.255\.11\/32\n\+ ip address 10\.0\.254\.11\/32$/m);
            // The same inputs give the same bytes.
            assert.equal((await runDiff(repo, "main")).md, r.md);
        } finally {
            git(repo, "checkout", "-q", "--", "Pulumi.dev.yaml");
        }
    });

    it("a stack that does not exist at the ref is a new stack, not a crash", async () => {
        fs.copyFileSync(path.join(repo, "Pulumi.dev.yaml"), path.join(repo, "Pulumi.fresh.yaml"));
        try {
            const r = await runDiff(repo, "main", "fresh");
            assert.equal(r.status, 0, r.log.join("\n"));
            assert.ok(r.md.includes("**New stack**: `fresh` does not exist at `main`"), r.md);
            assert.ok(!r.md.includes("⚠️"), r.md);
            assert.ok(r.md.includes("`routers/spine1/frr.conf` added"), r.md);
        } finally {
            fs.rmSync(path.join(repo, "Pulumi.fresh.yaml"));
        }
    });

    it("a bad ref exits 2 naming it, before anything renders", async () => {
        const out = path.join(repo, "out", "bad-ref");
        const r = await runDiff(repo, "no-such-branch", "dev", out);
        assert.equal(r.status, 2);
        assert.equal(r.md, "");
        assert.ok(r.log.some((l) => l === "error: --diff no-such-branch: no such commit, branch or tag in this repository (a shallow clone needs fetch-depth: 0)"), r.log.join("\n"));
        assert.ok(!fs.existsSync(out), "nothing rendered");
        assert.equal((await runDiff(repo, "--help")).status, 2);
    });

    it("--diff with --show-secrets is refused", async () => {
        const log: string[] = [];
        assert.equal(await planCommand(["--stack", "dev", "--diff", "main", "--show-secrets"], repo, { log: (l) => log.push(l), env: {} }), 2);
        assert.ok(log.includes("error: --diff prints a summary for review: it cannot be combined with --show-secrets"), log.join("\n"));
    });

    it("a ref where the stack does not render (its code differs): exit 2 naming the ref, the worktree removed", async () => {
        const stackFile = path.join(repo, "Pulumi.dev.yaml");
        const original = fs.readFileSync(stackFile, "utf8");
        const cliFile = path.join(repo, "cli/plan.ts");
        const cliText = fs.readFileSync(cliFile, "utf8");
        fs.writeFileSync(cliFile, `// the code at the ref\n${cliText}`);
        edit(stackFile, "    loopbacks: 10.0.255.0/24", "    loopbacks: 10.0.255.0/33");
        git(repo, "commit", "-q", "-am", "broken stack");
        const tag = git(repo, "rev-parse", "HEAD").trim();
        fs.writeFileSync(cliFile, cliText);
        fs.writeFileSync(stackFile, original);
        git(repo, "commit", "-q", "-am", "fixed");
        const before = leftovers();
        const r = await runDiff(repo, tag);
        assert.equal(r.status, 2, r.log.join("\n"));
        assert.equal(r.md, "");
        assert.ok(r.log.some((l) => l.includes("temporary git worktree")), r.log.join("\n"));
        assert.ok(r.log.some((l) => l.startsWith(`  [${tag}] `) && l.includes(`addressPlan.loopbacks = "10.0.255.0/33": is not valid CIDR notation`)), r.log.join("\n"));
        assert.ok(r.log.includes(`error: --diff ${tag}: stack dev does not render at ${tag.slice(0, 12)} (its npm run plan exits 2; see the lines above)`), r.log.join("\n"));
        assert.equal(git(repo, "worktree", "list").trim().split("\n").length, 1, "the temporary worktree is removed");
        assert.deepEqual(leftovers(), before);
    });

    it("node_modules is shared with the ref's checkout only when both lockfiles are byte-identical", () => {
        const dir = fs.mkdtempSync(path.join(os.tmpdir(), "cbf-lock-"));
        const here = path.join(dir, "here");
        const there = path.join(dir, "there");
        for (const d of [here, there]) fs.mkdirSync(d);
        fs.mkdirSync(path.join(here, "node_modules"));
        fs.writeFileSync(path.join(here, "package-lock.json"), "{\"lockfileVersion\": 3}\n");
        fs.writeFileSync(path.join(there, "package-lock.json"), "{\"lockfileVersion\": 3}\n");
        assert.equal(canShareNodeModules(here, there), true);
        fs.writeFileSync(path.join(there, "package-lock.json"), "{\"lockfileVersion\": 3 }\n");
        assert.equal(canShareNodeModules(here, there), false);
        fs.rmSync(path.join(there, "package-lock.json"));
        assert.equal(canShareNodeModules(here, there), false);
        fs.rmSync(dir, { recursive: true, force: true });
    });

    it("different code at the ref: its own npm run plan in a temporary worktree (removed after), no password printed even where the ref's code leaks it", async () => {
        const refSecret = "Ref-Secret-77x";
        const nowSecret = "Now-Secret-88y";
        const stackFile = path.join(repo, "Pulumi.dev.yaml");
        const original = fs.readFileSync(stackFile, "utf8");
        const frr = path.join(repo, "components/routers/frr.ts");
        const artifacts = path.join(repo, "cli/artifacts.ts");
        const frrText = fs.readFileSync(frr, "utf8");
        const artifactsText = fs.readFileSync(artifacts, "utf8");
        // The ref: a renderer line this checkout does not have, and a plan that writes the password in clear.
        edit(frr, "`frr defaults ${i.frrDefaults ?? \"traditional\"}`,", "`frr defaults ${i.frrDefaults ?? \"traditional\"}`,\n        \"! rendered by the code at the ref\",");
        edit(artifacts, "const shown = o.showSecrets || !planned ? uploads :", "const shown = true ? uploads :");
        fs.writeFileSync(stackFile, original.replace("config:\n", `config:\n  cilium-bgp-fabric:bgpPassword: ${refSecret}\n`));
        git(repo, "commit", "-q", "-am", "old code");
        // This checkout: the project's code, another password.
        fs.writeFileSync(frr, frrText);
        fs.writeFileSync(artifacts, artifactsText);
        fs.writeFileSync(stackFile, original.replace("config:\n", `config:\n  cilium-bgp-fabric:bgpPassword: ${nowSecret}\n`));
        const before = leftovers();
        const r = await runDiff(repo, "HEAD");
        assert.equal(r.status, 0, r.log.join("\n"));
        assert.ok(r.log.some((l) => l.includes("the code differs at") && l.includes("temporary git worktree")), r.log.join("\n"));
        // The ref's own code ran: its extra line is removed in every FRR router's diff.
        assert.match(r.md, /^-! rendered by the code at the ref$/m);
        assert.ok(r.md.includes("`routers/spine1/frr.conf` changed"), r.md);
        assert.ok(r.log.some((l) => l.includes("warning: the rendering at HEAD contained a secret in clear")), r.log.join("\n"));
        for (const s of [refSecret, nowSecret]) {
            assert.ok(!r.md.includes(s), `${s} in the summary`);
            assert.ok(!r.log.some((l) => l.includes(s)), `${s} in the log`);
        }
        assert.ok(r.md.includes("password [secret]"), r.md);
        assert.equal(git(repo, "worktree", "list").trim().split("\n").length, 1, "the temporary worktree is removed");
        assert.deepEqual(leftovers(), before);
    });
});

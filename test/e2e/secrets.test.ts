/**
 * Issue 14, classes 2, 3 and 7 through the real `npm run plan` entry point (planCommand):
 * secrets never in a message or artifact unless --show-secrets (and then parsed back intact),
 * redaction only where secrets are placed, and the policy pack run with the stack's settings.
 */
import { strict as assert } from "assert";
import { spawnSync } from "child_process";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import fc from "fast-check";
import { parse as parseToml } from "smol-toml";
import { parse as parseYaml } from "yaml";
import { parseFrrConfig, parseVyosConfig } from "../../components/bgp/agreement";
import { frrPasswordProblem } from "../../components/routers/password";
import { crashText, redactKnownSecrets, registerSecret } from "../../cli/secrets";
import { redactSecretPaths, toPolicyResources } from "../../cli/artifacts";
import { readStackConfig } from "../../components/config/stackfile";
import { runFabricOffline } from "../../cli/offline";
import { planCommand } from "../../cli/plan";
import { runPolicies } from "../../policy/run";
import { renderGobgpdConfig, tomlString, type SpeakerConfig } from "../../lab/speaker";

const ROOT = path.resolve(__dirname, "../..");

function listFiles(dir: string): string[] {
    if (!fs.existsSync(dir)) return [];
    return fs.readdirSync(dir, { recursive: true, withFileTypes: true })
        .filter((e) => e.isFile()).map((e) => path.relative(dir, path.join(e.parentPath, e.name))).sort();
}
const read = (dir: string, f: string): string => fs.readFileSync(path.join(dir, f), "utf8");

/** A temp project root with Pulumi.yaml and the given stack files (name -> text). */
function tempRoot(stacks: Record<string, string>): string {
    const root = fs.mkdtempSync(path.join(os.tmpdir(), "cbf-secrets-"));
    fs.copyFileSync(path.join(ROOT, "Pulumi.yaml"), path.join(root, "Pulumi.yaml"));
    for (const [name, text] of Object.entries(stacks)) fs.writeFileSync(path.join(root, `Pulumi.${name}.yaml`), text);
    return root;
}
const stackText = (stack: string): string => fs.readFileSync(path.join(ROOT, `Pulumi.${stack}.yaml`), "utf8");

interface Captured { code: number; log: string[]; out: string }
async function plan(argv: string[], o: { root?: string; env?: NodeJS.ProcessEnv } = {}): Promise<Captured> {
    const log: string[] = [];
    const out = argv[argv.indexOf("--out") + 1];
    const code = await planCommand(argv, o.root ?? ROOT, { log: (m) => log.push(m), env: o.env ?? {} });
    return { code, log, out };
}
const outDir = (): string => path.join(fs.mkdtempSync(path.join(os.tmpdir(), "cbf-secrets-out-")), "o");

/** Every file and message of a run, one text per file plus the log. */
function everything(c: Captured): Map<string, string> {
    const m = new Map(listFiles(c.out).map((f) => [f, read(c.out, f)]));
    // The --out directory differs between runs; everything else must not.
    m.set("(messages)", c.log.join("\n").split(path.relative(ROOT, c.out)).join("<out>"));
    return m;
}

describe("secrets (issue 14 classes 2, 3, 7)", function () {
    this.timeout(600000);

    describe("class 2: passwords every target syntax carries, none that it cannot", () => {
        // password -> what npm run plan must do with it: exit 0, or exit 2 naming bgpPassword without the value.
        const table: [string, string, 0 | 2][] = [
            ["quote and semicolon (the reported crash)", "ab'c;d", 0],
            ["double quote and backslash", "x\"y\\z", 0],
            ["shell specials", "$(rm)`id`!#{}|&*", 0],
            ["VyOS comment and brace characters", "/*{}*/#", 0],
            ["non-ASCII", "pässwörd€🔑", 0],
            ["leading comment marks", "!#!#", 0],
            ["a space", "two words", 2],
            ["a tab", "tab\there", 2],
            ["a line break (would inject configuration)", "x\nneighbor 1.2.3.4 remote-as 1", 2],
            ["a NUL", "nul\u0000x", 2],
            ["a DEL", "del\u007fx", 2],
        ];
        for (const stack of ["dev", "ipv6-vyos"]) {
            for (const [what, pw, expected] of table) {
                it(`${stack}: ${what} -> exit ${expected}${expected === 2 ? ", bgpPassword named, value never shown" : ", parsed back intact with --show-secrets"}`, async () => {
                    const c = await plan(["--stack", stack, "--out", outDir(), "--show-secrets"], { env: { CBF_BGP_PASSWORD: pw } });
                    assert.equal(c.code, expected, c.log.join("\n"));
                    const text = c.log.join("\n");
                    if (expected === 2) {
                        assert.match(text, /bgpPassword = "\[secret\]": /);
                        assert.ok(!text.includes(pw), "the password is printed");
                        assert.deepEqual(listFiles(c.out), [], "output written");
                        return;
                    }
                    const routers = listFiles(c.out).filter((f) => /^routers\/[^/]+\/(frr\.conf|config\.boot|vyos\.set)$/.test(f));
                    assert.ok(routers.length > 0);
                    for (const f of routers) {
                        const cfg = f.endsWith("frr.conf") ? parseFrrConfig(read(c.out, f)) : parseVyosConfig(read(c.out, f));
                        assert.ok(cfg.neighbors.length > 0, f);
                        for (const n of cfg.neighbors) assert.ok(n.password === pw, `${f}: neighbor ${n.address}: password not read back intact`);
                    }
                    const secret = parseYaml(read(c.out, "manifests/core_secret_kube-system_bgp-auth-secret.yaml")) as { stringData: { password: string } };
                    assert.ok(secret.stringData.password === pw, "Secret stringData.password not read back intact");
                });
            }
        }

        it("the gobgpd TOML (lab speaker) parses back to the same password with a real TOML parser", () => {
            const base: SpeakerConfig = {
                node: "n1", asn: 65000, routerId: "10.0.0.1", announce: [], listenPort: -1,
                peers: [{ name: "r1", address: "10.0.0.2", asn: 65001, holdTimeSeconds: 9, keepAliveTimeSeconds: 3, connectRetryTimeSeconds: 5, families: ["ipv4"], peerPort: 179, localPort: 0 }],
            } as unknown as SpeakerConfig;
            fc.assert(fc.property(fc.string({ unit: "grapheme", minLength: 1, maxLength: 80 }), (pw) => {
                const toml = renderGobgpdConfig({ ...base, peers: base.peers.map((p) => ({ ...p, password: pw })) });
                const parsed = parseToml(toml) as { neighbors: { config: { "auth-password": string } }[] };
                assert.equal(parsed.neighbors[0].config["auth-password"], pw);
            }), { numRuns: 300 });
            // What JSON.stringify got wrong: DEL raw, which TOML forbids.
            assert.equal(tomlString("a\u007fb"), "\"a\\u007fb\"");
            assert.equal((parseToml(`k = ${tomlString("a\u007fb\"\\")}`) as { k: string }).k, "a\u007fb\"\\");
        });

        it("gobgpd itself accepts the TOML of a password holding every special character (gobgpd --dry-run)", function () {
            const probe = spawnSync("gobgpd", ["--version"]);
            if (probe.error) { if (process.env.CI) throw new Error("gobgpd is not installed but CI is set"); this.skip(); }
            const base = {
                node: "n1", asn: 65000, routerId: "10.0.0.1", routerIdSource: "test", announce: [], listenPort: -1,
                peers: [{ name: "r1", address: "10.0.0.2", asn: 65001, holdTimeSeconds: 9, keepAliveTimeSeconds: 3, connectRetryTimeSeconds: 5, families: ["ipv4"], peerPort: 179, localPort: 0, password: "a'b\"c;d\\e#f\u007fg{h}$i€🔑" }],
            } as unknown as SpeakerConfig;
            const dir = fs.mkdtempSync(path.join(os.tmpdir(), "cbf-gobgpd-"));
            const file = path.join(dir, "gobgpd.toml");
            fs.writeFileSync(file, renderGobgpdConfig(base));
            const r = spawnSync("gobgpd", ["-f", file, "-t", "toml", "-d"], { encoding: "utf8", timeout: 20000 });
            fs.rmSync(dir, { recursive: true, force: true });
            assert.equal(r.status, 0, `gobgpd --dry-run refused the configuration: ${String(r.error ?? "")} ${(r.stdout + r.stderr).split("\n").filter((l) => /level":"(error|fatal)/.test(l)).join(" ").replace(/"auth-password[^,]*/g, "")}`);
        });

        it("a crash prints known secrets redacted (message and stack), also the lines of a kubeconfig", () => {
            const pw = "Crash-Secret-9f3";
            const kubeconfig = "apiVersion: v1\nclusters:\n- cluster: {server: https://10.9.9.9:6443, certificate-authority-data: QUJDREVGR0g=}\n";
            registerSecret(pw);
            registerSecret(kubeconfig);
            const e = new Error(`vtysh -b rejected frr.conf: line 23: % Unknown command: neighbor NODES password ${pw}`);
            const text = crashText(e);
            assert.ok(!text.includes(pw));
            assert.match(text, /password \[secret\]/);
            const k = redactKnownSecrets(`server said: ${kubeconfig.split("\n")[2]}`, [kubeconfig]);
            assert.ok(!k.includes("QUJDREVGR0g="), k);
            // A short line of the kubeconfig (apiVersion: v1) is not hidden: it is not secret on its own.
            assert.equal(redactKnownSecrets("apiVersion: v1", [kubeconfig]), "apiVersion: v1");
        });
    });

    describe("crashes of the commands (runAsMain: plan and lab)", () => {
        const main = (body: string, env: NodeJS.ProcessEnv): { status: number | null; stderr: string } => {
            const script = `const { runAsMain } = require(${JSON.stringify(path.join(ROOT, "cli/command.ts"))});\n${body}`;
            const r = spawnSync(process.execPath, ["-r", "ts-node/register/transpile-only", "-e", script], { cwd: ROOT, env: { ...process.env, ...env }, encoding: "utf8" });
            return { status: r.status, stderr: r.stderr };
        };
        const pw = "Main-Crash-Pw-31";
        const cases: [string, string][] = [
            ["a command that throws with the password in its message", `runAsMain("lab", async () => { throw new Error("vtysh -b rejected frr.conf: neighbor N password ${pw}"); });`],
            ["an uncaught exception outside the command", `runAsMain("plan", () => new Promise(() => { setTimeout(() => { throw new Error("boom ${pw}"); }, 10); }));`],
            ["a rejected promise nobody awaits (as Pulumi's runtime leaves them)", `runAsMain("plan", () => { Promise.reject(new Error("serializing ${pw}")); return new Promise((r) => setTimeout(() => r(0), 500)); });`],
        ];
        for (const [what, body] of cases) {
            it(`${what}: exit 3, [secret] printed, never the password`, () => {
                const r = main(body, { CBF_BGP_PASSWORD: pw });
                assert.equal(r.status, 3, r.stderr);
                assert.ok(!r.stderr.includes(pw), r.stderr);
                assert.match(r.stderr, /failed: .*\[secret\]/);
            });
        }
        it("a password the lab generates (not from the environment) is known once the offline run has it", async () => {
            const labPw = "lab-Generated-Pw-5";
            await runFabricOffline("dev", readStackConfig(ROOT, "dev", {}), { CBF_BGP_PASSWORD: labPw });
            assert.ok(!crashText(new Error(`line 23: % Unknown command: neighbor NODES password ${labPw}`)).includes(labPw));
        });
    });

    describe("class 3: redaction is structural", () => {
        // password -> text that contains it legitimately and must survive redaction, and the file it is in.
        const table: [string, string, string, RegExp][] = [
            ["linux", "ipv6-vyos", "manifests/cilium.io_ciliumbgpclusterconfig_bgp.yaml", /kubernetes\.io\/os: linux/],
            ["v1", "dev", "manifests/core_secret_kube-system_bgp-auth-secret.yaml", /^apiVersion: v1$/m],
            ["Secret", "dev", "manifests/core_secret_kube-system_bgp-auth-secret.yaml", /^kind: Secret$/m],
            ["bgp", "dev", "routers/leaf1/frr.conf", /^router bgp 65011$/m],
            ["neighbor", "ipv6-vyos", "routers/r01/config.boot", /neighbor 2001:db8:ae3:fff0::21 \{/],
            ["password", "ipv6-vyos", "routers/r01/vyos.set", /peer-group NODES password '\[secret\]'/],
            ["10", "dev", "address-plan.md", /10\.0\.1\.0\/24/],
        ];
        for (const [pw, stack, file, kept] of table) {
            it(`${stack}, password ${JSON.stringify(pw)}: ${file} keeps ${kept.source} and shows [secret] only where the password is placed`, async () => {
                const c = await plan(["--stack", stack, "--out", outDir()], { env: { CBF_BGP_PASSWORD: pw } });
                assert.ok(c.code === 0 || c.code === 1, c.log.join("\n"));
                const files = listFiles(c.out);
                const target = files.includes(file) ? file : files.find((f) => f.startsWith(file.replace(/_bgp\.yaml$/, "")));
                assert.ok(target, `${file} missing: ${files.join(", ")}`);
                assert.match(read(c.out, target), kept);
                const secret = read(c.out, "manifests/core_secret_kube-system_bgp-auth-secret.yaml");
                assert.match(secret, /^ {2}password: "\[secret\]"$/m);
                for (const f of files.filter((x) => x.startsWith("routers/") && /frr\.conf|config\.boot|vyos\.set/.test(x))) {
                    for (const l of read(c.out, f).split("\n").filter((x) => /\bpassword\b/.test(x) && !/^\s*#/.test(x))) assert.match(l, /\[secret\]/, `${f}: ${l}`);
                }
            });
        }
        it("redactSecretPaths touches only the paths the runtime marked secret, keeping keys", () => {
            const v = { a: "linux", s: { password: "linux", n: 1 }, l: ["linux", { k: "linux" }] };
            assert.deepEqual(redactSecretPaths(v, ["s", "l[1].k"]), { a: "linux", s: { password: "[secret]", n: "[secret]" }, l: ["linux", { k: "[secret]" }] });
            assert.deepEqual(redactSecretPaths(v, []), v);
            assert.equal(redactSecretPaths("x", [""]), "[secret]");
        });
        it("an existing cluster's kubeconfig never appears in any file or message; an apiVersion line equal to a secret stays", async () => {
            const text = stackText("dev").replace("    provider: kind", "    provider: existing").replace("cilium-bgp-fabric:cilium:", "cilium-bgp-fabric:cilium:\n    values:\n      k8sServiceHost: 10.0.1.33\n      k8sServicePort: 6443");
            const root = tempRoot({ dev: text });
            for (const kubeconfig of ["apiVersion: v1", "apiVersion: v1\nkind: Config\nclusters:\n- name: c\n  cluster: {server: 'https://kube-secret-host.example:6443'}\n"]) {
                const c = await plan(["--stack", "dev", "--out", outDir()], { root, env: { CBF_BGP_PASSWORD: "k8s-Pass-1", CBF_KUBECONFIG: kubeconfig } });
                assert.ok(c.code === 0 || c.code === 1, c.log.join("\n"));
                const pj = JSON.parse(read(c.out, "plan.json")) as { secrets: Record<string, string> };
                assert.equal(pj.secrets.kubeconfig, "environment");
                assert.match(read(c.out, "manifests/core_secret_kube-system_bgp-auth-secret.yaml"), /^apiVersion: v1$/m);
                for (const [f, v] of everything(c)) assert.ok(!v.includes("kube-secret-host"), `${f} shows the kubeconfig`);
            }
        });
    });

    describe("no secret in any artifact or message unless --show-secrets (property, real plan entry point)", () => {
        // Passwords FRR can carry, short and common words included; the output must not depend on them.
        const COMMON = ["linux", "v1", "bgp", "true", "kind", "a", "1", "0", "cilium", "password", "secret", "smoke", "echo", "kube-system", "NODES"];
        const pwArb = fc.oneof(fc.constantFrom(...COMMON), fc.string({ unit: fc.constantFrom(..."abcdefxyz01'\";\\$!#{}/*é".split("")), minLength: 1, maxLength: 24 }))
            .filter((p) => frrPasswordProblem(p) === undefined);

        /** The bgp-auth-secret policy flags a password found verbatim in another input (policy/rules/authSecret.ts): by design it depends on the value. */
        const withoutCleartextFindings = (m: Map<string, string>): Map<string, string> => new Map([...m].map(([k, v]) => [k, k === "plan.json"
            ? JSON.stringify({ ...JSON.parse(v), policy: { ...JSON.parse(v).policy, violations: JSON.parse(v).policy.violations.filter((x: { message: string }) => !/appears in cleartext/.test(x.message)) } })
            : v.split("\n").filter((l) => !/appears in cleartext|mandatory and \d+ advisory violations/.test(l)).join("\n")]));

        for (const stack of ["dev", "ipv6-vyos"]) {
            it(`${stack}: artifacts and messages are the same for any two passwords (so none of them is in there)`, async () => {
                const reference = withoutCleartextFindings(everything(await plan(["--stack", stack, "--out", outDir()], { env: { CBF_BGP_PASSWORD: "Reference-Pw-0" } })));
                await fc.assert(fc.asyncProperty(pwArb, async (pw) => {
                    const c = await plan(["--stack", stack, "--out", outDir()], { env: { CBF_BGP_PASSWORD: pw } });
                    assert.ok(c.code === 0 || c.code === 1);
                    const got = withoutCleartextFindings(everything(c));
                    assert.deepEqual([...got.keys()], [...reference.keys()]);
                    for (const [k, v] of got) assert.ok(v === reference.get(k), `${k} depends on the password`);
                    // The cleartext findings name the path, never the value.
                    const pj = JSON.parse(read(c.out, "plan.json")) as { policy: { violations: { message: string }[] } };
                    for (const v of pj.policy.violations.filter((x) => /appears in cleartext/.test(x.message))) assert.match(v.message, /^(\S+ "[^"]+": )?the BGP password of Secret \S+ appears in cleartext at \S+$/);
                }), { numRuns: 12, seed: 14 });
            });
        }
        it("with --show-secrets the password is there (the property above can fail)", async () => {
            const c = await plan(["--stack", "dev", "--out", outDir(), "--show-secrets"], { env: { CBF_BGP_PASSWORD: "Shown-Pw-77" } });
            assert.equal(c.code, 0);
            assert.ok(listFiles(c.out).filter((f) => read(c.out, f).includes("Shown-Pw-77")).length >= 2);
        });
    });

    describe("class 7: the plan runs the pack with the stack's own settings", () => {
        const seed = fs.readFileSync(path.join(ROOT, "test/stacks/Pulumi.seed000.yaml"), "utf8");
        const root = tempRoot({ seed000: seed });
        const writeJson = (o: unknown): string => {
            const f = path.join(root, `pc-${Math.random().toString(36).slice(2)}.json`);
            fs.writeFileSync(f, typeof o === "string" ? o : JSON.stringify(o));
            return f;
        };

        it("seed 000 as written (public AS201911 allow-listed, public /48) passes: exit 0, no violation", async () => {
            const c = await plan(["--stack", "seed000", "--out", outDir()], { root });
            assert.equal(c.code, 0, c.log.join("\n"));
            const pj = JSON.parse(read(c.out, "plan.json")) as { policy: { config: Record<string, Record<string, unknown>>; violations: { policyName: string; enforcementLevel: string }[] } };
            // The seed's PodCIDR localPreference towards its eBGP ToRs is a true advisory (GoBGP strips it); nothing else.
            assert.deepEqual(pj.policy.violations.map((v) => `${v.enforcementLevel} ${v.policyName}`),
                ["advisory bgp-local-preference-ebgp", "advisory bgp-local-preference-ebgp"]);
            assert.deepEqual(pj.policy.config["bgp-asns-private"], { allowedPublicAsns: [201911] });
            assert.deepEqual(pj.policy.config["lb-pools-within-plan"], { aggregates: ["2a0e:97c0:ae3::/48"] });
            assert.deepEqual(pj.policy.config["ipv6-only-no-ipv4"], { ipFamily: "ipv6" });
        });
        it("the same resources without the stack's settings fail bgp-asns-private (what the plan did before)", async () => {
            const run = await runFabricOffline("seed000", readStackConfig(root, "seed000", {}), {});
            const bare = runPolicies(toPolicyResources(run.resources));
            assert.ok(bare.violations.some((v) => v.policyName === "bgp-asns-private" && /201911 is a public ASN/.test(v.message)));
        });
        // --policy-config FILE -> exit status and what must be said.
        const table: [string, unknown, number, RegExp][] = [
            ["an empty object (stack settings only)", {}, 0, /0 mandatory/],
            ["allowedPublicAsns emptied: the file wins", { "bgp-asns-private": { allowedPublicAsns: [] } }, 1, /bgp-asns-private: .*201911 is a public ASN/],
            ["the ASN rule advisory", { "bgp-asns-private": { enforcementLevel: "advisory", allowedPublicAsns: [] } }, 0, /\[advisory\] bgp-asns-private/],
            ["the ASN rule disabled", { "bgp-asns-private": "disabled", "bgp-local-preference-ebgp": "disabled", all: "mandatory" }, 0, /12 policies checked/],
            ["the ASN rule's level only: the stack's allow-list stays", { "bgp-asns-private": "mandatory" }, 0, /0 mandatory and 2 advisory/],
            ["a wrong aggregate", { "lb-pools-within-plan": { aggregates: ["2001:db8::/48"] } }, 1, /lb-pools-within-plan/],
            ["not JSON", "{nope", 2, /error: --policy-config .*: not JSON/],
            ["an unknown policy", { "bgp-asn-private": "advisory" }, 2, /bgp-asn-private: not a policy of this pack/],
            ["a bad level", { "bgp-asns-private": "warn" }, 2, /bgp-asns-private = "warn": not an enforcement level/],
            ["a bad nested level", { "bgp-asns-private": { enforcementLevel: 3 } }, 2, /bgp-asns-private\.enforcementLevel = 3: not an enforcement level/],
            ["an array", [1], 2, /must hold a JSON object/],
        ];
        for (const [what, content, code, says] of table) {
            it(`--policy-config with ${what} -> exit ${code}`, async () => {
                const out = outDir();
                const c = await plan(["--stack", "seed000", "--out", out, "--policy-config", writeJson(content)], { root });
                assert.equal(c.code, code, c.log.join("\n"));
                assert.match(c.log.join("\n"), says);
                if (code === 2) assert.deepEqual(listFiles(out), []);
            });
        }
        it("--policy-config naming a missing file -> exit 2 naming it", async () => {
            const c = await plan(["--stack", "seed000", "--out", outDir(), "--policy-config", "nope.json"], { root });
            assert.equal(c.code, 2);
            assert.match(c.log.join("\n"), /--policy-config nope\.json: cannot read it \(ENOENT\)/);
        });
    });
});

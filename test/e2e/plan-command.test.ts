/** The offline plan command's contract: files, determinism, exit codes, redaction. */
import { strict as assert } from "assert";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { planCommand } from "../../cli/plan";

const ROOT = path.resolve(__dirname, "../..");
const SECRET = "Plan-Test-Secret-42";

function listFiles(dir: string): string[] {
    return fs.readdirSync(dir, { recursive: true, withFileTypes: true })
        .filter((e) => e.isFile())
        .map((e) => path.relative(dir, path.join(e.parentPath, e.name)))
        .sort();
}

/** A copy of the project's stack files in a temp root, optionally edited. */
function tempRoot(edit?: (text: string) => string, stack = "ipv6"): string {
    const root = fs.mkdtempSync(path.join(os.tmpdir(), "cbf-plan-"));
    fs.copyFileSync(path.join(ROOT, "Pulumi.yaml"), path.join(root, "Pulumi.yaml"));
    const text = fs.readFileSync(path.join(ROOT, `Pulumi.${stack}.yaml`), "utf8");
    fs.writeFileSync(path.join(root, `Pulumi.${stack}.yaml`), edit ? edit(text) : text);
    return root;
}

const plan = (argv: string[], root = ROOT): Promise<number> =>
    planCommand(argv, root, { log: () => undefined, env: { CBF_BGP_PASSWORD: SECRET } });

describe("npm run plan (offline plan contract)", function () {
    this.timeout(120000);
    const tmp = fs.mkdtempSync(path.join(os.tmpdir(), "cbf-out-"));

    for (const stack of ["dev", "ipv6", "ipv6-vyos"]) {
        it(`${stack}: writes the contract's files and exits 0`, async () => {
            const out = path.join(tmp, stack);
            assert.equal(await plan(["--stack", stack, "--out", out]), 0);
            const files = listFiles(out);
            for (const f of ["plan.json", "address-plan.md", "topology.svg", "topology.md", "cilium/values.yaml", "cluster/kind.yaml"]) {
                assert.ok(files.includes(f), `${f} missing: ${files.join(", ")}`);
            }
            const vyos = stack === "ipv6-vyos";
            for (const r of stack === "dev" ? ["spine1", "leaf2"] : ["r01", "r02"]) {
                for (const f of vyos ? ["vyos.set", "config.boot"] : ["frr.conf"]) assert.ok(files.includes(`routers/${r}/${f}`), `routers/${r}/${f}`);
            }
            assert.ok(files.some((f) => /^manifests\/cilium\.io_ciliumbgpclusterconfig_/.test(f)));
            const planJson = JSON.parse(fs.readFileSync(path.join(out, "plan.json"), "utf8"));
            assert.equal(planJson.stack, stack);
            assert.equal(planJson.ipFamily, stack === "dev" ? "ipv4" : "ipv6");
            assert.ok(planJson.ciliumVersion);
            assert.ok(planJson.resources.every((r: { type: string; name: string }) => r.type && r.name && "parent" in r));
            assert.ok(planJson.resources.some((r: { parent: string | null }) => r.parent === "cilium-bgp-fabric:routers:RouterFleet::routers"));
            assert.ok(planJson.addressPlan.allocations.length > 5);
            assert.equal(planJson.policy.policies.length, 14);
            // No mandatory violation; the IPv6 stacks' pod localPreference towards eBGP ToRs is the one advisory (rule 12).
            const advisory = stack === "dev" ? [] : ["bgp-local-preference-ebgp r01", "bgp-local-preference-ebgp r02"];
            assert.deepEqual(planJson.policy.violations.map((v: { policyName: string; message: string }) => `${v.policyName} ${/eBGP peer (\S+)/.exec(v.message)?.[1] ?? ""}`.trim()).sort(), advisory);
            // The switches: dev runs the smoke workload, ipv6 the Gateway too, ipv6-vyos neither.
            const smoke = stack !== "ipv6-vyos";
            const gateway = stack === "ipv6";
            assert.equal(files.includes("manifests/core_service_smoke_echo.yaml"), smoke);
            assert.equal(files.includes("manifests/apps_deployment_smoke_echo.yaml"), smoke);
            assert.equal(files.includes("manifests/gateway.networking.k8s.io_gateway_gateway_shared-gw.yaml"), gateway);
            assert.equal(files.includes("manifests/gateway.networking.k8s.io_httproute_smoke_echo.yaml"), gateway);
            const remote = files.filter((f) => f.startsWith("manifests/remote_"));
            assert.equal(remote.length, gateway ? 1 : 0);
            if (gateway) {
                const ref = fs.readFileSync(path.join(out, remote[0]), "utf8");
                assert.match(ref, /^file: https:\/\/github\.com\/kubernetes-sigs\/gateway-api\/releases\/download\/v\d+\.\d+\.\d+\/standard-install\.yaml$/m);
                assert.ok(!ref.includes("CustomResourceDefinition"), "the reference only, never the fetched content");
            }
            assert.deepEqual(Object.keys(planJson.endpoints).sort(), [...(gateway ? ["gatewayAddress", "gatewayCurl"] : []), ...(smoke ? ["smokeCurl", "smokeServiceAddress"] : [])].sort());
            assert.ok(fs.readFileSync(path.join(out, "topology.svg"), "utf8").startsWith("<svg"));
            assert.match(fs.readFileSync(path.join(out, "topology.md"), "utf8"), /```mermaid/);
        });
    }

    it("is deterministic: two runs give byte-identical directories", async () => {
        const a = path.join(tmp, "det-a");
        const b = path.join(tmp, "det-b");
        assert.equal(await plan(["--stack", "dev", "--out", a]), 0);
        assert.equal(await plan(["--stack", "dev", "--out", b]), 0);
        const fa = listFiles(a);
        assert.deepEqual(listFiles(b), fa);
        for (const f of fa) assert.ok(fs.readFileSync(path.join(a, f)).equals(fs.readFileSync(path.join(b, f))), `${f} differs`);
    });

    it("redacts secrets unless --show-secrets", async () => {
        const hidden = path.join(tmp, "redacted");
        const shown = path.join(tmp, "shown");
        assert.equal(await plan(["--stack", "ipv6", "--out", hidden]), 0);
        assert.equal(await plan(["--stack", "ipv6", "--out", shown, "--show-secrets"]), 0);
        const leaks = listFiles(hidden).filter((f) => fs.readFileSync(path.join(hidden, f), "utf8").includes(SECRET));
        assert.deepEqual(leaks, []);
        assert.ok(fs.readFileSync(path.join(shown, "routers/r01/frr.conf"), "utf8").includes(SECRET));
        assert.ok(fs.readFileSync(path.join(hidden, "routers/r01/frr.conf"), "utf8").includes("[secret]"));
    });

    it("exits 2 on a configuration error and leaves no output behind", async () => {
        const root = tempRoot((t) => t.replace("cidr: 2001:db8:ae3:c401::/64", "cidr: 2001:db8:ae3:c2ff::/64"));
        const out = path.join(tmp, "bad-config");
        assert.equal(await plan(["--stack", "ipv6", "--out", out], root), 2);
        assert.ok(!fs.existsSync(out));
    });

    it("exits 1 on a mandatory policy violation (IPv4 forced on in Cilium values of an IPv6-only stack)", async () => {
        const root = tempRoot((t) => t.replace("    version: 1.18.12", "    version: 1.18.12\n    values:\n      ipv4:\n        enabled: true"));
        const out = path.join(tmp, "violation");
        assert.equal(await plan(["--stack", "ipv6", "--out", out], root), 1);
        const planJson = JSON.parse(fs.readFileSync(path.join(out, "plan.json"), "utf8"));
        assert.ok(planJson.policy.violations.some((v: { policyName: string }) => v.policyName === "ipv6-only-no-ipv4"));
    });

    it("exits 2 on an unknown stack", async () => {
        assert.equal(await plan(["--stack", "nope", "--out", path.join(tmp, "nope")]), 2);
    });
});

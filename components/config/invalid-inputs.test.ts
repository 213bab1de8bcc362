/** Every invalid input of the table (invalid-inputs.ts) through the loader: the exact problem, never a crash or a secret. */
import { strict as assert } from "assert";
import * as fs from "fs";
import * as path from "path";
import { ConfigError, formatProblem, loadStack, rawConfigFrom, rawConfigOfStack } from "./index";
import { INVALID_INPUTS, TABLE_PASSWORD, writeCase } from "./invalid-inputs";
import { StackFileError, readStackConfig } from "./stackfile";

/** The problems the loader reports for a case (stack file read included), as printed. */
function problemsOf(root: string, stack: string, password: string): string[] {
    try {
        const sc = readStackConfig(root, stack, { CBF_BGP_PASSWORD: password });
        loadStack(stack, rawConfigOfStack(sc), password);
    } catch (e) {
        if (e instanceof StackFileError) return [e.message];
        if (e instanceof ConfigError) return e.problems.map(formatProblem);
        throw e;
    }
    return [];
}

describe("invalid inputs through the loader (issue 14, classes 1, 4, 5, 6)", () => {
    it("the table holds at least 60 cases, at least 5 per class", () => {
        assert.ok(INVALID_INPUTS.length >= 60, String(INVALID_INPUTS.length));
        for (const cls of [1, 4, 5, 6]) assert.ok(INVALID_INPUTS.filter((c) => c.cls === cls).length >= 5, `class ${cls}`);
        assert.equal(new Set(INVALID_INPUTS.map((c) => c.name)).size, INVALID_INPUTS.length, "case names are unique");
    });

    for (const c of INVALID_INPUTS) {
        it(`class ${c.cls}: ${c.name}`, () => {
            const root = writeCase(c);
            try {
                const password = c.password ?? TABLE_PASSWORD;
                const problems = problemsOf(root, c.stack, password);
                assert.ok(problems.includes(c.error), `expected:\n  ${c.error}\ngot:\n  ${problems.join("\n  ") || "(no problem)"}`);
                for (const p of problems) assert.ok(!p.includes(password), "the password is never printed");
            } finally {
                fs.rmSync(root, { recursive: true, force: true });
            }
        });
    }

    it("keys of other namespaces are left alone", () => {
        const root = writeCase({ cls: 1, name: "other namespace", stack: "dev", edit: (c) => { c["kubernetes:context"] = "kind-dev"; c["aws:region"] = "eu-west-1"; }, error: "" });
        try {
            assert.deepEqual(problemsOf(root, "dev", TABLE_PASSWORD), []);
        } finally {
            fs.rmSync(root, { recursive: true, force: true });
        }
    });

    it("under pulumi up (pulumi.Config and the runtime's key list) an unknown project key is named too", () => {
        const sc = readStackConfig(path.resolve(__dirname, "../.."), "dev", {});
        const values: Record<string, string> = { ...sc.values, "cilium-bgp-fabric:gatewayAPI": "{\"enabled\":true}", "kubernetes:context": "kind-dev" };
        const raw = rawConfigFrom((k) => values[`cilium-bgp-fabric:${k}`], Object.keys(values));
        assert.throws(() => loadStack("dev", raw, TABLE_PASSWORD), (e: unknown) => e instanceof ConfigError &&
            e.problems.map(formatProblem).includes("gatewayAPI = {\"enabled\":true}: is not a known key: did you mean gatewayApi? (known: ipFamily, addressPlan, asn, routers, cluster, cilium, bgp, gatewayApi, smoke, bgpPassword, kubeconfig)"));
        // A misspelt secret key is named, its value never shown (under pulumi up cfg.get decrypts it).
        const typo: Record<string, string> = { ...sc.values, "cilium-bgp-fabric:bgpPasword": "hunter22-not-shown" };
        assert.throws(() => loadStack("dev", rawConfigFrom((k) => typo[`cilium-bgp-fabric:${k}`], Object.keys(typo)), TABLE_PASSWORD),
            (e: unknown) => e instanceof ConfigError && !e.message.includes("hunter22-not-shown")
                && e.problems.map(formatProblem).some((m) => m.startsWith("bgpPasword = \"[secret]\": is not a known key: did you mean bgpPassword?")));
        // Without the key list (older callers) the known keys alone are read, as before.
        assert.doesNotThrow(() => loadStack("dev", rawConfigFrom((k) => values[`cilium-bgp-fabric:${k}`]), TABLE_PASSWORD));
    });
});

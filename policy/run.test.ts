import { strict as assert } from "assert";
import * as fs from "fs";
import * as path from "path";
import { Secret, type ResourceValidationPolicy, type StackValidationPolicy } from "@pulumi/policy";
import { ipv6Stack, mutate, PASSWORD } from "./fixtures";
import { policies } from "./rules";
import { runPolicies } from "./run";

/** An IPv6 stack with one mandatory (timers) and one advisory (keepalive ratio) problem. */
const broken = (): ReturnType<typeof ipv6Stack> => mutate(mutate(ipv6Stack(), "bgp-ciliumbgppeerconfig-ebgp", (p) => { p.spec.timers = { holdTimeSeconds: 9, keepAliveTimeSeconds: 5 }; }),
    "bgp-ciliumbgpadvertisement-bgp-services", (p) => { delete p.spec.advertisements[0].selector; });
const UNKNOWN_STRING = "04da6b54-80e4-46f7-96ec-b56ff0331ba9"; // @pulumi/policy's unknown-string sentinel

describe("policy pack: the policy list", () => {
    it("lists the 13 rules as 14 uniquely named policies (rule 5 has a mandatory and an advisory part)", () => {
        const names = policies.map((p) => p.name);
        assert.equal(new Set(names).size, 14);
        assert.deepEqual(names, [
            "lb-pools-within-plan", "ipv6-only-no-ipv4", "bgp-peer-addresses-planned", "bgp-asns-private", "bgp-timers-valid", "bgp-keepalive-third-of-hold",
            "bgp-service-advertisement-selector", "bgp-auth-secret", "bgp-router-ids", "cluster-cidr-sizes", "bgp-sessions-symmetric",
            "lb-requested-addresses-in-pools",
            "bgp-local-preference-ebgp", "bgp-peering-policy-deprecated",
        ]);
        for (const p of policies) {
            assert.match(p.name, /^[a-z0-9-]+$/);
            assert.ok(p.description.length > 20);
            assert.ok(p.enforcementLevel === "mandatory" || (["bgp-keepalive-third-of-hold", "bgp-local-preference-ebgp", "bgp-peering-policy-deprecated"].includes(p.name) && p.enforcementLevel === "advisory"));
            // The SDK refuses an enforcementLevel property in a config schema.
            assert.ok(!p.configSchema?.properties.enforcementLevel);
        }
        const kinds = policies.map((p) => ("validateStack" in p ? "stack" : "resource"));
        assert.deepEqual(kinds.filter((k) => k === "resource").length, 3);
    });
    it("declares the pack settings in the policies that read them", () => {
        const schema = (n: string): string[] => Object.keys(policies.find((p) => p.name === n)?.configSchema?.properties ?? {});
        assert.deepEqual(schema("lb-pools-within-plan"), ["aggregates"]);
        assert.deepEqual(schema("bgp-asns-private"), ["allowedPublicAsns"]);
        assert.deepEqual(schema("ipv6-only-no-ipv4"), ["ipFamily"]);
        assert.deepEqual(schema("bgp-router-ids"), ["ipFamily"]);
        assert.deepEqual(schema("lb-requested-addresses-in-pools"), ["ipFamily"]);
    });
    it("index.ts builds the PolicyPack from that list (constructing it would start the analyzer's gRPC server)", () => {
        const text = fs.readFileSync(path.join(__dirname, "index.ts"), "utf8");
        assert.match(text, /new PolicyPack\("cilium-bgp-fabric", \{ policies, enforcementLevel: packEnforcementLevel \}\)/);
        const example = JSON.parse(fs.readFileSync(path.join(__dirname, "config.example.json"), "utf8")) as Record<string, unknown>;
        for (const key of Object.keys(example)) assert.ok(policies.some((p) => p.name === key), key);
    });
});

describe("runPolicies", () => {
    it("collects violations with policy, level, resource name, URN and message", () => {
        const r = runPolicies(broken());
        assert.equal(r.policies.length, 14);
        assert.deepEqual(r.violations.map((v) => [v.policyName, v.enforcementLevel, v.resource]).sort(), [
            ["bgp-keepalive-third-of-hold", "advisory", "bgp-ciliumbgppeerconfig-ebgp"],
            ["bgp-service-advertisement-selector", "mandatory", "bgp-ciliumbgpadvertisement-bgp-services"],
        ]);
        assert.ok(r.violations.every((v) => v.urn?.endsWith(`::${v.resource}`)));
    });
    it("skips disabled policies", () => {
        const r = runPolicies(broken(), { "bgp-service-advertisement-selector": "disabled" });
        assert.equal(r.policies.length, 13);
        assert.ok(!r.policies.includes("bgp-service-advertisement-selector"));
        assert.deepEqual(r.violations.map((v) => v.policyName), ["bgp-keepalive-third-of-hold"]);
    });
    it("applies enforcement-level overrides: per policy (string or object) over \"all\" over the policy's own", () => {
        const level = (config: Parameters<typeof runPolicies>[1]): Record<string, string> =>
            Object.fromEntries(runPolicies(broken(), config).violations.map((v) => [v.policyName, v.enforcementLevel]));
        assert.deepEqual(level({ "bgp-keepalive-third-of-hold": "mandatory" }), { "bgp-keepalive-third-of-hold": "mandatory", "bgp-service-advertisement-selector": "mandatory" });
        assert.deepEqual(level({ all: "advisory" }), { "bgp-keepalive-third-of-hold": "advisory", "bgp-service-advertisement-selector": "advisory" });
        assert.deepEqual(level({ all: "advisory", "bgp-service-advertisement-selector": { enforcementLevel: "mandatory" } }),
            { "bgp-keepalive-third-of-hold": "advisory", "bgp-service-advertisement-selector": "mandatory" });
        assert.deepEqual(level({ all: "remediate" }), { "bgp-keepalive-third-of-hold": "mandatory", "bgp-service-advertisement-selector": "mandatory" });
        assert.deepEqual(runPolicies(broken(), { all: "disabled" }), { policies: [], violations: [] });
    });
    it("hands each policy its own config with schema defaults, without enforcementLevel", () => {
        const seen: Record<string, unknown>[] = [];
        const probe: StackValidationPolicy = {
            name: "probe", description: "records its config", configSchema: { properties: { a: { type: "integer", default: 7 }, b: { type: "string" } } },
            validateStack: (args) => { seen.push(args.getConfig<Record<string, unknown>>()); },
        };
        runPolicies([], { probe: { enforcementLevel: "advisory", b: "x" } }, [probe]);
        runPolicies([], {}, [probe]);
        assert.deepEqual(seen, [{ a: 7, b: "x" }, { a: 7 }]);
    });
    it("unwraps Secret values as the CLI does", () => {
        const s = mutate(ipv6Stack(), "cluster-join", (p) => { p.create += `echo ${PASSWORD}\n`; });
        const secretProps = s.map((r) => (r.name === "bgp-auth" ? { ...r, props: { ...r.props, stringData: { password: new Secret(PASSWORD) } } } : r));
        const vs = runPolicies(secretProps).violations;
        assert.deepEqual(vs.map((v) => [v.policyName, v.resource]), [["bgp-auth-secret", "cluster-join"]]);
    });
    it("tolerates unknown (preview) values: stack facts skip them, resource policies report an advisory note as the CLI does", () => {
        const s = mutate(mutate(ipv6Stack(), "routers", (p) => { p.routers[0].loopback = UNKNOWN_STRING; }),
            "bgp-ciliumbgppeerconfig-ebgp", (p) => { p.spec.timers = UNKNOWN_STRING; });
        const r = runPolicies(s);
        // Stack policies copy props defensively; the peer config's timers are unknown to the resource policies.
        assert.deepEqual(r.violations.filter((v) => v.policyName !== "bgp-timers-valid" && v.policyName !== "bgp-keepalive-third-of-hold"), []);
        const direct: ResourceValidationPolicy = {
            name: "direct", description: "reads props without copying", enforcementLevel: "mandatory",
            validateResource: (args, report) => { if (args.name === "routers") report(String((args.props.routers as { loopback: string }[])[0].loopback)); },
        };
        const d = runPolicies(s, {}, [direct]).violations;
        assert.equal(d.length, 1);
        assert.equal(d[0].enforcementLevel, "advisory");
        assert.match(d[0].message, /can't run policy 'direct' during preview: string value at \.routers\.0\.loopback/);
    });
    it("implements isType/asType, notApplicable and parent links for policies that use them", () => {
        const Fake = { __pulumiType: "kubernetes:core/v1:Secret" } as unknown as { new (...rest: unknown[]): never };
        const seen: string[] = [];
        const typed: ResourceValidationPolicy = {
            name: "typed", description: "type helpers",
            validateResource: (args, report) => {
                if (!args.isType(Fake)) args.notApplicable("not a Secret");
                seen.push(args.name);
                report(`secret ${String((args.asType(Fake as never) as { metadata: { name: string } } | undefined)?.metadata.name)}`);
            },
        };
        const parents: StackValidationPolicy = {
            name: "parents", description: "parent links",
            validateStack: (args, report) => { for (const r of args.resources) if (r.parent) report(`${r.name} < ${r.parent.name}`, r.urn); },
        };
        const s = ipv6Stack().map((r) => (r.name === "bgp-auth" ? { ...r, parent: ipv6Stack().find((x) => x.name === "cluster")?.urn } : r));
        const r = runPolicies(s, {}, [typed, parents]);
        assert.deepEqual(seen, ["bgp-auth"]);
        assert.deepEqual(r.violations.map((v) => [v.policyName, v.enforcementLevel, v.resource, v.message]), [
            ["typed", "mandatory", "bgp-auth", "secret bgp-auth-secret"],
            ["parents", "mandatory", "bgp-auth", "bgp-auth < cluster"],
        ]);
    });
    it("refuses asynchronous policies instead of dropping their result", () => {
        const slow: StackValidationPolicy = { name: "slow", description: "async", validateStack: async () => undefined };
        assert.throws(() => runPolicies([], {}, [slow]), /returned a promise/);
    });
});

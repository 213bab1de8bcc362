import { strict as assert } from "assert";
import type { StackValidationArgs, StackValidationPolicy } from "@pulumi/policy";
import { extractFacts, nodeAddressIndex, selects, type Facts } from "./facts";
import { ipv4Stack, ipv6Stack, res } from "./fixtures";
import { stackFacts } from "./rules/common";
import { runPolicies } from "./run";

describe("policy facts: selects", () => {
    const labels = { rack: "r1", "kubernetes.io/os": "linux" };
    it("matches, fails and leaves unknown as before", () => {
        assert.equal(selects(undefined, undefined), true);
        assert.equal(selects({ matchLabels: { rack: "r1" } }, undefined), undefined);
        assert.equal(selects({ matchLabels: { rack: "r1" } }, labels), true);
        assert.equal(selects({ matchLabels: { rack: "r2" } }, labels), false);
        assert.equal(selects({ matchExpressions: [{ key: "rack", operator: "In", values: ["r1", "r2"] }] }, labels), true);
        assert.equal(selects({ matchExpressions: [{ key: "rack", operator: "NotIn", values: ["r1"] }] }, labels), false);
        assert.equal(selects({ matchExpressions: [{ key: "zone", operator: "NotIn", values: ["z"] }] }, labels), true);
        assert.equal(selects({ matchExpressions: [{ key: "rack", operator: "Exists" }] }, labels), true);
        assert.equal(selects({ matchExpressions: [{ key: "rack", operator: "DoesNotExist" }] }, labels), false);
    });
    it("an unknown operator leaves the answer open unless an earlier part already fails", () => {
        const bogus = { key: "rack", operator: "Near", values: ["r1"] };
        assert.equal(selects({ matchExpressions: [bogus] }, labels), undefined);
        assert.equal(selects({ matchExpressions: [{ key: "rack", operator: "In", values: ["r2"] }, bogus] }, labels), false);
        assert.equal(selects({ matchLabels: { rack: "r2" }, matchExpressions: [bogus] }, labels), false);
        assert.equal(selects({ matchExpressions: [bogus, { key: "rack", operator: "In", values: ["r2"] }] }, labels), undefined);
    });
    it("inherited object properties are no labels (Exists on \"constructor\" does not match)", () => {
        assert.equal(selects({ matchExpressions: [{ key: "constructor", operator: "Exists" }] }, labels), false);
        assert.equal(selects({ matchExpressions: [{ key: "toString", operator: "DoesNotExist" }] }, labels), true);
        assert.equal(selects({ matchExpressions: [{ key: "constructor", operator: "Exists" }] }, { constructor: "x" }), true);
    });
});

describe("policy facts: parsed once", () => {
    it("reads bgp-virtual-router annotations (ASN and router-id) in annotation order", () => {
        const f = extractFacts([res("kubernetes:core/v1:NodePatch", "patch-a", {
            metadata: {
                name: "node-a",
                annotations: {
                    "cilium.io/bgp-virtual-router.65001": "router-id=10.0.0.1,local-port=179",
                    "other.io/x": "router-id=10.9.9.9",
                    "cilium.io/bgp-virtual-router.65002": "local-port=179",
                },
            },
        })]);
        assert.deepEqual(f.nodePatches[0].virtualRouters, [
            { key: "cilium.io/bgp-virtual-router.65001", asn: 65001, routerId: "10.0.0.1" },
            { key: "cilium.io/bgp-virtual-router.65002", asn: 65002 },
        ]);
    });
    it("keeps each LB pool block's parsed prefix, or why it does not parse", () => {
        const f = extractFacts([res("kubernetes:cilium.io/v2alpha1:CiliumLoadBalancerIPPool", "pool", {
            metadata: { name: "p" }, spec: { blocks: [{ cidr: "10.100.0.0/24" }, { cidr: "10.100.1.1/24" }] },
        })]);
        assert.deepEqual(f.lbPools[0].parsed, { family: "ipv4", base: 0x0a640000n, length: 24 });
        assert.equal(typeof f.lbPools[1].parsed, "string");
    });
    it("indexes node addresses: the node list's with their node, cluster-config node-ips without", () => {
        const f = extractFacts(ipv4Stack());
        const index = nodeAddressIndex(f);
        const listed = f.nodes.flatMap((n) => n.addresses.map((a) => ({ a, n })));
        assert.ok(listed.length > 0);
        for (const { n } of listed) assert.ok([...index.values()].some((x) => x.node === n));
        const bare = nodeAddressIndex({ ...f, nodes: [] });
        assert.ok(bare.size > 0 && [...bare.values()].every((x) => x.node === undefined));
    });
});

describe("policy facts: one model per run", () => {
    const args = (resources: StackValidationArgs["resources"], config: Record<string, unknown> = {}): StackValidationArgs =>
        ({ resources, stackTags: new Map(), getConfig: <T extends object>() => ({ ...config }) as T, notApplicable: () => { throw new Error("n/a"); } });
    it("stackFacts builds the facts once per resource list and ipFamily setting, and freezes them", () => {
        const seen: Facts[] = [];
        const probe = (name: string): StackValidationPolicy => ({
            name, description: "records the facts it is given", enforcementLevel: "mandatory",
            validateStack: (a) => { seen.push(stackFacts(a).facts); },
        });
        runPolicies(ipv6Stack(), {}, [probe("a"), probe("b"), probe("c")]);
        assert.equal(seen.length, 3);
        assert.ok(seen[1] === seen[0] && seen[2] === seen[0]);
        assert.ok(Object.isFrozen(seen[0]) && Object.isFrozen(seen[0].nodes) && Object.isFrozen(seen[0].resources[0].props));

        const list = runPoliciesList();
        const v4 = stackFacts(args(list, { ipFamily: "ipv4" })).facts;
        assert.equal(stackFacts(args(list, { ipFamily: "ipv4" })).facts, v4);
        assert.notEqual(stackFacts(args(list, { ipFamily: "ipv6" })).facts, v4);
        assert.equal(stackFacts(args(list, { ipFamily: "ipv6" })).facts.family?.value, "ipv6");
        assert.notEqual(stackFacts(args([...list])).facts, v4);
    });
});

/** A stack's resources as stack policies see them (one list, shared by the calls below). */
function runPoliciesList(): StackValidationArgs["resources"] {
    let list: StackValidationArgs["resources"] | undefined;
    const grab: StackValidationPolicy = { name: "grab", description: "keeps the resource list", enforcementLevel: "mandatory", validateStack: (a) => { list = a.resources; } };
    runPolicies(ipv6Stack(), {}, [grab]);
    assert.ok(list);
    return list;
}

import { strict as assert } from "assert";
import * as pulumi from "@pulumi/pulumi";
import { runUnderMocks } from "../cli/mock-runtime";
import { TEST_PASSWORD, loadFixture } from "../test/support/crd";
import { Fabric } from "./fabric";

describe("Fabric component (mocked)", () => {
    it("parents every component, and aliases each to its former top-level URN (BGP also to its former type)", async () => {
        const { config, plan } = loadFixture("ipv6");
        const aliases = new Map<string, unknown[]>();
        const { resources } = await runUnderMocks(() => {
            pulumi.runtime.registerStackTransformation((a) => {
                if (a.type.startsWith("cilium-bgp-fabric:") && a.opts.aliases) aliases.set(a.name, a.opts.aliases as unknown[]);
                return undefined;
            });
            new Fabric("fabric", { config, plan, bgpPassword: TEST_PASSWORD });
        }, { project: "cilium-bgp-fabric", stack: "ipv6", config: {} });
        const children = resources.filter((r) => r.parent === "cilium-bgp-fabric:index:Fabric::fabric").map((r) => r.name).sort();
        assert.deepEqual(children, ["bgp", "cilium", "cluster", "gateway", "gateway-api-crds", "lb-pools", "routers", "smoke"]);
        for (const name of children) {
            const a = aliases.get(name) ?? [];
            assert.ok(a.some((x) => (x as pulumi.Alias).parent === pulumi.rootStackResource && (x as pulumi.Alias).type === undefined), `${name}: alias to the stack`);
        }
        assert.ok((aliases.get("bgp") ?? []).some((x) => (x as pulumi.Alias).type === "cilium-bgp-fabric:bgp:BgpControlPlane" && (x as pulumi.Alias).parent === pulumi.rootStackResource));
        const fabric = resources.find((r) => r.type === "cilium-bgp-fabric:index:Fabric")!;
        assert.equal(fabric.outputs.ipFamily, "ipv6");
        assert.equal((fabric.outputs.nodes as unknown[]).length, plan.nodes.length);
    });

    it("plans the configuration itself when no plan is given, and refuses a missing password", async () => {
        const { config, plan } = loadFixture("dev");
        const { resources } = await runUnderMocks(() => { new Fabric("fabric", { config, bgpPassword: TEST_PASSWORD }); },
            { project: "cilium-bgp-fabric", stack: "dev", config: {} });
        const fabric = resources.find((r) => r.type === "cilium-bgp-fabric:index:Fabric")!;
        assert.deepEqual((fabric.outputs.nodes as { address: string }[]).map((n) => n.address), plan.nodes.map((n) => n.address));
        assert.throws(() => new Fabric("nopw", { config, plan }), /bgpPassword/);
    });
});

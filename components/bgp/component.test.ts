import { strict as assert } from "assert";
import * as pulumi from "@pulumi/pulumi";
import * as k8s from "@pulumi/kubernetes";
import { type RecordedResource, TEST_PASSWORD, loadFixture, recordingMocks, valueOf } from "../../test/support/crd";
import { BgpControlPlane } from "./component";
import { renderBgpObjects } from "./render";

describe("BgpControlPlane component (mocked)", () => {
    let recorded: RecordedResource[];
    let restore: () => Promise<void>;
    before(async () => { ({ recorded, restore } = await recordingMocks()); });
    after(() => restore());
    beforeEach(() => { recorded.length = 0; });

    const setup = (stack: string, line?: string): { config: ReturnType<typeof loadFixture>["config"]; plan: ReturnType<typeof loadFixture>["plan"]; provider: k8s.Provider; release: pulumi.Resource } => {
        const { config, plan } = loadFixture(stack, { line });
        const provider = new k8s.Provider(`k-${stack}-${line}`, { kubeconfig: "x" });
        const release = new k8s.helm.v3.Release(`r-${stack}-${line}`, { chart: "cilium" }, { provider });
        return { config, plan, provider, release };
    };

    it("the auth Secret holds the password as a secret, and nothing else carries it", async () => {
        const { config, plan, provider, release } = setup("ipv6");
        const password = "s3cret-Pa55";
        const bgp = new BgpControlPlane("bgp", { config, plan, provider, ciliumRelease: release, bgpPassword: pulumi.secret(password) });
        await Promise.all([bgp.authSecret!, ...bgp.resources].map((r) => valueOf(r.urn)));
        assert.equal(await pulumi.isSecret(bgp.authSecret!.stringData), true);
        const secret = recorded.find((r) => r.type === "kubernetes:core/v1:Secret")!;
        assert.equal(secret.name, "bgp-auth");
        assert.deepEqual(secret.inputs.metadata, { name: "bgp-auth-secret", namespace: "kube-system" });
        // The engine receives stringData as a secret value (wrapped with Pulumi's secret signature).
        assert.deepEqual(secret.inputs.stringData, { [pulumi.runtime.specialSigKey]: pulumi.runtime.specialSecretSig, value: { password } });
        const nonSecret = Object.fromEntries(Object.entries(secret.inputs).filter(([k]) => k !== "stringData"));
        assert.ok(!JSON.stringify(nonSecret).includes(password));
        for (const r of recorded.filter((x) => x.type !== "kubernetes:core/v1:Secret")) assert.ok(!JSON.stringify(r.inputs).includes(password), r.name);
    });

    it("a CustomResource per rendered object, with its apiVersion and kind", async () => {
        const { config, plan, provider, release } = setup("ipv6-vyos");
        const bgp = new BgpControlPlane("bgp6", { config, plan, provider, ciliumRelease: release, bgpPassword: TEST_PASSWORD });
        await Promise.all(bgp.resources.map((r) => valueOf(r.urn)));
        const crs = recorded.filter((r) => r.type.startsWith("kubernetes:cilium.io/"));
        const expected = renderBgpObjects(config, plan);
        // Registration order follows dependency resolution: compare by resource name.
        const byName = new Map(crs.map((r) => [r.name, r]));
        assert.equal(crs.length, expected.length);
        for (const o of expected) {
            const r = byName.get(`bgp6-${o.kind.toLowerCase()}-${o.metadata.name}`);
            assert.ok(r, `${o.kind}/${o.metadata.name}`);
            assert.equal(r.type, `kubernetes:${o.apiVersion}:${o.kind}`);
            assert.equal(r.inputs.apiVersion, o.apiVersion);
            assert.equal(r.inputs.kind, o.kind);
            assert.deepEqual(r.inputs.spec, o.spec);
        }
        assert.ok(crs.every((r) => r.type.startsWith("kubernetes:cilium.io/v2alpha1:")));
    });

    it("1.15 IPv6: peering policy plus a NodePatch per node with the router-id annotation", async () => {
        const { config, plan, provider, release } = setup("ipv6", "1.15");
        const bgp = new BgpControlPlane("bgp15", { config, plan, provider, ciliumRelease: release, bgpPassword: TEST_PASSWORD });
        await Promise.all([...bgp.resources, ...bgp.nodePatches].map((r) => valueOf(r.urn)));
        assert.deepEqual(recorded.filter((r) => r.type.startsWith("kubernetes:cilium.io/")).map((r) => r.type), ["kubernetes:cilium.io/v2alpha1:CiliumBGPPeeringPolicy"]);
        const patches = recorded.filter((r) => r.type === "kubernetes:core/v1:NodePatch");
        assert.equal(patches.length, plan.nodes.length);
        assert.deepEqual(patches[0].inputs.metadata, { name: plan.nodes[0].name, annotations: { "cilium.io/bgp-virtual-router.65500": `router-id=${plan.nodes[0].routerId}` } });
    });

    it("no Secret without authentication; a missing password with authentication is an error", () => {
        const { config, plan, provider, release } = setup("dev");
        assert.throws(() => new BgpControlPlane("nopw", { config, plan, provider, ciliumRelease: release }), /bgpPassword/);
        const off = loadFixture("dev", { patch: (raw) => { (raw.bgp as Record<string, unknown>).authentication = false; } });
        const bgp = new BgpControlPlane("noauth", { config: off.config, plan: off.plan, provider, ciliumRelease: release });
        assert.equal(bgp.authSecret, undefined);
    });
});

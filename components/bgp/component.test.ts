import { strict as assert } from "assert";
import * as pulumi from "@pulumi/pulumi";
import * as k8s from "@pulumi/kubernetes";
import { runUnderMocks } from "../../cli/mock-runtime";
import { TEST_PASSWORD, loadFixture } from "../../test/support/crd";
import { CiliumBgp } from "./component";
import { ciliumBgpArgsFromPlan } from "./fromPlan";
import { renderBgpObjects } from "./render";

const run = (program: () => unknown): ReturnType<typeof runUnderMocks> =>
    runUnderMocks(program, { project: "cilium-bgp-fabric", stack: "test", config: {} });

describe("CiliumBgp component (mocked), arguments from a stack's plan", () => {
    const build = (name: string, stack: string, line?: string, password?: pulumi.Input<string>): (() => CiliumBgp) => () => {
        const { config, plan } = loadFixture(stack, { line });
        const provider = new k8s.Provider(`${name}-k`, { kubeconfig: "x" });
        const release = new k8s.helm.v3.Release(`${name}-r`, { chart: "cilium" }, { provider });
        return new CiliumBgp(name, { ...ciliumBgpArgsFromPlan(config, plan), ...(password !== undefined ? { password } : {}) },
            { provider, dependsOn: [release] });
    };

    it("the auth Secret holds the password as a secret, and nothing else carries it; the peers wait for it", async () => {
        const password = "s3cret-Pa55";
        const { resources } = await run(build("bgp", "ipv6", undefined, pulumi.secret(password)));
        const secret = resources.find((r) => r.type === "kubernetes:core/v1:Secret")!;
        assert.equal(secret.name, "bgp-auth");
        assert.deepEqual(secret.inputs.metadata, { name: "bgp-auth-secret", namespace: "kube-system" });
        assert.deepEqual(secret.secretPaths, ["stringData"]);
        assert.deepEqual(secret.inputs.stringData, { password });
        for (const r of resources.filter((x) => x.type !== "kubernetes:core/v1:Secret")) assert.ok(!JSON.stringify(r.inputs).includes(password), r.name);
        const peer = resources.find((r) => r.inputs.kind === "CiliumBGPPeerConfig")!;
        assert.deepEqual(peer.dependsOn, ["kubernetes:helm.sh/v3:Release::bgp-r", "kubernetes:core/v1:Secret::bgp-auth"]);
        assert.equal((peer.inputs.spec as Record<string, unknown>).authSecretRef, "bgp-auth-secret");
    });

    it("a CustomResource per rendered object, with its apiVersion and kind, equal to the plan's rendering", async () => {
        const { config, plan } = loadFixture("ipv6-vyos");
        const { resources } = await run(build("bgp6", "ipv6-vyos", undefined, TEST_PASSWORD));
        const crs = resources.filter((r) => r.type.startsWith("kubernetes:cilium.io/"));
        const expected = renderBgpObjects(config, plan);
        const byName = new Map(crs.map((r) => [r.name, r]));
        assert.equal(crs.length, expected.length);
        for (const o of expected) {
            const r = byName.get(`bgp6-${o.kind.toLowerCase()}-${o.metadata.name}`);
            assert.ok(r, `${o.kind}/${o.metadata.name}`);
            assert.equal(r.type, `kubernetes:${o.apiVersion}:${o.kind}`);
            assert.deepEqual(r.inputs.spec, o.spec);
        }
        assert.ok(crs.every((r) => r.type.startsWith("kubernetes:cilium.io/v2alpha1:")));
    });

    it("1.15 IPv6: peering policy plus a NodePatch per node with the router-id annotation", async () => {
        const { plan } = loadFixture("ipv6", { line: "1.15" });
        const { resources } = await run(build("bgp15", "ipv6", "1.15", TEST_PASSWORD));
        assert.deepEqual(resources.filter((r) => r.type.startsWith("kubernetes:cilium.io/")).map((r) => r.type), ["kubernetes:cilium.io/v2alpha1:CiliumBGPPeeringPolicy"]);
        const patches = resources.filter((r) => r.type === "kubernetes:core/v1:NodePatch");
        assert.equal(patches.length, plan.nodes.length);
        assert.deepEqual(patches[0].inputs.metadata, { name: plan.nodes[0].name, annotations: { "cilium.io/bgp-virtual-router.65500": `router-id=${plan.nodes[0].routerId}` } });
    });

    it("no Secret and no authSecretRef without a password", async () => {
        const { resources } = await run(build("noauth", "dev"));
        assert.equal(resources.filter((r) => r.type === "kubernetes:core/v1:Secret").length, 0);
        assert.ok(!JSON.stringify(resources.map((r) => r.inputs)).includes("authSecretRef"));
    });
});

describe("CiliumBgp controlPlane argument", () => {
    const args = () => {
        const { config, plan } = loadFixture("ipv6-vyos");
        return ciliumBgpArgsFromPlan(config, plan);
    };
    it("v1 on 1.16: peering policies and the router-ID node patches (annotations), no v2 kinds", async () => {
        const { resources } = await run(() => {
            const provider = new k8s.Provider("k", { kubeconfig: "x" });
            return new CiliumBgp("bgpv1", { ...args(), ciliumVersion: "1.16.19", controlPlane: "v1" }, { provider });
        });
        const kinds = [...new Set(resources.filter((r) => r.type.startsWith("kubernetes:cilium.io/")).map((r) => r.inputs.kind))];
        assert.deepEqual(kinds, ["CiliumBGPPeeringPolicy"]);
        assert.equal(resources.filter((r) => r.type === "kubernetes:core/v1:NodePatch").length, 3);
    });
    it("a line that does not serve the API is refused naming the argument", () => {
        assert.throws(() => new CiliumBgp("x", { ...args(), ciliumVersion: "1.19.6", controlPlane: "v1" }), /controlPlane: v1 is not served by Cilium 1\.19 \(it serves v2\)/);
        assert.throws(() => new CiliumBgp("y", { ...args(), ciliumVersion: "1.15.19", controlPlane: "v2" }), /controlPlane: v2 is not served by Cilium 1\.15 \(it serves v1\)/);
        assert.throws(() => new CiliumBgp("z", { ...args(), controlPlane: "v3" }), /controlPlane: "v3" is not v1 or v2/);
    });
});

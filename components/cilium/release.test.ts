import { strict as assert } from "assert";
import * as k8s from "@pulumi/kubernetes";
import { runUnderMocks } from "../../cli/mock-runtime";
import { loadFixture } from "../../test/support/crd";
import { ciliumReleaseArgsFromPlan } from "./fromPlan";
import { CiliumRelease } from "./release";
import { computeCiliumValues } from "./values";

describe("CiliumRelease component (mocked), arguments from a stack's plan", () => {
    it("one Helm release: cilium chart from helm.cilium.io, the configured version, kube-system, computed values", async () => {
        const { config, plan } = loadFixture("ipv6");
        const { resources } = await runUnderMocks(() => new CiliumRelease("cilium", ciliumReleaseArgsFromPlan(config, plan),
            { provider: new k8s.Provider("k", { kubeconfig: "x" }) }), { project: "cilium-bgp-fabric", stack: "test", config: {} });
        const rel = resources.filter((r) => r.type === "kubernetes:helm.sh/v3:Release");
        assert.equal(rel.length, 1);
        assert.equal(rel[0].name, "cilium-release");
        const i = rel[0].inputs;
        assert.equal(i.name, "cilium");
        assert.equal(i.chart, "cilium");
        assert.equal(i.version, "1.18.12");
        assert.equal(i.namespace, "kube-system");
        assert.deepEqual(i.repositoryOpts, { repo: "https://helm.cilium.io/" });
        assert.deepEqual(i.values, computeCiliumValues(config, plan));
    });

    it("refuses values with removed keys before anything is created", () => {
        // The loader refuses them first (a ConfigError naming cilium.values.tunnel); the component checks again.
        assert.throws(() => loadFixture("dev", { patch: (raw) => { (raw.cilium as Record<string, unknown>).values = { tunnel: "disabled" }; } }), /cilium\.values\.tunnel/);
        const { config, plan } = loadFixture("dev");
        config.cilium.values = { tunnel: "disabled" };
        assert.throws(() => new CiliumRelease("bad", ciliumReleaseArgsFromPlan(config, plan)), /tunnel/);
    });
});

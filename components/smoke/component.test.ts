import { strict as assert } from "assert";
import * as k8s from "@pulumi/kubernetes";
import { type RecordedResource, loadFixture, recordingMocks, valueOf } from "../../test/support/crd";
import { SmokeWorkload } from "./component";
import { smokeWorkloadArgsFromPlan } from "./fromPlan";
import { renderSmokeObjects } from "./render";

describe("SmokeWorkload component (mocked)", () => {
    let recorded: RecordedResource[];
    let restore: () => Promise<void>;
    before(async () => { ({ recorded, restore } = await recordingMocks()); });
    after(() => restore());
    beforeEach(() => { recorded.length = 0; });

    const setup = (name: string): { provider: k8s.Provider; release: k8s.helm.v3.Release } => {
        const provider = new k8s.Provider(`k-${name}`, { kubeconfig: "x" });
        return { provider, release: new k8s.helm.v3.Release(`r-${name}`, { chart: "cilium" }, { provider }) };
    };

    it("a Namespace, a Deployment and a LoadBalancer Service, as rendered, through the typed SDK classes", async () => {
        const { config, plan } = loadFixture("dev");
        const { provider, release } = setup("dev");
        const s = new SmokeWorkload("smoke", smokeWorkloadArgsFromPlan(config, plan), { provider, dependsOn: [release] });
        await Promise.all([s.deployment!, s.service, s.namespace!].map((r) => valueOf(r.urn)));
        const expected = renderSmokeObjects(config, plan)!;
        const byType = (t: string): RecordedResource => recorded.find((r) => r.type === t)!;
        const dep = byType("kubernetes:apps/v1:Deployment");
        assert.equal(dep.name, "smoke-deployment");
        assert.deepEqual(dep.inputs.spec, expected.deployment!.spec);
        assert.equal(dep.inputs.kind, "Deployment");
        const svc = byType("kubernetes:core/v1:Service");
        assert.deepEqual(svc.inputs.spec, expected.service.spec);
        assert.deepEqual(svc.inputs.metadata, expected.service.metadata);
        assert.deepEqual(byType("kubernetes:core/v1:Namespace").inputs.metadata, expected.namespace!.object.metadata);
        assert.deepEqual(s.hostNodes, config.smoke.nodes);
        assert.equal(s.address, expected.request.address);
    });

    it("with a selector: the Service alone (no Deployment), selecting those pods", async () => {
        const { config, plan } = loadFixture("seed-003-single-router");
        const { provider, release } = setup("seed003");
        const s = new SmokeWorkload("smoke3", smokeWorkloadArgsFromPlan(config, plan), { provider, dependsOn: [release] });
        await valueOf(s.service.urn);
        assert.equal(s.deployment, undefined);
        assert.ok(!recorded.some((r) => r.type === "kubernetes:apps/v1:Deployment"));
        const svc = recorded.find((r) => r.type === "kubernetes:core/v1:Service")!;
        assert.deepEqual(svc.inputs.spec, renderSmokeObjects(config, plan)!.service.spec);
        assert.deepEqual(s.hostNodes, []);
        assert.deepEqual(s.objects.map((o) => o.kind), ["Namespace", "Service"]);
    });

    it("patches a built-in namespace that needs the Gateway's route labels", async () => {
        const { config, plan } = loadFixture("ipv6", { patch: (raw) => { (raw.smoke as Record<string, unknown>).namespace = "default"; } });
        const { provider, release } = setup("ipv6");
        const s = new SmokeWorkload("smoke6", smokeWorkloadArgsFromPlan(config, plan), { provider, dependsOn: [release] });
        await valueOf(s.namespace!.urn);
        const patch = recorded.find((r) => r.type === "kubernetes:core/v1:NamespacePatch")!;
        assert.equal((patch.inputs.metadata as { name: string }).name, "default");
        assert.ok(!recorded.some((r) => r.type === "kubernetes:core/v1:Namespace"));
    });
});

import { strict as assert } from "assert";
import * as k8s from "@pulumi/kubernetes";
import { type RecordedResource, loadFixture, recordingMocks, valueOf } from "../../test/support/crd";
import { LoadBalancerPools } from "./component";

describe("LoadBalancerPools component (mocked)", () => {
    let recorded: RecordedResource[];
    let restore: () => Promise<void>;
    before(async () => { ({ recorded, restore } = await recordingMocks()); });
    after(() => restore());

    it("a CustomResource per pool with the line's apiVersion", async () => {
        const { config, plan } = loadFixture("dev");
        const c = new LoadBalancerPools("lb", { config, plan, provider: new k8s.Provider("k", { kubeconfig: "x" }) });
        await Promise.all(c.pools.map((p) => valueOf(p.urn)));
        const crs = recorded.filter((r) => r.type === "kubernetes:cilium.io/v2alpha1:CiliumLoadBalancerIPPool");
        assert.deepEqual(crs.map((r) => r.name), ["lb-default", "lb-smoke"]);
        assert.deepEqual((crs[1].inputs.spec as Record<string, unknown>).blocks, [{ cidr: "10.100.1.0/27" }]);
    });
});

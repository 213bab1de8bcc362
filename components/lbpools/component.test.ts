import { strict as assert } from "assert";
import * as k8s from "@pulumi/kubernetes";
import { runUnderMocks } from "../../cli/mock-runtime";
import { loadFixture } from "../../test/support/crd";
import { LoadBalancerPools } from "./component";
import { loadBalancerPoolsArgsFromPlan } from "./fromPlan";

describe("LoadBalancerPools component (mocked), arguments from a stack's plan", () => {
    it("a CustomResource per pool with the line's apiVersion", async () => {
        const { config, plan } = loadFixture("dev");
        const { resources } = await runUnderMocks(() => new LoadBalancerPools("lb", loadBalancerPoolsArgsFromPlan(config, plan),
            { provider: new k8s.Provider("k", { kubeconfig: "x" }) }), { project: "cilium-bgp-fabric", stack: "test", config: {} });
        const crs = resources.filter((r) => r.type === "kubernetes:cilium.io/v2alpha1:CiliumLoadBalancerIPPool");
        assert.deepEqual(crs.map((r) => r.name), ["lb-default", "lb-smoke"]);
        assert.deepEqual((crs[1].inputs.spec as Record<string, unknown>).blocks, [{ cidr: "10.100.1.0/27" }]);
    });
});

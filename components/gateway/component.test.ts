import { strict as assert } from "assert";
import * as k8s from "@pulumi/kubernetes";
import { type RecordedResource, loadFixture, recordingMocks, valueOf } from "../../test/support/crd";
import { GatewayApi } from "./component";
import { GatewayApiCrds } from "./crds";
import { gatewayApiArgsFromPlan } from "./fromPlan";
import { gatewayApiCrdsUrl, renderGatewayObjects } from "./render";

describe("GatewayApiCrds and GatewayApi components (mocked)", () => {
    let recorded: RecordedResource[];
    let restore: () => Promise<void>;
    before(async () => { ({ recorded, restore } = await recordingMocks()); });
    after(() => restore());

    it("the CRDs: a yaml/v2 ConfigFile of the release's install URL; the Gateway and HTTPRoute as rendered", async () => {
        const { config, plan } = loadFixture("ipv6");
        const provider = new k8s.Provider("k", { kubeconfig: "x" });
        const release = new k8s.helm.v3.Release("r", { chart: "cilium" }, { provider });
        const pools = new k8s.apiextensions.CustomResource("p", { apiVersion: "cilium.io/v2", kind: "CiliumLoadBalancerIPPool", metadata: { name: "p" } }, { provider });
        const crds = new GatewayApiCrds("crds", { version: config.gatewayApi.version, channel: config.gatewayApi.channel }, { provider });
        const gw = new GatewayApi("gw", gatewayApiArgsFromPlan(config, plan), { provider, dependsOn: [crds, release, pools] });
        await Promise.all([gw.gateway, gw.httpRoute!, gw.namespace!].map((r) => valueOf(r.urn)));
        await valueOf(crds.urn);

        const file = recorded.find((r) => r.type === "kubernetes:yaml/v2:ConfigFile")!;
        assert.equal(file.name, "crds-install");
        assert.deepEqual(file.inputs, { file: gatewayApiCrdsUrl(config.gatewayApi) });
        assert.equal(crds.url, file.inputs.file);

        const expected = renderGatewayObjects(config, plan)!;
        const gateway = recorded.find((r) => r.type === "kubernetes:gateway.networking.k8s.io/v1:Gateway")!;
        assert.equal(gateway.name, "gw-gateway");
        assert.deepEqual(gateway.inputs.spec, expected.gateway.spec);
        assert.deepEqual(gateway.inputs.metadata, expected.gateway.metadata);
        const route = recorded.find((r) => r.type === "kubernetes:gateway.networking.k8s.io/v1:HTTPRoute")!;
        assert.deepEqual(route.inputs.spec, expected.httpRoute!.spec);
        const ns = recorded.find((r) => r.type === "kubernetes:core/v1:Namespace")!;
        assert.deepEqual(ns.inputs.metadata, { name: config.gatewayApi.namespace });
        assert.equal(gw.address, expected.request.address);
        assert.ok(gw.curl.includes(gw.address));
    });

    it("refuses to build without the switch", () => {
        const { config, plan } = loadFixture("dev");
        assert.throws(() => gatewayApiArgsFromPlan(config, plan), /gatewayApi.enabled/);
    });
});

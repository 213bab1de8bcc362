/**
 * The Gateway API and smoke workload switches through the whole program under mocks: which
 * objects exist with each switch on and off, their dependency order, the Helm values, and the
 * stack outputs (addresses and curl lines).
 */
import { strict as assert } from "assert";
import { readStackConfig, type StackFileConfig } from "../../components/config/stackfile";
import type { RecordedResource } from "../../cli/mock-runtime";
import { type OfflineRun, runFabricOffline } from "../../cli/offline";
import { parseAddress } from "../../components/plan/addr";
import { gatewayApiReleaseTable } from "../support/gateway-api";

type Obj = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any

const ENV = { CBF_BGP_PASSWORD: "e2e-Passw0rd" };
const KEY = (k: string): string => `cilium-bgp-fabric:${k}`;

/** A shipped stack's configuration with gatewayApi / smoke replaced (undefined: as shipped). */
function stackWith(stack: string, keys: { gatewayApi?: Obj; smoke?: Obj } = {}): StackFileConfig {
    const sc = readStackConfig(".", stack, {});
    const values = { ...sc.values };
    for (const [k, v] of Object.entries(keys)) if (v !== undefined) values[KEY(k)] = JSON.stringify(v);
    return { ...sc, values };
}

const ofType = (run: OfflineRun, suffix: string): RecordedResource[] => run.resources.filter((r) => r.type.endsWith(suffix));
const one = (run: OfflineRun, suffix: string): RecordedResource => {
    const rs = ofType(run, suffix);
    assert.equal(rs.length, 1, `${suffix}: ${rs.map((r) => r.name).join(", ")}`);
    return rs[0];
};
const keyOf = (r: RecordedResource): string => `${r.type}::${r.name}`;
const inputs = (r: RecordedResource): Obj => r.inputs as Obj;

describe("Gateway API and smoke workload switches (whole program under mocks)", function () {
    this.timeout(120000);
    const runs: Record<string, OfflineRun> = {};
    before(async () => {
        runs.dev = await runFabricOffline("dev", stackWith("dev"), ENV);
        runs.ipv6 = await runFabricOffline("ipv6", stackWith("ipv6"), ENV);
        runs.vyos = await runFabricOffline("ipv6-vyos", stackWith("ipv6-vyos"), ENV);
        runs.ipv6Off = await runFabricOffline("ipv6", stackWith("ipv6", { gatewayApi: { enabled: false }, smoke: { enabled: false } }), ENV);
        runs.devGateway = await runFabricOffline("dev", stackWith("dev", { gatewayApi: { enabled: true, lbPool: "default", httpRoute: true } }), ENV);
        runs.ipv6GatewayOnly = await runFabricOffline("ipv6", stackWith("ipv6", { gatewayApi: { enabled: true }, smoke: { enabled: false } }), ENV);
    });

    it("both on (ipv6): CRDs, Gateway, HTTPRoute, Deployment and Service; Cilium runs its Gateway API controller", () => {
        const r = runs.ipv6;
        const crds = one(r, ":ConfigFile");
        assert.equal(crds.type, "kubernetes:yaml/v2:ConfigFile");
        const release = gatewayApiReleaseTable()[r.config.cilium.line];
        assert.equal(crds.inputs.file, `https://github.com/kubernetes-sigs/gateway-api/releases/download/${release}/standard-install.yaml`);
        assert.equal(one(r, ":Gateway").type, "kubernetes:gateway.networking.k8s.io/v1:Gateway");
        assert.equal(one(r, ":HTTPRoute").type, "kubernetes:gateway.networking.k8s.io/v1:HTTPRoute");
        assert.equal(one(r, ":Deployment").type, "kubernetes:apps/v1:Deployment");
        assert.equal(inputs(one(r, "core/v1:Service")).spec.type, "LoadBalancer");
        assert.deepEqual((one(r, ":Release").inputs.values as Obj).gatewayAPI, { enabled: true, gatewayClass: { create: "true" } });
        assert.deepEqual(ofType(r, "core/v1:Namespace").map((n) => inputs(n).metadata.name).sort(), ["gateway", "smoke"]);
    });

    it("both off (ipv6 switched off, ipv6-vyos as shipped): none of those objects and no gatewayAPI Helm values", () => {
        for (const r of [runs.ipv6Off, runs.vyos]) {
            for (const t of [":ConfigFile", ":Gateway", ":HTTPRoute", ":Deployment", "core/v1:Service", "core/v1:Namespace", ":GatewayApi", ":GatewayApiCrds", ":SmokeWorkload"]) {
                assert.deepEqual(ofType(r, t).map((x) => x.name), [], t);
            }
            assert.equal((one(r, ":Release").inputs.values as Obj).gatewayAPI, undefined);
        }
    });

    it("smoke on, gateway off (dev): the workload without any Gateway API object", () => {
        const r = runs.dev;
        assert.equal(ofType(r, ":Deployment").length, 1);
        assert.equal(ofType(r, "core/v1:Service").length, 1);
        for (const t of [":ConfigFile", ":Gateway", ":HTTPRoute"]) assert.equal(ofType(r, t).length, 0, t);
        assert.equal(inputs(one(r, "core/v1:Service")).spec.externalTrafficPolicy, "Local");
    });

    it("gateway on, smoke off: the Gateway without route or workload", () => {
        const r = runs.ipv6GatewayOnly;
        assert.equal(ofType(r, ":Gateway").length, 1);
        for (const t of [":HTTPRoute", ":Deployment", "core/v1:Service"]) assert.equal(ofType(r, t).length, 0, t);
    });

    it("dependency order: CRDs before Cilium; Gateway after CRDs, Cilium and the pools; the workload after Cilium and the pools", () => {
        for (const r of [runs.ipv6, runs.devGateway]) {
            const crds = one(r, ":GatewayApiCrds");
            const cilium = one(r, ":CiliumRelease");
            const pools = one(r, ":LoadBalancerPools");
            const smoke = one(r, ":SmokeWorkload");
            // CiliumRelease hands its dependencies to the Helm release inside it.
            assert.ok(one(r, ":Release").dependsOn?.includes(keyOf(crds)), `Release dependsOn ${one(r, ":Release").dependsOn}`);
            const gateway = one(r, ":Gateway");
            for (const d of [crds, cilium, pools]) assert.ok(gateway.dependsOn?.includes(keyOf(d)), `Gateway dependsOn ${gateway.dependsOn} lacks ${keyOf(d)}`);
            const route = one(r, ":HTTPRoute");
            for (const d of [gateway, smoke]) assert.ok(route.dependsOn?.includes(keyOf(d)), `HTTPRoute dependsOn ${route.dependsOn} lacks ${keyOf(d)}`);
            assert.ok(one(r, ":Deployment").dependsOn?.includes(keyOf(cilium)));
            const service = one(r, "core/v1:Service");
            for (const d of [cilium, pools]) assert.ok(service.dependsOn?.includes(keyOf(d)), `Service dependsOn ${service.dependsOn}`);
            assert.equal(one(r, ":ConfigFile").parent, keyOf(crds));
        }
    });

    it("components carry the type tokens the pack and plan expect, and the objects are their children", () => {
        const r = runs.ipv6;
        for (const [child, parent] of [[":Gateway", ":GatewayApi"], [":HTTPRoute", ":GatewayApi"], [":Deployment", ":SmokeWorkload"], ["core/v1:Service", ":SmokeWorkload"]]) {
            assert.equal(one(r, child).parent, keyOf(one(r, parent)), child);
        }
        assert.equal(one(r, ":GatewayApi").type, "cilium-bgp-fabric:gateway:GatewayApi");
        assert.equal(one(r, ":SmokeWorkload").type, "cilium-bgp-fabric:smoke:SmokeWorkload");
    });

    it("stack outputs: each switch's address (the one its object requests) and curl line, absent when off", () => {
        const r = runs.ipv6;
        const gwAddress = inputs(one(r, ":Gateway")).spec.addresses[0].value as string;
        const svcAddress = Object.values(inputs(one(r, "core/v1:Service")).metadata.annotations as Record<string, string>)[0];
        assert.equal(r.outputs.gatewayAddress, gwAddress);
        assert.equal(r.outputs.smokeServiceAddress, svcAddress);
        assert.notEqual(gwAddress, svcAddress);
        for (const a of [gwAddress, svcAddress]) assert.equal(typeof parseAddress(a), "object", a);
        assert.ok(String(r.outputs.gatewayCurl).startsWith("curl ") && String(r.outputs.gatewayCurl).includes(`[${gwAddress}]:80`), String(r.outputs.gatewayCurl));
        assert.ok(String(r.outputs.smokeCurl).includes(`[${svcAddress}]:80`), String(r.outputs.smokeCurl));
        const dev = runs.dev.outputs;
        assert.ok(String(dev.smokeCurl).includes(`//${dev.smokeServiceAddress}:80/`), String(dev.smokeCurl));
        for (const k of ["gatewayAddress", "gatewayCurl"]) assert.ok(!(k in dev) || dev[k] === undefined, k);
        for (const k of ["gatewayAddress", "gatewayCurl", "smokeServiceAddress", "smokeCurl"]) {
            assert.ok(!(k in runs.vyos.outputs) || runs.vyos.outputs[k] === undefined, k);
        }
    });
});

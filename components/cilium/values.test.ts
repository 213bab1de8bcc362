import { strict as assert } from "assert";
import { ALL_LINES, STACKS, chartSchemaFor, loadFixture, validateHelmValues } from "../../test/support/crd";
import { baseCiliumValues, checkCiliumValues, computeCiliumValues, nodeRouterIdPool } from "./values";
import { deepMerge } from "./merge";
import { ciliumApi } from "./api";
import { loadVariant } from "../routers/testing";

type Obj = Record<string, unknown>;

describe("Cilium Helm values", () => {
    for (const stack of STACKS) {
        for (const line of ALL_LINES) {
            const title = chartSchemaFor(line)
                ? `${stack} on ${line}: validate against chart values.schema.json, no removed keys`
                : `${stack} on ${line}: no chart schema in the reference data for 1.15; removed keys checked by our own rule`;
            it(title, () => {
                const { config, plan } = loadFixture(stack, { line });
                const values = computeCiliumValues(config, plan);
                const errors = validateHelmValues(line, values);
                if (chartSchemaFor(line)) assert.deepEqual(errors, []);
                else assert.equal(errors, undefined);
                assert.ok(!("tunnel" in values));
                assert.deepEqual(checkCiliumValues(line, values), []);
            });
        }
    }

    it("with several aggregates the native-routing CIDR is the block holding the pod CIDR (not the first)", () => {
        const s = loadVariant("ipv6-aggregates");
        assert.notEqual(s.plan.aggregates[0], "1001:cafe:42::/56", "the variant must put the pods in a later block");
        assert.equal(computeCiliumValues(s.config, s.plan).ipv6NativeRoutingCIDR, "1001:cafe:42::/56");
    });

    it("family, native routing, IPAM and masquerade follow the plan", () => {
        const dev = loadFixture("dev");
        const v4 = computeCiliumValues(dev.config, dev.plan);
        assert.deepEqual(v4.ipv4, { enabled: true });
        assert.deepEqual(v4.ipv6, { enabled: false });
        assert.equal(v4.routingMode, "native");
        assert.equal(v4.ipv4NativeRoutingCIDR, dev.plan.aggregate);
        assert.equal(v4.enableIPv4Masquerade, false);
        assert.equal(v4.autoDirectNodeRoutes, false, "two racks, two L2 segments");
        assert.equal(v4.kubeProxyReplacement, "true");
        assert.deepEqual(v4.ipam, { mode: "cluster-pool", operator: { clusterPoolIPv4PodCIDRList: [dev.plan.podCidr], clusterPoolIPv4MaskSize: 24 } });
        assert.equal(v4.k8sServiceHost, "dev-control-plane");
        assert.equal(v4.k8sServicePort, 6443);
        assert.deepEqual(v4.bgpControlPlane, { enabled: true, secretsNamespace: { name: "kube-system", create: false } });

        const six = loadFixture("ipv6");
        const v6 = computeCiliumValues(six.config, six.plan);
        assert.deepEqual(v6.ipv4, { enabled: false });
        assert.equal(v6.ipv6NativeRoutingCIDR, six.plan.aggregate);
        assert.equal(v6.enableIPv6Masquerade, false);
        assert.equal(v6.autoDirectNodeRoutes, true, "one node subnet");
        assert.deepEqual((v6.ipam as Obj).operator, { clusterPoolIPv6PodCIDRList: [six.plan.podCidr], clusterPoolIPv6MaskSize: 64 });
    });

    it("1.18+ IPv6-only: routerIDAllocation ip-pool, from the router-ID pool minus the routers' 256 IDs", () => {
        const six = loadFixture("ipv6");
        assert.equal(nodeRouterIdPool(six.plan), "10.255.1.0/24");
        assert.deepEqual(((computeCiliumValues(six.config, six.plan).bgpControlPlane as Obj).routerIDAllocation), { mode: "ip-pool", ipPool: "10.255.1.0/24" });
        for (const r of six.plan.routers) assert.ok(!r.routerId.startsWith("10.255.1."), r.routerId);
        for (const line of ["1.15", "1.16", "1.17"]) {
            const f = loadFixture("ipv6", { line });
            assert.equal((computeCiliumValues(f.config, f.plan).bgpControlPlane as Obj).routerIDAllocation, undefined);
        }
        const dev = loadFixture("dev", { line: "1.20" });
        assert.equal((computeCiliumValues(dev.config, dev.plan).bgpControlPlane as Obj).routerIDAllocation, undefined);
    });

    it("another secrets namespace is created by the chart", () => {
        const f = loadFixture("dev", { patch: (raw) => { (raw.bgp as Obj).secretsNamespace = "cilium-bgp-secrets"; } });
        assert.deepEqual((computeCiliumValues(f.config, f.plan).bgpControlPlane as Obj).secretsNamespace, { name: "cilium-bgp-secrets", create: true });
    });

    it("user values are merged last: objects recursively, arrays and scalars replaced", () => {
        const f = loadFixture("dev", { patch: (raw) => {
            (raw.cilium as Obj).values = { ipam: { operator: { clusterPoolIPv4PodCIDRList: ["10.9.0.0/16"] } }, bgpControlPlane: { statusReport: { enabled: false } }, k8sServicePort: 7443 };
        } });
        const v = computeCiliumValues(f.config, f.plan);
        assert.deepEqual((v.ipam as Obj).operator, { clusterPoolIPv4PodCIDRList: ["10.9.0.0/16"], clusterPoolIPv4MaskSize: 24 });
        assert.deepEqual(v.bgpControlPlane, { enabled: true, secretsNamespace: { name: "kube-system", create: false }, statusReport: { enabled: false } });
        assert.equal(v.k8sServicePort, 7443);
        assert.notDeepEqual(baseCiliumValues(f.config, f.plan).k8sServicePort, 7443);
    });

    it("deepMerge does not modify its inputs", () => {
        const a = { x: { y: [1, 2], z: 1 } };
        const b = { x: { y: [3] }, w: null };
        assert.deepEqual(deepMerge(a, b), { x: { y: [3], z: 1 }, w: null });
        assert.deepEqual(a, { x: { y: [1, 2], z: 1 } });
    });

    it("existing clusters: no API server default, so k8sServiceHost must come from the user's values", () => {
        // The loader refuses this stack (cilium.values.k8sServiceHost); the values are computed from a patched config.
        const f = loadFixture("dev");
        f.config.cluster.provider = "existing";
        const v = computeCiliumValues(f.config, f.plan);
        assert.equal(v.k8sServiceHost, undefined);
        assert.ok(checkCiliumValues("1.17", v).some((p) => p.startsWith("k8sServiceHost")));
        const g = loadFixture("dev", { patch: (raw) => { (raw.cluster as Obj).provider = "existing"; (raw.cilium as Obj).values = { k8sServiceHost: "api.example", k8sServicePort: 443 }; } });
        const w = computeCiliumValues(g.config, g.plan);
        assert.equal(w.k8sServiceHost, "api.example");
        assert.deepEqual(checkCiliumValues("1.17", w), []);
    });

    describe("broken values fail", () => {
        const { config, plan } = loadFixture("ipv6");
        const good = computeCiliumValues(config, plan);
        for (const line of ["1.16", "1.17", "1.18", "1.19", "1.20"]) {
            it(`${line}: the chart schema rejects a wrongly typed value (the check can fail)`, () => {
                const errs = validateHelmValues(line, { ...good, autoDirectNodeRoutes: 3, ipam: { mode: 7 } });
                assert.ok(errs && errs.length > 0);
            });
            it(`${line}: tunnel and kubeProxyReplacement "strict" - schema accepts them (it allows unknown keys), our rule refuses them`, () => {
                const bad = { ...good, tunnel: "disabled", kubeProxyReplacement: "strict" };
                // The reference schemas allow unknown keys and type kubeProxyReplacement as any string.
                const schemaErrors = validateHelmValues(line, bad) ?? [];
                const problems = checkCiliumValues(line, bad);
                assert.ok(problems.some((p) => p.startsWith("tunnel:")), problems.join("\n"));
                assert.ok(problems.some((p) => p.startsWith("kubeProxyReplacement:")), problems.join("\n"));
                assert.deepEqual(schemaErrors, [], "the chart schema now refuses these too: keep our rule, update this test's title");
            });
        }
        it("routerIDAllocation before 1.18 is refused", () => {
            assert.ok(checkCiliumValues("1.17", { ...good, bgpControlPlane: { routerIDAllocation: { mode: "ip-pool" } } }).length > 0);
        });
    });

    it("api facts: 1.15 v1, 1.16/1.17 v2alpha1, 1.18+ v2", () => {
        assert.deepEqual(["1.15", "1.16", "1.17", "1.18", "1.19", "1.20"].map((l) => `${ciliumApi(l).bgpApi}:${ciliumApi(l).bgpApiVersion}:${ciliumApi(l).lbPoolApiVersion}`), [
            "v1:cilium.io/v2alpha1:cilium.io/v2alpha1", "v2:cilium.io/v2alpha1:cilium.io/v2alpha1", "v2:cilium.io/v2alpha1:cilium.io/v2alpha1",
            "v2:cilium.io/v2:cilium.io/v2", "v2:cilium.io/v2:cilium.io/v2", "v2:cilium.io/v2:cilium.io/v2",
        ]);
        assert.throws(() => ciliumApi("1.14"));
    });
});

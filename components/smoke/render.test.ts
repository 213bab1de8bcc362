import { strict as assert } from "assert";
import { ALL_LINES, loadFixture } from "../../test/support/crd";
import { containsAddress, parseAddress, parsePrefix, type Prefix } from "../plan/addr";
import { HOSTNAME_LABEL, nodeLabels, selectorMatches } from "../bgp/selectors";
import { renderBgpObjects } from "../bgp/render";
import { renderLbPools } from "../lbpools/render";
import type { K8sObject } from "../cilium/api";
import type { LabelSelector } from "../config/types";
import { CONTROL_PLANE_TAINT, renderSmoke, renderSmokeObjects, smokeCurl, smokePlacement } from "./render";
import { smokeWorkloadArgsFromPlan } from "./fromPlan";

type Obj = Record<string, unknown>;
type AnyObj = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any

/** The Service advertisement selector as rendered for the line: v2 advertisement selector, or v1 peering policy serviceSelector. */
function advertisementSelectors(objects: K8sObject[]): LabelSelector[] {
    const out: LabelSelector[] = [];
    for (const o of objects) {
        const spec = o.spec as AnyObj;
        if (o.kind === "CiliumBGPAdvertisement") for (const a of spec.advertisements as AnyObj[]) if (a.advertisementType === "Service") out.push(a.selector);
        if (o.kind === "CiliumBGPPeeringPolicy") for (const r of spec.virtualRouters as AnyObj[]) out.push(r.serviceSelector);
    }
    return out;
}

describe("smoke workload objects", () => {
    for (const line of ALL_LINES) {
        for (const stack of ["dev", "ipv6-vyos"]) {
            it(`${stack} on ${line}: the Service requests an address of its pool, which (and the BGP Service advertisement) selects it`, () => {
                const f = loadFixture(stack, { line, patch: (raw) => {
                    if (stack === "ipv6-vyos") raw.smoke = { enabled: true };
                    delete raw.gatewayApi;
                } });
                const { service } = renderSmokeObjects(f.config, f.plan)!;
                const annotations = Object.entries(service.metadata.annotations ?? {});
                assert.equal(annotations.length, 1);
                const [key, address] = annotations[0];
                // LB IPAM's annotation moved to the lbipam.cilium.io prefix in 1.16.
                assert.equal(key, line === "1.15" ? "io.cilium/lb-ipam-ips" : "lbipam.cilium.io/ips");
                const pool = renderLbPools(f.config, f.plan).find((p) => p.metadata.name === f.config.smoke.lbPool)!;
                const a = parseAddress(address) as { family: "ipv4" | "ipv6"; value: bigint };
                assert.ok(containsAddress(parsePrefix(((pool.spec as AnyObj).blocks[0]).cidr) as Prefix, a.family, a.value), address);
                const labels = service.metadata.labels ?? {};
                const poolSelector = (pool.spec as AnyObj).serviceSelector as LabelSelector | undefined;
                if (stack === "dev") assert.ok(poolSelector, "dev's smoke pool has a selector");
                if (poolSelector) assert.ok(selectorMatches(poolSelector, labels), JSON.stringify(labels));
                const selectors = advertisementSelectors(renderBgpObjects(f.config, f.plan));
                assert.ok(selectors.length > 0);
                for (const sel of selectors) assert.ok(selectorMatches(sel, labels), `${JSON.stringify(sel)} vs ${JSON.stringify(labels)}`);
                assert.deepEqual((service.spec as AnyObj).ipFamilies, [f.plan.family === "ipv4" ? "IPv4" : "IPv6"]);
            });
        }
    }

    it("dev: pods pinned by hostname to the configured nodes, spread one per node, the Service selecting them with the configured traffic policy", () => {
        const f = loadFixture("dev");
        const { deployment, service } = renderSmokeObjects(f.config, f.plan)!;
        const spec = deployment!.spec as AnyObj;
        const terms = spec.template.spec.affinity.nodeAffinity.requiredDuringSchedulingIgnoredDuringExecution.nodeSelectorTerms;
        assert.deepEqual(terms, [{ matchExpressions: [{ key: HOSTNAME_LABEL, operator: "In", values: f.config.smoke.nodes }] }]);
        // The nodes the pods may land on, by the labels the cluster gives plan nodes.
        const eligible = f.plan.nodes.filter((n) => terms[0].matchExpressions[0].values.includes(nodeLabels(n)[HOSTNAME_LABEL])).map((n) => n.name);
        assert.deepEqual(eligible, ["worker-2", "worker-3"]);
        assert.equal(spec.replicas, 2);
        assert.deepEqual(spec.template.spec.topologySpreadConstraints[0].topologyKey, HOSTNAME_LABEL);
        assert.equal(spec.template.spec.topologySpreadConstraints[0].whenUnsatisfiable, "DoNotSchedule");
        assert.ok(selectorMatches(spec.selector, spec.template.metadata.labels));
        assert.ok(selectorMatches({ matchLabels: (service.spec as AnyObj).selector }, spec.template.metadata.labels));
        assert.equal((service.spec as AnyObj).externalTrafficPolicy, "Local");
        assert.equal((service.spec as AnyObj).type, "LoadBalancer");
        assert.equal(spec.template.spec.tolerations, undefined, "workers need no toleration");
        const container = spec.template.spec.containers[0];
        assert.equal(container.image, f.config.smoke.image);
        assert.equal(container.ports[0].containerPort, f.config.smoke.containerPort);
        assert.equal((service.spec as AnyObj).ports[0].targetPort, container.ports[0].name);
    });

    it("a pinned control-plane node gets the toleration its taint needs", () => {
        const f = loadFixture("dev", { patch: (raw) => { (raw.smoke as Obj).nodes = ["control-plane-1"]; } });
        const spec = renderSmokeObjects(f.config, f.plan)!.deployment!.spec as AnyObj;
        assert.deepEqual(spec.template.spec.tolerations, [{ key: CONTROL_PLANE_TAINT, operator: "Exists", effect: "NoSchedule" }]);
    });

    it("the namespace is created (labelled for the Gateway when routed); a built-in one is only patched when it needs labels", () => {
        const dev = loadFixture("dev");
        assert.deepEqual(renderSmokeObjects(dev.config, dev.plan)!.namespace, { object: { apiVersion: "v1", kind: "Namespace", metadata: { name: "smoke" } }, patch: false });
        const builtIn = loadFixture("dev", { patch: (raw) => { (raw.smoke as Obj).namespace = "default"; } });
        assert.equal(renderSmokeObjects(builtIn.config, builtIn.plan)!.namespace, undefined);
        const routed = loadFixture("ipv6", { patch: (raw) => { (raw.smoke as Obj).namespace = "default"; } });
        const ns = renderSmokeObjects(routed.config, routed.plan)!.namespace!;
        assert.equal(ns.patch, true);
        assert.ok(selectorMatches(routed.config.gatewayApi.allowedNamespaces, ns.object.metadata.labels ?? {}));
    });

    it("smokePlacement: the lab's view matches the rendered Service and Deployment; undefined when off", () => {
        for (const stack of ["dev", "ipv6"]) {
            const f = loadFixture(stack);
            const placement = smokePlacement(f.config, f.plan)!;
            const { deployment, service } = renderSmokeObjects(f.config, f.plan)!;
            assert.equal(placement.address, Object.values(service.metadata.annotations ?? {})[0]);
            assert.equal(placement.name, service.metadata.name);
            assert.equal(placement.namespace, service.metadata.namespace);
            assert.equal(placement.externalTrafficPolicy, (service.spec as AnyObj).externalTrafficPolicy);
            assert.equal(placement.family, f.plan.family);
            const pinned = (deployment!.spec as AnyObj).template.spec.affinity.nodeAffinity.requiredDuringSchedulingIgnoredDuringExecution.nodeSelectorTerms[0].matchExpressions[0].values;
            assert.deepEqual(placement.nodes, pinned);
            for (const n of placement.nodes) assert.ok(f.plan.nodes.some((p) => p.name === n), n);
            assert.ok((deployment!.spec as AnyObj).replicas >= placement.nodes.length, "every listed node hosts a pod");
        }
        const off = loadFixture("ipv6-vyos");
        assert.equal(smokePlacement(off.config, off.plan), undefined);
        assert.equal(renderSmokeObjects(off.config, off.plan), undefined);
    });

    it("smoke.labels and smoke.annotations (seed 003): on the Service beside the selector label, the selectors' labels and the address request; the pods keep app only", () => {
        const f = loadFixture("dev", { patch: (raw) => {
            (raw.smoke as Obj).labels = { "homelab/part-of": "traefik-ingress", "pool": "smoke" };
            (raw.smoke as Obj).annotations = { "external-dns.alpha.kubernetes.io/hostname": "ingress-k8s.mei-home.net" };
        } });
        const { deployment, service } = renderSmokeObjects(f.config, f.plan)!;
        assert.deepEqual(service.metadata.labels, { "app": "echo", "homelab/part-of": "traefik-ingress", "pool": "smoke" });
        const address = smokePlacement(f.config, f.plan)!.address;
        assert.deepEqual(service.metadata.annotations, { "external-dns.alpha.kubernetes.io/hostname": "ingress-k8s.mei-home.net", "lbipam.cilium.io/ips": address });
        assert.deepEqual((service.spec as AnyObj).selector, { app: "echo" });
        assert.deepEqual((deployment!.spec as AnyObj).template.metadata.labels, { app: "echo" });
        // Without the keys: the labels the selectors need, the address annotation alone.
        const plain = renderSmokeObjects(loadFixture("dev").config, loadFixture("dev").plan)!.service;
        assert.deepEqual(plain.metadata.labels, { app: "echo", pool: "smoke" });
        assert.deepEqual(Object.keys(plain.metadata.annotations ?? {}), ["lbipam.cilium.io/ips"]);
    });

    it("renderSmoke refuses labels that move the selector label and annotations that rewrite the address request", () => {
        const f = loadFixture("dev");
        const args = smokeWorkloadArgsFromPlan(f.config, f.plan);
        assert.throws(() => renderSmoke({ ...args, serviceLabels: { app: "other" } }), /serviceLabels\.app: "other" would override the selector label app: echo/);
        assert.throws(() => renderSmoke({ ...args, serviceAnnotations: { "io.cilium/lb-ipam-ips": "10.100.1.9" } }), /the LB-IPAM address request is written from address/);
        assert.doesNotThrow(() => renderSmoke({ ...args, serviceLabels: { app: "echo", team: "net" } }));
    });

    it("the curl line targets the Service's address and port", () => {
        const f = loadFixture("ipv6");
        const address = smokePlacement(f.config, f.plan)!.address;
        assert.equal(smokeCurl(f.config, address), `curl -g 'http://[${address}]:${f.config.smoke.port}/'`);
    });
});

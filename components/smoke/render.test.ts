import { strict as assert } from "assert";
import { ALL_LINES, loadFixture } from "../../test/support/crd";
import { containsAddress, parseAddress, parsePrefix, type Prefix } from "../plan/addr";
import { HOSTNAME_LABEL, nodeLabels, selectorMatches } from "../bgp/selectors";
import { renderBgpObjects } from "../bgp/render";
import { renderLbPools } from "../lbpools/render";
import type { K8sObject } from "../cilium/api";
import type { LabelSelector } from "../config/types";
import { CONTROL_PLANE_TAINT, renderSmoke, renderSmokeObjects, servicePortsProblem, smokeCurl, smokePlacement } from "./render";
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

    it("smoke.portName names the Service port and the own pods' container port, which the Service targets by that name", () => {
        const f = loadFixture("dev", { patch: (raw) => { (raw.smoke as Obj).portName = "secureweb"; } });
        const { deployment, service } = renderSmokeObjects(f.config, f.plan)!;
        const container = (deployment!.spec as AnyObj).template.spec.containers[0];
        assert.deepEqual(container.ports, [{ name: "secureweb", containerPort: f.config.smoke.containerPort, protocol: "TCP" }]);
        assert.deepEqual(container.readinessProbe.tcpSocket, { port: "secureweb" });
        assert.deepEqual((service.spec as AnyObj).ports, [{ name: "secureweb", port: f.config.smoke.port, targetPort: "secureweb", protocol: "TCP" }]);
        // Default: http, and no nodePort (Kubernetes allocates one).
        assert.deepEqual((renderSmokeObjects(loadFixture("dev").config, loadFixture("dev").plan)!.service.spec as AnyObj).ports[0], { name: "http", port: 80, targetPort: "http", protocol: "TCP" });
    });

    it("smoke.selector: the Service selects those pods, no Deployment and no app label of its own; targetPort defaults to the port; {} renders no selector", () => {
        const traefik = { "app.kubernetes.io/name": "traefik", "app.kubernetes.io/instance": "traefik-ingress-traefik-ingress" };
        const f = loadFixture("dev", { patch: (raw) => {
            Object.assign(raw.smoke as Obj, { selector: traefik, portName: "websecure", port: 443, nodePort: 31512, labels: { pool: "smoke" } });
            delete (raw.smoke as Obj).nodes;
            delete (raw.smoke as Obj).replicas;
            delete raw.gatewayApi;
        } });
        const objects = renderSmokeObjects(f.config, f.plan)!;
        assert.equal(objects.deployment, undefined);
        const spec = objects.service.spec as AnyObj;
        assert.deepEqual(spec.selector, traefik);
        assert.deepEqual(spec.ports, [{ name: "websecure", port: 443, targetPort: 443, protocol: "TCP", nodePort: 31512 }]);
        assert.equal(objects.service.metadata.labels?.app, undefined);
        assert.deepEqual(smokePlacement(f.config, f.plan)!.nodes, []);
        assert.deepEqual(smokePlacement(f.config, f.plan)!.externalSelector, traefik);
        const none = loadFixture("dev", { patch: (raw) => {
            Object.assign(raw.smoke as Obj, { selector: {}, targetPort: "8443" });
            delete (raw.smoke as Obj).nodes;
            delete (raw.smoke as Obj).replicas;
            delete raw.gatewayApi;
        } });
        const spec0 = renderSmokeObjects(none.config, none.plan)!.service.spec as AnyObj;
        assert.ok(!("selector" in spec0), JSON.stringify(spec0));
        assert.equal(spec0.ports[0].targetPort, 8443, "a number in digits is a port number");
    });

    it("seed 003's stack renders the seed's port (lines 236-241) and no selector (lines 224-242 give none)", () => {
        const f = loadFixture("seed-003-single-router");
        const { deployment, service } = renderSmokeObjects(f.config, f.plan)!;
        assert.equal(deployment, undefined);
        assert.deepEqual((service.spec as AnyObj).ports, [{ name: "secureweb", port: 443, targetPort: "secureweb", protocol: "TCP", nodePort: 31512 }]);
        assert.equal((service.spec as AnyObj).selector, undefined);
    });

    it("renderSmoke refuses a nodePort outside 30000-32767, targetPort for its own pods, nodes with a selector and bad port names", () => {
        const f = loadFixture("dev");
        const args = smokeWorkloadArgsFromPlan(f.config, f.plan);
        assert.throws(() => renderSmoke({ ...args, nodePort: 29999 }), /nodePort: 29999 is outside Kubernetes' default service-node-port-range 30000-32767/);
        assert.throws(() => renderSmoke({ ...args, nodePort: 32768 }), /outside Kubernetes' default service-node-port-range/);
        assert.doesNotThrow(() => renderSmoke({ ...args, nodePort: 30000 }));
        assert.doesNotThrow(() => renderSmoke({ ...args, nodePort: 32767 }));
        assert.throws(() => renderSmoke({ ...args, targetPort: "web" }), /targetPort: "web" is only for pods `selector` picks/);
        assert.throws(() => renderSmoke({ ...args, selector: { app: "traefik" } }), /nodes: worker-2, worker-3: the component pins no pods while `selector` picks other pods/);
        const ext = { ...args, nodes: [], selector: { app: "traefik" } };
        assert.throws(() => renderSmoke({ ...ext, targetPort: "0" }), /targetPort: 0 is not a port number between 1 and 65535/);
        assert.throws(() => renderSmoke({ ...ext, targetPort: "web--secure" }), /targetPort: "web--secure" must be a port number or a Kubernetes port name/);
        // A Service port name may be longer than a container port name (DNS-1123 label vs IANA_SVC_NAME).
        assert.doesNotThrow(() => renderSmoke({ ...ext, portName: "secure-web-over-tls" }));
        assert.throws(() => renderSmoke({ ...args, portName: "secure-web-over-tls" }), /portName: "secure-web-over-tls" names the container port too/);
    });

    it("servicePortsProblem: a nodePort only on type NodePort or LoadBalancer; allocateLoadBalancerNodePorts false still takes a requested one", () => {
        const port = { name: "web", port: 443, targetPort: 443, protocol: "TCP" as const, nodePort: 31512 };
        assert.match(servicePortsProblem({ type: "ClusterIP", ports: [port] }) ?? "", /ports\[web\]\.nodePort: 31512 needs a Service of type NodePort or LoadBalancer \(type is ClusterIP\)/);
        assert.match(servicePortsProblem({ ports: [port] }) ?? "", /type is ClusterIP/);
        assert.equal(servicePortsProblem({ type: "NodePort", ports: [port] }), undefined);
        assert.equal(servicePortsProblem({ type: "LoadBalancer", ports: [port] }), undefined);
        assert.equal(servicePortsProblem({ type: "LoadBalancer", allocateLoadBalancerNodePorts: false, ports: [port] }), undefined);
        // The smoke Service leaves allocateLoadBalancerNodePorts to Kubernetes' default (true).
        const f = loadFixture("seed-003-single-router");
        assert.equal((renderSmokeObjects(f.config, f.plan)!.service.spec as AnyObj).allocateLoadBalancerNodePorts, undefined);
    });

    it("the curl line targets the Service's address and port", () => {
        const f = loadFixture("ipv6");
        const address = smokePlacement(f.config, f.plan)!.address;
        assert.equal(smokeCurl(f.config, address), `curl -g 'http://[${address}]:${f.config.smoke.port}/'`);
    });
});

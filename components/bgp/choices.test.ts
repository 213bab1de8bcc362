/**
 * The per-object choices the seeds make (issue 16): object names, node selectors with node labels,
 * per-rack service selectors, no PodCIDR / Service advertisement, no LB pool, kube-proxy kept.
 * Every rendered object is validated against the targeted line's CRDs or chart schema.
 */
import { strict as assert } from "assert";
import { parse } from "yaml";
import { crdValidatorFor, loadFixture, validateHelmValues } from "../../test/support/crd";
import type { K8sObject } from "../cilium/api";
import { computeCiliumValues } from "../cilium/values";
import { clusterArgsFromPlan, clusterRenderInput, renderK3dConfig, renderKindConfig } from "../cluster";
import { renderFrrConfig } from "../routers/frr";
import { renderLbPools } from "../lbpools/render";
import { checkSessionsAgainstPlan, renderBgpObjects } from "./index";

type Obj = Record<string, unknown>;
const bgpOf = (raw: Obj): Obj => (raw.bgp ??= {}) as Obj;
const spec = (o: K8sObject | undefined): Obj => (o?.spec ?? {}) as Obj;
const valid = (line: string, objects: K8sObject[]): void => {
    const v = crdValidatorFor(line);
    for (const o of objects) assert.deepEqual(v.validate(o), [], `${o.kind}/${o.metadata.name}`);
};

describe("seed 000's object names (bgp.objectNames)", () => {
    const { config, plan } = loadFixture("ipv6", { patch: (raw) => {
        bgpOf(raw).objectNames = { peerConfig: "cilium-peer", serviceAdvertisement: "bgp-advertisements", podCidrAdvertisement: "bgp-advertisements-podcidr" };
    } });
    const objects = renderBgpObjects(config, plan);
    it("names every object as the seed does: cilium-bgp, instance-65500, peers r01/r02, cilium-peer, both advertisements", () => {
        const names = objects.map((o) => `${o.kind}/${o.metadata.name}`).sort();
        assert.deepEqual(names, ["CiliumBGPAdvertisement/bgp-advertisements", "CiliumBGPAdvertisement/bgp-advertisements-podcidr",
            "CiliumBGPClusterConfig/cilium-bgp", "CiliumBGPPeerConfig/cilium-peer"]);
        const inst = (spec(objects.find((o) => o.kind === "CiliumBGPClusterConfig")).bgpInstances as Obj[])[0];
        assert.equal(inst.name, "instance-65500");
        assert.deepEqual((inst.peers as Obj[]).map((p) => [p.name, (p.peerConfigRef as Obj).name]), [["r01", "cilium-peer"], ["r02", "cilium-peer"]]);
        valid("1.18", objects);
        assert.deepEqual(checkSessionsAgainstPlan(objects, plan), []);
    });
    it("with iBGP and eBGP sessions both, the configured peer config name gets -ibgp / -ebgp", () => {
        const mixed = loadFixture("dev", { patch: (raw) => {
            bgpOf(raw).objectNames = { peerConfig: "peer" };
            (raw.asn as { racks: Record<string, number> }).racks.rack2 = 65112;
        } });
        const objs = renderBgpObjects(mixed.config, mixed.plan);
        assert.deepEqual(objs.filter((o) => o.kind === "CiliumBGPPeerConfig").map((o) => o.metadata.name), ["peer-ebgp", "peer-ibgp"]);
        assert.deepEqual(checkSessionsAgainstPlan(objs, mixed.plan), []);
    });
    it("a name that is not a Kubernetes object name is refused naming the key", () => {
        assert.throws(() => loadFixture("ipv6", { patch: (raw) => { bgpOf(raw).objectNames = { clusterConfig: "Cilium_BGP" }; } }),
            /bgp\.objectNames\.clusterConfig = "Cilium_BGP": must be a Kubernetes object name/);
    });
});

describe("seeds 002/004: one v1 policy per rack, named and service-selected per rack (bgp.racks)", () => {
    const racks = {
        rack1: { name: "rack0", serviceSelector: { matchExpressions: [{ key: "evn", operator: "NotIn", values: ["test"] }] } },
        rack2: { name: "rack1", serviceSelector: { matchExpressions: [{ key: "env", operator: "NotIn", values: ["test"] }] } },
    };
    for (const line of ["1.16", "1.17", "1.18"]) {
        it(`Cilium ${line}: policies rack0/rack1 with their own serviceSelector, valid against the line's CRD`, () => {
            const { config, plan } = loadFixture("dev", { line, patch: (raw) => { bgpOf(raw).controlPlane = "v1"; bgpOf(raw).racks = racks; } });
            const objects = renderBgpObjects(config, plan);
            assert.deepEqual(objects.map((o) => o.metadata.name), ["rack0", "rack1"]);
            const vr = (o: K8sObject): Obj => (spec(o).virtualRouters as Obj[])[0];
            assert.deepEqual(vr(objects[0]).serviceSelector, racks.rack1.serviceSelector);
            assert.deepEqual(vr(objects[1]).serviceSelector, racks.rack2.serviceSelector);
            assert.deepEqual(spec(objects[0]).nodeSelector, { matchLabels: { rack: "rack1" } });
            valid(line, objects);
            assert.deepEqual(checkSessionsAgainstPlan(objects, plan), []);
        });
    }
    it("a per-rack service selector needs v1 (v2 picks advertisements per peer config)", () => {
        assert.throws(() => loadFixture("dev", { patch: (raw) => { bgpOf(raw).racks = racks; } }), /bgp\.racks\.rack1\.serviceSelector = .*needs bgp\.controlPlane: v1/);
    });
    it("a rack name on v2 names the rack's cluster config", () => {
        const { config, plan } = loadFixture("dev", { patch: (raw) => { bgpOf(raw).racks = { rack1: { name: "rack0" } }; } });
        assert.deepEqual(renderBgpObjects(config, plan).filter((o) => o.kind === "CiliumBGPClusterConfig").map((o) => o.metadata.name), ["rack0", "cilium-bgp-rack2"]);
    });
    it("an unknown rack, or a rack that shares its object with others, is refused with the reason", () => {
        assert.throws(() => loadFixture("dev", { patch: (raw) => { bgpOf(raw).racks = { rack9: { name: "x" } }; } }), /bgp\.racks\.rack9 = .*names no rack of cluster\.nodes \(rack1, rack2\)/);
        // Same ASN for both racks' nodes and ToRs of the ipv6 plan: one object for the whole cluster.
        assert.throws(() => loadFixture("ipv6", { patch: (raw) => {
            const c = raw.cluster as { nodes: Obj[] };
            c.nodes.forEach((n) => { n.rack = "rack1"; });
            c.nodes[2].rack = "rack2";
            bgpOf(raw).racks = { rack2: { name: "rack-two" } };
        } }), /bgp\.racks\.rack2 = .*cannot name or select for the rack alone: the whole cluster shares one object/);
    });
});

describe("seed 003: only labelled workers peer, no PodCIDR, v1 on 1.16-1.18 (bgp.nodeSelector, cluster.nodes[].labels)", () => {
    const seed003 = (raw: Obj): void => {
        const nodes = (raw.cluster as { nodes: Obj[] }).nodes;
        for (const n of nodes.filter((x) => x.role !== "control-plane")) n.labels = { "homelab/role": "worker" };
        Object.assign(bgpOf(raw), { controlPlane: "v1", nodeSelector: { matchLabels: { "homelab/role": "worker" } }, objectNames: { clusterConfig: "worker-node-bgp" } });
        (bgpOf(raw).podCidrAdvertisement as Obj).enabled = false;
    };
    const { config, plan } = loadFixture("ipv6", { patch: seed003 });
    const objects = renderBgpObjects(config, plan);
    it("the control plane has no session, on either side", () => {
        assert.deepEqual([...new Set(plan.nodeSessions.map((s) => s.node))], ["worker-2", "worker-3"]);
        const cp = plan.nodes.find((n) => n.name === "cp-1")!;
        for (const r of plan.routers) {
            const frr = renderFrrConfig({ config, plan, router: r, password: "pw" });
            assert.ok(!frr.includes(`neighbor ${cp.address} `), `${r.name} peers with the control plane`);
            assert.ok(frr.includes(`neighbor ${plan.nodes.find((n) => n.name === "worker-2")!.address} `));
        }
    });
    it("one policy worker-node-bgp selecting the label, exportPodCIDR false, valid on 1.18", () => {
        assert.deepEqual(objects.map((o) => `${o.kind}/${o.metadata.name}`), ["CiliumBGPPeeringPolicy/worker-node-bgp"]);
        assert.deepEqual(spec(objects[0]).nodeSelector, { matchLabels: { "homelab/role": "worker" } });
        const vr = (spec(objects[0]).virtualRouters as Obj[])[0];
        assert.equal(vr.exportPodCIDR, false);
        assert.equal((vr.neighbors as Obj[]).some((n) => n.advertisedPathAttributes !== undefined), false);
        valid("1.18", objects);
        assert.deepEqual(checkSessionsAgainstPlan(objects, plan), []);
    });
    it("the labels reach kind (kubelet --node-labels) and k3d (nodeLabels) through the Cluster Args", () => {
        const { config: c, plan: p } = clusterRenderInput(clusterArgsFromPlan(config, plan));
        const kindNodes = renderKindConfig(c, p).nodes as { kubeadmConfigPatches: string[] }[];
        assert.match(kindNodes[1].kubeadmConfigPatches[0], /node-labels: "homelab\/role=worker"/);
        assert.doesNotMatch(kindNodes[0].kubeadmConfigPatches[0], /node-labels/);
        const k3d = renderK3dConfig(c, p) as { options: { k3s: { nodeLabels: { label: string; nodeFilters: string[] }[] } } };
        assert.deepEqual(k3d.options.k3s.nodeLabels, [
            { label: "homelab/role=worker", nodeFilters: ["agent:0"] }, { label: "homelab/role=worker", nodeFilters: ["agent:1"] }]);
    });
    it("v2 gets the same: the ClusterConfig's selector is the configured one, no PodCIDR advertisement", () => {
        const v2 = loadFixture("ipv6", { patch: (raw) => { seed003(raw); bgpOf(raw).controlPlane = "v2"; } });
        const objs = renderBgpObjects(v2.config, v2.plan);
        assert.deepEqual(spec(objs.find((o) => o.kind === "CiliumBGPClusterConfig")).nodeSelector, { matchLabels: { "homelab/role": "worker" } });
        assert.equal(objs.some((o) => o.kind === "CiliumBGPAdvertisement" && JSON.stringify(o.spec).includes("PodCIDR")), false);
        valid("1.18", objs);
        assert.deepEqual(checkSessionsAgainstPlan(objs, v2.plan), []);
    });
    it("refusals: a selector that selects no node, labels kubelet refuses, PodCIDR off across segments", () => {
        assert.throws(() => loadFixture("ipv6", { patch: (raw) => { bgpOf(raw).nodeSelector = { matchLabels: { "homelab/role": "worker" } }; } }),
            /bgp\.nodeSelector = .*selects no node of cluster\.nodes .*cluster\.nodes\[\]\.labels/);
        assert.throws(() => loadFixture("ipv6", { patch: (raw) => { (raw.cluster as { nodes: Obj[] }).nodes[1].labels = { "node-role.kubernetes.io/worker": "" }; } }),
            /cluster\.nodes\[1\]\.labels\.node-role\.kubernetes\.io\/worker = "": is in the kubernetes\.io \/ k8s\.io namespace, which kubelet --node-labels refuses/);
        assert.throws(() => loadFixture("ipv6", { patch: (raw) => { (raw.cluster as { nodes: Obj[] }).nodes[1].labels = { rack: "r" }; } }),
            /cluster\.nodes\[1\]\.labels\.rack = "r": is set by the program/);
        assert.throws(() => loadFixture("dev", { patch: (raw) => { (bgpOf(raw).podCidrAdvertisement as Obj).enabled = false; } }),
            /bgp\.podCidrAdvertisement\.enabled = false: needs every node on one segment: the nodes are on 2/);
    });
});

describe("no Service advertisement, no LB pool", () => {
    const none = (raw: Obj): void => {
        (bgpOf(raw).serviceAdvertisement as Obj).addresses = [];
        raw.smoke = { enabled: false };
        raw.gatewayApi = { enabled: false };
    };
    it("v2: no Service advertisement object; v1: no serviceSelector, so Cilium announces no service", () => {
        const v2 = loadFixture("ipv6", { patch: none });
        const objs = renderBgpObjects(v2.config, v2.plan);
        assert.deepEqual(objs.filter((o) => o.kind === "CiliumBGPAdvertisement").map((o) => o.metadata.name), ["bgp-podcidr"]);
        valid("1.18", objs);
        const v1 = loadFixture("ipv6", { patch: (raw) => { none(raw); bgpOf(raw).controlPlane = "v1"; } });
        const vr = (spec(renderBgpObjects(v1.config, v1.plan)[0]).virtualRouters as Obj[])[0];
        assert.equal("serviceSelector" in vr, false);
        assert.equal("serviceAdvertisements" in vr, false);
    });
    it("lbPools: [] means no pool at all (absent: one carved pool)", () => {
        const { config, plan } = loadFixture("dev", { patch: (raw) => { none(raw); (raw.addressPlan as Obj).lbPools = []; } });
        assert.deepEqual(plan.lbPools, []);
        assert.deepEqual(renderLbPools(config, plan), []);
        assert.equal(loadFixture("dev", { patch: (raw) => { none(raw); delete (raw.addressPlan as Obj).lbPools; } }).plan.lbPools.length, 1);
    });
    it("the smoke workload and the Gateway need a pool and the LoadBalancerIP advertisement: refused naming the keys", () => {
        assert.throws(() => loadFixture("dev", { patch: (raw) => { (raw.addressPlan as Obj).lbPools = []; } }),
            /addressPlan\.lbPools = \[\]: is empty, but smoke\.enabled needs a pool for its LoadBalancer address/);
        assert.throws(() => loadFixture("ipv6", { patch: (raw) => { (raw.addressPlan as Obj).lbPools = []; } }),
            /addressPlan\.lbPools = \[\]: is empty, but gatewayApi\.enabled needs a pool/);
        assert.throws(() => loadFixture("ipv6", { patch: (raw) => { (bgpOf(raw).serviceAdvertisement as Obj).addresses = []; } }),
            /bgp\.serviceAdvertisement\.addresses = \[\]: must include LoadBalancerIP while gatewayApi\.enabled and smoke\.enabled/);
    });
});

describe("kube-proxy kept (cilium.kubeProxyReplacement: false)", () => {
    const keep = (raw: Obj): void => { raw.cilium = { ...(raw.cilium as Obj), kubeProxyReplacement: false }; };
    for (const line of ["1.16", "1.17", "1.18", "1.19", "1.20"]) {
        it(`Cilium ${line}: Helm kubeProxyReplacement "false", valid against the chart schema`, () => {
            const { config, plan } = loadFixture("dev", { line, patch: keep });
            const values = computeCiliumValues(config, plan);
            assert.equal(values.kubeProxyReplacement, "false");
            assert.deepEqual(validateHelmValues(line, values), []);
        });
    }
    it("kind keeps its kube-proxy (no kubeProxyMode none), k3d drops --disable-kube-proxy", () => {
        const { config, plan } = loadFixture("dev", { patch: keep });
        const { config: c, plan: p } = clusterRenderInput(clusterArgsFromPlan(config, plan));
        assert.equal((renderKindConfig(c, p).networking as Obj).kubeProxyMode, undefined);
        const args = JSON.stringify(renderK3dConfig(c, p));
        assert.ok(!args.includes("--disable-kube-proxy") && args.includes("--flannel-backend=none"));
        // The default still removes it.
        const d = loadFixture("dev");
        const dc = clusterRenderInput(clusterArgsFromPlan(d.config, d.plan));
        assert.equal((renderKindConfig(dc.config, dc.plan).networking as Obj).kubeProxyMode, "none");
        assert.match(JSON.stringify(renderK3dConfig(dc.config, dc.plan)), /--disable-kube-proxy/);
    });
    it("the Gateway API controller then gets Cilium's NodePort implementation (nodePort.enabled up to 1.18)", () => {
        const { config, plan } = loadFixture("ipv6", { patch: keep });
        const values = computeCiliumValues(config, plan);
        assert.deepEqual(values.nodePort, { enabled: true });
        assert.deepEqual(validateHelmValues("1.18", values), []);
        const v119 = loadFixture("ipv6", { line: "1.19", patch: (raw) => { keep(raw); raw.gatewayApi = { ...(raw.gatewayApi as Obj), enabled: true }; } });
        assert.equal(computeCiliumValues(v119.config, v119.plan).nodePort, undefined);
    });
    it("the stack file: kind's YAML as written (parsed back)", () => {
        const { config, plan } = loadFixture("dev", { patch: keep });
        const { config: c, plan: p } = clusterRenderInput(clusterArgsFromPlan(config, plan));
        assert.deepEqual(parse(JSON.stringify(renderKindConfig(c, p))).networking.disableDefaultCNI, true);
    });
});

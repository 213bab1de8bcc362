/**
 * The Kubernetes side of the shipped dual stack (Pulumi.dual.yaml): cluster configs, Cilium
 * values, LB pools, BGP objects and the smoke Service carry both families. Expected values are
 * read off the stack file by hand (its prefixes, ids and names), not computed by the code under
 * test; the objects are validated against the reference CRDs and chart schema of the line.
 */
import { strict as assert } from "assert";
import { parse } from "yaml";
import { crdValidatorFor, loadFixture, validateHelmValues } from "../test/support/crd";
import { renderBgpObjects } from "./bgp/render";
import { computeCiliumValues } from "./cilium/values";
import { renderJoinScript, renderK3dConfig, renderKindConfig } from "./cluster";
import { lbRequests } from "./lbpools/requests";
import { renderLbPools } from "./lbpools/render";
import { renderSmoke, renderSmokeObjects } from "./smoke/render";
import { smokeWorkloadArgsFromPlan } from "./smoke/fromPlan";
import { ConfigError } from "./config";
import type { K8sObject } from "./cilium/api";

type Obj = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any

describe("dual stack, Kubernetes side (Pulumi.dual.yaml)", () => {
    const { config, plan } = loadFixture("dual");

    it("kind: ipFamily dual, IPv4,IPv6 subnets, both node addresses for kubelet", () => {
        const kind = renderKindConfig(config, plan) as Obj;
        assert.equal(kind.networking.ipFamily, "dual");
        assert.equal(kind.networking.podSubnet, "10.30.64.0/18,2001:db8:30:100::/56");
        assert.equal(kind.networking.serviceSubnet, "10.30.128.0/20,2001:db8:30:200::/112");
        const cp = parse(kind.nodes[0].kubeadmConfigPatches[0]) as Obj;
        // cp-1 is id 1: host 32 + 1 = 33 in both halves (0x21 in IPv6).
        assert.equal(cp.nodeRegistration.kubeletExtraArgs["node-ip"], "10.30.0.33,2001:db8:30::21");
    });

    it("k3d: dual cluster and service CIDRs", () => {
        const args = ((renderK3dConfig(config, plan) as Obj).options.k3s.extraArgs as { arg: string }[]).map((a) => a.arg);
        assert.ok(args.includes("--cluster-cidr=10.30.64.0/18,2001:db8:30:100::/56"), args.join(" "));
        assert.ok(args.includes("--service-cidr=10.30.128.0/20,2001:db8:30:200::/112"), args.join(" "));
    });

    it("join script: both addresses on the segment and a default route per family via each family's VRRP address", () => {
        const script = renderJoinScript(config, plan, { nodes: "fab-nodes" });
        assert.match(script, /docker network connect --ip 10\.30\.0\.33 --ip6 2001:db8:30::21 'fab-nodes' /);
        const routes = script.split("\n").filter((l) => l.includes("route replace default"));
        assert.equal(routes.length, 3 * 2, routes.join("\n"));
        const v4Vip = plan.vrrpGroups[0].address;
        const v6Vip = plan.secondary?.vrrpGroups[0].address;
        assert.ok(routes.some((l) => l.endsWith(`ip route replace default via ${v4Vip}`)), routes.join("\n"));
        assert.ok(routes.some((l) => l.endsWith(`ip -6 route replace default via ${v6Vip}`)), routes.join("\n"));
    });

    it("Cilium values: both families on, a pod CIDR list and native-routing CIDR each, valid for the chart", () => {
        const v = computeCiliumValues(config, plan) as Obj;
        assert.deepEqual([v.ipv4.enabled, v.ipv6.enabled], [true, true]);
        assert.deepEqual(v.ipam.operator.clusterPoolIPv4PodCIDRList, ["10.30.64.0/18"]);
        assert.deepEqual(v.ipam.operator.clusterPoolIPv6PodCIDRList, ["2001:db8:30:100::/56"]);
        assert.equal(v.ipv4NativeRoutingCIDR, "10.30.0.0/16");
        assert.equal(v.ipv6NativeRoutingCIDR, "2001:db8:30::/48");
        assert.deepEqual([v.enableIPv4Masquerade, v.enableIPv6Masquerade], [false, false]);
        assert.deepEqual(validateHelmValues(config.cilium.line, v), []);
    });

    it("LB pool: one CiliumLoadBalancerIPPool with both blocks, valid for the CRD", () => {
        const pools = renderLbPools(config, plan);
        assert.equal(pools.length, 1);
        assert.deepEqual((pools[0].spec as Obj).blocks, [{ cidr: "10.30.200.0/27" }, { cidr: "2001:db8:30:300::/120" }]);
        assert.deepEqual(crdValidatorFor(config.cilium.line).validate(pools[0]), []);
    });

    it("BGP v2: a peer per router and family, each family's peer config carrying only that family", () => {
        const objects = renderBgpObjects(config, plan);
        const v = crdValidatorFor(config.cilium.line);
        for (const o of objects) assert.deepEqual(v.validate(o), [], `${o.kind}/${o.metadata.name}`);
        const cc = objects.find((o) => o.kind === "CiliumBGPClusterConfig") as Obj;
        const peers = cc.spec.bgpInstances[0].peers as Obj[];
        assert.deepEqual(peers.map((p) => `${p.name} ${p.peerAddress} ${p.peerConfigRef.name}`).sort(), [
            "r01-ipv4 10.30.0.1 cilium-peer-ebgp-ipv4", "r01-ipv6 2001:db8:30::1 cilium-peer-ebgp-ipv6",
            "r02-ipv4 10.30.0.2 cilium-peer-ebgp-ipv4", "r02-ipv6 2001:db8:30::2 cilium-peer-ebgp-ipv6",
        ]);
        const families = (name: string): string[] => ((objects.find((o) => o.metadata.name === name) as Obj).spec.families as Obj[]).map((f) => f.afi);
        assert.deepEqual(families("cilium-peer-ebgp-ipv4"), ["ipv4"]);
        assert.deepEqual(families("cilium-peer-ebgp-ipv6"), ["ipv6"]);
        // IPv4 node addresses give 32-bit router IDs: no override objects.
        assert.equal(objects.filter((o) => o.kind === "CiliumBGPNodeConfigOverride").length, 0);
    });

    it("BGP v1 (1.17): one neighbor per router and family, with that family only", () => {
        const v1 = loadFixture("dual", { line: "1.17", patch: (raw) => { raw.bgp = { controlPlane: "v1" }; } });
        const policy = renderBgpObjects(v1.config, v1.plan).find((o) => o.kind === "CiliumBGPPeeringPolicy") as Obj;
        const neighbors = policy.spec.virtualRouters[0].neighbors as Obj[];
        assert.deepEqual(neighbors.map((n) => `${n.peerAddress} ${(n.families as Obj[]).map((f) => f.afi).join(",")}`).sort(), [
            "10.30.0.1/32 ipv4", "10.30.0.2/32 ipv4", "2001:db8:30::1/128 ipv6", "2001:db8:30::2/128 ipv6",
        ]);
        assert.deepEqual(crdValidatorFor("1.17").validate(policy as K8sObject), []);
    });

    it("smoke Service: RequireDualStack with an address of each block", () => {
        const smoke = renderSmokeObjects(config, plan);
        const svc = smoke?.service as Obj;
        assert.equal(svc.spec.ipFamilyPolicy, "RequireDualStack");
        assert.deepEqual(svc.spec.ipFamilies, ["IPv4", "IPv6"]);
        assert.equal(svc.metadata.annotations["lbipam.cilium.io/ips"], "10.30.200.1,2001:db8:30:300::1");
    });

    it("a Gateway takes the primary family's address only, and is refused on a pool without an IPv4 block", () => {
        const gw = loadFixture("dual", { patch: (raw) => { raw.gatewayApi = { enabled: true }; } });
        const request = lbRequests(gw.config, gw.plan).gateway;
        assert.deepEqual(request?.addresses.map((a) => a.family), ["ipv4"]);
        assert.throws(() => loadFixture("dual", {
            patch: (raw) => {
                raw.gatewayApi = { enabled: true, lbPool: "v6-only" };
                const ap = raw.addressPlan as Obj;
                ap.ipv6 = { ...ap.ipv6, lbPools: [...ap.ipv6.lbPools, { name: "v6-only", cidr: "2001:db8:30:301::/120" }] };
            },
        }), (e: unknown) => e instanceof ConfigError && e.problems.some((p) => p.path === "gatewayApi.lbPool" && /has no IPv4 block/.test(p.rule)));
    });
});

describe("dual stack, IPv6 primary (cluster.primaryFamily: ipv6 on Pulumi.dual.yaml)", () => {
    const v6First = (raw: Record<string, unknown>): void => { raw.cluster = { ...(raw.cluster as Obj), primaryFamily: "ipv6" }; };
    const { config, plan } = loadFixture("dual", { patch: v6First });

    it("kind: IPv6 listed first in the pod and service subnets and in kubelet's node-ip", () => {
        const kind = renderKindConfig(config, plan) as Obj;
        assert.equal(kind.networking.podSubnet, "2001:db8:30:100::/56,10.30.64.0/18");
        assert.equal(kind.networking.serviceSubnet, "2001:db8:30:200::/112,10.30.128.0/20");
        const cp = parse(kind.nodes[0].kubeadmConfigPatches[0]) as Obj;
        assert.equal(cp.nodeRegistration.kubeletExtraArgs["node-ip"], "2001:db8:30::21,10.30.0.33");
    });

    it("k3d: IPv6 first in the cluster and service CIDRs", () => {
        const args = ((renderK3dConfig(config, plan) as Obj).options.k3s.extraArgs as { arg: string }[]).map((a) => a.arg);
        assert.ok(args.includes("--cluster-cidr=2001:db8:30:100::/56,10.30.64.0/18"), args.join(" "));
        assert.ok(args.includes("--service-cidr=2001:db8:30:200::/112,10.30.128.0/20"), args.join(" "));
    });

    it("join script: still both addresses, each with its own flag, whatever the order", () => {
        const script = renderJoinScript(config, plan, { nodes: "fab-nodes" });
        assert.match(script, /docker network connect --ip6 2001:db8:30::21 --ip 10\.30\.0\.33 'fab-nodes' /);
    });

    it("smoke Service: IPv6 listed first, its address first in LB IPAM's request", () => {
        const svc = renderSmokeObjects(config, plan)?.service as Obj;
        assert.equal(svc.spec.ipFamilyPolicy, "RequireDualStack");
        assert.deepEqual(svc.spec.ipFamilies, ["IPv6", "IPv4"]);
        assert.equal(svc.metadata.annotations["lbipam.cilium.io/ips"], "2001:db8:30:300::1,10.30.200.1");
    });

    it("SmokeWorkload refuses a secondaryAddress of the same family as address", () => {
        const args = smokeWorkloadArgsFromPlan(config, plan);
        assert.equal(args.secondaryAddress, "10.30.200.1");
        assert.throws(() => renderSmoke({ ...args, secondaryAddress: "2001:db8:30:300::9" }), /secondaryAddress: a dual-stack Service's second address must be of the other family/);
    });

    it("the routers and the BGP objects do not change with the primary family", () => {
        const ipv4First = loadFixture("dual");
        assert.deepEqual(renderBgpObjects(config, plan), renderBgpObjects(ipv4First.config, ipv4First.plan));
        assert.deepEqual(plan.allocations, ipv4First.plan.allocations);
    });

    it("a Gateway takes the IPv6 address, and is refused on a pool without an IPv6 block", () => {
        const gw = loadFixture("dual", { patch: (raw) => { v6First(raw); raw.gatewayApi = { enabled: true }; } });
        const request = lbRequests(gw.config, gw.plan).gateway;
        assert.deepEqual(request?.addresses.map((a) => a.address), ["2001:db8:30:300::1"]);
        assert.throws(() => loadFixture("dual", {
            patch: (raw) => {
                v6First(raw);
                raw.gatewayApi = { enabled: true, lbPool: "v4-only" };
                const ap = raw.addressPlan as Obj;
                ap.lbPools = [...ap.lbPools, { name: "v4-only", cidr: "10.30.201.0/24" }];
            },
        }), (e: unknown) => e instanceof ConfigError && e.problems.some((p) => p.path === "gatewayApi.lbPool" && /has no IPv6 block/.test(p.rule)));
    });

    it("the loader refuses cluster.primaryFamily naming the other family on a one-family stack", () => {
        assert.throws(() => loadFixture("ipv6", { patch: (raw) => { raw.cluster = { ...(raw.cluster as Obj), primaryFamily: "ipv4" }; } }),
            (e: unknown) => e instanceof ConfigError && e.problems.some((p) => p.path === "cluster.primaryFamily" && /only a choice with ipFamily dual/.test(p.rule)));
        // Naming the stack's own family is not a mistake.
        assert.equal(loadFixture("ipv6", { patch: (raw) => { raw.cluster = { ...(raw.cluster as Obj), primaryFamily: "ipv6" }; } }).config.cluster.primaryFamily, "ipv6");
    });
});

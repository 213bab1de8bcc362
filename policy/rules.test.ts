import { strict as assert } from "assert";
import { ipv4Stack, ipv6Stack, mutate, PASSWORD, res, without } from "./fixtures";
import { runPolicies, type PackConfig, type PolicyResource, type Violation } from "./run";

const V6_AGG: PackConfig = { "lb-pools-within-plan": { aggregates: ["2001:db8:ae3::/48"] } };
const V4_AGG: PackConfig = { "lb-pools-within-plan": { aggregates: ["10.0.0.0/8"] } };

function violations(resources: PolicyResource[], policy: string, config: PackConfig = {}): Violation[] {
    return runPolicies(resources, config).violations.filter((v) => v.policyName === policy);
}

/** Exactly one violation of the policy, whose message contains every fragment. */
function expectOne(vs: Violation[], resource: string, level: Violation["enforcementLevel"], ...fragments: string[]): Violation {
    assert.equal(vs.length, 1, `expected one violation, got:\n${vs.map((v) => v.message).join("\n")}`);
    const v = vs[0];
    assert.equal(v.resource, resource);
    assert.equal(v.enforcementLevel, level);
    for (const f of fragments) assert.ok(v.message.includes(f), `"${v.message}" lacks "${f}"`);
    return v;
}

describe("policy pack: valid fixtures", () => {
    it("the IPv6 ToR stack passes every policy", () => {
        assert.deepEqual(runPolicies(ipv6Stack(), V6_AGG).violations, []);
    });
    it("the IPv4 spine-leaf stack passes every policy", () => {
        assert.deepEqual(runPolicies(ipv4Stack(), V4_AGG).violations, []);
    });
});

describe("rule 1: lb-pools-within-plan", () => {
    const P = "lb-pools-within-plan";
    it("flags a block outside the configured aggregate", () => {
        const s = mutate(ipv6Stack(), "bgp-ciliumloadbalancerippool-lb-pool", (p) => { p.spec.blocks[0].cidr = "2001:db8:ae4:1::/64"; });
        expectOne(violations(s, P, V6_AGG), "bgp-ciliumloadbalancerippool-lb-pool", "mandatory", "CiliumLoadBalancerIPPool", "2001:db8:ae4:1::/64", "outside the aggregate(s) 2001:db8:ae3::/48");
    });
    it("uses the aggregate the program publishes when the pack config has none", () => {
        const s = [...mutate(ipv6Stack(), "bgp-ciliumloadbalancerippool-lb-pool", (p) => { p.spec.blocks[0].cidr = "2001:db8:ae4:1::/64"; }),
            res("cilium-bgp-fabric:lbpools:LoadBalancerPools", "lbpools", { plan: { aggregate: "2001:db8:ae3::/48" } })];
        expectOne(violations(s, P), "bgp-ciliumloadbalancerippool-lb-pool", "mandatory", "outside the aggregate(s) 2001:db8:ae3::/48");
    });
    it("flags overlaps with pods, services, node networks, loopbacks and other pools", () => {
        const cases: [string, string, string][] = [
            ["10.1.3.0/24", "pool default block 10.1.3.0/24 overlaps pod CIDR", "default"],
            ["10.96.1.0/24", "pool default block 10.96.1.0/24 overlaps service CIDR", "default"],
            ["10.0.1.0/28", "pool default block 10.0.1.0/28 overlaps Docker network cbf-dev-nodes-rack2 10.0.1.0/24", "default"],
            ["10.0.255.0/28", "pool default block 10.0.255.0/28 overlaps loopback of router spine1", "default"],
            // Pools are compared in order: the later pool is the one reported.
            ["10.100.1.0/28", "pool smoke block 10.100.1.0/27 overlaps pool default block 10.100.1.0/28", "smoke"],
        ];
        for (const [cidr, message, pool] of cases) {
            const s = mutate(ipv4Stack(), "bgp-ciliumloadbalancerippool-default", (p) => { p.spec.blocks[0].cidr = cidr; });
            const vs = violations(s, P, V4_AGG);
            assert.ok(vs.some((v) => v.message.includes(message) && v.resource === `bgp-ciliumloadbalancerippool-${pool}` && v.enforcementLevel === "mandatory"),
                `${cidr}: ${vs.map((v) => v.message).join("; ")}`);
        }
    });
    it("flags an invalid block", () => {
        const s = mutate(ipv4Stack(), "bgp-ciliumloadbalancerippool-smoke", (p) => { p.spec.blocks[0].cidr = "10.100.1.1/27"; });
        expectOne(violations(s, P, V4_AGG), "bgp-ciliumloadbalancerippool-smoke", "mandatory", "10.100.1.1/27", "host bits");
    });
});

describe("rule 2: ipv6-only-no-ipv4", () => {
    const P = "ipv6-only-no-ipv4";
    it("ignores IPv4 stacks", () => assert.deepEqual(violations(ipv4Stack(), P), []));
    it("flags an IPv4 LB pool, Cilium ipv4.enabled, IPv4 Docker subnet, cluster config and router address", () => {
        let s = mutate(ipv6Stack(), "bgp-ciliumloadbalancerippool-lb-pool", (p) => { p.spec.blocks.push({ cidr: "192.0.2.0/28" }); });
        expectOne(violations(s, P), "bgp-ciliumloadbalancerippool-lb-pool", "mandatory", "block 192.0.2.0/28 is IPv4");
        s = mutate(ipv6Stack(), "cbf-lab6-nodes", (p) => { p.ipamConfigs.push({ subnet: "172.30.0.0/24" }); });
        expectOne(violations(s, P), "cbf-lab6-nodes", "mandatory", "Network", "subnet 172.30.0.0/24 is IPv4");
        s = mutate(ipv6Stack(), "cluster-create", (p) => { p.stdin = p.stdin.replace("serviceSubnet: 2001:db8:ae3:c100::/112", "serviceSubnet: 10.96.0.0/16"); });
        expectOne(violations(s, P), "cluster-create", "mandatory", "service subnet 10.96.0.0/16 is IPv4");
        s = mutate(ipv6Stack(), "routers", (p) => { p.routers[0].addresses.push("192.0.2.1"); });
        expectOne(violations(s, P), "routers", "mandatory", "router r01 address 192.0.2.1 is IPv4");
    });
    it("with the family from the pack config, flags Cilium values that enable IPv4", () => {
        const s = mutate(ipv6Stack(), "cilium-release", (p) => { p.values.ipv4.enabled = true; });
        // The Helm values alone now say dual-stack; the pack config says IPv6-only.
        assert.deepEqual(violations(s, P), []);
        expectOne(violations(s, P, { [P]: { ipFamily: "ipv6" } }), "cilium-release", "mandatory", "Release", "ipv4.enabled is true");
    });
});

describe("rule 3: bgp-peer-addresses-planned", () => {
    const P = "bgp-peer-addresses-planned";
    it("accepts router loopbacks as peer addresses", () => {
        const s = mutate(ipv6Stack(), "bgp-ciliumbgpclusterconfig-bgp-cluster", (p) => { p.spec.bgpInstances[0].peers[0].peerAddress = "2001:db8:ae3:ffff::1"; });
        assert.deepEqual(violations(s, P), []);
    });
    it("flags a Cilium peer outside the node network", () => {
        const s = mutate(ipv6Stack(), "bgp-ciliumbgpclusterconfig-bgp-cluster", (p) => { p.spec.bgpInstances[0].peers[1].peerAddress = "2001:db8:ae3:eeee::2"; });
        expectOne(violations(s, P), "bgp-ciliumbgpclusterconfig-bgp-cluster", "mandatory", "CiliumBGPClusterConfig", "peerAddress 2001:db8:ae3:eeee::2", "no node network (2001:db8:ae3:fff0::/64)");
    });
    it("flags a router neighbor that is no planned node or router", () => {
        const s = mutate(ipv6Stack(), "routers", (p) => { p.routers[1].neighbors.push({ address: "2001:db8:ae3:fff0::99", asn: 65500, family: "ipv6" }); });
        expectOne(violations(s, P), "routers", "mandatory", "RouterFleet", "router r02 neighbor 2001:db8:ae3:fff0::99", "neither a planned node address nor a router address");
    });
});

describe("rule 4: bgp-asns-private", () => {
    const P = "bgp-asns-private";
    const publicLocal = (): PolicyResource[] => mutate(ipv4Stack(), "bgp-ciliumbgpclusterconfig-bgp-rack1", (p) => { p.spec.bgpInstances[0].localASN = 64496; });
    it("flags a public ASN", () => {
        expectOne(violations(publicLocal(), P), "bgp-ciliumbgpclusterconfig-bgp-rack1", "mandatory", "localASN 64496 is a public ASN");
    });
    it("accepts a public ASN listed in allowedPublicAsns", () => {
        assert.deepEqual(violations(publicLocal(), P, { [P]: { allowedPublicAsns: [64496] } }), []);
    });
    it("flags an invalid ASN on a router", () => {
        const s = mutate(ipv4Stack(), "routers", (p) => { p.routers[2].asn = 4294967295; });
        expectOne(violations(s, P), "routers", "mandatory", "router spine1 ASN 4294967295 is not a valid ASN");
    });
});

describe("rule 5: bgp-timers-valid and bgp-keepalive-third-of-hold", () => {
    const PC = "bgp-ciliumbgppeerconfig-ebgp";
    const timers = (hold: number, keepalive: number): PolicyResource[] => mutate(ipv6Stack(), PC, (p) => { p.spec.timers = { holdTimeSeconds: hold, keepAliveTimeSeconds: keepalive }; });
    it("accepts keepalive <= hold / 3", () => {
        assert.deepEqual(violations(timers(9, 3), "bgp-timers-valid"), []);
        assert.deepEqual(violations(timers(9, 3), "bgp-keepalive-third-of-hold"), []);
    });
    it("advises when keepalive is above a third of hold but not above hold", () => {
        assert.deepEqual(violations(timers(9, 5), "bgp-timers-valid"), []);
        expectOne(violations(timers(9, 5), "bgp-keepalive-third-of-hold"), PC, "advisory", "CiliumBGPPeerConfig", "keepAliveTimeSeconds 5 is more than a third of holdTimeSeconds 9");
    });
    it("refuses keepalive above hold, and hold below 3 s", () => {
        expectOne(violations(timers(9, 10), "bgp-timers-valid"), PC, "mandatory", "keepAliveTimeSeconds 10 exceeds holdTimeSeconds 9");
        assert.deepEqual(violations(timers(9, 10), "bgp-keepalive-third-of-hold"), []);
        expectOne(violations(timers(2, 1), "bgp-timers-valid"), PC, "mandatory", "holdTimeSeconds 2 is below 3 s");
    });
    it("applies Cilium's defaults (hold 90, keepalive 30) to unset timers", () => {
        expectOne(violations(mutate(ipv6Stack(), PC, (p) => { p.spec.timers = { holdTimeSeconds: 9 }; }), "bgp-timers-valid"), PC, "mandatory", "keepAliveTimeSeconds 30 exceeds holdTimeSeconds 9");
    });
    it("checks v1 CiliumBGPPeeringPolicy neighbors", () => {
        const pp = res("kubernetes:cilium.io/v2alpha1:CiliumBGPPeeringPolicy", "legacy", {
            apiVersion: "cilium.io/v2alpha1", kind: "CiliumBGPPeeringPolicy", metadata: { name: "legacy" },
            spec: { virtualRouters: [{ localASN: 65500, neighbors: [{ peerAddress: "2001:db8:ae3:fff0::1/128", peerASN: 65066, holdTimeSeconds: 9, keepAliveTimeSeconds: 4 }] }] },
        });
        expectOne(violations([pp], "bgp-keepalive-third-of-hold"), "legacy", "advisory", "neighbor 2001:db8:ae3:fff0::1/128", "keepAliveTimeSeconds 4");
    });
});

describe("rule 6: bgp-service-advertisement-selector", () => {
    const P = "bgp-service-advertisement-selector";
    const ADV = "bgp-ciliumbgpadvertisement-bgp-services";
    it("flags a Service advertisement without selector", () => {
        const s = mutate(ipv6Stack(), ADV, (p) => { delete p.spec.advertisements[0].selector; });
        expectOne(violations(s, P), ADV, "mandatory", "CiliumBGPAdvertisement", "advertisements[0] (Service, addresses LoadBalancerIP) has no selector");
    });
    it("does not require a selector on PodCIDR advertisements", () => assert.deepEqual(violations(ipv6Stack(), P), []));
});

describe("rule 7: bgp-auth-secret", () => {
    const P = "bgp-auth-secret";
    it("flags an authSecretRef naming no Secret of the stack", () => {
        const s = mutate(ipv6Stack(), "bgp-ciliumbgppeerconfig-ebgp", (p) => { p.spec.authSecretRef = "bgp-auth-typo"; });
        expectOne(violations(s, P), "bgp-ciliumbgppeerconfig-ebgp", "mandatory", "authSecretRef bgp-auth-typo names no Secret");
    });
    it("flags a Secret outside Cilium's secrets namespace", () => {
        const s = mutate(ipv6Stack(), "bgp-auth", (p) => { p.metadata.namespace = "default"; });
        expectOne(violations(s, P), "bgp-ciliumbgppeerconfig-ebgp", "mandatory", "in namespace default", "kube-system");
    });
    it("flags the password in cleartext elsewhere, without printing it", () => {
        const s = mutate(ipv6Stack(), "cluster-join", (p) => { p.create += `echo ${PASSWORD}\n`; });
        const v = expectOne(violations(s, P), "cluster-join", "mandatory", "Command", "password of Secret kube-system/bgp-auth-secret appears in cleartext at create");
        assert.ok(!v.message.includes(PASSWORD));
    });
    it("a password equal to a label, selector or name elsewhere is no leak; glued into a longer word neither; as a token in free text it is", () => {
        const word = "linux";
        const withWord = (props: Record<string, unknown>) => mutate(mutate(ipv6Stack(), "bgp-auth", (p) => { p.stringData = { password: word }; }),
            "cilium-release", (p) => { Object.assign(p.values, props); });
        assert.deepEqual(violations(withWord({ nodeSelector: { "kubernetes.io/os": word } }), P), []);
        assert.deepEqual(violations(withWord({ podLabels: { labels: { os: word } } }), P), []);
        assert.deepEqual(violations(withWord({ operator: { name: word } }), P), []);
        assert.deepEqual(violations(withWord({ note: `${word}x and x${word}` }), P), []);
        expectOne(violations(withWord({ note: `run on ${word} hosts` }), P), "cilium-release", "mandatory", "appears in cleartext at values.note");
    });
    it("trusts the container uploads and the fleet's configs output (secret by construction)", () => {
        assert.deepEqual(violations(ipv6Stack(), P), []);
    });
    it("reads a password held base64 in data", () => {
        const s = mutate(mutate(ipv6Stack(), "bgp-auth", (p) => { delete p.stringData; p.data = { password: Buffer.from(PASSWORD).toString("base64") }; }),
            "cilium-release", (p) => { p.values.note = PASSWORD; });
        expectOne(violations(s, P), "cilium-release", "mandatory", "appears in cleartext at values.note");
    });
});

describe("rule 8: bgp-router-ids", () => {
    const P = "bgp-router-ids";
    it("flags an IPv6-only node without a router ID (1.17: NodeConfigOverride)", () => {
        const s = without(ipv6Stack(), "bgp-ciliumbgpnodeconfigoverride-worker-3");
        expectOne(violations(s, P), "cilium-release", "mandatory", "node worker-3 gets no BGP router ID", "CiliumBGPNodeConfigOverride");
    });
    it("accepts Helm routerIDAllocation ip-pool on 1.18+ and refuses it before", () => {
        const overrides = ipv6Stack().filter((r) => r.type.endsWith("CiliumBGPNodeConfigOverride")).map((r) => r.name);
        const pool = (version: string): PolicyResource[] => mutate(without(ipv6Stack(), ...overrides), "cilium-release", (p) => {
            p.version = version;
            p.values.bgpControlPlane.routerIDAllocation = { mode: "ip-pool", ipPool: "10.255.0.0/24" };
        });
        assert.deepEqual(violations(pool("1.18.12"), P), []);
        const vs = violations(pool("1.17.18"), P);
        assert.ok(vs.some((v) => v.message.includes("ip-pool needs Cilium 1.18 or later (chart version 1.17.18)")));
        assert.equal(vs.filter((v) => v.message.includes("gets no BGP router ID")).length, 3);
    });
    it("accepts the v1 annotation on 1.15 (NodePatch)", () => {
        const overrides = ipv6Stack().filter((r) => r.type.endsWith("CiliumBGPNodeConfigOverride")).map((r) => r.name);
        const patches = ["cp-1", "worker-2", "worker-3"].map((n, i) => res("kubernetes:core/v1:NodePatch", `bgp-router-id-${n}`, {
            metadata: { name: n, annotations: { "cilium.io/bgp-virtual-router.65500": `router-id=10.255.0.${i + 1}` } },
        }));
        const s = mutate([...without(ipv6Stack(), ...overrides), ...patches], "cilium-release", (p) => { p.version = "1.15.19"; });
        assert.deepEqual(violations(s, P), []);
        expectOne(violations(without(s, "bgp-router-id-cp-1"), P), "cilium-release", "mandatory", "node cp-1 gets no BGP router ID", "bgp-virtual-router");
    });
    it("flags two speakers sharing a router ID", () => {
        const s = mutate(ipv6Stack(), "bgp-ciliumbgpnodeconfigoverride-worker-2", (p) => { p.spec.bgpInstances[0].routerID = "10.255.255.1"; });
        expectOne(violations(s, P), "bgp-ciliumbgpnodeconfigoverride-worker-2", "mandatory", "router ID 10.255.255.1 is shared by router r01 and node worker-2");
    });
    it("does not require router IDs on IPv4 stacks", () => assert.deepEqual(violations(ipv4Stack(), P), []));
});

describe("rule 9: cluster-cidr-sizes", () => {
    const P = "cluster-cidr-sizes";
    it("flags a service CIDR with more than 20 host bits", () => {
        const s = mutate(ipv4Stack(), "cluster-create", (p) => { p.stdin = p.stdin.replace("serviceSubnet: 10.96.0.0/16", "serviceSubnet: 10.96.0.0/11"); });
        expectOne(violations(s, P), "cluster-create", "mandatory", "service subnet 10.96.0.0/11 has 21 host bits", "/12");
        const v6 = mutate(ipv6Stack(), "cluster-create", (p) => { p.stdin = p.stdin.replace("c100::/112", "c100::/100"); });
        expectOne(violations(v6, P), "cluster-create", "mandatory", "2001:db8:ae3:c100::/100 has 28 host bits", "/108");
    });
    it("flags a pod mask that leaves fewer per-node CIDRs than nodes", () => {
        const s = mutate(ipv6Stack(), "cilium-release", (p) => { p.values.ipam.operator.clusterPoolIPv6MaskSize = 57; });
        expectOne(violations(s, P), "cilium-release", "mandatory", "clusterPoolIPv6MaskSize 57", "gives 2 per-node CIDR(s) for 3 nodes");
        const exact = mutate(ipv4Stack(), "cilium-release", (p) => { p.values.ipam.operator = { clusterPoolIPv4PodCIDRList: ["10.1.0.0/22"], clusterPoolIPv4MaskSize: 24 }; });
        assert.deepEqual(violations(exact, P), []);
    });
});

describe("rule 10: bgp-sessions-symmetric", () => {
    const P = "bgp-sessions-symmetric";
    it("flags a router missing a node neighbor", () => {
        const s = mutate(ipv6Stack(), "routers", (p) => { p.routers[1].neighbors.pop(); });
        expectOne(violations(s, P), "bgp-ciliumbgpclusterconfig-bgp-cluster", "mandatory", "router r02 has no neighbor for node worker-3 (2001:db8:ae3:fff0::13)");
    });
    it("flags an ASN mismatch between the node's localASN and the router's neighbor", () => {
        const s = mutate(ipv4Stack(), "routers", (p) => { p.routers[1].neighbors[0].asn = 65011; });
        expectOne(violations(s, P), "bgp-ciliumbgpclusterconfig-bgp-rack2", "mandatory", "router leaf2 expects node worker-3 (10.0.1.13) in ASN 65011, not 65012");
    });
    it("flags a peerASN that is not the router's ASN", () => {
        const s = mutate(ipv6Stack(), "bgp-ciliumbgpclusterconfig-bgp-cluster", (p) => { p.spec.bgpInstances[0].peers[0].peerASN = 65067; });
        expectOne(violations(s, P), "bgp-ciliumbgpclusterconfig-bgp-cluster", "mandatory", "router r01 at that address has ASN 65066, not 65067");
    });
    it("flags a family mismatch", () => {
        const s = mutate(ipv6Stack(), "bgp-ciliumbgppeerconfig-ebgp", (p) => { p.spec.families.push({ afi: "ipv4", safi: "unicast" }); });
        const vs = violations(s, P);
        assert.equal(vs.length, 6, vs.map((v) => v.message).join("\n"));
        assert.ok(vs[0].message.includes("carries families ipv4+ipv6 but router r01 neighbor 2001:db8:ae3:fff0::11 (node cp-1) activates ipv6"));
    });
    it("flags a router neighbor no Cilium peer answers (a rack's config missing)", () => {
        const s = without(ipv4Stack(), "bgp-ciliumbgpclusterconfig-bgp-rack2");
        const vs = violations(s, P);
        assert.equal(vs.length, 2, vs.map((v) => v.message).join("\n"));
        assert.ok(vs.every((v) => v.resource === "routers" && v.enforcementLevel === "mandatory"));
        assert.ok(vs[0].message.includes("router leaf2 neighbor 10.0.1.13 (ASN 65012): no Cilium peer of node worker-3 has router leaf2 as peerAddress"));
    });
    it("flags a router-to-router session one side lacks", () => {
        const s = mutate(ipv4Stack(), "routers", (p) => { p.routers[2].neighbors.pop(); });
        expectOne(violations(s, P), "routers", "mandatory", "router leaf2 neighbor 10.0.248.3 (ASN 65101): router spine1 has no neighbor back to router leaf2");
    });
    it("leaves the router side alone when the fleet summary has no neighbors", () => {
        const s = mutate(ipv6Stack(), "routers", (p) => { for (const r of p.routers) delete r.neighbors; });
        assert.deepEqual(violations(s, P), []);
    });
});

describe("rule 11: lb-requested-addresses-in-pools", () => {
    const P = "lb-requested-addresses-in-pools";
    const service = (name: string, address: string | undefined, labels: Record<string, string> = {}, extra: Record<string, string> = {}): PolicyResource =>
        res("kubernetes:core/v1:Service", name, {
            apiVersion: "v1", kind: "Service",
            metadata: { name, namespace: "smoke", labels, annotations: { ...(address ? { "lbipam.cilium.io/ips": address } : {}), ...extra } },
            spec: { type: "LoadBalancer", ports: [{ port: 80 }] },
        });
    const gateway = (name: string, address: string, labels?: Record<string, string>): PolicyResource =>
        res("kubernetes:gateway.networking.k8s.io/v1:Gateway", name, {
            apiVersion: "gateway.networking.k8s.io/v1", kind: "Gateway",
            metadata: { name, namespace: "gateway" },
            spec: { gatewayClassName: "cilium", addresses: [{ type: "IPAddress", value: address }], ...(labels ? { infrastructure: { labels } } : {}), listeners: [{ name: "http", protocol: "HTTP", port: 80 }] },
        });

    it("passes requests inside a pool that selects them (and Services that request nothing)", () => {
        const v4 = [...ipv4Stack(), service("echo", "10.100.1.5", { pool: "smoke" }), service("any", undefined), gateway("gw", "10.100.0.1")];
        assert.deepEqual(violations(v4, P), []);
        const v6 = [...ipv6Stack(), service("echo", "2001:db8:ae3:c401::2"), gateway("gw", "2001:db8:ae3:c401::1")];
        assert.deepEqual(violations(v6, P), []);
    });
    it("flags an address in no pool", () => {
        expectOne(violations([...ipv4Stack(), service("echo", "10.200.0.1")], P), "echo", "mandatory",
            "Service smoke/echo requests 10.200.0.1", "lies in no CiliumLoadBalancerIPPool block (pools: default 10.100.0.0/24, smoke 10.100.1.0/27)");
    });
    it("flags an address of the wrong family, on a Gateway as on a Service", () => {
        expectOne(violations([...ipv6Stack(), gateway("gw", "10.100.0.1")], P), "gw", "mandatory", "Gateway gateway/gw requests 10.100.0.1 (spec.addresses[0].value), an IPv4 address on an IPv6-only stack");
        expectOne(violations([...ipv4Stack(), service("echo", "2001:db8::1")], P), "echo", "mandatory", "an IPv6 address on an IPv4 stack");
    });
    it("flags a request from a pool whose serviceSelector does not select the object", () => {
        expectOne(violations([...ipv4Stack(), service("echo", "10.100.1.5", { pool: "other" })], P), "echo", "mandatory",
            "from pool smoke (10.100.1.0/27), whose serviceSelector", "does not select its labels");
        expectOne(violations([...ipv4Stack(), gateway("gw", "10.100.1.6")], P), "gw", "mandatory", "(spec.infrastructure.labels)");
        assert.deepEqual(violations([...ipv4Stack(), gateway("gw", "10.100.1.6", { pool: "smoke" })], P), []);
    });
    it("flags one address requested twice, unless both share a sharing key", () => {
        expectOne(violations([...ipv6Stack(), gateway("gw", "2001:db8:ae3:c401::1"), service("echo", "2001:db8:ae3:c401:0::1")], P), "echo", "mandatory",
            "which Gateway gateway/gw requests too");
        const shared = { "lbipam.cilium.io/sharing-key": "k" };
        assert.deepEqual(violations([...ipv6Stack(), service("a", "2001:db8:ae3:c401::7", {}, shared), service("b", "2001:db8:ae3:c401::7", {}, shared)], P), []);
    });
    it("reads the pre-1.16 annotation and spec.loadBalancerIP; flags a value that is no address", () => {
        expectOne(violations([...ipv4Stack(), service("old", undefined, {}, { "io.cilium/lb-ipam-ips": "10.200.0.9" })], P), "old", "mandatory", "io.cilium/lb-ipam-ips", "lies in no");
        const legacy = mutate([...ipv4Stack(), service("lbip", undefined)], "lbip", (p) => { p.spec.loadBalancerIP = "10.200.0.8"; });
        expectOne(violations(legacy, P), "lbip", "mandatory", "spec.loadBalancerIP");
        expectOne(violations([...ipv4Stack(), service("bad", "10.100.0.0/24")], P), "bad", "mandatory", "is not an IP address");
    });
    it("ignores Services of other types", () => {
        const s = mutate([...ipv4Stack(), service("cip", "10.200.0.1")], "cip", (p) => { p.spec.type = "ClusterIP"; });
        assert.deepEqual(violations(s, P), []);
    });
});

describe("rule 12: bgp-local-preference-ebgp (advisory)", () => {
    const AD = "bgp-ciliumbgpadvertisement-bgp-podcidr";
    const withLp = (stack: PolicyResource[]): PolicyResource[] => mutate(stack, AD, (p) => { p.spec.advertisements[0].attributes = { localPreference: 99 }; });
    it("flags a localPreference sent to eBGP peers (GoBGP strips it), once per peer, naming peer and ASNs", () => {
        const vs = violations(withLp(ipv6Stack()), "bgp-local-preference-ebgp");
        assert.equal(vs.length, 2, vs.map((v) => v.message).join("\n"));
        for (const v of vs) {
            assert.equal(v.resource, AD);
            assert.equal(v.enforcementLevel, "advisory");
            assert.match(v.message, /PodCIDR localPreference 99 has no effect on eBGP peer r0[12] \(ASN 65066, local ASN 65500\).*filterpath/);
        }
    });
    it("is silent for iBGP peers (the leaf of the node's own rack), where LOCAL_PREF does arrive", () => {
        assert.deepEqual(violations(withLp(ipv4Stack()), "bgp-local-preference-ebgp"), []);
    });
    it("is silent without a localPreference", () => {
        assert.deepEqual(violations(ipv6Stack(), "bgp-local-preference-ebgp"), []);
    });
});

describe("rule 13: bgp-peering-policy-deprecated (advisory)", () => {
    const policy = (name: string) => res("kubernetes:cilium.io/v2alpha1:CiliumBGPPeeringPolicy", name, {
        apiVersion: "cilium.io/v2alpha1", kind: "CiliumBGPPeeringPolicy", metadata: { name },
        spec: { nodeSelector: { matchLabels: { rack: "rack1" } }, virtualRouters: [{ localASN: 65011, exportPodCIDR: true, neighbors: [] }] },
    });
    const withVersion = (version: string): PolicyResource[] =>
        [...mutate(ipv4Stack(), "cilium-release", (p) => { p.version = version; }), policy("rack1")];
    it("warns on Cilium 1.18, naming the deprecation and the 1.19 removal", () => {
        expectOne(violations(withVersion("1.18.12"), "bgp-peering-policy-deprecated"), "rack1", "advisory",
            "Cilium 1.18.12 serves only as deprecated", "Cilium 1.19 removes", "bgp.controlPlane: v2");
    });
    it("says it is not served on 1.19+", () => {
        expectOne(violations(withVersion("1.19.6"), "bgp-peering-policy-deprecated"), "rack1", "advisory", "no longer serves (removed in 1.19)");
    });
    it("is silent on 1.16/1.17 (served, not deprecated) and for v2 objects on 1.18", () => {
        assert.deepEqual(violations(withVersion("1.17.18"), "bgp-peering-policy-deprecated"), []);
        assert.deepEqual(violations(withVersion("1.16.19"), "bgp-peering-policy-deprecated"), []);
        assert.deepEqual(violations(mutate(ipv4Stack(), "cilium-release", (p) => { p.version = "1.18.12"; }), "bgp-peering-policy-deprecated"), []);
    });
});

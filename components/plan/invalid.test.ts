import { strict as assert } from "assert";
import { ConfigError, loadStack } from "../config";
import type { RawConfig } from "../config/load";
import { fixtureConfig } from "./fixtures";

type Mutate = (c: Record<string, any>) => void; // eslint-disable-line @typescript-eslint/no-explicit-any

const base = (family: "ipv4" | "ipv6", topology: "tor" | "spine-leaf" = "tor") =>
    JSON.parse(JSON.stringify(fixtureConfig({ family, nodes: 4, topology }))) as Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any

interface Case {
    name: string;
    family?: "ipv4" | "ipv6";
    topology?: "tor" | "spine-leaf";
    mutate: Mutate;
    /** The key path the error must name, and a fragment of its rule. */
    path: string;
    rule: RegExp;
    password?: string;
}

const cases: Case[] = [
    { name: "LB pool overlapping the pod CIDR", mutate: (c) => { c.addressPlan.lbPools = [{ name: "a", cidr: "10.8.0.0/24" }, { name: "b", cidr: "10.128.4.0/24" }]; },
        path: "addressPlan.lbPools[1].cidr", rule: /overlaps addressPlan\.podCidr/ },
    { name: "two LB pools overlapping", mutate: (c) => { c.addressPlan.lbPools = [{ name: "a", cidr: "10.8.0.0/24" }, { name: "b", cidr: "10.8.0.128/25" }]; },
        path: "addressPlan.lbPools[1].cidr", rule: /overlaps addressPlan\.lbPools\[0\]\.cidr/ },
    { name: "service CIDR overlapping the node network", mutate: (c) => { c.addressPlan.serviceCidr = "10.16.0.0/16"; },
        path: "addressPlan.serviceCidr", rule: /overlaps addressPlan\.nodeNetwork/ },
    { name: "IPv4 prefix on an IPv6 stack", family: "ipv6", mutate: (c) => { c.addressPlan.lbPools = [{ name: "a", cidr: "10.0.0.0/24" }]; },
        path: "addressPlan.lbPools[0].cidr", rule: /must be an ipv6 prefix/ },
    { name: "IPv6 prefix on an IPv4 stack", mutate: (c) => { c.addressPlan.serviceCidr = "fd00::/112"; },
        path: "addressPlan.serviceCidr", rule: /must be an ipv4 prefix/ },
    { name: "prefix outside the aggregate", mutate: (c) => { c.addressPlan.loopbacks = "192.168.0.0/24"; },
        path: "addressPlan.loopbacks", rule: /inside addressPlan\.aggregate/ },
    { name: "bad CIDR syntax", mutate: (c) => { c.addressPlan.serviceCidr = "10.96.0.0/33"; },
        path: "addressPlan.serviceCidr", rule: /not valid CIDR/ },
    { name: "not CIDR at all", mutate: (c) => { c.addressPlan.podCidr = "pods"; },
        path: "addressPlan.podCidr", rule: /not a prefix/ },
    { name: "host bits set", mutate: (c) => { c.addressPlan.serviceCidr = "10.96.0.1/16"; },
        path: "addressPlan.serviceCidr", rule: /host bits set/ },
    { name: "ASN 0", mutate: (c) => { c.asn.cluster = 0; }, path: "asn.cluster", rule: /reserved \(RFC 7607/ },
    { name: "ASN above 32 bits", mutate: (c) => { c.routers[1].asn = 4294967296; }, path: "routers[1].asn", rule: /between 1 and 4294967294/ },
    { name: "public ASN not allowed", mutate: (c) => { c.routers[0].asn = 201911; }, path: "routers[0].asn", rule: /public ASN/ },
    { name: "ASN not an integer", mutate: (c) => { c.asn.cluster = "sixty-five"; }, path: "asn.cluster", rule: /must be an integer/ },
    { name: "duplicate router names", mutate: (c) => { c.routers[1].name = "r1"; c.routers[1].id = 2; }, path: "routers[1].name", rule: /duplicates the name/ },
    { name: "duplicate node names", mutate: (c) => { c.cluster.nodes[2].name = "node-2"; c.cluster.nodes[2].id = 3; }, path: "cluster.nodes[2].name", rule: /duplicates the name/ },
    { name: "duplicate node ids", mutate: (c) => { c.cluster.nodes[3].id = 1; }, path: "cluster.nodes[3].id", rule: /duplicates the id/ },
    { name: "duplicate pool names", mutate: (c) => { c.addressPlan.lbPools = [{ name: "a" }, { name: "a" }]; }, path: "addressPlan.lbPools[1].name", rule: /duplicates the name/ },
    { name: "service CIDR too large (IPv4)", mutate: (c) => { c.addressPlan.serviceCidr = "10.64.0.0/11"; }, path: "addressPlan.serviceCidr", rule: /at most 20 host bits/ },
    { name: "service CIDR too large (IPv6)", family: "ipv6", mutate: (c) => { c.addressPlan.serviceCidr = "2001:db8:2::/104"; }, path: "addressPlan.serviceCidr", rule: /at most 20 host bits/ },
    { name: "pod mask too small for the nodes", mutate: (c) => { c.addressPlan.podCidr = "10.128.0.0/22"; c.addressPlan.podMaskSize = 24; },
        path: "addressPlan.podMaskSize", rule: /too few for node id 4/ },
    { name: "pod mask not longer than the pod CIDR", mutate: (c) => { c.addressPlan.podMaskSize = 9; }, path: "addressPlan.podMaskSize", rule: /must be longer than addressPlan\.podCidr/ },
    { name: "node network too small", mutate: (c) => { c.addressPlan.nodeNetwork = "10.16.0.0/27"; }, path: "cluster.nodes[0].id", rule: /does not fit in node subnet/ },
    { name: "router id above the node host offset", mutate: (c) => { c.routers[1].id = 40; }, path: "routers[1].id", rule: /below addressPlan\.nodeHostOffset/ },
    { name: "unknown ipFamily", mutate: (c) => { c.ipFamily = "ipx"; }, path: "ipFamily", rule: /one of ipv4, ipv6/ },
    { name: "unknown router flavour", mutate: (c) => { c.routers[0].flavour = "bird"; }, path: "routers[0].flavour", rule: /one of frr, vyos/ },
    { name: "unknown key (typo)", mutate: (c) => { c.addressPlan.podCIDR = "10.0.0.0/16"; }, path: "addressPlan.podCIDR", rule: /not a known key/ },
    { name: "router name without a number and no id", mutate: (c) => { c.routers[0].name = "edge"; }, path: "routers[0].id", rule: /required when the name/ },
    { name: "no room left to carve", mutate: (c) => { c.addressPlan = { aggregate: "10.0.0.0/24" }; }, path: "addressPlan.nodeNetwork", rule: /no free \/20/ },
    { name: "router-ID pool not IPv4", family: "ipv6", mutate: (c) => { c.addressPlan.routerIdPool = "fd00::/64"; }, path: "addressPlan.routerIdPool", rule: /IPv4-format/ },
    { name: "keepalive above hold", mutate: (c) => { c.bgp = { holdTimeSeconds: 9, keepaliveTimeSeconds: 10 }; }, path: "bgp.keepaliveTimeSeconds", rule: /must not exceed bgp\.holdTimeSeconds/ },
    { name: "unsupported Cilium line", mutate: (c) => { c.cilium = { version: "1.14.2" }; }, path: "cilium.version", rule: /supported line/ },
    { name: "leaf and spine sharing an ASN", topology: "spine-leaf", mutate: (c) => { c.routers[2].asn = c.routers[0].asn; }, path: "routers[2].asn", rule: /equals spine spine1's ASN/ },
    { name: "leaf without a rack", topology: "spine-leaf", mutate: (c) => { delete c.routers[3].rack; }, path: "routers[3].rack", rule: /required for a leaf/ },
    { name: "node in a rack without a leaf", topology: "spine-leaf", mutate: (c) => { c.cluster.nodes[1].rack = "rack9"; }, path: "cluster.nodes[1].rack", rule: /rack that has a leaf/ },
    // Placed by name: addressPlan.rackSubnets / linkSubnets (fixture: leaf1 rack1 routers[2], leaf2 rack2 routers[3], nodeNetwork 10.16.0.0/12 in /18s).
    { name: "rack subnet of the other family", topology: "spine-leaf", mutate: (c) => { c.addressPlan.rackSubnets = { rack1: "fd00::/64" }; },
        path: "addressPlan.rackSubnets.rack1", rule: /must be an ipv4 prefix/ },
    { name: "rack subnet outside the node network", topology: "spine-leaf", mutate: (c) => { c.addressPlan.rackSubnets = { rack1: "10.1.0.0/24" }; },
        path: "addressPlan.rackSubnets.rack1", rule: /must lie inside addressPlan\.nodeNetwork \(10\.16\.0\.0\/12\)/ },
    { name: "rack subnet outside the aggregate", topology: "spine-leaf",
        mutate: (c) => { delete c.addressPlan.nodeNetwork; c.addressPlan.rackSubnets = { rack1: "192.168.1.0/24", rack2: "10.1.0.0/24" }; },
        path: "addressPlan.rackSubnets.rack1", rule: /must lie inside addressPlan\.aggregate \(10\.0\.0\.0\/8\)/ },
    { name: "rack subnet overlapping the pod CIDR", topology: "spine-leaf",
        mutate: (c) => { delete c.addressPlan.nodeNetwork; c.addressPlan.rackSubnets = { rack1: "10.128.0.0/24", rack2: "10.1.0.0/24" }; },
        path: "addressPlan.rackSubnets.rack1", rule: /overlaps addressPlan\.podCidr \(10\.128\.0\.0\/9/ },
    // Every rack placed: loopbacks are carved first, at 10.0.0.0/24; carving does not step aside (a later rack would move them).
    { name: "rack subnet on a carved role", topology: "spine-leaf",
        mutate: (c) => { delete c.addressPlan.nodeNetwork; c.addressPlan.rackSubnets = { rack1: "10.0.0.0/24", rack2: "10.1.0.0/24" }; },
        path: "addressPlan.rackSubnets.rack1", rule: /overlaps addressPlan\.loopbacks \(10\.0\.0\.0\/24, Router loopbacks, carved\): place it outside, or set addressPlan\.loopbacks/ },
    { name: "two rack subnets overlapping", topology: "spine-leaf", mutate: (c) => { c.addressPlan.rackSubnets = { rack1: "10.16.0.0/24", rack2: "10.16.0.128/25" }; },
        path: "addressPlan.rackSubnets.rack2", rule: /overlaps addressPlan\.rackSubnets\.rack1 \(10\.16\.0\.0\/24\)/ },
    { name: "rack subnet for a rack without a leaf", topology: "spine-leaf", mutate: (c) => { c.addressPlan.rackSubnets = { rack9: "10.16.0.0/24" }; },
        path: "addressPlan.rackSubnets.rack9", rule: /names no rack with a leaf router of the plan \(rack1, rack2\)/ },
    { name: "rack subnet too small", topology: "spine-leaf", mutate: (c) => { c.addressPlan.rackSubnets = { rack1: "10.16.0.0/30" }; },
        path: "addressPlan.rackSubnets.rack1", rule: /must be \/29 or shorter/ },
    { name: "numbered rack meeting a placed one", topology: "spine-leaf", mutate: (c) => { c.addressPlan.rackSubnets = { rack1: "10.16.128.0/24" }; },
        path: "routers[3].rack", rule: /numbered 2, whose subnet 10\.16\.128\.0\/18 overlaps addressPlan\.rackSubnets\.rack1/ },
    { name: "rack left out while no node network is set", topology: "spine-leaf",
        mutate: (c) => { delete c.addressPlan.nodeNetwork; c.addressPlan.rackSubnets = { rack1: "10.1.0.0/24" }; },
        path: "routers[3].rack", rule: /has no subnet in addressPlan\.rackSubnets, and addressPlan\.nodeNetwork .* is unset/ },
    { name: "link subnet naming no link", topology: "spine-leaf", mutate: (c) => { c.addressPlan.linkSubnets = { "leaf1-spine1": "10.2.0.0/24" }; },
        path: "addressPlan.linkSubnets.leaf1-spine1", rule: /names no leaf-spine link of the plan \(link-leaf1-spine1, link-leaf1-spine2, link-leaf2-spine1, link-leaf2-spine2\)/ },
    { name: "link subnet overlapping a rack subnet", topology: "spine-leaf",
        mutate: (c) => { delete c.addressPlan.nodeNetwork; c.addressPlan.rackSubnets = { rack1: "10.1.0.0/24", rack2: "10.1.1.0/24" }; c.addressPlan.linkSubnets = { "link-leaf1-spine1": "10.1.0.0/25" }; },
        path: "addressPlan.linkSubnets.link-leaf1-spine1", rule: /overlaps addressPlan\.rackSubnets\.rack1/ },
    { name: "link subnet overlapping the node network (spine-leaf)", topology: "spine-leaf", mutate: (c) => { c.addressPlan.linkSubnets = { "link-leaf1-spine1": "10.16.0.0/24" }; },
        path: "addressPlan.linkSubnets.link-leaf1-spine1", rule: /overlaps addressPlan\.nodeNetwork \(10\.16\.0\.0\/12, Node network\)/ },
    { name: "link subnet outside the aggregate (spine-leaf)", topology: "spine-leaf", mutate: (c) => { c.addressPlan.linkSubnets = { "link-leaf1-spine1": "192.168.0.0/24" }; },
        path: "addressPlan.linkSubnets.link-leaf1-spine1", rule: /must lie inside addressPlan\.aggregate/ },
    { name: "link subnet too small (spine-leaf)", topology: "spine-leaf", mutate: (c) => { c.addressPlan.linkSubnets = { "link-leaf1-spine1": "10.2.0.0/30" }; },
        path: "addressPlan.linkSubnets.link-leaf1-spine1", rule: /must be \/29 or shorter/ },
    { name: "link subnet of the other family (spine-leaf)", topology: "spine-leaf", mutate: (c) => { c.addressPlan.linkSubnets = { "link-leaf1-spine1": "fd00::/64" }; },
        path: "addressPlan.linkSubnets.link-leaf1-spine1", rule: /must be an ipv4 prefix/ },
    // leaf1 (id 21) x spine1: link number 21 x 8 + 0 = 168 of 10.2.0.0/20 in /29s, 10.2.5.64/29.
    { name: "numbered link meeting a placed one (spine-leaf)", topology: "spine-leaf",
        mutate: (c) => { c.addressPlan.links = "10.2.0.0/20"; c.addressPlan.linkSubnets = { "link-leaf1-spine2": "10.2.5.64/29" }; },
        path: "routers[2].id", rule: /numbers link-leaf1-spine1 168 .* whose subnet 10\.2\.5\.64\/29 overlaps addressPlan\.linkSubnets\.link-leaf1-spine2/ },
    // cluster.nodes[].address (fixture ToR pair r1, r2 on 10.16.0.0/12: Docker gateway 10.31.255.254, VRRP 10.31.255.253).
    { name: "node address outside its segment", topology: "tor", mutate: (c) => { c.cluster.nodes[1].address = "10.32.0.5"; },
        path: "cluster.nodes[1].address", rule: /must lie inside the node's segment 10\.16\.0\.0\/12/ },
    { name: "node address of the other family", topology: "tor", mutate: (c) => { c.cluster.nodes[1].address = "fd00::5"; },
        path: "cluster.nodes[1].address", rule: /must be an ipv4 address/ },
    { name: "node address on a router", topology: "tor", mutate: (c) => { c.cluster.nodes[1].address = "10.16.0.2"; },
        path: "cluster.nodes[1].address", rule: /is the address of router r2 on nodes/ },
    { name: "node address on the Docker gateway", topology: "tor", mutate: (c) => { c.cluster.nodes[1].address = "10.31.255.254"; },
        path: "cluster.nodes[1].address", rule: /is the Docker gateway of nodes/ },
    { name: "node address on the VRRP address", topology: "tor", mutate: (c) => { c.cluster.nodes[1].address = "10.31.255.253"; },
        path: "cluster.nodes[1].address", rule: /is the VRRP virtual address of nodes/ },
    { name: "node address on the broadcast address", topology: "tor", mutate: (c) => { c.cluster.nodes[1].address = "10.31.255.255"; },
        path: "cluster.nodes[1].address", rule: /is the broadcast address of 10\.16\.0\.0\/12/ },
    { name: "two nodes given one address", topology: "tor", mutate: (c) => { c.cluster.nodes[1].address = "10.16.1.1"; c.cluster.nodes[3].address = "10.16.1.1"; },
        path: "cluster.nodes[3].address", rule: /is also the address cluster\.nodes\[1\]\.address gives node node-2/ },
    { name: "node address outside its rack's subnet", topology: "spine-leaf", mutate: (c) => { c.cluster.nodes[0].address = "10.16.128.40"; },
        path: "cluster.nodes[0].address", rule: /must lie inside the node's segment \(rack1's subnet\) 10\.16\.64\.0\/18/ },
    { name: "link subnet without a spine-leaf fabric", topology: "tor", mutate: (c) => { c.addressPlan.linkSubnets = { "link-r1-r2": "10.2.0.0/24" }; },
        path: "addressPlan.linkSubnets.link-r1-r2", rule: /names no leaf-spine link of the plan \(there are none\)/ },
    // node-1 (id 1) is numbered host 32 + 1.
    { name: "numbered node on a given address", topology: "tor", mutate: (c) => { c.cluster.nodes[2].address = "10.16.0.33"; },
        path: "cluster.nodes[0].id", rule: /puts node node-1 at host 32\+1 \(10\.16\.0\.33\), the address cluster\.nodes\[2\]\.address gives node node-3/ },
    { name: "password with white space", password: "two words", mutate: () => undefined, path: "bgpPassword", rule: /without white space/ },
    { name: "password missing while authentication is on", password: "", mutate: () => undefined, path: "bgpPassword", rule: /pulumi config set --secret bgpPassword/ },
];

describe("invalid configurations: each names its key path", () => {
    for (const c of cases) {
        it(c.name, () => {
            const raw = base(c.family ?? "ipv4", c.topology ?? (/leaf|rack/.test(c.name) ? "spine-leaf" : "tor"));
            c.mutate(raw);
            let error: unknown;
            try {
                loadStack("t", raw as RawConfig, c.password ?? "pw");
            } catch (e) {
                error = e;
            }
            assert.ok(error instanceof ConfigError, `expected a ConfigError, got ${String(error)}`);
            const hit = error.problems.find((p) => p.path === c.path);
            assert.ok(hit, `no problem at ${c.path}; got:\n${error.message}`);
            assert.match(hit.rule, c.rule);
        });
    }

    it("reports every problem at once, not just the first", () => {
        const raw = base("ipv4");
        raw.asn.cluster = 0;
        raw.addressPlan.serviceCidr = "10.96.0.1/16";
        raw.routers[0].flavour = "bird";
        try {
            loadStack("t", raw as RawConfig, "pw");
            assert.fail("expected a ConfigError");
        } catch (e) {
            assert.ok(e instanceof ConfigError);
            const paths = e.problems.map((p) => p.path);
            for (const p of ["asn.cluster", "addressPlan.serviceCidr", "routers[0].flavour"]) assert.ok(paths.includes(p), `${p} missing in ${paths.join(", ")}`);
        }
    });

    it("never prints the password in a problem", () => {
        try {
            loadStack("t", base("ipv4") as RawConfig, "bad password with spaces");
            assert.fail("expected a ConfigError");
        } catch (e) {
            assert.ok(e instanceof ConfigError);
            assert.ok(!e.message.includes("bad password"), e.message);
        }
    });
});

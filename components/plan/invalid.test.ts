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

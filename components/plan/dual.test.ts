import { strict as assert } from "assert";
import * as fc from "fast-check";
import { ConfigError, loadStack } from "../config";
import type { RawConfig } from "../config/load";
import { loadFixture } from "../../test/support/crd";
import { allNodeSessions, planHalves } from "./dual";
import type { AddressPlan } from "./types";

type Raw = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any

/** A small dual stack: a ToR pair, `nodes` nodes, both halves carved from their aggregates. */
function dualRaw(nodes = 3): Raw {
    return {
        ipFamily: "dual",
        addressPlan: { aggregate: "10.40.0.0/14", ipv6: { aggregate: "2001:db8:40::/48" } },
        asn: { cluster: 65040 },
        routers: [{ name: "r01", role: "tor", asn: 65041 }, { name: "r02", role: "tor", asn: 65041 }],
        cluster: { name: "d", nodes: Array.from({ length: nodes }, (_, i) => ({ name: `n-${i + 1}`, role: i === 0 ? "control-plane" : "worker" })) },
    };
}

const load = (raw: Raw): AddressPlan => loadStack("t", raw as RawConfig, "pw-dual-test").plan;

function problemsOf(raw: Raw): string[] {
    try {
        load(raw);
    } catch (e) {
        if (e instanceof ConfigError) return e.problems.map((p) => `${p.path}: ${p.rule}`);
        throw e;
    }
    return [];
}

describe("dual stack plan (ipFamily: dual, issue 16 / seed 001)", () => {
    it("plans an IPv4 half and an IPv6 half over the same routers, nodes and ids", () => {
        const plan = load(dualRaw());
        assert.equal(plan.family, "ipv4");
        assert.ok(plan.secondary, "no IPv6 half");
        const six = plan.secondary;
        assert.equal(six.family, "ipv6");
        assert.deepEqual(six.nodes.map((n) => n.name), plan.nodes.map((n) => n.name));
        assert.deepEqual(six.routers.map((r) => r.name), plan.routers.map((r) => r.name));
        for (const n of six.nodes) assert.ok(n.address.includes(":"), `${n.name} ${n.address}`);
        for (const n of plan.nodes) assert.ok(!n.address.includes(":"), `${n.name} ${n.address}`);
        // The same host number in both halves: nodeHostOffset 32 + id (ids 1..3).
        assert.deepEqual(plan.nodes.map((n) => n.address.split(".")[3]), ["33", "34", "35"]);
        assert.deepEqual(six.nodes.map((n) => n.address.split(":").pop()), ["21", "22", "23"]);
    });

    it("router IDs are the IPv4 half's in both halves (32-bit: loopbacks and node addresses)", () => {
        const plan = load(dualRaw());
        const six = plan.secondary as AddressPlan;
        for (const r of six.routers) assert.equal(r.routerId, plan.routers.find((x) => x.name === r.name)?.routerId);
        for (const n of six.nodes) assert.equal(n.routerId, plan.nodes.find((x) => x.name === n.name)?.address);
    });

    it("one session per family and router, each over its own family's addresses", () => {
        const plan = load(dualRaw());
        const sessions = allNodeSessions(plan);
        assert.equal(sessions.length, 3 * 2 * 2);
        for (const s of sessions) assert.equal(s.nodeAddress.includes(":"), s.family === "ipv6", `${s.node} ${s.nodeAddress} ${s.family}`);
        for (const s of sessions) assert.equal(s.routerAddress.includes(":"), s.family === "ipv6");
    });

    it("bgp.sessionFamilies [ipv6] leaves the IPv4 half without node sessions (seed 001 peers over IPv6 only)", () => {
        const raw = dualRaw();
        raw.bgp = { sessionFamilies: ["ipv6"] };
        const plan = load(raw);
        assert.equal(plan.nodeSessions.length, 0);
        assert.equal(plan.secondary?.nodeSessions.length, 6);
    });

    it("the allocation table lists both halves, the IPv6 one under addressPlan.ipv6 keys", () => {
        const plan = load(dualRaw());
        const v6 = plan.allocations.filter((a) => a.prefix.includes(":"));
        assert.ok(v6.some((a) => a.role === "aggregate" && a.source === "addressPlan.ipv6.aggregate"), JSON.stringify(v6));
        assert.ok(v6.some((a) => a.role === "pod-cidr"));
        assert.equal(plan.allocations.filter((a) => a.role === "router-id-pool").length, 1);
    });

    it("a problem of the IPv6 half names its addressPlan.ipv6 key", () => {
        const raw = dualRaw();
        raw.addressPlan.ipv6.serviceCidr = "10.99.0.0/16";
        assert.ok(problemsOf(raw).some((p) => p.startsWith("addressPlan.ipv6.serviceCidr: must be an ipv6 prefix")), problemsOf(raw).join("\n"));
        const outside = dualRaw();
        outside.addressPlan.ipv6.podCidr = "2001:db8:99::/56";
        assert.ok(problemsOf(outside).some((p) => /^addressPlan\.ipv6\.podCidr: must lie inside addressPlan\.ipv6\.aggregate/.test(p)), problemsOf(outside).join("\n"));
    });

    it("a problem outside the address plan is listed once, not once per half", () => {
        const raw = dualRaw();
        raw.routers[1].asn = 23456; // AS_TRANS: reserved
        const asn = problemsOf(raw).filter((p) => p.startsWith("routers[1].asn"));
        assert.equal(asn.length, 1, asn.join("\n"));
    });

    it("refuses a dual stack without addressPlan.ipv6, and addressPlan.ipv6 on a one-family stack", () => {
        const missing = dualRaw();
        delete missing.addressPlan.ipv6;
        assert.ok(problemsOf(missing).some((p) => p.startsWith("addressPlan.ipv6: is required with ipFamily dual")), problemsOf(missing).join("\n"));
        const single = dualRaw();
        single.ipFamily = "ipv4";
        assert.ok(problemsOf(single).some((p) => p.startsWith("addressPlan.ipv6: is the IPv6 half of a dual-stack plan")), problemsOf(single).join("\n"));
    });

    it("refuses a session family the stack does not have", () => {
        const raw = dualRaw();
        raw.ipFamily = "ipv4";
        delete raw.addressPlan.ipv6;
        raw.bgp = { sessionFamilies: ["ipv6"] };
        assert.ok(problemsOf(raw).some((p) => p.startsWith("bgp.sessionFamilies: lists ipv6, not a family of this stack")), problemsOf(raw).join("\n"));
    });

    it("an explicit router address belongs to the half of its family", () => {
        const raw = dualRaw();
        raw.routers[0].address = "2001:db8:40::fe";
        const plan = load(raw);
        const six = plan.secondary as AddressPlan;
        assert.equal(six.routers[0].interfaces[0].address, "2001:db8:40::fe");
        assert.ok(!plan.routers[0].interfaces[0].address.includes(":"));
    });

    it("an explicit node address belongs to the half of its family too", () => {
        const raw = dualRaw();
        raw.cluster.nodes[1].address = "2001:db8:40::99";
        const plan = load(raw);
        assert.equal(plan.secondary?.nodes.find((n) => n.name === "n-2")?.address, "2001:db8:40::99");
        assert.equal(plan.nodes.find((n) => n.name === "n-2")?.address.includes(":"), false);
    });

    it("refuses halves that give one pool name different service selectors (one Cilium pool)", () => {
        const raw = dualRaw();
        raw.addressPlan.lbPools = [{ name: "p", serviceSelector: { matchLabels: { a: "1" } } }];
        raw.addressPlan.ipv6.lbPools = [{ name: "p", serviceSelector: { matchLabels: { a: "2" } } }];
        assert.ok(problemsOf(raw).some((p) => p.startsWith("addressPlan.ipv6.lbPools[0].serviceSelector: differs")), problemsOf(raw).join("\n"));
    });

    it("adding a node moves no allocation of either half (property)", () => {
        fc.assert(fc.property(fc.integer({ min: 1, max: 12 }), (n) => {
            const before = load(dualRaw(n));
            const after = load(dualRaw(n + 1));
            for (const [b, a] of planHalves(before).map((h, i) => [h, planHalves(after)[i]] as const)) {
                for (const node of b.nodes) {
                    const same = a.nodes.find((x) => x.name === node.name);
                    assert.equal(same?.address, node.address);
                    assert.equal(same?.podCidr, node.podCidr);
                }
                const rows = (p: AddressPlan): string[] => p.allocations.map((x) => `${x.prefix} ${x.role}`);
                for (const row of rows(b)) assert.ok(rows(a).includes(row), row);
            }
        }), { numRuns: 8 });
    });

    it("the shipped dual stack plans (Pulumi.dual.yaml)", () => {
        const { plan } = loadFixture("dual");
        assert.equal(plan.secondary?.nodeNetwork, "2001:db8:30::/64");
        assert.equal(plan.nodeNetwork, "10.30.0.0/24");
    });
});

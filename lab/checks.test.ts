import * as assert from "node:assert/strict";
import { loadStack } from "../components/config";
import type { AddressPlan } from "../components/plan/types";
import { rawStack, TEST_PASSWORD } from "../components/routers/testing";
import { type CheckInput, type ObservedState, expectedRoutes, findProblems } from "./checks";

function planOf(stack: string): AddressPlan {
    const raw = rawStack(stack);
    delete raw.gatewayApi;
    delete raw.smoke;
    return loadStack(stack, raw, TEST_PASSWORD).plan;
}

const LB = "10.100.0.9/32";

function inputFor(plan: AddressPlan, o: Partial<CheckInput> = {}): CheckInput {
    return {
        plan, running: plan.routers.map((r) => r.name),
        announcers: plan.nodes.map((n) => ({ node: n.name, prefixes: [n.podCidr, LB], communities: { [n.podCidr]: ["65010:100"] } })),
        forbidden: ["198.51.100.0/24"], ipv6Only: plan.family === "ipv6", allowStale: false, ...o,
    };
}

/** Every planned session Established at both ends; no routes yet. */
function allUp(plan: AddressPlan, down: string[] = []): ObservedState {
    const o: ObservedState = { routers: {}, nodes: {}, ipv4: {} };
    for (const r of plan.routers) o.routers[r.name] = { sessions: [], routes: {} };
    for (const n of plan.nodes) o.nodes[n.name] = { sessions: [] };
    for (const s of plan.nodeSessions) {
        o.routers[s.router].sessions.push({ peer: s.nodeAddress, state: "Established" });
        o.nodes[s.node].sessions.push({ peer: s.routerAddress, state: "Established" });
    }
    for (const s of plan.routerSessions) {
        const state = down.includes(s.a) || down.includes(s.b) ? "Active" : "Established";
        o.routers[s.a].sessions.push({ peer: s.bAddress, state });
        o.routers[s.b].sessions.push({ peer: s.aAddress, state });
    }
    return o;
}

/** Fills the routers' tables with what the checks expect, to perturb one thing at a time. */
function converged(input: CheckInput, o: ObservedState): ObservedState {
    for (const e of expectedRoutes(input, o)) o.routers[e.router].routes[e.prefix] = { nextHops: e.nextHops, staleNextHops: [], communities: e.communities };
    return o;
}

describe("lab checks", () => {
    const dev = planOf("dev");
    const linkAddr = (router: string, towards: string): string => {
        const l = dev.linkNets.find((x) => (x.a.router === router && x.b.router === towards) || (x.b.router === router && x.a.router === towards))!;
        return l.a.router === router ? l.a.address : l.b.address;
    };

    it("dev (spine-leaf): leaves reach their own nodes directly, the other rack and spines by ECMP", () => {
        const input = inputFor(dev);
        const routes = expectedRoutes(input, allUp(dev));
        const at = (router: string, prefix: string): string[] | undefined => routes.find((r) => r.router === router && r.prefix === prefix)?.nextHops;
        const rack = (r: string): string[] => dev.nodes.filter((n) => n.rack === r).map((n) => n.address).sort();
        const leaf1Nodes = dev.nodes.filter((n) => n.rack === "rack1");
        const leaf2Nodes = dev.nodes.filter((n) => n.rack === "rack2");
        // LB address: every node announces it, so each leaf has one next hop per node of its rack.
        assert.deepEqual(at("leaf1", LB), rack("rack1"));
        assert.deepEqual(at("leaf2", LB), rack("rack2"));
        // Spines: one next hop per leaf.
        assert.deepEqual(at("spine1", LB), [linkAddr("leaf1", "spine1"), linkAddr("leaf2", "spine1")].sort());
        // The other rack's pod CIDRs: via both spines.
        assert.deepEqual(at("leaf1", leaf2Nodes[0].podCidr), [linkAddr("spine1", "leaf1"), linkAddr("spine2", "leaf1")].sort());
        assert.deepEqual(at("leaf2", leaf1Nodes[0].podCidr), [linkAddr("spine1", "leaf2"), linkAddr("spine2", "leaf2")].sort());
        // Communities are expected where the route arrives from its node only.
        assert.deepEqual(routes.find((r) => r.router === "leaf1" && r.prefix === leaf1Nodes[0].podCidr)?.communities, ["65010:100"]);
        assert.deepEqual(routes.find((r) => r.router === "spine1" && r.prefix === leaf1Nodes[0].podCidr)?.communities, []);
        assert.equal(routes.length, dev.routers.length * (dev.nodes.length + 1));
    });

    it("a spine that is down drops out of every ECMP set", () => {
        const input = inputFor(dev, { running: dev.routers.map((r) => r.name).filter((r) => r !== "spine1") });
        const routes = expectedRoutes(input, allUp(dev, ["spine1"]));
        assert.ok(!routes.some((r) => r.router === "spine1"));
        const leaf2Pod = dev.nodes.find((n) => n.rack === "rack2")!.podCidr;
        assert.deepEqual(routes.find((r) => r.router === "leaf1" && r.prefix === leaf2Pod)?.nextHops, [linkAddr("spine2", "leaf1")]);
    });

    it("a converged fabric has no problem; each fault is named", () => {
        const input = inputFor(dev);
        assert.deepEqual(findProblems(input, converged(input, allUp(dev))), []);

        const lost = converged(input, allUp(dev));
        delete lost.routers.spine2.routes[LB];
        assert.deepEqual(findProblems(input, lost), [`router spine2 lacks ${LB} (expected via ${[linkAddr("leaf1", "spine2"), linkAddr("leaf2", "spine2")].sort().join(", ")})`]);

        const oneHop = converged(input, allUp(dev));
        oneHop.routers.leaf1.routes[LB].nextHops = oneHop.routers.leaf1.routes[LB].nextHops.slice(0, 1);
        assert.match(findProblems(input, oneHop).join("\n"), /^router leaf1 has 10\.100\.0\.9\/32 via .*, expected via .*, /);

        const leaked = converged(input, allUp(dev));
        leaked.routers.leaf2.routes["198.51.100.0/24"] = { nextHops: [dev.nodes[3].address], staleNextHops: [], communities: [] };
        assert.deepEqual(findProblems(input, leaked), ["router leaf2 accepted 198.51.100.0/24, a prefix outside the cluster's (its filters should drop it)"]);

        const unexpected = converged(input, allUp(dev));
        unexpected.routers.leaf2.routes["10.200.0.0/24"] = { nextHops: [dev.nodes[3].address], staleNextHops: [], communities: [] };
        assert.deepEqual(findProblems(input, unexpected), ["router leaf2 holds 10.200.0.0/24 from a node, which no node should announce"]);

        const noCommunity = converged(input, allUp(dev));
        const pod = dev.nodes[0].podCidr;
        noCommunity.routers.leaf1.routes[pod].communities = [];
        assert.deepEqual(findProblems(input, noCommunity), [`router leaf1 has ${pod} without community 65010:100`]);

        const stale = converged(input, allUp(dev));
        stale.routers.leaf1.routes[pod].staleNextHops = ["10.0.250.194"];
        assert.equal(findProblems(input, stale).length, 1);
        assert.deepEqual(findProblems({ ...input, allowStale: true }, stale), []);
    });

    it("defaultOriginate: each leaf holds the default route via every originating spine it peers with, nobody else holds one", () => {
        const input = inputFor(dev, { defaultOriginators: ["spine1", "spine2"] });
        const withDefault = (o: ObservedState): ObservedState => {
            for (const leaf of ["leaf1", "leaf2"]) {
                o.routers[leaf].routes["0.0.0.0/0"] = { nextHops: [linkAddr("spine1", leaf), linkAddr("spine2", leaf)].sort(), staleNextHops: [], communities: [] };
            }
            return o;
        };
        assert.deepEqual(findProblems(input, withDefault(converged(input, allUp(dev)))), []);
        // Missing: the check names the leaf and the spines' addresses.
        assert.deepEqual(findProblems(input, converged(input, allUp(dev))), [
            `router leaf1 lacks the default route 0.0.0.0/0 its spines send (expected via ${[linkAddr("spine1", "leaf1"), linkAddr("spine2", "leaf1")].sort().join(", ")})`,
            `router leaf2 lacks the default route 0.0.0.0/0 its spines send (expected via ${[linkAddr("spine1", "leaf2"), linkAddr("spine2", "leaf2")].sort().join(", ")})`,
        ]);
        // One spine only: the other's path is not expected.
        const one = withDefault(converged(input, allUp(dev)));
        assert.match(findProblems({ ...input, defaultOriginators: ["spine1"] }, one).join("\n"), /^router leaf1 has the default route 0\.0\.0\.0\/0 via .*, expected via /);
        // Passed back up: a spine holding a default route is a problem; without originators any default route is.
        const up = withDefault(converged(input, allUp(dev)));
        up.routers.spine2.routes["0.0.0.0/0"] = { nextHops: [linkAddr("leaf1", "spine2")], staleNextHops: [], communities: [] };
        assert.deepEqual(findProblems(input, up), [`router spine2 holds the default route 0.0.0.0/0 via ${linkAddr("leaf1", "spine2")}, which no spine sends it`]);
        assert.equal(findProblems(inputFor(dev), withDefault(converged(input, allUp(dev)))).length, 2);
    });

    it("a session down is reported by name from both ends", () => {
        const input = inputFor(dev);
        const o = converged(input, allUp(dev));
        const s = dev.nodeSessions[0];
        o.routers[s.router].sessions.find((x) => x.peer === s.nodeAddress)!.state = "Connect";
        o.nodes[s.node].sessions = [];
        const problems = findProblems(input, o);
        assert.ok(problems.includes(`session ${s.router} -> ${s.node} (${s.nodeAddress}) is Connect, not Established`), problems.join("\n"));
        assert.ok(problems.includes(`session ${s.node} -> ${s.router} (${s.routerAddress}) is missing on the node's speaker, not Established`), problems.join("\n"));
    });

    it("IPv6-only: any IPv4 address off loopback is a problem", () => {
        const v6 = planOf("ipv6");
        const input = { ...inputFor(v6), announcers: v6.nodes.map((n) => ({ node: n.name, prefixes: [n.podCidr], communities: {} })) };
        const o = converged(input, allUp(v6));
        assert.deepEqual(findProblems(input, o), []);
        // ToR pair: each ToR reaches each node's pod CIDR straight from that node.
        for (const n of v6.nodes) {
            for (const r of v6.routers) assert.deepEqual(o.routers[r.name].routes[n.podCidr].nextHops, [n.address]);
        }
        o.ipv4[v6.nodes[0].name] = ["10.0.0.5/24 on eth0"];
        assert.deepEqual(findProblems(input, o), [`${v6.nodes[0].name} has IPv4 address 10.0.0.5/24 on eth0 on an IPv6-only stack`]);
    });
});

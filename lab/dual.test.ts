/**
 * A dual stack in the lab (ipFamily dual, seed 001): the IPv6 half must be checked as fully as the
 * IPv4 one. Each test fails if the IPv6 half's addresses, routes, sessions or reachability checks
 * vanish from what the lab builds and checks.
 */
import * as assert from "node:assert/strict";
import * as path from "path";
import type { OfflineRun } from "../cli/offline";
import type { K8sObject } from "../components/cilium/api";
import { nodeLabels } from "../components/bgp/selectors";
import { type CheckInput, type ObservedState, expectedRoutes, findProblems, planHalves, sessionRows } from "./checks";
import { addressTargets, checksByFamily, pingTargets, planLoopbacks } from "./probe";
import { loadLabRun } from "./run";
import { renderGobgpdConfig, translateNode } from "./speaker";
import { buildLabModel, k8sObjects } from "./topology";

const ROOT = path.resolve(__dirname, "..");
const ENV = { CBF_BGP_PASSWORD: "dual-test-password" };

describe("lab: dual stack checks both families", () => {
    let dual: OfflineRun;
    let dev: OfflineRun;
    before(async () => {
        dual = await loadLabRun(ROOT, "dual", ENV);
        dev = await loadLabRun(ROOT, "dev", ENV);
    });

    it("nodes and routers carry the IPv6 half's addresses and a default route per family", () => {
        const v6 = dual.plan.secondary!;
        assert.equal(v6.family, "ipv6");
        const { topology } = buildLabModel(dual, { vyosAsFrr: true });
        assert.deepEqual(topology.families, ["ipv4", "ipv6"]);
        for (const n of topology.nodes) {
            const p6 = v6.nodes.find((x) => x.name === n.name)!;
            assert.equal(n.secondary?.address, p6.address);
            assert.deepEqual(n.secondary?.defaultRoute?.ipArgs, ["-6", "route", "replace", "default", "via", p6.gateway]);
            assert.ok(!n.defaultRoute?.ipArgs.includes("-6"));
        }
        for (const r of topology.routers) {
            const r6 = v6.routers.find((x) => x.name === r.name)!;
            assert.deepEqual(r.interfaces.map((i) => i.secondary?.address), r.interfaces.map((i) => r6.interfaces.find((x) => x.network === i.segment)?.address));
        }
        assert.ok(topology.client?.secondary?.prefix.includes(":"), "the client has an IPv6 segment");
        assert.ok(!buildLabModel(dev).topology.client?.secondary, "a one-family stack's client has one segment");
    });

    it("pings cover node<->node and node->loopback in IPv6 as in IPv4; one-family stacks are unchanged", () => {
        const { topology } = buildLabModel(dual, { vyosAsFrr: true });
        const running = topology.routers.map((r) => r.name);
        const pings = pingTargets(topology, running, planLoopbacks(dual.plan));
        const n = topology.nodes.length;
        const expected = n * (n - 1) + n * running.length;
        for (const family of ["ipv4", "ipv6"] as const) {
            const half = planHalves(dual.plan).find((h) => h.family === family)!;
            const mine = pings.filter((p) => p.family === family);
            assert.equal(mine.length, expected, `${family} pings`);
            const own = new Set([...half.nodes.map((x) => x.address), ...half.routers.map((r) => r.loopback)]);
            for (const p of mine) assert.ok(own.has(p.address) && own.has(p.fromAddress), `${family} ping ${p.fromAddress} -> ${p.address} uses the ${family} half`);
        }
        const devModel = buildLabModel(dev).topology;
        const devPings = pingTargets(devModel, devModel.routers.map((r) => r.name), planLoopbacks(dev.plan));
        assert.deepEqual([...new Set(devPings.map((p) => p.family))], ["ipv4"]);
        assert.deepEqual(checksByFamily([{ check: "a", ok: true, family: "ipv6" }, { check: "b", ok: false, family: "ipv6" }, { check: "c", ok: true }]),
            { ipv6: { passed: 1, total: 2 }, any: { passed: 1, total: 1 } });
    });

    it("the client connects to each family's LB address and every node's pod CIDR of each family; the foreign prefix of each family is announced", () => {
        const model = buildLabModel(dual, { vyosAsFrr: true, foreignPrefixNode: dual.plan.nodes[0].name });
        const targets = addressTargets(model, dual.plan.ecmp);
        for (const h of planHalves(dual.plan)) {
            for (const n of h.nodes) assert.ok(targets.some((t) => t.what === `pod CIDR ${n.podCidr} of ${n.name}` && t.announcers.join() === n.name), `${h.family} pod CIDR of ${n.name}`);
            for (const p of h.lbPools) assert.ok(targets.some((t) => t.what.startsWith("service ") && t.address.includes(":") === (h.family === "ipv6") && p.cidr.includes(":") === (h.family === "ipv6")), `${h.family} LB address`);
        }
        assert.deepEqual(model.foreignPrefixes, ["198.51.100.0/24", "2001:db8:dead::/64"]);
    });

    it("sessions and routes of the IPv6 half are expected: missing IPv6 sessions are problems", () => {
        const v6 = dual.plan.secondary!;
        assert.ok(v6.nodeSessions.length > 0);
        const announcers = planHalves(dual.plan).flatMap((h) => h.nodes.map((n) => ({ node: n.name, prefixes: [n.podCidr], communities: {} })));
        const merged = [...new Set(announcers.map((a) => a.node))].map((node) => ({ node, prefixes: announcers.filter((a) => a.node === node).flatMap((a) => a.prefixes), communities: {} }));
        const input: CheckInput = { plan: dual.plan, running: dual.plan.routers.map((r) => r.name), announcers: merged, forbidden: [], ipv6Only: false, allowStale: false };
        const o: ObservedState = { routers: {}, nodes: {}, ipv4: {} };
        for (const r of dual.plan.routers) o.routers[r.name] = { sessions: [], routes: {} };
        for (const n of dual.plan.nodes) o.nodes[n.name] = { sessions: [] };
        // Only the IPv4 half's sessions up.
        for (const s of dual.plan.nodeSessions) {
            o.routers[s.router].sessions.push({ peer: s.nodeAddress, state: "Established" });
            o.nodes[s.node].sessions.push({ peer: s.routerAddress, state: "Established" });
        }
        assert.deepEqual(sessionRows(input, o).filter((r) => r.peerAddress.includes(":")).length, v6.nodeSessions.length);
        const problems = findProblems(input, o).join("\n");
        for (const s of v6.nodeSessions) assert.match(problems, new RegExp(`session ${s.router} -> ${s.node} \\(${s.nodeAddress}\\) is missing`));
        // IPv6 sessions up: each IPv6 pod CIDR is expected via the node's IPv6 address, the IPv4 one via its IPv4 address.
        for (const s of v6.nodeSessions) {
            o.routers[s.router].sessions.push({ peer: s.nodeAddress, state: "Established" });
            o.nodes[s.node].sessions.push({ peer: s.routerAddress, state: "Established" });
        }
        const routes = expectedRoutes(input, o);
        for (const h of planHalves(dual.plan)) {
            for (const n of h.nodes) {
                for (const r of h.routers) assert.deepEqual(routes.find((e) => e.router === r.name && e.prefix === n.podCidr)?.nextHops, [n.address]);
            }
        }
        assert.match(findProblems(input, o).join("\n"), new RegExp(`router r01 lacks ${v6.nodes[0].podCidr.replace(/[.:/]/g, "\\$&")}`));
    });

    it("the speaker: one neighbor per session with that session's family only; each family's pod CIDR over its own peers", () => {
        // The rendered objects: one peer per session, each PeerConfig with that session's one family.
        const v6 = dual.plan.secondary!;
        const objects: K8sObject[] = k8sObjects(dual.resources);
        const node = v6.nodes[0];
        const p4 = dual.plan.nodes.find((n) => n.name === node.name)!;
        const facts = { name: p4.name, labels: nodeLabels(p4), address: p4.address, podCidr: p4.podCidr, secondaryPodCidr: node.podCidr, plannedRouterId: p4.routerId };
        const s = translateNode(objects, facts, []);
        assert.equal(s.routerId, p4.address, "router ID: the node's IPv4 address");
        assert.deepEqual(s.peers.map((p) => [p.address, p.families]), [
            ...dual.plan.nodeSessions.filter((x) => x.node === node.name).map((x) => [x.routerAddress, ["ipv4"]]),
            ...v6.nodeSessions.filter((x) => x.node === node.name).map((x) => [x.routerAddress, ["ipv6"]]),
        ]);
        assert.deepEqual(s.announce.filter((a) => a.reason === "pod CIDR").map((a) => [a.prefix, a.family]), [[p4.podCidr, "ipv4"], [node.podCidr, "ipv6"]]);
        const toml = renderGobgpdConfig(s);
        assert.equal((toml.match(/afi-safi-name = "ipv6-unicast"/g) ?? []).length, v6.nodeSessions.filter((x) => x.node === node.name).length);
        assert.equal((toml.match(/afi-safi-name = "ipv4-unicast"/g) ?? []).length, dual.plan.nodeSessions.filter((x) => x.node === node.name).length);
        // Without the IPv6 peers, the IPv6 pod CIDR is announced nowhere (Cilium announces a family only over its peers).
        const v4only = objects.map((o) => (o.kind !== "CiliumBGPClusterConfig" ? o : {
            ...o, spec: { ...o.spec, bgpInstances: (o.spec as { bgpInstances: { peers: { peerAddress: string }[] }[] }).bgpInstances
                .map((i) => ({ ...i, peers: i.peers.filter((p) => !p.peerAddress.includes(":")) })) },
        }));
        assert.deepEqual(translateNode(v4only, facts, []).announce.filter((a) => a.reason === "pod CIDR").map((a) => a.prefix), [p4.podCidr]);
    });
});

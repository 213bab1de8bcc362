import * as assert from "node:assert/strict";
import * as path from "path";
import type { OfflineRun } from "../cli/offline";
import { smokePlacement } from "../components/smoke";
import { loadLabRun } from "./run";
import { lbRequests } from "../components/lbpools/requests";
import { buildLabModel, foreignPrefixFor, type LabModel } from "./topology";
import { runFabricOffline } from "../cli/offline";
import { readStackConfig } from "../components/config/stackfile";
import { addressTargets, outsideBackends } from "./probe";

const ROOT = path.resolve(__dirname, "..");
const ENV = { CBF_BGP_PASSWORD: "topology-test-password" };

describe("lab topology from the program's offline run", () => {
    const runs = new Map<string, OfflineRun>();
    before(async () => {
        for (const stack of ["dev", "ipv6", "ipv6-vyos"]) runs.set(stack, await loadLabRun(ROOT, stack, ENV));
    });

    it("routers boot from exactly the files the RouterFleet uploads; VyOS routers are listed as skipped", () => {
        for (const stack of ["dev", "ipv6"]) {
            const run = runs.get(stack)!;
            const { topology } = buildLabModel(run);
            for (const r of topology.routers) {
                const recorded = run.resources.find((x) => x.type === "docker:index/container:Container" && x.name === `router-${r.name}`)!;
                assert.deepEqual(r.files, recorded.inputs.uploads);
                assert.ok(r.files.some((f) => f.file === "/etc/frr/frr.conf" && f.content.includes(ENV.CBF_BGP_PASSWORD)));
            }
            assert.deepEqual(topology.skipped, []);
        }
        const vyos = buildLabModel(runs.get("ipv6-vyos")!).topology;
        assert.deepEqual(vyos.routers, []);
        assert.deepEqual(vyos.skipped.map((s) => s.router), runs.get("ipv6-vyos")!.plan.routers.map((r) => r.name));
    });

    it("the smoke Service is announced per its externalTrafficPolicy (dev: Local on its pods' nodes; ipv6: Cluster), the Gateway from every node", () => {
        for (const stack of ["dev", "ipv6"]) {
            const run = runs.get(stack)!;
            const smoke = smokePlacement(run.config, run.plan)!;
            const model = buildLabModel(run);
            const svc = model.services.find((s) => s.address === smoke.address)!;
            assert.equal(svc.externalTrafficPolicy, smoke.externalTrafficPolicy);
            const prefix = `${smoke.address}/${smoke.family === "ipv4" ? 32 : 128}`;
            const announcing = model.topology.nodes.filter((n) => n.announce.some((a) => a.prefix === prefix)).map((n) => n.name).sort();
            assert.deepEqual(announcing, smoke.externalTrafficPolicy === "Local" ? [...smoke.nodes].sort() : run.plan.nodes.map((n) => n.name).sort());
        }
        const v6 = runs.get("ipv6")!;
        const gw = v6.config.gatewayApi;
        assert.ok(gw.enabled);
        const model = buildLabModel(v6);
        const gateway = model.services.find((s) => s.name.startsWith("cilium-gateway-"))!;
        assert.ok(model.topology.nodes.every((n) => n.announce.some((a) => a.prefix === `${gateway.address}/128`)));
    });

    it("a smoke Service without its own pods (smoke.selector): no endpoints the lab knows; Local: no node announces it, and the lab says it checks no backend", async () => {
        // Seed 003: no selector (Kubernetes manages no endpoints), externalTrafficPolicy Local.
        const seed = buildLabModel(await loadLabRun(ROOT, "seed-003-single-router", ENV));
        const svc = seed.services.find((s) => s.name === "traefik-ingress" && s.addressType === "LoadBalancerIP")!;
        assert.deepEqual(svc.endpointNodes, []);
        assert.match(svc.endpointsOutside ?? "", /no selector: its endpoints are managed outside the Service/);
        assert.ok(seed.topology.nodes.every((n) => !n.announce.some((a) => a.prefix === `${svc.address}/32`)));
        assert.deepEqual(addressTargets(seed, false).filter((t) => t.address === svc.address), []);
        assert.match(seed.unexercised.find((u) => u.type === "LoadBalancerIP")!.reason, /externalTrafficPolicy Local and no node hosts an endpoint the lab knows of .*: Cilium announces it from no node/);
        const [note] = outsideBackends(seed);
        assert.equal(note.service, "traefik-ingress/traefik-ingress");
        assert.match(note.checked, /Cilium announces it from no node, so the lab checks only that no router learns it from a node; not checked: its routing or backend/);
        // dev with Traefik's pods selected and externalTrafficPolicy Cluster: every node announces it; the TCP check is routing only.
        const sc = readStackConfig(ROOT, "dev", ENV);
        const key = "cilium-bgp-fabric:smoke";
        const smoke = JSON.parse(sc.values[key]) as Record<string, unknown>;
        delete smoke.nodes;
        sc.values[key] = JSON.stringify({ ...smoke, externalTrafficPolicy: "Cluster", selector: { "app.kubernetes.io/name": "traefik" } });
        const run = await runFabricOffline("dev", sc, ENV);
        const dev = buildLabModel(run);
        const address = smokePlacement(run.config, run.plan)!.address;
        const all = run.plan.nodes.map((n) => n.name).sort();
        assert.deepEqual(dev.topology.nodes.filter((n) => n.announce.some((a) => a.prefix === `${address}/32`)).map((n) => n.name).sort(), all);
        assert.match(addressTargets(dev, false).find((t) => t.address === address)!.what, /routing only: the lab's answer server on the announcing nodes, not the Service's pods/);
        const devNote = outsideBackends(dev).find((b) => b.address === address)!;
        assert.match(devNote.checked, /matches no pods the program runs; checked: announced by .* and routed to them .*not checked: the Service's backend, which the lab does not run/);
        // The program's own pods: no such note.
        assert.deepEqual(outsideBackends(buildLabModel(runs.get("dev")!)).filter((b) => b.address === address), []);
    });

    it("faults touch only the node they name", () => {
        const run = runs.get("dev")!;
        const plain = buildLabModel(run).topology.nodes;
        const node = run.plan.nodes[1].name;
        const faulty = buildLabModel(run, { wrongPasswordNode: node, foreignPrefixNode: node }).topology.nodes;
        for (const [i, n] of faulty.entries()) {
            if (n.name !== node) { assert.deepEqual(n, plain[i]); continue; }
            assert.notEqual(n.gobgpdConfig, plain[i].gobgpdConfig);
            assert.ok(!n.gobgpdConfig.includes(`auth-password = "${ENV.CBF_BGP_PASSWORD}"`));
            assert.deepEqual(n.announce.map((a) => a.prefix), [...plain[i].announce.map((a) => a.prefix), foreignPrefixFor("ipv4")]);
        }
        assert.throws(() => buildLabModel(run, { wrongPasswordNode: "nope" }), /no node nope in stack dev/);
    });

    /** Every prefix any node speaker announces, with the nodes that announce it. */
    const announced = (m: LabModel): Map<string, string[]> => {
        const out = new Map<string, string[]>();
        for (const n of m.topology.nodes) for (const a of n.announce) out.set(a.prefix, [...(out.get(a.prefix) ?? []), n.name].sort());
        return out;
    };

    it("speakers announce only what rendered objects ask for: each node's pod CIDR and the requested LB addresses, nothing invented", () => {
        for (const stack of ["dev", "ipv6"]) {
            const run = runs.get(stack)!;
            const host = run.plan.family === "ipv4" ? 32 : 128;
            // Independently of the lab: what the program requests from LB IPAM (smoke Service, Gateway).
            const requests = lbRequests(run.config, run.plan);
            const expected = new Set([...run.plan.nodes.map((n) => n.podCidr), ...Object.values(requests).filter((r) => r && typeof r === "object" && "address" in r).map((r) => `${(r as { address: string }).address}/${host}`)]);
            const got = announced(buildLabModel(run));
            assert.deepEqual([...got.keys()].sort(), [...expected].sort(), stack);
            for (const n of run.plan.nodes) assert.ok(got.get(n.podCidr)!.join() === n.name, `${stack}: only ${n.name} announces its pod CIDR`);
        }
    });

    it("the check can fail: a speaker announcing an extra prefix is caught", () => {
        const run = runs.get("dev")!;
        const model = buildLabModel(run);
        model.topology.nodes[0].announce.push({ prefix: "10.100.0.254/32", family: "ipv4", communities: [], reason: "invented" });
        assert.ok(announced(model).has("10.100.0.254/32"));
        const requests = lbRequests(run.config, run.plan);
        assert.ok(!Object.values(requests).some((r) => r && typeof r === "object" && "address" in r && (r as { address: string }).address === "10.100.0.254"));
    });

    it("says which advertisement types no rendered object exercises", () => {
        for (const stack of ["dev", "ipv6"]) {
            const m = buildLabModel(runs.get(stack)!);
            // Neither stack renders a Service with a fixed cluster IP or external IPs; both render LoadBalancer ones.
            assert.ok(!m.unexercised.some((u) => u.type === "LoadBalancerIP"), stack);
            for (const u of m.unexercised) assert.match(u.reason, /renders no Service|no advertisement selects/);
        }
    });
    it("bgp.nodeSelector (seed 003): a node no policy selects runs no BGP (idle gobgpd: no neighbor, no listener, nothing exported), keeps its default route, and cannot be a fault node", async () => {
        const run = await loadLabRun(ROOT, "seed-003-single-router", ENV);
        const model = buildLabModel(run, { vyosAsFrr: true, foreignPrefixNode: "cp-1" });
        assert.deepEqual(model.speakers.map((s) => s.node), ["worker-2", "worker-3", "worker-4"]);
        const cp = model.topology.nodes.find((n) => n.name === "cp-1")!;
        assert.deepEqual(cp.announce, []);
        assert.doesNotMatch(cp.gobgpdConfig, /\[\[neighbors\]\]|export-policy-list/);
        assert.match(cp.gobgpdConfig, /port = -1/);
        assert.ok(cp.defaultRoute, "cp-1 is reached through the router by its default route");
        for (const w of model.topology.nodes.filter((n) => n.name !== "cp-1")) assert.match(w.gobgpdConfig, /\[\[neighbors\]\]/);
        // run.ts names the first node for the filter test; it moves to the first node that speaks.
        assert.ok(model.topology.nodes.find((n) => n.name === "worker-2")!.announce.some((a) => a.prefix === model.foreignPrefix));
        assert.throws(() => buildLabModel(run, { wrongPasswordNode: "cp-1" }), /cp-1 runs no BGP/);
    });
});

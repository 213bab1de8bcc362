import * as assert from "node:assert/strict";
import { spawnSync } from "child_process";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { PASSWORD_PLACEHOLDER, nodeAnnotations, renderBgpObjects, renderBgpSecret } from "../components/bgp";
import { nodeLabels } from "../components/bgp/selectors";
import type { K8sObject } from "../components/cilium/api";
import { loadStack, type LoadedStack } from "../components/config";
import { rawStack } from "../components/routers/testing";
import { VERSION_FOR_LINE } from "../test/support/crd";
import { CILIUM_GOBGP, type ServiceFacts, announceCommand, renderGobgpdConfig, translateNode, TranslationError } from "./speaker";

const PASSWORD = "lab-Pa55\"word\\x";

/** A stack on a given Cilium line, with the objects the BGP component renders and the Secret holding the real password. */
function objectsFor(stack: string, line: string): { loaded: LoadedStack; objects: K8sObject[] } {
    const raw = rawStack(stack);
    raw.cilium = { ...(raw.cilium as object), version: VERSION_FOR_LINE[line] };
    delete raw.gatewayApi;
    const loaded = loadStack(`${stack}-${line}`, raw, PASSWORD);
    const { config, plan } = loaded;
    const secret = renderBgpSecret(config);
    secret.stringData = { password: PASSWORD };
    const patches: K8sObject[] = nodeAnnotations(config, plan).map((a) => ({ apiVersion: "v1", kind: "Node", metadata: { name: a.node, annotations: a.annotations } }));
    return { loaded, objects: [...renderBgpObjects(config, plan), secret, ...patches] };
}

const services = (address: string, etp: "Cluster" | "Local", endpointNodes: string[]): ServiceFacts[] =>
    [{ namespace: "t", name: "svc", labels: {}, address, addressType: "LoadBalancerIP", externalTrafficPolicy: etp, endpointNodes }];

describe("lab speaker: Cilium objects -> gobgpd", () => {
    for (const stack of ["dev", "ipv6"]) {
        for (const line of ["1.15", "1.17", "1.18", "1.20"]) {
            it(`${stack} on Cilium ${line}: every node peers with exactly its planned routers, with the configured password, timers and family`, () => {
                const { loaded: { config, plan }, objects } = objectsFor(stack, line);
                const lb = plan.lbPools[0].cidr.replace(/\/\d+$/, "").replace(/0$/, "7");
                for (const n of plan.nodes) {
                    const s = translateNode(objects, { name: n.name, labels: nodeLabels(n), address: n.address, podCidr: n.podCidr, plannedRouterId: n.routerId },
                        services(lb, "Cluster", []));
                    const planned = plan.nodeSessions.filter((x) => x.node === n.name);
                    assert.equal(s.asn, n.asn);
                    assert.deepEqual(s.peers.map((p) => `${p.address}|${p.asn}`).sort(), planned.map((x) => `${x.routerAddress}|${x.routerAsn}`).sort());
                    for (const p of s.peers) {
                        assert.equal(p.password, PASSWORD);
                        assert.equal(p.holdTimeSeconds, config.bgp.holdTimeSeconds);
                        assert.equal(p.keepAliveTimeSeconds, config.bgp.keepaliveTimeSeconds);
                        assert.equal(p.connectRetryTimeSeconds, config.bgp.connectRetryTimeSeconds);
                        assert.deepEqual(p.families, [plan.family]);
                        const type = planned.find((x) => x.routerAddress === p.address)!.type;
                        assert.equal(p.ebgpMultihop, type === "ebgp" ? config.bgp.ebgpMultihop : undefined);
                        assert.equal(p.gracefulRestartSeconds, config.bgp.gracefulRestart.enabled ? config.bgp.gracefulRestart.restartTimeSeconds : undefined);
                    }
                    const prefixes = s.announce.map((a) => a.prefix).sort();
                    assert.deepEqual(prefixes, [n.podCidr, `${lb}/${plan.family === "ipv4" ? 32 : 128}`].sort());
                    const pod = s.announce.find((a) => a.prefix === n.podCidr)!;
                    assert.deepEqual(pod.communities, config.bgp.podCidrAdvertisement.communities);
                    assert.equal(pod.localPreference, config.bgp.podCidrAdvertisement.localPreference);
                    // Router IDs: the planned one where Cilium is told one, the node's IPv4 address otherwise.
                    if (plan.family === "ipv4") assert.equal(s.routerId, n.address);
                    else assert.equal(s.routerId, n.routerId);
                }
            });
        }
    }

    for (const line of ["1.15", "1.17", "1.20"]) {
        it(`Cilium ${line}: gobgpd as Cilium runs it: no listening port, local routes only imported, GR with N bit, idle hold 5 s`, () => {
            const { loaded: { config, plan }, objects } = objectsFor("dev", line);
            const n = plan.nodes[0];
            const s = translateNode(objects, { name: n.name, labels: nodeLabels(n), address: n.address, podCidr: n.podCidr, plannedRouterId: n.routerId }, []);
            // manager.go getLocalPort / registerBGPServer: no local port configured -> -1.
            assert.equal(s.listenPort, -1);
            const toml = renderGobgpdConfig(s);
            assert.match(toml, /^\[global\.config\][^[]*\n {2}port = -1\n/m);
            // server.go NewGoBGPServer: everything a peer sends is rejected, local routes pass.
            assert.match(toml, /import-policy-list = \["allow-local"\]\n {2}default-import-policy = "reject-route"/);
            assert.match(toml, /route-type = "local"/);
            assert.match(toml, /advertise-inactive-routes = true/);
            assert.equal(toml.match(/idle-hold-time-after-reset = 5\n/g)?.length, s.peers.length);
            // setPeerGracefulRestart: restart time, notification (N bit); -r adds local-restarting (R bit).
            assert.ok(config.bgp.gracefulRestart.enabled);
            assert.equal(toml.match(/restart-time = 120\n {4}notification-enabled = true/g)?.length, s.peers.length);
            // setPeerEBGPMultihopTTL: iBGP peers (the leaf of the node's rack) never get multihop.
            for (const p of s.peers.filter((x) => x.asn === s.asn)) assert.equal(p.ebgpMultihop, undefined);
        });
    }

    it("Cilium's defaults for omitted fields: timers 120/90/30, GR restart time 120, both families, peer port 179", () => {
        const { loaded: { plan }, objects } = objectsFor("dev", "1.17");
        for (const o of objects.filter((x) => x.kind === "CiliumBGPPeerConfig")) {
            const spec = o.spec as Record<string, unknown>;
            delete spec.timers; delete spec.families; delete spec.transport; delete spec.ebgpMultihop;
            spec.gracefulRestart = { enabled: true };
        }
        const n = plan.nodes[0];
        const s = translateNode(objects, { name: n.name, labels: nodeLabels(n), address: n.address, podCidr: n.podCidr, plannedRouterId: n.routerId }, []);
        for (const p of s.peers) {
            assert.deepEqual([p.connectRetryTimeSeconds, p.holdTimeSeconds, p.keepAliveTimeSeconds], [120, 90, 30]);
            assert.equal(p.gracefulRestartSeconds, CILIUM_GOBGP.defaultRestartTimeSeconds);
            assert.deepEqual(p.families, ["ipv6", "ipv4"]);
            assert.equal(p.peerPort, 179);
            assert.equal(p.ebgpMultihop, undefined);
        }
        assert.deepEqual(s.announce, [], "families without advertisements announce nothing");
    });

    it("a local port in the node override (v2) or the annotation (v1) makes the speaker listen there", () => {
        for (const line of ["1.15", "1.17"]) {
            const { loaded: { plan }, objects } = objectsFor("dev", line);
            const n = plan.nodes[0];
            if (line === "1.15") {
                objects.push({ apiVersion: "v1", kind: "Node", metadata: { name: n.name, annotations: { [`cilium.io/bgp-virtual-router.${n.asn}`]: "local-port=1790" } } });
            } else {
                objects.push({ apiVersion: "cilium.io/v2alpha1", kind: "CiliumBGPNodeConfigOverride", metadata: { name: n.name }, spec: { bgpInstances: [{ name: "x", localPort: 1790 }] } });
            }
            const s = translateNode(objects, { name: n.name, labels: nodeLabels(n), address: n.address, podCidr: n.podCidr, plannedRouterId: n.routerId }, []);
            assert.equal(s.listenPort, 1790, line);
        }
    });

    it("externalTrafficPolicy Local: only nodes with an endpoint announce the address; Cluster: every node", () => {
        const { loaded: { plan }, objects } = objectsFor("dev", "1.17");
        const address = "10.100.0.9";
        const announcing = (etp: "Cluster" | "Local"): string[] => plan.nodes.filter((n) => translateNode(objects,
            { name: n.name, labels: nodeLabels(n), address: n.address, podCidr: n.podCidr, plannedRouterId: n.routerId },
            services(address, etp, [plan.nodes[1].name])).announce.some((a) => a.prefix === `${address}/32`)).map((n) => n.name);
        assert.deepEqual(announcing("Local"), [plan.nodes[1].name]);
        assert.deepEqual(announcing("Cluster"), plan.nodes.map((n) => n.name));
    });

    it("a Service advertisement without a selector announces no service (as Cilium does)", () => {
        const { loaded: { plan }, objects } = objectsFor("dev", "1.18");
        for (const o of objects) {
            for (const a of ((o.spec?.advertisements ?? []) as Record<string, unknown>[])) delete a.selector;
        }
        const n = plan.nodes[0];
        const s = translateNode(objects, { name: n.name, labels: nodeLabels(n), address: n.address, podCidr: n.podCidr, plannedRouterId: n.routerId }, services("10.100.0.9", "Cluster", []));
        assert.deepEqual(s.announce.map((a) => a.prefix), [n.podCidr]);
    });

    it("says what is missing instead of inventing it", () => {
        const { loaded: { plan }, objects } = objectsFor("dev", "1.17");
        const n = plan.nodes[0];
        const facts = { name: n.name, labels: nodeLabels(n), address: n.address, podCidr: n.podCidr, plannedRouterId: n.routerId };
        assert.throws(() => translateNode(objects.filter((o) => o.kind !== "Secret"), facts, []), /authSecretRef .*no such Secret/);
        assert.throws(() => translateNode(objects, { ...facts, labels: {} }, []), TranslationError);
        const secret = objects.find((o) => o.kind === "Secret")!;
        assert.equal(secret.stringData && (secret.stringData as Record<string, string>).password !== PASSWORD_PLACEHOLDER, true);
    });

    it("announce commands carry the advertisement's communities and local preference", () => {
        assert.deepEqual(announceCommand({ prefix: "10.1.0.0/24", family: "ipv4", communities: ["65000:1", "1:2:3"], localPreference: 99, reason: "x" }),
            ["gobgp", "global", "rib", "-a", "ipv4", "add", "10.1.0.0/24", "origin", "igp", "community", "65000:1", "large-community", "1:2:3", "local-pref", "99"]);
    });

    describe("gobgpd --dry-run accepts every rendered configuration", function () {
        before(function () {
            if (spawnSync("gobgpd", ["--version"]).status === 0) return;
            if (process.env.CI) throw new Error("gobgpd is not installed but CI is set: install the Debian 'gobgpd' package");
            console.warn("    gobgpd not installed (apt-get install gobgpd): skipping its configuration check locally");
            this.skip();
        });
        for (const stack of ["dev", "ipv6"]) {
            for (const line of ["1.15", "1.18"]) {
                it(`${stack} on ${line}`, () => {
                    const { loaded: { plan }, objects } = objectsFor(stack, line);
                    const dir = fs.mkdtempSync(path.join(os.tmpdir(), "cbf-gobgp-"));
                    try {
                        for (const n of plan.nodes) {
                            const s = translateNode(objects, { name: n.name, labels: nodeLabels(n), address: n.address, podCidr: n.podCidr, plannedRouterId: n.routerId }, []);
                            const file = path.join(dir, `${n.name}.toml`);
                            fs.writeFileSync(file, renderGobgpdConfig(s, ["192.0.2.0/24"].filter(() => plan.family === "ipv4")));
                            const r = spawnSync("gobgpd", ["--dry-run", "-f", file], { encoding: "utf8" });
                            assert.equal(r.status, 0, `${n.name}: ${r.stdout}${r.stderr}`);
                            assert.doesNotMatch(`${r.stdout}${r.stderr}`, /level=(error|fatal)/, n.name);
                        }
                    } finally {
                        fs.rmSync(dir, { recursive: true, force: true });
                    }
                });
            }
        }
        it("and rejects a broken one (the check can fail)", () => {
            const dir = fs.mkdtempSync(path.join(os.tmpdir(), "cbf-gobgp-"));
            try {
                const file = path.join(dir, "bad.toml");
                fs.writeFileSync(file, "[global.config]\n  as = \"not a number\"\n");
                assert.notEqual(spawnSync("gobgpd", ["--dry-run", "-f", file]).status, 0);
            } finally {
                fs.rmSync(dir, { recursive: true, force: true });
            }
        });
    });
});

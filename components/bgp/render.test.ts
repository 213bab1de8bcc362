import { strict as assert } from "assert";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import {
    ALL_LINES, CrdValidator, CEL_RULES, STACKS, allReferenceCrdFiles, celRulesIn, crdFilesFor, crdValidatorFor, loadFixture,
} from "../../test/support/crd";
import type { K8sObject } from "../cilium/api";
import { renderLbPools } from "../lbpools/render";
import { computeCiliumValues } from "../cilium/values";
import { MATCH_ALL, checkSessionsAgainstPlan, nodeAnnotations, renderBgpObjects, renderBgpSecret, PASSWORD_PLACEHOLDER } from "./index";

const kindsOf = (objs: K8sObject[]): string[] => [...new Set(objs.map((o) => o.kind))].sort();
const clone = <T>(x: T): T => JSON.parse(JSON.stringify(x)) as T;
const specOf = (o: K8sObject): Record<string, unknown> => o.spec as Record<string, unknown>;

describe("BGP objects per stack and Cilium line", () => {
    for (const stack of STACKS) {
        for (const line of ALL_LINES) {
            describe(`${stack} on Cilium ${line}`, () => {
                const { config, plan } = loadFixture(stack, { line });
                const objects = renderBgpObjects(config, plan);
                const minor = Number(line.split(".")[1]);

                it("renders the kinds and apiVersion the line serves", () => {
                    if (minor === 15) {
                        assert.deepEqual(kindsOf(objects), ["CiliumBGPPeeringPolicy"]);
                        for (const o of objects) assert.equal(o.apiVersion, "cilium.io/v2alpha1");
                        return;
                    }
                    const expected = ["CiliumBGPAdvertisement", "CiliumBGPClusterConfig", "CiliumBGPPeerConfig"];
                    if (plan.family === "ipv6" && minor < 18) expected.push("CiliumBGPNodeConfigOverride");
                    assert.deepEqual(kindsOf(objects), expected.sort());
                    for (const o of objects) assert.equal(o.apiVersion, minor >= 18 ? "cilium.io/v2" : "cilium.io/v2alpha1");
                });

                it("every object validates against the line's CRDs, CEL rules included", () => {
                    const v = crdValidatorFor(line);
                    for (const o of [...objects, ...renderLbPools(config, plan)]) assert.deepEqual(v.validate(o), [], `${o.kind}/${o.metadata.name}`);
                });

                it("declares exactly the planned node sessions (addresses, ASNs, family)", () => {
                    assert.deepEqual(checkSessionsAgainstPlan(objects, plan), []);
                });

                it("router IDs for IPv6-only nodes come from the plan (override on 1.16/1.17, annotation on 1.15)", () => {
                    const overrides = objects.filter((o) => o.kind === "CiliumBGPNodeConfigOverride");
                    const annotations = nodeAnnotations(config, plan);
                    if (plan.family === "ipv4" || minor >= 18) {
                        assert.equal(overrides.length, 0);
                        assert.equal(annotations.length, 0);
                        return;
                    }
                    for (const n of plan.nodes) {
                        if (minor === 15) {
                            const a = annotations.find((x) => x.node === n.name);
                            assert.deepEqual(a?.annotations, { [`cilium.io/bgp-virtual-router.${n.asn}`]: `router-id=${n.routerId}` });
                        } else {
                            const o = overrides.find((x) => x.metadata.name === n.name);
                            assert.deepEqual(specOf(o!).bgpInstances, [{ name: `instance-${n.asn}`, routerID: n.routerId }]);
                        }
                    }
                });
            });
        }
    }
});

describe("BGP v1 peering policies on the lines that serve them (bgp.controlPlane: v1)", () => {
    const v1 = (raw: Record<string, unknown>): void => { raw.bgp = { ...(raw.bgp as Record<string, unknown>), controlPlane: "v1" }; };
    for (const stack of STACKS) {
        for (const line of ["1.16", "1.17", "1.18"]) {
            describe(`${stack} on Cilium ${line}`, () => {
                const { config, plan } = loadFixture(stack, { line, patch: v1 });
                const objects = renderBgpObjects(config, plan);
                it("renders only cilium.io/v2alpha1 CiliumBGPPeeringPolicy objects", () => {
                    assert.deepEqual(kindsOf(objects), ["CiliumBGPPeeringPolicy"]);
                    for (const o of objects) assert.equal(o.apiVersion, "cilium.io/v2alpha1");
                });
                it("every object validates against the line's own CRDs (the 1.18 CRD marks v2alpha1 deprecated, with no successor)", () => {
                    const v = crdValidatorFor(line);
                    for (const o of [...objects, ...renderLbPools(config, plan)]) assert.deepEqual(v.validate(o), [], `${o.kind}/${o.metadata.name}`);
                });
                it("declares exactly the planned node sessions", () => {
                    assert.deepEqual(checkSessionsAgainstPlan(objects, plan), []);
                });
                it("IPv6-only nodes get their router IDs from v1 node annotations, not from overrides or the Helm pool", () => {
                    const annotations = nodeAnnotations(config, plan);
                    if (plan.family === "ipv4") { assert.deepEqual(annotations, []); return; }
                    assert.deepEqual(annotations.map((a) => a.node), plan.nodes.map((n) => n.name));
                    for (const n of plan.nodes) {
                        assert.deepEqual(annotations.find((a) => a.node === n.name)?.annotations, { [`cilium.io/bgp-virtual-router.${n.asn}`]: `router-id=${n.routerId}` });
                    }
                    const values = computeCiliumValues(config, plan);
                    assert.equal((values.bgpControlPlane as Record<string, unknown>).routerIDAllocation, undefined);
                });
            });
        }
    }
    it("the same policy fails the validator of 1.19, which no longer serves the kind", () => {
        const { config, plan } = loadFixture("dev", { line: "1.18", patch: v1 });
        const errors = crdValidatorFor("1.19").validate(renderBgpObjects(config, plan)[0]);
        assert.match(errors.join("\n"), /kind not served on Cilium 1\.19/);
    });
    it("the loader refuses v1 on 1.19+ and v2 on 1.15, naming the key, the value and the Cilium version", () => {
        assert.throws(() => loadFixture("dev", { line: "1.20", patch: v1 }), /bgp\.controlPlane = "v1": Cilium 1\.20\.0 no longer serves CiliumBGPPeeringPolicy/);
        assert.throws(() => loadFixture("dev", { line: "1.15", patch: (raw) => { raw.bgp = { ...(raw.bgp as Record<string, unknown>), controlPlane: "v2" }; } }),
            /bgp\.controlPlane = "v2": Cilium 1\.15\.19 has no BGP v2 API/);
    });
    it("defaults: v1 on 1.15, v2 on 1.16+", () => {
        for (const line of ALL_LINES) assert.equal(loadFixture("dev", { line }).config.bgp.controlPlane, line === "1.15" ? "v1" : "v2", line);
    });
});

describe("BGP object details", () => {
    it("dev: one cluster config per rack, selected by the rack label, iBGP to the rack's leaf", () => {
        const { config, plan } = loadFixture("dev");
        const ccs = renderBgpObjects(config, plan).filter((o) => o.kind === "CiliumBGPClusterConfig");
        assert.deepEqual(ccs.map((o) => o.metadata.name), ["cilium-bgp-rack1", "cilium-bgp-rack2"]);
        assert.deepEqual(specOf(ccs[0]).nodeSelector, { matchLabels: { rack: "rack1" } });
        const inst = (specOf(ccs[0]).bgpInstances as Record<string, unknown>[])[0];
        assert.equal(inst.localASN, 65011);
        assert.deepEqual(inst.peers, [{ name: "leaf1", peerASN: 65011, peerAddress: plan.nodeSessions.find((s) => s.router === "leaf1")!.routerAddress,
            peerConfigRef: { name: "cilium-peer-ibgp" } }]);
    });

    it("ipv6: one cluster config for all linux nodes; eBGP peer config with multihop, auth, timers, GR, ipv6 family", () => {
        const { config, plan } = loadFixture("ipv6");
        const objs = renderBgpObjects(config, plan);
        const cc = objs.filter((o) => o.kind === "CiliumBGPClusterConfig");
        assert.equal(cc.length, 1);
        assert.deepEqual(specOf(cc[0]).nodeSelector, { matchLabels: { "kubernetes.io/os": "linux" } });
        const pc = objs.find((o) => o.kind === "CiliumBGPPeerConfig")!;
        assert.deepEqual(pc.spec, {
            authSecretRef: "bgp-auth-secret",
            timers: { holdTimeSeconds: 9, keepAliveTimeSeconds: 3, connectRetryTimeSeconds: 5 },
            ebgpMultihop: 4,
            gracefulRestart: { enabled: true, restartTimeSeconds: 15 },
            families: [{ afi: "ipv6", safi: "unicast", advertisements: { matchLabels: { advertise: "bgp" } } }],
        });
        const pod = objs.find((o) => o.metadata.name === "bgp-podcidr")!;
        assert.deepEqual(pod.spec, { advertisements: [{ advertisementType: "PodCIDR", attributes: { communities: { standard: ["65000:99"] }, localPreference: 99 } }] });
        const svc = objs.find((o) => o.metadata.name === "bgp-services")!;
        assert.deepEqual(svc.metadata.labels, { advertise: "bgp" });
        assert.deepEqual(specOf(svc).advertisements, [{ advertisementType: "Service",
            service: { addresses: ["ExternalIP", "LoadBalancerIP", "ClusterIP"] }, selector: MATCH_ALL }]);
    });

    it("ebgpMultihop on a stack whose sessions are all iBGP is refused with GoBGP's reason; mixed sessions get two peer configs", () => {
        assert.throws(() => loadFixture("dev", { patch: (raw) => { (raw.bgp as Record<string, unknown>).ebgpMultihop = 3; } }),
            /bgp\.ebgpMultihop = 3: applies to eBGP sessions only, and every node session here is iBGP .*setPeerConnTTL/);
        // Make rack2's nodes eBGP (own ASN differs from leaf2's).
        const mixed = loadFixture("dev", { patch: (raw) => {
            (raw.bgp as Record<string, unknown>).ebgpMultihop = 3;
            (raw.asn as { racks: Record<string, number> }).racks.rack2 = 65112;
        } });
        const objs = renderBgpObjects(mixed.config, mixed.plan);
        const names = objs.filter((o) => o.kind === "CiliumBGPPeerConfig").map((o) => `${o.metadata.name}:${String(specOf(o).ebgpMultihop)}`);
        assert.deepEqual(names, ["cilium-peer-ebgp:3", "cilium-peer-ibgp:undefined"]);
        assert.deepEqual(checkSessionsAgainstPlan(objs, mixed.plan), []);
    });

    it("a configured service selector replaces the match-all one", () => {
        const sel = { matchLabels: { bgp: "announce" } };
        const { config, plan } = loadFixture("ipv6", { patch: (raw) => {
            (raw.bgp as { serviceAdvertisement: Record<string, unknown> }).serviceAdvertisement.selector = sel;
        } });
        const svc = renderBgpObjects(config, plan).find((o) => o.metadata.name === "bgp-services")!;
        assert.deepEqual((specOf(svc).advertisements as Record<string, unknown>[])[0].selector, sel);
    });

    it("without authentication no peer references a secret", () => {
        const { config, plan } = loadFixture("ipv6", { patch: (raw) => { (raw.bgp as Record<string, unknown>).authentication = false; } });
        for (const o of renderBgpObjects(config, plan)) assert.ok(!JSON.stringify(o).includes("authSecretRef"));
    });

    it("1.15: peering policies with /32 neighbors, exportPodCIDR and a match-all service selector", () => {
        const { config, plan } = loadFixture("dev", { line: "1.15" });
        const [p1] = renderBgpObjects(config, plan);
        const vr = (specOf(p1).virtualRouters as Record<string, unknown>[])[0];
        assert.equal(vr.localASN, 65011);
        assert.equal(vr.exportPodCIDR, true);
        assert.deepEqual(vr.serviceSelector, MATCH_ALL);
        const nb = (vr.neighbors as Record<string, unknown>[])[0];
        assert.match(String(nb.peerAddress), /^10\.0\.1\.\d+\/32$/);
        assert.equal(nb.authSecretRef, "bgp-auth-secret");
        assert.equal(nb.holdTimeSeconds, 9);
        assert.equal(nb.keepAliveTimeSeconds, 3);
        const v6 = loadFixture("ipv6", { line: "1.15" });
        const nb6 = ((specOf(renderBgpObjects(v6.config, v6.plan)[0]).virtualRouters as Record<string, unknown>[])[0].neighbors as Record<string, unknown>[])[0];
        assert.match(String(nb6.peerAddress), /\/128$/);
        assert.equal(nb6.eBGPMultihopTTL, 4);
    });

    it("the session cross-check catches a peer the routers do not have", () => {
        const { config, plan } = loadFixture("dev");
        const objs = clone(renderBgpObjects(config, plan));
        const peers = (specOf(objs[0]).bgpInstances as { peers: Record<string, unknown>[] }[])[0].peers;
        peers[0].peerASN = 64999;
        const problems = checkSessionsAgainstPlan(objs, plan);
        assert.ok(problems.some((p) => p.includes("not in the plan")), problems.join("\n"));
        assert.ok(problems.some((p) => p.includes("planned session not declared")));
    });

    it("secret shape: the password is a placeholder in rendered data", () => {
        const { config } = loadFixture("dev");
        assert.deepEqual(renderBgpSecret(config), {
            apiVersion: "v1", kind: "Secret", type: "Opaque",
            metadata: { name: "bgp-auth-secret", namespace: "kube-system" },
            stringData: { password: PASSWORD_PLACEHOLDER },
        });
    });
});

describe("CRD validator (test/support/crd.ts)", () => {
    it("maps every CEL rule in the reference CRDs to a check", () => {
        const rules = celRulesIn(allReferenceCrdFiles());
        assert.ok(rules.length >= 6, `found ${rules.length} rules`);
        assert.deepEqual(rules.filter((r) => !(r in CEL_RULES)), []);
    });

    it("fails loudly on a CEL rule it does not know", () => {
        const v = crdValidatorFor("1.18");
        // A validator over a CRD whose rule is unknown: reuse the 1.18 files with a patched rule.
        const file = crdFilesFor("1.18").find((f) => f.endsWith("ciliumbgppeerconfigs.yaml"))!;
        const tmp = path.join(fs.mkdtempSync(path.join(os.tmpdir(), "crd-")), "pc.yaml");
        fs.writeFileSync(tmp, fs.readFileSync(file, "utf8").replace(/self\.keepAliveTimeSeconds <= self\.holdTimeSeconds/g, "self.keepAliveTimeSeconds * 3 <= self.holdTimeSeconds"));
        const patched = new CrdValidator("1.18", [tmp]);
        const obj = { apiVersion: "cilium.io/v2", kind: "CiliumBGPPeerConfig", metadata: { name: "x" }, spec: { timers: { holdTimeSeconds: 9, keepAliveTimeSeconds: 3 } } };
        assert.deepEqual(v.validate(obj), []);
        assert.ok(patched.validate(obj).some((e) => e.includes("unsupported CEL rule")));
    });

    const peerConfig = (apiVersion: string, timers: Record<string, number>): K8sObject =>
        ({ apiVersion, kind: "CiliumBGPPeerConfig", metadata: { name: "bad" }, spec: { timers } });

    for (const line of ["1.18", "1.19", "1.20"]) {
        it(`${line}: rejects keepalive > hold (CEL)`, () => {
            const errs = crdValidatorFor(line).validate(peerConfig("cilium.io/v2", { holdTimeSeconds: 9, keepAliveTimeSeconds: 10 }));
            assert.ok(errs.some((e) => e.includes("keepAliveTimeSeconds can not be larger")), errs.join("\n"));
        });
        it(`${line}: rejects a Service advertisement without service, and a PodCIDR one with a selector (CEL)`, () => {
            const adv = (a: Record<string, unknown>): K8sObject => ({ apiVersion: "cilium.io/v2", kind: "CiliumBGPAdvertisement", metadata: { name: "bad" }, spec: { advertisements: [a] } });
            const v = crdValidatorFor(line);
            assert.ok(v.validate(adv({ advertisementType: "Service", selector: MATCH_ALL })).some((e) => e.includes("service field is required")));
            assert.ok(v.validate(adv({ advertisementType: "PodCIDR", selector: MATCH_ALL })).some((e) => e.includes("selector field is not allowed")));
            // 1.19+ also refuse `service` on other types (1.18.3 does not state that rule).
            const extra = v.validate(adv({ advertisementType: "PodCIDR", service: { addresses: ["ClusterIP"] } }));
            assert.equal(extra.some((e) => e.includes("service field is not allowed")), line !== "1.18", extra.join("\n"));
        });
    }

    it("1.16/1.17 CRDs state no CEL rules: keepalive > hold passes the CRD (config validation refuses it instead)", () => {
        for (const line of ["1.16", "1.17"]) {
            assert.deepEqual(celRulesIn(crdFilesFor(line)), []);
            assert.deepEqual(crdValidatorFor(line).validate(peerConfig("cilium.io/v2alpha1", { holdTimeSeconds: 9, keepAliveTimeSeconds: 10 })), []);
        }
        assert.throws(() => loadFixture("dev", { patch: (raw) => { (raw.bgp as Record<string, unknown>).keepaliveTimeSeconds = 30; } }), /keepaliveTimeSeconds/);
    });

    it("rejects the wrong apiVersion for the line, unknown kinds, unknown fields, schema violations and namespaces on cluster-scoped kinds", () => {
        const { config, plan } = loadFixture("dev", { line: "1.18" });
        const cc = renderBgpObjects(config, plan)[0];
        // 1.18-1.20 still serve v2alpha1, deprecated: the validator refuses it (render the storage version).
        assert.ok(crdValidatorFor("1.20").validate({ ...cc, apiVersion: "cilium.io/v2alpha1" }).some((e) => e.includes("deprecated")));
        assert.ok(crdValidatorFor("1.18").validate({ ...cc, apiVersion: "cilium.io/v3" }).some((e) => e.includes("not served")));
        assert.ok(crdValidatorFor("1.17").validate(cc).some((e) => e.includes("not served")));
        assert.ok(crdValidatorFor("1.15").validate(cc).some((e) => e.includes("kind not served")));
        assert.ok(crdValidatorFor("1.19").validate({ apiVersion: "cilium.io/v2alpha1", kind: "CiliumBGPPeeringPolicy", metadata: { name: "x" }, spec: {} })
            .some((e) => e.includes("kind not served")));
        const typo = clone(cc);
        (specOf(typo).bgpInstances as Record<string, unknown>[])[0].localAsn = 1;
        assert.ok(crdValidatorFor("1.18").validate(typo).some((e) => e.includes("localAsn")));
        const badAsn = clone(cc);
        (specOf(badAsn).bgpInstances as Record<string, unknown>[])[0].localASN = 0;
        assert.ok(crdValidatorFor("1.18").validate(badAsn).some((e) => e.includes("localASN")));
        assert.ok(crdValidatorFor("1.18").validate({ ...cc, metadata: { name: "x", namespace: "kube-system" } }).some((e) => e.includes("cluster-scoped")));
        const pool = renderLbPools(config, plan)[0];
        assert.ok(crdValidatorFor("1.18").validate({ ...pool, spec: { blocks: [{ cidr: "10.0.0.0/33" }] } }).some((e) => e.includes("cidr")));
    });
});

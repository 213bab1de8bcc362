import { strict as assert } from "assert";
import { VERSION_FOR_LINE } from "../../test/support/crd";
import type { K8sObject } from "../cilium/api";
import { type LoadedStack, loadStack } from "../config/index";
import type { RawConfig } from "../config/load";
import { fixtureConfig } from "../plan/fixtures";
import { mainConfigFile, routerFiles } from "../routers/spec";
import { rawStack } from "../routers/testing";
import { renderVyosCommands } from "../routers/vyos";
import {
    type AgreementInput, type RouterConfigText, agreementReport, checkAgreement, parseFrrConfig, parseVyosConfig,
} from "./agreement";
import { clusterPeers } from "./peers";
import { renderBgpObjects } from "./render";
import { renderBgpSecret } from "./secret";

const PASSWORD = "Agr33ment-pw_1";

type Obj = Record<string, unknown>;
const obj = (v: unknown): Obj => (typeof v === "object" && v !== null ? (v as Obj) : {});
const clone = <T>(x: T): T => JSON.parse(JSON.stringify(x)) as T;

/** Every topology the project supports, as raw configuration (the loader and planner run on each). */
const TOPOLOGIES: Record<string, () => RawConfig> = {
    "dev (shipped: IPv4 spine-leaf, iBGP to leaves)": () => rawStack("dev"),
    "ipv6 (shipped: IPv6 ToR pair, eBGP, multihop)": () => rawStack("ipv6"),
    "ipv6-vyos (shipped: VyOS ToR pair)": () => rawStack("ipv6-vyos"),
    "IPv4 ToR pair": () => fixtureConfig({ family: "ipv4", nodes: 3, topology: "tor" }),
    "IPv4 single router, iBGP (seed 003)": () => fixtureConfig({ family: "ipv4", nodes: 3, topology: "single" }),
    "IPv6 single router, iBGP": () => fixtureConfig({ family: "ipv6", nodes: 2, topology: "single" }),
    "IPv6 spine-leaf (eBGP to leaves)": () => fixtureConfig({ family: "ipv6", nodes: 4, topology: "spine-leaf" }),
    "IPv4 spine-leaf, VyOS": () => {
        const raw = rawStack("dev");
        return { ...raw, routers: (raw.routers as Obj[]).map((r) => ({ ...r, flavour: "vyos", image: "vyos-rolling:local" })) };
    },
};

/** undefined = the line the topology configures; then every supported line (1.15 = v1 peering policies). */
const LINES: (string | undefined)[] = [undefined, ...Object.keys(VERSION_FOR_LINE)];

interface Built { loaded: LoadedStack; input: AgreementInput }

function withLine(raw: RawConfig, line: string | undefined): RawConfig {
    const r = clone(raw);
    if (line !== undefined) {
        r.cilium = { ...obj(r.cilium), version: VERSION_FOR_LINE[line] };
        // Gateway API needs a newer line than some here, and has no part in BGP peering.
        delete r.gatewayApi;
    }
    return r;
}

/** Both sides exactly as the project renders them: routerFiles (what the container gets) and the Cilium objects. */
function build(raw: RawConfig, line?: string, patch?: (r: RawConfig) => void): Built {
    const r = withLine(raw, line);
    patch?.(r);
    const loaded = loadStack("agreement", r, PASSWORD);
    const { config, plan } = loaded;
    const password = config.bgp.authentication ? PASSWORD : undefined;
    const routers: RouterConfigText[] = plan.routers.map((router) => ({
        router: router.name, flavour: router.flavour, text: mainConfigFile(routerFiles(config, plan, router, password)),
    }));
    const input: AgreementInput = {
        plan, objects: renderBgpObjects(config, plan), routers,
        secrets: config.bgp.authentication ? [renderBgpSecret(config)] : [],
        secretsNamespace: config.bgp.secretsNamespace,
    };
    if (password !== undefined) input.bgpPassword = password;
    return { loaded, input };
}

const sessionKeys = (xs: { node: string; router: string }[]): string[] => xs.map((s) => `${s.node}|${s.router}`).sort();
const pairKeys = (xs: { a: string; b: string }[]): string[] => xs.map((s) => [s.a, s.b].sort().join("|")).sort();

function assertAgree(b: Built): void {
    const { plan } = b.loaded;
    const report = agreementReport(b.input);
    assert.deepEqual(report.mismatches, []);
    // A parser that finds nothing would "agree": the compared sessions must be exactly the planned ones.
    assert.ok(plan.nodeSessions.length > 0);
    assert.equal(report.nodeSessions.length, plan.nodeSessions.length);
    assert.deepEqual(sessionKeys(report.nodeSessions), sessionKeys(plan.nodeSessions));
    assert.deepEqual(pairKeys(report.routerSessions), pairKeys(plan.routerSessions));
}

describe("BGP agreement: cluster peers and router neighbors, every topology and Cilium line", () => {
    for (const [name, raw] of Object.entries(TOPOLOGIES)) {
        describe(name, () => {
            for (const line of LINES) {
                it(`Cilium ${line ?? "as configured"}: both sides agree on every session`, () => assertAgree(build(raw(), line)));
            }
            it("without authentication: neither side has a password, and they still agree", () => {
                const b = build(raw(), undefined, (r) => { r.bgp = { ...obj(r.bgp), authentication: false }; });
                assert.deepEqual(b.input.secrets, []);
                assert.ok(b.input.routers.every((r) => !r.text.includes("password")));
                assertAgree(b);
            });
        });
    }
});

// ---- the parsers on their own ----------------------------------------------------------------

describe("BGP agreement: parsers", () => {
    it("frr.conf: neighbors are the plan's node and fabric peers, settings inherited from peer-groups", () => {
        const { loaded, input } = build(rawStack("dev"));
        const { config, plan } = loaded;
        for (const r of input.routers) {
            const cfg = parseFrrConfig(r.text);
            const router = plan.routers.find((x) => x.name === r.router)!;
            assert.equal(cfg.asn, router.asn);
            const expected = [
                ...plan.nodeSessions.filter((s) => s.router === r.router).map((s) => s.nodeAddress),
                ...plan.routerSessions.filter((s) => s.a === r.router).map((s) => s.bAddress),
                ...plan.routerSessions.filter((s) => s.b === r.router).map((s) => s.aAddress),
            ].sort();
            assert.deepEqual(cfg.neighbors.map((n) => n.address).sort(), expected, r.router);
            for (const n of cfg.neighbors) {
                assert.equal(n.password, PASSWORD);
                assert.deepEqual(n.timers, { keepalive: config.bgp.keepaliveTimeSeconds, hold: config.bgp.holdTimeSeconds, connectRetry: config.bgp.connectRetryTimeSeconds });
                assert.deepEqual(n.families, ["ipv4-unicast"]);
            }
        }
    });

    it("frr.conf: FRR defaults for what is unset, overrides, deactivation, the datacenter profile", () => {
        const text = [
            "frr defaults traditional", "router bgp 65001", " neighbor G peer-group", " neighbor G remote-as external",
            " neighbor G timers 3 9", " neighbor 192.0.2.1 peer-group G", " neighbor 192.0.2.2 remote-as 65002",
            " neighbor 192.0.2.3 peer-group G", " neighbor 192.0.2.3 timers 10 30", " neighbor 192.0.2.3 ebgp-multihop",
            " address-family ipv4 unicast", "  no neighbor 192.0.2.1 activate", " exit-address-family",
            " address-family ipv6 unicast", "  neighbor G activate", " exit-address-family", "exit",
            "router bgp 65009 vrf other", " neighbor 192.0.2.9 remote-as 1", "exit",
        ].join("\n");
        const cfg = parseFrrConfig(text);
        const by = new Map(cfg.neighbors.map((n) => [n.address, n]));
        assert.equal(cfg.asn, 65001);
        assert.deepEqual([...by.keys()].sort(), ["192.0.2.1", "192.0.2.2", "192.0.2.3"]);
        assert.deepEqual(by.get("192.0.2.1")!.families, ["ipv6-unicast"]);
        assert.deepEqual(by.get("192.0.2.2")!.families, ["ipv4-unicast"]);
        assert.deepEqual(by.get("192.0.2.3")!.families, ["ipv4-unicast", "ipv6-unicast"]);
        assert.deepEqual(by.get("192.0.2.2")!.timers, { keepalive: 60, hold: 180, connectRetry: 120 });
        assert.deepEqual(by.get("192.0.2.1")!.timers, { keepalive: 3, hold: 9, connectRetry: 120 });
        assert.deepEqual(by.get("192.0.2.3")!.timers, { keepalive: 10, hold: 30, connectRetry: 120 });
        assert.equal(by.get("192.0.2.3")!.ebgpMultihop, 255);
        assert.equal(by.get("192.0.2.1")!.remoteAs, "external");
        assert.equal(by.get("192.0.2.2")!.remoteAs, 65002);
        const dc = parseFrrConfig(text.replace("traditional", "datacenter"));
        assert.deepEqual(dc.neighbors.find((n) => n.address === "192.0.2.2")!.timers, { keepalive: 3, hold: 9, connectRetry: 10 });
    });

    it("VyOS: config.boot and the set commands it is built from read the same; timers apply only as a pair", () => {
        const { loaded, input } = build(rawStack("ipv6-vyos"));
        const { config, plan } = loaded;
        for (const router of plan.routers) {
            const fromBoot = parseVyosConfig(input.routers.find((r) => r.router === router.name)!.text);
            const fromSet = parseVyosConfig(renderVyosCommands({ config, plan, router, password: PASSWORD }));
            assert.deepEqual(fromBoot, fromSet);
            assert.equal(fromBoot.asn, router.asn);
            assert.equal(fromBoot.neighbors.length, plan.nodeSessions.filter((s) => s.router === router.name).length);
            for (const n of fromBoot.neighbors) {
                assert.equal(n.password, PASSWORD);
                assert.equal(n.remoteAs, "external");
                assert.equal(n.ebgpMultihop, config.bgp.ebgpMultihop);
                assert.deepEqual(n.families, ["ipv6-unicast"]);
            }
        }
        const lone = parseVyosConfig([
            "set protocols bgp system-as '65001'", "set protocols bgp neighbor 192.0.2.1 remote-as '65002'",
            "set protocols bgp neighbor 192.0.2.1 timers holdtime '30'", "set protocols bgp neighbor 192.0.2.1 timers connect '7'",
        ]);
        assert.deepEqual(lone.neighbors[0].timers, { keepalive: 60, hold: 180, connectRetry: 7 });
        assert.deepEqual(lone.neighbors[0].families, []);
    });

    it("Cilium: every plan node gets its peers from v1 policies and v2 cluster configs alike", () => {
        for (const line of ["1.15", "1.17", "1.20"]) {
            const { loaded, input } = build(rawStack("dev"), line);
            const problems: string[] = [];
            const peers = clusterPeers(input.objects, loaded.plan, problems);
            assert.deepEqual(problems, []);
            assert.deepEqual(peers.map((p) => `${p.node}|${p.peerAddress}|${p.localAsn}|${p.peerAsn}`).sort(),
                loaded.plan.nodeSessions.map((s) => `${s.node}|${s.routerAddress}|${s.nodeAsn}|${s.routerAsn}`).sort(), line);
            for (const p of peers) assert.equal(p.authSecretRef, loaded.config.bgp.authSecretName);
        }
    });
});

// ---- deliberate mismatches -------------------------------------------------------------------

/** Replaces one exact line (or all copies of a peer-group line) and proves the text changed. */
function editRouter(b: Built, router: string, edit: (lines: string[]) => string[]): void {
    const r = b.input.routers.find((x) => x.router === router)!;
    const next = edit(r.text.split("\n")).join("\n");
    assert.notEqual(next, r.text, `the mutation did not apply to ${router}`);
    r.text = next;
}

const replaceLine = (from: string, to: string[]) => (lines: string[]): string[] => lines.flatMap((l) => (l === from ? to : [l]));
const dropLines = (re: RegExp) => (lines: string[]): string[] => lines.filter((l) => !re.test(l));

function objectOf(b: Built, kind: string, name?: string): K8sObject {
    const o = b.input.objects.find((x) => x.kind === kind && (name === undefined || x.metadata.name === name));
    assert.ok(o, `${kind} ${name ?? ""} rendered`);
    return o;
}
const spec = (o: K8sObject): Obj => o.spec as Obj;
const peersOf = (cc: K8sObject): Obj[] => ((spec(cc).bgpInstances as Obj[])[0].peers as Obj[]);

/** Exactly `count` mismatches, each containing every fragment. */
function expectMismatches(b: Built, count: number, ...fragments: string[]): string[] {
    const ms = checkAgreement(b.input);
    const matching = ms.filter((m) => fragments.every((f) => m.includes(f)));
    assert.equal(matching.length, count, `expected ${count} mismatch(es) with ${JSON.stringify(fragments)}, got:\n${ms.join("\n")}`);
    return ms;
}

describe("BGP agreement: a deliberate mismatch fails the check", () => {
    const dev = (line?: string): Built => build(rawStack("dev"), line);
    const ipv6 = (line?: string): Built => build(rawStack("ipv6"), line);
    const sessionsOf = (b: Built, router: string) => b.loaded.plan.nodeSessions.filter((s) => s.router === router);

    it("sanity: the unmutated inputs agree", () => {
        assert.deepEqual(checkAgreement(dev().input), []);
        assert.deepEqual(checkAgreement(ipv6().input), []);
    });

    it("router: one neighbor's remote-as changed", () => {
        const b = dev();
        const s = sessionsOf(b, "leaf1")[0];
        editRouter(b, "leaf1", replaceLine(` neighbor ${s.nodeAddress} peer-group NODES`,
            [` neighbor ${s.nodeAddress} peer-group NODES`, ` neighbor ${s.nodeAddress} remote-as 64999`]));
        const ms = expectMismatches(b, 1, "remote-as", `node ${s.node} `, "64999");
        assert.equal(ms.length, 1, ms.join("\n"));
    });

    it("router: the node peer-group's remote-as flipped (eBGP stack: external -> internal)", () => {
        const b = ipv6();
        editRouter(b, "r01", replaceLine(" neighbor NODES remote-as external", [" neighbor NODES remote-as internal"]));
        expectMismatches(b, sessionsOf(b, "r01").length, "remote-as", "via router r01");
    });

    it("router: a neighbor is missing", () => {
        const b = dev();
        const s = sessionsOf(b, "leaf2")[1];
        editRouter(b, "leaf2", dropLines(new RegExp(`^ neighbor ${s.nodeAddress} `)));
        const ms = expectMismatches(b, 1, `router leaf2 has no neighbor ${s.nodeAddress}`, `node ${s.node} `);
        assert.equal(ms.length, 1, ms.join("\n"));
        assert.equal(agreementReport(b.input).nodeSessions.length, b.loaded.plan.nodeSessions.length - 1);
    });

    it("router: timers changed on the router side", () => {
        const b = ipv6();
        const { keepaliveTimeSeconds: k, holdTimeSeconds: h } = b.loaded.config.bgp;
        editRouter(b, "r02", replaceLine(` neighbor NODES timers ${k} ${h}`, [` neighbor NODES timers ${k} ${h * 10}`]));
        expectMismatches(b, sessionsOf(b, "r02").length, "timers", "via router r02", `hold ${h * 10}`);
    });

    it("router (VyOS): keepalive dropped from one neighbor, so VyOS ignores its holdtime too", () => {
        const b = build(rawStack("ipv6-vyos"));
        const s = sessionsOf(b, "r01")[0];
        // config.boot: drop the keepalive leaf inside that neighbor's block.
        const r = b.input.routers.find((x) => x.router === "r01")!;
        const lines = r.text.split("\n");
        const start = lines.findIndex((l) => l.trim() === `neighbor ${s.nodeAddress} {`);
        const ka = lines.findIndex((l, i) => i > start && /^\s*keepalive "\d+"$/.test(l));
        assert.ok(start >= 0 && ka > start);
        lines.splice(ka, 1);
        r.text = lines.join("\n");
        expectMismatches(b, 1, "timers", `node ${s.node} `, "router keepalive 60 hold 180");
    });

    it("password removed on the router side", () => {
        const b = dev();
        editRouter(b, "leaf1", dropLines(/^ neighbor NODES password /));
        expectMismatches(b, sessionsOf(b, "leaf1").length, "password", "the router sets none");
    });

    it("password removed on the cluster side (v2 peer config, and v1 policy on 1.15)", () => {
        const b = dev();
        delete spec(objectOf(b, "CiliumBGPPeerConfig")).authSecretRef;
        expectMismatches(b, b.loaded.plan.nodeSessions.length, "password", "no authSecretRef");
        const v1 = dev("1.15");
        const policy = objectOf(v1, "CiliumBGPPeeringPolicy");
        const nb = ((spec(policy).virtualRouters as Obj[])[0].neighbors as Obj[])[0];
        delete nb.authSecretRef;
        const selected = v1.loaded.plan.nodes.filter((n) => n.rack === (spec(policy).nodeSelector as { matchLabels: Obj }).matchLabels.rack);
        expectMismatches(v1, selected.length, "password", "no authSecretRef", policy.metadata.name);
    });

    it("password source: another password in the Secret, a Secret the project does not render, no key `password`", () => {
        const other = dev();
        other.input.bgpPassword = `${PASSWORD}-other`;
        const ms = expectMismatches(other, other.loaded.plan.nodeSessions.length, "password", "differs from Secret kube-system/bgp-auth-secret");
        assert.ok(ms.every((m) => !m.includes(PASSWORD)), "a mismatch message shows the password");
        const renamed = ipv6();
        spec(objectOf(renamed, "CiliumBGPPeerConfig")).authSecretRef = "not-rendered";
        expectMismatches(renamed, renamed.loaded.plan.nodeSessions.length, "renders no Secret kube-system/not-rendered");
        const noKey = ipv6();
        noKey.input.secrets = noKey.input.secrets.map((s) => ({ ...s, stringData: { pass: "x" } }));
        expectMismatches(noKey, noKey.loaded.plan.nodeSessions.length, "has no key password");
    });

    it("family: Cilium declares ipv6 where the router activates ipv4 (v2 and v1)", () => {
        const b = dev();
        for (const f of spec(objectOf(b, "CiliumBGPPeerConfig")).families as Obj[]) f.afi = "ipv6";
        expectMismatches(b, b.loaded.plan.nodeSessions.length, "families", "router activates [ipv4-unicast]", "cluster declares [ipv6-unicast]");
        const v1 = ipv6("1.15");
        for (const nb of (spec(objectOf(v1, "CiliumBGPPeeringPolicy")).virtualRouters as Obj[])[0].neighbors as Obj[]) delete nb.families;
        // Unset, v1 means IPv4 and IPv6: the routers activate IPv6 only.
        expectMismatches(v1, v1.loaded.plan.nodeSessions.length, "families", "cluster declares [ipv4-unicast, ipv6-unicast]");
    });

    it("family: the router activates the other family", () => {
        const b = dev();
        editRouter(b, "leaf2", replaceLine(" address-family ipv4 unicast", [" address-family ipv6 unicast"]));
        expectMismatches(b, sessionsOf(b, "leaf2").length, "families", "router activates [ipv6-unicast]");
    });

    it("a cluster peer that no router declares (a router that lacks the neighbor, an address of no router)", () => {
        const b = dev();
        const rack1 = objectOf(b, "CiliumBGPClusterConfig", "cilium-bgp-rack1");
        const leaf2 = sessionsOf(b, "leaf2")[0];
        peersOf(rack1).push({ name: "leaf2", peerASN: leaf2.routerAsn, peerAddress: leaf2.routerAddress, peerConfigRef: { name: "cilium-peer-ibgp" } });
        const rack1Nodes = b.loaded.plan.nodes.filter((n) => n.rack === "rack1");
        expectMismatches(b, rack1Nodes.length, "router leaf2 has no neighbor");
        const nowhere = ipv6("1.17");
        const gateway = nowhere.loaded.plan.nodeSubnets[0].dockerGateway;
        peersOf(objectOf(nowhere, "CiliumBGPClusterConfig")).push({ name: "ghost", peerASN: 65066, peerAddress: gateway, peerConfigRef: { name: "cilium-peer-ebgp" } });
        expectMismatches(nowhere, nowhere.loaded.plan.nodes.length, `${gateway} is not an address of any router`);
    });

    it("a router neighbor the cluster does not declare", () => {
        const b = ipv6();
        const cc = objectOf(b, "CiliumBGPClusterConfig");
        (spec(cc).bgpInstances as Obj[])[0].peers = peersOf(cc).filter((p) => p.name !== "r02");
        expectMismatches(b, sessionsOf(b, "r02").length, "router r02: neighbor", "is not declared by the cluster");
        assert.equal(agreementReport(b.input).nodeSessions.length, b.loaded.plan.nodeSessions.length - sessionsOf(b, "r02").length);
    });

    it("eBGP multihop removed on the router side", () => {
        const b = ipv6();
        editRouter(b, "r01", dropLines(/^ neighbor NODES ebgp-multihop /));
        expectMismatches(b, sessionsOf(b, "r01").length, "ebgp-multihop: router 1, cluster 4");
    });

    it("a node override moving the session to another local address", () => {
        const b = ipv6("1.17");
        const node = b.loaded.plan.nodes[0];
        const ov = objectOf(b, "CiliumBGPNodeConfigOverride", node.name);
        const other = b.loaded.plan.nodeSubnets[0].dockerGateway;
        (spec(ov).bgpInstances as Obj[])[0].peers = [{ name: "r01", localAddress: other }];
        expectMismatches(b, 1, `router r01 has no neighbor ${other}`);
        expectMismatches(b, 1, `router r01: neighbor ${node.address} (node ${node.name}) is not declared`);
    });

    it("router-to-router: timers on one side, and a neighbor without its way back", () => {
        const b = dev();
        const { keepaliveTimeSeconds: k, holdTimeSeconds: h } = b.loaded.config.bgp;
        editRouter(b, "spine1", replaceLine(` neighbor FABRIC timers ${k} ${h}`, [` neighbor FABRIC timers ${k} ${h + 1}`]));
        const spine1Pairs = b.loaded.plan.routerSessions.filter((s) => s.a === "spine1" || s.b === "spine1").length;
        expectMismatches(b, spine1Pairs, "<-> spine1: timers");
        const c = dev();
        const link = c.loaded.plan.routerSessions.find((s) => s.a === "spine2" || s.b === "spine2")!;
        const [leaf, leafAddr] = link.a === "spine2" ? [link.b, link.bAddress] : [link.a, link.aAddress];
        editRouter(c, "spine2", dropLines(new RegExp(`^ neighbor ${leafAddr} `)));
        expectMismatches(c, 1, `router ${leaf}: neighbor`, "(router spine2) has no neighbor back");
    });
});

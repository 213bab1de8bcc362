import { strict as assert } from "assert";
import { loadFixture } from "../../test/support/crd";
import type { K8sObject } from "../cilium/api";
import { checkSessionsAgainstPlan } from "./consistency";
import { CILIUM_TIMER_DEFAULTS, clusterPeers } from "./peers";
import { renderBgpObjects } from "./render";
import { PASSWORD_PLACEHOLDER, secretPassword } from "./secret";

type Obj = Record<string, unknown>;
const clone = <T>(x: T): T => JSON.parse(JSON.stringify(x)) as T;
const spec = (o: K8sObject): Obj => o.spec as Obj;

/** The dev stack's objects (two rack cluster configs, one iBGP peer config), safe to mutate. */
function dev(): { objects: K8sObject[]; plan: ReturnType<typeof loadFixture>["plan"]; byName: (name: string) => K8sObject } {
    const { config, plan } = loadFixture("dev");
    const objects = clone(renderBgpObjects(config, plan));
    const byName = (name: string): K8sObject => {
        const o = objects.find((x) => x.metadata.name === name);
        assert.ok(o, name);
        return o;
    };
    return { objects, plan, byName };
}

describe("Cilium peers (peers.ts) and the plan cross-check built on them", () => {
    it("a timer the peer config leaves out takes Cilium's default (CILIUM_TIMER_DEFAULTS)", () => {
        const { objects, plan, byName } = dev();
        delete spec(byName("cilium-peer-ibgp")).timers;
        const peers = clusterPeers(objects, plan);
        assert.equal(peers.length, plan.nodeSessions.length);
        for (const p of peers) {
            assert.deepEqual(p.timers, { keepalive: CILIUM_TIMER_DEFAULTS.keepAliveTimeSeconds, hold: CILIUM_TIMER_DEFAULTS.holdTimeSeconds,
                connectRetry: CILIUM_TIMER_DEFAULTS.connectRetryTimeSeconds });
            assert.equal(p.peerConfig, "cilium-peer-ibgp");
        }
        assert.deepEqual(CILIUM_TIMER_DEFAULTS, { holdTimeSeconds: 90, keepAliveTimeSeconds: 30, connectRetryTimeSeconds: 120 });
    });

    it("a node selected by two configs is reported once, by the one check both callers share", () => {
        const { objects, plan, byName } = dev();
        const copy = clone(byName("cilium-bgp-rack1"));
        copy.metadata.name = "cilium-bgp-rack1-copy";
        objects.push(copy);
        const rack1 = plan.nodes.filter((n) => n.rack === "rack1");
        assert.ok(rack1.length > 0);
        const problems = checkSessionsAgainstPlan(objects, plan);
        const selected = problems.filter((p) => p.includes("is selected by"));
        assert.deepEqual(selected, rack1.map((n) =>
            `node ${n.name} is selected by several BGP configs: CiliumBGPClusterConfig/cilium-bgp-rack1, CiliumBGPClusterConfig/cilium-bgp-rack1-copy`));
        assert.ok(problems.includes("a session is declared twice"), problems.join("\n"));
    });

    it("a config that selects no node", () => {
        const { objects, plan, byName } = dev();
        spec(byName("cilium-bgp-rack2")).nodeSelector = { matchLabels: { rack: "nowhere" } };
        const problems = checkSessionsAgainstPlan(objects, plan);
        assert.ok(problems.includes("CiliumBGPClusterConfig/cilium-bgp-rack2 selects no node"), problems.join("\n"));
        assert.ok(problems.some((p) => p.startsWith("planned session not declared")), problems.join("\n"));
    });

    it("a peer config reference that does not resolve", () => {
        const { objects, plan, byName } = dev();
        const peers = (spec(byName("cilium-bgp-rack1")).bgpInstances as Obj[])[0].peers as Obj[];
        peers[0].peerConfigRef = { name: "nope" };
        const problems = checkSessionsAgainstPlan(objects, plan);
        assert.ok(problems.some((p) => p.includes("references CiliumBGPPeerConfig nope, which is not rendered")), problems.join("\n"));
        assert.ok(problems.some((p) => p.startsWith("planned session not declared")), problems.join("\n"));
    });

    it("ebgpMultihop on the peer config of iBGP sessions", () => {
        const { objects, plan, byName } = dev();
        spec(byName("cilium-peer-ibgp")).ebgpMultihop = 3;
        const ibgp = plan.nodeSessions.filter((s) => s.type === "ibgp").length;
        assert.ok(ibgp > 0);
        const problems = checkSessionsAgainstPlan(objects, plan);
        assert.equal(problems.filter((p) => p.endsWith("is iBGP but its peer config cilium-peer-ibgp sets ebgpMultihop")).length,
            ibgp, problems.join("\n"));
    });

    it("a node override's localASN counts as the node's ASN", () => {
        const { config, plan } = loadFixture("ipv6", { line: "1.17" });
        const objects = clone(renderBgpObjects(config, plan));
        const node = plan.nodes[0];
        const ov = objects.find((o) => o.kind === "CiliumBGPNodeConfigOverride" && o.metadata.name === node.name);
        assert.ok(ov);
        (spec(ov).bgpInstances as Obj[])[0].localASN = 64999;
        const problems = checkSessionsAgainstPlan(objects, plan);
        assert.ok(problems.some((p) => p.startsWith(`declared session not in the plan: ${node.name} AS64999 `)), problems.join("\n"));
    });
});

describe("secretPassword", () => {
    const secret = (extra: Obj): K8sObject => ({ apiVersion: "v1", kind: "Secret", metadata: { name: "s", namespace: "kube-system" }, ...extra });

    it("stringData first, else data decoded from base64, else undefined", () => {
        assert.equal(secretPassword(secret({ stringData: { password: PASSWORD_PLACEHOLDER } })), PASSWORD_PLACEHOLDER);
        assert.equal(secretPassword(secret({ data: { password: Buffer.from("pä55 word").toString("base64") } })), "pä55 word");
        assert.equal(secretPassword(secret({ stringData: { password: "plain" }, data: { password: Buffer.from("encoded").toString("base64") } })), "plain");
        assert.equal(secretPassword(secret({ stringData: { pass: "x" }, data: { other: "eA==" } })), undefined);
        assert.equal(secretPassword(secret({})), undefined);
    });
});

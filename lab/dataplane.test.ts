import * as assert from "node:assert/strict";
import { loadVariant } from "../components/routers/testing";
import { type AddressTarget, answerProblems, clientSpec, parseRouteGet, podProbeAddress, topTier, tracePath } from "./dataplane";

const target = (announcers: string[], expectSpread = true): AddressTarget => ({ what: "service a/b LoadBalancerIP", address: "10.100.1.1", announcers, expectSpread });
const CLIENT = "10.255.255.1";

describe("lab data plane (pure parts)", () => {
    it("the client segment is the last free /24 (/64) of the aggregate, beyond the top tier", () => {
        const dev = loadVariant("dev").plan;
        const c = clientSpec(dev, dev.routers.map((r) => r.name))!;
        assert.equal(c.prefix, "10.255.255.0/24");
        assert.deepEqual(c.routers.map((r) => r.name), ["spine1", "spine2"]);
        const v6 = loadVariant("ipv6").plan;
        const c6 = clientSpec(v6, v6.routers.map((r) => r.name))!;
        assert.match(c6.prefix, /::\/64$/);
        assert.deepEqual(topTier(v6, ["r01", "r02"]), ["r01", "r02"]);
        assert.deepEqual(topTier(loadVariant("ipv4-single").plan, ["edge1"]), ["edge1"]);
        assert.equal(podProbeAddress("10.1.2.0/24"), "10.1.2.1");
    });

    it("answers: only announcing nodes, the client's own address, ECMP spread; each rule can fail", () => {
        const ok = [{ node: "w2", seen: CLIENT }, { node: "w3", seen: CLIENT }];
        assert.deepEqual(answerProblems(target(["w2", "w3"]), CLIENT, ok, ["w2", "w3"]), []);
        assert.match(answerProblems(target(["w2"]), CLIENT, ok, ["w2", "w3"]).join(), /answered by w3, which should not receive it/);
        assert.match(answerProblems(target(["w2", "w3"]), CLIENT, [{ node: "w2", seen: "10.0.1.34" }], ["w2", "w3"]).join(), /saw 10\.0\.1\.34, not the client's own address/);
        assert.match(answerProblems(target(["w2", "w3"]), CLIENT, [{ node: "w2", seen: CLIENT }, { node: "w2", seen: CLIENT }], ["w2", "w3"]).join(), /ECMP should spread/);
        assert.match(answerProblems(target(["w2"]), CLIENT, [{ error: "timeout" }], ["w2"]).join(), /1\/1 connections failed \(timeout\)/);
        // A node whose sessions are down announces nothing: its answers must be gone, the others' stay.
        assert.deepEqual(answerProblems(target(["w2", "w3"]), CLIENT, [{ node: "w3", seen: CLIENT }], ["w3"]), []);
        assert.match(answerProblems(target(["w2", "w3"]), CLIENT, [{ node: "w2", seen: CLIENT }, { node: "w3", seen: CLIENT }], ["w3"]).join(), /answered by w2/);
    });

    it("ip route get: next hop, black hole (EINVAL), no route", () => {
        assert.deepEqual(parseRouteGet(0, '[{"dst":"10.0.2.35","gateway":"10.0.248.1","dev":"eth0"}]', ""), { gateway: "10.0.248.1" });
        assert.deepEqual(parseRouteGet(2, "", "RTNETLINK answers: Invalid argument\n"), { type: "blackhole" });
        assert.deepEqual(parseRouteGet(2, "", "RTNETLINK answers: Network is unreachable\n"), { error: "RTNETLINK answers: Network is unreachable" });
    });

    it("a path is named where it stops: black hole, wrong next hop, loop; undefined when it arrives", async () => {
        const owner = new Map([["10.0.1.11", "leaf1"], ["10.0.248.0", "spine1"], ["10.0.2.35", "w3"]]);
        const table: Record<string, Record<string, { gateway?: string; type?: string; error?: string }>> = {
            w2: { "10.0.2.35": { gateway: "10.0.1.11" } }, leaf1: { "10.0.2.35": { gateway: "10.0.248.0" } }, spine1: { "10.0.2.35": {} },
        };
        const get = async (h: string, d: string): Promise<{ gateway?: string; type?: string; error?: string }> => table[h]?.[d] ?? { error: "no table" };
        assert.equal(await tracePath("w2", "10.0.2.35", owner, (h) => h === "w3", get), undefined);
        table.leaf1["10.0.2.35"] = { type: "blackhole" };
        assert.match((await tracePath("w2", "10.0.2.35", owner, (h) => h === "w3", get))!, /black hole at leaf1 .*path w2 -> leaf1/);
        table.leaf1["10.0.2.35"] = { gateway: "192.0.2.9" };
        assert.match((await tracePath("w2", "10.0.2.35", owner, (h) => h === "w3", get))!, /wrong next hop at leaf1: 192\.0\.2\.9/);
        table.leaf1["10.0.2.35"] = { gateway: "10.0.248.0" };
        table.spine1["10.0.2.35"] = { gateway: "10.0.1.11" };
        assert.match((await tracePath("w2", "10.0.2.35", owner, (h) => h === "w3", get))!, /loop through w2 -> leaf1 -> spine1 -> leaf1/);
    });
});

import { strict as assert } from "assert";
import { loadFixture } from "../../test/support/crd";
import { nodeDefaultRoute } from "./routes";

describe("node default route", () => {
    it("one router: a plain default route, no sysctls (what join.ts always rendered)", () => {
        assert.deepEqual(nodeDefaultRoute("ipv4", ["10.0.1.1"]), { sysctls: [], ipArgs: ["route", "replace", "default", "via", "10.0.1.1"] });
        assert.deepEqual(nodeDefaultRoute("ipv6", ["2001:db8::1"]), { sysctls: [], ipArgs: ["-6", "route", "replace", "default", "via", "2001:db8::1"] });
    });

    it("two routers: one multipath route; IPv4 skips a FAILED neighbour (use_neigh), both hash on L4", () => {
        assert.deepEqual(nodeDefaultRoute("ipv4", ["10.0.1.1", "10.0.1.2"]), {
            sysctls: [["net.ipv4.fib_multipath_hash_policy", "1"], ["net.ipv4.fib_multipath_use_neigh", "1"]],
            ipArgs: ["route", "replace", "default", "nexthop", "via", "10.0.1.1", "nexthop", "via", "10.0.1.2"],
        });
        assert.deepEqual(nodeDefaultRoute("ipv6", ["2001:db8::1", "2001:db8::2"]), {
            sysctls: [["net.ipv6.fib_multipath_hash_policy", "1"]],
            ipArgs: ["-6", "route", "replace", "default", "nexthop", "via", "2001:db8::1", "nexthop", "via", "2001:db8::2"],
        });
        assert.throws(() => nodeDefaultRoute("ipv4", []), /at least one gateway/);
    });

    it("the ipv6 stack's ToR pair: every node has one gateway, the segment's VRRP virtual address (no ECMP over both ToRs)", () => {
        const { plan } = loadFixture("ipv6");
        const [group] = plan.vrrpGroups;
        assert.equal(plan.vrrpGroups.length, 1);
        assert.deepEqual(group.members.map((m) => m.router), ["r01", "r02"]);
        const routerAddresses = plan.routers.flatMap((r) => r.interfaces.map((i) => i.address));
        assert.ok(!routerAddresses.includes(group.address), "the virtual address is no router's own");
        for (const n of plan.nodes) {
            assert.deepEqual(n.gateways, [group.address], n.name);
            assert.equal(n.gateway, group.address);
            assert.deepEqual(nodeDefaultRoute(plan.family, n.gateways), { sysctls: [], ipArgs: ["-6", "route", "replace", "default", "via", group.address] });
        }
    });

    it("a segment with one router (each leaf of dev) keeps that router as the gateway, no VRRP", () => {
        const { plan } = loadFixture("dev");
        assert.deepEqual(plan.vrrpGroups, []);
        for (const n of plan.nodes) {
            const router = plan.routers.find((r) => r.interfaces.some((i) => i.network === n.subnet))!;
            assert.deepEqual(n.gateways, [router.interfaces.find((i) => i.network === n.subnet)!.address], n.name);
        }
    });
});

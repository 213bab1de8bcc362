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

    it("the ipv6 stack's ToR pair: every node has both routers, in router id order", () => {
        const { plan } = loadFixture("ipv6");
        const r01 = plan.routers.find((r) => r.name === "r01")!;
        const r02 = plan.routers.find((r) => r.name === "r02")!;
        for (const n of plan.nodes) {
            const want = [r01, r02].map((r) => r.interfaces.find((i) => i.network === n.subnet)!.address);
            assert.deepEqual(n.gateways, want, n.name);
            assert.equal(n.gateway, want[0]);
        }
    });
});

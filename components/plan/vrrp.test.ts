import { strict as assert } from "assert";
import { loadFixture } from "../../test/support/crd";
import { vrrpId, vrrpPriority } from "./vrrp";

describe("VRRP groups in the address plan", () => {
    it("the ipv6 ToR pair: one group, VRID 1, the host before the Docker gateway, r01 master, 1 s adverts, listed in the allocations", () => {
        const { plan } = loadFixture("ipv6");
        assert.deepEqual(plan.vrrpGroups, [{
            segment: "nodes", vrid: 1, address: "2001:db8:ae3:fff0:ffff:ffff:ffff:fffd", prefixLength: 64, advertisementIntervalMs: 1000,
            members: [{ router: "r01", priority: 254, address: "2001:db8:ae3:fff0::1" }, { router: "r02", priority: 253, address: "2001:db8:ae3:fff0::2" }],
        }]);
        assert.equal(plan.nodeSubnets[0].dockerGateway, "2001:db8:ae3:fff0:ffff:ffff:ffff:fffe");
        assert.ok(plan.allocations.some((a) => a.role === "vrrp-address" && a.prefix === "2001:db8:ae3:fff0:ffff:ffff:ffff:fffd/128"));
    });

    it("a segment with one router (dev's leaves) has no group", () => {
        assert.deepEqual(loadFixture("dev").plan.vrrpGroups, []);
    });

    it("the virtual address is claimed: a node planned onto it is refused", () => {
        // nodeHostOffset + id = 253 in a /24: the host before the Docker gateway (.254).
        assert.throws(() => loadFixture("ipv6", { patch: (raw) => {
            const ap = raw.addressPlan as Record<string, unknown>;
            ap.nodeNetwork = "2001:db8:ae3:fff0::/120";
            ap.nodeHostOffset = 200;
            ((raw.cluster as { nodes: Record<string, unknown>[] }).nodes[2]).id = 53;
        } }), /address also planned for the VRRP virtual address of nodes/);
    });

    it("priority 255 - id (1-254) and VRID from the rack number (1-255, else 1)", () => {
        assert.deepEqual([0, 1, 2, 253, 254, 300].map(vrrpPriority), [254, 254, 253, 2, 1, 1]);
        const seg = (rack?: string) => ({ name: "x", cidr: "", dockerGateway: "", routers: [], ...(rack ? { rack } : {}) });
        assert.deepEqual([seg(), seg("rack2"), seg("rack0"), seg("rack300")].map(vrrpId), [1, 2, 1, 1]);
    });
});

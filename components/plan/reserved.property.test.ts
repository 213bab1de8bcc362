/**
 * Property: whatever the aggregate (anywhere in the address space, also over loopback, multicast,
 * link-local, 0/8 or broadcast space), the plan either refuses it with a ConfigError or hands out
 * no address that a router or kernel refuses, by carving or by id.
 */
import { strict as assert } from "assert";
import fc from "fast-check";
import { ConfigError, loadStack } from "../config";
import { fixtureConfig } from "./fixtures";
import { formatPrefix, parseAddress, parsePrefix } from "./addr";
import { forbiddenAddress, forbiddenRangeOf, forbiddenRanges } from "./reserved";
import type { IpFamily } from "../config/types";
import type { AddressPlan } from "./types";

/** Aggregates near the forbidden ranges half the time, anywhere else the other half. */
const aggregates = (family: IpFamily): fc.Arbitrary<string> => {
    const bits = family === "ipv4" ? 32 : 128;
    const [minLen, maxLen] = family === "ipv4" ? [1, 13] : [1, 44];
    const anchors = forbiddenRanges(family).map((r) => r.prefix.base);
    const base = fc.oneof(fc.constantFrom(...anchors), fc.bigInt({ min: 0n, max: (1n << BigInt(bits)) - 1n }));
    return fc.tuple(base, fc.integer({ min: minLen, max: maxLen })).map(([b, len]) => {
        const mask = ((1n << BigInt(len)) - 1n) << BigInt(bits - len);
        return formatPrefix({ family, base: b & mask, length: len });
    });
};

function refusedAddresses(plan: AddressPlan): string[] {
    const addresses = [
        ...plan.nodes.map((n) => n.address),
        ...plan.routers.flatMap((r) => [r.loopback, ...r.interfaces.map((i) => i.address)]),
        ...plan.nodeSubnets.map((s) => s.dockerGateway),
        ...plan.linkNets.flatMap((l) => [l.dockerGateway, l.a.address, l.b.address]),
    ].filter(Boolean);
    const bad = addresses.filter((a) => {
        const p = parseAddress(a);
        return typeof p !== "string" && forbiddenAddress(p.family, p.value) !== undefined;
    });
    for (const row of plan.allocations) {
        if (row.role === "aggregate" || row.role === "router-id-pool") continue;
        const p = parsePrefix(row.prefix);
        if (typeof p !== "string" && forbiddenRangeOf(p)) bad.push(`${row.role} ${row.prefix}`);
    }
    return bad;
}

describe("plan: no reserved address is ever handed out (property)", () => {
    for (const family of ["ipv4", "ipv6"] as const) {
        it(`${family}: any aggregate is refused or yields only usable addresses`, () => {
            let planned = 0;
            fc.assert(fc.property(aggregates(family), fc.constantFrom("tor" as const, "spine-leaf" as const), fc.integer({ min: 1, max: 6 }), (aggregate, topology, nodes) => {
                const raw = fixtureConfig({ family, nodes, topology });
                raw.addressPlan = { aggregate };
                try {
                    const { plan } = loadStack("prop", raw, "pw");
                    planned++;
                    assert.deepEqual(refusedAddresses(plan), [], aggregate);
                } catch (e) {
                    if (!(e instanceof ConfigError)) throw e;
                }
            }), { numRuns: 150, seed: 14 });
            assert.ok(planned > 20, `only ${planned} aggregates planned: the property would test nothing`);
        });
    }

    it("an aggregate overlapping a reserved range plans around it (0.0.0.0/7: carved from 1.0.0.0/8 only)", () => {
        const raw = fixtureConfig({ family: "ipv4", nodes: 3, topology: "tor" });
        raw.addressPlan = { aggregate: "0.0.0.0/7" };
        const { plan } = loadStack("prop", raw, "pw");
        assert.deepEqual(refusedAddresses(plan), []);
        assert.ok(plan.allocations.filter((r) => r.source === "carved").every((r) => r.prefix.startsWith("1.")), JSON.stringify(plan.allocations));
    });

    it("the check can fail: a loopback address is caught", () => {
        const raw = fixtureConfig({ family: "ipv4", nodes: 1, topology: "tor" });
        const { plan } = loadStack("prop", raw, "pw");
        plan.nodes[0].address = "127.0.0.5";
        assert.deepEqual(refusedAddresses(plan), ["127.0.0.5"]);
    });
});

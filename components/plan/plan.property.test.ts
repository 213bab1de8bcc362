import { strict as assert } from "assert";
import fc from "fast-check";
import { loadStack } from "../config";
import type { RawConfig } from "../config/load";
import { contains, containsAddress, overlaps, parseAddress, parsePrefix, type Prefix } from "./addr";
import type { AddressPlan } from "./types";

const pfx = (s: string): Prefix => {
    const p = parsePrefix(s);
    if (typeof p === "string") throw new Error(`${s} ${p}`);
    return p;
};
const inPrefix = (prefix: string, addr: string): boolean => {
    const a = parseAddress(addr);
    if (typeof a === "string") return false;
    return containsAddress(pfx(prefix), a.family, a.value);
};

interface Shape {
    family: "ipv4" | "ipv6";
    topology: "tor" | "spine-leaf";
    nodeIds: number[];
    routerIds: number[];
    racks: number;
}

/** Random valid fabrics: unique stable ids in random list order, 1-4 racks for spine-leaf. */
const shapes: fc.Arbitrary<Shape> = fc.record({
    family: fc.constantFrom("ipv4" as const, "ipv6" as const),
    topology: fc.constantFrom("tor" as const, "spine-leaf" as const),
    nodeIds: fc.uniqueArray(fc.integer({ min: 0, max: 200 }), { minLength: 1, maxLength: 30 }),
    routerIds: fc.uniqueArray(fc.integer({ min: 1, max: 8 }), { minLength: 1, maxLength: 4 }),
    racks: fc.integer({ min: 1, max: 4 }),
});

function rawFor(s: Shape): RawConfig {
    const v6 = s.family === "ipv6";
    const racks = s.topology === "spine-leaf" ? s.racks : 0;
    const routers: Record<string, unknown>[] = s.topology === "tor"
        ? s.routerIds.map((id) => ({ name: `tor-${id}`, id, role: "tor", asn: 65100 }))
        : [
            ...s.routerIds.map((id) => ({ name: `spine-${id}`, id, role: "spine", asn: 65100 + id })),
            ...Array.from({ length: racks }, (_, r) => ({ name: `leaf-${r + 1}`, id: 20 + r, role: "leaf", rack: `rack${r + 1}`, asn: 65200 + r })),
        ];
    const nodes = s.nodeIds.map((id, i) => ({
        name: `n${id}`, role: i === 0 ? "control-plane" : "worker",
        ...(racks > 0 ? { rack: `rack${(id % racks) + 1}` } : {}),
    }));
    return {
        ipFamily: s.family,
        addressPlan: v6 ? { aggregate: "2001:db8::/32" } : { aggregate: "10.0.0.0/8" },
        asn: { cluster: 65000 },
        routers,
        cluster: { name: "prop", nodes },
    };
}

const plan = (raw: RawConfig): AddressPlan => loadStack("prop", raw, "pw").plan;

function rolePrefixes(p: AddressPlan): [string, string][] {
    const roles: [string, string][] = [
        ["nodeNetwork", p.nodeNetwork], ["podCidr", p.podCidr], ["serviceCidr", p.serviceCidr], ["loopbacks", p.loopbacks],
        ...p.lbPools.map((x): [string, string] => [`pool ${x.name}`, x.cidr]),
    ];
    if (p.links) roles.push(["links", p.links]);
    return roles;
}

describe("address plan properties (fast-check)", () => {
    it("every allocation lies in its role's prefix", () => {
        fc.assert(fc.property(shapes, (s) => {
            const p = plan(rawFor(s));
            const agg = pfx(p.aggregate);
            for (const [, cidr] of rolePrefixes(p)) assert.ok(contains(agg, pfx(cidr)), `${cidr} outside ${p.aggregate}`);
            for (const sn of p.nodeSubnets) {
                assert.ok(contains(pfx(p.nodeNetwork), pfx(sn.cidr)));
                assert.ok(inPrefix(sn.cidr, sn.dockerGateway));
            }
            for (const n of p.nodes) {
                const sn = p.nodeSubnets.find((x) => x.name === n.subnet)!;
                assert.ok(inPrefix(sn.cidr, n.address), `${n.name} ${n.address} not in ${sn.cidr}`);
                assert.ok(contains(pfx(p.podCidr), pfx(n.podCidr)), `${n.podCidr} not in ${p.podCidr}`);
                assert.equal(pfx(n.podCidr).length, p.podMaskSize);
                if (p.family === "ipv6") assert.ok(inPrefix(p.routerIdPool, n.routerId));
            }
            for (const r of p.routers) {
                assert.ok(inPrefix(p.loopbacks, r.loopback));
                for (const i of r.interfaces) {
                    const net = p.nodeSubnets.find((x) => x.name === i.network)?.cidr ?? p.linkNets.find((l) => l.name === i.network)?.cidr;
                    assert.ok(net && inPrefix(net, i.address), `${r.name} ${i.address} not in ${net}`);
                }
            }
            for (const l of p.linkNets) assert.ok(contains(pfx(p.links!), pfx(l.cidr)));
        }), { numRuns: 150 });
    });

    it("roles never overlap, and no two hosts share an address", () => {
        fc.assert(fc.property(shapes, (s) => {
            const p = plan(rawFor(s));
            const roles = rolePrefixes(p);
            for (let i = 0; i < roles.length; i++) {
                for (let j = 0; j < i; j++) assert.ok(!overlaps(pfx(roles[i][1]), pfx(roles[j][1])), `${roles[i][0]} overlaps ${roles[j][0]}`);
            }
            const pods = p.nodes.map((n) => n.podCidr);
            assert.equal(new Set(pods).size, pods.length);
            const addrs = [...p.nodes.map((n) => n.address), ...p.routers.flatMap((r) => [r.loopback, ...r.interfaces.map((i) => i.address)]),
                ...p.nodeSubnets.map((x) => x.dockerGateway), ...p.linkNets.map((x) => x.dockerGateway), ...p.vrrpGroups.map((g) => g.address)];
            assert.equal(new Set(addrs).size, addrs.length);
            const ids = [...p.nodes.map((n) => n.routerId), ...p.routers.map((r) => r.routerId)];
            assert.equal(new Set(ids).size, ids.length);
        }), { numRuns: 150 });
    });

    it("adding a node or a router anywhere in the list changes no existing allocation", () => {
        fc.assert(fc.property(shapes, fc.nat(), fc.nat(), fc.boolean(), (s, nodePos, routerPos, addRouter) => {
            const before = plan(rawFor(s));
            const raw = rawFor(s) as { cluster: { nodes: unknown[] }; routers: Record<string, unknown>[] };
            const freshNode = Math.max(...s.nodeIds) + 1;
            const nodeRack = s.topology === "spine-leaf" ? { rack: `rack${(freshNode % s.racks) + 1}` } : {};
            raw.cluster.nodes.splice(nodePos % (raw.cluster.nodes.length + 1), 0, { name: `n${freshNode}`, role: "worker", ...nodeRack });
            const unused = [1, 2, 3, 4, 5, 6, 7, 8].find((id) => !s.routerIds.includes(id));
            if (addRouter && unused !== undefined) {
                const r = s.topology === "tor" ? { name: `tor-${unused}`, id: unused, role: "tor", asn: 65100 }
                    : { name: `spine-${unused}`, id: unused, role: "spine", asn: 65100 + unused };
                raw.routers.splice(routerPos % (raw.routers.length + 1), 0, r);
            }
            const after = plan(raw as RawConfig);
            // Addresses are allocations; the default route is a routing choice: a segment's one router,
            // or, once a second router joins it, the segment's VRRP virtual address, which never moves.
            const sansGateway = ({ gateway: _g, gateways: _gs, ...rest }: AddressPlan["nodes"][number]) => rest;
            for (const n of before.nodes) {
                const a = after.nodes.find((x) => x.name === n.name)!;
                assert.deepEqual(sansGateway(a), sansGateway(n));
                assert.equal(a.gateway, a.gateways[0]);
                assert.equal(a.gateways.length, 1, a.name);
                const vrrp = after.vrrpGroups.find((g) => g.segment === a.subnet);
                if (vrrp) {
                    assert.deepEqual(a.gateways, [vrrp.address]);
                    const was = before.vrrpGroups.find((g) => g.segment === a.subnet);
                    if (was) assert.deepEqual({ ...was, members: [] }, { ...vrrp, members: [] }, "a group keeps its VRID and address");
                    for (const m of was?.members ?? []) assert.deepEqual(vrrp.members.find((x) => x.router === m.router), m);
                } else {
                    assert.deepEqual(a.gateways, n.gateways, a.name);
                    assert.ok(after.nodeSessions.some((x) => x.node === n.name && x.routerAddress === a.gateway), a.gateway);
                }
            }
            for (const r of before.routers) {
                const a = after.routers.find((x) => x.name === r.name)!;
                assert.equal(a.loopback, r.loopback);
                assert.equal(a.routerId, r.routerId);
                // A new spine adds link interfaces; every existing one keeps its address.
                for (const i of r.interfaces) assert.deepEqual(a.interfaces.find((x) => x.network === i.network), i);
            }
            for (const l of before.linkNets) assert.deepEqual(after.linkNets.find((x) => x.name === l.name), l);
            assert.deepEqual(rolePrefixes(after).filter(([k]) => k !== "links"), rolePrefixes(before).filter(([k]) => k !== "links"));
        }), { numRuns: 150 });
    });

    it("IPv6-only plans hold no IPv4 address except the 32-bit router IDs", () => {
        const ipv4 = /\b\d{1,3}\.\d{1,3}\.\d{1,3}\.\d{1,3}\b/;
        fc.assert(fc.property(shapes.map((s) => ({ ...s, family: "ipv6" as const })), (s) => {
            const p = plan(rawFor(s));
            const text = JSON.stringify(p, (k, v) => (k === "routerId" || k === "routerIdPool" || k === "allocations" ? undefined : v));
            assert.ok(!ipv4.test(text), `IPv4 in ${text.match(ipv4)?.[0]}`);
            for (const row of p.allocations) if (row.role !== "router-id-pool") assert.ok(!ipv4.test(row.prefix));
        }), { numRuns: 100 });
    });

    it("is deterministic: the list order of nodes and routers does not change the plan", () => {
        fc.assert(fc.property(shapes, fc.nat(), (s, seed) => {
            const a = plan(rawFor(s));
            const raw = rawFor(s) as { cluster: { nodes: unknown[] }; routers: unknown[] };
            const rot = <T>(xs: T[]): T[] => { const k = seed % Math.max(1, xs.length); return [...xs.slice(k), ...xs.slice(0, k)].reverse(); };
            raw.cluster.nodes = rot(raw.cluster.nodes);
            raw.routers = rot(raw.routers);
            assert.deepEqual(plan(raw as RawConfig), a);
        }), { numRuns: 100 });
    });
});

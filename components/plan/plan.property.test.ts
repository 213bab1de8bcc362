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

function rawFor(s: Shape, addressPlan?: Record<string, unknown>): RawConfig {
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
        addressPlan: addressPlan ?? (v6 ? { aggregate: "2001:db8::/32" } : { aggregate: "10.0.0.0/8" }),
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

/**
 * Several aggregates: 2-5 disjoint blocks of mixed sizes in random order, one of them big enough
 * for every role (so carving succeeds), the others too small for some roles (so carving spills
 * over into later blocks); optionally the first LB pool placed explicitly in a small block.
 */
const SMALL_BLOCKS = {
    ipv4: ["10.0.0.0/16", "10.64.0.0/12", "192.168.0.0/16", "20.0.10.0/24", "30.0.10.0/24", "172.16.0.0/22"],
    ipv6: ["2001:db8:1::/48", "2001:db8:2::/56", "fd00:1::/60", "2004::/64", "1001:cafe:43:9::/112", "1001:cafe:42::/56"],
};
const BIG_BLOCK = { ipv4: "100.64.0.0/10", ipv6: "2001:db8:ff00::/40" };
/** A block that holds a default-sized LB pool but no other role, for the explicit pool. */
const POOL_BLOCK = { ipv4: "20.0.10.0/24", ipv6: "2004::/64" };

interface MultiShape { shape: Shape; small: number[]; bigAt: number; explicitPool: boolean }
const multiShapes: fc.Arbitrary<MultiShape> = fc.record({
    shape: shapes,
    small: fc.uniqueArray(fc.integer({ min: 0, max: 5 }), { minLength: 1, maxLength: 4 }),
    bigAt: fc.nat(),
    explicitPool: fc.boolean(),
});

function multiPlan(m: MultiShape): Record<string, unknown> {
    const f = m.shape.family;
    const blocks = m.small.map((i) => SMALL_BLOCKS[f][i]);
    blocks.splice(m.bigAt % (blocks.length + 1), 0, BIG_BLOCK[f]);
    const out: Record<string, unknown> = { aggregates: blocks };
    if (m.explicitPool && blocks.includes(POOL_BLOCK[f])) out.lbPools = [{ name: "pinned", cidr: POOL_BLOCK[f] }];
    return out;
}

describe("address plan properties with several aggregates (fast-check)", () => {
    const within = (p: AddressPlan, cidr: string): string[] => p.aggregates.filter((a) => contains(pfx(a), pfx(cidr)));

    it("every prefix and address lies inside exactly one aggregate; roles and hosts never overlap", () => {
        let spilled = 0;
        fc.assert(fc.property(multiShapes, (m) => {
            const raw = multiPlan(m);
            const p = plan(rawFor(m.shape, raw));
            assert.deepEqual(p.aggregates, raw.aggregates, "the plan keeps the configured blocks in order");
            const host = p.family === "ipv4" ? 32 : 128;
            const prefixes = [...rolePrefixes(p).map(([, c]) => c), ...p.nodeSubnets.map((s) => s.cidr), ...p.linkNets.map((l) => l.cidr),
                ...p.nodes.map((n) => n.podCidr),
                ...[...p.nodes.map((n) => n.address), ...p.routers.flatMap((r) => [r.loopback, ...r.interfaces.map((i) => i.address)]),
                    ...p.nodeSubnets.map((s) => s.dockerGateway), ...p.linkNets.map((l) => l.dockerGateway)].map((a) => `${a}/${host}`)];
            for (const c of prefixes) assert.equal(within(p, c).length, 1, `${c} lies in ${within(p, c).join(", ") || "no aggregate"} of ${p.aggregates.join(", ")}`);
            const roles = rolePrefixes(p);
            for (let i = 0; i < roles.length; i++) {
                for (let j = 0; j < i; j++) assert.ok(!overlaps(pfx(roles[i][1]), pfx(roles[j][1])), `${roles[i][0]} overlaps ${roles[j][0]}`);
            }
            // A role whose length fits the first block but that lies in a later one shows the spill-over is exercised.
            if (rolePrefixes(p).some(([, c]) => within(p, c)[0] !== p.aggregates[0])) spilled++;
            // One allocation row per block, in order, then the roles.
            const rows = p.allocations.filter((a) => a.role === "aggregate");
            assert.deepEqual(rows.map((a) => a.prefix), p.aggregates);
            assert.deepEqual(rows.map((a) => a.source), p.aggregates.map((_, i) => `addressPlan.aggregates[${i}]`));
        }), { numRuns: 150 });
        assert.ok(spilled > 20, `only ${spilled} plans used a block after the first: the property would test little`);
    });

    it("an explicit role may lie in any aggregate, and carving skips what it takes", () => {
        fc.assert(fc.property(multiShapes.map((m) => ({ ...m, explicitPool: true, small: [...new Set([...m.small, 3])] })), (m) => {
            const p = plan(rawFor(m.shape, multiPlan(m)));
            const pinned = p.lbPools.find((x) => x.name === "pinned");
            assert.ok(pinned, "the pool in its own block is planned");
            assert.equal(pinned.cidr, POOL_BLOCK[m.shape.family]);
            assert.deepEqual(p.allocations.find((a) => a.prefix === pinned.cidr && a.role === "lb-pool")?.source, "addressPlan.lbPools[0].cidr");
        }), { numRuns: 60 });
    });

    it("adding a node or a router changes no existing allocation", () => {
        fc.assert(fc.property(multiShapes, fc.nat(), fc.boolean(), (m, pos, addRouter) => {
            const s = m.shape;
            const before = plan(rawFor(s, multiPlan(m)));
            const raw = rawFor(s, multiPlan(m)) as { cluster: { nodes: unknown[] }; routers: Record<string, unknown>[] };
            const fresh = Math.max(...s.nodeIds) + 1;
            raw.cluster.nodes.splice(pos % (raw.cluster.nodes.length + 1), 0,
                { name: `n${fresh}`, role: "worker", ...(s.topology === "spine-leaf" ? { rack: `rack${(fresh % s.racks) + 1}` } : {}) });
            const unused = [1, 2, 3, 4, 5, 6, 7, 8].find((id) => !s.routerIds.includes(id));
            if (addRouter && unused !== undefined) {
                raw.routers.splice(pos % (raw.routers.length + 1), 0, s.topology === "tor" ? { name: `tor-${unused}`, id: unused, role: "tor", asn: 65100 }
                    : { name: `spine-${unused}`, id: unused, role: "spine", asn: 65100 + unused });
            }
            const after = plan(raw as RawConfig);
            assert.deepEqual(after.aggregates, before.aggregates);
            assert.deepEqual(rolePrefixes(after).filter(([k]) => k !== "links"), rolePrefixes(before).filter(([k]) => k !== "links"));
            for (const n of before.nodes) {
                const a = after.nodes.find((x) => x.name === n.name)!;
                assert.deepEqual([a.address, a.podCidr, a.routerId, a.subnet], [n.address, n.podCidr, n.routerId, n.subnet]);
            }
            for (const r of before.routers) {
                const a = after.routers.find((x) => x.name === r.name)!;
                assert.deepEqual([a.loopback, a.routerId], [r.loopback, r.routerId]);
                for (const i of r.interfaces) assert.deepEqual(a.interfaces.find((x) => x.network === i.network), i);
            }
            for (const sn of before.nodeSubnets) assert.equal(after.nodeSubnets.find((x) => x.name === sn.name)?.dockerGateway, sn.dockerGateway);
            for (const l of before.linkNets) assert.deepEqual(after.linkNets.find((x) => x.name === l.name), l);
        }), { numRuns: 150 });
    });

    it("the one-element list plans exactly as addressPlan.aggregate, but for the allocation source", () => {
        fc.assert(fc.property(shapes, (s) => {
            const one = plan(rawFor(s));
            const list = plan(rawFor(s, { aggregates: [one.aggregate] }));
            const sansSource = (p: AddressPlan) => ({ ...p, allocations: p.allocations.map(({ source: _s, ...rest }) => rest) });
            assert.deepEqual(sansSource(list), sansSource(one));
            assert.equal(list.allocations[0].source, "addressPlan.aggregates[0]");
            assert.equal(one.allocations[0].source, "addressPlan.aggregate");
        }), { numRuns: 40 });
    });
});

describe("address plan properties with explicit router addresses (fast-check)", () => {
    // ToR routers at random hosts of the segment's top (seed 003's .254 and below), the rest by id.
    const explicitShapes = fc.record({
        shape: shapes.map((s) => ({ ...s, topology: "tor" as const })),
        fromTop: fc.array(fc.option(fc.integer({ min: 1, max: 6 }), { nil: undefined }), { minLength: 4, maxLength: 4 }),
    });
    const rawWith = (m: { shape: Shape; fromTop: (number | undefined)[] }): RawConfig => {
        const raw = rawFor(m.shape) as { routers: Record<string, unknown>[] };
        const top = m.shape.family === "ipv4" ? (o: number) => `10.0.15.${255 - o}` : (o: number) => `2001:db8::ffff:ffff:ffff:${(0xffff - o).toString(16)}`;
        const used = new Set<number>();
        raw.routers.forEach((r, i) => {
            const o = m.fromTop[i % m.fromTop.length];
            if (o !== undefined && !used.has(o)) { used.add(o); r.address = top(o); }
        });
        return raw as RawConfig;
    };
    it("Docker's gateway is never a router's address, every address is unique, and a new node moves nothing", () => {
        let moved = 0;
        fc.assert(fc.property(explicitShapes, (m) => {
            const p = plan(rawWith(m));
            const sn = p.nodeSubnets[0];
            assert.equal(sn.cidr, p.family === "ipv4" ? "10.0.0.0/20" : "2001:db8::/64", "the carved node network the addresses above were written for");
            const routerAddrs = p.routers.flatMap((r) => r.interfaces.map((i) => i.address));
            assert.ok(!routerAddrs.includes(sn.dockerGateway), `${sn.dockerGateway} is a router's`);
            assert.ok(inPrefix(sn.cidr, sn.dockerGateway));
            const vrrp = p.vrrpGroups.map((g) => g.address);
            assert.equal(vrrp.length, p.routers.length >= 2 ? 1 : 0, "one VRRP group on a segment with two or more routers");
            const all = [...routerAddrs, ...p.nodes.map((n) => n.address), sn.dockerGateway, ...vrrp];
            assert.equal(new Set(all).size, all.length, "router, node, Docker gateway and VRRP addresses are all distinct");
            if (sn.dockerGateway !== (p.family === "ipv4" ? "10.0.15.254" : "2001:db8::ffff:ffff:ffff:fffe")) moved++;
            const gateway = vrrp[0] ?? p.routers[0].interfaces[0].address;
            for (const n of p.nodes) assert.deepEqual(n.gateways, [gateway], "the VRRP address (two or more routers) or the one router");
            const raw = rawWith(m) as { cluster: { nodes: unknown[] } };
            raw.cluster.nodes.push({ name: `n${Math.max(...m.shape.nodeIds) + 1}`, role: "worker" });
            const after = plan(raw as RawConfig);
            assert.equal(after.nodeSubnets[0].dockerGateway, sn.dockerGateway);
            assert.deepEqual(after.vrrpGroups, p.vrrpGroups);
            assert.deepEqual(after.routers, p.routers);
        }), { numRuns: 120 });
        assert.ok(moved > 10, `the gateway moved in only ${moved} plans`);
    });
});

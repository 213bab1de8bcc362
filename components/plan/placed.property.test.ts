/**
 * Properties of the subnets and addresses a stack places by name (addressPlan.rackSubnets,
 * addressPlan.linkSubnets, cluster.nodes[].address): each comes out exactly as given, nothing
 * overlaps or is shared, and adding a node, a spine or a leaf (with its rack) moves nothing.
 */
import { strict as assert } from "assert";
import fc from "fast-check";
import { loadStack } from "../config";
import type { RawConfig } from "../config/load";
import { overlaps, parsePrefix, type Prefix } from "./addr";
import type { AddressPlan } from "./types";

const pfx = (s: string): Prefix => {
    const p = parsePrefix(s);
    if (typeof p === "string") throw new Error(`${s} ${p}`);
    return p;
};

interface Placement {
    /** true: addressPlan.nodeNetwork unset and every rack placed; false: nodeNetwork set, some racks placed. */
    allPlaced: boolean;
    racks: number;
    spineIds: number[];
    nodeIds: number[];
    /** Per rack: placed or numbered (ignored when allPlaced), and the /24 number it is placed at. */
    rackPlaced: boolean[];
    rackSlot: number[];
    /** Per (leaf, spine) link, in order: placed or numbered, and its /24 number. */
    linkPlaced: boolean[];
    linkSlot: number[];
    /** Per node: given an address or numbered. */
    nodeGiven: boolean[];
}

const placements: fc.Arbitrary<Placement> = fc.record({
    allPlaced: fc.boolean(),
    racks: fc.integer({ min: 1, max: 4 }),
    spineIds: fc.uniqueArray(fc.integer({ min: 1, max: 7 }), { minLength: 1, maxLength: 3 }),
    nodeIds: fc.uniqueArray(fc.integer({ min: 0, max: 150 }), { minLength: 1, maxLength: 20 }),
    rackPlaced: fc.array(fc.boolean(), { minLength: 5, maxLength: 5 }),
    rackSlot: fc.uniqueArray(fc.integer({ min: 0, max: 200 }), { minLength: 5, maxLength: 5 }),
    linkPlaced: fc.array(fc.boolean(), { minLength: 40, maxLength: 40 }),
    linkSlot: fc.uniqueArray(fc.integer({ min: 0, max: 255 }), { minLength: 40, maxLength: 40 }),
    nodeGiven: fc.array(fc.boolean(), { minLength: 25, maxLength: 25 }),
});

/**
 * Placed racks at 10.200.<slot>.0/24 when every rack is placed, else inside nodeNetwork 10.16.0.0/16 at
 * 10.16.<50 + slot>.0/24 (numbered ones at 10.16.<rack>.0/24); placed links at 10.201.<slot>.0/24 (clear of the carved roles).
 */
function rawFor(x: Placement, extra: { node?: boolean; spine?: number; leaf?: boolean } = {}): RawConfig {
    const racks = x.racks + (extra.leaf ? 1 : 0);
    const spineIds = [...x.spineIds, ...(extra.spine !== undefined ? [extra.spine] : [])];
    const rackPlaced = (r: number): boolean => x.allPlaced || x.rackPlaced[r - 1];
    const rackNet = (r: number): string => (x.allPlaced ? `10.200.${x.rackSlot[r - 1]}` : `10.16.${50 + x.rackSlot[r - 1]}`);
    const routers = [
        ...spineIds.map((id) => ({ name: `spine${id}`, role: "spine", asn: 65100 + id })),
        ...Array.from({ length: racks }, (_, i) => ({ name: `leaf${i + 1}`, id: 20 + i + 1, role: "leaf", rack: `rack${i + 1}`, asn: 65200 + i })),
    ];
    const rackSubnets: Record<string, string> = {};
    for (let r = 1; r <= racks; r++) if (rackPlaced(r)) rackSubnets[`rack${r}`] = `${rackNet(r)}.0/24`;
    // Links of the original fabric only: a link added with a router is numbered (nothing to place it by).
    const linkSubnets: Record<string, string> = {};
    let k = 0;
    for (let r = 1; r <= x.racks; r++) {
        for (const s of x.spineIds) {
            if (x.linkPlaced[k]) linkSubnets[`link-leaf${r}-spine${s}`] = `10.201.${x.linkSlot[k]}.0/24`;
            k++;
        }
    }
    const nodeIds = [...x.nodeIds, ...(extra.node ? [Math.max(...x.nodeIds) + 1] : [])];
    // Given node addresses: host 240 + j for the j-th given node of a rack (numbered nodes stay below: 32 + id <= 183).
    const givenInRack = new Map<number, number>();
    const nodes = nodeIds.map((id, i) => {
        const rack = (id % x.racks) + 1;
        const node: Record<string, unknown> = { name: `n${id}`, id, role: i === 0 ? "control-plane" : "worker", rack: `rack${rack}` };
        const j = givenInRack.get(rack) ?? 0;
        if (i < x.nodeIds.length && x.nodeGiven[i] && j < 13) {
            node.address = rackPlaced(rack) ? `${rackNet(rack)}.${240 + j}` : `10.16.${rack}.${240 + j}`;
            givenInRack.set(rack, j + 1);
        }
        return node;
    });
    const addressPlan: Record<string, unknown> = { aggregate: "10.0.0.0/8", rackSubnetLength: 24, rackSubnets, linkSubnets };
    if (!x.allPlaced) addressPlan.nodeNetwork = "10.16.0.0/16";
    return { ipFamily: "ipv4", addressPlan, asn: { cluster: 65000 }, routers, cluster: { name: "placed", nodes } };
}

const plan = (raw: RawConfig): AddressPlan => loadStack("placed", raw, "pw").plan;

describe("placed subnets and node addresses (fast-check)", () => {
    it("come out exactly as given; nothing overlaps and no address is shared", () => {
        fc.assert(fc.property(placements, (x) => {
            const raw = rawFor(x) as { addressPlan: { rackSubnets: Record<string, string>; linkSubnets: Record<string, string> }; cluster: { nodes: Record<string, unknown>[] } };
            const p = plan(raw as unknown as RawConfig);
            for (const [rack, cidr] of Object.entries(raw.addressPlan.rackSubnets)) assert.equal(p.nodeSubnets.find((s) => s.rack === rack)?.cidr, cidr, rack);
            for (const [name, cidr] of Object.entries(raw.addressPlan.linkSubnets)) {
                const l = p.linkNets.find((n) => n.name === name);
                assert.equal(l?.cidr, cidr, name);
                assert.equal(l?.a.address, cidr.replace(/0\/24$/, "1"), "leaf at host 1");
                assert.equal(l?.b.address, cidr.replace(/0\/24$/, "2"), "spine at host 2");
            }
            for (const n of raw.cluster.nodes) if (n.address !== undefined) assert.equal(p.nodes.find((m) => m.name === n.name)?.address, n.address);
            assert.equal(p.nodeSubnets.length, x.racks);
            assert.equal(p.linkNets.length, x.racks * x.spineIds.length);
            assert.equal(p.nodeNetwork, x.allPlaced ? "" : "10.16.0.0/16", "no node network is carved when every rack is placed");
            // The roles and every segment (the node network and addressPlan.links are only containers of segments).
            const nets = [p.podCidr, p.serviceCidr, p.loopbacks, ...p.lbPools.map((l) => l.cidr),
                ...p.nodeSubnets.map((s) => s.cidr), ...p.linkNets.map((l) => l.cidr)].map(pfx);
            for (let i = 0; i < nets.length; i++) for (let j = 0; j < i; j++) assert.ok(!overlaps(nets[i], nets[j]), `${i} overlaps ${j}`);
            const addrs = [...p.nodes.map((n) => n.address), ...p.routers.flatMap((r) => [r.loopback, ...r.interfaces.map((i) => i.address)]),
                ...p.nodeSubnets.map((s) => s.dockerGateway), ...p.linkNets.map((l) => l.dockerGateway)];
            assert.equal(new Set(addrs).size, addrs.length);
        }), { numRuns: 150 });
    });

    it("adding a node, a spine or a leaf with its rack moves no existing allocation", () => {
        fc.assert(fc.property(placements, fc.boolean(), fc.boolean(), fc.boolean(), (x, node, spine, leaf) => {
            const before = plan(rawFor(x));
            const unused = [1, 2, 3, 4, 5, 6, 7].find((id) => !x.spineIds.includes(id));
            const after = plan(rawFor(x, { node, leaf: leaf && x.racks < 5, spine: spine ? unused : undefined }));
            for (const n of before.nodes) assert.deepEqual(after.nodes.find((m) => m.name === n.name), n);
            for (const s of before.nodeSubnets) assert.deepEqual({ ...after.nodeSubnets.find((m) => m.name === s.name), routers: [] }, { ...s, routers: [] });
            for (const l of before.linkNets) assert.deepEqual(after.linkNets.find((m) => m.name === l.name), l);
            for (const r of before.routers) {
                const a = after.routers.find((m) => m.name === r.name);
                assert.equal(a?.loopback, r.loopback);
                for (const i of r.interfaces) assert.deepEqual(a?.interfaces.find((m) => m.network === i.network), i);
            }
            for (const k of ["nodeNetwork", "podCidr", "serviceCidr", "loopbacks"] as const) assert.equal(after[k], before[k], k);
            assert.deepEqual(after.lbPools, before.lbPools);
            if (before.links) assert.equal(after.links, before.links);
        }), { numRuns: 150 });
    });
});

import * as assert from "node:assert/strict";
import { contains, parsePrefix, type Prefix } from "../plan/addr";
import { type RouterIntent, routerIntent } from "./model";
import { loadVariant, STACK_VARIANTS, TEST_PASSWORD } from "./testing";

const P = (s: string): Prefix => parsePrefix(s) as Prefix;

/**
 * What each router's BGP table holds once the fabric has converged, from the rendered intents
 * alone: every router originates its `network`s; eBGP passes a route on unless the receiver's ASN
 * is already in its AS path (loop check) or the fabric filter (the aggregate and everything inside
 * it) drops it. Nodes are not transit: they announce only pod/service prefixes.
 */
function bgpTables(intents: Map<string, RouterIntent>, sessions: { a: string; b: string }[]): Map<string, Set<string>> {
    const table = new Map<string, Map<string, number[]>>([...intents].map(([n, i]) => [n, new Map(i.networks.map((p) => [p, [] as number[]]))]));
    for (let changed = true; changed;) {
        changed = false;
        for (const s of sessions) {
            for (const [from, to] of [[s.a, s.b], [s.b, s.a]]) {
                const src = intents.get(from)!;
                const dst = intents.get(to)!;
                for (const [prefix, path] of table.get(from)!) {
                    const asPath = [src.asn, ...path];
                    if (asPath.includes(dst.asn) || table.get(to)!.has(prefix)) continue;
                    if (dst.filter && !dst.blackholes.some((a) => contains(P(a), P(prefix)))) continue;
                    table.get(to)!.set(prefix, asPath);
                    changed = true;
                }
            }
        }
    }
    // Static routes (the other ToR's loopback over the shared subnet) are in the RIB too.
    return new Map([...table].map(([n, t]) => [n, new Set([...t.keys(), ...intents.get(n)!.staticRoutes.map((r) => r.prefix)])]));
}

describe("router renderers: every node subnet, loopback and link is reachable across the fabric", () => {
    for (const variant of STACK_VARIANTS) {
        it(`${variant}: each router holds a route more specific than the aggregate blackhole to every rack, loopback and link`, () => {
            const { config, plan } = loadVariant(variant);
            const intents = new Map(plan.routers.map((r) => [r.name, routerIntent({ config, plan, router: r, password: TEST_PASSWORD })]));
            const tables = bgpTables(intents, plan.routerSessions);
            const targets = [
                ...plan.nodeSubnets.map((s) => ({ what: `node subnet ${s.name}`, prefix: s.cidr })),
                ...plan.linkNets.map((l) => ({ what: `link ${l.name}`, prefix: l.cidr })),
                ...[...intents.values()].map((i) => ({ what: `loopback of ${i.hostname}`, prefix: i.loopbackPrefix })),
            ];
            for (const [router, t] of tables) {
                assert.deepEqual([...intents.get(router)!.blackholes].sort(), [...plan.aggregates].sort(), `${router} blackholes exactly the plan's aggregates`);
                for (const target of targets) {
                    // A connected route or any BGP route covering the target that is longer than the aggregate holding it.
                    const holding = plan.aggregates.map(P).filter((a) => contains(a, P(target.prefix)));
                    assert.equal(holding.length, 1, `${target.prefix} lies in exactly one aggregate`);
                    const covering = [...t].filter((p) => contains(P(p), P(target.prefix)) && P(p).length > holding[0].length);
                    assert.ok(covering.length > 0, `${variant}: router ${router} reaches ${target.what} (${target.prefix}) only through the aggregate blackhole`);
                }
            }
        });
    }

    it("the check can fail: without the attached subnets a leaf cannot reach the other rack", () => {
        const { config, plan } = loadVariant("dev");
        const intents = new Map(plan.routers.map((r) => {
            const i = routerIntent({ config, plan, router: r, password: TEST_PASSWORD });
            return [r.name, { ...i, networks: [plan.aggregate, i.loopbackPrefix] }];
        }));
        const tables = bgpTables(intents, plan.routerSessions);
        const rack2 = plan.nodeSubnets.find((s) => s.rack === "rack2")!;
        assert.ok(![...tables.get("leaf1")!].some((p) => contains(P(p), P(rack2.cidr)) && P(p).length > P(plan.aggregate).length));
    });
});

/**
 * The seed comparison's own checks can fail: a changed rendered value, a missing object, an
 * allowed difference that no longer occurs and an invented seed value are each caught; and the
 * router-config parsers read the seeds' own router configurations (seed 002's vtysh lines, seed
 * 004's VyOS 1.2 `set` listing) exactly as the seed data transcribes them.
 */
import { strict as assert } from "assert";
import { compareSeed } from "./compare";
import { type Rendered, renderStack } from "./render";
import { parseFrr, parseVyosSet } from "./routerconfig";
import { linesOf, seedText, untranscribed } from "./transcription";
import type { SeedData } from "./types";
import { seed000 } from "./000-ipv6-vyos-own-asn.seed";
import { seed002 } from "./002-kind-frr-tor-racks.seed";
import { seed004 } from "./004-vyos-spine-leaf.seed";

const clone = <T>(v: T): T => structuredClone(v);
const failures = (seed: SeedData, r: Rendered): string[] => compareSeed(seed, r).filter((d) => d.status !== "expected").map((d) => `${d.status} ${d.where} ${d.path}`);

function textOrSkip(file: string, ctx: Mocha.Context): string {
    const text = seedText(file);
    if (text === undefined) ctx.skip(); // no ../shared (GitHub's runners): see seedText
    return text;
}

describe("seed comparison (test/seeds/compare.ts) can fail", function () {
    this.timeout(120000);
    let rendered: Rendered;
    before(async () => { rendered = await renderStack(seed000.stack.file, seed000.stack.name); });

    it("seed 000 as rendered: no failure (the baseline the cases below change)", () => {
        assert.deepEqual(failures(seed000, rendered), []);
    });

    it("a rendered field that changes is a failure naming the object and path", () => {
        const r = clone(rendered);
        const pool = r.objects.find((o) => o.kind === "CiliumLoadBalancerIPPool") as unknown as { spec: { blocks: { cidr: string }[] } };
        pool.spec.blocks[0].cidr = "2a0e:97c0:ae3:c402::/64";
        assert.deepEqual(failures(seed000, r), ["failure CiliumLoadBalancerIPPool/lb-pool spec.blocks[0].cidr"]);
    });

    it("an allowed difference whose rendered value changes fails (and its entry turns stale)", () => {
        const r = clone(rendered);
        const peer = r.objects.find((o) => o.kind === "CiliumBGPPeerConfig") as unknown as { spec: { timers: { connectRetryTimeSeconds: number } } };
        peer.spec.timers.connectRetryTimeSeconds = 7;
        assert.deepEqual(failures(seed000, r), [
            "failure CiliumBGPPeerConfig/cilium-peer spec.timers.connectRetryTimeSeconds",
            "stale CiliumBGPPeerConfig/cilium-peer spec.timers.connectRetryTimeSeconds",
        ]);
    });

    it("a missing object and an extra one are failures", () => {
        const r = clone(rendered);
        r.objects = r.objects.filter((o) => o.kind !== "CiliumLoadBalancerIPPool");
        r.objects.push({ apiVersion: "cilium.io/v2", kind: "CiliumBGPNodeConfigOverride", metadata: { name: "cp-1" }, spec: {} });
        assert.deepEqual(failures(seed000, r), [
            "failure CiliumLoadBalancerIPPool/lb-pool (object)", "failure CiliumBGPNodeConfigOverride/cp-1 (object)",
            // The pool's allowed apiVersion difference cannot occur without the pool.
            "stale CiliumLoadBalancerIPPool/lb-pool apiVersion",
        ]);
    });

    it("router facts come from the config text: an ASN edited there is caught", () => {
        // Seed 000's routers are VyOS: the facts come from its `set` commands.
        const set = rendered.files.get("routers/r01/vyos.set") as string;
        assert.ok(set.includes("set protocols bgp system-as '201911'"));
        const edited = parseVyosSet(set.replace("set protocols bgp system-as '201911'", "set protocols bgp system-as '65066'"));
        const r = clone(rendered);
        r.routers[0] = { ...r.routers[0], ...edited };
        // 65066 is neither the seed's 65666 nor the allowed 201911.
        assert.deepEqual(failures(seed000, r), ["failure router r01 asn", "stale router r01 asn"]);
    });

    it("an allowed difference that no longer occurs is stale", () => {
        const seed = clone(seed000);
        seed.allowedDifferences.push({ where: "helm", path: "routingMode", rendered: "tunnel", kind: "choice", reason: "an entry for a difference that does not exist" });
        assert.deepEqual(failures(seed, rendered), ["stale helm routingMode"]);
    });

    it("a seed value not in its cited lines is reported as not transcribed", function () {
        const text = textOrSkip(seed000.file, this);
        assert.deepEqual(untranscribed(seed000, text), []);
        const seed = clone(seed000);
        (seed.objects[0].object.spec as { blocks: { cidr: string }[] }).blocks[0].cidr = "2a0e:97c0:ae3:c402::/64";
        seed.routers[0].asn = 65066;
        assert.deepEqual(untranscribed(seed, text), ["24-31: 2a0e:97c0:ae3:c402::/64", "2, 15, 17, 48-50: 65066"]);
    });
});

describe("router-config parsers read the seeds' own router configurations as the seed data has them", () => {
    it("FRR, both families: loopback addresses, blackhole routes, peer-group remote-as and route-reflector clients", () => {
        const p = parseFrr([
            "frr defaults datacenter", "ip route 10.0.0.0/8 blackhole", "ipv6 route 2001:db8::/48 blackhole",
            "interface lo", " ip address 10.0.255.1/32", " ipv6 address 2001:db8:ffff::1/128", "exit",
            "router bgp 65010", " bgp router-id 10.0.255.1", " neighbor NODES peer-group", " neighbor NODES remote-as internal",
            " neighbor 10.0.1.2 peer-group NODES", " neighbor 10.0.9.1 remote-as 65000", " address-family ipv4 unicast",
            "  network 10.0.1.0/24", "  neighbor NODES route-reflector-client", " exit-address-family", "exit",
        ].join("\n"));
        assert.deepEqual({ ...p }, {
            frrDefaults: "datacenter", blackholes: ["10.0.0.0/8", "2001:db8::/48"], loopbacks: ["10.0.255.1/32", "2001:db8:ffff::1/128"],
            asn: 65010, routerId: "10.0.255.1", networks: ["10.0.1.0/24"], redistributeConnected: false, multipathRelax: false,
            interfaceAddresses: [], defaultOriginate: [],
            neighbors: [
                { address: "10.0.1.2", remoteAs: "internal", peerGroup: "NODES", routeReflectorClient: true },
                { address: "10.0.9.1", remoteAs: 65000, routeReflectorClient: false },
            ],
        });
    });

    it("seed 002: each router's vtysh -c lines, as FRR configuration", function () {
        const text = textOrSkip(seed002.file, this);
        for (const router of seed002.routers) {
            // The `-c '...'` arguments in the router's topo.yaml entry are the configuration lines.
            const conf = [...linesOf(text, router.lines).matchAll(/-c '([^']*)'/g)].map((m) => m[1]).join("\n");
            const p = parseFrr(conf);
            assert.equal(p.asn, router.asn, router.name);
            assert.equal(p.routerId, router.routerId, router.name);
            assert.equal(p.redistributeConnected, router.redistributeConnected, router.name);
            assert.equal(p.frrDefaults, router.frrDefaults, router.name);
            assert.deepEqual(p.defaultOriginate, router.defaultOriginate, router.name);
            // router0's blackhole is a kernel route (`ip route add blackhole`, line 375), not FRR configuration.
            assert.deepEqual(p.blackholes, [], router.name);
            assert.deepEqual(p.neighbors.map((n) => ({ address: n.address, remoteAs: n.remoteAs })), router.neighbors, router.name);
        }
    });

    it("seed 004: each router's VyOS 1.2 `set` listing (lines 1667-1765)", function () {
        const text = textOrSkip(seed004.file, this);
        const listing = linesOf(text, "1667-1765").split("\n");
        for (const router of seed004.routers) {
            const start = listing.indexOf(router.name);
            assert.ok(start >= 0, `no ${router.name} section in the listing`);
            const end = listing.findIndex((l, i) => i > start && /^(spine|leaf)\d$/.test(l));
            const p = parseVyosSet(listing.slice(start, end < 0 ? undefined : end).join("\n"));
            assert.equal(p.asn, router.asn, router.name);
            assert.equal(p.routerId, router.routerId, router.name);
            assert.equal(p.multipathRelax, router.multipathRelax ?? false, router.name);
            assert.deepEqual(p.networks, router.networks ?? [], router.name);
            assert.deepEqual(p.interfaceAddresses, router.addresses, router.name);
            assert.deepEqual(p.loopbacks, router.loopbacks, router.name);
            assert.deepEqual(p.blackholes, router.blackholes, router.name);
            assert.deepEqual(p.defaultOriginate, router.defaultOriginate, router.name);
            assert.deepEqual(p.neighbors.map((n) => ({ address: n.address, remoteAs: n.remoteAs, ...(n.routeReflectorClient ? { routeReflectorClient: true } : {}) })),
                [...(router.neighbors ?? [])].sort((a, b) => a.address.localeCompare(b.address, undefined, { numeric: true })), router.name);
        }
    });
});

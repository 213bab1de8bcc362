import { strict as assert } from "assert";
import { buildAddressPlan } from "../plan/build";
import type { FabricConfig } from "../config/types";
import { renderFrrConfig, renderFrrDaemons, renderVtyshConf } from "./frr";
import { STACK_VARIANTS, TEST_PASSWORD, loadVariant, vtyshAvailable, vtyshDryrun } from "./testing";

const FRR_VARIANTS = STACK_VARIANTS.filter((v) => !v.includes("vyos"));

function rendered(variant: string): { name: string; text: string }[] {
    const { config, plan } = loadVariant(variant);
    return plan.routers.map((router) => ({ name: router.name, text: renderFrrConfig({ config, plan, router, password: TEST_PASSWORD }) }));
}

describe("FRR renderer: content", () => {
    for (const variant of FRR_VARIANTS) {
        describe(variant, () => {
            const { config, plan } = loadVariant(variant);
            const host = plan.family === "ipv4" ? 32 : 128;
            const ip = plan.family === "ipv4" ? "ip" : "ipv6";
            for (const router of plan.routers) {
                const text = renderFrrConfig({ config, plan, router, password: TEST_PASSWORD });
                const lines = text.split("\n");
                it(`${router.name}: identity, loopback and aggregate`, () => {
                    assert.ok(lines.includes(`router bgp ${router.asn}`));
                    assert.ok(lines.includes(` bgp router-id ${router.routerId}`));
                    assert.ok(lines.includes(`hostname ${router.name}`));
                    assert.ok(lines.includes(" no bgp default ipv4-unicast"));
                    for (const aggregate of plan.aggregates) {
                        assert.ok(lines.includes(`${ip} route ${aggregate} blackhole`), aggregate);
                        assert.ok(lines.includes(`  network ${aggregate}`), aggregate);
                    }
                    // Nothing wider than the plan's blocks is held or announced.
                    assert.equal(lines.filter((l) => l.endsWith(" blackhole")).length, plan.aggregates.length);
                    assert.ok(lines.includes(`  network ${router.loopback}/${host}`));
                    assert.ok(lines.includes(` ${ip} address ${router.loopback}/${host}`));
                    assert.ok(lines.includes(` address-family ${plan.family} unicast`));
                    assert.ok(!lines.includes(` address-family ${plan.family === "ipv4" ? "ipv6" : "ipv4"} unicast`));
                });
                it(`${router.name}: one neighbor per node session and fabric session`, () => {
                    const nodeSessions = plan.nodeSessions.filter((s) => s.router === router.name);
                    for (const s of nodeSessions) assert.match(text, new RegExp(`^ neighbor ${s.nodeAddress} peer-group NODES`, "m"));
                    const fabric = plan.routerSessions.filter((s) => s.a === router.name || s.b === router.name);
                    for (const s of fabric) assert.ok(lines.includes(` neighbor ${s.a === router.name ? s.bAddress : s.aAddress} peer-group FABRIC`));
                    const members = lines.filter((l) => /^ neighbor \S+ peer-group \S+$/.test(l));
                    assert.equal(members.length, nodeSessions.length + fabric.length);
                    for (const s of nodeSessions.filter((x) => x.routeReflectorClient)) {
                        assert.ok(lines.includes("  neighbor NODES route-reflector-client"), s.node);
                    }
                    if (nodeSessions.some((s) => s.type === "ebgp") && config.bgp.ebgpMultihop !== undefined) {
                        assert.ok(lines.includes(` neighbor NODES ebgp-multihop ${config.bgp.ebgpMultihop}`));
                    }
                    if (nodeSessions.every((s) => s.type === "ibgp")) assert.ok(!text.includes("ebgp-multihop"));
                });
                it(`${router.name}: password, timers, graceful restart`, () => {
                    assert.ok(text.includes(` password ${TEST_PASSWORD}`));
                    assert.ok(text.includes(` timers ${config.bgp.keepaliveTimeSeconds} ${config.bgp.holdTimeSeconds}`));
                    assert.ok(text.includes(` timers connect ${config.bgp.connectRetryTimeSeconds}`));
                    assert.ok(lines.includes(` bgp graceful-restart restart-time ${config.bgp.gracefulRestart.restartTimeSeconds}`));
                });
                it(`${router.name}: filtering`, () => {
                    assert.ok(config.bgp.filterNodeRoutes);
                    assert.ok(!text.includes("no bgp ebgp-requires-policy"));
                    if (plan.nodeSessions.some((s) => s.router === router.name)) {
                        assert.ok(lines.includes(`${ip} prefix-list NODES-IN seq 10 permit ${plan.podCidr} ge ${plan.podMaskSize} le ${plan.podMaskSize}`));
                        for (const p of plan.lbPools) assert.match(text, new RegExp(`^${ip} prefix-list NODES-IN seq \\d+ permit ${p.cidr} le ${host}$`, "m"));
                        assert.match(text, new RegExp(`^${ip} prefix-list NODES-IN seq \\d+ permit ${plan.serviceCidr} le ${host}$`, "m"));
                        assert.ok(lines.includes(`${ip} prefix-list NODES-IN seq 65535 deny any`));
                        assert.ok(lines.includes("  neighbor NODES route-map NODES-IN in"));
                        assert.ok(lines.includes("route-map NODES-OUT deny 10"));
                    }
                });
                it(`${router.name}: multipath ${plan.ecmp ? "on" : "off"}`, () => {
                    assert.equal(lines.includes(" bgp bestpath as-path multipath-relax"), plan.ecmp);
                    assert.equal(lines.some((l) => /^ {2}maximum-paths \d+$/.test(l)), plan.ecmp);
                    assert.equal(lines.some((l) => /^ {2}maximum-paths ibgp \d+$/.test(l)), plan.ecmp);
                });
                if (plan.family === "ipv6") {
                    it(`${router.name}: IPv6-only, no IPv4 address but the router ID`, () => {
                        const v4 = text.match(/\b\d{1,3}(\.\d{1,3}){3}\b/g) ?? [];
                        assert.deepEqual([...new Set(v4)], [router.routerId]);
                        assert.ok(!/^ip /m.test(text));
                    });
                }
            }
        });
    }

    it("without filtering: no policy, and eBGP needs none", () => {
        const { config, plan } = loadVariant("ipv6");
        const open: FabricConfig = { ...config, bgp: { ...config.bgp, filterNodeRoutes: false } };
        const text = renderFrrConfig({ config: open, plan, router: plan.routers[0], password: TEST_PASSWORD });
        assert.ok(text.includes(" no bgp ebgp-requires-policy"));
        assert.ok(!text.includes("prefix-list") && !text.includes("route-map"));
    });

    it("without authentication: no password line; with it, a missing password throws", () => {
        const { config, plan } = loadVariant("dev");
        const noAuth: FabricConfig = { ...config, bgp: { ...config.bgp, authentication: false } };
        assert.ok(!renderFrrConfig({ config: noAuth, plan, router: plan.routers[0] }).includes("password"));
        assert.throws(() => renderFrrConfig({ config, plan, router: plan.routers[0] }), /password/);
        assert.throws(() => renderFrrConfig({ config, plan, router: plan.routers[0], password: "a\nrouter bgp 1" }), /white space/);
    });

    it("routers[].frrDefaults datacenter: the profile line, and RFC 8212's eBGP policy rule kept on explicitly; traditional elsewhere", () => {
        const { config, plan } = loadVariant("dev");
        const leaf = plan.routers.find((r) => r.role === "leaf")!;
        const dc: FabricConfig = { ...config, routers: config.routers.map((r) => (r.name === leaf.name ? { ...r, frrDefaults: "datacenter" as const } : r)) };
        const lines = renderFrrConfig({ config: dc, plan, router: leaf, password: TEST_PASSWORD }).split("\n");
        assert.equal(lines[0], "frr defaults datacenter");
        assert.ok(lines.includes(" bgp ebgp-requires-policy"), lines.join("\n"));
        const other = renderFrrConfig({ config: dc, plan, router: plan.routers.find((r) => r.name !== leaf.name)!, password: TEST_PASSWORD }).split("\n");
        assert.equal(other[0], "frr defaults traditional");
        assert.ok(!other.includes(" bgp ebgp-requires-policy"));
        if (vtyshAvailable()) assert.ok(vtyshDryrun(lines.join("\n")).ok);
    });

    it("daemons and vtysh.conf", () => {
        const d = renderFrrDaemons().split("\n");
        for (const on of ["bgpd=yes", "zebra=yes", "staticd=yes", "ospfd=no", "isisd=no"]) assert.ok(d.includes(on), on);
        assert.equal(renderVtyshConf("r01"), "service integrated-vtysh-config\nhostname r01\n");
    });
});

describe("FRR renderer: determinism", () => {
    for (const variant of FRR_VARIANTS) {
        it(`${variant}: same bytes twice, and with routers and nodes shuffled in the configuration`, () => {
            const { config, plan } = loadVariant(variant);
            const first = rendered(variant);
            assert.deepEqual(rendered(variant), first);
            const shuffled: FabricConfig = {
                ...config,
                routers: [...config.routers].reverse(),
                cluster: { ...config.cluster, nodes: [...config.cluster.nodes].reverse() },
                addressPlan: { ...config.addressPlan, lbPools: [...config.addressPlan.lbPools].reverse() },
            };
            const plan2 = buildAddressPlan(shuffled);
            for (const r of first) {
                const router = plan2.routers.find((x) => x.name === r.name)!;
                assert.equal(renderFrrConfig({ config: shuffled, plan: plan2, router, password: TEST_PASSWORD }), r.text, r.name);
            }
            assert.equal(plan2.routers.length, plan.routers.length);
        });
    }
});

describe("FRR renderer: FRR's own parser (vtysh --dryrun)", function () {
    before(function () {
        if (vtyshAvailable()) return;
        if (process.env.CI) throw new Error("vtysh is not installed but CI is set: install the Debian 'frr' package");
        console.warn("    vtysh not installed (apt-get install frr): skipping the FRR parser checks locally");
        this.skip();
    });

    for (const variant of FRR_VARIANTS) {
        it(`${variant}: every frr.conf parses`, () => {
            for (const r of rendered(variant)) {
                const res = vtyshDryrun(r.text);
                assert.ok(res.ok, `${variant}/${r.name} rejected by vtysh:\n${res.output}`);
            }
        });
    }
    it("vtysh.conf parses", () => {
        const res = vtyshDryrun(renderVtyshConf("r01"));
        assert.ok(res.ok, res.output);
    });
    it("the check can fail: a broken line is rejected", () => {
        const good = rendered("ipv6")[0].text;
        for (const bad of [" neighbor NODES remote-as sideways", " bgp bestpath as-path multipath-relaxed", "ipv6 prefix-list X seq 5 permit 2001:db8::/32 ge"]) {
            const broken = good.replace(" bgp log-neighbor-changes\n", ` bgp log-neighbor-changes\n${bad}\n`);
            assert.notEqual(broken, good);
            const res = vtyshDryrun(broken);
            assert.ok(!res.ok, `vtysh accepted: ${bad}\n${res.output}`);
        }
    });
});

describe("FRR renderer: several aggregates (seed 004's LB pools outside 10/8)", () => {
    const { config, plan } = loadVariant("ipv4-leaf-aggregates");
    it("every fabric router permits each aggregate and everything inside it, in plan order, then denies", () => {
        assert.deepEqual(plan.aggregates, ["10.0.0.0/8", "20.0.10.0/24", "30.0.10.0/24"]);
        for (const router of plan.routers) {
            const lines = renderFrrConfig({ config, plan, router, password: TEST_PASSWORD }).split("\n");
            assert.deepEqual(lines.filter((l) => l.startsWith("ip prefix-list FABRIC ")), [
                "ip prefix-list FABRIC seq 10 permit 10.0.0.0/8 le 32",
                "ip prefix-list FABRIC seq 20 permit 20.0.10.0/24 le 32",
                "ip prefix-list FABRIC seq 30 permit 30.0.10.0/24 le 32",
                "ip prefix-list FABRIC seq 65535 deny any",
            ], router.name);
            assert.deepEqual(lines.filter((l) => l.endsWith(" blackhole")),
                ["ip route 10.0.0.0/8 blackhole", "ip route 20.0.10.0/24 blackhole", "ip route 30.0.10.0/24 blackhole"], router.name);
        }
    });
    it("the nodes' filter accepts the pools in their own blocks", () => {
        const leaf = plan.routers.find((r) => r.name === "leaf1")!;
        const lines = renderFrrConfig({ config, plan, router: leaf, password: TEST_PASSWORD }).split("\n");
        assert.ok(lines.includes("ip prefix-list NODES-IN seq 20 permit 20.0.10.0/24 le 32"));
        assert.ok(lines.includes("ip prefix-list NODES-IN seq 30 permit 30.0.10.0/27 le 32"));
    });
});

describe("FRR renderer: nodes peering with the router's loopback (bgp.peerWith, seed 002)", () => {
    const { config, plan } = loadVariant("ipv4-leaf-loopback");
    it("every node session targets the router's loopback, and the router sends from it", () => {
        for (const router of plan.routers.filter((r) => r.role === "leaf")) {
            const sessions = plan.nodeSessions.filter((s) => s.router === router.name);
            assert.ok(sessions.length > 0);
            for (const s of sessions) assert.equal(s.routerAddress, router.loopback);
            const lines = renderFrrConfig({ config, plan, router, password: TEST_PASSWORD }).split("\n");
            assert.ok(lines.includes(` neighbor NODES update-source ${router.loopback}`), router.name);
            assert.ok(!lines.some((l) => / neighbor FABRIC update-source/.test(l)), "fabric sessions stay on their links");
        }
    });
    it("interface peering (the default) renders no update-source", () => {
        const dev = loadVariant("dev");
        for (const router of dev.plan.routers) {
            assert.ok(!renderFrrConfig({ config: dev.config, plan: dev.plan, router, password: TEST_PASSWORD }).includes("update-source"));
        }
    });
});

describe("FRR renderer: default route from the spines (routers[].defaultOriginate, seed 002) and explicit router IDs", () => {
    for (const variant of ["ipv4-leaf-originate", "ipv6-leaf-originate"]) {
        const { config, plan } = loadVariant(variant);
        const any = plan.family === "ipv4" ? "0.0.0.0/0" : "::/0";
        const ip = plan.family === "ipv4" ? "ip" : "ipv6";
        it(`${variant}: each spine sends its leaves (its FABRIC peer group) a default route, in the address family`, () => {
            for (const router of plan.routers.filter((r) => r.role === "spine")) {
                const text = renderFrrConfig({ config, plan, router, password: TEST_PASSWORD });
                const af = text.slice(text.indexOf(" address-family "), text.indexOf(" exit-address-family"));
                assert.ok(af.split("\n").includes("  neighbor FABRIC default-originate"), router.name);
                assert.equal(text.split("\n").filter((l) => l.includes("default-originate")).length, 1, router.name);
                // The spine accepts no default from the leaves.
                assert.ok(!text.includes("DEFAULT-ROUTE"), router.name);
            }
        });
        it(`${variant}: each leaf accepts the default route from its spines and sends none itself`, () => {
            for (const router of plan.routers.filter((r) => r.role === "leaf")) {
                const lines = renderFrrConfig({ config, plan, router, password: TEST_PASSWORD }).split("\n");
                assert.ok(!lines.some((l) => l.includes("default-originate")), router.name);
                assert.deepEqual(lines.filter((l) => l.startsWith(`${ip} prefix-list DEFAULT-ROUTE `)),
                    [`${ip} prefix-list DEFAULT-ROUTE seq 10 permit ${any}`, `${ip} prefix-list DEFAULT-ROUTE seq 65535 deny any`], router.name);
                const fabricIn = lines.slice(lines.indexOf("route-map FABRIC-IN permit 10"));
                assert.deepEqual(fabricIn.slice(0, 8), ["route-map FABRIC-IN permit 10", ` match ${ip} address prefix-list FABRIC`, "exit", "!",
                    "route-map FABRIC-IN permit 20", ` match ${ip} address prefix-list DEFAULT-ROUTE`, "exit", "!"], router.name);
                // Not passed on: FABRIC-OUT matches FABRIC only, NODES-OUT denies everything.
                assert.ok(!lines.includes(` match ${ip} address prefix-list DEFAULT-ROUTE`) || lines.filter((l) => l.includes("DEFAULT-ROUTE")).length === 3);
            }
        });
        it(`${variant}: every router carries its routers[].routerId`, () => {
            plan.routers.forEach((router) => {
                const want = config.routers.find((r) => r.name === router.name)?.routerId;
                assert.match(want ?? "", /^192\.0\.2\.\d+$/);
                assert.equal(router.routerId, want);
                assert.ok(renderFrrConfig({ config, plan, router, password: TEST_PASSWORD }).split("\n").includes(` bgp router-id ${want}`), router.name);
            });
        });
    }
    it("without defaultOriginate (dev): no default route is sent or accepted", () => {
        const { config, plan } = loadVariant("dev");
        for (const router of plan.routers) {
            const text = renderFrrConfig({ config, plan, router, password: TEST_PASSWORD });
            assert.ok(!text.includes("default-originate") && !text.includes("DEFAULT-ROUTE"), router.name);
        }
    });
});

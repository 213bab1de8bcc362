import { strict as assert } from "assert";
import { checkCommandsReport, defaultSchema, withUnreferenced } from "../../test/vyos/checker";
import type { SchemaNode } from "../../test/vyos/schema";
import type { FabricConfig } from "../config/types";
import { buildAddressPlan } from "../plan/build";
import { TEST_PASSWORD, loadVariant } from "./testing";
import { renderVyosCommands, renderVyosConfigBoot } from "./vyos";
import { SHAPE, type Shape } from "./vyosboot";

const VYOS_VARIANTS = ["ipv6-vyos", "ipv4-leaf-vyos", "ipv4-leaf-vyos-originate"];

describe("VyOS renderer", () => {
    for (const variant of VYOS_VARIANTS) {
        describe(variant, () => {
            const { config, plan } = loadVariant(variant);
            const afi = plan.family === "ipv4" ? "ipv4-unicast" : "ipv6-unicast";
            for (const router of plan.routers) {
                const cmds = renderVyosCommands({ config, plan, router, password: TEST_PASSWORD });
                it(`${router.name}: every command passes the VyOS definitions and verify rules; what the reference lacks is listed`, () => {
                    const report = checkCommandsReport(cmds);
                    assert.deepEqual(report.problems, []);
                    // high-availability (VRRP) is not in the reference definitions: listed, not passed silently.
                    assert.deepEqual(report.unchecked.map((u) => u.command), cmds.filter((c) => c.startsWith("set high-availability ")));
                    assert.ok(report.unchecked.every((u) => /not in the reference definitions \(vyos-1x interface-definitions\/high-availability\.xml\.in/.test(u.reason)));
                    const inGroup = plan.vrrpGroups.find((g) => g.members.some((m) => m.router === router.name));
                    assert.equal(report.unchecked.length > 0, inGroup !== undefined);
                });
                it(`${router.name}: 1.4+ syntax and the planned sessions`, () => {
                    assert.ok(cmds.includes(`set protocols bgp system-as '${router.asn}'`));
                    assert.ok(!cmds.some((c) => /^set protocols bgp \d+ /.test(c)), "1.2 syntax");
                    assert.ok(cmds.includes(`set protocols bgp parameters router-id '${router.routerId}'`));
                    assert.ok(cmds.includes(`set system host-name '${router.name}'`));
                    const route = plan.family === "ipv4" ? "route" : "route6";
                    for (const aggregate of plan.aggregates) assert.ok(cmds.includes(`set protocols static ${route} ${aggregate} blackhole`), aggregate);
                    assert.equal(cmds.filter((c) => c.endsWith(" blackhole")).length, plan.aggregates.length);
                    for (const s of plan.nodeSessions.filter((x) => x.router === router.name)) {
                        assert.ok(cmds.includes(`set protocols bgp neighbor ${s.nodeAddress} peer-group 'NODES'`));
                        assert.ok(cmds.includes(`set protocols bgp neighbor ${s.nodeAddress} address-family ${afi}`));
                    }
                    assert.ok(cmds.some((c) => c.endsWith(` password '${TEST_PASSWORD}'`)));
                    assert.ok(cmds.includes("set protocols bgp parameters ebgp-requires-policy"));
                    assert.equal(cmds.includes("set protocols bgp parameters bestpath as-path multipath-relax"), plan.ecmp);
                    assert.ok(!cmds.some((c) => / peer-group \S+ timers /.test(c)));
                });
                it(`${router.name}: config.boot holds the same tree`, () => {
                    const boot = renderVyosConfigBoot(cmds);
                    assert.match(boot, new RegExp(`^        system-as "${router.asn}"$`, "m"));
                    assert.match(boot, /^\/\/ vyos-config-version: "bgp@\d+:.*"$/m);
                    for (const s of plan.nodeSessions.filter((x) => x.router === router.name)) {
                        assert.ok(boot.includes(`        neighbor ${s.nodeAddress} {\n`));
                    }
                    assert.equal(boot.split("{").length, boot.split("}").length, "balanced braces");
                    // Order of commands does not matter to the tree.
                    assert.equal(renderVyosConfigBoot([...cmds].reverse()), boot);
                });
            }
            it("deterministic under shuffled configuration order", () => {
                const shuffled: FabricConfig = {
                    ...config, routers: [...config.routers].reverse(),
                    cluster: { ...config.cluster, nodes: [...config.cluster.nodes].reverse() },
                };
                const plan2 = buildAddressPlan(shuffled);
                for (const router of plan.routers) {
                    const r2 = plan2.routers.find((x) => x.name === router.name)!;
                    assert.deepEqual(renderVyosCommands({ config: shuffled, plan: plan2, router: r2, password: TEST_PASSWORD }),
                        renderVyosCommands({ config, plan, router, password: TEST_PASSWORD }));
                }
            });
        });
    }

    it("VRRP on the ToR pair: one group per router, the lowest id has the highest priority, 1 s adverts, version 3", () => {
        const { config, plan } = loadVariant("ipv6-vyos");
        const [group] = plan.vrrpGroups;
        const lines = (name: string): string[] => renderVyosCommands({ config, plan, router: plan.routers.find((r) => r.name === name)!, password: TEST_PASSWORD })
            .filter((c) => c.startsWith("set high-availability "));
        const g = `set high-availability vrrp group nodes-${group.vrid}`;
        assert.deepEqual(lines("r01"), ["set high-availability vrrp global-parameters version '3'", `${g} interface 'eth0'`, `${g} vrid '${group.vrid}'`,
            `${g} address '${group.address}/128'`, `${g} priority '254'`, `${g} advertise-interval '1'`]);
        assert.ok(lines("r02").includes(`${g} priority '253'`));
        const bad = checkCommandsReport([`${g} interface 'eth0'`, `${g} vrid '300'`, `${g} address '10.0.0.1/32'`, `${g} address '2001:db8::1/128'`,
            "set high-availability vrrp group other interface 'eth0'"]);
        assert.deepEqual(bad.problems.map((p) => p.reason), [
            "value '300' of 'vrid' fails its constraint (numeric --range 1-255)",
            // vrid '300' is refused, so that group also lacks a VRID.
            `VRID is required but not set in VRRP group "nodes-${group.vrid}"`, `VRRP group "nodes-${group.vrid}" mixes IPv4 and IPv6 virtual addresses, this is not allowed`,
            'VRID is required but not set in VRRP group "other"', 'Virtual IP address is required but not set in VRRP group "other"',
        ]);
    });

    it("config.boot refuses words outside its shape", () => {
        assert.throws(() => renderVyosConfigBoot(["set protocols bgp 65005 neighbor 10.0.0.1 remote-as '1'"]), /not known/);
    });

    it("SHAPE agrees with VyOS's own definitions (kinds and valueless leaves)", () => {
        const walk = (shape: Shape, node: SchemaNode, path: string): void => {
            if (shape.kind === "leaf") {
                assert.equal(node.kind, "leaf", path);
                assert.equal(shape.valueless, node.valueless, `${path} valueless`);
                assert.equal(shape.multi, node.multi, `${path} multi`);
                return;
            }
            assert.equal(shape.kind, node.kind === "root" ? "node" : node.kind, path);
            for (const [word, child] of Object.entries(shape.children)) {
                const def = node.children.get(word);
                assert.ok(def, `${path} ${word} is not in the VyOS definitions`);
                walk(child, def, `${path} ${word}`);
            }
        };
        walk(SHAPE, withUnreferenced(defaultSchema()), "");
    });
});

describe("VyOS renderer: default route from the spines (routers[].defaultOriginate) and explicit router IDs", () => {
    const { config, plan } = loadVariant("ipv4-leaf-vyos-originate");
    const render = (name: string): string[] => renderVyosCommands({ config, plan, router: plan.routers.find((r) => r.name === name)!, password: TEST_PASSWORD });
    it("a spine sets default-originate on its FABRIC peer group; a leaf accepts 0.0.0.0/0 exactly in FABRIC-IN", () => {
        const spine = render("spine1");
        assert.deepEqual(spine.filter((c) => c.includes("default-originate")), ["set protocols bgp peer-group FABRIC address-family ipv4-unicast default-originate"]);
        assert.ok(spine.includes("set protocols bgp parameters router-id '192.0.2.1'"));
        const leaf = render("leaf1");
        assert.ok(!leaf.some((c) => c.includes("default-originate")));
        assert.deepEqual(leaf.filter((c) => c.includes("DEFAULT-ROUTE")), [
            "set policy prefix-list DEFAULT-ROUTE rule 10 action 'permit'",
            "set policy prefix-list DEFAULT-ROUTE rule 10 prefix '0.0.0.0/0'",
            "set policy prefix-list DEFAULT-ROUTE rule 65535 action 'deny'",
            "set policy prefix-list DEFAULT-ROUTE rule 65535 prefix '0.0.0.0/0'",
            "set policy prefix-list DEFAULT-ROUTE rule 65535 le '32'",
            "set policy route-map FABRIC-IN rule 20 match ip address prefix-list 'DEFAULT-ROUTE'",
        ]);
        assert.ok(leaf.includes("set policy route-map FABRIC-IN rule 20 action 'permit'"));
    });
    it("the VyOS check can fail on it: default-originate under the wrong node, or given a value, is refused", () => {
        const check = (cmd: string): string[] => checkCommandsReport(["set protocols bgp system-as '65101'", cmd]).problems.map((p) => p.command);
        assert.deepEqual(check("set protocols bgp peer-group FABRIC address-family ipv4-unicast default-originate"), []);
        for (const bad of ["set protocols bgp peer-group FABRIC address-family ipv4-unicast default-originated",
            "set protocols bgp peer-group FABRIC default-originate", "set protocols bgp peer-group FABRIC address-family ipv4-unicast default-originate 'yes'"]) {
            assert.deepEqual(check(bad), [bad]);
        }
    });
});

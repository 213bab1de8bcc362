/**
 * `ipFamily: dual` (seed 001): every router renders both halves of the plan. Expectations come from
 * the plan's two halves (plan.secondary is the IPv6 one), never from a rendering, so a renderer
 * that drops the IPv6 half (what they did before) fails here: "the check can fail" shows it.
 */
import { strict as assert } from "assert";
import { checkCommandsReport } from "../../test/vyos/checker";
import { recordingMocks, valueOf } from "../../test/support/crd";
import type { AddressPlan, PlannedRouter } from "../plan/types";
import { renderFrrConfig, renderFrrDaemons } from "./frr";
import { RouterFleet, routerFleetArgsFromPlan } from "./index";
import { routerNeighbors } from "./neighbors";
import { networkSpecs, routerContainerSpec, routerFiles } from "./spec";
import { DUAL_VARIANTS, TEST_PASSWORD, loadVariant, vtyshAvailable, vtyshDryrun } from "./testing";
import { vrrpMac } from "./vrrplinks";
import { renderVyosCommands } from "./vyos";

const halves = (plan: AddressPlan): AddressPlan[] => [plan, plan.secondary as AddressPlan];
const twinIn = (half: AddressPlan, router: PlannedRouter): PlannedRouter => half.routers.find((r) => r.name === router.name) as PlannedRouter;
const ipWord = (half: AddressPlan): string => (half.family === "ipv4" ? "ip" : "ipv6");
const hostBits = (half: AddressPlan): number => (half.family === "ipv4" ? 32 : 128);

/** The peer addresses of one router in one half: its node sessions and fabric sessions. */
function peersIn(half: AddressPlan, router: string): string[] {
    return [
        ...half.nodeSessions.filter((s) => s.router === router).map((s) => s.nodeAddress),
        ...half.routerSessions.filter((s) => s.a === router || s.b === router).map((s) => (s.a === router ? s.bAddress : s.aAddress)),
    ];
}

/** The lines of one `address-family` section of `router bgp`. */
function afSection(lines: string[], afi: string): string[] {
    const start = lines.indexOf(` address-family ${afi} unicast`);
    if (start < 0) return [];
    const end = lines.indexOf(" exit-address-family", start);
    return lines.slice(start + 1, end);
}

/** What a dual router's frr.conf lacks or gets wrong, per half of the plan (empty: both halves rendered). */
export function frrDualProblems(text: string, plan: AddressPlan, router: PlannedRouter): string[] {
    const lines = text.split("\n");
    const out: string[] = [];
    const need = (ok: boolean, what: string): void => { if (!ok) out.push(what); };
    const groupOf = new Map<string, string>();
    for (const l of lines) {
        const m = /^ neighbor (\S+) peer-group (\S+)$/.exec(l);
        if (m) groupOf.set(m[1], m[2]);
    }
    const sections = { ipv4: afSection(lines, "ipv4"), ipv6: afSection(lines, "ipv6") };
    for (const half of halves(plan)) {
        const r = twinIn(half, router);
        const ip = ipWord(half);
        const own = sections[half.family];
        const other = sections[half.family === "ipv4" ? "ipv6" : "ipv4"];
        need(lines.includes(`${ip} forwarding`), `${ip} forwarding`);
        need(lines.includes(` ${ip} address ${r.loopback}/${hostBits(half)}`), `lo ${ip} address ${r.loopback}`);
        for (const a of half.aggregates) {
            need(lines.includes(`${ip} route ${a} blackhole`), `${ip} route ${a} blackhole`);
            need(own.includes(`  network ${a}`), `network ${a} in ${half.family}`);
        }
        need(own.includes(`  network ${r.loopback}/${hostBits(half)}`), `network of loopback ${r.loopback} in ${half.family}`);
        for (const p of peersIn(half, router.name)) {
            const g = groupOf.get(p);
            need(g !== undefined, `neighbor ${p} (${half.family})`);
            if (g === undefined) continue;
            // One session per family, carrying only its family: active in its own address family alone.
            need(own.includes(`  neighbor ${g} activate`), `neighbor ${p}'s group ${g} active in ${half.family}`);
            need(!other.includes(`  neighbor ${g} activate`), `neighbor ${p}'s group ${g} not active in the other family`);
            for (const l of own.filter((x) => x.startsWith(`  neighbor ${g} route-map `))) {
                const map = l.split(" ")[5];
                const match = lines[lines.indexOf(`route-map ${map} permit 10`) + 1] ?? "";
                const list = /^ match (ip|ipv6) address prefix-list (\S+)$/.exec(match);
                if (!list) continue; // a deny-all route-map matches nothing
                need(list[1] === ip, `route-map ${map} matches ${list[1]}, the session is ${half.family}`);
                need(lines.some((x) => x.startsWith(`${ip} prefix-list ${list[2]} `)), `${ip} prefix-list ${list[2]}`);
            }
        }
        for (const g of half.vrrpGroups.filter((x) => x.members.some((m) => m.router === router.name))) {
            need(lines.includes(` vrrp ${g.vrid} ${ip} ${g.address}`), `vrrp ${g.vrid} ${ip} ${g.address}`);
        }
    }
    const groups = lines.filter((l) => / peer-group$/.test(l));
    need(new Set(groups).size === groups.length, "peer-group names distinct");
    const maps = lines.filter((l) => l.startsWith("route-map "));
    need(new Set(maps).size === maps.length, "route-map entries distinct");
    return out;
}

describe("ipFamily dual: routers render both halves", () => {
    it("covers a ToR pair with VRRP and spine-leaf, FRR and VyOS", () => {
        assert.deepEqual(DUAL_VARIANTS, ["dual", "dual-vyos", "dual-v6-sessions", "dual-leaf", "dual-leaf-vyos"]);
    });

    for (const variant of DUAL_VARIANTS) {
        describe(variant, () => {
            const { config, plan } = loadVariant(variant);
            it("the plan has both halves, each with node sessions in the families of bgp.sessionFamilies", () => {
                assert.equal(plan.family, "ipv4");
                assert.equal(plan.secondary?.family, "ipv6");
                for (const half of halves(plan)) assert.equal(half.nodeSessions.length > 0, config.bgp.sessionFamilies.includes(half.family), half.family);
            });
            for (const router of plan.routers) {
                const frr = renderFrrConfig({ config, plan, router: { ...router, flavour: "frr" }, password: TEST_PASSWORD });
                it(`${router.name}: frr.conf has both families' addresses, blackholes, networks and sessions, each in its own address family`, () => {
                    assert.deepEqual(frrDualProblems(frr, plan, router), []);
                });
                it(`${router.name}: FRR's parser accepts it (vtysh --dryrun)`, function () {
                    if (!vtyshAvailable()) {
                        if (process.env.CI) throw new Error("vtysh is not installed but CI is set: install the Debian 'frr' package");
                        this.skip();
                    }
                    const r = vtyshDryrun(frr);
                    assert.ok(r.ok, r.output);
                });
                it(`${router.name}: the container has both addresses on each network, both families' sysctls`, () => {
                    const spec = routerContainerSpec(config, plan, router);
                    const six = twinIn(plan.secondary as AddressPlan, router);
                    assert.deepEqual(spec.networksAdvanced.map((a) => [a.network, a.ipv4Address, a.ipv6Address]),
                        router.interfaces.map((i) => [i.network, i.address, six.interfaces.find((x) => x.network === i.network)?.address]));
                    assert.equal(spec.sysctls["net.ipv4.ip_forward"], "1");
                    assert.equal(spec.sysctls["net.ipv6.conf.all.forwarding"], "1");
                    const families = routerNeighbors(plan, router.name).map((n) => n.family);
                    assert.deepEqual([...new Set(families)].sort(), halves(plan).filter((h) => peersIn(h, router.name).length > 0).map((h) => h.family));
                });
                if (router.flavour === "vyos") {
                    const cmds = renderVyosCommands({ config, plan, router, password: TEST_PASSWORD });
                    it(`${router.name}: VyOS commands pass the definitions and verify rules`, () => {
                        const report = checkCommandsReport(cmds);
                        assert.deepEqual(report.problems, []);
                        assert.deepEqual(report.unchecked.map((u) => u.command), cmds.filter((c) => c.startsWith("set high-availability ")));
                    });
                    it(`${router.name}: VyOS has both halves: loopbacks, blackholes, networks, sessions per address family`, () => {
                        for (const half of halves(plan)) {
                            const r = twinIn(half, router);
                            const afi = `${half.family}-unicast`;
                            assert.ok(cmds.includes(`set interfaces loopback lo address '${r.loopback}/${hostBits(half)}'`), r.loopback);
                            for (const a of half.aggregates) {
                                assert.ok(cmds.includes(`set protocols static ${half.family === "ipv4" ? "route" : "route6"} ${a} blackhole`), a);
                                assert.ok(cmds.includes(`set protocols bgp address-family ${afi} network ${a}`), a);
                            }
                            for (const p of peersIn(half, router.name)) {
                                assert.ok(cmds.includes(`set protocols bgp neighbor ${p} address-family ${afi}`), p);
                                const group = /peer-group '(\S+)'$/.exec(cmds.find((c) => c.startsWith(`set protocols bgp neighbor ${p} peer-group `)) ?? "")?.[1];
                                assert.ok(group && cmds.includes(`set protocols bgp peer-group ${group} address-family ${afi}`), `${p}: ${group}`);
                                const otherAfi = half.family === "ipv4" ? "ipv6-unicast" : "ipv4-unicast";
                                assert.ok(!cmds.some((c) => c.startsWith(`set protocols bgp peer-group ${group} address-family ${otherAfi}`)), `${group} carries one family`);
                            }
                        }
                        assert.ok(cmds.some((c) => /^set policy prefix-list6 \S+-V6 /.test(c)) && cmds.some((c) => /^set policy prefix-list [A-Z-]+ /.test(c)));
                    });
                    it(`${router.name}: VRRP: one keepalived group per family (VyOS refuses a mixed group), the same VRID`, () => {
                        const groups = new Map<string, string[]>();
                        for (const c of cmds) {
                            const m = /^set high-availability vrrp group (\S+) address '([^']+)'$/.exec(c);
                            if (m) groups.set(m[1], [...(groups.get(m[1]) ?? []), m[2]]);
                        }
                        const expected = halves(plan).flatMap((h) => h.vrrpGroups.filter((g) => g.members.some((m) => m.router === router.name)).map((g) => `${g.address}/${hostBits(h)}`));
                        assert.deepEqual([...groups.values()].flat().sort(), expected.sort());
                        for (const [name, addrs] of groups) assert.equal(new Set(addrs.map((a) => a.includes(":"))).size, 1, name);
                    });
                }
            }
            it("each network has both subnets (IPv6 on)", () => {
                for (const n of networkSpecs(config, plan)) {
                    const six = [...(plan.secondary as AddressPlan).nodeSubnets.map((s) => [s.name, s.cidr, s.dockerGateway]),
                        ...(plan.secondary as AddressPlan).linkNets.map((l) => [l.name, l.cidr, l.dockerGateway])].find((x) => x[0] === n.key);
                    assert.ok(six, n.key);
                    assert.equal(n.ipv6, true);
                    assert.deepEqual(n.ipamConfigs[1], { subnet: six[1], gateway: six[2] });
                    assert.ok(!n.ipamConfigs[0].subnet.includes(":"));
                }
            });
        });
    }

    describe("FRR VRRP on the dual ToR pair", () => {
        const { config, plan } = loadVariant("dual");
        it("one VRID with both families in vrrpd, and one macvlan per family with that family's virtual MAC", () => {
            for (const router of plan.routers) {
                const files = routerFiles(config, plan, router, TEST_PASSWORD);
                const script = files.find((f) => f.file.endsWith("cbf-start.sh"))?.content ?? "";
                const daemons = files.find((f) => f.file.endsWith("daemons"))?.content;
                assert.equal(daemons, renderFrrDaemons({ vrrp: true }));
                for (const half of halves(plan)) {
                    const g = half.vrrpGroups[0];
                    const dev = `vrrp${half.family === "ipv4" ? 4 : 6}-nodes-${g.vrid}`;
                    assert.ok(script.includes(`ip link set dev ${dev} address ${vrrpMac(half.family, g.vrid)}`), `${router.name} ${dev}`);
                    assert.ok(script.includes(`${g.address}/${hostBits(half)} dev ${dev}`), `${router.name} ${g.address}`);
                }
                const text = renderFrrConfig({ config, plan, router, password: TEST_PASSWORD });
                assert.equal(text.split("\n").filter((l) => / vrrp \d+ version 3$/.test(l)).length, 1, "one virtual router, both families");
            }
        });
    });

    describe("the check can fail", () => {
        const { config, plan } = loadVariant("dual-leaf");
        const leaf = plan.routers.find((r) => r.name === "leaf1") as PlannedRouter;
        it("a rendering of the IPv4 half alone (the IPv6 half's sessions and networks dropped) is caught", () => {
            const v4only = renderFrrConfig({ config, plan: { ...plan, secondary: undefined }, router: leaf, password: TEST_PASSWORD });
            const problems = frrDualProblems(v4only, plan, leaf);
            assert.ok(problems.some((p) => /^neighbor 2001:db8:/.test(p)), problems.join("\n"));
            assert.ok(problems.some((p) => /^network 2001:db8:ae4::\/48 in ipv6$/.test(p)), problems.join("\n"));
        });
        it("an IPv6 session activated in IPv4 is caught", () => {
            const text = renderFrrConfig({ config, plan, router: leaf, password: TEST_PASSWORD }).replace("  neighbor NODES activate\n", "  neighbor NODES activate\n  neighbor NODES-V6 activate\n");
            assert.ok(frrDualProblems(text, plan, leaf).some((p) => /NODES-V6 not active in the other family/.test(p)));
        });
    });
});

describe("ipFamily dual: RouterFleet (Pulumi mocks)", () => {
    let restore: () => Promise<void> = async () => undefined;
    let recorded: Awaited<ReturnType<typeof recordingMocks>>["recorded"] = [];
    before(async () => { ({ recorded, restore } = await recordingMocks()); });
    after(() => restore());
    it("Docker networks get both subnets and IPv6, containers both addresses", async () => {
        const { config, plan } = loadVariant("dual-leaf");
        const args = routerFleetArgsFromPlan(config, plan, TEST_PASSWORD, "t-dual-leaf");
        assert.equal(args.ipFamily, "dual");
        const fleet = new RouterFleet("fleet-dual", args);
        await Promise.all([...Object.values(fleet.networks), ...Object.values(fleet.containers)].map((r) => valueOf(r.urn)));
        const mine = recorded.filter((r) => typeof r.inputs.name === "string" && r.inputs.name.startsWith("t-dual-leaf-"));
        const nets = mine.filter((r) => r.type === "docker:index/network:Network");
        assert.equal(nets.length, plan.nodeSubnets.length + plan.linkNets.length);
        for (const n of nets) {
            assert.equal(n.inputs.ipv6, true);
            const ipam = n.inputs.ipamConfigs as { subnet: string }[];
            assert.deepEqual(ipam.map((c) => c.subnet.includes(":")), [false, true], n.name);
        }
        const containers = mine.filter((r) => r.type === "docker:index/container:Container");
        assert.equal(containers.length, plan.routers.length);
        for (const c of containers) {
            for (const a of c.inputs.networksAdvanced as { ipv4Address?: string; ipv6Address?: string }[]) assert.ok(a.ipv4Address && a.ipv6Address, c.name);
        }
        const summaries = await valueOf(fleet.routers);
        for (const s of summaries) assert.equal(s.ipv6Loopback, twinIn(plan.secondary as AddressPlan, plan.routers.find((r) => r.name === s.name) as PlannedRouter).loopback);
    });
    it("an IPv6 subnet on a one-family fleet is refused", () => {
        const { config, plan } = loadVariant("dual");
        const args = routerFleetArgsFromPlan(config, plan, TEST_PASSWORD, "t-dual-bad");
        assert.throws(() => new RouterFleet("fleet-dual-bad", { ...args, ipFamily: "ipv4" }), /ipv6Subnet is for ipFamily dual, not ipv4/);
    });
});

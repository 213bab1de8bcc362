import { strict as assert } from "assert";
import * as pulumi from "@pulumi/pulumi";
import { type RecordedResource, recordingMocks, valueOf } from "../../test/support/crd";
import { RouterFleet, routerFleetArgsFromPlan } from "./index";
import { STACK_VARIANTS, loadVariant } from "./testing";

interface Transformed { type: string; name: string; parent?: pulumi.Resource; props: Record<string, unknown> }

// Installed per suite (not at load time): other suites install their own mocks too.
let recorded: RecordedResource[] = [];
let restore: () => Promise<void> = async () => undefined;

const PASSWORD = "Fleet-Pa55word-7f3e";
/** How the mock monitor hands over a secret input: { [specialSigKey]: specialSecretSig, value } (the SDK's wire format). */
const isWrappedSecret = (o: Record<string, unknown>): boolean => o[pulumi.runtime.specialSigKey] === pulumi.runtime.specialSecretSig;

/** The value with every secret-wrapped part removed: what the engine may show in plain text. */
function withoutSecrets(v: unknown): unknown {
    if (Array.isArray(v)) return v.map(withoutSecrets);
    if (typeof v === "object" && v !== null) {
        const o = v as Record<string, unknown>;
        if (isWrappedSecret(o)) return "[secret]";
        return Object.fromEntries(Object.entries(o).map(([k, x]) => [k, withoutSecrets(x)]));
    }
    return v;
}

async function build(variant: string): Promise<{ fleet: RouterFleet; seen: Transformed[]; mine: () => RecordedResource[] }> {
    const { config, plan } = loadVariant(variant, PASSWORD);
    const seen: Transformed[] = [];
    const fleet = new RouterFleet(`fleet-${variant}`, routerFleetArgsFromPlan(config, plan, PASSWORD, `t-${variant}`), {
        transformations: [(a) => { seen.push({ type: a.type, name: a.name, parent: a.opts.parent, props: a.props }); return undefined; }],
    });
    // Every child registered once its URN resolves.
    await Promise.all([...Object.values(fleet.networks), ...Object.values(fleet.containers)].map((r) => valueOf(r.urn)));
    const prefix = `t-${variant}-`;
    const mine = (): RecordedResource[] => recorded.filter((r) => typeof r.inputs.name === "string" && r.inputs.name.startsWith(prefix));
    return { fleet, seen, mine };
}

describe("RouterFleet (Pulumi mocks)", () => {
    before(async () => { ({ recorded, restore } = await recordingMocks()); });
    after(() => restore());
    for (const variant of STACK_VARIANTS) {
        describe(variant, () => {
            const { config, plan } = loadVariant(variant, PASSWORD);
            const ipv6 = plan.family === "ipv6";
            let ctx: Awaited<ReturnType<typeof build>>;
            before(async () => { ctx = await build(variant); });

            it("one bridge network per node subnet and link, with the planned subnet and gateway", () => {
                const nets = ctx.mine().filter((r) => r.type === "docker:index/network:Network");
                const expected = [...plan.nodeSubnets.map((s) => [s.name, s.cidr, s.dockerGateway]), ...plan.linkNets.map((l) => [l.name, l.cidr, l.dockerGateway])];
                assert.equal(nets.length, expected.length);
                for (const [name, cidr, gw] of expected) {
                    const n = nets.find((x) => x.name === `net-${name}`);
                    assert.ok(n, name);
                    assert.equal(n.inputs.name, `t-${variant}-${name}`);
                    assert.equal(n.inputs.driver, "bridge");
                    assert.equal(n.inputs.ipv6, ipv6);
                    assert.equal(n.inputs.internal, false);
                    assert.deepEqual(n.inputs.ipamConfigs, [{ subnet: cidr, gateway: gw }]);
                }
                assert.deepEqual(Object.keys(ctx.fleet.networks).sort(), expected.map((e) => e[0]).sort());
            });

            it("one container per router: image, addresses, uploads, health, restart", () => {
                const cs = ctx.mine().filter((r) => r.type === "docker:index/container:Container");
                assert.equal(cs.length, plan.routers.length);
                for (const r of plan.routers) {
                    const c = cs.find((x) => x.name === `router-${r.name}`);
                    assert.ok(c, r.name);
                    assert.equal(c.inputs.image, r.image);
                    assert.equal(c.inputs.hostname, r.name);
                    assert.equal(c.inputs.restart, "unless-stopped");
                    assert.equal(c.inputs.mustRun, true);
                    assert.deepEqual((c.inputs.capabilities as { adds: string[] }).adds, ["NET_ADMIN", "NET_RAW", "SYS_ADMIN"]);
                    const sysctls = c.inputs.sysctls as Record<string, string>;
                    assert.equal(sysctls["net.ipv6.conf.all.forwarding"], "1");
                    assert.equal(sysctls["net.ipv4.ip_forward"], ipv6 ? undefined : "1");
                    const nets = c.inputs.networksAdvanced as { name: string; ipv4Address?: string; ipv6Address?: string }[];
                    assert.deepEqual(nets.map((n) => [n.name, ipv6 ? n.ipv6Address : n.ipv4Address]),
                        r.interfaces.map((i) => [`t-${variant}-${i.network}`, i.address]));
                    const wrapped = c.inputs.uploads as Record<string, unknown>;
                    assert.equal(wrapped[pulumi.runtime.specialSigKey], pulumi.runtime.specialSecretSig, "uploads arrive as a secret");
                    const uploads = (wrapped.value as { file: string; content: string }[]).map((u) => u.file).sort();
                    assert.deepEqual(uploads, r.flavour === "frr"
                        ? ["/etc/frr/cbf-start.sh", "/etc/frr/daemons", "/etc/frr/frr.conf", "/etc/frr/vtysh.conf"]
                        : ["/opt/vyatta/etc/config/config.boot"]);
                    // FRR boots through its start script (VRRP macvlans, then the image's docker-start); VyOS through systemd.
                    assert.deepEqual(c.inputs.command, r.flavour === "frr" ? ["/bin/sh", "/etc/frr/cbf-start.sh"] : ["/sbin/init"]);
                    assert.equal(sysctls["net.ipv6.conf.all.keep_addr_on_down"], "1");
                    const hc = c.inputs.healthcheck as { tests: string[] };
                    assert.deepEqual(hc.tests, ["CMD", "vtysh", "-c", "show bgp summary"]);
                    if (r.flavour === "vyos") assert.equal(c.inputs.privileged, true);
                }
            });

            it("every child has the fleet as parent", async () => {
                // The component's transformations also see the component itself.
                const children = ctx.seen.filter((s) => s.type !== "cilium-bgp-fabric:routers:RouterFleet");
                assert.equal(children.length, plan.routers.length + plan.nodeSubnets.length + plan.linkNets.length);
                for (const s of children) assert.equal(s.parent, ctx.fleet, `${s.type} ${s.name}`);
                for (const c of Object.values(ctx.fleet.containers)) {
                    assert.match(await valueOf(c.urn), /cilium-bgp-fabric:routers:RouterFleet\$docker:index\/container:Container::router-/);
                }
                for (const n of Object.values(ctx.fleet.networks)) {
                    assert.match(await valueOf(n.urn), /cilium-bgp-fabric:routers:RouterFleet\$docker:index\/network:Network::net-/);
                }
            });

            it("outputs: routers (plain, no password), configs (secret), node network names", async () => {
                const routers = await valueOf(ctx.fleet.routers);
                assert.deepEqual(routers.map((r) => r.name), plan.routers.map((r) => r.name));
                for (const r of routers) {
                    const p = plan.routers.find((x) => x.name === r.name)!;
                    assert.equal(r.routerId, p.routerId);
                    assert.equal(r.loopback, p.loopback);
                    assert.equal(r.asn, p.asn);
                    assert.equal(r.flavour, p.flavour);
                    assert.deepEqual(r.addresses, p.interfaces);
                }
                assert.equal(await pulumi.isSecret(ctx.fleet.routers), false);
                assert.ok(!JSON.stringify(routers).includes(PASSWORD));
                assert.equal(await pulumi.isSecret(ctx.fleet.configs), true);
                const configs = await valueOf(ctx.fleet.configs);
                assert.deepEqual(Object.keys(configs).sort(), plan.routers.map((r) => r.name).sort());
                for (const text of Object.values(configs)) assert.ok(text.includes(PASSWORD));
                assert.deepEqual(await valueOf(ctx.fleet.nodeNetworkNames), plan.nodeSubnets.map((s) => `t-${variant}-${s.name}`));
                assert.equal(config.bgp.authentication, true);
            });

            it("the password is in no plain input the engine received", () => {
                const all = ctx.mine();
                assert.ok(all.length > 0);
                for (const r of all) assert.ok(!JSON.stringify(withoutSecrets(r.inputs)).includes(PASSWORD), `${r.type} ${r.name}`);
                assert.ok(all.some((r) => JSON.stringify(r.inputs).includes(PASSWORD)), "the password does reach the uploads");
            });

            it("the password is only in secret inputs (the uploads), as the program built them", async () => {
                for (const s of ctx.seen) {
                    for (const [key, v] of Object.entries(s.props)) {
                        const o = pulumi.output(v);
                        const secret = await pulumi.isSecret(o);
                        const text = JSON.stringify(await valueOf(o)) ?? "";
                        if (key === "uploads") {
                            assert.equal(secret, true, `${s.name}.uploads must be secret`);
                            assert.ok(text.includes(PASSWORD));
                        } else {
                            assert.ok(!text.includes(PASSWORD), `${s.name}.${key} holds the password`);
                        }
                    }
                }
            });
        });
    }

    it("refuses to build without a password while authentication is on", () => {
        const { config, plan } = loadVariant("ipv6", PASSWORD);
        assert.throws(() => routerFleetArgsFromPlan(config, plan), /bgpPassword/);
    });
});

describe("RouterFleet: Docker's gateway moves out of a router's way (seed 003's router at .254)", () => {
    before(async () => { ({ recorded, restore } = await recordingMocks()); });
    after(() => restore());
    it("the node network is created with the explicit gateway .253 and the router gets .254", async () => {
        const { plan } = loadVariant("ipv4-edge-254", PASSWORD);
        assert.deepEqual(plan.nodeSubnets.map((s) => [s.cidr, s.dockerGateway]), [["10.20.0.0/24", "10.20.0.253"]]);
        const ctx = await build("ipv4-edge-254");
        const net = ctx.mine().find((r) => r.type === "docker:index/network:Network");
        assert.deepEqual(net?.inputs.ipamConfigs, [{ subnet: "10.20.0.0/24", gateway: "10.20.0.253" }]);
        const container = ctx.mine().find((r) => r.type === "docker:index/container:Container");
        const attached = (container?.inputs.networksAdvanced as { ipv4Address?: string }[] | undefined) ?? [];
        assert.deepEqual(attached.map((n) => n.ipv4Address), ["10.20.0.254"]);
    });
});

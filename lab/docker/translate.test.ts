import { strict as assert } from "assert";
import type { RecordedResource } from "../../cli/mock-runtime";
import { runFabricOffline } from "../../cli/offline";
import { readStackConfig } from "../../components/config/stackfile";
import { PROJECT_ROOT } from "../../components/routers/testing";
import {
    CONTAINER_TYPE, LAB_LABEL, NETWORK_TYPE, type TranslateContext,
    durationNs, fileMode, labName, speakerContainer, translateFleet,
} from "./translate";
import { nodeDefaultRoute } from "../../components/cluster/routes";

type Obj = Record<string, unknown>;
interface RecLabel { label: string; value: string }
interface RecAttachment { name: string; ipv4Address?: string; ipv6Address?: string }
interface RecUpload { file: string; content: string; permissions: string }

const LOCAL_IMAGE = "cilium-bgp-fabric/frr:test";
const ctx = (routerImage: TranslateContext["routerImage"] = { kind: "local", image: LOCAL_IMAGE }): TranslateContext => ({
    runPrefix: "cbflab-test", runLabels: { [LAB_LABEL]: "test" }, routerImage,
});

/** Whole seconds as the recorded health check writes them ("10s"), read independently of durationNs. */
const secondsOf = (text: unknown): number => {
    const m = /^(\d+)s$/.exec(String(text));
    assert.ok(m, `test expects whole seconds, got ${String(text)}`);
    return Number(m[1]);
};
const labelsOf = (inputs: Obj): Record<string, string> => Object.fromEntries((inputs.labels as RecLabel[]).map((l) => [l.label, l.value]));

const recordedOf = new Map<string, RecordedResource[]>();
async function recorded(stack: string): Promise<RecordedResource[]> {
    if (!recordedOf.has(stack)) {
        const env = { CBF_BGP_PASSWORD: "Translate-Test-Pa55" };
        const run = await runFabricOffline(stack, readStackConfig(PROJECT_ROOT, stack, env), env);
        recordedOf.set(stack, run.resources.filter((r) => r.type === NETWORK_TYPE || r.type === CONTAINER_TYPE));
    }
    return recordedOf.get(stack) as RecordedResource[];
}

describe("lab/docker translate (recorded RouterFleet inputs -> Docker Engine API)", () => {
    for (const stack of ["dev", "ipv6", "dual"]) {
        describe(stack, () => {
            let rec: RecordedResource[];
            before(async function () {
                this.timeout(60000);
                rec = await recorded(stack);
            });
            const nets = (): RecordedResource[] => rec.filter((r) => r.type === NETWORK_TYPE);
            const boxes = (): RecordedResource[] => rec.filter((r) => r.type === CONTAINER_TYPE);

            it("the stack registers networks and router containers to translate", () => {
                assert.ok(nets().length > 0 && boxes().length > 0);
            });

            it("every network: name, driver, IPv6, internal, IPAM subnet and gateway, labels", () => {
                const fleet = translateFleet(rec, ctx());
                assert.equal(fleet.networks.length, nets().length);
                for (const r of nets()) {
                    const n = fleet.networks.find((x) => x.resource === r.name);
                    assert.ok(n, `no translation of ${r.name}`);
                    const i = r.inputs;
                    assert.equal(n.create.Name, `cbflab-test-${String(i.name)}`);
                    assert.equal(n.create.Driver, i.driver);
                    assert.equal(n.create.EnableIPv6, i.ipv6);
                    assert.equal(n.create.Internal, i.internal);
                    assert.equal(n.create.IPAM?.Driver, "default");
                    assert.deepEqual(n.create.IPAM?.Config, (i.ipamConfigs as { subnet: string; gateway: string }[]).map((c) => ({ Subnet: c.subnet, Gateway: c.gateway })));
                    assert.deepEqual(n.create.Labels, { ...labelsOf(i), [LAB_LABEL]: "test" });
                    assert.equal(n.segment, labelsOf(i)["cilium-bgp-fabric/segment"]);
                }
            });

            it("every router container: image (substituted), hostname, command, capabilities, sysctls, restart, stop grace, labels", () => {
                const fleet = translateFleet(rec, ctx());
                assert.equal(fleet.containers.length, boxes().length);
                for (const r of boxes()) {
                    const c = fleet.containers.find((x) => x.resource === r.name);
                    assert.ok(c, `no translation of ${r.name}`);
                    const i = r.inputs;
                    assert.equal(c.create.name, `cbflab-test-${String(i.name)}`);
                    assert.equal(c.recordedImage, i.image);
                    assert.equal(c.create.Image, LOCAL_IMAGE);
                    assert.equal(c.substituted, i.image !== LOCAL_IMAGE);
                    assert.equal(c.create.Hostname, i.hostname);
                    assert.deepEqual(c.create.Cmd, i.command);
                    assert.equal(c.create.HostConfig?.Privileged, i.privileged);
                    assert.deepEqual(c.create.HostConfig?.CapAdd, (i.capabilities as { adds: string[] }).adds);
                    assert.deepEqual(c.create.HostConfig?.Sysctls, i.sysctls);
                    assert.equal(c.create.HostConfig?.RestartPolicy?.Name, i.restart);
                    assert.equal(c.create.StopTimeout, i.destroyGraceSeconds);
                    assert.deepEqual(c.create.Labels, { ...labelsOf(i), [LAB_LABEL]: "test" });
                    assert.equal(c.router, labelsOf(i)["cilium-bgp-fabric/router"]);
                    assert.equal(c.mustRun, i.mustRun);
                }
            });

            it("the health check: test command, interval, timeout and start period in nanoseconds, retries", () => {
                for (const r of boxes()) {
                    const c = translateFleet(rec, ctx()).containers.find((x) => x.resource === r.name)!;
                    const hc = r.inputs.healthcheck as Obj;
                    assert.deepEqual(c.create.Healthcheck?.Test, hc.tests);
                    assert.equal(c.create.Healthcheck?.Interval, secondsOf(hc.interval) * 1e9);
                    assert.equal(c.create.Healthcheck?.Timeout, secondsOf(hc.timeout) * 1e9);
                    assert.equal(c.create.Healthcheck?.StartPeriod, secondsOf(hc.startPeriod) * 1e9);
                    assert.equal(c.create.Healthcheck?.Retries, hc.retries);
                }
            });

            it("networks and addresses: the first at create time, the others connected before start, in order", () => {
                const fleet = translateFleet(rec, ctx());
                for (const r of boxes()) {
                    const c = fleet.containers.find((x) => x.resource === r.name)!;
                    const want = (r.inputs.networksAdvanced as RecAttachment[]).map((a) => ({
                        network: `cbflab-test-${a.name}`,
                        ipam: { ...(a.ipv4Address ? { IPv4Address: a.ipv4Address } : {}), ...(a.ipv6Address ? { IPv6Address: a.ipv6Address } : {}) },
                    }));
                    assert.equal(c.create.HostConfig?.NetworkMode, want[0].network);
                    assert.deepEqual(Object.keys(c.create.NetworkingConfig?.EndpointsConfig ?? {}), [want[0].network]);
                    assert.deepEqual(c.create.NetworkingConfig?.EndpointsConfig?.[want[0].network].IPAMConfig, want[0].ipam);
                    assert.deepEqual(c.connect.map((x) => ({ network: x.network, ipam: x.endpoint.IPAMConfig })), want.slice(1));
                    // Every network a container joins is one the fleet creates.
                    const created = new Set(fleet.networks.map((n) => n.create.Name));
                    for (const w of want) assert.ok(created.has(w.network), w.network);
                }
            });

            it("uploads become the files put into the container: path, content, mode", () => {
                const fleet = translateFleet(rec, ctx());
                for (const r of boxes()) {
                    const c = fleet.containers.find((x) => x.resource === r.name)!;
                    const ups = r.inputs.uploads as RecUpload[];
                    assert.ok(ups.some((u) => u.file === "/etc/frr/frr.conf"));
                    assert.deepEqual(c.files, ups.map((u) => ({ path: u.file, content: u.content, mode: Number.parseInt(u.permissions, 8) })));
                }
            });

            it("with routerImage 'recorded' the registered image runs unchanged", () => {
                for (const c of translateFleet(rec, ctx({ kind: "recorded" })).containers) {
                    assert.equal(c.create.Image, c.recordedImage);
                    assert.equal(c.substituted, false);
                }
            });

            it("is pure: the recorded inputs are not changed, and the same input gives the same output", () => {
                const before = JSON.stringify(rec);
                const a = translateFleet(rec, ctx());
                const b = translateFleet(rec, ctx());
                assert.deepEqual(a, b);
                assert.equal(JSON.stringify(rec), before);
            });
        });
    }

    it("an input it does not know is an error, not silently dropped", async () => {
        const rec = await recorded("ipv6");
        const box = rec.find((r) => r.type === CONTAINER_TYPE)!;
        const extra: RecordedResource = { ...box, inputs: { ...box.inputs, ports: [{ internal: 179 }] } };
        assert.throws(() => translateFleet([...rec.filter((r) => r.type === NETWORK_TYPE), extra], ctx()), /does not translate input\(s\) ports/);
        const net = rec.find((r) => r.type === NETWORK_TYPE)!;
        assert.throws(() => translateFleet([{ ...net, inputs: { ...net.inputs, attachable: true } }], ctx()), /attachable/);
    });

    it("a container on a network the fleet did not register is an error", async () => {
        const rec = await recorded("dev");
        assert.throws(() => translateFleet(rec.filter((r) => r.type === CONTAINER_TYPE), ctx()), /did not register/);
    });

    it("skipped (VyOS) routers get no container, their networks still exist", async function () {
        this.timeout(60000);
        const env = { CBF_BGP_PASSWORD: "Translate-Test-Pa55" };
        const run = await runFabricOffline("ipv6-vyos", readStackConfig(PROJECT_ROOT, "ipv6-vyos", env), env);
        const vyos = run.plan.routers.map((r) => r.name);
        const fleet = translateFleet(run.resources, ctx(), new Set(vyos));
        assert.deepEqual(fleet.containers, []);
        assert.deepEqual(fleet.skipped.sort(), [...vyos].sort());
        assert.equal(fleet.networks.length, run.resources.filter((r) => r.type === NETWORK_TYPE).length);
        // Unskipped, VyOS's command (/sbin/init) and privileged flag carry over.
        for (const c of translateFleet(run.resources, ctx()).containers) {
            const r = run.resources.find((x) => x.name === c.resource)!;
            assert.deepEqual(c.create.Cmd, r.inputs.command);
            assert.equal(c.create.HostConfig?.Privileged, r.inputs.privileged);
        }
    });

    it("node speakers: on the node network at the node's address, gobgpd.toml, join.ts's default route and sysctls, forwarding", () => {
        const defaultRoute = nodeDefaultRoute("ipv6", ["2001:db8::1", "2001:db8::2"]);
        const node = { name: "worker-2", segment: "nodes", address: "2001:db8::22", prefixLength: 64, defaultRoute, gobgpdConfig: "[global.config]\n", announce: [] };
        const s = speakerContainer(node, ctx(), { image: "cilium-bgp-fabric/speaker:test", network: "cbflab-test-n", family: "ipv6", defaultRoute });
        assert.equal(s.create.name, labName(ctx(), "node-worker-2"));
        assert.equal(s.create.HostConfig?.NetworkMode, "cbflab-test-n");
        assert.deepEqual(s.create.NetworkingConfig?.EndpointsConfig?.["cbflab-test-n"].IPAMConfig, { IPv6Address: node.address });
        assert.deepEqual(s.create.Env, ["CBF_ROUTE=-6 route replace default nexthop via 2001:db8::1 nexthop via 2001:db8::2"]);
        assert.equal(s.create.HostConfig?.Sysctls?.["net.ipv6.fib_multipath_hash_policy"], "1");
        assert.equal(s.create.HostConfig?.Sysctls?.["net.ipv6.conf.all.forwarding"], "1");
        assert.deepEqual(s.files, [{ path: "/etc/gobgpd.toml", content: node.gobgpdConfig, mode: 0o600 }]);
        const v4 = speakerContainer({ ...node, address: "10.0.1.33" }, ctx(), { image: "x", network: "n", family: "ipv4", defaultRoute: undefined });
        assert.deepEqual(v4.create.NetworkingConfig?.EndpointsConfig?.n.IPAMConfig, { IPv4Address: "10.0.1.33" });
        assert.deepEqual(v4.create.Env, ["CBF_ROUTE="]);
    });

    it("dual stack: node networks carry both subnets with IPv6 on; a node speaker gets both addresses and both default routes", async () => {
        const fleet = translateFleet(await recorded("dual"), ctx());
        const nodes = fleet.networks.find((n) => n.segment === "nodes")!;
        assert.equal(nodes.create.EnableIPv6, true);
        assert.deepEqual(nodes.create.IPAM?.Config?.map((c) => (c.Subnet ?? "").includes(":")), [false, true]);
        const v4 = nodeDefaultRoute("ipv4", ["10.0.0.253"]);
        const v6 = nodeDefaultRoute("ipv6", ["2001:db8::fffd"]);
        const node = { name: "cp-1", segment: "nodes", address: "10.0.0.33", prefixLength: 24, defaultRoute: v4,
            secondary: { address: "2001:db8::21", prefixLength: 64, defaultRoute: v6 }, gobgpdConfig: "", announce: [] };
        const s = speakerContainer(node, ctx(), { image: "x", network: "n", family: "ipv4", defaultRoute: v4 });
        assert.deepEqual(s.create.NetworkingConfig?.EndpointsConfig?.n.IPAMConfig, { IPv4Address: "10.0.0.33", IPv6Address: "2001:db8::21" });
        assert.deepEqual(s.create.Env, ["CBF_ROUTE=route replace default via 10.0.0.253", "CBF_ROUTE6=-6 route replace default via 2001:db8::fffd"]);
    });

    it("Go durations and octal permissions", () => {
        assert.equal(durationNs("10s"), 10e9);
        assert.equal(durationNs("1m30s"), 90e9);
        assert.equal(durationNs("250ms"), 250e6);
        assert.equal(durationNs("1h"), 3600e9);
        for (const bad of ["", "10", "s", "10 s", "1d"]) assert.throws(() => durationNs(bad), /not a duration/);
        assert.equal(fileMode("0640"), 0o640);
        assert.equal(fileMode("755"), 0o755);
        assert.equal(fileMode(undefined), 0o644);
        assert.throws(() => fileMode("0980"), /octal/);
    });
});

/**
 * The Docker lab's external client (client.ts) and its router overlay (overlay.ts): the client
 * network is one Docker can create with no host on its gateway, for the shipped stacks and for
 * generated plans; the container, route and announcement are the namespace engine's.
 */
import { strict as assert } from "assert";
import fc from "fast-check";
import { loadStack } from "../../components/config";
import type { RawConfig } from "../../components/config/load";
import { fixtureConfig } from "../../components/plan/fixtures";
import { PROJECT_ROOT } from "../../components/routers/testing";
import { type ClientSpec, clientSpec } from "../dataplane";
import type { LabTopology } from "../engine";
import { loadLabRun } from "../run";
import { buildLabModel } from "../topology";
import {
    clientAnnouncementCommand, clientContainer, clientGateway, clientNetwork, clientNetworkProblems, clientRouteCommand, clientRouterEndpoint,
} from "./client";
import { LAB_LABEL, type TranslateContext, translateFleet } from "./translate";

const ctx: TranslateContext = { runPrefix: "cbflab-t", runLabels: { [LAB_LABEL]: "t" }, routerImage: { kind: "recorded" } };
const env = { CBF_BGP_PASSWORD: "Client-Test-Pa55" };

async function dockerTopology(stack: string): Promise<LabTopology> {
    // As the Docker engine gets it: VyOS routers skipped.
    return buildLabModel(await loadLabRun(PROJECT_ROOT, stack, env)).topology;
}

describe("Docker lab external client", () => {
    describe("shipped stacks", () => {
        let dev: LabTopology;
        let ipv6: LabTopology;
        before(async function () {
            this.timeout(60000);
            // One after the other: the mock runtime is process-wide.
            dev = await dockerTopology("dev");
            ipv6 = await dockerTopology("ipv6");
        });

        it("dev: the client segment beyond both spines, on a network whose gateway no host takes", () => {
            const c = dev.client as ClientSpec;
            assert.equal(c.prefix, "10.255.255.0/24");
            assert.deepEqual(c.routers.map((r) => r.name), ["spine1", "spine2"]);
            assert.deepEqual(clientNetworkProblems(c), []);
            const net = clientNetwork(c, ctx, "ipv4");
            assert.deepEqual(net.IPAM?.Config, [{ Subnet: "10.255.255.0/24", Gateway: "10.255.255.254" }]);
            assert.equal(net.EnableIPv6, false);
            assert.equal((net.Labels ?? {})[LAB_LABEL], "t", "teardown finds it by the run's label");
            assert.match(net.Name as string, /^cbflab-t-/);
        });

        it("ipv6: the client segment beyond both ToRs, IPv6 network, gateway below the all-ones host", () => {
            const c = ipv6.client as ClientSpec;
            assert.deepEqual(c.routers.map((r) => r.name), ["r01", "r02"]);
            assert.deepEqual(clientNetworkProblems(c), []);
            const net = clientNetwork(c, ctx, "ipv6");
            assert.equal(net.EnableIPv6, true);
            assert.match(clientGateway(c), /:ffff:ffff:ffff:fffe$/);
        });

        it("the client container: planned address, a host (no forwarding), neighbour and ECMP settings of the namespace engine", () => {
            const c = ipv6.client as ClientSpec;
            const create = clientContainer(c, ctx, { image: "img", network: "net", family: "ipv6" });
            assert.deepEqual(create.NetworkingConfig?.EndpointsConfig?.net, { IPAMConfig: { IPv6Address: c.address } });
            const s = create.HostConfig?.Sysctls ?? {};
            assert.equal(s["net.ipv6.conf.all.forwarding"], "0");
            assert.equal(s["net.ipv4.ip_forward"], "0");
            assert.equal(s["net.ipv6.neigh.eth0.base_reachable_time_ms"], "1000");
            assert.equal(s["net.ipv6.neigh.eth0.delay_first_probe_time"], "1");
            assert.equal(s["net.ipv6.fib_multipath_hash_policy"], "1");
            assert.equal((create.Labels ?? {})[LAB_LABEL], "t");
            const v4 = clientContainer(dev.client as ClientSpec, ctx, { image: "img", network: "net", family: "ipv4" }).HostConfig?.Sysctls ?? {};
            assert.equal(v4["net.ipv4.neigh.eth0.base_reachable_time_ms"], "1000");
            assert.equal(v4["net.ipv4.fib_multipath_use_neigh"], "1");
        });

        it("the default route spreads over every top-tier router; each router joins at its planned address", () => {
            const c = dev.client as ClientSpec;
            assert.deepEqual(clientRouteCommand(c, "ipv4"), ["ip", "route", "replace", "default", "nexthop", "via", "10.255.255.2", "nexthop", "via", "10.255.255.3"]);
            assert.deepEqual(clientRouteCommand(ipv6.client as ClientSpec, "ipv6").slice(0, 5), ["ip", "-6", "route", "replace", "default"]);
            assert.deepEqual(clientRouterEndpoint("10.255.255.2", "ipv4"), { IPAMConfig: { IPv4Address: "10.255.255.2" } });
        });

        it("the routers announce the segment with the namespace engine's vtysh lines, in their own BGP instance", () => {
            assert.deepEqual(clientAnnouncementCommand(dev.client as ClientSpec, "spine1"),
                ["vtysh", "-c", "configure terminal", "-c", "router bgp 65101", "-c", "address-family ipv4 unicast", "-c", "network 10.255.255.0/24"]);
            const c6 = ipv6.client as ClientSpec;
            assert.deepEqual(clientAnnouncementCommand(c6, "r02").slice(-2), ["-c", `network ${c6.prefix}`]);
            assert.equal(clientAnnouncementCommand(c6, "r02")[6], "address-family ipv6 unicast");
            assert.throws(() => clientAnnouncementCommand(dev.client as ClientSpec, "leaf1"), /not attached/);
        });
    });

    describe("generated plans (fast-check)", () => {
        it("the client network can be made: Docker can allocate its gateway and no client or router address takes it", () => {
            const shapes = fc.record({
                family: fc.constantFrom("ipv4" as const, "ipv6" as const),
                topology: fc.constantFrom("tor" as const, "spine-leaf" as const, "single" as const),
                nodes: fc.integer({ min: 1, max: 12 }),
                routers: fc.integer({ min: 1, max: 6 }),
            });
            let checked = 0;
            fc.assert(fc.property(shapes, (s) => {
                const raw = fixtureConfig(s) as RawConfig & { addressPlan: Record<string, unknown> };
                // The fixtures' pod CIDR fills the aggregate's upper half, where clientSpec looks for the segment.
                raw.addressPlan.podCidr = s.family === "ipv6" ? "2001:db8:4000::/34" : "10.64.0.0/10";
                const { plan } = loadStack("cl", raw, "Client-Test-Pa55");
                const c = clientSpec(plan, plan.routers.map((r) => r.name));
                if (!c) return;
                checked++;
                assert.deepEqual(clientNetworkProblems(c), []);
            }), { numRuns: 100 });
            assert.ok(checked > 50, `only ${checked} of 100 generated plans had a client segment`);
        });
    });

    describe("the checks themselves", () => {
        it("name a router on the gateway address, also one Docker's IPAM only sees as the gateway (same low 64 bits)", () => {
            const c: ClientSpec = { prefix: "10.9.9.0/24", address: "10.9.9.1", prefixLength: 24, routers: [{ name: "r1", address: "10.9.9.254", asn: 65000 }] };
            assert.match(clientNetworkProblems(c).join("\n"), /router r1 \(10\.9\.9\.254\) takes the Docker gateway 10\.9\.9\.254/);
            const wide: ClientSpec = {
                prefix: "2001:db8:0:100::/56", address: "2001:db8:0:100::1", prefixLength: 56,
                routers: [{ name: "r2", address: "2001:db8:0:100:ffff:ffff:ffff:fffe", asn: 65000 }],
            };
            assert.equal(clientGateway(wide), "2001:db8:0:1ff:ffff:ffff:ffff:fffe");
            assert.match(clientNetworkProblems(wide).join("\n"), /router r2 .* takes the Docker gateway/);
            assert.deepEqual(clientNetworkProblems({ ...wide, routers: [] }), []);
        });
    });
});

describe("Docker lab routers hash ECMP by L4 (as the namespace engine's routers)", () => {
    it("every registered dev and ipv6 router container sets fib_multipath_hash_policy=1 itself (components/routers/spec.ts)", async function () {
        this.timeout(60000);
        for (const [stack, keys] of [["dev", ["net.ipv4.fib_multipath_hash_policy", "net.ipv6.fib_multipath_hash_policy"]], ["ipv6", ["net.ipv6.fib_multipath_hash_policy"]]] as const) {
            const run = await loadLabRun(PROJECT_ROOT, stack, env);
            const fleet = translateFleet(run.resources, ctx);
            assert.ok(fleet.containers.length >= 2);
            for (const c of fleet.containers) for (const k of keys) assert.equal(c.create.HostConfig?.Sysctls?.[k], "1", `${stack} ${c.router} ${k}`);
        }
    });
});

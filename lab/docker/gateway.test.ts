/**
 * Docker gives every bridge network a gateway address (the host's end of the bridge). The fleet
 * sets it explicitly to the address the plan reserves for it; these tests prove that, for the
 * shipped stacks (as the program registers them) and for generated plans (as the fleet's
 * networkSpecs builds them), the gateway is the reserved address, no planned router or node
 * address collides with it (as addresses, and as Docker's IPAM indexes them), and Docker's IPAM
 * can allocate it at all.
 */
import { strict as assert } from "assert";
import fc from "fast-check";
import { runFabricOffline } from "../../cli/offline";
import { loadStack } from "../../components/config";
import type { RawConfig } from "../../components/config/load";
import { readStackConfig } from "../../components/config/stackfile";
import { containsAddress, parseAddress, parsePrefix } from "../../components/plan/addr";
import { fixtureConfig } from "../../components/plan/fixtures";
import type { AddressPlan } from "../../components/plan/types";
import { networkSpecs } from "../../components/routers/spec";
import { PROJECT_ROOT } from "../../components/routers/testing";
import { dockerGatewayProblem, dockerOrdinal } from "./ipam";
import { LAB_LABEL, NETWORK_TYPE, translateFleet } from "./translate";

/** A Docker network as the fleet defines it: its plan segment, subnet and gateway. */
interface FleetNetwork { segment: string; subnet: string; gateway: string }

const value = (a: string): bigint => {
    const p = parseAddress(a);
    if (typeof p === "string") throw new Error(`${a} ${p}`);
    return p.value;
};
const inside = (cidr: string, a: string): boolean => {
    const p = parsePrefix(cidr);
    const v = parseAddress(a);
    return typeof p !== "string" && typeof v !== "string" && containsAddress(p, v.family, v.value);
};

/** Every address the plan gives a host: node addresses, router interfaces and loopbacks. */
function plannedHosts(plan: AddressPlan): { who: string; address: string }[] {
    return [
        ...plan.nodes.map((n) => ({ who: `node ${n.name}`, address: n.address })),
        ...plan.routers.flatMap((r) => [
            { who: `router ${r.name} loopback`, address: r.loopback },
            ...r.interfaces.map((i) => ({ who: `router ${r.name} on ${i.network}`, address: i.address })),
        ]),
    ];
}

/** The reserved gateway of a segment, from the plan. */
function reserved(plan: AddressPlan, segment: string): { cidr: string; gateway: string } | undefined {
    const s = plan.nodeSubnets.find((x) => x.name === segment) ?? plan.linkNets.find((x) => x.name === segment);
    return s && { cidr: s.cidr, gateway: s.dockerGateway };
}

/** Is the gateway the plan's, and does no planned host take it (in the plan, or in Docker's IPAM)? */
function gatewayProblems(plan: AddressPlan, nets: FleetNetwork[]): string[] {
    const out: string[] = [];
    const hosts = plannedHosts(plan);
    const segments = [...plan.nodeSubnets.map((s) => s.name), ...plan.linkNets.map((l) => l.name)].sort();
    if (JSON.stringify(nets.map((n) => n.segment).sort()) !== JSON.stringify(segments)) out.push(`networks ${nets.map((n) => n.segment)} != segments ${segments}`);
    for (const n of nets) {
        const r = reserved(plan, n.segment);
        if (!r) { out.push(`${n.segment}: no such segment in the plan`); continue; }
        if (n.subnet !== r.cidr) out.push(`${n.segment}: subnet ${n.subnet}, plan ${r.cidr}`);
        if (value(n.gateway) !== value(r.gateway)) out.push(`${n.segment}: gateway ${n.gateway} is not the reserved ${r.gateway}`);
        if (!inside(n.subnet, n.gateway)) out.push(`${n.segment}: gateway ${n.gateway} outside ${n.subnet}`);
        for (const h of hosts) {
            if (value(h.address) === value(n.gateway)) out.push(`${n.segment}: gateway ${n.gateway} is also ${h.who}`);
            if (inside(n.subnet, h.address) && dockerOrdinal(n.subnet, h.address) === dockerOrdinal(n.subnet, n.gateway)) {
                out.push(`${n.segment}: Docker's IPAM sees ${h.who} (${h.address}) and the gateway ${n.gateway} as one address`);
            }
        }
    }
    return out;
}

function allocationProblems(nets: FleetNetwork[]): string[] {
    return nets.map((n) => dockerGatewayProblem(n.subnet, n.gateway)).filter((p): p is string => p !== undefined).map((p) => `Docker cannot create this network: ${p}`);
}

interface Shape { family: "ipv4" | "ipv6"; topology: "tor" | "spine-leaf" | "single"; nodeIds: number[]; routers: number }

const shapes: fc.Arbitrary<Shape> = fc.record({
    family: fc.constantFrom("ipv4" as const, "ipv6" as const),
    topology: fc.constantFrom("tor" as const, "spine-leaf" as const, "single" as const),
    nodeIds: fc.uniqueArray(fc.integer({ min: 0, max: 250 }), { minLength: 1, maxLength: 20 }),
    routers: fc.integer({ min: 1, max: 6 }),
});

/** A fixture fabric (components/plan/fixtures.ts) with the nodes' ids drawn at random, in random order. */
function rawFor(s: Shape): RawConfig {
    const raw = fixtureConfig({ family: s.family, topology: s.topology, nodes: s.nodeIds.length, routers: s.routers }) as RawConfig & { cluster: { nodes: Record<string, unknown>[] } };
    raw.cluster.nodes = raw.cluster.nodes.map((n, i) => ({ ...n, name: `n${s.nodeIds[i]}` }));
    return raw;
}

const specNetworks = (raw: RawConfig): { plan: AddressPlan; nets: FleetNetwork[] } => {
    const { config, plan } = loadStack("gw", raw, "Gateway-Test-Pa55");
    const nets = networkSpecs(config, plan).map((n) => {
        assert.equal(n.ipamConfigs.length, 1);
        return { segment: n.key, subnet: n.ipamConfigs[0].subnet, gateway: n.ipamConfigs[0].gateway };
    });
    return { plan, nets };
};

describe("Docker network gateways: the plan's reserved address, taken by no planned host", () => {
    for (const stack of ["dev", "ipv6", "ipv6-vyos"]) {
        describe(`stack ${stack} (registered resources)`, () => {
            let plan: AddressPlan;
            let nets: FleetNetwork[];
            before(async function () {
                this.timeout(60000);
                const env = { CBF_BGP_PASSWORD: "Gateway-Test-Pa55" };
                const run = await runFabricOffline(stack, readStackConfig(PROJECT_ROOT, stack, env), env);
                plan = run.plan;
                // What the lab sends to Docker, translated from what the program registered.
                const fleet = translateFleet(run.resources, { runPrefix: "t", runLabels: { [LAB_LABEL]: "t" }, routerImage: { kind: "recorded" } });
                assert.equal(fleet.networks.length, run.resources.filter((r) => r.type === NETWORK_TYPE).length);
                nets = fleet.networks.map((n) => {
                    const cfg = n.create.IPAM?.Config ?? [];
                    assert.equal(cfg.length, 1, `${n.create.Name}: one IPAM config`);
                    return { segment: n.segment, subnet: cfg[0].Subnet as string, gateway: cfg[0].Gateway as string };
                });
            });

            it("every network's gateway is the reserved address and no router or node address collides with it", () => {
                assert.deepEqual(gatewayProblems(plan, nets), []);
            });

            it("Docker's IPAM can allocate every gateway", () => {
                assert.deepEqual(allocationProblems(nets), []);
            });
        });
    }

    describe("generated plans (fast-check, the fleet's networkSpecs)", () => {
        it("every network's gateway is the reserved address and no router or node address collides with it", () => {
            fc.assert(fc.property(shapes, (s) => {
                const { plan, nets } = specNetworks(rawFor(s));
                assert.deepEqual(gatewayProblems(plan, nets), []);
            }), { numRuns: 150 });
        });

        it("Docker's IPAM can allocate every gateway", () => {
            fc.assert(fc.property(shapes, (s) => {
                assert.deepEqual(allocationProblems(specNetworks(rawFor(s)).nets), []);
            }), { numRuns: 150 });
        });
    });

    describe("the checks themselves", () => {
        it("catch a gateway that is a router's address, or not the reserved one", () => {
            const { plan, nets } = specNetworks(rawFor({ family: "ipv4", topology: "tor", nodeIds: [1, 2], routers: 2 }));
            const router = plan.routers[0].interfaces[0];
            const bad = nets.map((n) => (n.segment === router.network ? { ...n, gateway: router.address } : n));
            const problems = gatewayProblems(plan, bad).join("\n");
            assert.match(problems, /is not the reserved/);
            assert.match(problems, /is also router/);
        });

        it("catch Docker's IPAM limits: all-ones IPv6 host of a /64, aliasing low 64 bits, IPv4 broadcast", () => {
            assert.match(dockerGatewayProblem("2001:db8::/64", "2001:db8::ffff:ffff:ffff:ffff") ?? "", /all-ones/);
            assert.equal(dockerGatewayProblem("2001:db8::/64", "2001:db8::ffff:ffff:ffff:fffe"), undefined);
            assert.equal(dockerGatewayProblem("2001:db8::/112", "2001:db8::ffff"), undefined);
            assert.match(dockerGatewayProblem("10.0.0.0/24", "10.0.0.255") ?? "", /broadcast/);
            assert.match(dockerGatewayProblem("10.0.0.0/24", "10.0.1.1") ?? "", /outside/);
            assert.equal(dockerOrdinal("2001:db8::/56", "2001:db8:0:1::5"), dockerOrdinal("2001:db8::/56", "2001:db8:0:2::5"));
        });
    });
});

/**
 * Dual stack (`ipFamily: dual`, seed 001): two one-family plans over the same routers, nodes and
 * ids, joined. The IPv4 half is the plan itself (Kubernetes lists it first: its primary family);
 * the IPv6 half is its `secondary`. Each half is planned exactly as a one-family stack would be,
 * so every one-family rule holds per half; what the halves share is taken from the IPv4 one:
 * the BGP router IDs (32-bit: the IPv4 loopbacks and node addresses, as an IPv4 stack has them).
 */
import { ConfigError, Problems } from "../config/errors";
import type { FabricConfig, IpFamily } from "../config/types";
import { parseAddress } from "./addr";
import type { AddressPlan, NodeSession, PlannedNode } from "./types";

/** A one-family view of the configuration: what the planner works on (one half of a dual stack). */
export type FamilyConfig = Omit<FabricConfig, "ipFamily"> & { ipFamily: IpFamily };
type Planner = (config: FamilyConfig, problems: Problems) => AddressPlan;

/** Keys both halves share (read from `addressPlan`): their problems keep their paths. */
const SHARED_PLAN_KEY = /^addressPlan\.(?!routerIdPool|maxSpines)/;

/** An IPv6-half problem or rule text, with its `addressPlan.` keys renamed to `addressPlan.ipv6.`. */
function inIpv6Half(text: string): string {
    return text.replace(/\baddressPlan\.(?!routerIdPool|maxSpines|ipv6\.)/g, "addressPlan.ipv6.");
}

/**
 * routers[].address and cluster.nodes[].address are one address: it belongs to the half of its
 * family (the other half numbers the router or node by its id). One that does not parse goes to
 * the IPv4 half, which reports it.
 */
function ofFamily<T extends { address?: string }>(items: T[], family: IpFamily): T[] {
    return items.map((x) => {
        if (x.address === undefined) return x;
        const a = parseAddress(x.address);
        if (typeof a === "string" ? family === "ipv4" : a.family === family) return x;
        const rest: T = { ...x };
        delete rest.address;
        return rest;
    });
}

/** The configuration one half is planned from: its family, and the addresses of that family. */
function halfConfig(config: FabricConfig, family: IpFamily, addressPlan: FabricConfig["addressPlan"]): FamilyConfig {
    return {
        ...config, ipFamily: family, addressPlan, routers: ofFamily(config.routers, family),
        cluster: { ...config.cluster, nodes: ofFamily(config.cluster.nodes, family) },
    };
}

export function buildDualPlan(config: FabricConfig, problems: Problems, plan: Planner): AddressPlan {
    const ap = config.addressPlan;
    const v4Problems = new Problems();
    const v6Problems = new Problems();
    const tryPlan = (c: FamilyConfig, p: Problems): AddressPlan | undefined => {
        try { return plan(c, p); } catch (e) { if (e instanceof ConfigError) return undefined; throw e; }
    };
    const v4 = tryPlan(halfConfig(config, "ipv4", ap), v4Problems);
    // The loader names a missing addressPlan.ipv6 too (planStack lists a path once).
    if (ap.ipv6 === undefined) v6Problems.add("addressPlan.ipv6", undefined, "is required with ipFamily dual: the IPv6 half of the plan (aggregate, nodeNetwork, podCidr, ...)");
    const v6 = ap.ipv6 === undefined ? undefined
        : tryPlan(halfConfig(config, "ipv6", ap.ipv6), v6Problems);
    // Problems of keys outside the address plan (names, ASNs, topology) come from both halves: list them once.
    const seen = new Set(v4Problems.list.map((x) => `${x.path}\u0000${x.rule}`));
    for (const x of v4Problems.list) problems.add(x.path, x.value, x.rule);
    for (const x of v6Problems.list) {
        const path = SHARED_PLAN_KEY.test(x.path) && x.path !== "addressPlan.ipv6" ? inIpv6Half(x.path) : x.path;
        const rule = inIpv6Half(x.rule);
        if (path === x.path && seen.has(`${x.path}\u0000${x.rule}`)) continue;
        problems.add(path, x.value, rule);
    }
    checkSharedPools(config, problems);
    problems.throwIfAny();
    if (!v4 || !v6) throw new Error("dual plan: a half failed without a problem"); // unreachable: each failure lists one
    // One router ID per speaker, whichever family a session runs in: the IPv4 half's.
    const routerIds = new Map([...v4.routers, ...v4.nodes].map((x) => [x.name, x.routerId]));
    for (const x of [...v6.routers, ...v6.nodes]) x.routerId = routerIds.get(x.name) ?? x.routerId;
    const secondaryAllocations = v6.allocations
        .filter((a) => a.role !== "router-id-pool")
        .map((a) => ({ ...a, source: a.source === "carved" ? a.source : inIpv6Half(a.source) }));
    v6.allocations = secondaryAllocations;
    return {
        ...v4, ecmp: v4.ecmp || v6.ecmp, allocations: [...v4.allocations, ...secondaryAllocations], secondary: v6,
        primaryFamily: config.cluster.primaryFamily,
    };
}

/** A plan's one-family halves: the plan itself, then its IPv6 half on a dual stack. */
export function planHalves(plan: AddressPlan): AddressPlan[] {
    return plan.secondary ? [plan, plan.secondary] : [plan];
}

/** Kubernetes' primary family: the one it lists first, and a single-stack Service's (cluster.primaryFamily). */
export const primaryFamily = (plan: AddressPlan): IpFamily => plan.primaryFamily ?? plan.family;

/**
 * The halves in Kubernetes' order: the primary family's first. Kubernetes takes the primary family
 * from the order of the lists it is given (kube-apiserver --service-cluster-ip-range, kubelet
 * --node-ip), so every dual-stack list the cluster gets is built from this order.
 */
export function kubernetesHalves(plan: AddressPlan): AddressPlan[] {
    const halves = planHalves(plan);
    return halves[0].family === primaryFamily(plan) ? halves : [...halves].reverse();
}

/** A comma-joined value of every half, primary family first (Kubernetes' dual-stack form: podSubnet, --node-ip, --cluster-cidr). */
export function dualJoined(plan: AddressPlan, pick: (half: AddressPlan) => string): string {
    return kubernetesHalves(plan).map(pick).join(",");
}

/** The node of that name in each half, primary family first (one on a single-family stack). */
export function nodeHalves(plan: AddressPlan, name: string): PlannedNode[] {
    return kubernetesHalves(plan).map((h) => h.nodes.find((n) => n.name === name)).filter((n): n is PlannedNode => n !== undefined);
}

/** Every node session of the stack, both families on a dual stack (IPv4 half first). */
export const allNodeSessions = (plan: AddressPlan): NodeSession[] => planHalves(plan).flatMap((h) => h.nodeSessions);

/** One Cilium pool serves a name in both halves (lbpools/render.ts): the halves must agree on whom it serves. */
export function checkSharedPools(config: FabricConfig, problems: Problems): void {
    const v6 = config.addressPlan.ipv6;
    if (!v6) return;
    v6.lbPools.forEach((pool, i) => {
        const same = config.addressPlan.lbPools.find((x) => x.name === pool.name);
        if (same && JSON.stringify(same.serviceSelector ?? null) !== JSON.stringify(pool.serviceSelector ?? null)) {
            problems.add(`addressPlan.ipv6.lbPools[${i}].serviceSelector`, pool.serviceSelector,
                `differs from addressPlan.lbPools' pool ${pool.name}: both halves are one CiliumLoadBalancerIPPool, which has one serviceSelector`);
        }
    });
}

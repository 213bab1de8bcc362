/**
 * Cilium Helm values computed from the address plan, with the user's values merged last.
 */
import type { FabricConfig } from "../config/types";
import { planHalves } from "../plan/dual";
import type { AddressPlan } from "../plan/types";
import { contains, parsePrefix, formatPrefix, type Prefix } from "../plan/addr";
import { apiServerEndpoint } from "../cluster/names";
import { ciliumApi, lineMinor } from "./api";
import { deepMerge, isPlainObject, type PlainObject } from "./merge";

/** Helm keys removed from the chart: setting them silently does nothing (or breaks templating). */
export const REMOVED_HELM_KEYS: Record<string, { removedIn: number; use: string }> = {
    tunnel: { removedIn: 15, use: "routingMode: native (or tunnelProtocol)" },
};

export const SECRETS_NAMESPACE_DEFAULT = "kube-system";

/**
 * The router-ID pool Cilium 1.18+ allocates node IDs from: the half of plan.routerIdPool above
 * offset 256, never the first 256 addresses, because routers take their IDs from offsets 1-255
 * of the same pool and an allocator handing a node a router's ID would break that session.
 */
export function nodeRouterIdPool(plan: AddressPlan): string {
    const pool = parsePrefix(plan.routerIdPool);
    if (typeof pool === "string" || pool.family !== "ipv4") throw new Error(`routerIdPool ${plan.routerIdPool}: ${String(pool)}`);
    if (pool.length > 23) throw new Error(`routerIdPool ${plan.routerIdPool} is too small to hold a node pool above the 256 router IDs`);
    // The aligned /24 at offset 256 holds 256 node IDs; widen it while nodes outnumber it and it fits.
    let length = 24;
    const needed = plan.nodes.length;
    while ((1 << (32 - length)) < needed && length - 1 > pool.length) length--;
    const size = 1n << BigInt(32 - length);
    const sub: Prefix = { family: "ipv4", base: pool.base + size, length };
    return formatPrefix(sub);
}

/** The aggregate holding the pod CIDR (the plan guarantees every role lies in exactly one). */
export function nativeRoutingCidr(plan: AddressPlan): string {
    const pods = parsePrefix(plan.podCidr) as Prefix;
    return plan.aggregates.find((a) => contains(parsePrefix(a) as Prefix, pods)) ?? plan.aggregate;
}

/** The computed values alone (before the user's values). */
export function baseCiliumValues(config: FabricConfig, plan: AddressPlan): PlainObject {
    const api = ciliumApi(config.cilium.line);
    const v4 = plan.family === "ipv4";
    // One entry per family the stack has (both on a dual stack: its IPv6 half is plan.secondary).
    const halves = planHalves(plan);
    const half = (family: "ipv4" | "ipv6"): AddressPlan | undefined => halves.find((h) => h.family === family);
    const v4Half = half("ipv4");
    const v6Half = half("ipv6");
    const values: PlainObject = {
        ipv4: { enabled: v4Half !== undefined },
        ipv6: { enabled: v6Half !== undefined },
        // Pods are routed by the fabric (BGP announces every node's pod CIDR): no overlay.
        routingMode: "native",
        // Everything inside the aggregate (pods, nodes, LB pools, router loopbacks) is reachable by
        // routing, so none of it needs SNAT; the pod CIDR alone would SNAT pod->LB/loopback traffic.
        // Cilium takes one CIDR per family: with several aggregates, the block that holds the pod CIDR.
        ...(v4Half ? { ipv4NativeRoutingCIDR: nativeRoutingCidr(v4Half) } : {}),
        ...(v6Half ? { ipv6NativeRoutingCIDR: nativeRoutingCidr(v6Half) } : {}),
        // Direct node routes only work when every node shares one L2 segment; across racks the
        // routers carry the pod routes (learned over BGP).
        autoDirectNodeRoutes: plan.nodeSubnets.length === 1,
        // The clusters are created without kube-proxy unless cilium.kubeProxyReplacement is false
        // (components/cluster keeps it then). The chart takes the strings "true"/"false" since 1.16
        // (1.16/1.17 schemas do not declare the key; 1.18+ accept string or boolean).
        kubeProxyReplacement: config.cilium.kubeProxyReplacement ? "true" : "false",
        ipam: {
            mode: "cluster-pool",
            operator: {
                ...(v4Half ? { clusterPoolIPv4PodCIDRList: [v4Half.podCidr], clusterPoolIPv4MaskSize: v4Half.podMaskSize } : {}),
                ...(v6Half ? { clusterPoolIPv6PodCIDRList: [v6Half.podCidr], clusterPoolIPv6MaskSize: v6Half.podMaskSize } : {}),
            },
        },
        bgpControlPlane: {
            enabled: true,
            secretsNamespace: {
                name: config.bgp.secretsNamespace,
                // kube-system always exists; another namespace is created by the chart.
                create: config.bgp.secretsNamespace !== SECRETS_NAMESPACE_DEFAULT,
            },
        },
        // Pod addresses are announced over BGP, so return traffic finds the pod itself; SNAT to
        // the node address would hide pods from the fabric (and IPv6 here is globally routed).
        ...(v4Half ? { enableIPv4Masquerade: false } : {}),
        ...(v6Half ? { enableIPv6Masquerade: false } : {}),
    };
    if (config.gatewayApi.enabled) {
        // Cilium's Gateway API controller (it needs kubeProxyReplacement, set above). The CRDs are
        // applied before the release (components/gateway), so the chart can create the GatewayClass;
        // "true" rather than "auto" makes that explicit.
        values.gatewayAPI = { enabled: true, gatewayClass: { create: "true" } };
        // The controller needs Cilium's NodePort implementation: kube-proxy replacement brings it;
        // with kube-proxy kept, Cilium's docs ask for nodePort.enabled (a switch the 1.19+ chart no
        // longer has: values.yaml of 1.19.6 has nodePort without `enabled`).
        if (!config.cilium.kubeProxyReplacement && lineMinor(config.cilium.line) <= 18) values.nodePort = { enabled: true };
    }
    const endpoint = apiServerEndpoint(config, plan);
    if (endpoint) {
        values.k8sServiceHost = endpoint.host;
        values.k8sServicePort = endpoint.port;
    }
    if (!v4 && api.helmRouterIdAllocation && config.bgp.controlPlane === "v2") {
        // IPv6-only nodes have no IPv4 address to derive a 32-bit router ID from (v2 only: v1
        // peering policies take it from node annotations, components/bgp/v1.ts).
        (values.bgpControlPlane as PlainObject).routerIDAllocation = { mode: "ip-pool", ipPool: nodeRouterIdPool(plan) };
    }
    return values;
}

/** Computed values with config.cilium.values deep-merged last (the user always wins). */
export function computeCiliumValues(config: FabricConfig, plan: AddressPlan): Record<string, unknown> {
    return deepMerge(baseCiliumValues(config, plan), config.cilium.values);
}

/** Problems the chart schema cannot catch (it allows unknown keys); empty when the values are usable. */
export function checkCiliumValues(line: string, values: Record<string, unknown>): string[] {
    const minor = lineMinor(line);
    const problems: string[] = [];
    for (const [key, info] of Object.entries(REMOVED_HELM_KEYS)) {
        if (key in values && minor >= info.removedIn) problems.push(`${key}: removed in Cilium 1.${info.removedIn}; use ${info.use}`);
    }
    const kpr = values.kubeProxyReplacement;
    if (minor >= 16 && kpr !== undefined && !["true", "false", true, false].includes(kpr as string | boolean)) {
        problems.push(`kubeProxyReplacement: ${JSON.stringify(kpr)} is not accepted since Cilium 1.16 (use "true" or "false")`);
    }
    const kprOn = kpr === "true" || kpr === true || kpr === "strict";
    if (kprOn && (typeof values.k8sServiceHost !== "string" || values.k8sServiceHost === "")) {
        problems.push("k8sServiceHost: required with kubeProxyReplacement (nothing else reaches the API server); set cilium.values.k8sServiceHost");
    }
    const bgp = values.bgpControlPlane;
    if (minor < 18 && isPlainObject(bgp) && bgp.routerIDAllocation !== undefined) {
        problems.push("bgpControlPlane.routerIDAllocation: only exists from Cilium 1.18 (use CiliumBGPNodeConfigOverride)");
    }
    if (values.routingMode !== "native") problems.push(`routingMode: ${JSON.stringify(values.routingMode)}; the fabric needs native routing`);
    return problems;
}

/**
 * Cluster's arguments as the renderers' (config, plan) input. The kind/k3d/join renderers take
 * the stack's types; this fills exactly the fields they read (cluster name, provider and
 * Kubernetes version; whether Cilium replaces kube-proxy; family, pod and service CIDRs, nodes and node subnets) from the Args, so
 * the component renders from its Args alone. Checks the enumerations by argument name.
 */
import type { ClusterProvider, FabricConfig, NodeRole } from "../config/types";
import type { AddressPlan, PlannedNode } from "../plan/types";
import { ipFamilyOf, stackFamilyOf } from "../shared/args";
import type { ClusterArgs } from "./args";

const PROVIDERS: ClusterProvider[] = ["kind", "k3d", "existing"];
const ROLES: NodeRole[] = ["control-plane", "worker"];

export function clusterProviderOf(args: Pick<ClusterArgs, "provider">): ClusterProvider {
    const p = args.provider ?? "kind";
    if (!(PROVIDERS as string[]).includes(p)) throw new Error(`provider: "${p}" is not one of kind, k3d, existing`);
    return p as ClusterProvider;
}

export function clusterRenderInput(args: ClusterArgs): { config: FabricConfig; plan: AddressPlan } {
    const provider = clusterProviderOf(args);
    const stackFamily = stackFamilyOf(args.ipFamily, "ipFamily");
    const family = stackFamily === "dual" ? "ipv4" : stackFamily;
    const missing = (["kubernetesVersion", "podCidr", "serviceCidr", "nodes"] as const).filter((k) => args[k] === undefined);
    if (stackFamily === "dual" && args.ipv6 === undefined) missing.push("ipv6" as never);
    if (missing.length > 0) throw new Error(`provider ${provider}: ${missing.join(", ")} required`);
    // gateways: the segment's routers for join scripts that route via several (the plan's node gateways).
    const nodes = (args.nodes ?? []).map((n, i): PlannedNode & { gateways: string[] } => {
        if (!(ROLES as string[]).includes(n.role)) throw new Error(`nodes[${i}].role: "${n.role}" is not control-plane or worker`);
        // asn, podCidr and routerId are BGP's, not the cluster's: the cluster renderers do not read them.
        return {
            name: n.name, id: i + 1, role: n.role as NodeRole, ...(n.rack !== undefined ? { rack: n.rack } : {}),
            ...(n.labels !== undefined ? { labels: { ...n.labels } } : {}),
            asn: 0, address: n.address, prefixLength: n.prefixLength ?? (family === "ipv6" ? 64 : 24), subnet: n.subnet,
            gateway: n.gateway, gateways: [...(n.gateways ?? [n.gateway])], podCidr: "", routerId: "",
        };
    });
    const subnets = [...new Set(nodes.map((n) => n.subnet))];
    // Dual stack: the nodes' IPv6 halves, as the plan's secondary (same names and subnets).
    const secondary = stackFamily === "dual" ? {
        family: "ipv6", podCidr: args.ipv6?.podCidr, serviceCidr: args.ipv6?.serviceCidr,
        nodeSubnets: subnets.map((name) => ({ name })),
        nodes: (args.nodes ?? []).map((n, i) => {
            if (n.ipv6 === undefined) throw new Error(`nodes[${i}].ipv6: required with ipFamily dual (the node's IPv6 address and gateway)`);
            return { ...nodes[i], address: n.ipv6.address, prefixLength: n.ipv6.prefixLength ?? 64, gateway: n.ipv6.gateway, gateways: [...(n.ipv6.gateways ?? [n.ipv6.gateway])] };
        }),
    } : undefined;
    const config = {
        cluster: { name: args.name, provider, kubernetesVersion: args.kubernetesVersion, nodes: [] },
        cilium: { kubeProxyReplacement: args.kubeProxy !== true },
    };
    const primary = args.primaryFamily === undefined ? undefined : ipFamilyOf(args.primaryFamily, "primaryFamily");
    if (primary !== undefined && stackFamily !== "dual" && primary !== family) throw new Error(`primaryFamily: "${primary}" needs ipFamily dual (ipFamily is ${stackFamily})`);
    const plan = {
        family, podCidr: args.podCidr, serviceCidr: args.serviceCidr, nodes,
        nodeSubnets: subnets.map((name) => ({ name })),
        ...(secondary ? { secondary, primaryFamily: primary ?? "ipv4" } : {}),
    };
    return { config: config as unknown as FabricConfig, plan: plan as unknown as AddressPlan };
}

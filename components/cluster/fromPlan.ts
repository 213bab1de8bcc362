/** Cluster's arguments from the stack configuration and its address plan. Pure; the kubeconfig and network names are the caller's. */
import type { FabricConfig } from "../config/types";
import type { AddressPlan } from "../plan/types";
import type { ClusterArgs } from "./args";

export function clusterArgsFromPlan(config: FabricConfig, plan: AddressPlan): ClusterArgs {
    const c = config.cluster;
    const v6 = plan.secondary;
    const v6Node = new Map((v6?.nodes ?? []).map((n) => [n.name, n]));
    return {
        provider: c.provider, name: c.name, kubernetesVersion: c.kubernetesVersion, ipFamily: v6 ? "dual" : plan.family,
        ...(config.cilium.kubeProxyReplacement ? {} : { kubeProxy: true }),
        podCidr: plan.podCidr, serviceCidr: plan.serviceCidr,
        ...(v6 ? { ipv6: { podCidr: v6.podCidr, serviceCidr: v6.serviceCidr }, ...(c.primaryFamily === "ipv6" ? { primaryFamily: "ipv6" } : {}) } : {}),
        nodes: plan.nodes.map((n) => {
            const six = v6Node.get(n.name);
            return {
                name: n.name, role: n.role, address: n.address, prefixLength: n.prefixLength, subnet: n.subnet, gateway: n.gateway,
                gateways: [...n.gateways],
                ...(n.rack !== undefined ? { rack: n.rack } : {}),
                ...(n.labels !== undefined ? { labels: { ...n.labels } } : {}),
                ...(six ? { ipv6: { address: six.address, prefixLength: six.prefixLength, gateway: six.gateway, gateways: [...six.gateways] } } : {}),
            };
        }),
    };
}

/** Cluster's arguments from the stack configuration and its address plan. Pure; the kubeconfig and network names are the caller's. */
import type { FabricConfig } from "../config/types";
import type { AddressPlan } from "../plan/types";
import type { ClusterArgs } from "./args";

export function clusterArgsFromPlan(config: FabricConfig, plan: AddressPlan): ClusterArgs {
    const c = config.cluster;
    return {
        provider: c.provider, name: c.name, kubernetesVersion: c.kubernetesVersion, ipFamily: plan.family,
        ...(config.cilium.kubeProxyReplacement ? {} : { kubeProxy: true }),
        podCidr: plan.podCidr, serviceCidr: plan.serviceCidr,
        nodes: plan.nodes.map((n) => ({
            name: n.name, role: n.role, address: n.address, prefixLength: n.prefixLength, subnet: n.subnet, gateway: n.gateway,
            gateways: [...n.gateways],
            ...(n.rack !== undefined ? { rack: n.rack } : {}),
            ...(n.labels !== undefined ? { labels: { ...n.labels } } : {}),
        })),
    };
}

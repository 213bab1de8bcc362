/** CiliumLoadBalancerIPPool objects (LB IPAM), one per planned pool. */
import type { FabricConfig, LabelSelector } from "../config/types";
import type { AddressPlan } from "../plan/types";
import { ciliumApi, type K8sObject } from "../cilium/api";

export function renderLbPools(config: FabricConfig, plan: AddressPlan): K8sObject[] {
    return renderPools(ciliumApi(config.cilium.line).lbPoolApiVersion, plan.lbPools);
}

export function renderPools(apiVersion: string, pools: { name: string; cidr: string; serviceSelector?: LabelSelector }[]): K8sObject[] {
    return pools.map((pool): K8sObject => {
        const spec: Record<string, unknown> = { blocks: [{ cidr: pool.cidr }] };
        // No selector means the pool serves every LoadBalancer service.
        if (pool.serviceSelector) spec.serviceSelector = pool.serviceSelector;
        // Cluster-scoped kind: no namespace.
        return { apiVersion, kind: "CiliumLoadBalancerIPPool", metadata: { name: pool.name }, spec };
    });
}

/** CiliumLoadBalancerIPPool objects (LB IPAM), one per planned pool. */
import type { FabricConfig, LabelSelector } from "../config/types";
import type { AddressPlan } from "../plan/types";
import { ciliumApi, type K8sObject } from "../cilium/api";

export function renderLbPools(config: FabricConfig, plan: AddressPlan): K8sObject[] {
    return renderPools(ciliumApi(config.cilium.line).lbPoolApiVersion, dualStackPools(plan));
}

/** A pool as CiliumLoadBalancerIPPool holds it: its block, and on a dual stack maybe its IPv6 block too. */
export interface PoolBlocks { name: string; cidr: string; ipv6Cidr?: string; serviceSelector?: LabelSelector }

/**
 * The plan's pools, a dual stack's halves joined by name: one Cilium pool serves both families
 * (a dual-stack Service takes one address of each from it). Order: the IPv4 half's, then pools
 * only the IPv6 half has. The halves agree on a shared pool's selector (plan/dual.ts).
 */
export function dualStackPools(plan: AddressPlan): PoolBlocks[] {
    const out: PoolBlocks[] = plan.lbPools.map((p) => ({ ...p }));
    for (const p of plan.secondary?.lbPools ?? []) {
        const same = out.find((o) => o.name === p.name);
        if (same) same.ipv6Cidr = p.cidr;
        else out.push({ ...p });
    }
    return out;
}

export function renderPools(apiVersion: string, pools: PoolBlocks[]): K8sObject[] {
    return pools.map((pool): K8sObject => {
        const spec: Record<string, unknown> = { blocks: [{ cidr: pool.cidr }, ...(pool.ipv6Cidr ? [{ cidr: pool.ipv6Cidr }] : [])] };
        // No selector means the pool serves every LoadBalancer service.
        if (pool.serviceSelector) spec.serviceSelector = pool.serviceSelector;
        // Cluster-scoped kind: no namespace.
        return { apiVersion, kind: "CiliumLoadBalancerIPPool", metadata: { name: pool.name }, spec };
    });
}

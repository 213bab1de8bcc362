/** LoadBalancerPools' arguments from the stack configuration and its address plan. Pure. */
import type { FabricConfig } from "../config/types";
import type { AddressPlan } from "../plan/types";
import type { LoadBalancerPoolsArgs } from "./component";

export function loadBalancerPoolsArgsFromPlan(config: FabricConfig, plan: AddressPlan): LoadBalancerPoolsArgs {
    return {
        ciliumVersion: config.cilium.version,
        pools: plan.lbPools.map((p) => ({ name: p.name, cidr: p.cidr, ...(p.serviceSelector ? { serviceSelector: p.serviceSelector } : {}) })),
    };
}

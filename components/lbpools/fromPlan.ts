/** LoadBalancerPools' arguments from the stack configuration and its address plan. Pure. */
import type { FabricConfig } from "../config/types";
import type { AddressPlan } from "../plan/types";
import type { LoadBalancerPoolsArgs } from "./component";
import { dualStackPools } from "./render";

export function loadBalancerPoolsArgsFromPlan(config: FabricConfig, plan: AddressPlan): LoadBalancerPoolsArgs {
    return {
        ciliumVersion: config.cilium.version,
        pools: dualStackPools(plan).map((p) => ({
            name: p.name, cidr: p.cidr, ...(p.ipv6Cidr ? { ipv6Cidr: p.ipv6Cidr } : {}), ...(p.serviceSelector ? { serviceSelector: p.serviceSelector } : {}),
        })),
    };
}

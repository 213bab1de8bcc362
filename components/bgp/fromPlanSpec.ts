/** The renderers' BGP data for a stack: its CiliumBgp arguments, resolved (one path for program and tests). */
import type { FabricConfig } from "../config/types";
import type { AddressPlan } from "../plan/types";
import { resolveBgpSpec } from "./args";
import { ciliumBgpArgsFromPlan } from "./fromPlan";
import type { BgpSpec } from "./spec";

export function bgpSpecFromPlan(config: FabricConfig, plan: AddressPlan): BgpSpec {
    return resolveBgpSpec(ciliumBgpArgsFromPlan(config, plan), config.bgp.authentication);
}

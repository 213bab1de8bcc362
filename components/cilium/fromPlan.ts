/** CiliumRelease's arguments from the stack configuration and its address plan. Pure. */
import type { FabricConfig } from "../config/types";
import type { AddressPlan } from "../plan/types";
import type { CiliumReleaseArgs } from "./release";
import { computeCiliumValues } from "./values";

export function ciliumReleaseArgsFromPlan(config: FabricConfig, plan: AddressPlan): CiliumReleaseArgs {
    return { version: config.cilium.version, values: computeCiliumValues(config, plan) };
}

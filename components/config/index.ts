/**
 * One entry point from raw configuration to the validated model and its address plan.
 */
import { Problems } from "./errors";
import { CONFIG_KEYS, type RawConfig, checkBgpPassword, readFabricConfig } from "./load";
import { planStack } from "../plan/build";
import { lbRequests } from "../lbpools/requests";
import { routeNamespaceLabels, routesToSmoke } from "../gateway/render";
import { PROJECT, type StackFileConfig } from "./stackfile";
import type { AddressPlan } from "../plan/types";
import type { FabricConfig } from "./types";

export { ConfigError, formatProblem } from "./errors";
export type { ConfigProblem } from "./errors";
export * from "./types";

export interface LoadedStack {
    config: FabricConfig;
    plan: AddressPlan;
}

/**
 * Validates everything and plans, or throws one ConfigError listing every problem.
 * `password` is the plain BGP password (checked, never stored in the result).
 */
export function loadStack(stack: string, raw: RawConfig, password: string | undefined): LoadedStack {
    const problems = new Problems();
    const config = readFabricConfig(stack, raw, problems);
    checkBgpPassword(problems, password, config.bgp.authentication);
    const plan = planStack(config, problems);
    // Requested LoadBalancer addresses need the planned pools (they may be carved).
    lbRequests(config, plan, problems);
    if (routesToSmoke(config)) {
        routeNamespaceLabels(config, config.smoke.namespace, problems);
    }
    problems.throwIfAny();
    return { config, plan };
}

/** Raw configuration of a stack file (see readStackConfig). */
export function rawConfigOfStack(sc: StackFileConfig): RawConfig {
    return rawConfigFrom((k) => sc.values[`${PROJECT}:${k}`]);
}

/** Raw configuration from a key lookup (pulumi.Config or a stack file), objects parsed from JSON. */
export function rawConfigFrom(get: (key: string) => string | undefined): RawConfig {
    const raw: RawConfig = {};
    for (const key of CONFIG_KEYS) {
        const text = get(key);
        if (text === undefined) continue;
        try {
            raw[key] = JSON.parse(text);
        } catch {
            raw[key] = text; // plain strings (ipFamily: ipv6) are not JSON
        }
    }
    return raw;
}

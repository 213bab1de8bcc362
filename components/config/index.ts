/**
 * One entry point from raw configuration to the validated model and its address plan.
 */
import { Problems } from "./errors";
import { CONFIG_KEYS, type RawConfig, checkBgpPassword, readFabricConfig } from "./load";
import { planStack } from "../plan/build";
import { checkBgpChoices } from "../bgp/checks";
import { checkCiliumValues, computeCiliumValues } from "../cilium/values";
import { lbRequests } from "../lbpools/requests";
import { routeNamespaceLabels, routesToSmoke } from "../gateway/render";
import { PROJECT, type StackFileConfig } from "./stackfile";
import { SECRET_KEY_NAMES, looksSecret } from "./suggest";
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
    checkBgpChoices(config, plan, problems);
    // Requested LoadBalancer addresses need the planned pools (they may be carved).
    lbRequests(config, plan, problems);
    if (routesToSmoke(config)) {
        routeNamespaceLabels(config, config.smoke.namespace, problems);
    }
    checkHelmValues(config, plan, problems);
    problems.throwIfAny();
    return { config, plan };
}

/**
 * The Helm values the chart would refuse or silently ignore (components/cilium/values.ts knows the
 * rules) are configuration problems too: named by their key under cilium.values, before any
 * resource exists, never a crash of the Cilium component.
 */
function checkHelmValues(config: FabricConfig, plan: AddressPlan, problems: Problems): void {
    if (!config.cilium.line) return; // cilium.version is reported already
    let values: Record<string, unknown>;
    try {
        values = computeCiliumValues(config, plan);
    } catch (e) {
        // The plan's checks keep the computed values buildable; should one slip, it is still a config problem.
        problems.add("cilium.values", undefined, `cannot be computed for this plan: ${(e as Error).message}`);
        return;
    }
    for (const text of checkCiliumValues(config.cilium.line, values)) {
        const colon = text.indexOf(": ");
        const key = colon > 0 ? text.slice(0, colon) : "";
        const value = key.split(".").reduce<unknown>((v, k) => (typeof v === "object" && v !== null ? (v as Record<string, unknown>)[k] : undefined), values);
        problems.add(key ? `cilium.values.${key}` : "cilium.values", value, colon > 0 ? text.slice(colon + 2) : text);
    }
}

/** Raw configuration of a stack file (see readStackConfig); unknown project keys included (the loader names them). */
export function rawConfigOfStack(sc: StackFileConfig): RawConfig {
    return rawConfigFrom((k) => sc.values[`${PROJECT}:${k}`], Object.keys(sc.values));
}

/**
 * Raw configuration from a key lookup (pulumi.Config or a stack file), objects parsed from JSON.
 * `allKeys` are every configuration key the stack has (namespaced, as `pulumi.runtime.allConfig()`
 * lists them): the project's keys among them that the program does not read are passed on, so that
 * the loader reports each (with the nearest known key); other namespaces are left alone.
 */
export function rawConfigFrom(get: (key: string) => string | undefined, allKeys: Iterable<string> = []): RawConfig {
    const raw: RawConfig = {};
    const known: readonly string[] = [...CONFIG_KEYS, ...SECRET_KEY_NAMES];
    const extra = new Set([...allKeys]
        .filter((k) => k.startsWith(`${PROJECT}:`))
        .map((k) => k.slice(PROJECT.length + 1))
        .filter((k) => !known.includes(k)));
    for (const key of [...CONFIG_KEYS, ...extra]) {
        const text = get(key);
        if (text === undefined) continue;
        // A misspelt secret key is reported like any unknown key, but its value is never carried into the message.
        if (extra.has(key) && looksSecret(key, known)) { raw[key] = "[secret]"; continue; }
        try {
            raw[key] = JSON.parse(text);
        } catch {
            raw[key] = text; // plain strings (ipFamily: ipv6) are not JSON
        }
    }
    return raw;
}

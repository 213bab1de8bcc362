/**
 * The pack's configuration. Pulumi has no pack-wide settings: each policy declares its own
 * configSchema and reads its own entry of the `--policy-pack-config` file, e.g.
 *   { "all": "mandatory",
 *     "lb-pools-within-plan": { "aggregates": ["2001:db8:ae3::/48"] },
 *     "bgp-asns-private": { "allowedPublicAsns": [64496] },
 *     "ipv6-only-no-ipv4": { "ipFamily": "ipv6" },
 *     "bgp-keepalive-third-of-hold": "mandatory" }
 * Enforcement levels use the standard per-policy key (`"<policy>": "<level>"` or
 * `{ "enforcementLevel": ... }`), which needs no schema.
 */
import type { EnforcementLevel, PolicyConfigSchema } from "@pulumi/policy";
import type { IpFamily } from "../components/config/types";

/** The pack's default level; individual policies override it (the advisory keepalive rule). */
export const packEnforcementLevel: EnforcementLevel = "mandatory";

export const aggregatesSchema: PolicyConfigSchema = {
    properties: {
        aggregates: {
            type: "array",
            items: { type: "string" },
            description: "Aggregate prefix(es) every LB pool block must lie in (the address plan's aggregate). When unset, the aggregate the program publishes in its outputs is used; without either, only overlaps are checked.",
        },
    },
};

export const allowedPublicAsnsSchema: PolicyConfigSchema = {
    properties: {
        allowedPublicAsns: {
            type: "array",
            items: { type: "integer", minimum: 1, maximum: 4294967294 },
            default: [],
            description: "Public ASNs the operator owns and may use (the stack's asn.allowPublic).",
        },
    },
};

export const ipFamilySchema: PolicyConfigSchema = {
    properties: {
        ipFamily: {
            type: "string",
            enum: ["ipv4", "ipv6"],
            description: "The stack's IP family; ipv6 means IPv6-only. When unset it is read from the program's outputs, Cilium's Helm values (ipv6 on, ipv4 off) or the Docker networks.",
        },
    },
};

/** What the policies need of their validation args (both resource and stack args fit). */
export interface ConfigSource {
    getConfig<T extends object>(): T;
}

export interface PackSettings {
    aggregates: string[];
    allowedPublicAsns: number[];
    ipFamily?: IpFamily;
}

/** Reads the settings from a policy's own config, ignoring values of the wrong type. */
export function readSettings(args: ConfigSource): PackSettings {
    const c = args.getConfig<Record<string, unknown>>();
    const aggregates = Array.isArray(c.aggregates) ? c.aggregates.filter((a): a is string => typeof a === "string") : [];
    const allowedPublicAsns = Array.isArray(c.allowedPublicAsns) ? c.allowedPublicAsns.filter((a): a is number => typeof a === "number" && Number.isInteger(a)) : [];
    const ipFamily = c.ipFamily === "ipv4" || c.ipFamily === "ipv6" ? c.ipFamily : undefined;
    return { aggregates, allowedPublicAsns, ipFamily };
}

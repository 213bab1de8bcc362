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
import type { StackFamily } from "../components/config/types";

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
            enum: ["ipv4", "ipv6", "dual"],
            description: "The stack's IP family; ipv6 means IPv6-only, dual both families. When unset it is read from the program's outputs, Cilium's Helm values (ipv6 on, ipv4 off) or the Docker networks.",
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
    ipFamily?: StackFamily;
}

/** Reads the settings from a policy's own config, ignoring values of the wrong type. */
export function readSettings(args: ConfigSource): PackSettings {
    const c = args.getConfig<Record<string, unknown>>();
    const aggregates = Array.isArray(c.aggregates) ? c.aggregates.filter((a): a is string => typeof a === "string") : [];
    const allowedPublicAsns = Array.isArray(c.allowedPublicAsns) ? c.allowedPublicAsns.filter((a): a is number => typeof a === "number" && Number.isInteger(a)) : [];
    const ipFamily = c.ipFamily === "ipv4" || c.ipFamily === "ipv6" || c.ipFamily === "dual" ? c.ipFamily : undefined;
    return { aggregates, allowedPublicAsns, ipFamily };
}

/** The `--policy-pack-config` file's content: per-policy level or settings, and "all". */
export type PackConfig = Record<string, EnforcementLevel | ({ enforcementLevel?: EnforcementLevel } & Record<string, unknown>)>;

/** Which policies read each setting (their configSchema). */
export const SETTING_POLICIES = {
    aggregates: ["lb-pools-within-plan"],
    allowedPublicAsns: ["bgp-asns-private"],
    ipFamily: ["ipv6-only-no-ipv4", "bgp-router-ids", "lb-requested-addresses-in-pools"],
} as const;

/**
 * The pack config a reviewer passes with `--policy-pack-config` for a stack with these settings
 * (`addressPlan.aggregate`, `asn.allowPublic`, `ipFamily`): what `npm run plan` hands the pack.
 */
export function packConfigFor(settings: { aggregates: string[]; allowedPublicAsns: number[]; ipFamily: StackFamily }): PackConfig {
    const out: PackConfig = {};
    const put = (policies: readonly string[], key: string, value: unknown): void => {
        for (const p of policies) out[p] = { ...(out[p] as Record<string, unknown> | undefined), [key]: value };
    };
    put(SETTING_POLICIES.aggregates, "aggregates", [...settings.aggregates]);
    put(SETTING_POLICIES.allowedPublicAsns, "allowedPublicAsns", [...settings.allowedPublicAsns]);
    put(SETTING_POLICIES.ipFamily, "ipFamily", settings.ipFamily);
    return out;
}

/**
 * `over` laid over `base` as one pack config: a level given as a string sets the policy's level and
 * keeps its settings; settings merge key by key, `over`'s winning.
 */
export function mergePackConfig(base: PackConfig, over: PackConfig): PackConfig {
    const out: PackConfig = { ...base };
    for (const [k, v] of Object.entries(over)) {
        const b = out[k];
        if (b === undefined) out[k] = v;
        else if (typeof v === "string") out[k] = typeof b === "string" ? v : { ...b, enforcementLevel: v };
        else out[k] = typeof b === "string" ? { enforcementLevel: b, ...v } : { ...b, ...v };
    }
    return out;
}

const LEVELS = ["advisory", "mandatory", "remediate", "disabled"];

/**
 * A `--policy-pack-config` file's content checked the way the CLI would take it: an object whose
 * entries are a level or an object (with an optional valid `enforcementLevel`). Returns the
 * problems, each naming the key.
 */
export function packConfigProblems(v: unknown, known: readonly string[]): string[] {
    if (typeof v !== "object" || v === null || Array.isArray(v)) return ["the file must hold a JSON object (policy name -> level or settings)"];
    const out: string[] = [];
    for (const [k, e] of Object.entries(v as Record<string, unknown>)) {
        if (k !== "all" && !known.includes(k)) out.push(`${k}: not a policy of this pack (policies: ${known.join(", ")})`);
        if (typeof e === "string") { if (!LEVELS.includes(e)) out.push(`${k} = ${JSON.stringify(e)}: not an enforcement level (${LEVELS.join(", ")})`); continue; }
        if (typeof e !== "object" || e === null || Array.isArray(e)) { out.push(`${k}: must be an enforcement level or an object of settings`); continue; }
        const level = (e as Record<string, unknown>).enforcementLevel;
        if (level !== undefined && (typeof level !== "string" || !LEVELS.includes(level))) out.push(`${k}.enforcementLevel = ${JSON.stringify(level)}: not an enforcement level (${LEVELS.join(", ")})`);
    }
    return out;
}

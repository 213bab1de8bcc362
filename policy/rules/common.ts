/** Helpers shared by the rules: facts from stack args, messages that name the resource. */
import type { ReportViolation, StackValidationArgs } from "@pulumi/policy";
import type { StackFamily } from "../../components/config/types";
import { extractFacts, label, type Facts, type Ref } from "../facts";
import { readSettings, type PackSettings } from "../config";
import { formatPrefix } from "../../components/plan/addr";
import { prefix } from "../util";

/**
 * Facts by resource list, then by the ipFamily setting (the only setting extractFacts reads).
 * runPolicies hands every stack policy of a run the same list, so the model is built once per
 * run; the Pulumi CLI builds a list per policy, which then simply misses. Frozen: rules only read.
 */
const factsCache = new WeakMap<object, Map<StackFamily | undefined, Facts>>();

export function stackFacts(args: StackValidationArgs): { facts: Facts; settings: PackSettings } {
    const settings = readSettings(args);
    let byFamily = factsCache.get(args.resources);
    if (!byFamily) {
        byFamily = new Map();
        factsCache.set(args.resources, byFamily);
    }
    let facts = byFamily.get(settings.ipFamily);
    if (!facts) {
        facts = deepFreeze(extractFacts(args.resources, settings.ipFamily));
        byFamily.set(settings.ipFamily, facts);
    }
    return { facts, settings };
}

/** Freezes objects and arrays all the way down (Maps are walked, not frozen: freezing does not stop set). */
function deepFreeze<T>(v: T, seen = new Set<unknown>()): T {
    if (v === null || typeof v !== "object" || seen.has(v)) return v;
    seen.add(v);
    if (v instanceof Map) {
        for (const x of v.values()) deepFreeze(x, seen);
        return v;
    }
    for (const x of Object.values(v)) deepFreeze(x, seen);
    return Object.freeze(v);
}

/** Reports against one resource: the message starts with its kind and name. */
export function reportOn(report: ReportViolation, ref: Ref, message: string): void {
    report(`${label(ref)}: ${message}`, ref.urn);
}

/** "10.0.0.0/8" normalised, or the text as written when it does not parse. */
export function showPrefix(text: string): string {
    const p = prefix(text);
    return p ? formatPrefix(p) : text;
}

export { isPrivateAsn, isValidAsn } from "../../components/plan/asn";

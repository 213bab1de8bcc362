/**
 * In-process runner: applies the pack's policies to a list of resources the way the Pulumi CLI
 * does (per-policy enforcement levels from the pack config, "all", disabled policies skipped,
 * unknown values and not-applicable handled), without the CLI or its gRPC analyzer protocol.
 * Used by the tests and by the project's offline plan.
 */
import {
    Secret, unknownCheckingProxy, UnknownValueError,
    type EnforcementLevel, type PolicyResource as SdkPolicyResource, type PolicyResourceOptions, type ReportViolation,
    type ResourceValidationArgs, type ResourceValidationPolicy, type StackValidationArgs, type StackValidationPolicy,
} from "@pulumi/policy";
import type { PackConfig } from "./config";
import { packEnforcementLevel, policies as packPolicies } from "./rules";

/** A resource as the runner takes it: inputs (or outputs, for components) as plain data. */
export interface PolicyResource {
    type: string;
    name: string;
    urn: string;
    /** May hold @pulumi/policy `Secret` wrappers; they are unwrapped as the CLI does. */
    props: Record<string, unknown>;
    /** URN of the parent resource. */
    parent?: string;
}

export type ViolationLevel = "advisory" | "mandatory" | "disabled";

export interface Violation {
    policyName: string;
    enforcementLevel: ViolationLevel;
    /** Name of the resource reported on, its URN when the name is unknown, or "stack". */
    resource: string;
    urn?: string;
    message: string;
}

export type { PackConfig };

export interface RunResult {
    /** Policies that ran (not disabled), in pack order. */
    policies: string[];
    violations: Violation[];
}

type AnyPolicy = ResourceValidationPolicy | StackValidationPolicy;

class NotApplicableError extends Error {}
const notApplicable = (reason?: string): never => { throw new NotApplicableError(reason ?? "not applicable"); };

function levelOf(p: AnyPolicy, config: PackConfig): EnforcementLevel {
    const own = config[p.name];
    const all = config["all"];
    const fromEntry = (e: PackConfig[string] | undefined): EnforcementLevel | undefined => (typeof e === "string" ? e : e?.enforcementLevel);
    return fromEntry(own) ?? fromEntry(all) ?? p.enforcementLevel ?? packEnforcementLevel;
}

/** The policy's settings with its schema's defaults, as the CLI hands them to getConfig(). */
function configOf(p: AnyPolicy, config: PackConfig): Record<string, unknown> {
    const out: Record<string, unknown> = {};
    for (const [k, schema] of Object.entries(p.configSchema?.properties ?? {})) if (schema.default !== undefined) out[k] = schema.default;
    const own = config[p.name];
    if (own !== undefined && typeof own !== "string") {
        for (const [k, v] of Object.entries(own)) if (k !== "enforcementLevel") out[k] = v;
    }
    return out;
}

function unwrapSecrets(v: unknown): unknown {
    if (v instanceof Secret) return unwrapSecrets(v.value);
    if (Array.isArray(v)) return v.map(unwrapSecrets);
    if (v !== null && typeof v === "object") return Object.fromEntries(Object.entries(v).map(([k, x]) => [k, unwrapSecrets(x)]));
    return v;
}

const isThenable = (v: unknown): boolean => v !== null && typeof v === "object" && typeof (v as { then?: unknown }).then === "function";

type ResourceClass = { __pulumiType?: unknown; isInstance?: (o: unknown) => boolean };
function isTypeOf(type: string, resourceClass: unknown): boolean {
    const c = resourceClass as ResourceClass;
    if (typeof c.__pulumiType === "string" && c.__pulumiType !== "") return c.__pulumiType === type;
    return typeof c.isInstance === "function" && c.isInstance({ __pulumiType: type }) === true;
}

const options = (parent?: string): PolicyResourceOptions => ({
    protect: false, ignoreChanges: [], aliases: [], additionalSecretOutputs: [],
    customTimeouts: { createSeconds: 0, updateSeconds: 0, deleteSeconds: 0 }, ...(parent ? { parent } : {}),
});

const stackTags: ReadonlyMap<string, string> = new Map();

export function runPolicies(resources: readonly PolicyResource[], packConfig: PackConfig = {}, policies: readonly AnyPolicy[] = packPolicies): RunResult {
    const ran: string[] = [];
    const violations: Violation[] = [];
    const prepared = resources.map((r) => ({ ...r, props: unknownCheckingProxy(unwrapSecrets(r.props) as Record<string, unknown>) as Record<string, unknown> }));
    const nameOf = new Map(resources.map((r) => [r.urn, r.name]));
    // The resource list stack policies see, built once: every stack policy gets the same (frozen)
    // array, which also lets rules/common.ts stackFacts build the fact model once per run.
    const sdkResources: SdkPolicyResource[] = prepared.map((r) => ({
        type: r.type, name: r.name, urn: r.urn, props: r.props, opts: options(r.parent), dependencies: [], propertyDependencies: {},
        isType: (cls: unknown) => isTypeOf(r.type, cls),
        asType: ((cls: unknown) => (isTypeOf(r.type, cls) ? r.props : undefined)) as SdkPolicyResource["asType"],
    }));
    const byUrn = new Map(sdkResources.map((r) => [r.urn, r]));
    prepared.forEach((r, i) => {
        if (r.parent && byUrn.has(r.parent)) sdkResources[i].parent = byUrn.get(r.parent);
    });
    Object.freeze(sdkResources);

    for (const p of policies) {
        const configured = levelOf(p, packConfig);
        if (configured === "disabled") continue;
        // Remediation is not run here; like the CLI, a remediate-level violation counts as mandatory.
        const level: ViolationLevel = configured === "remediate" ? "mandatory" : configured;
        ran.push(p.name);
        const config = configOf(p, packConfig);
        const getConfig = <T extends object>(): T => ({ ...config }) as T;
        const collect = (fallback?: string): ReportViolation => (message: string, urn?: string) => {
            const u = urn ?? fallback;
            violations.push({ policyName: p.name, enforcementLevel: level, resource: u === undefined ? "stack" : (nameOf.get(u) ?? u), ...(u ? { urn: u } : {}), message });
        };
        const guard = (run: () => unknown): void => {
            try {
                if (isThenable(run())) throw new Error(`policy ${p.name} returned a promise; runPolicies runs synchronous policies only`);
            } catch (e) {
                if (e instanceof NotApplicableError) return;
                // As the CLI does during preview: an unknown value turns the check into an advisory note.
                if (e instanceof UnknownValueError) {
                    violations.push({ policyName: p.name, enforcementLevel: "advisory", resource: "stack", message: `can't run policy '${p.name}' during preview: ${(e as Error).message}` });
                    return;
                }
                throw e;
            }
        };

        if ("validateStack" in p && typeof p.validateStack === "function") {
            const args: StackValidationArgs = { resources: sdkResources, stackTags, getConfig, notApplicable };
            const report = collect();
            const validate = p.validateStack;
            guard(() => validate(args, report));
        } else if ("validateResource" in p && p.validateResource !== undefined) {
            const validations = Array.isArray(p.validateResource) ? p.validateResource : [p.validateResource];
            for (const r of prepared) {
                const args: ResourceValidationArgs = {
                    type: r.type, props: r.props, urn: r.urn, name: r.name, opts: options(r.parent), stackTags, getConfig, notApplicable,
                    isType: (cls: unknown) => isTypeOf(r.type, cls),
                    asType: ((cls: unknown) => (isTypeOf(r.type, cls) ? r.props : undefined)) as ResourceValidationArgs["asType"],
                };
                // Resource violations always belong to the resource validated (the CLI ignores a urn argument).
                const report = collect(r.urn);
                const bound: ReportViolation = (message) => report(message);
                for (const v of validations) guard(() => v(args, bound));
            }
        }
    }
    return { policies: ran, violations };
}

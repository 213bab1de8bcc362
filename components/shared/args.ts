/**
 * Argument types the components share. They are interfaces of plain types only (strings, numbers,
 * booleans, arrays, string maps) because the multi-language package's schema is generated from
 * them by @pulumi/pulumi/provider/experimental, whose analyzer accepts no unions or anonymous
 * object types; enumerations are strings, checked when the component is constructed.
 */
import * as pulumi from "@pulumi/pulumi";
import type { LabelSelector } from "../config/types";

/** A Kubernetes label selector requirement (`matchExpressions` entry). */
export interface LabelSelectorRequirementArgs {
    /** The label key. */
    key: string;
    /** In, NotIn, Exists or DoesNotExist. */
    operator: string;
    /** Values for In and NotIn; empty for Exists and DoesNotExist. */
    values?: string[];
}

/** A Kubernetes label selector; the empty selector matches everything. */
export interface LabelSelectorArgs {
    /** Labels that must all be set to these values. */
    matchLabels?: { [key: string]: string };
    /** Requirements that must all hold. */
    matchExpressions?: LabelSelectorRequirementArgs[];
}

const OPERATORS = new Set(["In", "NotIn", "Exists", "DoesNotExist"]);

/**
 * The selector as the renderers' type, after checking each operator (`where` names the argument
 * in errors). A deep copy in the given key order: rendered objects keep the user's order.
 */
export function labelSelector(sel: LabelSelectorArgs, where: string): LabelSelector {
    (sel.matchExpressions ?? []).forEach((e, i) => {
        if (!OPERATORS.has(e.operator)) {
            throw new Error(`${where}.matchExpressions[${i}].operator: "${e.operator}" is not one of In, NotIn, Exists, DoesNotExist`);
        }
    });
    return JSON.parse(JSON.stringify(sel)) as LabelSelector;
}

/** The Cilium line ("1.18") of a version ("1.18.12") or line. */
export function ciliumLineOf(version: string): string {
    const m = /^v?(1\.\d+)(\.\d+.*)?$/.exec(version);
    if (!m) throw new Error(`ciliumVersion: "${version}" is not a Cilium version (e.g. 1.18.12)`);
    return m[1];
}

/** Checks an IP family argument ("ipv4" or "ipv6"; `where` names it in errors). */
export function ipFamilyOf(value: string | undefined, where: string): "ipv4" | "ipv6" {
    const v = value ?? "ipv4";
    if (v !== "ipv4" && v !== "ipv6") throw new Error(`${where}: "${v}" is not ipv4 or ipv6`);
    return v;
}

/** Checks a stack family argument: ipv4, ipv6, or dual (both: IPv4 first, Kubernetes' primary family). */
export function stackFamilyOf(value: string | undefined, where: string): "ipv4" | "ipv6" | "dual" {
    const v = value ?? "ipv4";
    if (v !== "ipv4" && v !== "ipv6" && v !== "dual") throw new Error(`${where}: "${v}" is not ipv4, ipv6 or dual`);
    return v;
}

/** Type tokens: the modules of the program, or `index` when hosted as a multi-language package. */
let multiLanguage = false;
/**
 * Called by the provider entry before it hosts the components: the component provider protocol
 * only serves `cilium-bgp-fabric:index:<Type>` tokens, while programs keep the module tokens
 * (`cilium-bgp-fabric:bgp:CiliumBgp`) their existing stacks' URNs were built from.
 */
export function useIndexTypeTokens(): void { multiLanguage = true; }
export function typeToken(module: string, type: string): string {
    return `cilium-bgp-fabric:${multiLanguage ? "index" : module}:${type}`;
}

type DependsOn = pulumi.ResourceOptions["dependsOn"];

/**
 * A component's own `dependsOn` plus more resources, for its children: kept a plain array when
 * it is one (the offline plan records plain dependencies), an Output only when it was one.
 */
export function withDependencies(deps: DependsOn, ...extra: pulumi.Resource[]): DependsOn {
    if (deps === undefined) return extra;
    if (Array.isArray(deps)) return [...deps, ...extra];
    if (pulumi.Resource.isInstance(deps)) return [deps, ...extra];
    return pulumi.output(deps as pulumi.Input<pulumi.Input<pulumi.Resource>[]>).apply((d) => [...(Array.isArray(d) ? d : [d]), ...extra]);
}

/** Child options under a component: its parent, and the component's own dependencies (children do not inherit them). */
export function childOptions(parent: pulumi.Resource, opts: pulumi.ComponentResourceOptions | undefined, ...extra: pulumi.Resource[]): pulumi.CustomResourceOptions {
    const deps = extra.length > 0 ? withDependencies(opts?.dependsOn, ...extra) : opts?.dependsOn;
    return { parent, ...(deps !== undefined ? { dependsOn: deps } : {}) };
}

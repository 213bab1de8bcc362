/**
 * Validates rendered Kubernetes objects against Cilium's own CRDs (../shared/reference/cilium,
 * never copied into the project): the served version's openAPIV3Schema with ajv, unknown fields
 * rejected (as a strict apply would), plus the CEL rules (x-kubernetes-validations) the CRDs state,
 * each mapped to a hand-written check. A rule without a check fails validation loudly, and a
 * test asserts every rule in the reference CRDs is covered.
 * Also: Helm values against the chart's values.schema.json, and stack fixtures per Cilium line.
 */
import * as fs from "fs";
import * as net from "net";
import * as path from "path";
import Ajv, { type ValidateFunction } from "ajv";
import addFormats from "ajv-formats";
import { parseAllDocuments } from "yaml";
import { referencePath } from "../../reference/locate";
import * as pulumi from "@pulumi/pulumi";
import { loadStack, rawConfigOfStack, type LoadedStack } from "../../components/config";
import { readStackConfig } from "../../components/config/stackfile";

export const PROJECT_ROOT = path.resolve(__dirname, "../..");
export const CILIUM_REFERENCE = referencePath("cilium");
export const CRD_ROOT = path.join(CILIUM_REFERENCE, "crds");

/** Reference CRD release per Cilium line (1.15 has none: see crdFilesFor). */
export const CRD_RELEASES: Record<string, string> = {
    "1.16": "v1.16.15", "1.17": "v1.17.14", "1.18": "v1.18.3", "1.19": "v1.19.0-pre.4", "1.20": "v1.20.0-pre.3",
};
/** Reference chart (values.schema.json) per line; 1.15 has none here. */
export const CHART_RELEASES: Record<string, string> = {
    "1.16": "v1.16.19", "1.17": "v1.17.18", "1.18": "v1.18.12", "1.19": "v1.19.6", "1.20": "v1.20.0",
};
/** A chart version per line, to vary the shipped stacks' cilium.version in tests. */
export const VERSION_FOR_LINE: Record<string, string> = {
    "1.15": "1.15.19", "1.16": "1.16.19", "1.17": "1.17.18", "1.18": "1.18.12", "1.19": "1.19.6", "1.20": "1.20.0",
};
export const ALL_LINES = Object.keys(VERSION_FOR_LINE);

const yamlFiles = (dir: string): string[] =>
    fs.readdirSync(dir).filter((f) => f.endsWith(".yaml")).sort().map((f) => path.join(dir, f));

/**
 * The CRD files a cluster on this line has for the kinds this project renders. 1.15: the v1
 * peering policy as last shipped (legacy-v2alpha1) and 1.16.15's v2alpha1 LB pool (1.15's is not
 * in the reference data; the kind did not change between the two).
 */
export function crdFilesFor(line: string): string[] {
    if (line === "1.15") {
        return [path.join(CRD_ROOT, "legacy-v2alpha1/ciliumbgppeeringpolicies.yaml"),
            path.join(CRD_ROOT, "by-release/v1.16.15/v2alpha1/ciliumloadbalancerippools.yaml")];
    }
    const release = CRD_RELEASES[line];
    if (!release) throw new Error(`no reference CRDs for Cilium line ${line}`);
    const base = path.join(CRD_ROOT, "by-release", release);
    return fs.readdirSync(base).sort().flatMap((v) => yamlFiles(path.join(base, v)));
}

export const chartSchemaFor = (line: string): string | undefined =>
    CHART_RELEASES[line] ? path.join(CILIUM_REFERENCE, "chart", CHART_RELEASES[line], "values.schema.json") : undefined;

// ---- CEL -------------------------------------------------------------------------------------

type Json = Record<string, unknown>;
const has = (o: unknown, k: string): boolean => typeof o === "object" && o !== null && Object.prototype.hasOwnProperty.call(o, k);
const field = (o: unknown, k: string): unknown => (has(o, k) ? (o as Json)[k] : undefined);

/** Every CEL rule the reference CRDs state, as a check on `self`. */
export const CEL_RULES: Record<string, (self: unknown) => boolean> = {
    "self.keepAliveTimeSeconds <= self.holdTimeSeconds": (s) => {
        // Absent fields take the CRD defaults (30/90) before CEL runs.
        const keep = (field(s, "keepAliveTimeSeconds") ?? 30) as number;
        const hold = (field(s, "holdTimeSeconds") ?? 90) as number;
        return keep <= hold;
    },
    "self.advertisementType != 'Service' || has(self.service)": (s) => field(s, "advertisementType") !== "Service" || has(s, "service"),
    "self.advertisementType == 'Service' || !has(self.service)": (s) => field(s, "advertisementType") === "Service" || !has(s, "service"),
    "self.advertisementType != 'Interface' || has(self.interface)": (s) => field(s, "advertisementType") !== "Interface" || has(s, "interface"),
    "self.advertisementType == 'Interface' || !has(self.interface)": (s) => field(s, "advertisementType") === "Interface" || !has(s, "interface"),
    "self.advertisementType != 'PodCIDR' || !has(self.selector)": (s) => field(s, "advertisementType") !== "PodCIDR" || !has(s, "selector"),
};

interface CelRule { rule: string; message?: string }

/** Every x-kubernetes-validations rule string in the given CRD files. */
export function celRulesIn(files: string[]): string[] {
    const rules = new Set<string>();
    const visit = (node: unknown): void => {
        if (Array.isArray(node)) { node.forEach(visit); return; }
        if (typeof node !== "object" || node === null) return;
        for (const [k, v] of Object.entries(node)) {
            if (k === "x-kubernetes-validations" && Array.isArray(v)) for (const r of v as CelRule[]) rules.add(r.rule);
            visit(v);
        }
    };
    for (const f of files) for (const doc of parseAllDocuments(fs.readFileSync(f, "utf8"))) visit(doc.toJS());
    return [...rules].sort();
}

export const allReferenceCrdFiles = (): string[] => {
    const walk = (dir: string): string[] => fs.readdirSync(dir, { withFileTypes: true })
        .flatMap((e) => (e.isDirectory() ? walk(path.join(dir, e.name)) : e.name.endsWith(".yaml") ? [path.join(dir, e.name)] : []));
    return walk(CRD_ROOT).sort();
};

/** A CEL rule's hand-written equivalent: true when `self` passes. */
export type CelCheck = (self: unknown) => boolean;

/** Runs the schema's CEL rules over the data, following properties, items and additionalProperties. */
function evaluateCel(schema: Json, data: unknown, at: string, errors: string[], rules: Record<string, CelCheck> = CEL_RULES): void {
    for (const r of (schema["x-kubernetes-validations"] ?? []) as CelRule[]) {
        const check = rules[r.rule];
        if (!check) errors.push(`${at || "/"}: unsupported CEL rule (add it to CEL_RULES): ${r.rule}`);
        else if (!check(data)) errors.push(`${at || "/"}: ${r.message ?? r.rule} [CEL: ${r.rule}]`);
    }
    if (Array.isArray(data) && typeof schema.items === "object") {
        data.forEach((d, i) => evaluateCel(schema.items as Json, d, `${at}/${i}`, errors, rules));
    } else if (typeof data === "object" && data !== null) {
        const props = (schema.properties ?? {}) as Record<string, Json>;
        for (const [k, v] of Object.entries(data)) {
            const sub = props[k] ?? (typeof schema.additionalProperties === "object" ? schema.additionalProperties as Json : undefined);
            if (sub) evaluateCel(sub, v, `${at}/${k}`, errors, rules);
        }
    }
}

/**
 * The object as the API server stores it: every absent property with a schema `default` filled in,
 * recursively (structural-schema defaulting, which runs before validation and CEL).
 */
export function withDefaults(schema: Json, data: unknown): unknown {
    if (Array.isArray(data)) return typeof schema.items === "object" ? data.map((d) => withDefaults(schema.items as Json, d)) : data;
    if (typeof data !== "object" || data === null) return data;
    const out: Json = { ...(data as Json) };
    const props = (schema.properties ?? {}) as Record<string, Json>;
    for (const [k, sub] of Object.entries(props)) {
        if (!(k in out) && sub.default !== undefined) out[k] = structuredClone(sub.default);
    }
    for (const [k, v] of Object.entries(out)) {
        const sub = props[k] ?? (typeof schema.additionalProperties === "object" ? schema.additionalProperties as Json : undefined);
        if (sub) out[k] = withDefaults(sub, v);
    }
    return out;
}

// ---- schema ----------------------------------------------------------------------------------

const K8S_KEYWORDS = ["x-kubernetes-validations", "x-kubernetes-list-type", "x-kubernetes-list-map-keys", "x-kubernetes-map-type",
    "x-kubernetes-preserve-unknown-fields", "x-kubernetes-int-or-string", "x-kubernetes-embedded-resource"];

function isCidr(s: string): boolean {
    const m = /^(.+)\/(\d{1,3})$/.exec(s);
    if (!m) return false;
    const v = net.isIP(m[1]);
    return v !== 0 && Number(m[2]) <= (v === 4 ? 32 : 128);
}

export function newAjv(): Ajv {
    // strict: false - Kubernetes schemas are not strict JSON Schema; regexes are Go RE2, not unicode mode.
    const ajv = new Ajv({ strict: false, allErrors: true, unicodeRegExp: false });
    addFormats(ajv);
    for (const keyword of K8S_KEYWORDS) ajv.addKeyword({ keyword });
    ajv.addFormat("int32", { type: "number", validate: (n: number) => Number.isInteger(n) && n >= -(2 ** 31) && n < 2 ** 31 });
    ajv.addFormat("int64", { type: "number", validate: (n: number) => Number.isInteger(n) });
    ajv.addFormat("cidr", isCidr);
    return ajv;
}

/** Closes every object schema that lists properties: an unknown field is an error, not pruned silently. */
function closeObjects(schema: unknown): unknown {
    if (Array.isArray(schema)) return schema.map(closeObjects);
    if (typeof schema !== "object" || schema === null) return schema;
    const out: Json = {};
    for (const [k, v] of Object.entries(schema)) out[k] = k === "x-kubernetes-validations" ? v : closeObjects(v);
    if (out.properties && out.additionalProperties === undefined && !out["x-kubernetes-preserve-unknown-fields"]) {
        out.additionalProperties = false;
    }
    return out;
}

interface CrdVersion { name: string; served: boolean; storage?: boolean; deprecated?: boolean; schema: { openAPIV3Schema: Json } }
interface Crd { spec: { group: string; scope: string; names: { kind: string }; versions: CrdVersion[] } }

export interface KubeObject { apiVersion: string; kind: string; metadata: { name: string; namespace?: string; [k: string]: unknown }; [k: string]: unknown }

const DNS_SUBDOMAIN = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$/;

export interface CrdValidatorOptions {
    /** Hand-written checks of the CRDs' CEL rules (default: the Cilium CRDs' CEL_RULES). */
    celRules?: Record<string, CelCheck>;
    /** Apply schema defaults before validating, as the API server does (CEL rules that rely on defaults). */
    applyDefaults?: boolean;
}

/** Validates objects against the CRDs a cluster on one Cilium line has (or another CRD set: see the options). */
export class CrdValidator {
    private readonly crds = new Map<string, { crd: Crd; file: string }>();
    private readonly compiled = new Map<string, ValidateFunction>();
    private readonly ajv = newAjv();

    /**
     * allowDeprecated: accept served-but-deprecated versions (by default they are errors: render the storage version).
     * `line` names the CRD set in messages (a Cilium line, or a Gateway API release).
     */
    constructor(public readonly line: string, files: string[] = crdFilesFor(line), private readonly allowDeprecated = false,
        private readonly options: CrdValidatorOptions = {}) {
        for (const file of files) {
            for (const doc of parseAllDocuments(fs.readFileSync(file, "utf8"))) {
                const crd = doc.toJS() as Crd;
                if (crd?.spec?.names?.kind) this.crds.set(crd.spec.names.kind, { crd, file });
            }
        }
    }

    kinds(): string[] { return [...this.crds.keys()].sort(); }

    /** Error messages; empty when the object would be accepted. */
    validate(input: KubeObject): string[] {
        const id = `${input.kind}/${input.metadata?.name}`;
        let obj = input;
        const entry = this.crds.get(obj.kind);
        if (!entry) return [`${id}: kind not served on Cilium ${this.line} (served: ${this.kinds().join(", ")})`];
        const { crd, file } = entry;
        const [group, version] = String(obj.apiVersion).split("/");
        if (group !== crd.spec.group) return [`${id}: apiVersion ${obj.apiVersion}: group must be ${crd.spec.group}`];
        const served = crd.spec.versions.filter((v) => v.served);
        const v = served.find((x) => x.name === version);
        if (!v) return [`${id}: apiVersion ${obj.apiVersion} not served on Cilium ${this.line} (served: ${served.map((x) => x.name).join(", ")})`];
        if (this.options.applyDefaults) obj = withDefaults(v.schema.openAPIV3Schema, obj) as KubeObject;

        const errors: string[] = [];
        // Deprecated with a successor served: the line wants the successor. (The legacy peering
        // policy file, as shipped by 1.18, marks its only version deprecated: nothing to prefer.)
        const successor = served.find((x) => !x.deprecated);
        if (v.deprecated && successor && !this.allowDeprecated) {
            errors.push(`${id}: apiVersion ${obj.apiVersion} is deprecated on Cilium ${this.line} (use ${group}/${successor.name})`);
        }
        const name = obj.metadata?.name;
        if (typeof name !== "string" || name.length > 253 || !DNS_SUBDOMAIN.test(name)) errors.push(`${id}: metadata.name must be a DNS subdomain`);
        if (crd.spec.scope === "Cluster" && obj.metadata.namespace !== undefined) errors.push(`${id}: ${obj.kind} is cluster-scoped; metadata.namespace must be absent`);

        const key = `${file}#${v.name}`;
        let validate = this.compiled.get(key);
        if (!validate) {
            validate = this.ajv.compile(closeObjects(v.schema.openAPIV3Schema) as Json);
            this.compiled.set(key, validate);
        }
        if (!validate(obj)) {
            for (const e of validate.errors ?? []) {
                const extra = e.keyword === "additionalProperties" ? ` (${(e.params as { additionalProperty: string }).additionalProperty})` : "";
                errors.push(`${id}: ${e.instancePath || "/"} ${e.message}${extra}`);
            }
        }
        const cel: string[] = [];
        evaluateCel(v.schema.openAPIV3Schema, obj, "", cel, this.options.celRules);
        errors.push(...cel.map((c) => `${id}: ${c}`));
        return errors;
    }
}

const validators = new Map<string, CrdValidator>();
export function crdValidatorFor(line: string): CrdValidator {
    let v = validators.get(line);
    if (!v) { v = new CrdValidator(line); validators.set(line, v); }
    return v;
}

const helmValidators = new Map<string, ValidateFunction>();

/** Helm values against the chart's values.schema.json for the line; undefined when there is none (1.15). */
export function validateHelmValues(line: string, values: Record<string, unknown>): string[] | undefined {
    const file = chartSchemaFor(line);
    if (!file) return undefined;
    let validate = helmValidators.get(file);
    if (!validate) {
        const ajv = new Ajv({ strict: false, allErrors: true });
        addFormats(ajv);
        validate = ajv.compile(JSON.parse(fs.readFileSync(file, "utf8")) as Json);
        helmValidators.set(file, validate);
    }
    return validate(values) ? [] : (validate.errors ?? []).map((e) => `${e.instancePath || "/"} ${e.message}`);
}

// ---- fixtures --------------------------------------------------------------------------------

export const STACKS = ["dev", "ipv6", "ipv6-vyos", "dual"];
/** The one-family shipped stacks (dual.test.ts files check the dual stack's two halves on their own). */
export const SINGLE_FAMILY_STACKS = STACKS.filter((s) => s !== "dual");
export const TEST_PASSWORD = "test-bgp-password";

/** The first Cilium line whose Gateway can request its address (the loader refuses gatewayApi before it). */
export const FIRST_GATEWAY_LINE = 17;

/**
 * A shipped stack, optionally with cilium.version replaced (the line follows from it) and other keys
 * patched. Moved to a line before 1.17, a stack's gatewayApi switch is turned off (the loader refuses
 * it there); `patch` runs afterwards and may turn it on again.
 */
export function loadFixture(stack: string, opts: { line?: string; patch?: (raw: Record<string, unknown>) => void } = {}): LoadedStack {
    const raw = rawConfigOfStack(readStackConfig(PROJECT_ROOT, stack, {})) as Record<string, unknown>;
    if (opts.line) {
        const cilium = { ...((raw.cilium ?? {}) as Json) };
        cilium.version = VERSION_FOR_LINE[opts.line];
        raw.cilium = cilium;
        if (Number(opts.line.split(".")[1]) < FIRST_GATEWAY_LINE && typeof raw.gatewayApi === "object" && raw.gatewayApi !== null) {
            raw.gatewayApi = { ...(raw.gatewayApi as Json), enabled: false };
        }
    }
    opts.patch?.(raw);
    return loadStack(stack, raw, TEST_PASSWORD);
}

// ---- Pulumi mocks ----------------------------------------------------------------------------

export interface RecordedResource { type: string; name: string; inputs: Record<string, unknown> }

export interface RecordingMocks {
    recorded: RecordedResource[];
    /** Reinstalls the mocks that were active before (other test files may set theirs at load time). */
    restore: () => Promise<void>;
}

/** Installs Pulumi mocks that record every resource (type token, name, inputs); state = inputs (+ extraState). */
export async function recordingMocks(extraState: (type: string) => Record<string, unknown> = () => ({})): Promise<RecordingMocks> {
    const previous = (pulumi.runtime.getMonitor() as { mocks?: pulumi.runtime.Mocks } | undefined)?.mocks;
    const recorded: RecordedResource[] = [];
    await pulumi.runtime.setMocks({
        newResource: (args) => {
            recorded.push({ type: args.type, name: args.name, inputs: args.inputs as Record<string, unknown> });
            return { id: `${args.name}-id`, state: { ...args.inputs, ...extraState(args.type) } };
        },
        call: (args) => args.inputs,
    }, "cilium-bgp-fabric", "test", false);
    const restore = async (): Promise<void> => {
        if (previous) await pulumi.runtime.setMocks(previous, "cilium-bgp-fabric", "test", false);
    };
    return { recorded, restore };
}

export const valueOf = <T>(o: pulumi.Output<T>): Promise<T> => new Promise((resolve) => { o.apply((v) => { resolve(v); return v; }); });

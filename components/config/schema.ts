/**
 * The stack configuration's JSON Schema (schema/stack.schema.json, shipped for editors too) and
 * the ajv validator the loader runs first: every type, range, enumeration and unknown-key problem,
 * each with its key path (`addressPlan.lbPools[1].cidr`). The loader then reads the cleaned data
 * and the plan engine does the semantic checks.
 */
import Ajv, { type ErrorObject, type ValidateFunction } from "ajv";
import schemaJson from "../../schema/stack.schema.json";
import type { Problems } from "./errors";
import { unknownKeyRule } from "./suggest";

/** A JSON Schema node as this project writes them (draft-07 plus the documentation keywords below). */
export interface SchemaNode {
    type?: string;
    description?: string;
    default?: unknown;
    enum?: unknown[];
    minimum?: number;
    maximum?: number;
    minItems?: number;
    properties?: Record<string, SchemaNode>;
    additionalProperties?: boolean | SchemaNode;
    required?: string[];
    items?: SchemaNode;
    $ref?: string;
    /** README text for a default the schema cannot state (family-dependent, computed). */
    "x-default"?: string;
    /** Problem text per failing keyword (e.g. minItems), instead of the generic one. */
    "x-messages"?: Record<string, string>;
    /** The key's declaration in Pulumi.yaml (top-level keys only). */
    "x-pulumi"?: Record<string, unknown>;
    "x-secret"?: boolean;
}

export interface StackSchema {
    $id: string;
    definitions: { config: SchemaNode; labelSelector: SchemaNode; [name: string]: SchemaNode };
    [key: string]: unknown;
}

export const STACK_SCHEMA = schemaJson as unknown as StackSchema;
export const CONFIG_SCHEMA: SchemaNode = STACK_SCHEMA.definitions.config;

/** Follows a local `#/definitions/x` reference. */
export function resolveRef(node: SchemaNode): SchemaNode {
    if (!node.$ref) return node;
    const name = node.$ref.replace("#/definitions/", "");
    return { ...STACK_SCHEMA.definitions[name], ...node, $ref: undefined };
}

let compiled: ValidateFunction | undefined;
function validator(): ValidateFunction {
    if (!compiled) {
        const ajv = new Ajv({ allErrors: true, verbose: true, strict: true });
        ajv.addVocabulary(["x-default", "x-messages", "x-pulumi", "x-secret"]);
        ajv.addSchema(STACK_SCHEMA);
        compiled = ajv.getSchema(`${STACK_SCHEMA.$id}#/definitions/config`) as ValidateFunction;
    }
    return compiled;
}

type Obj = Record<string, unknown>;
const isObj = (v: unknown): v is Obj => typeof v === "object" && v !== null && !Array.isArray(v);

/**
 * What the Pulumi CLI hands over is looser than the schema: `pulumi config set` stores numbers and
 * booleans as strings, and an empty YAML key is null. Digit strings become integers and
 * "true"/"false" booleans where the schema wants them; null means unset.
 */
function normalize(value: unknown, node: SchemaNode | undefined): unknown {
    if (value === null) return undefined;
    if (!node) return value;
    const n = resolveRef(node);
    if (n.type === "integer" && typeof value === "string" && /^-?\d+$/.test(value)) return Number(value);
    if (n.type === "boolean" && (value === "true" || value === "false")) return value === "true";
    if (Array.isArray(value) && n.items) return value.map((v) => (v === null ? v : normalize(v, n.items)));
    if (isObj(value) && (n.properties || typeof n.additionalProperties === "object")) {
        const out: Obj = {};
        for (const [k, v] of Object.entries(value)) {
            const child = n.properties?.[k] ?? (typeof n.additionalProperties === "object" ? n.additionalProperties : undefined);
            const nv = child ? normalize(v, child) : v;
            if (nv !== undefined) out[k] = nv;
        }
        return out;
    }
    return value;
}

/** JSON pointer segments to the loader's key-path style: `a.b[1].c`. */
function keyPath(segments: string[], data: unknown): string {
    let out = "";
    let cur: unknown = data;
    for (const s of segments) {
        if (Array.isArray(cur)) { out += `[${s}]`; cur = cur[Number(s)]; }
        else { out += out ? `.${s}` : s; cur = isObj(cur) ? cur[s] : undefined; }
    }
    return out;
}

const pointer = (p: string): string[] => (p === "" ? [] : p.slice(1).split("/").map((s) => s.replace(/~1/g, "/").replace(/~0/g, "~")));

function valueAt(data: unknown, segments: string[]): unknown {
    let cur = data;
    for (const s of segments) {
        if (Array.isArray(cur)) cur = cur[Number(s)];
        else if (isObj(cur)) cur = cur[s];
        else return undefined;
    }
    return cur;
}

/** Removes the value at a path so that the loader falls back to the default (the problem is already reported). */
function drop(data: unknown, segments: string[]): void {
    const parent = valueAt(data, segments.slice(0, -1));
    const last = segments[segments.length - 1];
    if (Array.isArray(parent)) parent[Number(last)] = undefined;
    else if (isObj(parent)) delete parent[last];
}

const TYPE_RULES: Record<string, string> = {
    object: "must be an object", array: "must be a list", string: "must be a non-empty string",
    integer: "must be an integer", number: "must be a number", boolean: "must be true or false",
};

function ruleOf(e: ErrorObject): string {
    const ps = (e.parentSchema ?? {}) as SchemaNode;
    const custom = ps["x-messages"]?.[e.keyword];
    if (custom) return custom;
    switch (e.keyword) {
        case "type": return TYPE_RULES[String((e.params as { type: string }).type)] ?? e.message ?? "has the wrong type";
        case "minLength": return "must be a non-empty string";
        case "minimum":
        case "maximum":
            if (ps.minimum !== undefined && ps.maximum !== undefined) return `must be between ${ps.minimum} and ${ps.maximum}`;
            return ps.minimum !== undefined ? `must be at least ${ps.minimum}` : `must be at most ${ps.maximum}`;
        case "enum": return `must be one of ${(ps.enum ?? []).join(", ")}`;
        case "minItems": return `must list at least ${ps.minItems}`;
        default: return e.message ?? e.keyword;
    }
}

/**
 * Validates raw configuration against the schema, adds one problem per bad key, and returns the
 * normalized data with every bad value removed (so later checks see defaults, not garbage).
 */
export function validateRawConfig(raw: Obj, problems: Problems): Obj {
    const data = (normalize(raw, CONFIG_SCHEMA) ?? {}) as Obj;
    // Absent objects are checked as empty ones, so that their required keys are named (addressPlan.aggregate).
    for (const key of ["addressPlan", "cluster"]) if (data[key] === undefined) data[key] = {};
    const validate = validator();
    if (validate(data)) return data;
    const seen = new Set<string>();
    const dropped: string[][] = [];
    for (const e of validate.errors ?? []) {
        const at = pointer(e.instancePath);
        let segments = at;
        if (e.keyword === "required") segments = [...at, (e.params as { missingProperty: string }).missingProperty];
        if (e.keyword === "additionalProperties") segments = [...at, (e.params as { additionalProperty: string }).additionalProperty];
        const path = keyPath(segments, data);
        if (seen.has(path)) continue;
        seen.add(path);
        if (e.keyword === "required") { problems.add(path, undefined, "is required"); continue; }
        if (e.keyword === "additionalProperties") {
            const known = Object.keys(((e.parentSchema ?? {}) as SchemaNode).properties ?? {});
            problems.add(path, valueAt(raw, segments), unknownKeyRule(segments[segments.length - 1], known));
            dropped.push(segments);
            continue;
        }
        const original = valueAt(raw, segments);
        problems.add(path, original === undefined ? valueAt(data, segments) : original, ruleOf(e));
        if (e.keyword !== "minItems") dropped.push(segments);
    }
    // Deepest first, so that dropping a parent never hides a child's position.
    for (const segments of dropped.sort((a, b) => b.length - a.length)) drop(data, segments);
    return data;
}

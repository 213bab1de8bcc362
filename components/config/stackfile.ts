/**
 * Reads a stack's configuration the way the Pulumi CLI hands it to a program: `Pulumi.yaml`
 * defaults overlaid by `Pulumi.<stack>.yaml`, as namespaced keys with JSON-encoded values.
 * Used by the offline plan and the tests; a real `pulumi up` gets the same map from the CLI.
 */
import * as fs from "fs";
import * as path from "path";
import { YAMLError, parse } from "yaml";
import { ConfigError, Problems } from "./errors";
import { CONFIG_SCHEMA } from "./schema";
import { looksSecret, unknownKeyRule } from "./suggest";

export const PROJECT = "cilium-bgp-fabric";

/** Secret keys: their values are never printed, and may come from environment variables. */
export const SECRET_KEYS = { bgpPassword: "CBF_BGP_PASSWORD", kubeconfig: "CBF_KUBECONFIG" } as const;

export interface StackFileConfig {
    /** Namespaced key -> value as the Pulumi runtime holds it (strings; objects as JSON). */
    values: Record<string, string>;
    /** Secret keys whose values were encrypted in the stack file and could not be read here. */
    undecryptable: string[];
}

interface ProjectFile {
    config?: Record<string, { default?: unknown; value?: unknown } | unknown>;
}

const encode = (v: unknown): string => (typeof v === "string" ? v : JSON.stringify(v));

/**
 * A stack or project file that is not valid YAML: a configuration problem (exit 2) that names the
 * file, line and column, like an editor would.
 */
export class StackFileError extends ConfigError {
    constructor(readonly file: string, readonly line: number | undefined, readonly column: number | undefined, detail: string) {
        super([{ path: line !== undefined ? `${file}:${line}:${column ?? 1}` : file, value: undefined, rule: detail }]);
        this.message = `${file}${line !== undefined ? `:${line}:${column ?? 1}` : ""}: ${detail}`;
        this.name = "StackFileError";
    }
}

/** Parses a YAML file; a syntax error becomes a StackFileError naming file, line and column. */
export function parseYamlFile(file: string): unknown {
    const text = fs.readFileSync(file, "utf8");
    try {
        return parse(text, { prettyErrors: true });
    } catch (e) {
        if (!(e instanceof YAMLError)) throw e;
        const pos = e.linePos?.[0];
        // The first line of the parser's message; the rest is its source excerpt.
        const detail = e.message.split("\n")[0].replace(/ at line \d+, column \d+:?$/, "");
        throw new StackFileError(path.basename(file), pos?.line, pos?.col, `YAML syntax error: ${detail}`);
    }
}

export function projectDefaults(root: string): Record<string, unknown> {
    const project = (parseYamlFile(path.join(root, "Pulumi.yaml")) ?? {}) as ProjectFile;
    const out: Record<string, unknown> = {};
    for (const [key, decl] of Object.entries(project.config ?? {})) {
        if (typeof decl === "object" && decl !== null && !Array.isArray(decl)) {
            const d = decl as { default?: unknown; value?: unknown };
            if (d.default !== undefined) out[key] = d.default;
            else if (d.value !== undefined) out[key] = d.value;
        } else {
            out[key] = decl;
        }
    }
    return out;
}

export function listStacks(root: string): string[] {
    return fs.readdirSync(root)
        .map((f) => /^Pulumi\.(.+)\.yaml$/.exec(f)?.[1])
        .filter((s): s is string => s !== undefined)
        .sort();
}

/**
 * The stack's configuration. Encrypted secrets (`secure:` values) cannot be decrypted without
 * the CLI: they are taken from the environment (SECRET_KEYS) or reported as undecryptable.
 */
export function readStackConfig(root: string, stack: string, env: NodeJS.ProcessEnv = process.env): StackFileConfig {
    const file = path.join(root, `Pulumi.${stack}.yaml`);
    if (!fs.existsSync(file)) {
        throw new Error(`no stack file ${path.basename(file)} (stacks here: ${listStacks(root).join(", ") || "none"})`);
    }
    const parsed = parseYamlFile(file) ?? {};
    if (typeof parsed !== "object" || Array.isArray(parsed) ||
        ((parsed as { config?: unknown }).config != null && (typeof (parsed as { config?: unknown }).config !== "object" || Array.isArray((parsed as { config?: unknown }).config)))) {
        throw new StackFileError(path.basename(file), undefined, undefined, "must be a mapping with a `config:` mapping of keys (see README, Configuration)");
    }
    const doc = parsed as { config?: Record<string, unknown> };
    const values: Record<string, string> = {};
    for (const [k, v] of Object.entries(projectDefaults(root))) values[`${PROJECT}:${k}`] = encode(v);
    const undecryptable: string[] = [];
    for (const [k, v] of Object.entries(doc.config ?? {})) {
        const key = k.includes(":") ? k : `${PROJECT}:${k}`;
        if (typeof v === "object" && v !== null && "secure" in v) {
            undecryptable.push(key);
            continue;
        }
        values[key] = encode(v);
    }
    for (const [name, envVar] of Object.entries(SECRET_KEYS)) {
        const key = `${PROJECT}:${name}`;
        const fromEnv = env[envVar];
        if (fromEnv !== undefined && fromEnv !== "") {
            values[key] = fromEnv;
            const i = undecryptable.indexOf(key);
            if (i >= 0) undecryptable.splice(i, 1);
        }
    }
    checkProjectKeys(values, path.basename(file), undecryptable);
    return { values, undecryptable: undecryptable.sort() };
}

/**
 * Every key in the project namespace must be one the program reads: a misspelt top-level key
 * (`adressPlan`) would otherwise be ignored and the stack deployed with defaults. Keys of other
 * namespaces (`kubernetes:context`) belong to other programs and are left alone.
 */
export function checkProjectKeys(values: Record<string, string>, file: string, encrypted: readonly string[] = []): void {
    const known = Object.keys(CONFIG_SCHEMA.properties ?? {});
    const p = new Problems();
    for (const key of [...new Set([...Object.keys(values), ...encrypted])].sort()) {
        if (!key.startsWith(`${PROJECT}:`)) continue;
        const name = key.slice(PROJECT.length + 1);
        if (known.includes(name)) continue;
        // A misspelt secret key holds a secret: its value is never shown.
        const secret = encrypted.includes(key) || looksSecret(name, known);
        let value: unknown = secret ? "[secret]" : values[key];
        if (!secret) { try { value = JSON.parse(values[key]); } catch { /* a plain string */ } }
        p.add(name, value, `${unknownKeyRule(name, known)}; in ${file}`);
    }
    p.throwIfAny();
}

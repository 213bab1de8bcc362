/**
 * Reads a stack's configuration the way the Pulumi CLI hands it to a program: `Pulumi.yaml`
 * defaults overlaid by `Pulumi.<stack>.yaml`, as namespaced keys with JSON-encoded values.
 * Used by the offline plan and the tests; a real `pulumi up` gets the same map from the CLI.
 */
import * as fs from "fs";
import * as path from "path";
import { parse } from "yaml";

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

export function projectDefaults(root: string): Record<string, unknown> {
    const project = parse(fs.readFileSync(path.join(root, "Pulumi.yaml"), "utf8")) as ProjectFile;
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
    const doc = (parse(fs.readFileSync(file, "utf8")) ?? {}) as { config?: Record<string, unknown> };
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
    return { values, undecryptable: undecryptable.sort() };
}

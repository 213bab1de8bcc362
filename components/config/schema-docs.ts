/**
 * What is generated from schema/stack.schema.json (npm run gen:schema; a test fails on drift):
 * Pulumi.yaml's `config:` block, the README's configuration table and the schema's own stack-file
 * wrapper (definitions.stackFileConfig, which editors use to check Pulumi.<stack>.yaml).
 */
import { stringify } from "yaml";
import { PROJECT } from "./stackfile";
import { CONFIG_SCHEMA, type SchemaNode, type StackSchema, resolveRef } from "./schema";

export const README_BEGIN = "<!-- config-table:begin (generated from schema/stack.schema.json: npm run gen:schema) -->";
export const README_END = "<!-- config-table:end -->";
/** Pulumi.yaml from this line on is generated. */
export const PULUMI_CONFIG_MARKER = "# Generated from schema/stack.schema.json (npm run gen:schema); edit the schema, not this block.";

const props = (n: SchemaNode): [string, SchemaNode][] => Object.entries(resolveRef(n).properties ?? {});

/** Pulumi.yaml's typed declaration of each top-level key, its default and a description naming its keys. */
export function pulumiConfigBlock(): string {
    const config: Record<string, Record<string, unknown>> = {};
    for (const [key, node] of props(CONFIG_SCHEMA)) {
        const decl = { ...(node["x-pulumi"] ?? {}) };
        const nested = props(node).map(([k]) => k);
        const items = node.items ? props(node.items).map(([k]) => k) : [];
        const keys = nested.length > 0 ? ` Keys: ${nested.join(", ")}.` : items.length > 0 ? ` Each: ${items.join(", ")}.` : "";
        const { default: def, ...rest } = decl;
        const desc = (node.description ?? "").replace(/([^.])$/, "$1.");
        config[key] = { ...rest, ...(def !== undefined ? { default: def } : {}), description: `${desc}${keys} See README, Configuration.` };
    }
    return `${PULUMI_CONFIG_MARKER}\n${stringify({ config }, { lineWidth: 0 })}`;
}

/** Pulumi.yaml with its config block regenerated (everything above the marker kept). */
export function withPulumiConfig(pulumiYaml: string): string {
    const at = pulumiYaml.indexOf(PULUMI_CONFIG_MARKER);
    const head = at >= 0 ? pulumiYaml.slice(0, at) : pulumiYaml.replace(/^config:[\s\S]*$/m, "");
    return `${head}${pulumiConfigBlock()}`;
}

const code = (v: unknown): string => `\`${typeof v === "string" ? v : JSON.stringify(v).replace(/"([A-Za-z][\w-]*)":/g, "$1: ").replace(/,/g, ", ")}\``;

function defaultText(n: SchemaNode): string {
    if (n["x-default"] !== undefined) return n["x-default"];
    if (n.default !== undefined) return code(n.default);
    return "-";
}

function meaning(n: SchemaNode): string {
    const r = resolveRef(n);
    const parts = [n.description ?? r.description ?? ""];
    const en = r.enum ?? r.items?.enum;
    if (en) parts.push(`one of ${en.map((e) => `\`${String(e)}\``).join(", ")}`);
    if (r.minimum !== undefined && r.maximum !== undefined) parts.push(`${r.minimum}-${r.maximum}`);
    return parts.filter(Boolean).join("; ").replace(/\|/g, "\\|");
}

/** One row per key, nested keys by their path (`addressPlan.lbPools[].cidr`). */
export function configTableRows(): string[] {
    const rows: string[] = [];
    const walk = (path: string, n: SchemaNode, top: boolean): void => {
        const r = resolveRef(n);
        const children = props(r);
        const itemChildren = r.items ? props(r.items) : [];
        const label = `\`${path}\`${n["x-secret"] ? " (secret)" : ""}`;
        if (children.length > 0 && !n.$ref) {
            if (!top) rows.push(`| ${label} | ${defaultText(n)} | ${meaning(n)} |`);
            for (const [k, c] of children) walk(`${path}.${k}`, c, false);
        } else if (itemChildren.length > 0) {
            rows.push(`| \`${path}[]\` | ${defaultText(n)} | ${meaning(n)} |`);
            for (const [k, c] of itemChildren) walk(`${path}[].${k}`, c, false);
        } else {
            rows.push(`| ${label} | ${defaultText(n)} | ${meaning(n)} |`);
        }
    };
    for (const [k, n] of props(CONFIG_SCHEMA)) walk(k, n, true);
    return rows;
}

export function configTable(): string {
    return ["| Key | Default | Meaning |", "|---|---|---|", ...configTableRows()].join("\n");
}

/** README with the table between the markers regenerated. */
export function withConfigTable(readme: string): string {
    const begin = readme.indexOf(README_BEGIN);
    const end = readme.indexOf(README_END);
    if (begin < 0 || end < begin) throw new Error(`README.md lacks the markers ${README_BEGIN} ... ${README_END}`);
    return `${readme.slice(0, begin)}${README_BEGIN}\n${configTable()}\n${readme.slice(end)}`;
}

/**
 * The stack file's `config:` map as editors check it: each project key namespaced, secrets also as
 * `{secure: ...}`; keys of other namespaces allowed; any other key (a misspelt project key) refused.
 */
export function stackFileConfigDefinition(): Record<string, unknown> {
    const properties: Record<string, unknown> = {};
    for (const [k, n] of props(CONFIG_SCHEMA)) {
        const ref = { $ref: `#/definitions/config/properties/${k}` };
        properties[`${PROJECT}:${k}`] = n["x-secret"] ? { anyOf: [ref, { $ref: "#/definitions/secure" }] } : ref;
    }
    return {
        type: "object",
        description: `Configuration keys: ${PROJECT}:<key> for this project's (see definitions.config); other namespaces pass through.`,
        properties,
        patternProperties: { [`^(?!${PROJECT}:)[^:]+:.+$`]: {} },
        additionalProperties: false,
    };
}

/** The schema file's text with its generated part regenerated. */
export function withStackFileConfig(schema: StackSchema): string {
    const out = { ...schema, definitions: { ...schema.definitions, stackFileConfig: stackFileConfigDefinition() } };
    return `${JSON.stringify(out, null, 2)}\n`;
}

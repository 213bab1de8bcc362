/**
 * README's component Args tables, generated from the multi-language package's schema (the
 * analyzer reads the Args interfaces' doc comments), so the tables cannot drift from the code.
 * `npm run docs:args` rewrites the README section; a test fails when it is stale.
 */
import * as fs from "fs";
import * as path from "path";
import { ComponentProvider } from "@pulumi/pulumi/provider/experimental";
import { PACKAGE_COMPONENTS, PACKAGE_NAME } from "../provider";

export const BEGIN = "<!-- args-tables:begin (generated: npm run docs:args) -->";
export const END = "<!-- args-tables:end -->";

interface Prop { type?: string; $ref?: string; items?: Prop; additionalProperties?: Prop; description?: string }
interface Schema {
    resources: Record<string, { inputProperties: Record<string, Prop>; requiredInputs?: string[]; properties: Record<string, Prop> }>;
    types: Record<string, { properties: Record<string, Prop>; required?: string[] }>;
}

const short = (ref: string): string => ref.split(":").pop() ?? ref;
function typeOf(p: Prop): string {
    if (p.$ref === "pulumi.json#/Any") return "any";
    // Another package's resource (e.g. a Kubernetes provider): /kubernetes/v4.34.2/schema.json#/resources/kubernetes.
    const external = /^\/([^/]+)\/[^#]*#\/resources\/(.+)$/.exec(p.$ref ?? "");
    if (external) return external[2] === external[1] ? `${external[1]} provider` : external[2];
    if (p.$ref) return short(p.$ref);
    if (p.type === "array") return `${typeOf(p.items ?? {})}[]`;
    if (p.type === "object") return `map of ${typeOf(p.additionalProperties ?? {})}`;
    return p.type ?? "?";
}
const cell = (s: string | undefined): string => (s ?? "").replace(/\s*\n\s*/g, " ").replace(/\|/g, "\\|");
function table(props: Record<string, Prop>, required: string[]): string[] {
    const rows = ["| Name | Type | Required | Description |", "|---|---|---|---|"];
    for (const [k, p] of Object.entries(props)) rows.push(`| \`${k}\` | ${typeOf(p)} | ${required.includes(k) ? "yes" : "no"} | ${cell(p.description)} |`);
    return rows;
}

export function argsTables(schemaJson: string): string {
    const s = JSON.parse(schemaJson) as Schema;
    const out: string[] = [BEGIN, ""];
    for (const [token, r] of Object.entries(s.resources).sort(([a], [b]) => a.localeCompare(b))) {
        out.push(`#### ${short(token)} (\`${token}\`)`, "", ...table(r.inputProperties, r.requiredInputs ?? []), "");
        out.push(`Outputs: ${Object.keys(r.properties).map((k) => `\`${k}\``).join(", ")}.`, "");
    }
    out.push("Nested argument types:", "");
    for (const [token, t] of Object.entries(s.types).sort(([a], [b]) => a.localeCompare(b))) {
        out.push(`##### ${short(token)}`, "", ...table(t.properties, t.required ?? []), "");
    }
    out.push(END);
    return out.join("\n");
}

export async function packageSchema(root: string): Promise<string> {
    return new ComponentProvider({ components: PACKAGE_COMPONENTS, name: PACKAGE_NAME, dirname: root }).getSchema();
}

/** The README with its generated section replaced. */
export function withTables(readme: string, tables: string): string {
    const a = readme.indexOf(BEGIN);
    const b = readme.indexOf(END);
    if (a < 0 || b < a) throw new Error("README.md has no args-tables markers");
    return readme.slice(0, a) + tables + readme.slice(b + END.length);
}

if (require.main === module) {
    const root = path.resolve(__dirname, "..");
    void packageSchema(root).then((schema) => {
        const file = path.join(root, "README.md");
        fs.writeFileSync(file, withTables(fs.readFileSync(file, "utf8"), argsTables(schema)));
        console.log("README.md: args tables updated");
    });
}

/**
 * `npm run gen:schema [-- --check]`: regenerates Pulumi.yaml's config block, the README's
 * configuration table and the schema's stack-file wrapper from schema/stack.schema.json.
 * With --check nothing is written and the exit status is 1 when any of them drifted.
 */
import * as fs from "fs";
import * as path from "path";
import { withConfigTable, withPulumiConfig, withStackFileConfig } from "../components/config/schema-docs";
import type { StackSchema } from "../components/config/schema";

const ROOT = path.resolve(__dirname, "..");
const check = process.argv.includes("--check");
const schemaFile = path.join(ROOT, "schema/stack.schema.json");
const targets: [string, (text: string) => string][] = [
    [schemaFile, (t) => withStackFileConfig(JSON.parse(t) as StackSchema)],
    [path.join(ROOT, "Pulumi.yaml"), withPulumiConfig],
    [path.join(ROOT, "README.md"), withConfigTable],
];
let drift = 0;
for (const [file, gen] of targets) {
    const before = fs.readFileSync(file, "utf8");
    const after = gen(before);
    if (after === before) continue;
    drift++;
    if (check) process.stderr.write(`gen:schema: ${path.relative(ROOT, file)} is out of date (run npm run gen:schema)\n`);
    else { fs.writeFileSync(file, after); process.stderr.write(`gen:schema: wrote ${path.relative(ROOT, file)}\n`); }
}
process.exitCode = check && drift > 0 ? 1 : 0;

/** The schema is the one source: generated files match it, its defaults are the loader's, editors can use it. */
import { strict as assert } from "assert";
import * as fs from "fs";
import * as path from "path";
import Ajv from "ajv";
import { parse } from "yaml";
import { loadStack } from "./index";
import { CONFIG_SCHEMA, STACK_SCHEMA, type SchemaNode, type StackSchema } from "./schema";
import { withConfigTable, withPulumiConfig, withStackFileConfig } from "./schema-docs";
import { listStacks } from "./stackfile";
import { fixtureConfig } from "../plan/fixtures";

const ROOT = path.resolve(__dirname, "../..");
const read = (f: string): string => fs.readFileSync(path.join(ROOT, f), "utf8");

describe("stack configuration schema (schema/stack.schema.json)", () => {
    it("Pulumi.yaml's config block, the README table and the schema's stack-file part are generated from it (npm run gen:schema)", () => {
        assert.equal(withStackFileConfig(JSON.parse(read("schema/stack.schema.json")) as StackSchema), read("schema/stack.schema.json"), "schema/stack.schema.json drifted: npm run gen:schema");
        assert.equal(withPulumiConfig(read("Pulumi.yaml")), read("Pulumi.yaml"), "Pulumi.yaml drifted: npm run gen:schema");
        assert.equal(withConfigTable(read("README.md")), read("README.md"), "README.md's configuration table drifted: npm run gen:schema");
    });

    it("the drift check can fail: an edited description changes the generated README table", () => {
        const readme = read("README.md");
        const node = (CONFIG_SCHEMA.properties as Record<string, SchemaNode>).ipFamily;
        const saved = node.description;
        node.description = "changed";
        try {
            assert.notEqual(withConfigTable(readme), readme);
        } finally {
            node.description = saved;
        }
        assert.equal(withConfigTable(readme), readme);
    });

    it("every default the schema states is the one the loader applies", () => {
        const raw = fixtureConfig({ family: "ipv4", nodes: 2, topology: "tor" });
        delete (raw.cluster as Record<string, unknown>).name;
        const { config } = loadStack("t", raw, "pw");
        const checked: string[] = [];
        const walk = (node: SchemaNode, at: string[], model: unknown): void => {
            for (const [k, child] of Object.entries(node.properties ?? {})) {
                if (child["x-secret"]) continue;
                const value = typeof model === "object" && model !== null ? (model as Record<string, unknown>)[k] : undefined;
                if (child.default !== undefined && at.length > 0) {
                    assert.deepEqual(value, child.default, [...at, k].join("."));
                    checked.push([...at, k].join("."));
                }
                // addressPlan.ipv6 exists on dual stacks only: walked below with one.
                if (child.properties && !(value === undefined && [...at, k].join(".") === "addressPlan.ipv6")) walk(child, [...at, k], value);
            }
        };
        walk(CONFIG_SCHEMA, [], config);
        const dual = loadStack("t", { ...raw, ipFamily: "dual", addressPlan: { ...(raw.addressPlan as Record<string, unknown>), ipv6: { aggregate: "2001:db8::/32" } } }, "pw").config;
        const ap = (CONFIG_SCHEMA.properties ?? {}).addressPlan;
        walk({ properties: { addressPlan: { properties: { ipv6: (ap.properties ?? {}).ipv6 } } } }, [], dual);
        assert.ok(checked.includes("addressPlan.ipv6.nodeHostOffset"), checked.join(", "));
        const top = (CONFIG_SCHEMA.properties ?? {}).ipFamily.default;
        assert.equal(config.ipFamily, top);
        assert.ok(checked.length >= 30, checked.join(", "));
    });

    it("checks every shipped Pulumi.<stack>.yaml as an editor would (and refuses a misspelt project key, not another namespace's)", () => {
        const ajv = new Ajv({ allErrors: true, strict: true });
        ajv.addVocabulary(["x-default", "x-messages", "x-pulumi", "x-secret"]);
        const validate = ajv.compile(STACK_SCHEMA);
        const stacks = listStacks(ROOT);
        assert.ok(stacks.length >= 3);
        for (const s of stacks) {
            const text = read(`Pulumi.${s}.yaml`);
            assert.match(text, /^# yaml-language-server: \$schema=\.\/schema\/stack\.schema\.json$/m, `${s}: the editor line`);
            assert.ok(validate(parse(text)), `${s}: ${JSON.stringify(validate.errors)}`);
        }
        const doc = parse(read("Pulumi.dev.yaml")) as { config: Record<string, unknown> };
        assert.ok(validate({ config: { ...doc.config, "kubernetes:context": "kind-dev", "cilium-bgp-fabric:bgpPassword": { secure: "v1:abc" } } }));
        assert.ok(!validate({ config: { ...doc.config, "cilium-bgp-fabric:adressPlan": {} } }));
        assert.ok(!validate({ config: { ...doc.config, "cilium-bgp-fabric:routers": [{ name: "r1", asn: 65001, flavor: "frr" }] } }));
    });
});

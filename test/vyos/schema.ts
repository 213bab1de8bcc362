/**
 * VyOS configuration-tree definitions (interface-definitions, expanded) as a tree of path
 * words with their value constraints, loaded from the shared reference files.
 */
import * as fs from "fs";
import * as path from "path";
import { type XmlElement, childNamed, childrenNamed, parseXml } from "./xml";
import { referencePath } from "../../reference/locate";

export type NodeKind = "root" | "node" | "tag" | "leaf";

/** One constraint entry; a value is valid when ANY entry passes. */
export type ConstraintEntry =
    | { kind: "regex"; pattern: string }
    | { kind: "validator"; name: string; argument: string }
    | { kind: "group"; entries: ConstraintEntry[] };

export interface SchemaNode {
    name: string;
    kind: NodeKind;
    children: Map<string, SchemaNode>;
    /** Empty: any value is accepted. */
    constraints: ConstraintEntry[];
    valueless: boolean;
    multi: boolean;
    /** `<defaultValue>` of a leaf or tag node (VyOS's config dict fills leaves in from it). */
    defaultValue?: string;
}

/** The shared reference directory, found from this file (never copied into the project). */
export const VYOS_REFERENCE_DIR = referencePath("vyos", "expanded");

function constraintEntries(el: XmlElement): ConstraintEntry[] {
    const out: ConstraintEntry[] = [];
    for (const c of el.children) {
        if (c.name === "regex") out.push({ kind: "regex", pattern: c.text });
        else if (c.name === "validator") {
            // Some definitions put the arguments into the name ("file-path --lookup-path ...").
            const [name, ...rest] = (c.attrs.name ?? "").split(/\s+/);
            out.push({ kind: "validator", name, argument: [rest.join(" "), c.attrs.argument ?? ""].join(" ").trim() });
        } else if (c.name === "constraintGroup") out.push({ kind: "group", entries: constraintEntries(c) });
    }
    return out;
}

const KINDS: Record<string, NodeKind> = { node: "node", tagNode: "tag", leafNode: "leaf" };

function addChildren(parent: SchemaNode, el: XmlElement): void {
    for (const c of el.children) {
        const kind = KINDS[c.name];
        if (!kind) continue;
        const name = c.attrs.name;
        const props = childNamed(c, "properties");
        const constraint = props && childNamed(props, "constraint");
        let node = parent.children.get(name);
        if (!node) {
            node = {
                name, kind, children: new Map(),
                constraints: constraint ? constraintEntries(constraint) : [],
                valueless: props ? childrenNamed(props, "valueless").length > 0 : false,
                multi: props ? childrenNamed(props, "multi").length > 0 : false,
            };
            parent.children.set(name, node);
        } else if (node.kind !== kind) {
            throw new Error(`conflicting definitions of ${name}: ${node.kind} and ${kind}`);
        }
        // A later definition of the same node may add its default (bmp target port: an include, then `<defaultValue>5000`).
        const def = childNamed(c, "defaultValue");
        if (def) node.defaultValue = def.text;
        const kids = childNamed(c, "children");
        if (kids) addChildren(node, kids);
    }
}

/** Merges every definition file of the directory into one tree. */
export function loadSchema(dir = VYOS_REFERENCE_DIR): SchemaNode {
    const root: SchemaNode = { name: "", kind: "root", children: new Map(), constraints: [], valueless: false, multi: false };
    const files = fs.readdirSync(dir).filter((f) => f.endsWith(".xml")).sort();
    if (files.length === 0) throw new Error(`no VyOS definitions in ${dir}`);
    for (const f of files) {
        const doc = parseXml(fs.readFileSync(path.join(dir, f), "utf8"));
        const def = childNamed(doc, "interfaceDefinition");
        if (!def) throw new Error(`${f}: no <interfaceDefinition>`);
        addChildren(root, def);
    }
    return root;
}

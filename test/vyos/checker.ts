/**
 * Checks VyOS `set` commands against VyOS's own configuration-tree definitions (path words,
 * tag and leaf values) and against the semantic rules of VyOS's BGP verify step that the
 * definitions cannot express (see ../shared/README.md, "reference/vyos").
 */
import { vyosWords } from "../../components/routers/vyosboot";
import { type ConstraintEntry, type SchemaNode, loadSchema } from "./schema";
import { runValidator } from "./validators";

export interface CommandProblem {
    command: string;
    reason: string;
}

/** A command resolved against the tree: path words, each with its value for tag nodes and leaves. */
export interface ResolvedStep {
    word: string;
    kind: SchemaNode["kind"];
    value?: string;
}

function passes(entries: ConstraintEntry[], value: string): boolean {
    const one = (e: ConstraintEntry): boolean => {
        switch (e.kind) {
            case "regex": return new RegExp(`^(?:${e.pattern})$`).test(value);
            case "validator": return runValidator(e.name, e.argument, value);
            case "group": return e.entries.every(one);
        }
    };
    return entries.length === 0 || entries.some(one);
}

function describe(entries: ConstraintEntry[]): string {
    return entries.map((e) => e.kind === "regex" ? `/${e.pattern}/` : e.kind === "validator" ? `${e.name} ${e.argument}`.trim() : `(${describe(e.entries)})`).join(" | ");
}

/** Resolves one `set` command against the tree; a string is the reason it is invalid. */
export function resolveCommand(schema: SchemaNode, command: string): ResolvedStep[] | string {
    const words = vyosWords(command);
    if (words[0] !== "set") return "not a set command";
    const steps: ResolvedStep[] = [];
    let node = schema;
    let i = 1;
    if (words.length < 2) return "empty path";
    while (i < words.length) {
        const word = words[i];
        const child = node.children.get(word);
        const where = steps.map((s) => s.value === undefined ? s.word : `${s.word} ${s.value}`).join(" ") || "(top)";
        if (!child) {
            const hint = /^\d+$/.test(word) && where === "protocols bgp" ? " (VyOS 1.2 syntax: use 'protocols bgp system-as N')" : "";
            return `unknown path word '${word}' under '${where}'${hint}`;
        }
        i++;
        if (child.kind === "node") {
            steps.push({ word, kind: "node" });
        } else if (child.kind === "tag") {
            if (i >= words.length) return `'${word}' needs a value`;
            const value = words[i++];
            if (!passes(child.constraints, value)) return `value '${value}' of '${word}' fails its constraint (${describe(child.constraints)})`;
            steps.push({ word, kind: "tag", value });
        } else if (child.kind === "leaf") {
            const rest = words.slice(i);
            if (child.valueless) {
                if (rest.length > 0) return `'${word}' takes no value (got '${rest.join(" ")}')`;
                steps.push({ word, kind: "leaf" });
            } else {
                if (rest.length !== 1) return `'${word}' takes exactly one value (got ${rest.length})`;
                if (!passes(child.constraints, rest[0])) return `value '${rest[0]}' of '${word}' fails its constraint (${describe(child.constraints)})`;
                steps.push({ word, kind: "leaf", value: rest[0] });
            }
            return steps;
        }
        node = child;
    }
    return steps;
}

const key = (steps: ResolvedStep[]): string[] => steps.flatMap((s) => (s.value === undefined ? [s.word] : [s.word, s.value]));

/** Checks a whole configuration: every command, then the cross-command rules of VyOS's verify step. */
export function checkCommands(commands: string[], schema: SchemaNode = defaultSchema()): CommandProblem[] {
    const problems: CommandProblem[] = [];
    const resolved: { command: string; path: string[] }[] = [];
    for (const command of commands) {
        const words = vyosWords(command);
        // Rules with a clearer message than "unknown path word" come first.
        if (words[1] === "protocols" && words[2] === "bgp" && words[3] === "peer-group" && words[5] === "timers") {
            problems.push({ command, reason: "timers cannot be set on a peer-group (only per neighbor or globally)" });
            continue;
        }
        const r = resolveCommand(schema, command);
        if (typeof r === "string") { problems.push({ command, reason: r }); continue; }
        const path = key(r);
        const last = r[r.length - 1];
        if (last.word === "password" && last.value !== undefined && /\s/.test(last.value)) {
            problems.push({ command, reason: "BGP passwords may not contain spaces" });
            continue;
        }
        resolved.push({ command, path });
    }
    const under = (prefix: string[]): { command: string; rest: string[] }[] => resolved
        .filter((c) => prefix.every((w, i) => c.path[i] === w))
        .map((c) => ({ command: c.command, rest: c.path.slice(prefix.length) }));
    const bgp = under(["protocols", "bgp"]);
    if (bgp.length > 0 && !bgp.some((c) => c.rest[0] === "system-as")) {
        problems.push({ command: "set protocols bgp system-as", reason: "BGP is configured but 'protocols bgp system-as' is missing" });
    }
    const groups = new Set(bgp.filter((c) => c.rest[0] === "peer-group").map((c) => c.rest[1]));
    const neighbors = new Set(bgp.filter((c) => c.rest[0] === "neighbor").map((c) => c.rest[1]));
    const groupOf = new Map<string, string>();
    for (const c of bgp) {
        if (c.rest[0] === "neighbor" && c.rest[2] === "peer-group") {
            groupOf.set(c.rest[1], c.rest[3]);
            if (!groups.has(c.rest[3])) problems.push({ command: c.command, reason: `peer-group '${c.rest[3]}' does not exist` });
        }
    }
    const has = (kind: string, name: string, pred: (rest: string[]) => boolean): boolean =>
        bgp.some((c) => c.rest[0] === kind && c.rest[1] === name && pred(c.rest.slice(2)));
    for (const [kind, names] of [["neighbor", neighbors], ["peer-group", groups]] as const) {
        for (const name of [...names].sort()) {
            if (!has(kind, name, (r) => r[0] === "address-family" && (r[1] === "ipv4-unicast" || r[1] === "ipv6-unicast"))) {
                problems.push({ command: `set protocols bgp ${kind} ${name}`, reason: `${kind} ${name} has no explicit address-family ipv4-unicast|ipv6-unicast` });
            }
            const ka = has(kind, name, (r) => r[0] === "timers" && r[1] === "keepalive");
            const ht = has(kind, name, (r) => r[0] === "timers" && r[1] === "holdtime");
            if (ka !== ht) problems.push({ command: `set protocols bgp ${kind} ${name} timers`, reason: `${kind} ${name} sets only one of timers keepalive/holdtime (VyOS applies them only together)` });
        }
    }
    for (const n of [...neighbors].sort()) {
        const g = groupOf.get(n);
        if (!has("neighbor", n, (r) => r[0] === "remote-as" || (r[0] === "interface" && r.includes("remote-as"))) &&
            !(g !== undefined && has("peer-group", g, (r) => r[0] === "remote-as"))) {
            problems.push({ command: `set protocols bgp neighbor ${n}`, reason: `neighbor ${n} has no remote-as (neither its own nor its peer-group's)` });
        }
    }
    const gka = bgp.some((c) => c.rest[0] === "timers" && c.rest[1] === "keepalive");
    const ght = bgp.some((c) => c.rest[0] === "timers" && c.rest[1] === "holdtime");
    if (gka !== ght) problems.push({ command: "set protocols bgp timers", reason: "only one of the global timers keepalive/holdtime is set" });
    // References into `policy`: route-maps used by BGP, prefix-lists used by route-maps.
    const routeMaps = new Set(under(["policy", "route-map"]).map((c) => c.rest[0]));
    for (const c of bgp) {
        const i = c.rest.indexOf("route-map");
        if (i >= 0 && (c.rest[i + 1] === "import" || c.rest[i + 1] === "export") && !routeMaps.has(c.rest[i + 2])) {
            problems.push({ command: c.command, reason: `route-map '${c.rest[i + 2]}' does not exist under policy route-map` });
        }
    }
    const pl4 = new Set(under(["policy", "prefix-list"]).map((c) => c.rest[0]));
    const pl6 = new Set(under(["policy", "prefix-list6"]).map((c) => c.rest[0]));
    for (const c of under(["policy", "route-map"])) {
        const m = c.rest.indexOf("match");
        if (m < 0 || c.rest[m + 2] !== "address" || c.rest[m + 3] !== "prefix-list") continue;
        const v6 = c.rest[m + 1] === "ipv6";
        const name = c.rest[m + 4];
        if (!(v6 ? pl6 : pl4).has(name)) problems.push({ command: c.command, reason: `${v6 ? "prefix-list6" : "prefix-list"} '${name}' does not exist` });
    }
    return problems;
}

let cached: SchemaNode | undefined;
/** The reference definitions, loaded once per process. */
export function defaultSchema(): SchemaNode {
    cached ??= loadSchema();
    return cached;
}

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

const node = (name: string, kind: SchemaNode["kind"], children: SchemaNode[] = [], constraints: ConstraintEntry[] = [], o: { defaultValue?: string } = {}): SchemaNode => ({
    name, kind, children: new Map(children.map((c) => [c.name, c])), constraints, valueless: false, multi: false, ...o,
});
const numeric = (range: string): ConstraintEntry[] => [{ kind: "validator", name: "numeric", argument: `--range ${range}` }];

/**
 * Paths the project renders whose definitions are NOT in the reference (../shared/reference/vyos
 * holds no high-availability.xml): a transcription of the few nodes used, from vyos-1x
 * interface-definitions/high-availability.xml.in at the reference commit (group, vrid, priority,
 * advertise-interval, preempt-delay, address, global-parameters version, with their defaultValues; interface from
 * include/generic-interface-broadcast.xml.i, whose interface-name constraint is not transcribed).
 * Commands under these roots are checked against it and ALSO listed as unchecked against the
 * reference definitions (checkCommandsReport), never passed silently.
 */
export const UNREFERENCED: Record<string, { source: string; schema: SchemaNode }> = {
    "high-availability": {
        source: "vyos-1x interface-definitions/high-availability.xml.in",
        schema: node("high-availability", "node", [node("vrrp", "node", [
            node("global-parameters", "node", [node("version", "leaf", [], numeric("2-3"))]),
            node("group", "tag", [
                node("interface", "leaf"),
                node("vrid", "leaf", [], numeric("1-255")),
                node("priority", "leaf", [], numeric("1-255"), { defaultValue: "100" }),
                node("advertise-interval", "leaf", [], numeric("1-255"), { defaultValue: "1" }),
                node("preempt-delay", "leaf", [], numeric("0-1000"), { defaultValue: "0" }),
                // <validator name="ip-host"/> | <validator name="ip-address"/>
                node("address", "tag", [], [{ kind: "validator", name: "ip-host", argument: "" }, { kind: "validator", name: "ip-address", argument: "" }]),
            ]),
        ])]),
    },
};

/** The reference definitions plus the transcribed unreferenced roots (for resolving and SHAPE checks). */
export function withUnreferenced(schema: SchemaNode): SchemaNode {
    const children = new Map(schema.children);
    for (const [word, u] of Object.entries(UNREFERENCED)) if (!children.has(word)) children.set(word, u.schema);
    return { ...schema, children };
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
    return checkCommandsReport(commands, schema).problems;
}

export interface CheckReport {
    problems: CommandProblem[];
    /** Commands whose paths are not in the reference definitions (checked only against UNREFERENCED's transcription). */
    unchecked: CommandProblem[];
}

/** checkCommands, plus the list of what it could not check against the reference definitions. */
export function checkCommandsReport(commands: string[], reference: SchemaNode = defaultSchema()): CheckReport {
    const schema = withUnreferenced(reference);
    const unchecked: CommandProblem[] = [];
    for (const command of commands) {
        const root = vyosWords(command)[1];
        const u = root !== undefined && !reference.children.has(root) ? UNREFERENCED[root] : undefined;
        if (u) unchecked.push({ command, reason: `not in the reference definitions (${u.source} is not in ../shared/reference/vyos): checked only against the checker's transcription of it` });
    }
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
    problems.push(...verifyVrrp(under(["high-availability", "vrrp", "group"])));
    return { problems, unchecked };
}

/**
 * vyos-1x src/conf_mode/high-availability.py verify(), the rules for the nodes used: a group needs
 * vrid, interface and address; it may not mix IPv4 and IPv6 addresses; a VRID is used once per
 * interface and family.
 */
function verifyVrrp(groupCommands: { command: string; rest: string[] }[]): CommandProblem[] {
    const problems: CommandProblem[] = [];
    const groups = [...new Set(groupCommands.map((c) => c.rest[0]))].sort();
    const used = new Map<string, string>();
    for (const g of groups) {
        const mine = groupCommands.filter((c) => c.rest[0] === g);
        const value = (word: string): string | undefined => mine.find((c) => c.rest[1] === word)?.rest[2];
        const where = `set high-availability vrrp group ${g}`;
        for (const [word, what] of [["vrid", "VRID"], ["interface", "Interface"], ["address", "Virtual IP address"]] as const) {
            if (value(word) === undefined) problems.push({ command: where, reason: `${what} is required but not set in VRRP group "${g}"` });
        }
        const addresses = mine.filter((c) => c.rest[1] === "address").map((c) => c.rest[2]);
        const v6 = addresses.filter((a) => a.includes(":")).length;
        if (v6 > 0 && v6 < addresses.length) problems.push({ command: where, reason: `VRRP group "${g}" mixes IPv4 and IPv6 virtual addresses, this is not allowed` });
        const key = `${value("interface")}|${value("vrid")}|${v6 > 0 ? "IPv6" : "IPv4"}`;
        if (addresses.length > 0 && used.has(key)) problems.push({ command: where, reason: `VRID "${value("vrid")}" can only be used once on interface "${value("interface")}" with address family ${v6 > 0 ? "IPv6" : "IPv4"} (also group ${used.get(key)})` });
        used.set(key, g);
    }
    return problems;
}

let cached: SchemaNode | undefined;
/** The reference definitions, loaded once per process. */
export function defaultSchema(): SchemaNode {
    cached ??= loadSchema();
    return cached;
}

let cachedFull: SchemaNode | undefined;
/** The reference definitions plus UNREFERENCED's transcriptions (what the lab builds config dicts from). */
export function fullSchema(): SchemaNode {
    cachedFull ??= withUnreferenced(defaultSchema());
    return cachedFull;
}

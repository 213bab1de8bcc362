/**
 * The plan diff (`npm run plan -- --stack X --diff <ref>`): two rendered plan directories in,
 * a review summary as Markdown out (for a pull request comment). Pure: no files, no git; the
 * trees are what `npm run plan` writes (plan.json, routers/, manifests/, cilium/, cluster/, ...),
 * already redacted by it, so nothing here ever sees a secret it would have to hide.
 *
 * Moved allocations (the same role and name at a different prefix or address) renumber live
 * systems on `pulumi up`, so they are listed first, each on a ⚠️ line.
 */
import { structuredPatch } from "diff";
import { isDeepStrictEqual } from "util";
import { parse } from "yaml";

/** A rendered plan directory: path relative to it (forward slashes) -> file content. */
export type PlanTree = ReadonlyMap<string, string>;

export interface DiffSide {
    /** How the summary names this side: "`main` (1a2b3c4)", "this change". */
    label: string;
    /** The rendered plan, or undefined when the stack does not exist on this side (a new stack). */
    tree: PlanTree | undefined;
}

export interface PlanDiffOptions {
    /** Lines of one file's unified diff shown before the rest is cut (the full files are in the plan artifact). */
    maxDiffLines?: number;
    /** Changed fields listed per Kubernetes object before the rest is counted. */
    maxFields?: number;
}

/** Code-unit order, not localeCompare: the same bytes on every machine whatever its locale. */
const cmp = (a: string, b: string): number => (a < b ? -1 : a > b ? 1 : 0);
const sorted = <T>(xs: Iterable<T>, key: (x: T) => string): T[] => [...xs].sort((a, b) => cmp(key(a), key(b)));

/** Inline code that survives any backtick inside it (CommonMark: a longer fence, padded). */
export function code(s: string): string {
    const runs = s.match(/`+/g) ?? [];
    const fence = "`".repeat(Math.max(0, ...runs.map((r) => r.length)) + 1);
    const pad = s.startsWith("`") || s.endsWith("`") ? " " : "";
    return `${fence}${pad}${s}${pad}${fence}`;
}
const cell = (s: string): string => s.replace(/\|/g, "\\|").replace(/\n/g, " ");
/** A fenced block whose fence is longer than any backtick run in the content. */
function fenced(lang: string, body: string): string {
    const runs = body.match(/`{3,}/g) ?? [];
    const fence = "`".repeat(Math.max(2, ...runs.map((r) => r.length)) + 1);
    return `${fence}${lang}\n${body.endsWith("\n") ? body : `${body}\n`}${fence}`;
}
const plural = (n: number, one: string, many = `${one}s`): string => `${n} ${n === 1 ? one : many}`;

// ---------------------------------------------------------------------------------------------
// plan.json, read defensively: the other side may come from older code with fewer fields.

type Json = Record<string, unknown>;
const obj = (v: unknown): Json => (typeof v === "object" && v !== null && !Array.isArray(v) ? v as Json : {});
const list = (v: unknown): unknown[] => (Array.isArray(v) ? v : []);
const str = (v: unknown): string | undefined => (typeof v === "string" ? v : typeof v === "number" ? String(v) : undefined);

function planJson(tree: PlanTree | undefined): Json {
    const text = tree?.get("plan.json");
    if (text === undefined) return {};
    try {
        return obj(JSON.parse(text));
    } catch {
        return {};
    }
}

/** One address assignment: what holds it (role + name) and the prefix or address it holds. */
export interface Allocation {
    role: string;
    name: string;
    value: string;
}

/**
 * Every assignment the plan makes: its allocations (aggregate, node network, pools, rack
 * subnets, links, loopbacks, ...), and per node and router the addresses live systems carry
 * (node address, pod CIDR, router ID; router loopback, router ID, interface addresses).
 */
export function allocationsOf(plan: Json): Allocation[] {
    const ap = obj(plan.addressPlan);
    const out: Allocation[] = [];
    const add = (role: string, name: string | undefined, value: string | undefined): void => {
        if (name !== undefined && value !== undefined) out.push({ role, name, value });
    };
    for (const a of list(ap.allocations).map(obj)) add(str(a.role) ?? "allocation", str(a.use) ?? str(a.source), str(a.prefix));
    for (const n of list(ap.nodes).map(obj)) {
        const name = str(n.name);
        const len = str(n.prefixLength);
        const address = str(n.address);
        add("node address", name, address !== undefined && len !== undefined ? `${address}/${len}` : address);
        add("node pod CIDR", name, str(n.podCidr));
        add("node router ID", name, str(n.routerId));
    }
    for (const r of list(ap.routers).map(obj)) {
        const name = str(r.name);
        add("router loopback", name, str(r.loopback));
        add("router ID", name, str(r.routerId));
        for (const i of list(r.interfaces).map(obj)) {
            const address = str(i.address);
            const len = str(i.prefixLength);
            add("router interface", name === undefined ? undefined : `${name} on ${str(i.network) ?? "?"}`, address !== undefined && len !== undefined ? `${address}/${len}` : address);
        }
    }
    return out;
}

export interface AllocationChanges {
    added: Allocation[];
    removed: Allocation[];
    moved: { role: string; name: string; from: string; to: string }[];
    unchanged: number;
}

/**
 * Matched by role and name; within one role and name (several aggregates, say) equal values
 * pair first, and what is left pairs in order as moves, the surplus added or removed.
 */
export function diffAllocations(before: Allocation[], after: Allocation[]): AllocationChanges {
    const group = (xs: Allocation[]): Map<string, string[]> => {
        const m = new Map<string, string[]>();
        for (const a of xs) {
            const k = `${a.role}\u0000${a.name}`;
            m.set(k, [...(m.get(k) ?? []), a.value]);
        }
        return m;
    };
    const b = group(before);
    const a = group(after);
    const out: AllocationChanges = { added: [], removed: [], moved: [], unchanged: 0 };
    for (const k of sorted(new Set([...b.keys(), ...a.keys()]), (x) => x)) {
        const [role, name] = k.split("\u0000");
        const left = sorted(b.get(k) ?? [], (x) => x);
        const right = sorted(a.get(k) ?? [], (x) => x);
        const leftOver = [...left];
        const rightOver: string[] = [];
        for (const v of right) {
            const i = leftOver.indexOf(v);
            if (i >= 0) { leftOver.splice(i, 1); out.unchanged++; } else rightOver.push(v);
        }
        const pairs = Math.min(leftOver.length, rightOver.length);
        for (let i = 0; i < pairs; i++) out.moved.push({ role, name, from: leftOver[i], to: rightOver[i] });
        for (const v of leftOver.slice(pairs)) out.removed.push({ role, name, value: v });
        for (const v of rightOver.slice(pairs)) out.added.push({ role, name, value: v });
    }
    return out;
}

/** A BGP session as one line; its identity is every field, so any change is a removal and an addition (the session resets). */
export interface Session {
    key: string;
    text: string;
}

const KNOWN_NODE = ["node", "nodeAddress", "nodeAsn", "router", "routerAddress", "routerAsn", "type", "family", "routeReflectorClient"];
const KNOWN_ROUTER = ["a", "aAddress", "aAsn", "b", "bAddress", "bAsn", "family", "link"];

function extras(s: Json, known: string[]): string {
    const rest = sorted(Object.keys(s).filter((k) => !known.includes(k)), (k) => k).map((k) => `${k}=${JSON.stringify(s[k])}`);
    return rest.length > 0 ? `, ${rest.join(", ")}` : "";
}
function canonical(v: unknown): string {
    if (Array.isArray(v)) return `[${v.map(canonical).join(",")}]`;
    if (typeof v === "object" && v !== null) return `{${sorted(Object.entries(v), ([k]) => k).map(([k, x]) => `${JSON.stringify(k)}:${canonical(x)}`).join(",")}}`;
    return JSON.stringify(v) ?? "null";
}

export function sessionsOf(plan: Json): Session[] {
    const ap = obj(plan.addressPlan);
    const out: Session[] = [];
    for (const s of list(ap.nodeSessions).map(obj)) {
        const rr = s.routeReflectorClient === true ? ", route-reflector client" : "";
        out.push({
            key: `node ${canonical(s)}`,
            text: `node ${str(s.node)} ${str(s.nodeAddress)} AS${str(s.nodeAsn)} ↔ ${str(s.router)} ${str(s.routerAddress)} AS${str(s.routerAsn)} (${str(s.type) ?? "?"}, ${str(s.family) ?? "?"}${rr}${extras(s, KNOWN_NODE)})`,
        });
    }
    for (const s of list(ap.routerSessions).map(obj)) {
        out.push({
            key: `router ${canonical(s)}`,
            text: `router ${str(s.a)} ${str(s.aAddress)} AS${str(s.aAsn)} ↔ ${str(s.b)} ${str(s.bAddress)} AS${str(s.bAsn)} (${str(s.family) ?? "?"}, ${str(s.link) ?? "?"}${extras(s, KNOWN_ROUTER)})`,
        });
    }
    return out;
}

function setDiff<T>(before: T[], after: T[], key: (x: T) => string): { added: T[]; removed: T[]; same: number } {
    const b = new Map(before.map((x) => [key(x), x]));
    const a = new Map(after.map((x) => [key(x), x]));
    return {
        added: sorted([...a].filter(([k]) => !b.has(k)), ([k]) => k).map(([, x]) => x),
        removed: sorted([...b].filter(([k]) => !a.has(k)), ([k]) => k).map(([, x]) => x),
        same: [...a.keys()].filter((k) => b.has(k)).length,
    };
}

// ---------------------------------------------------------------------------------------------
// Files.

export interface FileChange {
    path: string;
    status: "added" | "removed" | "changed";
    added: number;
    removed: number;
    /** Unified diff hunks (no file header): `@@ -1,3 +1,4 @@` and its lines. */
    hunks: string[];
}

/** The unified diff of one file (3 lines of context), or undefined when it did not change. */
export function diffFile(path: string, before: string | undefined, after: string | undefined): FileChange | undefined {
    if (before === after) return undefined;
    const patch = structuredPatch(`a/${path}`, `b/${path}`, before ?? "", after ?? "", "", "", { context: 3 });
    const hunks: string[] = [];
    let added = 0;
    let removed = 0;
    for (const h of patch.hunks) {
        // An empty side starts at the line before (GNU diff and git: `@@ -0,0 +1,9 @@`).
        hunks.push(`@@ -${h.oldLines === 0 ? h.oldStart - 1 : h.oldStart},${h.oldLines} +${h.newLines === 0 ? h.newStart - 1 : h.newStart},${h.newLines} @@`);
        for (const l of h.lines) {
            hunks.push(l);
            if (l.startsWith("+")) added++;
            else if (l.startsWith("-")) removed++;
        }
    }
    return { path, status: before === undefined ? "added" : after === undefined ? "removed" : "changed", added, removed, hunks };
}

function diffFiles(before: PlanTree, after: PlanTree, pick: (path: string) => boolean): FileChange[] {
    const paths = sorted(new Set([...before.keys(), ...after.keys()].filter(pick)), (p) => p);
    return paths.map((p) => diffFile(p, before.get(p), after.get(p))).filter((c): c is FileChange => c !== undefined);
}

// ---------------------------------------------------------------------------------------------
// Kubernetes objects (manifests/*.yaml as the plan writes them; remote_*.yaml are references to
// manifests the provider fetches at `pulumi up`).

export interface KubeObject {
    /** apiVersion/kind/namespace/name (namespace left out for cluster-scoped objects). */
    id: string;
    body: unknown;
}

export function objectsOf(tree: PlanTree): KubeObject[] {
    const out: KubeObject[] = [];
    for (const [p, text] of tree) {
        if (!p.startsWith("manifests/") || !p.endsWith(".yaml")) continue;
        let body: unknown;
        try {
            body = parse(text);
        } catch {
            body = text;
        }
        const o = obj(body);
        if (p.startsWith("manifests/remote_")) {
            out.push({ id: `remote manifest ${p.slice("manifests/remote_".length, -".yaml".length)}`, body });
            continue;
        }
        const meta = obj(o.metadata);
        const id = [str(o.apiVersion) ?? "?", str(o.kind) ?? "?", str(meta.namespace), str(meta.name) ?? p].filter((x) => x !== undefined).join("/");
        out.push({ id, body });
    }
    return out;
}

const short = (v: unknown, max = 100): string => {
    const s = v === undefined ? "(absent)" : canonical(v);
    return s.length > max ? `${s.slice(0, max - 1)}…` : s;
};

/** Every leaf (or whole subtree added or removed) that differs: `spec.peers[0].peerAddress`. */
export function changedFields(before: unknown, after: unknown, at = ""): { path: string; before: unknown; after: unknown }[] {
    if (isDeepStrictEqual(before, after)) return [];
    const bothObjects = typeof before === "object" && before !== null && typeof after === "object" && after !== null;
    if (bothObjects && Array.isArray(before) === Array.isArray(after)) {
        if (Array.isArray(before) && Array.isArray(after)) {
            const out = [];
            for (let i = 0; i < Math.max(before.length, after.length); i++) out.push(...changedFields(before[i], after[i], `${at}[${i}]`));
            return out;
        }
        const b = before as Json;
        const a = after as Json;
        const keys = sorted(new Set([...Object.keys(b), ...Object.keys(a)]), (k) => k);
        return keys.flatMap((k) => changedFields(b[k], a[k], /^[A-Za-z_][\w-]*$/.test(k) ? (at ? `${at}.${k}` : k) : `${at}[${JSON.stringify(k)}]`));
    }
    return [{ path: at || "(whole)", before, after }];
}

// ---------------------------------------------------------------------------------------------
// Policy results.

export interface ViolationRow {
    policyName: string;
    enforcementLevel: string;
    resource: string;
    message: string;
}

function violationsOf(plan: Json): ViolationRow[] {
    return list(obj(plan.policy).violations).map(obj).map((v) => ({
        policyName: str(v.policyName) ?? "?", enforcementLevel: str(v.enforcementLevel) ?? "?", resource: str(v.resource) ?? "?", message: str(v.message) ?? "",
    }));
}
const violationKey = (v: ViolationRow): string => `${v.enforcementLevel}\u0000${v.policyName}\u0000${v.resource}\u0000${v.message}`;
const violationText = (v: ViolationRow): string => `[${v.enforcementLevel}] ${v.policyName}: ${v.resource}: ${v.message}`;

// ---------------------------------------------------------------------------------------------
// The summary.

const ROUTERS = (p: string): boolean => p.startsWith("routers/");
const CLUSTER_FILES = (p: string): boolean => p.startsWith("cilium/") || p.startsWith("cluster/");
/** Files whose content the sections above already cover, named only when they change. */
const DERIVED = (p: string): boolean => !ROUTERS(p) && !CLUSTER_FILES(p) && !p.startsWith("manifests/") && p !== "plan.json";

function fileBlock(c: FileChange, maxLines: number): string[] {
    const shown = c.hunks.slice(0, maxLines);
    const cut = c.hunks.length - shown.length;
    const body = [`--- ${c.status === "added" ? "/dev/null" : `a/${c.path}`}`, `+++ ${c.status === "removed" ? "/dev/null" : `b/${c.path}`}`, ...shown];
    if (cut > 0) body.push(`# … ${plural(cut, "more line")} (the whole file is in the plan output)`);
    return [
        `<details><summary>${code(c.path)} ${c.status} (+${c.added} −${c.removed})</summary>`,
        "",
        fenced("diff", body.join("\n")),
        "",
        "</details>",
    ];
}

export function renderPlanDiff(stack: string, before: DiffSide, after: DiffSide, options: PlanDiffOptions = {}): string {
    const maxDiffLines = options.maxDiffLines ?? 400;
    const maxFields = options.maxFields ?? 25;
    const bTree: PlanTree = before.tree ?? new Map();
    const aTree: PlanTree = after.tree ?? new Map();
    const bPlan = planJson(before.tree);
    const aPlan = planJson(after.tree);
    const out: string[] = [`#### Plan diff: ${code(stack)}, ${before.label} → ${after.label}`, ""];

    const alloc = diffAllocations(allocationsOf(bPlan), allocationsOf(aPlan));
    if (alloc.moved.length > 0) {
        out.push(`⚠️ **${plural(alloc.moved.length, "allocation")} moved: ${alloc.moved.length === 1 ? "it renumbers" : "they renumber"} live systems** (addresses in use change at \`pulumi up\`)`, "");
        for (const m of alloc.moved) out.push(`- ⚠️ ${m.role} ${code(m.name)}: ${code(m.from)} → ${code(m.to)}`);
        out.push("");
    }
    if (before.tree === undefined) out.push(`**New stack**: ${code(stack)} does not exist at ${before.label}; everything below is added.`, "");
    if (after.tree === undefined) out.push(`**Stack removed**: ${code(stack)} does not exist at ${after.label}; everything below is removed.`, "");

    const changes: string[] = [];
    for (const [key, label] of [["ipFamily", "IP family"], ["ciliumVersion", "Cilium"]] as const) {
        const b = str(bPlan[key]);
        const a = str(aPlan[key]);
        if (before.tree !== undefined && after.tree !== undefined && b !== a) changes.push(`- ${label}: ${code(b ?? "(absent)")} → ${code(a ?? "(absent)")}`);
    }
    const secretsB = obj(bPlan.secrets);
    const secretsA = obj(aPlan.secrets);
    for (const k of sorted(new Set([...Object.keys(secretsB), ...Object.keys(secretsA)]), (x) => x)) {
        // Where a secret comes from, never its value.
        if (before.tree !== undefined && after.tree !== undefined && str(secretsB[k]) !== str(secretsA[k])) {
            changes.push(`- secret ${code(k)} from: ${str(secretsB[k]) ?? "(absent)"} → ${str(secretsA[k]) ?? "(absent)"}`);
        }
    }
    if (changes.length > 0) out.push(...changes, "");

    // Allocations.
    out.push("##### Allocations", "");
    if (alloc.added.length + alloc.removed.length + alloc.moved.length === 0) out.push(`No allocation added, removed or moved (${alloc.unchanged} unchanged).`, "");
    else {
        out.push(`${alloc.added.length} added, ${alloc.removed.length} removed, ${alloc.moved.length} moved, ${alloc.unchanged} unchanged.`, "");
        out.push("| change | role | name | before | after |", "|---|---|---|---|---|");
        for (const m of alloc.moved) out.push(`| ⚠️ moved | ${cell(m.role)} | ${cell(m.name)} | ${cell(m.from)} | ${cell(m.to)} |`);
        for (const r of alloc.removed) out.push(`| removed | ${cell(r.role)} | ${cell(r.name)} | ${cell(r.value)} | |`);
        for (const a of alloc.added) out.push(`| added | ${cell(a.role)} | ${cell(a.name)} | | ${cell(a.value)} |`);
        out.push("");
    }

    // BGP sessions.
    const sessions = setDiff(sessionsOf(bPlan), sessionsOf(aPlan), (s) => s.key);
    out.push("##### BGP sessions", "");
    if (sessions.added.length + sessions.removed.length === 0) out.push(`No session added or removed (${sessions.same} unchanged).`, "");
    else {
        out.push(`${sessions.added.length} added, ${sessions.removed.length} removed, ${sessions.same} unchanged.`, "");
        for (const s of sessions.removed) out.push(`- removed: ${s.text}`);
        for (const s of sessions.added) out.push(`- added: ${s.text}`);
        out.push("");
    }

    // Router configs.
    const routerChanges = diffFiles(bTree, aTree, ROUTERS);
    out.push("##### Router configs", "");
    if (routerChanges.length === 0) out.push("No router configuration changed.", "");
    else for (const c of routerChanges) out.push(...fileBlock(c, maxDiffLines), "");

    // Kubernetes objects.
    const bObjs = new Map(objectsOf(bTree).map((o) => [o.id, o.body]));
    const aObjs = new Map(objectsOf(aTree).map((o) => [o.id, o.body]));
    const objIds = sorted(new Set([...bObjs.keys(), ...aObjs.keys()]), (x) => x);
    const addedObjs = objIds.filter((id) => !bObjs.has(id));
    const removedObjs = objIds.filter((id) => !aObjs.has(id));
    const changedObjs = objIds.filter((id) => bObjs.has(id) && aObjs.has(id) && !isDeepStrictEqual(bObjs.get(id), aObjs.get(id)));
    out.push("##### Kubernetes objects", "");
    if (addedObjs.length + removedObjs.length + changedObjs.length === 0) out.push(`No object added, changed or removed (${objIds.length} unchanged).`, "");
    else {
        out.push(`${addedObjs.length} added, ${changedObjs.length} changed, ${removedObjs.length} removed, ${objIds.length - addedObjs.length - changedObjs.length - removedObjs.length} unchanged.`, "");
        for (const id of addedObjs) out.push(`- added: ${code(id)}`);
        for (const id of removedObjs) out.push(`- removed: ${code(id)}`);
        for (const id of changedObjs) {
            const fields = changedFields(bObjs.get(id), aObjs.get(id));
            out.push(`- changed: ${code(id)}`);
            for (const f of fields.slice(0, maxFields)) out.push(`  - ${code(f.path)}: ${code(short(f.before))} → ${code(short(f.after))}`);
            if (fields.length > maxFields) out.push(`  - … ${plural(fields.length - maxFields, "more field")}`);
        }
        out.push("");
    }

    // Cilium values and the cluster configuration.
    const clusterChanges = diffFiles(bTree, aTree, CLUSTER_FILES);
    if (clusterChanges.length > 0) {
        out.push("##### Cilium values and cluster configuration", "");
        for (const c of clusterChanges) out.push(...fileBlock(c, maxDiffLines), "");
    }

    // Pulumi resources (type::name): containers, networks, commands the objects above do not show.
    const res = (p: Json): string[] => list(p.resources).map(obj).map((r) => `${str(r.type) ?? "?"}::${str(r.name) ?? "?"}`);
    const resources = setDiff(res(bPlan), res(aPlan), (x) => x);
    if (resources.added.length + resources.removed.length > 0) {
        out.push("##### Pulumi resources", "", `${resources.added.length} added, ${resources.removed.length} removed, ${resources.same} unchanged.`, "");
        for (const r of resources.removed) out.push(`- removed: ${code(r)}`);
        for (const r of resources.added) out.push(`- added: ${code(r)}`);
        out.push("");
    }

    // Policy results.
    const bViol = violationsOf(bPlan);
    const aViol = violationsOf(aPlan);
    const levels = sorted(new Set(["mandatory", "advisory", ...bViol.map((v) => v.enforcementLevel), ...aViol.map((v) => v.enforcementLevel)]), (x) => x);
    const count = (vs: ViolationRow[], l: string): number => vs.filter((v) => v.enforcementLevel === l).length;
    const policies = (p: Json): number => list(obj(p.policy).policies).length;
    out.push("##### Policy results", "", `| violations | ${before.label} | ${after.label} |`, "|---|---|---|");
    for (const l of levels) out.push(`| ${l} | ${before.tree ? count(bViol, l) : "–"} | ${after.tree ? count(aViol, l) : "–"} |`);
    out.push(`| policies checked | ${before.tree ? policies(bPlan) : "–"} | ${after.tree ? policies(aPlan) : "–"} |`, "");
    const viol = setDiff(bViol, aViol, violationKey);
    for (const v of viol.added) out.push(`- ${v.enforcementLevel === "mandatory" ? "❌ new" : "new"}: ${cell(violationText(v))}`);
    for (const v of viol.removed) out.push(`- resolved: ${cell(violationText(v))}`);
    if (viol.added.length + viol.removed.length === 0) out.push("No new or resolved violation.");
    out.push("");

    const derived = diffFiles(bTree, aTree, DERIVED);
    if (derived.length > 0) out.push(`Also changed: ${derived.map((c) => `${code(c.path)} (${c.status})`).join(", ")}.`, "");

    return `${out.join("\n").replace(/\n{3,}/g, "\n\n").trimEnd()}\n`;
}

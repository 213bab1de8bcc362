/**
 * Proves a seed's data is transcribed, not invented: every string and number it holds (object
 * fields, router and node facts, prefixes, Helm values, facts) must appear in the seed file
 * within the lines its entry cites. An address with a prefix length composed from two places of
 * the seed (the address, its segment's length) is found by its part before the "/". An object
 * field the seed implies without writing it is named in the object's `inferred`, with the reason.
 */
import * as fs from "fs";
import * as path from "path";
import type { Lines, SeedData } from "./types";

const SHARED = path.resolve(__dirname, "../../../shared");
export const SEEDS_DIR = path.join(SHARED, "seeds");

/**
 * A seed file's text, or undefined where there is no ../shared at all (a clone on GitHub's runners:
 * the seeds are the workplace's documents, not fetchable reference data; the seed data itself is
 * in test/seeds). With ../shared present the file must be there: its absence is an error.
 */
export function seedText(file: string): string | undefined {
    if (!fs.existsSync(SHARED)) return undefined;
    const f = path.join(SEEDS_DIR, file);
    if (!fs.existsSync(f)) throw new Error(`${f} is missing although ../shared is present`);
    return fs.readFileSync(f, "utf8");
}

/** "2, 15, 48-50" -> the text of those lines (1-based). */
export function linesOf(text: string, lines: Lines): string {
    const all = text.split("\n");
    const out: string[] = [];
    for (const part of lines.split(",").map((s) => s.trim()).filter(Boolean)) {
        const m = /^(\d+)(?:-(\d+))?$/.exec(part);
        if (!m) throw new Error(`bad line reference "${part}" in "${lines}"`);
        const from = Number(m[1]), to = Number(m[2] ?? m[1]);
        if (from < 1 || to > all.length || to < from) throw new Error(`line reference ${part} is outside the file (1-${all.length})`);
        out.push(...all.slice(from - 1, to));
    }
    return out.join("\n");
}

function leaves(v: unknown, out: string[] = []): string[] {
    if (typeof v === "string") out.push(v);
    else if (typeof v === "number") out.push(String(v));
    else if (Array.isArray(v)) v.forEach((x) => leaves(x, out));
    else if (typeof v === "object" && v !== null) for (const [k, x] of Object.entries(v)) { if (k !== "lines") leaves(x, out); }
    return out;
}

/** Each value of `seed` that its cited lines do not contain, as "<lines>: <value>". */
export function untranscribed(seed: SeedData, text: string): string[] {
    const missing: string[] = [];
    const check = (lines: Lines, values: unknown, roleWords: string[] = []): void => {
        const at = linesOf(text, lines);
        for (const v of leaves(values)) {
            if (roleWords.includes(v)) continue;
            // Case is ignored: the seed's prose writes "VYOS", "OPNsense".
            const lower = at.toLowerCase(), lv = v.toLowerCase();
            const prefixLike = /^[0-9a-f:.]+\/\d+$/.test(lv);
            const found = lower.includes(lv) || (prefixLike && lower.includes(lv.split("/")[0]));
            if (!found) missing.push(`${lines}: ${v}`);
        }
    };
    for (const o of seed.objects) {
        const obj = structuredClone(o.object) as Record<string, unknown>;
        for (const p of Object.keys(o.inferred ?? {})) {
            const parts = p.split(".");
            let at: Record<string, unknown> | undefined = obj;
            for (const k of parts.slice(0, -1)) at = at?.[k] as Record<string, unknown> | undefined;
            if (!at || !(parts[parts.length - 1] in at)) missing.push(`${o.lines}: inferred ${p} is not a field of the object`);
            else delete at[parts[parts.length - 1]];
        }
        check(o.lines, obj);
    }
    for (const r of seed.routers) check(r.lines, r);
    for (const n of seed.nodes) {
        if (n.nameParts && n.nameParts.join("-") !== n.name) missing.push(`${n.lines}: ${n.name} is not its nameParts joined`);
        const { name, ...rest } = n;
        check(n.lines, n.nameParts ? rest : { name, ...rest });
    }
    // A row's role is the plan's word for it, its use the seed's own words.
    for (const p of seed.addressPlan ?? []) check(p.lines, { prefix: p.prefix, ...(p.router ? { router: p.router } : {}) });
    if (seed.helmValues) check(seed.helmValues.lines, seed.helmValues.values);
    for (const f of seed.facts ?? []) check(f.lines, f.value);
    return missing;
}

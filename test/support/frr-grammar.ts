/**
 * FRR's command-definition syntax (the strings of DEFUN/DEFPY in FRR's sources; grammar in
 * lib/command_lex.l and lib/command_parse.y), enough to decide whether a configuration line is
 * an instance of a command: keywords, WORD-like variables, A.B.C.D[/M], X:X::X:X[/M],
 * (a-b) ranges, ASNUM, `<a|b>` choice, `[a]` option, `{a|b}` any-order options, `$name`
 * bindings and trailing `...` varargs. Keywords must be written in full (FRR also accepts
 * unique prefixes; the renderer never abbreviates).
 */
type Node =
    | { t: "kw"; word: string }
    | { t: "var"; kind: "word" | "ipv4" | "ipv4p" | "ipv6" | "ipv6p" | "asn" | "range" | "rest"; lo?: number; hi?: number }
    | { t: "seq"; items: Node[] }
    | { t: "alt"; options: Node[] }
    | { t: "opt"; inner: Node }
    | { t: "any"; options: Node[] };

function lex(s: string): string[] {
    const out: string[] = [];
    const re = /\s*([<>[\]{}|]|[^\s<>[\]{}|]+)/gy;
    let m: RegExpExecArray | null;
    // A `$name` binding after `>` or `]` names the group; it matches nothing itself.
    while ((m = re.exec(s)) !== null) if (!m[1].startsWith("$")) out.push(m[1]);
    return out;
}

function parseSeq(tok: string[], i: { p: number }, stop: string[]): Node {
    const alts: Node[][] = [[]];
    while (i.p < tok.length && !stop.includes(tok[i.p])) {
        const x = tok[i.p++];
        if (x === "|") { alts.push([]); continue; }
        const cur = alts[alts.length - 1];
        if (x === "<") { cur.push(parseSeq(tok, i, [">"])); i.p++; }
        else if (x === "[") { cur.push({ t: "opt", inner: parseSeq(tok, i, ["]"]) }); i.p++; }
        else if (x === "{") {
            const g = parseSeq(tok, i, ["}"]);
            i.p++;
            cur.push({ t: "any", options: g.t === "alt" ? g.options : [g] });
        } else cur.push(token(x));
    }
    const seqs: Node[] = alts.map((items) => ({ t: "seq", items }));
    return seqs.length === 1 ? seqs[0] : { t: "alt", options: seqs };
}

function token(raw: string): Node {
    const x = raw.replace(/\$[A-Za-z_][A-Za-z0-9_]*$/, "");
    if (x.endsWith("...")) return { t: "var", kind: "rest" };
    const range = /^\((\d+)-(\d+|[A-Z_]+)\)$/.exec(x);
    // An upper bound named by a build-time constant (MULTIPATH_NUM): any number from the lower bound.
    if (range) return { t: "var", kind: "range", lo: Number(range[1]), hi: /^\d+$/.test(range[2]) ? Number(range[2]) : Number.MAX_SAFE_INTEGER };
    if (x === "A.B.C.D") return { t: "var", kind: "ipv4" };
    if (x === "A.B.C.D/M") return { t: "var", kind: "ipv4p" };
    if (x === "X:X::X:X") return { t: "var", kind: "ipv6" };
    if (x === "X:X::X:X/M") return { t: "var", kind: "ipv6p" };
    if (x === "ASNUM") return { t: "var", kind: "asn" };
    if (/^[A-Z][A-Z0-9_:.-]*$/.test(x)) return { t: "var", kind: "word" };
    return { t: "kw", word: x };
}

const IPV4 = /^(25[0-5]|2[0-4]\d|1?\d?\d)(\.(25[0-5]|2[0-4]\d|1?\d?\d)){3}$/;
const isIpv6 = (s: string): boolean => /^[0-9a-fA-F:.]+$/.test(s) && s.includes(":") && (s.match(/::/g) ?? []).length <= 1;

function matchVar(n: Extract<Node, { t: "var" }>, w: string): boolean {
    switch (n.kind) {
        case "word": return true;
        case "ipv4": return IPV4.test(w);
        case "ipv4p": { const [a, m, ...r] = w.split("/"); return r.length === 0 && IPV4.test(a) && /^\d+$/.test(m ?? "") && Number(m) <= 32; }
        case "ipv6": return isIpv6(w);
        case "ipv6p": { const [a, m, ...r] = w.split("/"); return r.length === 0 && isIpv6(a) && /^\d+$/.test(m ?? "") && Number(m) <= 128; }
        case "asn": return /^\d+(\.\d+)?$/.test(w);
        case "range": return /^\d+$/.test(w) && Number(w) >= (n.lo ?? 0) && Number(w) <= (n.hi ?? 0);
        default: return true;
    }
}

/** The positions after matching `n` from position p (every way it can match). */
function step(n: Node, words: string[], p: number): number[] {
    switch (n.t) {
        case "kw": return words[p] === n.word ? [p + 1] : [];
        case "var": return n.kind === "rest" ? (p < words.length ? [words.length] : []) : (p < words.length && matchVar(n, words[p]) ? [p + 1] : []);
        case "seq": return n.items.reduce((ps, item) => [...new Set(ps.flatMap((q) => step(item, words, q)))], [p]);
        case "alt": return [...new Set(n.options.flatMap((o) => step(o, words, p)))];
        case "opt": return [...new Set([p, ...step(n.inner, words, p)])];
        case "any": {
            // Each option at most once, any order, at least one (FRR: one or more of the set).
            const out = new Set<number>();
            const go = (q: number, used: Set<number>): void => {
                n.options.forEach((o, k) => {
                    if (used.has(k)) return;
                    for (const r of step(o, words, q)) if (r > q) { out.add(r); go(r, new Set([...used, k])); }
                });
            };
            go(p, new Set());
            return [...out];
        }
    }
}

export interface FrrCommand { command: string; file: string; line: number }

const cache = new Map<string, Node>();

/** Whether `line` (one configuration line, leading spaces ignored) is an instance of `command`. */
export function matchesCommand(command: string, line: string): boolean {
    let g = cache.get(command);
    if (!g) { g = parseSeq(lex(command), { p: 0 }, []); cache.set(command, g); }
    const words = line.trim().split(/\s+/).filter((w) => w !== "");
    return step(g, words, 0).includes(words.length);
}

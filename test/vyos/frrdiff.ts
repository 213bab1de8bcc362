/**
 * FRR configurations as order-free statements in their context, for comparing two renderings
 * of one router ("router bgp 65066 / address-family ipv6 unicast / neighbor NODES activate").
 * Whitespace runs are one space; `!`, blank lines, `exit`, `exit-address-family`, `end` and the
 * `address-family` headers are structure, not statements.
 */
export function frrStatements(text: string): string[] {
    const out: string[] = [];
    let ctx: string[] = [];
    for (const raw of text.split("\n")) {
        const indented = /^\s/.test(raw);
        const line = raw.trim().replace(/\s+/g, " ");
        if (line === "" || line.startsWith("!") || line === "end") continue;
        if (line === "exit") { ctx = []; continue; }
        if (line === "exit-address-family") { ctx = ctx.slice(0, 1); continue; }
        if (!indented) {
            ctx = [];
            out.push(line);
            if (/^(router |route-map |interface )/.test(line)) ctx = [line];
            continue;
        }
        // A family block opened again (VyOS opens one per neighbor) is no statement of its own.
        if (/^address-family /.test(line) && ctx.length >= 1) { ctx = [ctx[0], line]; continue; }
        out.push([...ctx, line].join(" / "));
    }
    return out;
}

export interface FrrDiff { onlyLeft: string[]; onlyRight: string[] }

/** Statements in one and not the other (as multisets), each list sorted. */
export function diffFrr(left: string, right: string): FrrDiff {
    const count = (xs: string[]): Map<string, number> => {
        const m = new Map<string, number>();
        for (const x of xs) m.set(x, (m.get(x) ?? 0) + 1);
        return m;
    };
    const a = count(frrStatements(left));
    const b = count(frrStatements(right));
    const minus = (x: Map<string, number>, y: Map<string, number>): string[] =>
        [...x].flatMap(([k, n]) => Array<string>(Math.max(0, n - (y.get(k) ?? 0))).fill(k)).sort();
    return { onlyLeft: minus(a, b), onlyRight: minus(b, a) };
}

/** "Did you mean": the known key nearest to a misspelt one. */

/** Edit distance counting a swap of neighbours as one edit (bpg is bgp), case-insensitive (podCIDR is podCidr). */
export function editDistance(a: string, b: string): number {
    const x = a.toLowerCase();
    const y = b.toLowerCase();
    const d: number[][] = Array.from({ length: x.length + 1 }, (_, i) => Array.from({ length: y.length + 1 }, (_, j) => (i === 0 ? j : j === 0 ? i : 0)));
    for (let i = 1; i <= x.length; i++) {
        for (let j = 1; j <= y.length; j++) {
            d[i][j] = Math.min(d[i - 1][j] + 1, d[i][j - 1] + 1, d[i - 1][j - 1] + (x[i - 1] === y[j - 1] ? 0 : 1));
            if (i > 1 && j > 1 && x[i - 1] === y[j - 2] && x[i - 2] === y[j - 1]) d[i][j] = Math.min(d[i][j], d[i - 2][j - 2] + 1);
        }
    }
    return d[x.length][y.length];
}

/** The nearest known key, if it is close enough to be a typo (at most a third of its letters off, or a prefix). */
export function nearestKey(key: string, known: readonly string[]): string | undefined {
    let best: string | undefined;
    let bestD = Infinity;
    for (const k of known) {
        const d = editDistance(key, k);
        if (d < bestD || (d === bestD && best !== undefined && k < best)) { best = k; bestD = d; }
    }
    if (best === undefined) return undefined;
    const isPrefix = key.length >= 3 && best.toLowerCase().startsWith(key.toLowerCase());
    return bestD <= Math.max(1, Math.floor(best.length / 3)) || isPrefix ? best : undefined;
}

/** The problem text for an unknown key: the nearest known key first, then the whole list. */
export function unknownKeyRule(key: string, known: readonly string[]): string {
    const near = nearestKey(key, known);
    return `is not a known key${near ? `: did you mean ${near}?` : ""} (known: ${known.join(", ")})`;
}

/** The project's secret keys (their values never appear in a message). */
export const SECRET_KEY_NAMES: readonly string[] = ["bgpPassword", "kubeconfig"];

/**
 * Whether an unknown key probably holds a secret (a misspelt `bgpPasword`, or a name that says so):
 * its value is then never shown, whichever path (stack file or `pulumi up`) reports it.
 */
export function looksSecret(key: string, known: readonly string[]): boolean {
    const near = nearestKey(key, known);
    return (near !== undefined && SECRET_KEY_NAMES.includes(near)) || /pass|secret|token|kubeconfig|cred/i.test(key);
}

/** Statistics shared by the benchmarks (a module of its own: bench/run.ts runs on import). */

/** The middle value of the sorted numbers (the upper middle one for an even count). */
export function median(xs: readonly number[]): number {
    const s = [...xs].sort((a, b) => a - b);
    return s[Math.floor(s.length / 2)];
}

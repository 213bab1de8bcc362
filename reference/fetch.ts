/**
 * `npm run reference`: fetches the upstream files the tests and the lab read (reference/sha256sums
 * lists them) at their pinned tags/commits (reference/sources.ts) into .reference/, checks every
 * file's SHA-256 against the list, and only then moves the folder into place, so a failed or
 * interrupted run never leaves a half-filled .reference/ for the tests to pick up.
 */
import { createHash } from "crypto";
import * as fs from "fs";
import * as path from "path";
import { FETCHED_REFERENCE } from "./locate";
import { originOf } from "./sources";
import { expandIncludes } from "./vyos-includes";

export const SUMS_FILE = path.join(__dirname, "sha256sums");

export interface SumEntry { sha256: string; path: string }

/** reference/sha256sums: `<hex>  <path>` a line (sha256sum's format, so `sha256sum -c` reads it too). */
export function readSums(file = SUMS_FILE): SumEntry[] {
    return fs.readFileSync(file, "utf8").split("\n").filter((l) => l.trim() !== "").map((line, i) => {
        const m = /^([0-9a-f]{64}) [ *](.+)$/.exec(line);
        if (!m) throw new Error(`${file}:${i + 1}: not "<sha256>  <path>"`);
        return { sha256: m[1], path: m[2] };
    });
}

export const sha256 = (data: string | Buffer): string => createHash("sha256").update(data).digest("hex");

/** Returns a file's bytes; the default is the global fetch (Node 20+). */
export type FetchFn = (url: string) => Promise<Buffer>;

export const httpFetch: FetchFn = async (url) => {
    const res = await fetch(url);
    if (!res.ok) throw new Error(`GET ${url}: HTTP ${res.status}`);
    return Buffer.from(await res.arrayBuffer());
};

export class ChecksumError extends Error {}

export interface FetchOptions {
    dest?: string;
    fetchFn?: FetchFn;
    sums?: SumEntry[];
    concurrency?: number;
    log?: (line: string) => void;
}

/** Fetches, builds and verifies every listed file; replaces `dest` only when all of them check out. */
export async function fetchReference(opts: FetchOptions = {}): Promise<{ files: number; dest: string }> {
    const dest = path.resolve(opts.dest ?? FETCHED_REFERENCE);
    const fetchFn = opts.fetchFn ?? httpFetch;
    const sums = opts.sums ?? readSums();
    const log = opts.log ?? (() => undefined);
    const staging = `${dest}.partial-${process.pid}`;
    fs.rmSync(staging, { recursive: true, force: true });
    try {
        const content = new Map<string, Buffer>();
        const fetched = sums.filter((s) => originOf(s.path).kind === "fetch");
        let next = 0;
        const worker = async (): Promise<void> => {
            while (next < fetched.length) {
                const s = fetched[next++];
                const origin = originOf(s.path);
                if (origin.kind !== "fetch") continue;
                content.set(s.path, await fetchFn(origin.url));
            }
        };
        await Promise.all(Array.from({ length: opts.concurrency ?? 8 }, worker));
        for (const s of sums) {
            const origin = originOf(s.path);
            if (origin.kind === "text") content.set(s.path, Buffer.from(origin.text));
            if (origin.kind === "expand") {
                const dir = path.posix.dirname(origin.source);
                const read = (p: string): string => {
                    const b = content.get(path.posix.join(dir, p));
                    if (!b) throw new Error(`${origin.source} includes ${p}, which reference/sha256sums does not list`);
                    return b.toString("utf8");
                };
                content.set(s.path, Buffer.from(expandIncludes(read(path.posix.basename(origin.source)), read)));
            }
        }
        const bad = sums.filter((s) => sha256(content.get(s.path) ?? "") !== s.sha256);
        if (bad.length > 0) {
            throw new ChecksumError(`checksum mismatch for ${bad.length} file(s): ${bad.map((s) => `${s.path} (expected ${s.sha256.slice(0, 12)}…, got ${sha256(content.get(s.path) ?? "").slice(0, 12)}…)`).join(", ")}`);
        }
        for (const s of sums) {
            const file = path.join(staging, s.path);
            fs.mkdirSync(path.dirname(file), { recursive: true });
            fs.writeFileSync(file, content.get(s.path) as Buffer);
        }
        fs.rmSync(dest, { recursive: true, force: true });
        fs.renameSync(staging, dest);
        log(`reference data: ${sums.length} files verified into ${dest}`);
        return { files: sums.length, dest };
    } finally {
        fs.rmSync(staging, { recursive: true, force: true });
    }
}

if (require.main === module) {
    fetchReference({ log: (l) => console.log(l) }).catch((e: unknown) => {
        console.error(`npm run reference: ${e instanceof Error ? e.message : String(e)}`);
        process.exit(1);
    });
}

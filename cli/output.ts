/**
 * The plan's output directory, replaced whole: the files go into a fresh sibling directory,
 * which one rename(2) puts in place. Any number of runs may target the same directory at once:
 * each moves whatever is there aside (a rename, so a reader never sees a half-written or mixed
 * directory) and retries until its own rename lands; the last run to land wins.
 */
import * as fs from "fs";
import * as path from "path";

/** Attempts before giving up: each failed one means another run landed in between. */
const MAX_ATTEMPTS = 1000;

const code = (e: unknown): string | undefined => (e as NodeJS.ErrnoException | undefined)?.code;

/** Writes every file into a fresh sibling directory, then swaps it in: a failed run leaves no half-written output. */
export function writeAtomically(outDir: string, files: Map<string, string>): void {
    const target = path.resolve(outDir);
    const parent = path.dirname(target);
    const base = path.basename(target);
    fs.mkdirSync(parent, { recursive: true });
    const tmp = fs.mkdtempSync(path.join(parent, `.${base}.tmp-`));
    const aside: string[] = [];
    try {
        for (const [rel, content] of [...files.entries()].sort(([a], [b]) => a.localeCompare(b))) {
            const file = path.join(tmp, rel);
            fs.mkdirSync(path.dirname(file), { recursive: true });
            fs.writeFileSync(file, content);
        }
        for (let attempt = 1; ; attempt++) {
            try {
                // Replaces an absent or empty directory in one step.
                fs.renameSync(tmp, target);
                break;
            } catch (e) {
                if (!["ENOTEMPTY", "EEXIST", "ENOTDIR", "EISDIR"].includes(code(e) ?? "") || attempt >= MAX_ATTEMPTS) throw e;
            }
            // Something is in the way (an earlier output, or another run's that just landed): move it aside.
            const old = fs.mkdtempSync(path.join(parent, `.${base}.old-`));
            try {
                fs.renameSync(target, old);
            } catch (e) {
                fs.rmSync(old, { recursive: true, force: true });
                // Another run moved it first: try again.
                if (code(e) !== "ENOENT") throw e;
                continue;
            }
            aside.push(old);
        }
    } catch (e) {
        fs.rmSync(tmp, { recursive: true, force: true });
        throw e;
    } finally {
        for (const old of aside) fs.rmSync(old, { recursive: true, force: true });
    }
}

/**
 * A minimal POSIX ustar writer: the Engine API takes files for a container (putArchive) as a tar
 * stream, and the lab only ever sends a few small text files, so a dependency is not worth it.
 */
export interface TarEntry { path: string; content: string | Buffer; mode: number; uid?: number; gid?: number; mtime?: number }

const BLOCK = 512;

function field(buf: Buffer, offset: number, length: number, value: string): void {
    buf.write(value, offset, Math.min(length, Buffer.byteLength(value)), "utf8");
}

/** Octal number, zero-padded, NUL-terminated, as ustar numeric fields are. */
const octal = (n: number, length: number): string => `${n.toString(8).padStart(length - 1, "0")}\0`;

/** Splits a path into ustar's name (100 bytes) and prefix (155 bytes) at a slash. */
function splitName(p: string): { name: string; prefix: string } {
    if (Buffer.byteLength(p) <= 100) return { name: p, prefix: "" };
    for (let i = p.length - 1; i > 0; i--) {
        if (p[i] !== "/") continue;
        const prefix = p.slice(0, i);
        const name = p.slice(i + 1);
        if (Buffer.byteLength(prefix) <= 155 && Buffer.byteLength(name) <= 100) return { name, prefix };
    }
    throw new Error(`path too long for a tar header: ${p}`);
}

function header(e: TarEntry, size: number): Buffer {
    const h = Buffer.alloc(BLOCK, 0);
    const { name, prefix } = splitName(e.path.replace(/^\/+/, ""));
    field(h, 0, 100, name);
    field(h, 100, 8, octal(e.mode & 0o7777, 8));
    field(h, 108, 8, octal(e.uid ?? 0, 8));
    field(h, 116, 8, octal(e.gid ?? 0, 8));
    field(h, 124, 12, octal(size, 12));
    field(h, 136, 12, octal(Math.floor(e.mtime ?? Date.now() / 1000), 12));
    field(h, 148, 8, "        "); // checksum is computed with its own field as spaces
    field(h, 156, 1, "0"); // regular file
    field(h, 257, 6, "ustar\0");
    field(h, 263, 2, "00");
    field(h, 345, 155, prefix);
    let sum = 0;
    for (const b of h) sum += b;
    field(h, 148, 8, `${sum.toString(8).padStart(6, "0")}\0 `);
    return h;
}

/** The entries as one tar archive (regular files only; parent directories must exist or are created by the extractor). */
export function tarArchive(entries: readonly TarEntry[]): Buffer {
    const parts: Buffer[] = [];
    for (const e of entries) {
        const body = Buffer.isBuffer(e.content) ? e.content : Buffer.from(e.content, "utf8");
        parts.push(header(e, body.length), body, Buffer.alloc((BLOCK - (body.length % BLOCK)) % BLOCK, 0));
    }
    parts.push(Buffer.alloc(BLOCK * 2, 0));
    return Buffer.concat(parts);
}

/**
 * The lab's two images, built locally because the lab must run where only Debian's package
 * archive is reachable (no container registry): a router image (Debian bookworm + FRR) and a node
 * speaker image (+ gobgpd and node; the lab's external client runs on it too). Each is a `debootstrap --variant=minbase` root filesystem turned into an
 * image by `docker import`, tagged `cilium-bgp-fabric/<name>:<hash of its recipe>`: a tag that
 * exists is never rebuilt, and a changed recipe gets a new tag. The root filesystem tarball is
 * cached too, so an engine whose images were lost (a fresh private data root) re-imports in seconds.
 */
import { spawn } from "child_process";
import { createHash } from "crypto";
import * as fs from "fs";
import * as path from "path";
import type Docker from "dockerode";
import { SBIN_DIRS, findProgram, tailFile } from "../sh";
import { cacheDir } from "./cache";

export const IMAGE_REPOSITORY = "cilium-bgp-fabric";
const SUITE = "bookworm";

export interface RecipeFile { path: string; content: string; mode: number }

/** Everything an image is built from: its hash names the image. */
export interface ImageRecipe {
    name: "frr" | "speaker";
    suite: string;
    variant: "minbase";
    /** Packages on top of minbase (debootstrap --include). */
    packages: string[];
    /** Files written into the root filesystem before it is packed. */
    files: RecipeFile[];
    /** Dockerfile instructions for `docker import --change` (CMD, ENV...). */
    changes: string[];
}

/**
 * PID 1 of the router image. It starts FRR the way the upstream image's `docker-start` does
 * (frrinit.sh reads the uploaded /etc/frr/daemons, watchfrr starts the daemons and loads the
 * uploaded frr.conf through vtysh), and stops it on SIGTERM so that `docker stop` (the lab's
 * router fault) is quick and clean instead of waiting out the grace period.
 */
const ROUTER_START = `#!/bin/bash
set -e
# Uploaded files arrive owned by root; the daemons run as frr.
chown -R frr:frr /etc/frr
/usr/lib/frr/frrinit.sh start
trap '/usr/lib/frr/frrinit.sh stop; exit 0' TERM INT
sleep infinity &
wait $!
`;

/**
 * PID 1 of the node speaker image: the node's default route (CBF_ROUTE: the arguments of `ip` join.ts
 * renders, split on spaces; a dual stack's IPv6 one in CBF_ROUTE6), then run gobgpd in
 * the foreground with the uploaded configuration. gobgpd's API stays on its default :50051 so
 * that `gobgp global rib add ...` works inside the container, as in the namespace lab.
 */
const SPEAKER_START = `#!/bin/sh
set -e
if [ -n "$CBF_ROUTE" ]; then
  ip $CBF_ROUTE
fi
if [ -n "$CBF_ROUTE6" ]; then
  ip $CBF_ROUTE6
fi
exec gobgpd -f /etc/gobgpd.toml -r -p --pprof-disable
`;

export const ROUTER_RECIPE: ImageRecipe = {
    name: "frr",
    suite: SUITE,
    variant: "minbase",
    // frr brings vtysh (the health check) and frrinit.sh; procps for frrcommon.sh's process checks.
    packages: ["frr", "iproute2", "procps"],
    files: [{ path: "usr/lib/frr/docker-start", content: ROUTER_START, mode: 0o755 }],
    changes: ['CMD ["/usr/lib/frr/docker-start"]'],
};

export const SPEAKER_RECIPE: ImageRecipe = {
    name: "speaker",
    suite: SUITE,
    variant: "minbase",
    // iputils-ping: the lab's reachability checks ping from the node speakers. nodejs: the answer
    // servers on the nodes and the external client (which runs on this image too) are `node -e` scripts.
    packages: ["gobgpd", "iproute2", "iputils-ping", "nodejs"],
    files: [{ path: "usr/local/bin/speaker-start", content: SPEAKER_START, mode: 0o755 }],
    changes: ['CMD ["/usr/local/bin/speaker-start"]'],
};

/** Bump when the build procedure itself changes in a way the recipe does not show. */
const BUILD_PROCEDURE = 1;

export function recipeHash(r: ImageRecipe): string {
    return createHash("sha256").update(JSON.stringify({ r, BUILD_PROCEDURE, arch: process.arch })).digest("hex").slice(0, 12);
}

export const imageTag = (r: ImageRecipe): string => `${IMAGE_REPOSITORY}/${r.name}:${recipeHash(r)}`;

export interface BuiltImage {
    recipe: ImageRecipe["name"];
    tag: string;
    /** What happened: "present" (tag existed), "imported" (from a cached rootfs), "built" (debootstrap). */
    how: "present" | "imported" | "built";
    seconds: number;
}

export interface EnsureImagesOptions {
    log?: (line: string) => void;
    env?: NodeJS.ProcessEnv;
    /** Rebuild even when the tag and the cached root filesystem exist. */
    rebuild?: boolean;
}

/** The Debian mirror apt already uses here (debootstrap's own default may not be reachable). */
export function debianMirror(env: NodeJS.ProcessEnv = process.env): string | undefined {
    if (env.CBF_DEBIAN_MIRROR) return env.CBF_DEBIAN_MIRROR;
    const texts: string[] = [];
    const read = (f: string): void => {
        try {
            texts.push(fs.readFileSync(f, "utf8"));
        } catch {
            // absent
        }
    };
    read("/etc/apt/sources.list");
    try {
        for (const f of fs.readdirSync("/etc/apt/sources.list.d").sort()) if (/\.(list|sources)$/.test(f)) read(path.join("/etc/apt/sources.list.d", f));
    } catch {
        // no directory
    }
    for (const text of texts) {
        // deb822 stanzas: "URIs: <uri>" with "Suites: bookworm ..." in the same stanza.
        for (const stanza of text.split(/\n\s*\n/)) {
            const uri = /^URIs:\s*(\S+)/m.exec(stanza)?.[1];
            const suites = /^Suites:\s*(.+)$/m.exec(stanza)?.[1]?.split(/\s+/) ?? [];
            if (uri && suites.includes(SUITE) && !/^\s*Enabled:\s*no/im.test(stanza)) return uri;
        }
        // one-line format: "deb [opts] <uri> bookworm main".
        for (const line of text.split("\n")) {
            const m = /^\s*deb\s+(?:\[[^\]]*\]\s+)?(\S+)\s+(\S+)/.exec(line);
            if (m && m[2] === SUITE) return m[1];
        }
    }
    return undefined;
}


function run(cmd: string, args: string[], logFile: string): Promise<void> {
    return new Promise((resolve, reject) => {
        const out = fs.openSync(logFile, "a");
        const child = spawn(cmd, args, { stdio: ["ignore", out, out] });
        fs.closeSync(out);
        child.on("error", (e) => reject(new Error(`${cmd}: ${e.message}`)));
        child.on("exit", (code, signal) => {
            if (code === 0) return resolve();
            reject(new Error(`${cmd} ${args.join(" ")} failed (${code ?? signal}); last lines of ${logFile}:\n${tailFile(logFile, 15)}`));
        });
    });
}

/** debootstrap the recipe into a tarball under the cache (atomically: a half-built tarball never counts). */
async function buildRootfs(r: ImageRecipe, tarball: string, env: NodeJS.ProcessEnv, log: (line: string) => void): Promise<void> {
    if (!findProgram("debootstrap", SBIN_DIRS)) {
        throw new Error(`image ${imageTag(r)} must be built and debootstrap is missing: apt-get install -y debootstrap (or load the image into the engine yourself)`);
    }
    const work = fs.mkdtempSync(`${tarball}.build-`);
    const root = path.join(work, "root");
    const logFile = `${tarball}.log`;
    fs.writeFileSync(logFile, "");
    try {
        const mirror = debianMirror(env);
        const args = [`--variant=${r.variant}`, `--include=${r.packages.join(",")}`, "--components=main", r.suite, root, ...(mirror ? [mirror] : [])];
        log(`images: debootstrap ${args.join(" ")} (log: ${logFile})`);
        await run("debootstrap", args, logFile);
        for (const f of r.files) {
            const p = path.join(root, f.path);
            fs.mkdirSync(path.dirname(p), { recursive: true });
            fs.writeFileSync(p, f.content, { mode: f.mode });
            fs.chmodSync(p, f.mode);
        }
        // Downloaded packages and indexes are no use in the image.
        for (const d of ["var/cache/apt/archives", "var/lib/apt/lists"]) {
            for (const e of fs.readdirSync(path.join(root, d))) {
                if (e !== "partial" && e !== "lock") fs.rmSync(path.join(root, d, e), { recursive: true, force: true });
            }
        }
        // Packed inside the private work directory, then renamed: a concurrent build never sees half a tarball.
        const packed = path.join(work, "rootfs.tar");
        await run("tar", ["--numeric-owner", "--xattrs", "-C", root, "-cf", packed, "."], logFile);
        fs.renameSync(packed, tarball);
    } finally {
        fs.rmSync(work, { recursive: true, force: true });
    }
}

async function imageExists(docker: Docker, tag: string): Promise<boolean> {
    try {
        await docker.getImage(tag).inspect();
        return true;
    } catch {
        return false;
    }
}

async function importTarball(docker: Docker, r: ImageRecipe, tarball: string): Promise<void> {
    const [repo, tag] = imageTag(r).split(":");
    const stream = await docker.importImage(fs.createReadStream(tarball), { repo, tag, changes: r.changes });
    await new Promise<void>((resolve, reject) => {
        docker.modem.followProgress(stream, (err: Error | null, res: { error?: string }[]) => {
            const failed = res?.find((x) => x.error);
            if (err) reject(err);
            else if (failed) reject(new Error(`docker import ${imageTag(r)}: ${failed.error}`));
            else resolve();
        });
    });
}

/** One image: present, imported from the cached root filesystem, or built. */
export async function ensureImage(docker: Docker, r: ImageRecipe, o: EnsureImagesOptions = {}): Promise<BuiltImage> {
    const log = o.log ?? ((): void => undefined);
    const env = o.env ?? process.env;
    const started = Date.now();
    const tag = imageTag(r);
    const done = (how: BuiltImage["how"]): BuiltImage => ({ recipe: r.name, tag, how, seconds: (Date.now() - started) / 1000 });
    if (!o.rebuild && await imageExists(docker, tag)) return done("present");
    const dir = path.join(cacheDir(env), "rootfs");
    fs.mkdirSync(dir, { recursive: true });
    const tarball = path.join(dir, `${r.name}-${r.suite}-${recipeHash(r)}.tar`);
    let how: BuiltImage["how"] = "imported";
    if (o.rebuild || !fs.existsSync(tarball)) {
        await buildRootfs(r, tarball, env, log);
        how = "built";
    }
    log(`images: docker import ${path.basename(tarball)} as ${tag}`);
    await importTarball(docker, r, tarball);
    if (!await imageExists(docker, tag)) throw new Error(`docker import reported success but ${tag} does not exist`);
    return done(how);
}

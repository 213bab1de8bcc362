/**
 * A Docker engine for the lab: the one the user already runs (DOCKER_HOST, or the standard socket),
 * or else Debian's `dockerd` started on a private socket and stopped again afterwards.
 *
 * The private daemon is started so that it leaves the host as it found it: no docker0 bridge, no
 * iptables/ip6tables rules (Docker would otherwise switch the host's FORWARD policy to DROP, which
 * breaks the namespace lab and anything else that forwards on this machine), no change to
 * ip_forward. Its data root lives in the cache directory so that the lab's images survive between
 * runs; its socket, exec root, pid file and log live in a per-run directory that is removed on stop.
 */
import { type ChildProcess, spawn } from "child_process";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import Docker from "dockerode";
import { SBIN_DIRS, findProgram, pidAlive, sleep, tailFile } from "../sh";
import { cacheDir } from "./cache";

export interface DockerConnection {
    docker: Docker;
    /** Where the engine was found: "DOCKER_HOST", "/var/run/docker.sock" or "private dockerd". */
    source: string;
    /** True when this process started the daemon (and `stop` will stop it). */
    private: boolean;
    /** Engine version, for the log. */
    version: string;
    /** Stops a daemon this process started and removes its runtime directory; a no-op otherwise. Idempotent. */
    stop(): Promise<void>;
}

export interface EnsureDaemonOptions {
    log?: (line: string) => void;
    /** Where the private daemon keeps images between runs; default `<cache>/docker`. */
    dataRoot?: string;
    /** Seconds to wait for a started daemon to answer. */
    startTimeoutSeconds?: number;
    /** Environment to read DOCKER_HOST from (tests pass their own). */
    env?: NodeJS.ProcessEnv;
}

export const STANDARD_SOCKET = "/var/run/docker.sock";

export const INSTALL_HINT =
    "no Docker engine answers and `dockerd` is not installed: install Debian's engine with\n" +
    "  apt-get update && DEBIAN_FRONTEND=noninteractive apt-get install -y docker.io debootstrap\n" +
    "(as root), or point DOCKER_HOST at a running engine";

/** Flags that keep a private daemon from touching the host's firewall, routing and default bridge. */
export const PRIVATE_DAEMON_FLAGS = [
    "--bridge=none", "--iptables=false", "--ip6tables=false", "--ip-forward=false", "--ip-masq=false",
    "--log-level=warn",
] as const;

async function answers(docker: Docker, timeoutMs = 3000): Promise<string | undefined> {
    const timer = new Promise<undefined>((resolve) => setTimeout(() => resolve(undefined), timeoutMs).unref());
    const probe = docker.version().then((v) => v.Version, () => undefined);
    return Promise.race([probe, timer]);
}

/** `dockerd` on PATH or in Debian's sbin (root's PATH in CI may lack /usr/sbin). */
export const findDockerd = (env: NodeJS.ProcessEnv = process.env): string | undefined => findProgram("dockerd", SBIN_DIRS, env);

/** Uses a running engine when one answers, else starts a private `dockerd`. */
export async function ensureDaemon(o: EnsureDaemonOptions = {}): Promise<DockerConnection> {
    const log = o.log ?? ((): void => undefined);
    const env = o.env ?? process.env;
    const noop = async (): Promise<void> => undefined;

    if (env.DOCKER_HOST) {
        // docker-modem reads DOCKER_HOST (and DOCKER_TLS_VERIFY / DOCKER_CERT_PATH) itself.
        const docker = new Docker();
        const version = await answers(docker);
        if (version) return { docker, source: `DOCKER_HOST=${env.DOCKER_HOST}`, private: false, version, stop: noop };
        log(`docker: DOCKER_HOST=${env.DOCKER_HOST} does not answer; trying ${STANDARD_SOCKET}, then a private dockerd`);
    }
    if (fs.existsSync(STANDARD_SOCKET)) {
        const docker = new Docker({ socketPath: STANDARD_SOCKET });
        const version = await answers(docker);
        if (version) return { docker, source: STANDARD_SOCKET, private: false, version, stop: noop };
        log(`docker: ${STANDARD_SOCKET} exists but does not answer; starting a private dockerd`);
    }
    return startPrivateDaemon(o, log, env);
}

/** Who holds the private data root: written next to it, so that a later run can tell a live lab from an orphan. */
interface Owner { dockerdPid: number; labPid: number; runDir: string }

const cmdlineHas = (pid: number, text: string): boolean => {
    try {
        return fs.readFileSync(`/proc/${pid}/cmdline`, "utf8").includes(text);
    } catch {
        return false;
    }
};

/**
 * A daemon left running by a lab that died without teardown still holds the data root (dockerd would
 * block on its database lock): stop it. One whose lab is still running is another run: refuse.
 */
async function reclaimDataRoot(dataRoot: string, log: (line: string) => void): Promise<void> {
    const ownerFile = `${dataRoot}.owner.json`;
    let owner: Owner;
    try {
        owner = JSON.parse(fs.readFileSync(ownerFile, "utf8")) as Owner;
    } catch {
        return;
    }
    const daemonUp = pidAlive(owner.dockerdPid) && cmdlineHas(owner.dockerdPid, dataRoot);
    if (daemonUp && pidAlive(owner.labPid) && owner.labPid !== process.pid) {
        throw new Error(`another lab (pid ${owner.labPid}) is using the private dockerd (pid ${owner.dockerdPid}) on ${dataRoot}: wait for it to finish`);
    }
    if (daemonUp) {
        log(`docker: stopping a private dockerd (pid ${owner.dockerdPid}) left behind by an earlier lab run`);
        process.kill(owner.dockerdPid, "SIGTERM");
        for (let i = 0; i < 100 && pidAlive(owner.dockerdPid); i++) await sleep(200);
        if (pidAlive(owner.dockerdPid)) process.kill(owner.dockerdPid, "SIGKILL");
    }
    fs.rmSync(owner.runDir, { recursive: true, force: true });
    fs.rmSync(ownerFile, { force: true });
}

async function startPrivateDaemon(o: EnsureDaemonOptions, log: (line: string) => void, env: NodeJS.ProcessEnv): Promise<DockerConnection> {
    const dockerd = findDockerd(env);
    if (!dockerd) throw new Error(INSTALL_HINT);
    if (typeof process.getuid === "function" && process.getuid() !== 0) {
        throw new Error("no Docker engine answers, and starting a private dockerd needs root: run as root, or start Docker and set DOCKER_HOST");
    }
    const dataRoot = o.dataRoot ?? path.join(cacheDir(env), "docker");
    fs.mkdirSync(dataRoot, { recursive: true });
    await reclaimDataRoot(dataRoot, log);
    // Short, private path: a unix socket path must stay under 108 bytes, containerd's included.
    const runDir = fs.mkdtempSync(path.join(os.tmpdir(), "cbf-dockerd-"));
    const socket = path.join(runDir, "docker.sock");
    const pidfile = path.join(runDir, "dockerd.pid");
    const logFile = path.join(runDir, "dockerd.log");
    const args = [
        `--host=unix://${socket}`, `--data-root=${dataRoot}`, `--exec-root=${path.join(runDir, "exec")}`, `--pidfile=${pidfile}`,
        ...PRIVATE_DAEMON_FLAGS,
    ];
    log(`docker: starting a private dockerd (${dockerd} ${args.join(" ")})`);
    const out = fs.openSync(logFile, "a");
    // Own process group, so that a Ctrl-C meant for the lab does not kill the engine before teardown.
    const child: ChildProcess = spawn(dockerd, args, { stdio: ["ignore", out, out], detached: true, env: { ...env, DOCKER_HOST: "" } });
    fs.closeSync(out);
    child.unref();
    let exited: string | undefined;
    child.on("exit", (code, signal) => { exited = `exit ${code ?? signal}`; });
    child.on("error", (e) => { exited = e.message; });
    const ownerFile = `${dataRoot}.owner.json`;
    if (child.pid !== undefined) {
        const owner: Owner = { dockerdPid: child.pid, labPid: process.pid, runDir };
        fs.writeFileSync(ownerFile, `${JSON.stringify(owner)}\n`);
    }

    let stopped = false;
    const stop = async (): Promise<void> => {
        if (stopped) return;
        stopped = true;
        const pid = child.pid;
        if (pid !== undefined && pidAlive(pid)) {
            process.kill(pid, "SIGTERM");
            for (let i = 0; i < 100 && pidAlive(pid) && exited === undefined; i++) await sleep(200);
            if (pidAlive(pid) && exited === undefined) {
                log("docker: private dockerd did not stop within 20 s; killing it");
                process.kill(pid, "SIGKILL");
                await sleep(500);
            }
        }
        // dockerd unmounts its exec root on a clean stop; a leftover mount only makes rmSync fail, not the lab.
        try {
            fs.rmSync(ownerFile, { force: true });
            fs.rmSync(runDir, { recursive: true, force: true });
        } catch (e) {
            log(`docker: could not remove ${runDir}: ${(e as Error).message}`);
        }
    };

    const docker = new Docker({ socketPath: socket });
    const deadline = Date.now() + (o.startTimeoutSeconds ?? 60) * 1000;
    for (;;) {
        if (exited !== undefined) {
            const why = tailFile(logFile);
            await stop();
            throw new Error(`private dockerd stopped (${exited}) before it answered; its log:\n${why}`);
        }
        if (fs.existsSync(socket)) {
            const version = await answers(docker, 1000);
            if (version) {
                log(`docker: private dockerd ${version} answers on ${socket} (data root ${dataRoot})`);
                return { docker, source: "private dockerd", private: true, version, stop };
            }
        }
        if (Date.now() > deadline) {
            const why = tailFile(logFile);
            await stop();
            throw new Error(`private dockerd did not answer within ${o.startTimeoutSeconds ?? 60} s; its log:\n${why}`);
        }
        await sleep(200);
    }
}

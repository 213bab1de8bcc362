/**
 * `docker exec` through the Engine API: run a command in a container and collect its stdout,
 * stderr and exit code, which is all LabHost.exec promises (vtysh, gobgp, ip).
 */
import { Writable } from "stream";
import type Docker from "dockerode";
import type { ExecResult } from "../engine";
import { sleep } from "../sh";

/** What exec returns when the container is not running (like a shell's "cannot execute"). */
export const NOT_RUNNING = 126;

const sink = (chunks: Buffer[]): Writable => new Writable({
    write(chunk: Buffer, _enc, done): void {
        chunks.push(chunk);
        done();
    },
});

/** The HTTP status of an Engine API error (dockerode puts it on the error). */
export const statusOf = (e: unknown): number | undefined => (e as { statusCode?: number }).statusCode;

export async function dockerExec(docker: Docker, container: string, argv: string[], timeoutMs = 60_000): Promise<ExecResult> {
    let exec: Docker.Exec;
    try {
        exec = await docker.getContainer(container).exec({ Cmd: argv, AttachStdout: true, AttachStderr: true, Tty: false });
    } catch (e) {
        // 409: the container is stopped (a router fault in progress); the caller sees a failed command, not a crash.
        if (statusOf(e) === 409) return { code: NOT_RUNNING, stdout: "", stderr: `${container} is not running` };
        throw e;
    }
    const stream = await exec.start({ hijack: true, stdin: false });
    const out: Buffer[] = [];
    const err: Buffer[] = [];
    docker.modem.demuxStream(stream, sink(out), sink(err));
    await new Promise<void>((resolve, reject) => {
        const timer = setTimeout(() => {
            stream.destroy();
            reject(new Error(`docker exec in ${container} timed out after ${timeoutMs / 1000} s: ${argv.join(" ")}`));
        }, timeoutMs);
        const finish = (): void => { clearTimeout(timer); resolve(); };
        stream.on("end", finish);
        stream.on("close", finish);
        stream.on("error", (e) => { clearTimeout(timer); reject(e); });
    });
    // The output stream can close a moment before the engine records the exit code.
    let info = await exec.inspect();
    for (let i = 0; i < 50 && info.Running; i++) {
        await sleep(100);
        info = await exec.inspect();
    }
    return { code: info.ExitCode ?? -1, stdout: Buffer.concat(out).toString("utf8"), stderr: Buffer.concat(err).toString("utf8") };
}

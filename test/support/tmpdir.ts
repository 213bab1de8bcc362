/**
 * Loaded by mocha (.mocharc.json "require"): every temporary folder a test makes through
 * os.tmpdir() (and every child process's, through TMPDIR) lands in one folder for the run, removed
 * when the run ends, so that no rendered configuration with the test password stays in /tmp even
 * when a test forgets its own clean-up or fails half-way.
 */
import * as fs from "fs";
import * as os from "os";
import * as path from "path";

const runDir = fs.mkdtempSync(path.join(os.tmpdir(), "cbf-test-run-"));
process.env.TMPDIR = runDir;

export const RUN_TMPDIR = runDir;

export const mochaHooks = {
    afterAll(): void {
        fs.rmSync(runDir, { recursive: true, force: true });
    },
};
// Also on an interrupted run (Ctrl-C) or an exit before the hooks run.
process.on("exit", () => fs.rmSync(runDir, { recursive: true, force: true }));

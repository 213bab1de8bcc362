/** What the project's commands (`npm run plan`, `npm run lab`) share: usage errors, help and the exit path. */
import { crashText, registerEnvSecrets } from "./secrets";

/** A bad command line: reported with the usage line, exit status 2. */
export class UsageError extends Error {}

/** `--help` / `-h`: the help text goes to stdout and the command exits 0. */
export class HelpRequested extends Error {}

/** Parses the command line; help or a usage error give the exit status (0 or 2) instead of the arguments. */
export function parseCommandLine<T>(parse: () => T, usageLine: string, log: (m: string) => void, help: string,
    print: (m: string) => void = (m) => { process.stdout.write(`${m}\n`); }): T | number {
    try {
        return parse();
    } catch (e) {
        if (e instanceof HelpRequested) {
            print(`${usageLine}\n\n${help}`);
            return 0;
        }
        if (!(e instanceof UsageError)) throw e;
        log(`error: ${e.message}`);
        log(usageLine);
        return 2;
    }
}

/**
 * Runs a command as the process's main module: its result is the exit status, a crash is 3.
 * Every crash, also one that escapes the command (an uncaught exception, a rejected promise
 * nobody awaits, as the Pulumi runtime leaves them), is printed with known secrets redacted.
 */
export function runAsMain(name: string, command: () => Promise<number>): void {
    registerEnvSecrets();
    const crash = (e: unknown): void => {
        process.stderr.write(`${name} failed: ${crashText(e)}\n`);
        process.exitCode = 3;
    };
    const fatal = (e: unknown): void => { crash(e); process.exit(3); };
    process.on("uncaughtException", fatal);
    process.on("unhandledRejection", fatal);
    command().then((code) => { process.exitCode = code; }, crash);
}

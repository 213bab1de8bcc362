/** What the project's commands (`npm run plan`, `npm run lab`) share: usage errors, help and the exit path. */

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

/** Runs a command as the process's main module: its result is the exit status, a crash is 3. */
export function runAsMain(name: string, command: () => Promise<number>): void {
    command().then((code) => { process.exitCode = code; }, (e: unknown) => {
        process.stderr.write(`${name} failed: ${e instanceof Error ? e.stack ?? e.message : String(e)}\n`);
        process.exitCode = 3;
    });
}

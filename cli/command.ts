/** What the project's commands (`npm run plan`, `npm run lab`) share: usage errors and the exit path. */

/** A bad command line: reported with the usage line, exit status 2. */
export class UsageError extends Error {}

/** Parses the command line; a UsageError is printed with the usage line and gives undefined. */
export function parseCommandLine<T>(parse: () => T, usageLine: string, log: (m: string) => void): T | undefined {
    try {
        return parse();
    } catch (e) {
        if (!(e instanceof UsageError)) throw e;
        log(`error: ${e.message}`);
        log(usageLine);
        return undefined;
    }
}

/** Runs a command as the process's main module: its result is the exit status, a crash is 3. */
export function runAsMain(name: string, command: () => Promise<number>): void {
    command().then((code) => { process.exitCode = code; }, (e: unknown) => {
        process.stderr.write(`${name} failed: ${e instanceof Error ? e.stack ?? e.message : String(e)}\n`);
        process.exitCode = 3;
    });
}

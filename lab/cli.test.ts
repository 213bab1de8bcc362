import * as assert from "node:assert/strict";
import { labCommand, parseLabArgs } from "./cli";

describe("npm run lab: command line", () => {
    it("parses every option, with netns and a 60 s timeout by default", () => {
        assert.deepEqual(parseLabArgs(["--stack", "dev"]), { stack: "dev", engine: "netns", timeout: 60 });
        assert.deepEqual(parseLabArgs(["--stack", "ipv6", "--engine", "docker", "--timeout", "20", "--report", "r.json", "--stop-router", "r01", "--wrong-password", "cp-1"]),
            { stack: "ipv6", engine: "docker", timeout: 20, report: "r.json", stopRouter: "r01", wrongPassword: "cp-1" });
    });

    for (const [argv, message] of [
        [[], /--stack is required/],
        [["--stack"], /--stack needs a value/],
        [["--stack", "dev", "--engine", "kvm"], /--engine must be netns or docker, not "kvm"/],
        [["--stack", "dev", "--timeout", "-1"], /--timeout must be a positive number of seconds, not "-1"/],
        [["--stack", "dev", "--bogus"], /unknown argument --bogus/],
    ] as [string[], RegExp][]) {
        it(`rejects ${JSON.stringify(argv)} with exit 2, the reason and the usage line`, async () => {
            const lines: string[] = [];
            assert.equal(await labCommand(argv, process.cwd(), (m) => lines.push(m)), 2);
            assert.match(lines[0], message);
            assert.match(lines[1], /^usage: npm run lab -- --stack <name>/);
        });
    }
});

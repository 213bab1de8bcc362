/** Every invalid input of the table (components/config/invalid-inputs.ts) through `npm run plan`'s entry point. */
import { strict as assert } from "assert";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { planCommand } from "../../cli/plan";
import { INVALID_INPUTS, TABLE_PASSWORD, writeCase } from "../../components/config/invalid-inputs";

describe("invalid inputs through npm run plan: exit 2, key path and value named, nothing written", function () {
    this.timeout(60000);
    const outParent = fs.mkdtempSync(path.join(os.tmpdir(), "cbf-invalid-out-"));

    for (const c of INVALID_INPUTS) {
        it(`class ${c.cls}: ${c.name}`, async () => {
            const root = writeCase(c);
            const out = path.join(outParent, c.name.replace(/[^a-z0-9]+/gi, "-"));
            const password = c.password ?? TABLE_PASSWORD;
            const lines: string[] = [];
            try {
                const code = await planCommand(["--stack", c.stack, "--out", out], root, { log: (l) => lines.push(l), env: { CBF_BGP_PASSWORD: password } });
                const log = lines.join("\n");
                assert.equal(code, 2, log);
                assert.ok(log.includes(c.error), `expected:\n  ${c.error}\nin:\n${log}`);
                // The key path and the value, as the problem line starts (`path = value: rule`; a stack file: `file:line:col`).
                const m = /^(\S+) = (.*?): /.exec(c.error) ?? /^(\S+): (.*)$/.exec(c.error);
                assert.ok(m, c.error);
                assert.ok(log.includes(`${m[1]} = ${m[2]}`) || log.includes(`error: ${c.error}`), log);
                assert.ok(!/\n\s+at .*\(/.test(log), `no stack trace:\n${log}`);
                assert.ok(!log.includes(password), "the password is never printed");
                assert.ok(!fs.existsSync(out), "no output directory is written");
                assert.deepEqual(fs.readdirSync(outParent).filter((f) => f.includes(path.basename(out))), [], "no temp output left");
            } finally {
                fs.rmSync(root, { recursive: true, force: true });
            }
        });
    }
});

/**
 * The BGP password survives every router syntax: rendered with arbitrary printable passwords,
 * each configuration parses back to exactly that password — through the project's readers
 * (vyosWords, parseFrrConfig, parseVyosConfig) and through the real ones: bash for VyOS set
 * commands, a port of VyOS's config.boot lexer, FRR's tokenizer rule and FRR's own bgpd.
 */
import { strict as assert } from "assert";
import { spawnSync } from "child_process";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import fc from "fast-check";
import { parseFrrConfig, parseVyosConfig } from "../bgp/agreement";
import { renderFrrConfig } from "./frr";
import { FRR_WORD_SEPARATORS, PasswordError, frrPasswordProblem, frrPasswordWord } from "./password";
import { TEST_PASSWORD, loadVariant, vtyshAvailable, vtyshDryrun } from "./testing";
import { renderVyosCommands, renderVyosConfigBoot } from "./vyos";
import { vyosWords } from "./vyosboot";

/** Printable ASCII but space, plus some non-ASCII: everything frrPasswordProblem accepts. */
const PRINTABLE = [...Array.from({ length: 94 }, (_, i) => String.fromCharCode(33 + i)), "é", "ß", "€", "日", "🔑"];
export const printablePassword = (maxLength = 80): fc.Arbitrary<string> =>
    fc.array(fc.constantFrom(...PRINTABLE), { minLength: 1, maxLength }).map((a) => a.join(""));
/** Passwords made of the characters each syntax treats specially. */
const NASTY = ["'", "\"", ";", "\\", "$", "`", "!", "#", "{", "}", "&", "|", "*", "'\\''", "\\\"", "$(x)", "${x}", "//", "/*"];
const nastyPassword = fc.array(fc.oneof(fc.constantFrom(...NASTY), fc.constantFrom(...PRINTABLE)), { minLength: 1, maxLength: 20 }).map((a) => a.join(""));
const passwords = fc.oneof(printablePassword(), nastyPassword);

const vyos = loadVariant("ipv6-vyos");
const vyosRouter = vyos.plan.routers[0];
const frr = loadVariant("dev");
const frrRouter = frr.plan.routers.find((r) => r.name === "leaf1") ?? frr.plan.routers[0];

const passwordCommand = (cmds: string[]): string => {
    const line = cmds.find((c) => vyosWords(c).slice(0, 6).join(" ") === "set protocols bgp peer-group NODES password");
    assert.ok(line, "no password command");
    return line;
};

/**
 * VyOS's config.boot string lexer (vyos-1x libvyosconfig lib/vyos1x_lexer.mll, read_string): the
 * value of a leaf line `name "..."`, or an error for what VyOS would refuse.
 */
function vyosLexString(line: string): string {
    const start = line.indexOf("\"");
    assert.ok(start >= 0, "value not quoted");
    const escapes: Record<string, string> = { "/": "/", "\\": "\\", b: "\b", f: "\f", n: "\n", r: "\r", t: "\t", "'": "'", "\"": "\"" };
    let out = "";
    for (let i = start + 1; i < line.length; i++) {
        const c = line[i];
        if (c === "\"") {
            assert.equal(line.slice(i + 1).trim(), "", "text after the closing quote");
            return out;
        }
        if (c === "\\") {
            const e = escapes[line[i + 1]];
            assert.ok(e !== undefined, "Illegal string character (VyOS lexer)");
            out += e;
            i++;
        } else out += c;
    }
    throw new Error("String is not terminated (VyOS lexer)");
}

/** FRR's tokenizer (lib/command.c cmd_make_strvec): words between space, tab, CR and LF. */
const frrWords = (line: string): string[] => line.split(/[ \t\r\n]/).filter((w) => w !== "");

describe("BGP password quoting", () => {
    describe("frrPasswordProblem (what no router syntax can carry)", () => {
        const refused: [string, RegExp][] = [
            ["", /is empty/],
            ["with space", /contains a space/],
            ["tab\there", /control character/],
            ["line\nbreak", /control character/],
            ["cr\rhere", /control character/],
            ["nul\u0000", /control character/],
            ["del\u007f", /control character/],
            ["bell\u0007", /control character/],
        ];
        for (const [pw, why] of refused) {
            it(`refuses ${JSON.stringify(pw)} and never quotes it`, () => {
                const problem = frrPasswordProblem(pw);
                assert.ok(problem && why.test(problem), problem);
                if (pw.length > 2) assert.ok(!problem.includes(pw));
                assert.throws(() => frrPasswordWord(pw), (e: unknown) => e instanceof PasswordError && (pw.length <= 2 || !e.message.includes(pw)));
            });
        }
        for (const pw of ["a", "'", "\"", ";", "a'b;c", "!start", "#start", "\\", "$HOME", "{}", "é€🔑", "x".repeat(200)]) {
            it(`accepts ${JSON.stringify(pw.length > 20 ? `${pw.slice(0, 5)}...` : pw)}`, () => assert.equal(frrPasswordProblem(pw), undefined));
        }
        it("refuses exactly the separators of FRR's tokenizer and the control characters", () => {
            for (const s of FRR_WORD_SEPARATORS) assert.ok(frrPasswordProblem(`a${s}b`));
            fc.assert(fc.property(printablePassword(), (pw) => frrPasswordProblem(pw) === undefined));
        });
    });

    describe("VyOS set commands", () => {
        it("the password command reads back through vyosWords as exactly one word", () => {
            fc.assert(fc.property(passwords, (pw) => {
                const w = vyosWords(passwordCommand(renderVyosCommands({ ...vyos, router: vyosRouter, password: pw })));
                assert.deepEqual(w, ["set", "protocols", "bgp", "peer-group", "NODES", "password", pw]);
            }), { numRuns: 300 });
        });
        it("every rendered command reads back the same through bash (VyOS's CLI shell) and vyosWords", function () {
            const bash = spawnSync("bash", ["--version"]);
            if (bash.status !== 0) { if (process.env.CI) throw new Error("bash missing"); this.skip(); }
            const pws = fc.sample(passwords, { numRuns: 150, seed: 14 });
            const lines = pws.map((pw) => passwordCommand(renderVyosCommands({ ...vyos, router: vyosRouter, password: pw })));
            // `set` replaced by a function that prints its arguments NUL-separated, one command per record.
            const script = `set() { printf '%s\\0' "$@"; printf '\\1'; }\n${lines.join("\n")}\n`;
            const r = spawnSync("bash", ["--norc", "--noprofile", "-s"], { input: script, encoding: "utf8" });
            assert.equal(r.status, 0, r.stderr);
            const records = r.stdout.split("\u0001").slice(0, -1).map((rec) => rec.split("\0").slice(0, -1));
            assert.equal(records.length, pws.length);
            records.forEach((args, i) => {
                assert.deepEqual(args, ["protocols", "bgp", "peer-group", "NODES", "password", pws[i]]);
                assert.deepEqual(vyosWords(lines[i]).slice(1), args);
            });
        });
        it("config.boot holds the password as VyOS's lexer reads it, and the agreement parser agrees", () => {
            fc.assert(fc.property(passwords, (pw) => {
                const cmds = renderVyosCommands({ ...vyos, router: vyosRouter, password: pw });
                const boot = renderVyosConfigBoot(cmds);
                const lines = boot.split("\n").filter((l) => /^\s*password "/.test(l));
                assert.ok(lines.length > 0);
                for (const l of lines) assert.equal(vyosLexString(l), pw);
                for (const text of [boot, cmds.join("\n")]) {
                    const neighbors = parseVyosConfig(text).neighbors;
                    assert.ok(neighbors.length > 0);
                    for (const n of neighbors) assert.equal(n.password, pw);
                }
            }), { numRuns: 200 });
        });
        it("a quote or semicolon no longer breaks config.boot (the reported crash)", () => {
            const pw = "ab'c;d\"e";
            const boot = renderVyosConfigBoot(renderVyosCommands({ ...vyos, router: vyosRouter, password: pw }));
            assert.ok(boot.includes(`password "ab'c;d\\"e"`));
        });
    });

    describe("FRR frr.conf", () => {
        it("the password line is one FRR word, and parseFrrConfig reads it back", () => {
            fc.assert(fc.property(passwords, (pw) => {
                const conf = renderFrrConfig({ ...frr, router: frrRouter, password: pw });
                const lines = conf.split("\n").filter((l) => / password /.test(l));
                assert.ok(lines.length > 0);
                for (const l of lines) assert.deepEqual(frrWords(l).slice(2), ["password", pw]);
                for (const n of parseFrrConfig(conf).neighbors) assert.equal(n.password, pw);
            }), { numRuns: 200 });
        });
        it("the renderers refuse what FRR cannot carry, without printing it", () => {
            for (const pw of ["two words", "tab\tx", "nl\nx"]) {
                for (const render of [() => renderFrrConfig({ ...frr, router: frrRouter, password: pw }), () => renderVyosCommands({ ...vyos, router: vyosRouter, password: pw })]) {
                    assert.throws(render, (e: unknown) => e instanceof Error && !e.message.includes(pw));
                }
            }
        });

        describe("with FRR itself", function () {
            before(function () {
                if (vtyshAvailable()) return;
                if (process.env.CI) throw new Error("vtysh is not installed but CI is set: install the Debian 'frr' package");
                this.skip();
            });
            it("vtysh --dryrun accepts a rendered frr.conf whose password holds every special character", () => {
                const pw = `a'b"c;d!e#f\\g{h}$i\`j~|<>?*&^%@=+,./:[]()é🔑`;
                const r = vtyshDryrun(renderFrrConfig({ ...frr, router: frrRouter, password: pw }));
                assert.ok(r.ok, "vtysh --dryrun rejected the configuration");
            });
            it("bgpd reads arbitrary passwords back verbatim (show running-config of a booted bgpd)", () => {
                const bgpd = "/usr/lib/frr/bgpd";
                assert.ok(fs.existsSync(bgpd), "frr is installed but bgpd is missing");
                const pws = [...new Set(fc.sample(passwords, { numRuns: 120, seed: 8 }))];
                const dir = fs.mkdtempSync(path.join(os.tmpdir(), "cbf-pw-bgpd-"));
                try {
                    fs.chmodSync(dir, 0o777);
                    // One peer-group per password: one bgpd start checks them all.
                    const conf = ["frr defaults traditional", "router bgp 65001", ...pws.flatMap((pw, i) =>
                        [` neighbor G${i} peer-group`, ` neighbor G${i} remote-as external`, ` neighbor G${i} password ${frrPasswordWord(pw)}`]), "exit", ""].join("\n");
                    const file = path.join(dir, "bgpd.conf");
                    fs.writeFileSync(file, conf);
                    // -t: a vty on stdin; no zebra, no kernel, no BGP or vty port: nothing leaves the process.
                    const r = spawnSync(bgpd, ["-f", file, "-t", "-S", "-Z", "-n", "-p", "0", "-P", "0", "--vty_socket", dir, "-i", path.join(dir, "bgpd.pid"), "--log", "stdout"],
                        { input: "show running-config\n", encoding: "utf8", timeout: 20000 });
                    assert.equal(r.status, 0, "bgpd failed");
                    const read = new Map<string, string>();
                    // The terminal vty ends lines with CR LF.
                    for (const l of r.stdout.split("\r\n")) {
                        const m = /^ neighbor (G\d+) password (.*)$/.exec(l);
                        if (m) read.set(m[1], m[2]);
                    }
                    assert.equal(read.size, pws.length);
                    pws.forEach((pw, i) => assert.ok(read.get(`G${i}`) === pw, `peer-group G${i}: password read back differs`));
                } finally {
                    fs.rmSync(dir, { recursive: true, force: true });
                }
            });
        });
    });

    it("the fixture password still renders unchanged", () => {
        assert.ok(renderFrrConfig({ ...frr, router: frrRouter, password: TEST_PASSWORD }).includes(` password ${TEST_PASSWORD}\n`));
    });
});

import { strict as assert } from "assert";
import { spawnSync } from "child_process";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { tarArchive } from "./tar";

describe("lab/docker tar writer", () => {
    it("GNU tar extracts what it writes: paths, contents, modes", function () {
        if (spawnSync("tar", ["--version"]).status !== 0) this.skip();
        const dir = fs.mkdtempSync(path.join(os.tmpdir(), "cbf-tar-"));
        try {
            const long = `${"d".repeat(90)}/${"e".repeat(40)}/file.txt`;
            const entries = [
                { path: "/etc/frr/frr.conf", content: "hostname r01\n", mode: 0o640 },
                { path: "etc/gobgpd.toml", content: "x".repeat(513), mode: 0o600 },
                { path: long, content: "ünïcode\n", mode: 0o755 },
            ];
            fs.writeFileSync(path.join(dir, "a.tar"), tarArchive(entries));
            const out = path.join(dir, "out");
            fs.mkdirSync(out);
            const r = spawnSync("tar", ["-xf", path.join(dir, "a.tar"), "-C", out], { encoding: "utf8" });
            assert.equal(r.status, 0, r.stderr);
            for (const e of entries) {
                const p = path.join(out, e.path);
                assert.equal(fs.readFileSync(p, "utf8"), e.content);
                assert.equal(fs.statSync(p).mode & 0o777, e.mode);
            }
        } finally {
            fs.rmSync(dir, { recursive: true, force: true });
        }
    });
});

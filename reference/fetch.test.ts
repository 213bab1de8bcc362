import * as assert from "assert";
import { spawnSync } from "child_process";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { ChecksumError, type FetchFn, fetchReference, readSums, sha256 } from "./fetch";
import { PROJECT_ROOT, SHARED_REFERENCE, referenceDir } from "./locate";
import { GATEWAY_API_RELEASE_FOR_CILIUM_LINE } from "./gateway-api-releases";
import { gatewayApiTableInReadme } from "../test/support/gateway-api";
import { includesOf } from "./vyos-includes";

const REF = referenceDir();
const SUMS = readSums();

/**
 * A stand-in for GitHub's raw file server, answering from the reference data on this machine.
 * Written from the upstream repositories' layouts (checked with git show against clones of
 * kubernetes-sigs/gateway-api and vyos/vyos-1x), independently of reference/sources.ts.
 */
const fromLocalCopy = (served: string[]): FetchFn => async (url) => {
    served.push(url);
    const u = /^https:\/\/raw\.githubusercontent\.com\/([^/]+\/[^/]+)\/([^/]+)\/(.+)$/.exec(url);
    if (!u) throw new Error(`not a raw GitHub URL: ${url}`);
    const [, repo, ref, file] = u;
    let local: string | undefined;
    let m: RegExpExecArray | null;
    if (repo === "cilium/cilium" && (m = /^pkg\/k8s\/apis\/cilium\.io\/client\/crds\/(v2|v2alpha1)\/([^/]+\.yaml)$/.exec(file))) {
        local = ref === "v1.19.0-pre.1" ? `cilium/crds/legacy-v2alpha1/${m[2]}` : `cilium/crds/by-release/${ref}/${m[1]}/${m[2]}`;
    } else if (repo === "cilium/cilium" && file === "install/kubernetes/cilium/values.schema.json") {
        local = `cilium/chart/${ref}/values.schema.json`;
    } else if (repo === "kubernetes-sigs/gateway-api" && (m = /^config\/crd\/standard\/([^/]+)$/.exec(file))) {
        const release = fs.readdirSync(path.join(REF, "gateway-api")).find((r) =>
            fs.existsSync(path.join(REF, "gateway-api", r, "COMMIT")) && fs.readFileSync(path.join(REF, "gateway-api", r, "COMMIT"), "utf8").trim() === ref);
        if (release) local = `gateway-api/${release}/standard/${m[1]}`;
    } else if (repo === "vyos/vyos-1x" && ref === fs.readFileSync(path.join(REF, "vyos/frr-templates/COMMIT"), "utf8").trim()) {
        if (file.startsWith("interface-definitions/")) local = `vyos/${file}`;
        else if ((m = /^data\/templates\/frr\/([^/]+)$/.exec(file))) local = `vyos/frr-templates/${m[1]}`;
        else if ((m = /^(?:python\/vyos|src\/conf_mode)\/([^/]+\.py)$/.exec(file))) local = `vyos/frr-templates/python/${m[1]}`;
    }
    if (!local || !fs.existsSync(path.join(REF, local))) throw new Error(`404 ${url}`);
    return fs.readFileSync(path.join(REF, local));
};

describe("reference data (npm run reference)", function () {
    this.timeout(60000);
    const tmp = fs.mkdtempSync(path.join(os.tmpdir(), "cbf-reference-"));
    after(() => fs.rmSync(tmp, { recursive: true, force: true }));

    it("reference/sha256sums matches every file of the reference data in use, and the data the tests read is all listed", () => {
        assert.ok(SUMS.length > 200, `${SUMS.length} entries`);
        const bad = SUMS.filter((s) => !fs.existsSync(path.join(REF, s.path)) || sha256(fs.readFileSync(path.join(REF, s.path))) !== s.sha256);
        assert.deepEqual(bad.map((s) => s.path), [], `checked against ${REF}`);
        const listed = new Set(SUMS.map((s) => s.path));
        for (const dir of ["cilium/crds", "gateway-api", "vyos/expanded", "vyos/interface-definitions", "vyos/frr-templates"]) {
            const walk = (d: string): string[] => fs.readdirSync(path.join(REF, d), { withFileTypes: true })
                .flatMap((e) => (e.isDirectory() ? walk(`${d}/${e.name}`) : [`${d}/${e.name}`]));
            assert.deepEqual(walk(dir).filter((f) => !listed.has(f)), [], `unlisted files under ${dir}`);
        }
        for (const line of ["v1.16.19", "v1.17.18", "v1.18.12", "v1.19.6", "v1.20.0"]) assert.ok(listed.has(`cilium/chart/${line}/values.schema.json`), line);
    });

    it("the listed VyOS include files are exactly those the listed definitions include (transitively)", () => {
        const read = (p: string): string => fs.readFileSync(path.join(REF, "vyos/interface-definitions", p), "utf8");
        const reached = new Set<string>();
        const visit = (p: string): void => { for (const inc of includesOf(read(p))) if (!reached.has(inc)) { reached.add(inc); visit(inc); } };
        const tops = SUMS.map((s) => s.path).filter((p) => /^vyos\/interface-definitions\/[^/]+\.xml\.in$/.test(p));
        assert.equal(tops.length, 8);
        for (const t of tops) visit(path.basename(t));
        const listedIncludes = SUMS.map((s) => s.path).filter((p) => p.startsWith("vyos/interface-definitions/include/")).map((p) => p.slice("vyos/interface-definitions/".length));
        assert.deepEqual([...reached].sort(), listedIncludes.sort());
    });

    it("fetches every listed file from its upstream URL, expands the VyOS includes, and writes a tree equal to the reference copy", async () => {
        const served: string[] = [];
        const dest = path.join(tmp, "ok", ".reference");
        const r = await fetchReference({ dest, fetchFn: fromLocalCopy(served) });
        assert.equal(r.files, SUMS.length);
        for (const s of SUMS) assert.ok(fs.readFileSync(path.join(dest, s.path)).equals(fs.readFileSync(path.join(REF, s.path))), s.path);
        // Spot checks of the URL each kind of file comes from (paths checked against the upstream repositories).
        for (const url of [
            "https://raw.githubusercontent.com/cilium/cilium/v1.18.3/pkg/k8s/apis/cilium.io/client/crds/v2/ciliumbgppeerconfigs.yaml",
            "https://raw.githubusercontent.com/cilium/cilium/v1.17.18/install/kubernetes/cilium/values.schema.json",
            "https://raw.githubusercontent.com/kubernetes-sigs/gateway-api/40be951cebe5cb3f0365fe6951403de4ff8b9f33/config/crd/standard/gateway.networking.k8s.io_gateways.yaml",
            "https://raw.githubusercontent.com/vyos/vyos-1x/3710c5879f5733d05aae6e156f74d62b73821b2d/interface-definitions/include/bgp/neighbor-password.xml.i",
            "https://raw.githubusercontent.com/vyos/vyos-1x/3710c5879f5733d05aae6e156f74d62b73821b2d/data/templates/frr/bgpd.frr.j2",
            "https://raw.githubusercontent.com/vyos/vyos-1x/3710c5879f5733d05aae6e156f74d62b73821b2d/src/conf_mode/protocols_bgp.py",
        ]) assert.ok(served.includes(url), url);
        assert.ok(!served.some((u) => u.includes("/expanded/")), "expanded files are built, not fetched");
        assert.deepEqual(fs.readdirSync(path.dirname(dest)), [".reference"], "no staging folder left behind");
    });

    it("a wrong checksum fails the run naming the file, and leaves an existing .reference untouched", async () => {
        const dest = path.join(tmp, "bad", ".reference");
        fs.mkdirSync(dest, { recursive: true });
        fs.writeFileSync(path.join(dest, "marker"), "old");
        const sums = SUMS.map((s) => (s.path === "vyos/expanded/protocols_bgp.xml" ? { ...s, sha256: "0".repeat(64) } : s));
        await assert.rejects(fetchReference({ dest, sums, fetchFn: fromLocalCopy([]) }),
            (e: unknown) => e instanceof ChecksumError && /1 file\(s\): vyos\/expanded\/protocols_bgp\.xml \(expected 000000000000/.test(e.message));
        assert.deepEqual(fs.readdirSync(path.dirname(dest)), [".reference"]);
        assert.deepEqual(fs.readdirSync(dest), ["marker"]);
        // A changed upstream file fails the same way.
        const tampered: FetchFn = async (url) => (url.endsWith("/bgpd.frr.j2") ? Buffer.from("changed") : fromLocalCopy([])(url));
        await assert.rejects(fetchReference({ dest, fetchFn: tampered }), /vyos\/frr-templates\/bgpd\.frr\.j2/);
    });

    it("the Cilium line -> Gateway API table has fetched CRDs for every release, and agrees with ../shared/README.md where that exists", function () {
        for (const release of Object.values(GATEWAY_API_RELEASE_FOR_CILIUM_LINE)) {
            assert.ok(SUMS.some((s) => s.path === `gateway-api/${release}/standard/gateway.networking.k8s.io_gateways.yaml`), release);
        }
        const readme = path.join(SHARED_REFERENCE, "..", "README.md");
        if (!fs.existsSync(readme)) {
            if (process.env.CBF_REQUIRE_SHARED) throw new Error(`CBF_REQUIRE_SHARED is set but ${readme} is missing`);
            this.skip();
        }
        const fromReadme = gatewayApiTableInReadme(fs.readFileSync(readme, "utf8"));
        assert.ok(Object.keys(fromReadme).length >= 5);
        assert.deepEqual(fromReadme, GATEWAY_API_RELEASE_FOR_CILIUM_LINE);
    });

    it("without reference data, npm test stops with one line naming `npm run reference` and a non-zero exit", () => {
        // A clone-like copy of the project (tracked files only, no ../shared beside it, no .reference/).
        const clone = path.join(tmp, "clone", "cilium-bgp-fabric");
        const files = spawnSync("git", ["ls-files", "-co", "--exclude-standard"], { cwd: PROJECT_ROOT, encoding: "utf8" }).stdout.split("\n").filter(Boolean);
        assert.ok(files.includes("package.json"));
        for (const f of files) {
            if (!fs.existsSync(path.join(PROJECT_ROOT, f))) continue;
            fs.mkdirSync(path.dirname(path.join(clone, f)), { recursive: true });
            fs.copyFileSync(path.join(PROJECT_ROOT, f), path.join(clone, f));
        }
        fs.symlinkSync(path.join(PROJECT_ROOT, "node_modules"), path.join(clone, "node_modules"));
        const env = { ...process.env };
        delete env.CBF_REFERENCE_DIR;
        const run = spawnSync(process.execPath, [path.join(PROJECT_ROOT, "node_modules/mocha/bin/mocha.js")], { cwd: clone, env, encoding: "utf8" });
        assert.notEqual(run.status, 0);
        const lines = (run.stdout + run.stderr).split("\n").filter((l) => l.trim() !== "");
        assert.deepEqual(lines, ["no reference data (../shared/reference or .reference/): run `npm run reference` to fetch it"]);
        const withEnv = spawnSync(process.execPath, [path.join(PROJECT_ROOT, "node_modules/mocha/bin/mocha.js")],
            { cwd: clone, env: { ...env, CBF_REFERENCE_DIR: path.join(tmp, "missing") }, encoding: "utf8" });
        assert.equal(withEnv.status, 1);
        assert.match(withEnv.stderr.trim(), /^CBF_REFERENCE_DIR=.*missing does not exist: run `npm run reference` or unset it$/);
        assert.equal(withEnv.stdout.trim(), "");
    });
});

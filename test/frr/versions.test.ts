/**
 * The lab runs Debian's FRR 8.4.4; the program deploys quay.io/frrouting/frr:10.2.1. Every line
 * the FRR renderer emits must be a command both versions define (test/frr/commands.ts, extracted
 * from FRR's DEFUN/DEFPY strings at frr-8.4.4 and frr-10.2.1), so the lab's convergence speaks
 * for the deployed routers' configuration syntax.
 */
import * as assert from "node:assert/strict";
import * as path from "path";
import { spawnSync } from "child_process";
import { loadStack, rawConfigOfStack } from "../../components/config";
import { DEFAULT_FRR_IMAGE } from "../../components/config/defaults";
import { listStacks, readStackConfig } from "../../components/config/stackfile";
import { fixtureConfig } from "../../components/plan/fixtures";
import { renderFrrConfig, renderVtyshConf } from "../../components/routers/frr";
import { frrVersions, labFrrVersion } from "../../lab/frr-version";
import { type FrrCommand, matchesCommand } from "../support/frr-grammar";
import { FRR_10_2_1, FRR_8_4_4 } from "./commands";

const ROOT = path.resolve(__dirname, "../..");

/** Every distinct line of every FRR router's config: shipped stacks, each bgp switch flipped, fixtures. */
function renderedLines(): string[] {
    const lines = new Set<string>();
    const add = (raw: Record<string, unknown>, stack: string): void => {
        const bgp = (raw.bgp ?? {}) as Record<string, unknown>;
        for (const variant of [{}, { filterNodeRoutes: false }, { authentication: false }, { gracefulRestart: { enabled: false } }, { ebgpMultihop: 2 }]) {
            let l: ReturnType<typeof loadStack>;
            try {
                l = loadStack(stack, { ...raw, bgp: { ...bgp, ...variant } }, "pw-test");
            } catch (e) {
                // ebgpMultihop is refused where every node session is iBGP (components/bgp/checks.ts).
                if ("ebgpMultihop" in variant && /bgp\.ebgpMultihop = 2: applies to eBGP sessions only/.test(String(e))) continue;
                throw e;
            }
            for (const router of l.plan.routers.filter((r) => r.flavour === "frr")) {
                const text = renderFrrConfig({ config: l.config, plan: l.plan, router, ...(l.config.bgp.authentication ? { password: "pw-test" } : {}) });
                for (const line of [...text.split("\n"), ...renderVtyshConf(router.name).split("\n")]) if (line.trim() !== "" && line.trim() !== "!") lines.add(line.trim());
            }
        }
    };
    for (const stack of listStacks(ROOT)) add(rawConfigOfStack(readStackConfig(ROOT, stack, {})) as Record<string, unknown>, stack);
    for (const family of ["ipv4", "ipv6"] as const) {
        for (const topology of ["tor", "spine-leaf", "single"] as const) add(fixtureConfig({ family, nodes: 4, topology }) as Record<string, unknown>, "fixture");
    }
    return [...lines].sort();
}

const unmatched = (lines: string[], commands: FrrCommand[]): string[] => lines.filter((l) => !commands.some((c) => matchesCommand(c.command, l)));

describe("FRR versions: the lab's 8.4.4 and the deployed 10.2.1 both define every rendered command", () => {
    const lines = renderedLines();

    it("renders a broad set of lines (all shipped stacks, each bgp switch, every topology)", () => {
        assert.ok(lines.length > 60, String(lines.length));
        for (const shape of [/^router bgp \d+$/, /^neighbor \S+ password /, /ebgp-multihop 2$/, /^ipv6 prefix-list /, /^maximum-paths ibgp \d+$/, /^no bgp ebgp-requires-policy$/, /route-reflector-client$/,
            // VRRP on ToR pairs (vrrpd), both families.
            /^vrrp \d+ version 3$/, /^vrrp \d+ ip \d+\.\d+\.\d+\.\d+$/, /^vrrp \d+ ipv6 [0-9a-f:]+$/, /^vrrp \d+ advertisement-interval \d+$/, /^vrrp \d+ priority \d+$/]) {
            assert.ok(lines.some((l) => shape.test(l)), String(shape));
        }
    });

    for (const [tag, commands] of [["frr-8.4.4 (the lab, Debian 12)", FRR_8_4_4], ["frr-10.2.1 (the deployed image)", FRR_10_2_1]] as const) {
        it(`every rendered line is a command of ${tag}`, () => {
            assert.deepEqual(unmatched(lines, commands), []);
        });
    }

    it("the check can fail: a command of one version only, and one of neither, are found", () => {
        // `as-notation` arrived with FRR 9.0's ASN notation support.
        assert.deepEqual(unmatched(["router bgp 65000 as-notation dot"], FRR_8_4_4), ["router bgp 65000 as-notation dot"]);
        assert.deepEqual(unmatched(["router bgp 65000 as-notation dot"], FRR_10_2_1), []);
        // `remote-as auto` is FRR 10.1+.
        assert.deepEqual(unmatched(["neighbor NODES remote-as auto"], FRR_8_4_4), ["neighbor NODES remote-as auto"]);
        assert.deepEqual(unmatched(["neighbor NODES made-up-option 3", "neighbor 10.0.0.1 ebgp-multihop 300", "bgp router-id 10.0.0.300"], FRR_10_2_1).length, 3);
    });

    it("the grammar: choices, options, ranges, addresses, any-order groups", () => {
        assert.ok(matchesCommand("ip prefix-list WORD$name [seq (1-4294967295)$seq] <deny|permit>$action <any|A.B.C.D/M$prefix [{ge (0-32)$ge|le (0-32)$le}]>", "ip prefix-list L seq 5 permit 10.0.0.0/8 le 32 ge 24"));
        assert.ok(!matchesCommand("ip prefix-list WORD$name [seq (1-4294967295)$seq] <deny|permit>$action <any|A.B.C.D/M$prefix [{ge (0-32)$ge|le (0-32)$le}]>", "ip prefix-list L seq 5 permit 10.0.0.0/8 le 33"));
        assert.ok(!matchesCommand("neighbor <A.B.C.D|X:X::X:X|WORD> timers (0-65535) (0-65535)", "neighbor X timers 3"));
        assert.ok(matchesCommand("[no] bgp default <ipv4-unicast|ipv6-unicast>", "no bgp default ipv4-unicast"));
    });

    it("the program deploys FRR 10.2.1 and the lab says which FRR it runs", function () {
        assert.equal(DEFAULT_FRR_IMAGE, "quay.io/frrouting/frr:10.2.1");
        const v = frrVersions([DEFAULT_FRR_IMAGE, DEFAULT_FRR_IMAGE], "8.4.4");
        assert.deepEqual(v.deployed, [DEFAULT_FRR_IMAGE]);
        assert.match(v.note, /^lab: runs FRR 8\.4\.4 \(Debian\); the program deploys quay\.io\/frrouting\/frr:10\.2\.1: /);
        assert.equal(frrVersions([DEFAULT_FRR_IMAGE], "10.2.1").note, "lab: FRR 10.2.1, the version the program deploys");
        if (spawnSync("/usr/lib/frr/bgpd", ["--version"]).error) {
            if (process.env.CI) throw new Error("FRR (Debian package frr) is required in CI");
            this.skip();
        }
        // This machine's FRR is one of the lines the command table covers.
        assert.match(labFrrVersion(), /^(8\.4|10\.2)\.\d+$/);
    });
});

/**
 * Issue 16: each seed's own objects (test/seeds/<nnn>-*.seed.ts) against what the project renders
 * for the seed's stack, field by field (compare.ts). A seed passes when every difference is listed
 * in its allowedDifferences with a reason and every listed one still occurs.
 */
import { strict as assert } from "assert";
import { compareSeed, formatDifferences } from "./compare";
import { StackDoesNotLoad, renderStack } from "./render";
import { seedText, untranscribed } from "./transcription";
import type { SeedData } from "./types";
import { seed000 } from "./000-ipv6-vyos-own-asn.seed";
import { seed001 } from "./001-k3d-dual-stack-gateway.seed";
import { seed002 } from "./002-kind-frr-tor-racks.seed";
import { seed003 } from "./003-single-router-ibgp.seed";
import { seed004 } from "./004-vyos-spine-leaf.seed";

/**
 * PENDING: seeds whose draft stack (test/seeds/stacks/) uses config keys that issue 16's features
 * are adding today, so it does not load yet. For these the test asserts the stack STILL FAILS TO
 * LOAD, and only with problems the entry expects (`refuses`: every problem line of the loader's
 * message must match one), so a draft with an unrelated mistake fails too. Once the features land
 * and the stack loads, the test fails and says so: the lead then removes the entry, and the seed's
 * comparison runs (and must pass) like seed 000's. `waitsOn` lists what the seed waits on.
 */
export const PENDING: Record<string, { waitsOn: string[]; refuses: RegExp[] }> = {
};

const SEEDS: SeedData[] = [seed000, seed001, seed002, seed003, seed004];

describe("seeds (issue 16): each seed's own objects vs the rendered stack", function () {
    this.timeout(120000);

    it("every pending entry names a seed", () => {
        for (const k of Object.keys(PENDING)) assert.ok(SEEDS.some((s) => s.seed === k), `PENDING names seed ${k}, which has no data`);
    });

    for (const seed of SEEDS) {
        describe(`seed ${seed.seed} (${seed.file}, stack ${seed.stack.file})`, () => {
            it("its data is transcribed from the seed file (every value within its cited lines)", function () {
                const text = seedText(seed.file);
                if (text === undefined) this.skip(); // no ../shared (GitHub's runners): see seedText
                const missing = untranscribed(seed, text);
                assert.deepEqual(missing, [], `values not found in their cited lines:\n  ${missing.join("\n  ")}`);
            });

            it("every allowed difference has a reason and names one place", () => {
                const keys = seed.allowedDifferences.map((d) => `${d.where} ${d.path}`);
                assert.deepEqual(keys.filter((k, i) => keys.indexOf(k) !== i), [], "listed twice");
                for (const d of seed.allowedDifferences) assert.ok(d.reason.length > 20, `${d.where} ${d.path}: no reason`);
            });

            if (seed.seed in PENDING) {
                const pending = PENDING[seed.seed];
                it(`PENDING (waits on ${pending.waitsOn.join("; ")}): its stack still fails to load, only for those`, async () => {
                    let refused: string | undefined;
                    try {
                        await renderStack(seed.stack.file, seed.stack.name);
                    } catch (e) {
                        if (!(e instanceof StackDoesNotLoad)) throw e;
                        refused = e.message;
                    }
                    assert.ok(refused !== undefined, `seed ${seed.seed}'s stack ${seed.stack.file} loads now: remove "${seed.seed}" from PENDING in test/seeds/seeds.test.ts so its comparison runs`);
                    const problems = refused.split("\n").filter((l) => l.startsWith("  - ")).map((l) => l.slice(4));
                    assert.ok(problems.length > 0, `not a list of problems: ${refused}`);
                    const other = problems.filter((p) => !pending.refuses.some((re) => re.test(p)));
                    assert.deepEqual(other, [], `seed ${seed.seed}'s stack is refused for more than the pending features:\n  ${other.join("\n  ")}`);
                });
            } else {
                it("renders, and every difference from the seed is allowed and still occurs", async () => {
                    const rendered = await renderStack(seed.stack.file, seed.stack.name);
                    const ds = compareSeed(seed, rendered);
                    const bad = ds.filter((d) => d.status !== "expected");
                    assert.deepEqual(bad.map((d) => `${d.status} ${d.where} ${d.path}`), [], `seed ${seed.seed}:\n${formatDifferences(bad)}`);
                });
            }
        });
    }
});

/**
 * The README's seed table and topology table stay in step with the seed data and the shipped
 * stacks: every seed has its row (seed file, stack file, shipped or pending), every shipped seed
 * stack its section, and every stack at the root its Topologies row.
 */
import { strict as assert } from "assert";
import * as fs from "fs";
import * as path from "path";
import type { SeedData } from "./types";
import { seed000 } from "./000-ipv6-vyos-own-asn.seed";
import { seed001 } from "./001-k3d-dual-stack-gateway.seed";
import { seed002 } from "./002-kind-frr-tor-racks.seed";
import { seed003 } from "./003-single-router-ibgp.seed";
import { seed004 } from "./004-vyos-spine-leaf.seed";

const ROOT = path.resolve(__dirname, "..", "..");
const SEEDS: SeedData[] = [seed000, seed001, seed002, seed003, seed004];

/** The README's `## <title...>` section, up to the next `## ` heading. */
function section(readme: string, title: string): string {
    const start = readme.indexOf(`\n## ${title}`);
    assert.ok(start >= 0, `README.md has no "## ${title}" section`);
    const end = readme.indexOf("\n## ", start + 1);
    return readme.slice(start, end < 0 ? undefined : end);
}

/** A draft (a seed waiting on features) lives under test/seeds/stacks/; shipped stacks at the root. */
const shipped = (s: SeedData): boolean => !s.stack.file.includes("/");

describe("README seed stacks and topologies", () => {
    const readme = fs.readFileSync(path.join(ROOT, "README.md"), "utf8");
    const seeds = section(readme, "Seed stacks");
    const topologies = section(readme, "Topologies");

    for (const s of SEEDS) {
        it(`seed ${s.seed}: its row names ${s.file} and ${s.stack.file}, ${shipped(s) ? "shipped, with its own section" : "pending"}`, () => {
            const row = seeds.split("\n").find((l) => l.startsWith(`| ${s.seed} \`${s.file}\` |`));
            assert.ok(row, `no row "| ${s.seed} \`${s.file}\` |" in README's Seed stacks table`);
            assert.ok(row.includes(`\`${s.stack.file}\``), `seed ${s.seed}'s row does not name its stack file ${s.stack.file}: ${row}`);
            const status = row.split("|")[3]?.trim() ?? "";
            assert.match(status, shipped(s) ? /^shipped/ : /^pending/, `seed ${s.seed}'s status: ${status}`);
            if (shipped(s)) {
                assert.ok(seeds.includes(`\n#### Seed ${s.seed}: \`${s.stack.name}\`\n`), `no "#### Seed ${s.seed}: \`${s.stack.name}\`" section`);
            }
        });
    }

    it("every stack at the root has a Topologies row, and every seed-* stack is a seed's", () => {
        const stacks = fs.readdirSync(ROOT).map((f) => /^Pulumi\.(.+)\.yaml$/.exec(f)?.[1]).filter((n): n is string => n !== undefined);
        assert.ok(stacks.includes("dev"), `no Pulumi.dev.yaml among ${stacks.join(", ")}`);
        const missing = stacks.filter((n) => !topologies.split("\n").some((l) => l.startsWith(`| \`${n}\``)));
        assert.deepEqual(missing, [], "stacks without a row in README's Topologies table");
        const strays = stacks.filter((n) => n.startsWith("seed-") && !SEEDS.some((s) => s.stack.name === n));
        assert.deepEqual(strays, [], "seed stacks that no test/seeds/*.seed.ts names");
    });
});

/**
 * `npx ts-node --transpile-only test/seeds/preview.ts <nnn>...`: what a PENDING seed's comparison
 * would report today. Renders the seed's draft stack with the pending keys taken out (the
 * aggregates replaced by the one covering block today's plan needs) and prints every difference,
 * expected or failure. A review aid for the features of issue 16, not a test: the real check is
 * seeds.test.ts once the stack loads as written.
 */
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { parse, stringify } from "yaml";
import { compareSeed, formatDifferences } from "./compare";
import { ROOT, renderStack } from "./render";
import type { SeedData } from "./types";
import { seed000 } from "./000-ipv6-vyos-own-asn.seed";
import { seed001 } from "./001-k3d-dual-stack-gateway.seed";
import { seed002 } from "./002-kind-frr-tor-racks.seed";
import { seed003 } from "./003-single-router-ibgp.seed";
import { seed004 } from "./004-vyos-spine-leaf.seed";

const SEEDS: SeedData[] = [seed000, seed001, seed002, seed003, seed004];

/** The one block covering every aggregate of the draft (what issue 16 says the seeds are forced into today). */
const COVER: Record<string, string> = { "001": "::/2", "002": "10.0.0.0/8", "003": "10.0.0.0/8", "004": "0.0.0.0/3" };

type Doc = { config: Record<string, Record<string, unknown> & { [k: string]: unknown }> };

function todaysStack(seed: SeedData): string {
    const doc = parse(fs.readFileSync(path.join(ROOT, seed.stack.file), "utf8")) as Doc;
    const c = doc.config as Record<string, unknown>;
    const ns = (k: string): Record<string, unknown> => (c[`cilium-bgp-fabric:${k}`] ?? {}) as Record<string, unknown>;
    if (c["cilium-bgp-fabric:ipFamily"] === "dual") c["cilium-bgp-fabric:ipFamily"] = "ipv6";
    const ap = ns("addressPlan");
    if (ap.aggregates) { delete ap.aggregates; ap.aggregate = COVER[seed.seed]; }
    for (const r of (c["cilium-bgp-fabric:routers"] ?? []) as Record<string, unknown>[]) delete r.address;
    for (const n of (ns("cluster").nodes ?? []) as Record<string, unknown>[]) delete n.labels;
    const bgp = ns("bgp");
    for (const k of ["controlPlane", "peerWith", "nodeSelector"]) delete bgp[k];
    const pod = bgp.podCidrAdvertisement as Record<string, unknown> | undefined;
    if (pod) { delete pod.enabled; if (Object.keys(pod).length === 0) delete bgp.podCidrAdvertisement; }
    const svc = bgp.serviceAdvertisement as Record<string, unknown> | undefined;
    if (svc) delete svc.perRack;
    delete ns("cilium").kubeProxyReplacement;
    const file = path.join(fs.mkdtempSync(path.join(os.tmpdir(), "cbf-seed-preview-")), `Pulumi.${seed.stack.name}.yaml`);
    fs.writeFileSync(file, stringify(doc));
    return file;
}

async function main(ids: string[]): Promise<void> {
    for (const seed of SEEDS.filter((s) => ids.length === 0 || ids.includes(s.seed))) {
        const file = seed.seed === "000" ? seed.stack.file : path.relative(ROOT, todaysStack(seed));
        try {
            const ds = compareSeed(seed, await renderStack(file, seed.stack.name));
            const n = (st: string): number => ds.filter((d) => d.status === st).length;
            console.log(`seed ${seed.seed}: ${n("expected")} expected, ${n("failure")} failures, ${n("stale")} stale\n${formatDifferences(ds)}\n`);
        } catch (e) {
            console.log(`seed ${seed.seed}: today's keys only: ${(e as Error).message}\n`);
        }
    }
}

if (require.main === module) void main(process.argv.slice(2));

/**
 * Stacks for the router tests: the shipped stack files, plus variants built from them (other
 * family, other flavour, a single iBGP router) that go through the same validation and plan.
 */
import { spawnSync } from "child_process";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { type LoadedStack, loadStack, rawConfigOfStack } from "../config/index";
import type { RawConfig } from "../config/load";
import { readStackConfig } from "../config/stackfile";

export const PROJECT_ROOT = path.resolve(__dirname, "../..");
export const TEST_PASSWORD = "s3cr3t-Pa55_word";

export function rawStack(stack: string): RawConfig {
    return rawConfigOfStack(readStackConfig(PROJECT_ROOT, stack, {}));
}

type Obj = Record<string, unknown>;
const obj = (v: unknown): Obj => (typeof v === "object" && v !== null ? (v as Obj) : {});

const V4_TOR_PLAN = {
    aggregate: "10.20.0.0/16", nodeNetwork: "10.20.0.0/24", loopbacks: "10.20.1.0/24", podCidr: "10.20.128.0/17",
    podMaskSize: 24, serviceCidr: "10.20.64.0/20", lbPools: [{ name: "lb-pool", cidr: "10.20.80.0/24" }],
};

const V6_LEAF_PLAN = {
    aggregate: "2001:db8:ae4::/48", nodeNetwork: "2001:db8:ae4:100::/56", rackSubnetLength: 64,
    loopbacks: "2001:db8:ae4:ffff::/64", links: "2001:db8:ae4:f000::/56", podCidr: "2001:db8:ae4:c200::/56", podMaskSize: 64,
    serviceCidr: "2001:db8:ae4:c100::/112", routerIdPool: "10.255.0.0/16",
    lbPools: [{ name: "default", cidr: "2001:db8:ae4:c401::/64" }, { name: "smoke", cidr: "2001:db8:ae4:c402::/112" }],
};

// The IPv6 half of a dual spine-leaf stack: the router IDs are the IPv4 half's (plan/dual.ts).
// One Cilium pool serves a name in both halves: the IPv6 smoke pool takes dev's selector too.
const V6_LEAF_HALF = {
    ...Object.fromEntries(Object.entries(V6_LEAF_PLAN).filter(([k]) => k !== "routerIdPool")),
    lbPools: [{ name: "default", cidr: "2001:db8:ae4:c401::/64" }, { name: "smoke", cidr: "2001:db8:ae4:c402::/112", serviceSelector: { matchLabels: { pool: "smoke" } } }],
};

// Seed 004's blocks: nodes, loopbacks, links, pods and services in 10/8, the two LB pools in blocks of their own.
const V4_LEAF_AGGREGATES = (raw: RawConfig): RawConfig => {
    const plan = { ...obj(raw.addressPlan) };
    delete plan.aggregate;
    return { ...raw, addressPlan: { ...plan, aggregates: ["10.0.0.0/8", "20.0.10.0/24", "30.0.10.0/24"],
        lbPools: [{ name: "default", cidr: "20.0.10.0/24" }, { name: "smoke", cidr: "30.0.10.0/27", serviceSelector: { matchLabels: { pool: "smoke" } } }] } };
};

// Seed 001's blocks: nodes (and the loopbacks carved after them), pods, services and the LB pool each in a block of its own.
const V6_AGGREGATES_PLAN = {
    aggregates: ["2001:3200:3200::/48", "1001:cafe:42::/56", "1001:cafe:43:9::/112", "2004::/64"],
    nodeNetwork: "2001:3200:3200::/64", podCidr: "1001:cafe:42::/56", podMaskSize: 64, serviceCidr: "1001:cafe:43:9::/112",
    routerIdPool: "10.255.0.0/16", lbPools: [{ name: "lb-pool", cidr: "2004::/64" }],
};

/** Spines with routers[].defaultOriginate, and every router with an explicit routers[].routerId (192.0.2.<n>, outside every plan here). */
const ORIGINATING = (raw: RawConfig): RawConfig => ({
    ...raw,
    routers: (raw.routers as Obj[]).map((r, i) => ({ ...obj(r), routerId: `192.0.2.${i + 1}`, ...(obj(r).role === "spine" ? { defaultOriginate: true } : {}) })),
});

const variants: Record<string, () => { base: string; raw: RawConfig }> = {
    "ipv6": () => ({ base: "ipv6", raw: rawStack("ipv6") }),
    "ipv6-vyos": () => ({ base: "ipv6-vyos", raw: rawStack("ipv6-vyos") }),
    "dev": () => ({ base: "dev", raw: rawStack("dev") }),
    // The ToR pair on IPv4.
    "ipv4-tor": () => {
        const raw = rawStack("ipv6");
        return { base: "ipv6", raw: { ...raw, ipFamily: "ipv4", addressPlan: V4_TOR_PLAN } };
    },
    // Spine-leaf on IPv6.
    "ipv6-leaf": () => {
        const raw = rawStack("dev");
        return { base: "dev", raw: { ...raw, ipFamily: "ipv6", addressPlan: V6_LEAF_PLAN } };
    },
    // Spine-leaf with VyOS routers on IPv4.
    "ipv4-leaf-vyos": () => {
        const raw = rawStack("dev");
        const routers = (raw.routers as Obj[]).map((r) => ({ ...obj(r), flavour: "vyos", image: "vyos-rolling:local" }));
        return { base: "dev", raw: { ...raw, routers } };
    },
    // Seed 003: one router in the cluster's own ASN (iBGP), both families.
    "ipv6-single": () => {
        const raw = rawStack("ipv6");
        const asn = obj(raw.asn).cluster;
        return { base: "ipv6", raw: { ...raw, routers: [{ name: "edge1", role: "edge", asn }], bgp: { ...obj(raw.bgp), ebgpMultihop: undefined } } };
    },
    // Several aggregates (seed 004's LB pools outside 10/8), FRR and VyOS.
    "ipv4-leaf-aggregates": () => ({ base: "dev", raw: V4_LEAF_AGGREGATES(rawStack("dev")) }),
    "ipv4-leaf-vyos-aggregates": () => {
        const raw = V4_LEAF_AGGREGATES(rawStack("dev"));
        const routers = (raw.routers as Obj[]).map((r) => ({ ...obj(r), flavour: "vyos", image: "vyos-rolling:local" }));
        return { base: "dev", raw: { ...raw, routers } };
    },
    // Seed 001's disjoint IPv6 blocks on the ToR pair.
    "ipv6-aggregates": () => ({ base: "ipv6", raw: { ...rawStack("ipv6"), addressPlan: V6_AGGREGATES_PLAN } }),
    // Seed 003: the router at the segment's .254, so Docker's gateway moves to .253.
    "ipv4-edge-254": () => {
        const raw = rawStack("ipv6");
        const asn = obj(raw.asn).cluster;
        return { base: "ipv6", raw: { ...raw, ipFamily: "ipv4", addressPlan: V4_TOR_PLAN, routers: [{ name: "edge1", role: "edge", asn, address: "10.20.0.254" }], bgp: { ...obj(raw.bgp), ebgpMultihop: undefined } } };
    },
    // Seed 002: nodes peer with their leaf's loopback (iBGP, route-reflector clients).
    "ipv4-leaf-loopback": () => {
        const raw = rawStack("dev");
        return { base: "dev", raw: { ...raw, bgp: { ...obj(raw.bgp), peerWith: "loopback" } } };
    },
    // eBGP to the ToR pair's loopbacks (multihop 4), VyOS.
    "ipv6-vyos-loopback": () => {
        const raw = rawStack("ipv6-vyos");
        return { base: "ipv6-vyos", raw: { ...raw, bgp: { ...obj(raw.bgp), peerWith: "loopback" } } };
    },
    // Seed 002's router0 / seed 004's router IDs: spines send their leaves a default route, every router has an explicit router ID.
    "ipv4-leaf-originate": () => ({ base: "dev", raw: ORIGINATING(rawStack("dev")) }),
    "ipv4-leaf-vyos-originate": () => {
        const raw = ORIGINATING(rawStack("dev"));
        const routers = (raw.routers as Obj[]).map((r) => ({ ...obj(r), flavour: "vyos", image: "vyos-rolling:local" }));
        return { base: "dev", raw: { ...raw, routers } };
    },
    "ipv6-leaf-originate": () => ({ base: "dev", raw: ORIGINATING({ ...rawStack("dev"), ipFamily: "ipv6", addressPlan: V6_LEAF_PLAN }) }),
    // ipFamily dual (seed 001): the shipped ToR pair (VRRP in both families), the same on VyOS, and spine-leaf with both halves.
    "dual": () => ({ base: "dual", raw: rawStack("dual") }),
    "dual-vyos": () => {
        const raw = rawStack("dual");
        const routers = (raw.routers as Obj[]).map((r) => ({ ...obj(r), flavour: "vyos", image: "vyos-rolling:local" }));
        return { base: "dual", raw: { ...raw, routers } };
    },
    // Seed 001's sessions: IPv6 only (bgp.sessionFamilies), both families still routed and announced.
    "dual-v6-sessions": () => {
        const raw = rawStack("dual");
        return { base: "dual", raw: { ...raw, bgp: { ...obj(raw.bgp), sessionFamilies: ["ipv6"] } } };
    },
    "dual-leaf": () => {
        const raw = rawStack("dev");
        return { base: "dev", raw: { ...raw, ipFamily: "dual", addressPlan: { ...obj(raw.addressPlan), ipv6: V6_LEAF_HALF } } };
    },
    "dual-leaf-vyos": () => {
        const raw = rawStack("dev");
        const routers = (raw.routers as Obj[]).map((r) => ({ ...obj(r), flavour: "vyos", image: "vyos-rolling:local" }));
        return { base: "dev", raw: { ...raw, ipFamily: "dual", routers, addressPlan: { ...obj(raw.addressPlan), ipv6: V6_LEAF_HALF } } };
    },
    "ipv4-single": () => {
        const raw = rawStack("ipv6");
        const asn = obj(raw.asn).cluster;
        // iBGP only: ebgpMultihop is refused there (components/bgp/checks.ts).
        return { base: "ipv6", raw: { ...raw, ipFamily: "ipv4", addressPlan: V4_TOR_PLAN, routers: [{ name: "edge1", role: "edge", asn }], bgp: { ...obj(raw.bgp), ebgpMultihop: undefined } } };
    },
};

/** The one-family variants (the tests that iterate them expect one family); DUAL_VARIANTS are the `ipFamily: dual` ones. */
export const STACK_VARIANTS = Object.keys(variants).filter((v) => !v.startsWith("dual"));
export const DUAL_VARIANTS = Object.keys(variants).filter((v) => v.startsWith("dual"));

/** A stack's validated config and plan. */
export function loadVariant(name: string, password: string = TEST_PASSWORD): LoadedStack {
    const v = variants[name];
    if (!v) throw new Error(`unknown test stack ${name}`);
    const { base, raw } = v();
    // Drop keys set to undefined (a variant removing a setting).
    const clean = JSON.parse(JSON.stringify(raw)) as RawConfig;
    return loadStack(base === name ? name : `${base}-${name}`, clean, password);
}

/** The vtysh binary; CBF_VTYSH overrides it (e.g. to prove the CI failure path). */
const vtysh = (): string => process.env.CBF_VTYSH ?? "vtysh";

export interface VtyshResult { ok: boolean; output: string; available: boolean }

/**
 * FRR's own parser: `vtysh --dryrun -f file`. Strict: a non-zero exit OR any line that looks
 * like a diagnostic fails, since some problems are printed with exit status 0.
 */
export function vtyshDryrun(text: string): VtyshResult {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), "cbf-frr-"));
    const file = path.join(dir, "frr.conf");
    try {
        fs.writeFileSync(file, text);
        const r = spawnSync(vtysh(), ["--dryrun", "-f", file], { encoding: "utf8", timeout: 30000 });
        if (r.error && (r.error as NodeJS.ErrnoException).code === "ENOENT") return { ok: false, output: "vtysh not found", available: false };
        const output = `${r.stdout ?? ""}${r.stderr ?? ""}`;
        const diagnostic = /Unknown command|%\s|error|warning|invalid|incomplete|ambiguous/i.test(output);
        return { ok: r.status === 0 && !diagnostic, output: `exit ${r.status}\n${output}`, available: true };
    } finally {
        fs.rmSync(dir, { recursive: true, force: true });
    }
}

/** vtysh has no --version; --help exits 0 when it is installed. */
export const vtyshAvailable = (): boolean => spawnSync(vtysh(), ["--help"], { encoding: "utf8" }).status === 0;

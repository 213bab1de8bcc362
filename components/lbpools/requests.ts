/**
 * The LoadBalancer addresses the program requests (the shared Gateway's, the smoke Service's)
 * and the labels their Services need. LB IPAM allocates a requested address only from a pool that
 * contains it and whose serviceSelector selects the Service; Cilium announces it only when the
 * BGP Service advertisement's selector selects the Service too. Both are decided here, once,
 * from the configuration and the address plan (pure: the renderers, the lab and the loader share it).
 */
import type { FabricConfig, IpFamily, LabelSelector } from "../config/types";
import { Problems } from "../config/errors";
import { planHalves, primaryFamily } from "../plan/dual";
import type { AddressPlan, PlannedLbPool } from "../plan/types";
import { containsAddress, familyBits, formatAddress, lastAddress, parseAddress, parsePrefix, type Prefix } from "../plan/addr";
import { selectorMatches, serviceAdvertisementSelector } from "../bgp/selectors";

export type LbRequester = "gatewayApi" | "smoke";

export interface LbRequest {
    /** The configuration key the request belongs to. */
    owner: LbRequester;
    pool: PlannedLbPool;
    /** The requested address, RFC 5952 text for IPv6 (a dual-stack Service: its first family's). */
    address: string;
    family: IpFamily;
    /** Every address of the Service, one per family whose half of the plan has the pool (the primary family's first); `address` is the first. */
    addresses: LbAddress[];
    /** Labels the Service needs so that its pool and the BGP Service advertisement select it. */
    labels: Record<string, string>;
}

/** One family's address of a requested Service, from that family's block of the pool. */
export interface LbAddress {
    family: IpFamily;
    address: string;
    pool: PlannedLbPool;
}

export interface LbRequests {
    gateway?: LbRequest;
    smoke?: LbRequest;
}

/** The label the smoke workload's pods and Service carry. */
export const APP_LABEL = "app";

/**
 * Base labels of each requester's Service (before the labels selectors need are added): smoke's own
 * (smoke.labels) and, while it serves the project's own pods, their selector label (with
 * smoke.selector the Service selects other pods and carries no app label of its own).
 */
export function baseLabels(config: FabricConfig, owner: LbRequester): Record<string, string> {
    if (owner !== "smoke") return {};
    return config.smoke.selector !== undefined ? { ...config.smoke.labels } : { ...config.smoke.labels, [APP_LABEL]: config.smoke.name };
}

/**
 * Labels that satisfy every selector, starting from `base`: matchLabels are copied, `In` takes its
 * first value, `Exists` the value "true"; `NotIn`/`DoesNotExist` are then checked. Returns the
 * labels and, for each selector the result still fails, a description (a conflict).
 */
export function labelsSatisfying(selectors: LabelSelector[], base: Record<string, string> = {}): { labels: Record<string, string>; conflicts: string[] } {
    const labels = { ...base };
    const conflicts: string[] = [];
    for (const sel of selectors) {
        for (const [k, v] of Object.entries(sel.matchLabels ?? {})) {
            if (labels[k] === undefined) labels[k] = v;
        }
        for (const e of sel.matchExpressions ?? []) {
            if (labels[e.key] !== undefined) continue;
            if (e.operator === "In" && (e.values ?? []).length > 0) labels[e.key] = (e.values ?? [])[0];
            else if (e.operator === "Exists") labels[e.key] = "true";
        }
    }
    selectors.forEach((sel) => {
        if (!selectorMatches(sel, labels)) conflicts.push(JSON.stringify(sel));
    });
    return { labels: Object.fromEntries(Object.entries(labels).sort(([a], [b]) => a.localeCompare(b))), conflicts };
}

/** First and last address LB IPAM may hand out of a block, as this program picks them (network and IPv4 broadcast skipped). */
export function usableRange(p: Prefix): { first: bigint; last: bigint } {
    const bits = familyBits(p.family);
    if (p.length >= bits - 1) return { first: p.base, last: lastAddress(p) };
    return { first: p.base + 1n, last: p.family === "ipv4" ? lastAddress(p) - 1n : lastAddress(p) };
}

interface Wanted { owner: LbRequester; poolName: string; address?: string }

/**
 * The requests of the enabled switches. Defaults are deterministic: the gateway takes the first
 * usable address of its pool, the smoke Service the first usable address the gateway does not
 * take. With `problems`, every problem is recorded (naming its key) and the valid requests are
 * returned; without, a problem throws (the loader has validated the configuration by then).
 */
export function lbRequests(config: FabricConfig, plan: AddressPlan, problems?: Problems): LbRequests {
    const p = problems ?? new Problems();
    const wanted: Wanted[] = [];
    if (config.gatewayApi.enabled) wanted.push({ owner: "gatewayApi", poolName: config.gatewayApi.lbPool, address: config.gatewayApi.address });
    if (config.smoke.enabled) wanted.push({ owner: "smoke", poolName: config.smoke.lbPool, address: config.smoke.address });
    const adSelector = serviceAdvertisementSelector(config);
    const halves = planHalves(plan);
    const primary = primaryFamily(plan);
    // A dual stack: an explicit address is of one family; the other half takes its default. A bad
    // address would be reported by both halves: once is enough.
    const perHalf = halves.map((half) => {
        const q = new Problems();
        const found = halfAddresses(half, wanted, q, halves.length > 1);
        for (const x of q.list) if (!p.list.some((y) => y.path === x.path && y.rule === x.rule)) p.add(x.path, x.value, x.rule);
        return found;
    });
    const out: LbRequests = {};
    for (const w of wanted) {
        // The Service Cilium creates for a Gateway sets no ipFamilyPolicy: Kubernetes makes it SingleStack
        // in the cluster's primary family (cluster.primaryFamily), so the Gateway takes that family's address only.
        const found = perHalf.map((m) => m.get(w.owner)).filter((x): x is LbAddress => x !== undefined)
            .sort((a, b) => Number(b.family === primary) - Number(a.family === primary));
        const addresses = w.owner === "gatewayApi" ? found.filter((a) => a.family === primary) : found;
        if (w.owner === "gatewayApi" && halves.length > 1 && found.length > 0 && addresses.length === 0) {
            const name = primary === "ipv4" ? "IPv4" : "IPv6";
            p.add("gatewayApi.lbPool", w.poolName, `has no ${name} block: the Gateway's Service is single-stack in the cluster's primary family (${name}: cluster.primaryFamily); give the pool a block in ${primary === "ipv4" ? "addressPlan.lbPools" : "addressPlan.ipv6.lbPools"}, or make the other family primary`);
            continue;
        }
        if (addresses.length === 0) continue;
        const pool = addresses[0].pool;
        const selectors = [...(pool.serviceSelector ? [pool.serviceSelector] : []), adSelector];
        const { labels, conflicts } = labelsSatisfying(selectors, baseLabels(config, w.owner));
        if (conflicts.length > 0 && w.owner === "smoke" && Object.keys(config.smoke.labels).length > 0
            && labelsSatisfying(selectors, config.smoke.selector !== undefined ? {} : { [APP_LABEL]: config.smoke.name }).conflicts.length === 0) {
            // Without the user's labels the selectors would be met: name the labels, not the pool.
            p.add("smoke.labels", config.smoke.labels, `keep pool ${pool.name}'s serviceSelector or bgp.serviceAdvertisement.selector from selecting the smoke Service (failing: ${conflicts.join("; ")}): LB IPAM would give it no address, or BGP would not announce it`);
            continue;
        }
        if (conflicts.length > 0) {
            p.add(`${w.owner}.lbPool`, w.poolName, `no labels satisfy both pool ${pool.name}'s serviceSelector and bgp.serviceAdvertisement.selector (failing: ${conflicts.join("; ")})`);
            continue;
        }
        const request: LbRequest = { owner: w.owner, pool, address: addresses[0].address, family: addresses[0].family, addresses, labels };
        if (w.owner === "gatewayApi") out.gateway = request;
        else out.smoke = request;
    }
    if (!problems) p.throwIfAny();
    return out;
}

/** One half's address per requester: the given address (of this family) or the first free one of the pool's block here. */
function halfAddresses(plan: AddressPlan, wanted: Wanted[], p: Problems, dual: boolean): Map<LbRequester, LbAddress> {
    const out = new Map<LbRequester, LbAddress>();
    const taken = new Map<string, LbRequester>();
    for (const w of wanted) {
        const pool = plan.lbPools.find((x) => x.name === w.poolName);
        const block = pool ? parsePrefix(pool.cidr) : undefined;
        // An unknown pool is reported by the loader (components/config/load.ts); a dual stack's pool may be one family's only.
        if (!pool || block === undefined || typeof block === "string") continue;
        const key = `${w.owner}.address`;
        let value: bigint | undefined;
        const given = w.address === undefined ? undefined : parseAddress(w.address);
        if (given !== undefined && typeof given !== "string" && dual && given.family !== plan.family) {
            value = undefined; // the other half's address: this half takes its default below
        } else if (w.address !== undefined) {
            const a = given as ReturnType<typeof parseAddress>;
            if (typeof a === "string") { p.add(key, w.address, a); continue; }
            if (a.family !== plan.family) { p.add(key, w.address, `is ${a.family === "ipv4" ? "IPv4" : "IPv6"}; this stack is ${plan.family === "ipv4" ? "IPv4" : "IPv6-only"}`); continue; }
            if (!containsAddress(block, a.family, a.value)) { p.add(key, w.address, `lies outside pool ${pool.name} (${pool.cidr}), named by ${w.owner}.lbPool`); continue; }
            const other = taken.get(`${a.family}:${a.value}`);
            if (other) { p.add(key, w.address, `is the address of ${other} too; LB IPAM gives an address to one Service only`); continue; }
            value = a.value;
        }
        if (value === undefined) {
            const { first, last } = usableRange(block);
            for (let v = first; v <= last; v++) {
                if (!taken.has(`${block.family}:${v}`)) { value = v; break; }
            }
            if (value === undefined) { p.add(`${w.owner}.lbPool`, w.poolName, `pool ${pool.name} (${pool.cidr}) has no free address left for ${w.owner}; set ${key} or use a larger pool`); continue; }
        }
        taken.set(`${block.family}:${value}`, w.owner);
        out.set(w.owner, { family: block.family, address: formatAddress(block.family, value), pool });
    }
    return out;
}

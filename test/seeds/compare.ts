/**
 * Field-by-field comparison of a seed's own objects and facts (test/seeds/*.seed.ts) with what
 * the project renders for the seed's stack (render.ts). Every difference is listed; each is
 * "expected" when the seed file's allowedDifferences names it (same place, same rendered value)
 * with a reason, else a "failure". An allowed difference that no longer occurs is "stale": the
 * list must stay true, so a stale entry fails as well.
 *
 * Places (`where`) and paths, as reported:
 * - `<Kind>/<seed name>` + a path into the object (`spec.bgpInstances[name=instance-65500].peers[name=r01].peerASN`),
 *   `(object)` for an object missing on one side; a seed object is paired with the rendered one of
 *   the same kind and name, or with the name an allowed `metadata.name` difference gives;
 * - `helm` + the dotted values key;
 * - `router <name>` + `flavour`, `image`, `asn`, `routerId`, `multipathRelax`, `redistributeConnected`, `frrDefaults`,
 *   `blackhole <prefix>`, `defaultOriginate <neighbor or group>`,
 *   `neighbor <address>`, `neighbor <address>.remoteAs`, `neighbor <address>.routeReflectorClient`,
 *   `network <prefix>`, `loopback <address>`, `address <address>` (read from the rendered config text);
 * - `node <name>` + `role`, `address`, `gateway`, `label <key>`, `annotation <key>`;
 * - `addressPlan` + the row's role (`loopback <router>` for a loopback row);
 * - `fact` + the fact's name.
 */
import { isDeepStrictEqual } from "util";
import { parse as parseYaml } from "yaml";
import { ABSENT, type AllowedDifference, type SeedData, type SeedNode, type SeedRouter } from "./types";
import type { K8sObject, Rendered, RenderedNode, RenderedRouter } from "./render";

export interface Difference {
    where: string;
    path: string;
    seed: unknown;
    rendered: unknown;
    status: "expected" | "failure" | "stale";
    /** For expected and stale: the allowed entry's reason. */
    reason?: string;
    kind?: AllowedDifference["kind"];
}

/** Kinds whose every rendered object must come from the seed (or be allowed as an extra). */
const ALWAYS_COMPARED = new Set([
    "CiliumBGPClusterConfig", "CiliumBGPPeerConfig", "CiliumBGPAdvertisement", "CiliumBGPPeeringPolicy",
    "CiliumBGPNodeConfigOverride", "CiliumLoadBalancerIPPool",
]);

interface Raw { where: string; path: string; seed: unknown; rendered: unknown }

const present = "present";

/** Element key of a list item: its `name` when it has one, else its index. */
function itemKey(v: unknown, i: number): string {
    if (typeof v === "object" && v !== null && !Array.isArray(v) && typeof (v as { name?: unknown }).name === "string") return `name=${(v as { name: string }).name}`;
    return String(i);
}

/** Every leaf where `a` (seed) and `b` (rendered) differ; keys on either side count. */
export function diffValues(a: unknown, b: unknown, at: string, out: Raw[], where: string): void {
    if (isDeepStrictEqual(a, b)) return;
    const isObj = (v: unknown): v is Record<string, unknown> => typeof v === "object" && v !== null && !Array.isArray(v);
    if (isObj(a) && isObj(b)) {
        for (const k of [...new Set([...Object.keys(a), ...Object.keys(b)])].sort()) {
            const p = at ? `${at}.${k}` : k;
            if (!(k in a)) out.push({ where, path: p, seed: ABSENT, rendered: b[k] });
            else if (!(k in b)) out.push({ where, path: p, seed: a[k], rendered: ABSENT });
            else diffValues(a[k], b[k], p, out, where);
        }
        return;
    }
    if (Array.isArray(a) && Array.isArray(b)) {
        const ka = a.map(itemKey), kb = b.map(itemKey);
        const named = ka.every((k) => k.startsWith("name=")) && kb.every((k) => k.startsWith("name="));
        if (named) {
            for (const k of [...new Set([...ka, ...kb])]) {
                const ia = ka.indexOf(k), ib = kb.indexOf(k);
                const p = `${at}[${k}]`;
                if (ia < 0) out.push({ where, path: p, seed: ABSENT, rendered: b[ib] });
                else if (ib < 0) out.push({ where, path: p, seed: a[ia], rendered: ABSENT });
                else diffValues(a[ia], b[ib], p, out, where);
            }
            return;
        }
        if (a.length === b.length && a.every((x) => typeof x === "object" && x !== null)) {
            a.forEach((x, i) => diffValues(x, b[i], `${at}[${i}]`, out, where));
            return;
        }
    }
    out.push({ where, path: at, seed: a, rendered: b });
}

function compareObjects(seed: SeedData, r: Rendered, allowed: AllowedDifference[], out: Raw[]): void {
    const kinds = new Set([...ALWAYS_COMPARED, ...seed.objects.map((o) => o.object.kind)]);
    const used = new Set<K8sObject>();
    for (const { object } of seed.objects) {
        const where = `${object.kind}/${object.metadata.name}`;
        const rename = allowed.find((d) => d.where === where && d.path === "metadata.name");
        const want = [object.metadata.name, ...(rename && typeof rename.rendered === "string" ? [rename.rendered] : [])];
        const got = want.map((n) => r.objects.find((o) => o.kind === object.kind && o.metadata.name === n && !used.has(o))).find((o) => o !== undefined);
        if (!got) { out.push({ where, path: "(object)", seed: present, rendered: ABSENT }); continue; }
        used.add(got);
        diffValues(object, got, "", out, where);
    }
    for (const o of r.objects) {
        if (kinds.has(o.kind) && !used.has(o)) out.push({ where: `${o.kind}/${o.metadata.name}`, path: "(object)", seed: ABSENT, rendered: present });
    }
}

/** `a.b.c` of a nested object. */
function dotted(o: Record<string, unknown>, key: string): unknown {
    let v: unknown = o;
    for (const part of key.split(".")) {
        if (typeof v !== "object" || v === null || !(part in (v as Record<string, unknown>))) return ABSENT;
        v = (v as Record<string, unknown>)[part];
    }
    return v;
}

function setDiff(where: string, label: string, seed: string[] | undefined, rendered: string[], out: Raw[]): void {
    if (seed === undefined) return;
    for (const s of seed) if (!rendered.includes(s)) out.push({ where, path: `${label} ${s}`, seed: present, rendered: ABSENT });
    for (const x of rendered) if (!seed.includes(x)) out.push({ where, path: `${label} ${x}`, seed: ABSENT, rendered: present });
}

function compareRouter(s: SeedRouter, g: RenderedRouter, out: Raw[]): void {
    const where = `router ${s.name}`;
    const scalar = (path: string, sv: unknown, gv: unknown): void => {
        if (sv !== undefined && !isDeepStrictEqual(sv, gv ?? ABSENT)) out.push({ where, path, seed: sv, rendered: gv ?? ABSENT });
    };
    scalar("flavour", s.flavour, g.flavour);
    scalar("image", s.image, g.image);
    scalar("asn", s.asn, g.asn);
    scalar("routerId", s.routerId, g.routerId);
    scalar("multipathRelax", s.multipathRelax, g.multipathRelax);
    scalar("redistributeConnected", s.redistributeConnected, g.redistributeConnected);
    scalar("frrDefaults", s.frrDefaults, g.frrDefaults);
    setDiff(where, "network", s.networks, g.networks, out);
    setDiff(where, "blackhole", s.blackholes, g.blackholes, out);
    setDiff(where, "defaultOriginate", s.defaultOriginate, g.defaultOriginate, out);
    setDiff(where, "loopback", s.loopbacks, g.loopbacks, out);
    setDiff(where, "address", s.addresses, g.addresses, out);
    if (s.neighbors !== undefined) {
        for (const n of s.neighbors) {
            const m = g.neighbors.find((x) => x.address === n.address);
            if (!m) { out.push({ where, path: `neighbor ${n.address}`, seed: present, rendered: ABSENT }); continue; }
            if (!isDeepStrictEqual(n.remoteAs, m.remoteAs ?? ABSENT)) out.push({ where, path: `neighbor ${n.address}.remoteAs`, seed: n.remoteAs, rendered: m.remoteAs ?? ABSENT });
            const rr = n.routeReflectorClient ?? false;
            if (rr !== m.routeReflectorClient) out.push({ where, path: `neighbor ${n.address}.routeReflectorClient`, seed: rr, rendered: m.routeReflectorClient });
        }
        for (const m of g.neighbors) {
            if (!s.neighbors.some((n) => n.address === m.address)) out.push({ where, path: `neighbor ${m.address}`, seed: ABSENT, rendered: m.remoteAs ?? present });
        }
    }
}

function compareNode(s: SeedNode, g: RenderedNode, out: Raw[]): void {
    const where = `node ${s.name}`;
    if (s.role !== undefined && s.role !== g.role) out.push({ where, path: "role", seed: s.role, rendered: g.role });
    if (s.address !== undefined && s.address !== g.address) out.push({ where, path: "address", seed: s.address, rendered: g.address ?? ABSENT });
    if (s.gateway !== undefined && !isDeepStrictEqual([s.gateway], g.gateways)) out.push({ where, path: "gateway", seed: s.gateway, rendered: g.gateways.length === 1 ? g.gateways[0] : g.gateways });
    for (const [k, v] of Object.entries(s.labels ?? {})) if (g.labels[k] !== v) out.push({ where, path: `label ${k}`, seed: v, rendered: g.labels[k] ?? ABSENT });
    // The project never annotates nodes: router IDs go by CiliumBGPNodeConfigOverride or Helm's ip-pool.
    for (const [k, v] of Object.entries(s.annotations ?? {})) out.push({ where, path: `annotation ${k}`, seed: v, rendered: ABSENT });
}

/** Facts a seed can state about the whole setup, read from the rendered artifacts. */
export const FACTS: Record<string, (r: Rendered) => unknown> = {
    "cluster.provider": (r) => [...r.files.keys()].find((f) => f.startsWith("cluster/"))?.replace(/^cluster\/|\.yaml$/g, "") ?? ABSENT,
    "cluster.name": (r) => {
        const f = [...r.files.entries()].find(([k]) => k.startsWith("cluster/"));
        const doc = f ? parseYaml(f[1]) as { name?: string; metadata?: { name?: string } } : undefined;
        return doc?.name ?? doc?.metadata?.name ?? ABSENT;
    },
    "cluster.podSubnet": (r) => {
        const f = r.files.get("cluster/kind.yaml");
        return f ? (parseYaml(f) as { networking?: { podSubnet?: string } }).networking?.podSubnet ?? ABSENT : ABSENT;
    },
    "cilium.version": (r) => r.plan.ciliumVersion,
    // The nodes' side of BGP as the rendered Cilium objects say it (v2 ClusterConfig or v1 PeeringPolicy).
    "cilium.localASNs": (r) => [...new Set(bgpInstances(r).map((i) => i.localASN))].sort(),
    "cilium.peers": (r) => uniqueSorted(bgpInstances(r).flatMap((i) => i.peers)),
    "gateway.address": (r) => r.plan.endpoints?.gatewayAddress ?? ABSENT,
    "addressPlan.nodeNetworks": (r) => [r.plan.addressPlan.nodeNetwork, ...(r.plan.addressPlan.ipv6 ? [r.plan.addressPlan.ipv6.nodeNetwork] : [])],
    "kubernetes.image": (r) => {
        const f = r.files.get("cluster/kind.yaml");
        const doc = f ? parseYaml(f) as { nodes?: { image?: string }[] } : undefined;
        return [...new Set((doc?.nodes ?? []).map((n) => n.image ?? ABSENT))];
    },
    "gatewayApi.crds": (r) => {
        const urls = [...r.files.entries()].filter(([k]) => k.startsWith("manifests/remote_")).map(([, t]) => /^file: (\S+)$/m.exec(t)?.[1]);
        return urls.length > 0 ? urls : ABSENT;
    },
};

interface Instance { localASN: unknown; peers: { peerAddress: unknown; peerASN: unknown }[] }

function bgpInstances(r: Rendered): Instance[] {
    const out: Instance[] = [];
    for (const o of r.objects) {
        const spec = (o.spec ?? {}) as Record<string, unknown>;
        if (o.kind === "CiliumBGPClusterConfig") {
            for (const i of (spec.bgpInstances ?? []) as { localASN: unknown; peers?: { peerAddress: unknown; peerASN: unknown }[] }[]) {
                out.push({ localASN: i.localASN, peers: (i.peers ?? []).map((p) => ({ peerAddress: p.peerAddress, peerASN: p.peerASN })) });
            }
        }
        if (o.kind === "CiliumBGPPeeringPolicy") {
            for (const v of (spec.virtualRouters ?? []) as { localASN: unknown; neighbors?: { peerAddress: unknown; peerASN: unknown }[] }[]) {
                out.push({ localASN: v.localASN, peers: (v.neighbors ?? []).map((p) => ({ peerAddress: p.peerAddress, peerASN: p.peerASN })) });
            }
        }
    }
    return out;
}

function uniqueSorted<T>(xs: T[]): T[] {
    const m = new Map(xs.map((x) => [JSON.stringify(x), x]));
    return [...m.keys()].sort().map((k) => m.get(k) as T);
}

function addressPlanRows(seed: SeedData, r: Rendered, out: Raw[]): void {
    const ap = r.plan.addressPlan;
    for (const row of seed.addressPlan ?? []) {
        let path = row.role, got: unknown;
        switch (row.role) {
            case "aggregate": got = ap.aggregate; break;
            case "service-cidr": got = ap.serviceCidr; break;
            case "pod-cidr": got = ap.podCidr; break;
            case "node-network": got = ap.nodeNetwork; break;
            case "loopbacks": got = ap.loopbacks; break;
            case "lb-pool": got = ap.lbPools.some((p) => p.cidr === row.prefix) ? row.prefix : ap.lbPools.map((p) => p.cidr); break;
            case "loopback": {
                path = `loopback ${row.router}`;
                const lo = r.routers.find((x) => x.name === row.router)?.loopbacks ?? [];
                got = lo.length === 1 ? lo[0] : lo;
                break;
            }
            default: throw new Error(`seed ${seed.seed}: address plan role ${row.role} has no rendered counterpart`);
        }
        if (!isDeepStrictEqual(row.prefix, got)) out.push({ where: "addressPlan", path, seed: row.prefix, rendered: got });
    }
}

/** All raw differences between a seed and its rendering, before the allowed list is applied. */
export function rawDifferences(seed: SeedData, r: Rendered): Raw[] {
    const out: Raw[] = [];
    compareObjects(seed, r, seed.allowedDifferences, out);
    for (const [k, v] of Object.entries(seed.helmValues?.values ?? {})) {
        const got = dotted(r.helmValues, k);
        if (!isDeepStrictEqual(v, got)) out.push({ where: "helm", path: k, seed: v, rendered: got });
    }
    const routersSeen = new Set<string>();
    for (const s of seed.routers) {
        const g = r.routers.find((x) => x.name === s.name);
        if (!g) { out.push({ where: `router ${s.name}`, path: "(router)", seed: present, rendered: ABSENT }); continue; }
        routersSeen.add(g.name);
        compareRouter(s, g, out);
    }
    for (const g of r.routers) if (!routersSeen.has(g.name)) out.push({ where: `router ${g.name}`, path: "(router)", seed: ABSENT, rendered: present });
    if (seed.nodes.length > 0) {
        for (const s of seed.nodes) {
            const g = r.nodes.find((x) => x.name === s.name);
            if (!g) { out.push({ where: `node ${s.name}`, path: "(node)", seed: present, rendered: ABSENT }); continue; }
            compareNode(s, g, out);
        }
        for (const g of r.nodes) if (!seed.nodes.some((s) => s.name === g.name)) out.push({ where: `node ${g.name}`, path: "(node)", seed: ABSENT, rendered: present });
    }
    addressPlanRows(seed, r, out);
    for (const f of seed.facts ?? []) {
        const get = FACTS[f.name];
        if (!get) throw new Error(`seed ${seed.seed}: fact ${f.name} has no reader in compare.ts FACTS`);
        const got = get(r);
        if (!isDeepStrictEqual(f.value, got)) out.push({ where: "fact", path: f.name, seed: f.value, rendered: got });
    }
    return out;
}

/** The comparison: every difference classified, plus every allowed entry that did not occur. */
export function compareSeed(seed: SeedData, r: Rendered): Difference[] {
    const raw = rawDifferences(seed, r);
    const matched = new Set<AllowedDifference>();
    const out: Difference[] = raw.map((d) => {
        const a = seed.allowedDifferences.find((x) => x.where === d.where && x.path === d.path && isDeepStrictEqual(x.rendered, d.rendered));
        if (!a) return { ...d, status: "failure" };
        matched.add(a);
        return { ...d, status: "expected", reason: a.reason, kind: a.kind };
    });
    for (const a of seed.allowedDifferences) {
        if (!matched.has(a)) out.push({ where: a.where, path: a.path, seed: undefined, rendered: a.rendered, status: "stale", reason: a.reason, kind: a.kind });
    }
    return out;
}

const show = (v: unknown): string => (typeof v === "string" ? v : JSON.stringify(v));

/** One line per difference, for a test message or a report. */
export function formatDifferences(ds: Difference[]): string {
    return ds.map((d) => d.status === "stale"
        ? `  stale    ${d.where} ${d.path}: allowed (rendered ${show(d.rendered)}) but no longer differs: remove it from allowedDifferences`
        : `  ${d.status.padEnd(8)} ${d.where} ${d.path}: seed ${show(d.seed)}, rendered ${show(d.rendered)}${d.reason ? ` [${d.kind}: ${d.reason}]` : ""}`).join("\n");
}

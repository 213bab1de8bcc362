/**
 * The routing intent of one router, derived from the configuration and the address plan.
 * FRR and VyOS renderers both print this one model, so the two flavours cannot drift apart
 * in what they accept, announce or peer with. Plain data; no Pulumi.
 */
import type { FabricConfig, IpFamily } from "../config/types";
import { familyBits, parseAddress, parsePrefix } from "../plan/addr";
import type { AddressPlan, NodeSession, PlannedRouter } from "../plan/types";

export interface RouterRenderInput {
    config: FabricConfig;
    plan: AddressPlan;
    router: PlannedRouter;
    /** Plain BGP password; absent when config.bgp.authentication is false. */
    password?: string;
}

export interface PeerGroupIntent {
    name: string;
    remoteAs: "internal" | "external";
    ebgpMultihop?: number;
    routeReflectorClient: boolean;
    /** Source address of the sessions (the router's loopback, when nodes peer with it: bgp.peerWith). */
    updateSource?: string;
    /** Route-map names, present only when routes are filtered. */
    importPolicy?: string;
    exportPolicy?: string;
    /**
     * Not a graceful-restart helper for these peers (router-to-router sessions): a stopped router's
     * routes are withdrawn at once instead of kept as stale paths for its restart time.
     */
    gracefulRestartDisabled?: boolean;
    /**
     * Send these peers a default route (routers[].defaultOriginate on a spine: its leaves). FRR sends it
     * whatever the RIB holds and past the export route-map (bgpd/bgp_updgrp_adv.c subgroup_default_originate
     * applies only the default-originate route-map), so FABRIC-OUT needs no rule for it.
     */
    defaultOriginate?: boolean;
    /** Neighbor addresses, in address order. */
    neighbors: string[];
}

export interface PrefixRule {
    seq: number;
    action: "permit" | "deny";
    /** A prefix, or "any" (every prefix of the family). */
    prefix: string;
    ge?: number;
    le?: number;
}

export interface PrefixListIntent { name: string; rules: PrefixRule[] }
export interface RouteMapEntry { seq: number; action: "permit" | "deny"; matchPrefixList?: string }
export interface RouteMapIntent { name: string; entries: RouteMapEntry[] }

/**
 * This router's part in the VRRP group of its node segment (components/plan/vrrp.ts). FRR runs it
 * with vrrpd on a macvlan device (vrrplinks.ts), VyOS with keepalived (`high-availability vrrp`).
 */
export interface VrrpIntent {
    /** The router's interface on the node segment, as this flavour's configuration names it. */
    interface: string;
    vrid: number;
    family: IpFamily;
    /** The virtual address (no prefix length: it is held as a host address). */
    address: string;
    /** The segment's prefix length. */
    prefixLength: number;
    priority: number;
    advertisementIntervalMs: number;
    /** This router's own address on the segment (the device carrying it is the VRRP interface). */
    routerAddress: string;
}

/**
 * The name of a router's node-segment interface in its configuration. FRR: `nodes`, which the
 * container's start script gives the interface that carries the router's planned address (Docker
 * names interfaces eth0, eth1... in attachment order, which it does not promise). VyOS names its
 * ethernet interfaces itself: `eth0`, the first attachment, which is the node segment (spec.ts lists
 * it first; a router serves at most one node segment).
 */
export const nodeInterfaceName = (flavour: "frr" | "vyos"): string => (flavour === "frr" ? "nodes" : "eth0");

/**
 * One address family's part of a router's intent. A one-family stack has one (the RouterIntent
 * itself); a dual stack has the IPv4 half's as the RouterIntent and the IPv6 half's as its
 * `secondary`, like the plan (components/plan/dual.ts). Each family's sessions carry only that
 * family (no MP-BGP across families), so each is a complete routing setup of its own.
 */
export interface FamilyIntent {
    family: IpFamily;
    hostLength: number;
    /** Loopback as a host prefix (/32 or /128). */
    loopbackPrefix: string;
    /** Prefixes held in the RIB by a blackhole route so that `network` can announce them. */
    blackholes: string[];
    /**
     * Loopbacks of the routers that share a node subnet with this one but have no BGP session with
     * it (a ToR pair): reached straight over that subnet, so a node whose gateway is this router
     * reaches the other's loopback. Not announced.
     */
    staticRoutes: { prefix: string; via: string }[];
    /**
     * Prefixes announced with `network`, in address order: each aggregate (held by its blackhole),
     * the loopback, and every subnet the router is attached to (its node subnets and links). The
     * attached subnets are more specific than the aggregate, so across racks, spines and ToRs the
     * route to another rack's nodes, to a loopback or to a link wins over the blackhole.
     */
    networks: string[];
    /** ECMP: multipath-relax and maximum-paths (per address family). */
    maximumPaths?: number;
    /** Peer groups of this family's sessions (activated only in its address family). */
    peerGroups: PeerGroupIntent[];
    prefixLists: PrefixListIntent[];
    routeMaps: RouteMapIntent[];
    /** VRRP groups this router is a member of (at most one: a router serves one node segment). */
    vrrp: VrrpIntent[];
}

/** What a router's configuration says, shared by its families, plus the primary family's part. */
export interface RouterIntent extends FamilyIntent {
    hostname: string;
    asn: number;
    routerId: string;
    keepalive: number;
    holdTime: number;
    connectRetry: number;
    gracefulRestart?: { restartTime: number };
    password?: string;
    /** Prefix-lists and route-maps are applied; false = accept all (and eBGP needs no policy). */
    filter: boolean;
    /** FRR's defaults profile (routers[].frrDefaults); absent: traditional. */
    frrDefaults?: "datacenter";
    /** `ipFamily: dual`: the IPv6 half's part (this intent's own family fields are the IPv4 half's). */
    secondary?: FamilyIntent;
}

/** A router's families in rendering order: the primary (the intent itself), then the secondary. */
export const familiesOf = (i: RouterIntent): FamilyIntent[] => (i.secondary ? [i, i.secondary] : [i]);

/**
 * The suffix of a family's peer-group, prefix-list and route-map names: none on a one-family stack
 * (and for the IPv4 half of a dual one), `-V6` for a dual stack's IPv6 half. FRR's route-maps and
 * peer groups are one namespace for both families, so the halves must not share a name.
 */
export const familyNameSuffix = (family: IpFamily, dual: boolean): string => (dual && family === "ipv6" ? "-V6" : "");

/** The router's VRRP groups, from the plan. */
export function vrrpIntents(plan: AddressPlan, router: PlannedRouter): VrrpIntent[] {
    return plan.vrrpGroups.flatMap((g) => g.members.filter((m) => m.router === router.name).map((m) => ({
        interface: nodeInterfaceName(router.flavour), vrid: g.vrid, family: plan.family, address: g.address, prefixLength: g.prefixLength,
        priority: m.priority, advertisementIntervalMs: g.advertisementIntervalMs, routerAddress: m.address,
    })));
}

export const NODES_IN = "NODES-IN";
export const NODES_OUT = "NODES-OUT";
export const FABRIC_IN = "FABRIC-IN";
export const FABRIC_OUT = "FABRIC-OUT";
/** One list for both fabric directions: each aggregate and everything inside it. */
export const FABRIC_PREFIXES = "FABRIC";
/** The default route alone: what a leaf accepts from a spine that originates it (routers[].defaultOriginate). */
export const DEFAULT_ROUTE = "DEFAULT-ROUTE";
/** The final deny of a prefix-list; far above any permit so that adding pools never moves it. */
export const DENY_SEQ = 65535;
/** FRR is built with a compile-time limit (Debian: 64 or more); more parallel paths never help a lab. */
export const MAX_PATHS_CAP = 16;

function addressKey(text: string): bigint {
    const a = parseAddress(text);
    if (typeof a === "string") throw new Error(`invalid address ${text}: ${a}`);
    return a.value;
}

function prefixKey(text: string): [bigint, number] {
    const p = parsePrefix(text);
    if (typeof p === "string") throw new Error(`invalid prefix ${text}: ${p}`);
    return [p.base, p.length];
}

export const byAddress = (a: string, b: string): number => {
    const x = addressKey(a);
    const y = addressKey(b);
    return x < y ? -1 : x > y ? 1 : 0;
};

export const byPrefix = (a: string, b: string): number => {
    const [x, xl] = prefixKey(a);
    const [y, yl] = prefixKey(b);
    return x < y ? -1 : x > y ? 1 : xl - yl;
};

const prefixLength = (text: string): number => prefixKey(text)[1];

/** Every prefix the cluster may announce: per-node pod blocks, LB pools, services. Then deny. */
export function nodePrefixRules(plan: AddressPlan): PrefixRule[] {
    const host = familyBits(plan.family);
    const rules: PrefixRule[] = [];
    let seq = 10;
    const upTo = (prefix: string): PrefixRule => {
        const rule: PrefixRule = { seq, action: "permit", prefix };
        if (prefixLength(prefix) < host) rule.le = host;
        seq += 10;
        return rule;
    };
    // Pod CIDRs exactly at the per-node mask: a node may announce its block, not the whole range.
    const pod: PrefixRule = { seq, action: "permit", prefix: plan.podCidr };
    if (plan.podMaskSize > prefixLength(plan.podCidr)) { pod.ge = plan.podMaskSize; pod.le = plan.podMaskSize; }
    rules.push(pod);
    seq += 10;
    for (const pool of [...new Set(plan.lbPools.map((p) => p.cidr))].sort(byPrefix)) rules.push(upTo(pool));
    rules.push(upTo(plan.serviceCidr));
    rules.push({ seq: DENY_SEQ, action: "deny", prefix: "any" });
    return rules;
}

/**
 * The fabric filter: each aggregate and everything inside it, then deny. Sequence numbers follow
 * the plan's aggregate order (10, 20, ...), so adding an aggregate at the end moves no rule.
 */
export function fabricPrefixRules(plan: AddressPlan): PrefixRule[] {
    const host = familyBits(plan.family);
    const rules: PrefixRule[] = plan.aggregates.map((prefix, i) => {
        const rule: PrefixRule = { seq: 10 * (i + 1), action: "permit", prefix };
        if (prefixLength(prefix) < host) rule.le = host;
        return rule;
    });
    rules.push({ seq: DENY_SEQ, action: "deny", prefix: "any" });
    return rules;
}

function groupName(base: string, key: string, many: boolean): string {
    return many ? `${base}-${key}` : base;
}

/** Node peer-groups: one per (session type, route-reflector-client) so that members agree. */
function nodeGroups(config: FabricConfig, sessions: NodeSession[], filter: boolean, loopback: string, suffix: string): PeerGroupIntent[] {
    const byKey = new Map<string, NodeSession[]>();
    for (const s of sessions) {
        const k = `${s.type}${s.routeReflectorClient ? "-rr" : ""}`;
        byKey.set(k, [...(byKey.get(k) ?? []), s]);
    }
    const keys = [...byKey.keys()].sort();
    return keys.map((k) => {
        const members = byKey.get(k) as NodeSession[];
        const ebgp = members[0].type === "ebgp";
        const g: PeerGroupIntent = {
            name: `${groupName("NODES", k.toUpperCase(), keys.length > 1)}${suffix}`,
            remoteAs: ebgp ? "external" : "internal",
            routeReflectorClient: members[0].routeReflectorClient,
            neighbors: [...new Set(members.map((s) => s.nodeAddress))].sort(byAddress),
        };
        if (ebgp && config.bgp.ebgpMultihop !== undefined) g.ebgpMultihop = config.bgp.ebgpMultihop;
        // The node peers with the loopback: the router's own connections must come from it too.
        if (members.some((s) => s.peerWith === "loopback")) g.updateSource = loopback;
        if (filter) { g.importPolicy = `${NODES_IN}${suffix}`; g.exportPolicy = `${NODES_OUT}${suffix}`; }
        return g;
    });
}

/**
 * The subnets a router has an interface on: node subnets and router-to-router links. They are
 * connected routes in its RIB, so `network` announces them under `bgp network import-check`.
 */
export function attachedSubnets(plan: AddressPlan, router: PlannedRouter): string[] {
    const cidrOf = new Map<string, string>([
        ...plan.nodeSubnets.map((s) => [s.name, s.cidr] as [string, string]),
        ...plan.linkNets.map((l) => [l.name, l.cidr] as [string, string]),
    ]);
    return [...new Set(router.interfaces.map((i) => cidrOf.get(i.network)).filter((c): c is string => c !== undefined))].sort(byPrefix);
}

/** Static routes to the loopbacks of routers on a shared node subnet without a session to this one. */
export function neighbourLoopbacks(plan: AddressPlan, router: PlannedRouter, host: number): { prefix: string; via: string }[] {
    const peered = new Set(plan.routerSessions.flatMap((s) => (s.a === router.name ? [s.b] : s.b === router.name ? [s.a] : [])));
    const mySegments = new Set(router.interfaces.map((i) => i.network));
    const out: { prefix: string; via: string }[] = [];
    for (const other of plan.routers) {
        if (other.name === router.name || peered.has(other.name)) continue;
        const shared = other.interfaces.find((i) => mySegments.has(i.network) && plan.nodeSubnets.some((s) => s.name === i.network));
        if (shared) out.push({ prefix: `${other.loopback}/${host}`, via: shared.address });
    }
    return out.sort((a, b) => byPrefix(a.prefix, b.prefix));
}

export function routerIntent(input: RouterRenderInput): RouterIntent {
    const { config, plan, router } = input;
    if (config.bgp.authentication && (input.password === undefined || input.password === "")) {
        throw new Error(`router ${router.name}: bgp.authentication is on but no password was given`);
    }
    if (input.password !== undefined && /\s/.test(input.password)) {
        // A newline would inject configuration; VyOS rejects any white space.
        throw new Error(`router ${router.name}: the BGP password must not contain white space`);
    }
    const filter = config.bgp.filterNodeRoutes;
    const dual = plan.secondary !== undefined;
    const intent: RouterIntent = {
        hostname: router.name,
        asn: router.asn,
        routerId: router.routerId,
        ...familyIntent(config, plan, router, plan.ecmp, dual),
        keepalive: config.bgp.keepaliveTimeSeconds,
        holdTime: config.bgp.holdTimeSeconds,
        connectRetry: config.bgp.connectRetryTimeSeconds,
        filter,
    };
    if (config.routers.find((r) => r.name === router.name)?.frrDefaults === "datacenter") intent.frrDefaults = "datacenter";
    if (config.bgp.gracefulRestart.enabled) intent.gracefulRestart = { restartTime: config.bgp.gracefulRestart.restartTimeSeconds };
    if (config.bgp.authentication && input.password !== undefined) intent.password = input.password;
    if (plan.secondary) {
        const half = plan.secondary;
        const twin = half.routers.find((r) => r.name === router.name);
        if (!twin) throw new Error(`router ${router.name}: not in the IPv6 half of the dual plan`);
        // The caller's router decides what the half's router is rendered as (its flavour names the interfaces).
        intent.secondary = familyIntent(config, half, { ...twin, flavour: router.flavour }, plan.ecmp, dual);
    }
    return intent;
}

/** One family's part of a router's intent, from that family's (half of the) plan. */
function familyIntent(config: FabricConfig, plan: AddressPlan, router: PlannedRouter, ecmp: boolean, dual: boolean): FamilyIntent {
    const family = plan.family;
    const host = familyBits(family);
    const sfx = familyNameSuffix(family, dual);
    const filter = config.bgp.filterNodeRoutes;
    const nodeSessions = plan.nodeSessions.filter((s) => s.router === router.name);
    const fabricPeers = plan.routerSessions
        .filter((s) => s.a === router.name || s.b === router.name)
        .map((s) => (s.a === router.name ? s.bAddress : s.aAddress))
        .sort(byAddress);
    const peerGroups = nodeGroups(config, nodeSessions, filter, router.loopback, sfx);
    const defaultOriginate = config.routers.find((r) => r.name === router.name)?.defaultOriginate === true;
    // A leaf takes the default route from the spines that send one (and keeps it: FABRIC-OUT and NODES-OUT pass
    // no default on, so it never goes back up to another spine or down to the nodes).
    const spinesOriginating = plan.routerSessions.some((s) => s.a === router.name
        && config.routers.some((r) => r.name === s.b && r.defaultOriginate));
    if (fabricPeers.length > 0) {
        // Leaves and spines always have different ASNs (the plan enforces it): eBGP.
        // No graceful restart between routers: with it (and RFC 8538's N-bit, which FRR negotiates) a
        // leaf keeps a stopped spine's paths for the spine's restart time, and where the link stays up
        // (a Docker bridge) the flows hashed onto them are lost that long. Spines are ECMP-redundant.
        const g: PeerGroupIntent = { name: `FABRIC${sfx}`, remoteAs: "external", routeReflectorClient: false, gracefulRestartDisabled: true, neighbors: fabricPeers };
        if (filter) { g.importPolicy = `${FABRIC_IN}${sfx}`; g.exportPolicy = `${FABRIC_OUT}${sfx}`; }
        // Router sessions are leaf (a) <-> spine (b): a spine's FABRIC peers are all leaves, the tier below it.
        if (defaultOriginate && router.role === "spine") g.defaultOriginate = true;
        peerGroups.push(g);
    }
    const loopbackPrefix = `${router.loopback}/${host}`;
    const intent: FamilyIntent = {
        family,
        hostLength: host,
        loopbackPrefix,
        blackholes: [...plan.aggregates].sort(byPrefix),
        staticRoutes: neighbourLoopbacks(plan, router, host),
        networks: [...new Set([...plan.aggregates, loopbackPrefix, ...attachedSubnets(plan, router)])].sort(byPrefix),
        peerGroups,
        prefixLists: [],
        routeMaps: [],
        vrrp: vrrpIntents(plan, router),
    };
    if (ecmp) {
        const sessions = nodeSessions.length + fabricPeers.length;
        intent.maximumPaths = Math.min(MAX_PATHS_CAP, Math.max(2, sessions));
    }
    if (filter) {
        const hasNodes = nodeSessions.length > 0;
        const hasFabric = fabricPeers.length > 0;
        if (hasNodes) {
            intent.prefixLists.push({ name: `${NODES_IN}${sfx}`, rules: nodePrefixRules(plan) });
            intent.routeMaps.push({ name: `${NODES_IN}${sfx}`, entries: [{ seq: 10, action: "permit", matchPrefixList: `${NODES_IN}${sfx}` }] });
            // Cilium's BGP control plane installs no received routes: nodes need nothing from us.
            intent.routeMaps.push({ name: `${NODES_OUT}${sfx}`, entries: [{ seq: 10, action: "deny" }] });
        }
        if (hasFabric) {
            const list = `${FABRIC_PREFIXES}${sfx}`;
            intent.prefixLists.push({ name: list, rules: fabricPrefixRules(plan) });
            const fabricIn: RouteMapEntry[] = [{ seq: 10, action: "permit", matchPrefixList: list }];
            if (spinesOriginating) {
                intent.prefixLists.push({ name: `${DEFAULT_ROUTE}${sfx}`, rules: [
                    { seq: 10, action: "permit", prefix: family === "ipv4" ? "0.0.0.0/0" : "::/0" }, { seq: DENY_SEQ, action: "deny", prefix: "any" }] });
                fabricIn.push({ seq: 20, action: "permit", matchPrefixList: `${DEFAULT_ROUTE}${sfx}` });
            }
            intent.routeMaps.push({ name: `${FABRIC_IN}${sfx}`, entries: fabricIn });
            intent.routeMaps.push({ name: `${FABRIC_OUT}${sfx}`, entries: [{ seq: 10, action: "permit", matchPrefixList: list }] });
        }
    }
    return intent;
}

/** Every VRRP group of a router, both families' on a dual stack (the IPv4 half's first). */
export function allVrrpIntents(plan: AddressPlan, router: PlannedRouter): VrrpIntent[] {
    const twin = plan.secondary?.routers.find((r) => r.name === router.name);
    return [...vrrpIntents(plan, router), ...(plan.secondary && twin ? vrrpIntents(plan.secondary, { ...twin, flavour: router.flavour }) : [])];
}

/**
 * Both sides agree: every BGP peer the cluster declares (Cilium objects) has a router neighbor
 * with the same addresses, ASNs, password, timers, multihop and address family, and every router
 * neighbor at a node address is declared by that node. Router-to-router neighbors are checked
 * for symmetry too.
 *
 * consistency.ts compares the Cilium objects with the address plan; this module compares them
 * with what the routers are actually given (the rendered frr.conf, VyOS config.boot or `set`
 * commands), so that a renderer drifting from the plan, or a hand-edited file, is caught. Both
 * read the Cilium side through peers.ts (clusterPeers).
 * Pure: no Pulumi. The parsers read the subset of FRR / VyOS syntax that concerns sessions,
 * with each daemon's defaults for what is left unset. Not read (reported as a mismatch if the
 * renderers ever use them): VRF instances, interface (unnumbered) neighbors, `remote-as auto`,
 * update-source, and Cilium peers without peerAddress (auto-discovery). Graceful-restart times
 * are not compared: each speaker advertises its own, they need not be equal.
 */
import type { RouterFlavour } from "../config/types";
import type { K8sObject } from "../cilium/api";
import { parseAddress } from "../plan/addr";
import type { AddressPlan, PlannedRouter } from "../plan/types";
import { vyosWords } from "../routers/vyosboot";
import { type BgpTimers, type ClusterPeer, clusterPeers, familyKey, numberOf as num } from "./peers";
import { PASSWORD_KEY, PASSWORD_PLACEHOLDER, secretPassword } from "./secret";

// ---- the common model ------------------------------------------------------------------------

/** FRR's `remote-as`: a number, or the keywords that mean "my own ASN" / "any other ASN". */
export type RemoteAs = number | "internal" | "external";

/** One neighbor of a router, with peer-group settings and daemon defaults resolved. */
export interface RouterNeighbor {
    address: string;
    peerGroup?: string;
    remoteAs?: RemoteAs;
    /** The password text as written (the real password, or whatever stands in for it). */
    password?: string;
    timers: BgpTimers;
    /** TTL for eBGP; 1 = directly connected. */
    ebgpMultihop: number;
    /** Activated families, "afi-safi" (e.g. "ipv4-unicast"), sorted. */
    families: string[];
    shutdown: boolean;
}

export interface RouterBgpConfig {
    /** The router's own ASN (`router bgp N`, VyOS `system-as`). */
    asn?: number;
    neighbors: RouterNeighbor[];
}

// ---- small helpers ---------------------------------------------------------------------------

/** Address text to a comparable key: "2001:db8::0:1" and "2001:db8::1" are one neighbor. */
function addressKey(text: string): string {
    const bare = text.replace(/\/\d+$/, "");
    const a = parseAddress(bare);
    return typeof a === "string" ? bare.toLowerCase() : `${a.family}:${a.value.toString(16)}`;
}

const isAddress = (text: string): boolean => typeof parseAddress(text) !== "string";

function parseRemoteAs(v: string | undefined): RemoteAs | undefined {
    if (v === "internal" || v === "external") return v;
    return num(v);
}

// ---- router configuration: shared resolution -------------------------------------------------

/** What one `neighbor` name (an address or a peer-group) sets, before inheritance. */
interface NeighborSettings {
    isGroup: boolean;
    peerGroup?: string;
    remoteAs?: RemoteAs;
    password?: string;
    keepalive?: number;
    hold?: number;
    connectRetry?: number;
    ebgpMultihop?: number;
    shutdown?: boolean;
    /** Per family: explicitly activated (true) or deactivated (false). */
    activate: Map<string, boolean>;
}

interface RouterDefaults {
    timers: BgpTimers;
    /** Families every neighbor has unless deactivated (FRR's `bgp default ipv4-unicast`). */
    families: Set<string>;
}

/** FRR's built-in timers per `frr defaults` profile (bgpd/bgp_vty.c); VyOS runs traditional. */
const PROFILE_TIMERS: Record<string, BgpTimers> = {
    traditional: { keepalive: 60, hold: 180, connectRetry: 120 },
    datacenter: { keepalive: 3, hold: 9, connectRetry: 10 },
};

const newSettings = (isGroup = false): NeighborSettings => ({ isGroup, activate: new Map() });

function settingsOf(all: Map<string, NeighborSettings>, name: string): NeighborSettings {
    let s = all.get(name);
    if (!s) { s = newSettings(); all.set(name, s); }
    return s;
}

/** An address neighbor's effective settings: its own, else its peer-group's, else the defaults. */
function resolveNeighbor(address: string, own: NeighborSettings, all: Map<string, NeighborSettings>, d: RouterDefaults): RouterNeighbor {
    const group = own.peerGroup !== undefined ? all.get(own.peerGroup) : undefined;
    const pick = <K extends keyof NeighborSettings>(k: K): NeighborSettings[K] | undefined => own[k] ?? group?.[k];
    const families = new Set(d.families);
    for (const src of [group?.activate, own.activate]) {
        for (const [f, on] of src ?? []) if (on) families.add(f); else families.delete(f);
    }
    const n: RouterNeighbor = {
        address,
        timers: {
            keepalive: pick("keepalive") ?? d.timers.keepalive,
            hold: pick("hold") ?? d.timers.hold,
            connectRetry: pick("connectRetry") ?? d.timers.connectRetry,
        },
        ebgpMultihop: pick("ebgpMultihop") ?? 1,
        families: [...families].sort(),
        shutdown: pick("shutdown") ?? false,
    };
    if (own.peerGroup !== undefined) n.peerGroup = own.peerGroup;
    const remoteAs = pick("remoteAs");
    if (remoteAs !== undefined) n.remoteAs = remoteAs;
    const password = pick("password");
    if (password !== undefined) n.password = password;
    return n;
}

function resolveAll(all: Map<string, NeighborSettings>, d: RouterDefaults): RouterNeighbor[] {
    return [...all.entries()]
        .filter(([name, s]) => !s.isGroup && isAddress(name))
        .map(([name, s]) => resolveNeighbor(name, s, all, d));
}

// ---- FRR (frr.conf) --------------------------------------------------------------------------

interface FrrState {
    inBgp: boolean;
    /** Current address-family block ("ipv4-unicast"), if any. */
    af?: string;
    asn?: number;
    profile: string;
    globalTimers?: { keepalive: number; hold: number };
    /** `no bgp default ipv4-unicast` turns the implicit IPv4 activation off. */
    defaultFamilies: Set<string>;
    neighbors: Map<string, NeighborSettings>;
}

/** `neighbor <name> ...` under `router bgp` (outside an address family). */
function frrNeighbor(st: FrrState, w: string[]): void {
    const [, name, key, ...rest] = w;
    if (name === undefined || key === undefined) return;
    if (key === "peer-group" && rest.length === 0) { settingsOf(st.neighbors, name).isGroup = true; return; }
    const s = settingsOf(st.neighbors, name);
    if (key === "peer-group") s.peerGroup = rest[0];
    else if (key === "remote-as") s.remoteAs = parseRemoteAs(rest[0]);
    else if (key === "password") s.password = rest.join(" ");
    else if (key === "ebgp-multihop") s.ebgpMultihop = num(rest[0]) ?? 255;
    else if (key === "shutdown") s.shutdown = true;
    else if (key === "timers" && rest[0] === "connect") s.connectRetry = num(rest[1]);
    else if (key === "timers") { s.keepalive = num(rest[0]); s.hold = num(rest[1]); }
}

/** A line inside `address-family X Y`: only (de)activation matters here. */
function frrAfLine(st: FrrState, w: string[]): void {
    const af = st.af as string;
    if (w[0] === "neighbor" && w[2] === "activate" && w[1] !== undefined) settingsOf(st.neighbors, w[1]).activate.set(af, true);
    if (w[0] === "no" && w[1] === "neighbor" && w[3] === "activate" && w[2] !== undefined) settingsOf(st.neighbors, w[2]).activate.set(af, false);
}

function frrBgpLine(st: FrrState, w: string[]): void {
    const line = w.join(" ");
    if (w[0] === "address-family") { st.af = familyKey(w[1] ?? "", w[2] ?? "unicast"); return; }
    if (line === "no bgp default ipv4-unicast") st.defaultFamilies.delete("ipv4-unicast");
    else if (line === "bgp default ipv6-unicast") st.defaultFamilies.add("ipv6-unicast");
    else if (w[0] === "timers" && w[1] === "bgp") {
        const keepalive = num(w[2]);
        const hold = num(w[3]);
        if (keepalive !== undefined && hold !== undefined) st.globalTimers = { keepalive, hold };
    } else if (w[0] === "neighbor") frrNeighbor(st, w);
}

function frrLine(st: FrrState, raw: string): void {
    const w = raw.trim().split(/\s+/).filter((x) => x !== "");
    if (w.length === 0 || w[0] === "!") return;
    const topLevel = !/^\s/.test(raw);
    if (st.af !== undefined) { if (w[0] === "exit-address-family") st.af = undefined; else frrAfLine(st, w); return; }
    if (topLevel) {
        // Any top-level statement (`exit` included) ends `router bgp`; a VRF instance is not the default one.
        st.inBgp = w[0] === "router" && w[1] === "bgp" && w[3] !== "vrf";
        if (st.inBgp) st.asn = num(w[2]);
        if (w[0] === "frr" && w[1] === "defaults" && w[2] !== undefined) st.profile = w[2];
        return;
    }
    if (st.inBgp) frrBgpLine(st, w);
}

/** The BGP neighbors of an integrated frr.conf (the default VRF's `router bgp`). */
export function parseFrrConfig(text: string): RouterBgpConfig {
    const st: FrrState = { inBgp: false, profile: "traditional", defaultFamilies: new Set(["ipv4-unicast"]), neighbors: new Map() };
    for (const raw of text.split("\n")) frrLine(st, raw);
    const base = PROFILE_TIMERS[st.profile] ?? PROFILE_TIMERS.traditional;
    const timers = st.globalTimers ? { ...base, ...st.globalTimers } : base;
    const cfg: RouterBgpConfig = { neighbors: resolveAll(st.neighbors, { timers, families: st.defaultFamilies }) };
    if (st.asn !== undefined) cfg.asn = st.asn;
    return cfg;
}

// ---- VyOS (`set` commands or config.boot) ----------------------------------------------------

/**
 * config.boot as the words of `set` commands: every node opened and every leaf gives one, so
 * that an empty node (`address-family ipv6-unicast { }`, which activates the family) is kept.
 * Words, not text, so that a password with quote characters survives.
 */
function configBootWords(text: string): string[][] {
    const path: string[] = [];
    const depth: number[] = [];
    const out: string[][] = [];
    for (const raw of text.split("\n")) {
        const line = raw.trim();
        if (line === "" || line.startsWith("//") || line.startsWith("/*")) continue;
        if (line === "}") { path.splice(path.length - (depth.pop() ?? 0)); continue; }
        const w = vyosWords(line.replace(/\s*\{$/, ""));
        if (line.endsWith("{")) { path.push(...w); depth.push(w.length); out.push(["set", ...path]); continue; }
        out.push(["set", ...path, ...w]);
    }
    return out;
}

/** `<rest>` of `set protocols bgp neighbor|peer-group <name> <rest>`. */
function vyosPeerWords(s: NeighborSettings, rest: string[]): void {
    const [key, a, b] = rest;
    if (key === "peer-group") s.peerGroup = a;
    else if (key === "remote-as") s.remoteAs = parseRemoteAs(a);
    else if (key === "password") s.password = a;
    else if (key === "ebgp-multihop") s.ebgpMultihop = num(a);
    else if (key === "shutdown") s.shutdown = true;
    else if (key === "address-family" && a !== undefined) s.activate.set(a, true);
    else if (key === "timers" && a === "holdtime") s.hold = num(b);
    else if (key === "timers" && a === "keepalive") s.keepalive = num(b);
    else if (key === "timers" && a === "connect") s.connectRetry = num(b);
}

/** VyOS applies keepalive and holdtime only as a pair (its verify step): one alone is ignored. */
function vyosPairTimers(all: Map<string, NeighborSettings>): void {
    for (const s of all.values()) {
        if ((s.keepalive === undefined) !== (s.hold === undefined)) { delete s.keepalive; delete s.hold; }
    }
}

/**
 * The BGP neighbors of a VyOS 1.4+ configuration, given as `set` commands (one per line or as a
 * list) or as config.boot. VyOS always renders `no bgp default ipv4-unicast`: a family is active
 * only where `address-family ...-unicast` is set on the neighbor or its peer-group.
 */
export function parseVyosConfig(input: string | string[]): RouterBgpConfig {
    const text = Array.isArray(input) ? input.join("\n") : input;
    // Set commands start with `set`; a `{` alone may be part of a quoted value (the password).
    const commands = /^\s*set\s/m.test(text) ? text.split("\n").map(vyosWords) : configBootWords(text);
    const all = new Map<string, NeighborSettings>();
    const cfg: RouterBgpConfig = { neighbors: [] };
    const global: Partial<BgpTimers> = {};
    for (const w of commands) {
        if (w[0] !== "set" || w[1] !== "protocols" || w[2] !== "bgp") continue;
        const [kind, name, ...rest] = w.slice(3);
        if (kind === "system-as") cfg.asn = num(name);
        else if (kind === "timers" && name === "holdtime") global.hold = num(rest[0]);
        else if (kind === "timers" && name === "keepalive") global.keepalive = num(rest[0]);
        else if ((kind === "neighbor" || kind === "peer-group") && name !== undefined) {
            const s = settingsOf(all, name);
            if (kind === "peer-group") s.isGroup = true;
            vyosPeerWords(s, rest);
        }
    }
    vyosPairTimers(all);
    const base = PROFILE_TIMERS.traditional;
    const timers = global.hold !== undefined && global.keepalive !== undefined ? { ...base, hold: global.hold, keepalive: global.keepalive } : base;
    cfg.neighbors = resolveAll(all, { timers, families: new Set() });
    return cfg;
}

export function parseRouterConfig(flavour: RouterFlavour, text: string): RouterBgpConfig {
    return flavour === "vyos" ? parseVyosConfig(text) : parseFrrConfig(text);
}

// ---- the check -------------------------------------------------------------------------------

export interface RouterConfigText {
    router: string;
    flavour: RouterFlavour;
    /** frr.conf, VyOS config.boot or VyOS `set` commands. */
    text: string;
}

export interface AgreementInput {
    plan: AddressPlan;
    /** The Cilium BGP objects (renderBgpObjects). */
    objects: K8sObject[];
    /** Secrets the project renders (renderBgpSecret); authSecretRef must name one of them. */
    secrets: K8sObject[];
    /** Where Cilium looks the Secret up (bgp.secretsNamespace = Helm bgpControlPlane.secretsNamespace). */
    secretsNamespace: string;
    /** The value the component puts in the Secret in place of PASSWORD_PLACEHOLDER (bgpPassword). */
    bgpPassword?: string;
    /** Every router's main configuration file. */
    routers: RouterConfigText[];
}

/** A node session found on both sides (its attributes may still disagree). */
export interface ComparedSession { node: string; router: string; nodeAddress: string; routerAddress: string }

export interface AgreementReport {
    mismatches: string[];
    /** Node sessions whose router neighbor was found and compared. */
    nodeSessions: ComparedSession[];
    /** Router pairs whose neighbors were found on both sides and compared. */
    routerSessions: { a: string; b: string }[];
}

interface Ctx {
    input: AgreementInput;
    routerByAddress: Map<string, PlannedRouter>;
    nodeByAddress: Map<string, string>;
    configs: Map<string, RouterBgpConfig>;
    report: AgreementReport;
}

const say = (ctx: Ctx, m: string): void => { ctx.report.mismatches.push(m); };
const findNeighbor = (cfg: RouterBgpConfig, address: string): RouterNeighbor | undefined =>
    cfg.neighbors.find((n) => addressKey(n.address) === addressKey(address));
const remoteAsText = (r: RemoteAs | undefined): string => (r === undefined ? "(none)" : String(r));

/** Does `remote-as` on a router in AS `own` accept a peer in AS `peer`? */
function remoteAsAccepts(r: RemoteAs | undefined, own: number | undefined, peer: number): boolean {
    if (r === "internal") return own === peer;
    if (r === "external") return own !== undefined && own !== peer;
    return r === peer;
}

function buildContext(input: AgreementInput): Ctx {
    const routerByAddress = new Map<string, PlannedRouter>();
    for (const r of input.plan.routers) {
        for (const a of [r.loopback, ...r.interfaces.map((i) => i.address)]) routerByAddress.set(addressKey(a), r);
    }
    const nodeByAddress = new Map(input.plan.nodes.map((n) => [addressKey(n.address), n.name]));
    const configs = new Map(input.routers.map((r) => [r.router, parseRouterConfig(r.flavour, r.text)]));
    return { input, routerByAddress, nodeByAddress, configs, report: { mismatches: [], nodeSessions: [], routerSessions: [] } };
}

/** The password the Secret named by `ref` will hold, or the reason it cannot be known. */
function refPassword(input: AgreementInput, ref: string): { value: string } | { problem: string } {
    const where = `${input.secretsNamespace}/${ref}`;
    const s = input.secrets.find((o) => o.kind === "Secret" && o.metadata.name === ref && o.metadata.namespace === input.secretsNamespace);
    if (!s) return { problem: `authSecretRef ${ref}: the project renders no Secret ${where}` };
    const value = secretPassword(s);
    if (value === undefined) return { problem: `Secret ${where} has no key ${PASSWORD_KEY}` };
    if (value !== PASSWORD_PLACEHOLDER) return { value };
    return input.bgpPassword !== undefined ? { value: input.bgpPassword } : { problem: `Secret ${where} holds the placeholder and no bgpPassword was given` };
}

/** Password agreement; messages never contain a password. */
function passwordProblem(input: AgreementInput, peer: ClusterPeer, nb: RouterNeighbor): string | undefined {
    if (peer.authSecretRef === undefined && nb.password === undefined) return undefined;
    if (peer.authSecretRef === undefined) return "password: the router sets one, the cluster peer has no authSecretRef";
    if (nb.password === undefined) return `password: the cluster peer uses Secret ${peer.authSecretRef}, the router sets none`;
    const secret = refPassword(input, peer.authSecretRef);
    if ("problem" in secret) return `password: ${secret.problem}`;
    return secret.value === nb.password ? undefined : `password: the router's differs from Secret ${input.secretsNamespace}/${peer.authSecretRef} key ${PASSWORD_KEY}`;
}

const timersText = (t: BgpTimers): string => `keepalive ${t.keepalive} hold ${t.hold} connect-retry ${t.connectRetry}`;
const sameTimers = (a: BgpTimers, b: BgpTimers): boolean => a.keepalive === b.keepalive && a.hold === b.hold && a.connectRetry === b.connectRetry;

/** Every attribute of one node session; the router neighbor exists. */
function compareNodeSession(ctx: Ctx, peer: ClusterPeer, router: PlannedRouter, cfg: RouterBgpConfig, nb: RouterNeighbor): string[] {
    const out: string[] = [];
    if (cfg.asn !== peer.peerAsn) out.push(`ASN: the router runs AS${String(cfg.asn)}, the cluster declares peerASN ${peer.peerAsn}`);
    if (!remoteAsAccepts(nb.remoteAs, cfg.asn, peer.localAsn)) {
        out.push(`remote-as: the router expects ${remoteAsText(nb.remoteAs)} (own AS${String(cfg.asn)}), the node's local ASN is ${peer.localAsn}`);
    }
    const pw = passwordProblem(ctx.input, peer, nb);
    if (pw) out.push(pw);
    // BGP would settle on the lower hold time; both sides come from bgp.*TimeSeconds, so any difference is drift.
    if (!sameTimers(peer.timers, nb.timers)) out.push(`timers: router ${timersText(nb.timers)}, cluster ${timersText(peer.timers)}`);
    // TTL matters only for eBGP (iBGP sessions are not TTL-limited by ebgp-multihop).
    if (peer.localAsn !== peer.peerAsn && peer.ebgpMultihop !== nb.ebgpMultihop) out.push(`ebgp-multihop: router ${nb.ebgpMultihop}, cluster ${peer.ebgpMultihop}`);
    if (peer.families.join(",") !== nb.families.join(",")) out.push(`families: router activates [${nb.families.join(", ")}], cluster declares [${peer.families.join(", ")}]`);
    if (nb.shutdown) out.push("the router neighbor is shut down");
    return out.map((m) => `${peerLabel(peer)} via router ${router.name}: ${m}`);
}

const peerLabel = (p: ClusterPeer): string => `${p.source}: node ${p.node} (${p.nodeAddress}, AS${p.localAsn}) -> ${p.peerAddress} AS${p.peerAsn}`;

/** One cluster peer: find the router it names and that router's neighbor for the node. */
function checkClusterPeer(ctx: Ctx, peer: ClusterPeer): void {
    const router = ctx.routerByAddress.get(addressKey(peer.peerAddress));
    if (!router) { say(ctx, `${peerLabel(peer)}: ${peer.peerAddress} is not an address of any router`); return; }
    const cfg = ctx.configs.get(router.name);
    if (!cfg) { say(ctx, `${peerLabel(peer)}: no configuration was given for router ${router.name}`); return; }
    const nb = findNeighbor(cfg, peer.nodeAddress);
    if (!nb) { say(ctx, `${peerLabel(peer)}: router ${router.name} has no neighbor ${peer.nodeAddress}`); return; }
    ctx.report.nodeSessions.push({ node: peer.node, router: router.name, nodeAddress: peer.nodeAddress, routerAddress: peer.peerAddress });
    for (const m of compareNodeSession(ctx, peer, router, cfg, nb)) say(ctx, m);
}

/** Reverse direction: a router neighbor at a node address must be declared by that node. */
function checkRouterNodeNeighbors(ctx: Ctx, peers: ClusterPeer[]): void {
    const declared = new Set(peers.map((p) => `${ctx.routerByAddress.get(addressKey(p.peerAddress))?.name}|${addressKey(p.nodeAddress)}`));
    const overrideAddresses = new Map(peers.map((p) => [addressKey(p.nodeAddress), p.node]));
    for (const [router, cfg] of ctx.configs) {
        for (const nb of cfg.neighbors) {
            const key = addressKey(nb.address);
            const node = ctx.nodeByAddress.get(key) ?? overrideAddresses.get(key);
            if (node === undefined) {
                if (!ctx.routerByAddress.has(key)) say(ctx, `router ${router}: neighbor ${nb.address} is neither a node nor a router of the plan`);
                continue;
            }
            if (!declared.has(`${router}|${key}`)) say(ctx, `router ${router}: neighbor ${nb.address} (node ${node}) is not declared by the cluster`);
        }
    }
}

function checkDuplicatePeers(ctx: Ctx, peers: ClusterPeer[]): void {
    const seen = new Set<string>();
    for (const p of peers) {
        const k = `${p.node}|${addressKey(p.peerAddress)}`;
        if (seen.has(k)) say(ctx, `${peerLabel(p)}: declared twice for node ${p.node}`);
        seen.add(k);
    }
}

/** Attributes of a router pair, each side as seen from the other. */
function compareRouterPair(a: { name: string; cfg: RouterBgpConfig; nb: RouterNeighbor }, b: { name: string; cfg: RouterBgpConfig; nb: RouterNeighbor }): string[] {
    const out: string[] = [];
    for (const [x, y] of [[a, b], [b, a]] as const) {
        if (y.cfg.asn === undefined || !remoteAsAccepts(x.nb.remoteAs, x.cfg.asn, y.cfg.asn)) {
            out.push(`remote-as: ${x.name} expects ${remoteAsText(x.nb.remoteAs)} (own AS${String(x.cfg.asn)}), ${y.name} runs AS${String(y.cfg.asn)}`);
        }
    }
    if (!sameTimers(a.nb.timers, b.nb.timers)) out.push(`timers: ${a.name} ${timersText(a.nb.timers)}, ${b.name} ${timersText(b.nb.timers)}`);
    if ((a.nb.password === undefined) !== (b.nb.password === undefined)) out.push(`password: set on ${a.nb.password !== undefined ? a.name : b.name} only`);
    else if (a.nb.password !== b.nb.password) out.push("password: the two routers' differ");
    if (a.nb.ebgpMultihop !== b.nb.ebgpMultihop) out.push(`ebgp-multihop: ${a.name} ${a.nb.ebgpMultihop}, ${b.name} ${b.nb.ebgpMultihop}`);
    if (a.nb.families.join(",") !== b.nb.families.join(",")) out.push(`families: ${a.name} [${a.nb.families.join(", ")}], ${b.name} [${b.nb.families.join(", ")}]`);
    return out.map((m) => `routers ${a.name} <-> ${b.name}: ${m}`);
}

/**
 * Router-to-router neighbors: the other router must name one of this router's addresses back.
 * Existence is checked from both ends; attributes once per pair (from the lower name).
 */
function checkRouterPairs(ctx: Ctx): void {
    for (const [name, cfg] of ctx.configs) {
        for (const nb of cfg.neighbors) {
            const other = ctx.routerByAddress.get(addressKey(nb.address));
            if (!other) continue;
            if (other.name === name) { say(ctx, `router ${name}: neighbor ${nb.address} is one of its own addresses`); continue; }
            const otherCfg = ctx.configs.get(other.name);
            const back = otherCfg?.neighbors.find((m) => ctx.routerByAddress.get(addressKey(m.address))?.name === name);
            if (!otherCfg || !back) { say(ctx, `router ${name}: neighbor ${nb.address} (router ${other.name}) has no neighbor back to ${name}`); continue; }
            if (name > other.name) continue;
            ctx.report.routerSessions.push({ a: name, b: other.name });
            for (const m of compareRouterPair({ name, cfg, nb }, { name: other.name, cfg: otherCfg, nb: back })) say(ctx, m);
        }
    }
}

/** The full comparison: mismatches, plus what was compared (so that "nothing found" cannot pass). */
export function agreementReport(input: AgreementInput): AgreementReport {
    const ctx = buildContext(input);
    for (const r of input.plan.routers) if (!ctx.configs.has(r.name)) say(ctx, `no configuration was given for router ${r.name}`);
    const problems: string[] = [];
    const peers = clusterPeers(input.objects, input.plan, problems);
    for (const p of problems) say(ctx, p);
    checkDuplicatePeers(ctx, peers);
    for (const p of peers) checkClusterPeer(ctx, p);
    checkRouterNodeNeighbors(ctx, peers);
    checkRouterPairs(ctx);
    return ctx.report;
}

/** Human-readable mismatches between the cluster's BGP peers and the routers' neighbors; empty = they agree. */
export function checkAgreement(input: AgreementInput): string[] {
    return agreementReport(input).mismatches;
}

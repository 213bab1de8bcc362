/**
 * Cilium's BGP objects -> a GoBGP speaker that stands in for one node's Cilium agent.
 *
 * Cilium's agent embeds GoBGP and programs it from the BGP custom resources. The lab cannot run
 * the agent, so this module does the same translation by hand, from the objects the program
 * registered, and renders a `gobgpd` configuration plus the routes the node would announce:
 *
 * | Cilium (v2 API, 1.16+)                               | Cilium (v1, <= 1.15)                   | GoBGP                                    |
 * |------------------------------------------------------|----------------------------------------|------------------------------------------|
 * | ClusterConfig whose nodeSelector matches the node     | PeeringPolicy whose nodeSelector does  | one speaker per node                     |
 * | bgpInstances[].localASN                               | virtualRouters[].localASN              | global.config.as                         |
 * | NodeConfigOverride routerID (IPv6 on 1.16/1.17)       | node annotation router-id=             | global.config.router-id                  |
 * | peers[].peerAddress / peerASN                         | neighbors[].peerAddress / peerASN      | neighbors.config.neighbor-address/peer-as|
 * | PeerConfig authSecretRef -> Secret key `password`     | neighbors[].authSecretRef              | neighbors.config.auth-password           |
 * | PeerConfig timers                                     | neighbors[].*TimeSeconds               | neighbors.timers.config                  |
 * | PeerConfig ebgpMultihop                               | neighbors[].eBGPMultihopTTL            | neighbors.ebgp-multihop.config           |
 * | PeerConfig gracefulRestart                            | neighbors[].gracefulRestart            | neighbors.graceful-restart.config        |
 * | PeerConfig families[] (afi/safi)                      | neighbors[].families[]                 | neighbors.afi-safis                      |
 * | Advertisement PodCIDR (selected by family labels)     | exportPodCIDR                          | `gobgp global rib add <pod CIDR>`        |
 * | Advertisement Service, LoadBalancerIP, selector       | serviceSelector + serviceAdvertisements| `gobgp global rib add <LB address>/32|128`|
 *
 * Where the node's router ID comes from Cilium itself (an IPv4 node's address; on IPv6-only 1.18+
 * Cilium's Helm `routerIDAllocation` pool) the lab uses the node's IPv4 address or the plan's router ID.
 * Like Cilium, the speaker only exports what it announces itself.
 */
import type { K8sObject } from "../components/cilium/api";
import type { IpFamily, LabelSelector } from "../components/config/types";
import { selectorMatches } from "../components/bgp/selectors";
import { hostPrefix } from "../components/bgp/common";
import { CILIUM_TIMER_DEFAULTS } from "../components/bgp/peers";
import { PASSWORD_KEY, secretPassword } from "../components/bgp/secret";


export interface SpeakerPeer {
    name: string;
    address: string;
    asn: number;
    password?: string;
    holdTimeSeconds: number;
    keepAliveTimeSeconds: number;
    connectRetryTimeSeconds: number;
    ebgpMultihop?: number;
    gracefulRestartSeconds?: number;
    families: IpFamily[];
}

export interface Announcement {
    prefix: string;
    family: IpFamily;
    communities: string[];
    localPreference?: number;
    /** Why the node announces it ("pod CIDR", "service default/sample-lb-pool"). */
    reason: string;
}

export interface SpeakerConfig {
    node: string;
    asn: number;
    routerId: string;
    routerIdSource: string;
    peers: SpeakerPeer[];
    announce: Announcement[];
}

/** The facts about a node that Kubernetes and Cilium hold rather than the BGP objects. */
export interface NodeFacts {
    name: string;
    labels: Record<string, string>;
    address: string;
    podCidr: string;
    /** The plan's router ID: used where Cilium allocates one itself. */
    plannedRouterId: string;
}

/** A LoadBalancer Service as far as BGP cares. */
export interface ServiceFacts {
    namespace: string;
    name: string;
    labels: Record<string, string>;
    address: string;
    externalTrafficPolicy: "Cluster" | "Local";
    /** Nodes with a ready endpoint (only matters for `Local`). */
    endpointNodes: string[];
}

type Obj = Record<string, unknown>;
const asObj = (v: unknown): Obj => (typeof v === "object" && v !== null ? v as Obj : {});
const asArr = (v: unknown): Obj[] => (Array.isArray(v) ? v.map(asObj) : []);
const num = (v: unknown, d: number): number => (typeof v === "number" ? v : d);
const familyOf = (address: string): IpFamily => (address.includes(":") ? "ipv6" : "ipv4");
const stripLength = (a: string): string => a.replace(/\/\d+$/, "");

export class TranslationError extends Error {}

function passwordOf(objects: K8sObject[], secretName: unknown): string | undefined {
    if (typeof secretName !== "string" || !secretName) return undefined;
    const secret = objects.find((o) => o.kind === "Secret" && o.metadata.name === secretName);
    if (!secret) throw new TranslationError(`authSecretRef ${secretName}: no such Secret among the rendered objects`);
    const password = secretPassword(secret);
    if (password === undefined) throw new TranslationError(`Secret ${secretName} has no key "${PASSWORD_KEY}"`);
    return password;
}

const familiesOf = (fams: Obj[]): IpFamily[] =>
    fams.filter((f) => f.safi === "unicast" && (f.afi === "ipv4" || f.afi === "ipv6")).map((f) => f.afi as IpFamily);

function communitiesOf(attrs: Obj): { communities: string[]; localPreference?: number } {
    const c = asObj(attrs.communities);
    const list = [...(c.standard as string[] ?? []), ...(c.wellKnown as string[] ?? []), ...(c.large as string[] ?? [])];
    const lp = attrs.localPreference;
    return { communities: list, ...(typeof lp === "number" ? { localPreference: lp } : {}) };
}

function serviceAnnouncements(node: NodeFacts, services: ServiceFacts[], selector: LabelSelector | undefined, addresses: unknown[], attrs: Obj, family: IpFamily[]): Announcement[] {
    // No selector: Cilium announces no Service at all.
    if (!selector || !addresses.includes("LoadBalancerIP")) return [];
    return services
        .filter((s) => selectorMatches(selector, s.labels) && family.includes(familyOf(s.address)))
        .filter((s) => s.externalTrafficPolicy === "Cluster" || s.endpointNodes.includes(node.name))
        .map((s) => ({ prefix: hostPrefix(s.address), family: familyOf(s.address), ...communitiesOf(attrs), reason: `service ${s.namespace}/${s.name}` }));
}

function routerIdFor(objects: K8sObject[], node: NodeFacts, asn: number): { routerId: string; source: string } {
    for (const o of objects.filter((x) => x.kind === "CiliumBGPNodeConfigOverride" && x.metadata.name === node.name)) {
        for (const inst of asArr(asObj(o.spec).bgpInstances)) {
            if (typeof inst.routerID === "string") return { routerId: inst.routerID, source: "CiliumBGPNodeConfigOverride" };
        }
    }
    // A recorded NodePatch carries kind "Node", like the Node it patches.
    for (const o of objects.filter((x) => x.kind === "Node" && x.metadata.name === node.name)) {
        const a = o.metadata.annotations?.[`cilium.io/bgp-virtual-router.${asn}`];
        const m = a ? /router-id=([\d.]+)/.exec(a) : null;
        if (m) return { routerId: m[1], source: "node annotation" };
    }
    if (familyOf(node.address) === "ipv4") return { routerId: node.address, source: "node IPv4 address (Cilium's default)" };
    return { routerId: node.plannedRouterId, source: "plan (Cilium allocates it from its routerIDAllocation pool)" };
}

/** The one object of `kind` whose nodeSelector picks the node, and its one BGP instance (`listKey`). */
function instanceFor(objects: K8sObject[], kind: string, listKey: string, node: NodeFacts): Obj | undefined {
    const selected = objects.filter((o) => o.kind === kind && selectorMatches(asObj(o.spec).nodeSelector as LabelSelector ?? {}, node.labels));
    if (selected.length === 0) return undefined;
    if (selected.length > 1) throw new TranslationError(`node ${node.name}: ${selected.length} ${kind}s select it (Cilium accepts one)`);
    const instances = asArr(asObj(selected[0].spec)[listKey]);
    if (instances.length !== 1) throw new TranslationError(`node ${node.name}: the lab runs one BGP instance per node, ${kind} ${selected[0].metadata.name} has ${instances.length}`);
    return instances[0];
}

/** A peer from either API's fields, with Cilium's defaults for what is left out. */
function speakerPeer(name: string, address: string, asn: unknown, password: string | undefined,
    timers: { hold: unknown; keepalive: unknown; connectRetry: unknown }, multihop: unknown, gr: Obj, families: IpFamily[]): SpeakerPeer {
    return {
        name, address, asn: num(asn, 0),
        ...(password !== undefined ? { password } : {}),
        holdTimeSeconds: num(timers.hold, CILIUM_TIMER_DEFAULTS.holdTimeSeconds),
        keepAliveTimeSeconds: num(timers.keepalive, CILIUM_TIMER_DEFAULTS.keepAliveTimeSeconds),
        connectRetryTimeSeconds: num(timers.connectRetry, CILIUM_TIMER_DEFAULTS.connectRetryTimeSeconds),
        ...(typeof multihop === "number" ? { ebgpMultihop: multihop } : {}),
        ...(gr.enabled === true ? { gracefulRestartSeconds: num(gr.restartTimeSeconds, 120) } : {}),
        families,
    };
}

function translateV2(objects: K8sObject[], node: NodeFacts, services: ServiceFacts[]): SpeakerConfig | undefined {
    const inst = instanceFor(objects, "CiliumBGPClusterConfig", "bgpInstances", node);
    if (!inst) return undefined;
    const asn = num(inst.localASN, 0);
    const peers: SpeakerPeer[] = [];
    const announce = new Map<string, Announcement>();
    for (const p of asArr(inst.peers)) {
        const ref = asObj(p.peerConfigRef).name;
        const pc = objects.find((o) => o.kind === "CiliumBGPPeerConfig" && o.metadata.name === ref);
        if (!pc) throw new TranslationError(`peer ${String(p.name)}: peerConfigRef ${String(ref)} names no CiliumBGPPeerConfig`);
        const spec = asObj(pc.spec);
        const timers = asObj(spec.timers);
        const fams = asArr(spec.families);
        peers.push(speakerPeer(String(p.name), String(p.peerAddress), p.peerASN, passwordOf(objects, spec.authSecretRef),
            { hold: timers.holdTimeSeconds, keepalive: timers.keepAliveTimeSeconds, connectRetry: timers.connectRetryTimeSeconds },
            spec.ebgpMultihop, asObj(spec.gracefulRestart), familiesOf(fams)));
        // What each family advertises: the Advertisements whose labels its selector matches.
        for (const f of fams) {
            const fam = familiesOf([f]);
            const adverts = objects.filter((o) => o.kind === "CiliumBGPAdvertisement"
                && f.advertisements !== undefined && selectorMatches(f.advertisements as LabelSelector, o.metadata.labels ?? {}));
            for (const ad of adverts) {
                for (const a of asArr(asObj(ad.spec).advertisements)) {
                    const attrs = asObj(a.attributes);
                    if (a.advertisementType === "PodCIDR" && fam.includes(familyOf(node.podCidr))) {
                        announce.set(node.podCidr, { prefix: node.podCidr, family: familyOf(node.podCidr), ...communitiesOf(attrs), reason: "pod CIDR" });
                    }
                    if (a.advertisementType === "Service") {
                        const addresses = (asObj(a.service).addresses as unknown[] | undefined) ?? [];
                        for (const s of serviceAnnouncements(node, services, a.selector as LabelSelector | undefined, addresses, attrs, fam)) announce.set(s.prefix, s);
                    }
                }
            }
        }
    }
    const rid = routerIdFor(objects, node, asn);
    return { node: node.name, asn, routerId: rid.routerId, routerIdSource: rid.source, peers, announce: [...announce.values()] };
}

function translateV1(objects: K8sObject[], node: NodeFacts, services: ServiceFacts[]): SpeakerConfig | undefined {
    const vr = instanceFor(objects, "CiliumBGPPeeringPolicy", "virtualRouters", node);
    if (!vr) return undefined;
    const asn = num(vr.localASN, 0);
    const peers: SpeakerPeer[] = [];
    const announce = new Map<string, Announcement>();
    for (const n of asArr(vr.neighbors)) {
        const fams = familiesOf(asArr(n.families));
        peers.push(speakerPeer(String(n.peerAddress), stripLength(String(n.peerAddress)), n.peerASN, passwordOf(objects, n.authSecretRef),
            { hold: n.holdTimeSeconds, keepalive: n.keepAliveTimeSeconds, connectRetry: n.connectRetryTimeSeconds },
            n.eBGPMultihopTTL, asObj(n.gracefulRestart), fams));
        const podAttrs = asArr(n.advertisedPathAttributes).find((x) => x.selectorType === "PodCIDR") ?? {};
        if (vr.exportPodCIDR === true && fams.includes(familyOf(node.podCidr))) {
            announce.set(node.podCidr, { prefix: node.podCidr, family: familyOf(node.podCidr), ...communitiesOf(podAttrs), reason: "pod CIDR" });
        }
        for (const s of serviceAnnouncements(node, services, vr.serviceSelector as LabelSelector | undefined, (vr.serviceAdvertisements as unknown[] | undefined) ?? ["LoadBalancerIP"], {}, fams)) announce.set(s.prefix, s);
    }
    const rid = routerIdFor(objects, node, asn);
    return { node: node.name, asn, routerId: rid.routerId, routerIdSource: rid.source, peers, announce: [...announce.values()] };
}

/** The speaker for one node, or a TranslationError saying what the objects lack. */
export function translateNode(objects: K8sObject[], node: NodeFacts, services: ServiceFacts[]): SpeakerConfig {
    const out = translateV2(objects, node, services) ?? translateV1(objects, node, services);
    if (!out) throw new TranslationError(`node ${node.name}: no BGP cluster config or peering policy selects it (labels ${JSON.stringify(node.labels)})`);
    return out;
}

/**
 * A TOML basic string (TOML 1.0, "Basic strings"): `"` and `\` escaped, and every control
 * character TOML forbids raw (U+0000-U+001F but tab, and U+007F) as \uXXXX. JSON.stringify is
 * not enough: it leaves U+007F raw and writes lone surrogates TOML refuses.
 */
export function tomlString(s: string): string {
    let out = "\"";
    for (const ch of s) {
        const c = ch.codePointAt(0) as number;
        if (ch === "\"" || ch === "\\") out += `\\${ch}`;
        else if ((c < 0x20 && ch !== "\t") || c === 0x7f) out += `\\u${c.toString(16).padStart(4, "0")}`;
        else if (c >= 0xd800 && c <= 0xdfff) throw new TranslationError("a value holds a lone UTF-16 surrogate, which TOML cannot carry");
        else out += ch;
    }
    return `${out}"`;
}
const q = tomlString;

/**
 * gobgpd's TOML configuration for a speaker. Deterministic: peers keep the objects' order.
 * Like Cilium, the speaker exports only what it announces (an export policy on its own
 * prefixes, everything else rejected), so routes it learns from one router never reach another.
 * `extraPrefixes` are exported as well (the lab's foreign prefix for the filter test).
 */
export function renderGobgpdConfig(s: SpeakerConfig, extraPrefixes: string[] = []): string {
    const exported = [...new Set([...s.announce.map((a) => a.prefix), ...extraPrefixes])];
    const l: string[] = [
        `# gobgpd for node ${s.node}, translated from the rendered Cilium objects (lab/speaker.ts)`,
        "[global.config]",
        `  as = ${s.asn}`,
        `  router-id = ${q(s.routerId)}`,
        "[global.apply-policy.config]",
        ...(exported.length > 0 ? [`  export-policy-list = ["announce"]`] : []),
        `  default-export-policy = "reject-route"`,
    ];
    for (const p of s.peers) {
        l.push("", "[[neighbors]]", "  [neighbors.config]",
            `    neighbor-address = ${q(p.address)}`,
            `    peer-as = ${p.asn}`,
            `    description = ${q(p.name)}`);
        if (p.password !== undefined) l.push(`    auth-password = ${q(p.password)}`);
        l.push("  [neighbors.timers.config]",
            `    hold-time = ${p.holdTimeSeconds}`,
            `    keepalive-interval = ${p.keepAliveTimeSeconds}`,
            `    connect-retry = ${p.connectRetryTimeSeconds}`);
        if (p.ebgpMultihop !== undefined) l.push("  [neighbors.ebgp-multihop.config]", "    enabled = true", `    multihop-ttl = ${p.ebgpMultihop}`);
        if (p.gracefulRestartSeconds !== undefined) l.push("  [neighbors.graceful-restart.config]", "    enabled = true", `    restart-time = ${p.gracefulRestartSeconds}`);
        for (const f of p.families) {
            l.push("  [[neighbors.afi-safis]]", "    [neighbors.afi-safis.config]", `      afi-safi-name = "${f}-unicast"`);
            if (p.gracefulRestartSeconds !== undefined) l.push("    [neighbors.afi-safis.mp-graceful-restart.config]", "      enabled = true");
        }
    }
    if (exported.length > 0) {
        l.push("", "[[defined-sets.prefix-sets]]", `  prefix-set-name = "announce"`);
        for (const p of exported) l.push("  [[defined-sets.prefix-sets.prefix-list]]", `    ip-prefix = ${q(p)}`);
        l.push("", "[[policy-definitions]]", `  name = "announce"`, "  [[policy-definitions.statements]]", `    name = "own-prefixes"`,
            "    [policy-definitions.statements.conditions.match-prefix-set]", `      prefix-set = "announce"`,
            "    [policy-definitions.statements.actions]", `      route-disposition = "accept-route"`);
    }
    return `${l.join("\n")}\n`;
}

/** The `gobgp` command that injects one announcement into the speaker's RIB. */
export function announceCommand(a: Announcement): string[] {
    const argv = ["gobgp", "global", "rib", "-a", a.family, "add", a.prefix];
    const standard = a.communities.filter((c) => !/^\d+:\d+:\d+$/.test(c));
    const large = a.communities.filter((c) => /^\d+:\d+:\d+$/.test(c));
    if (standard.length > 0) argv.push("community", standard.join(","));
    if (large.length > 0) argv.push("large-community", large.join(","));
    if (a.localPreference !== undefined) argv.push("local-pref", String(a.localPreference));
    return argv;
}

/**
 * Cilium's BGP objects -> a GoBGP speaker that stands in for one node's Cilium agent.
 *
 * Cilium's agent embeds GoBGP and programs it through GoBGP's API from the BGP custom resources.
 * The lab cannot run the agent, so this module does the same translation, from the objects the
 * program registered, into a `gobgpd` configuration (gobgpd turns its TOML into the same API
 * calls: osrg/gobgp pkg/config/config.go InitialConfig) plus the routes the node announces.
 * Sources (cilium/cilium, the lines 1.15 ... 1.20 share these functions unless noted):
 *
 * | Cilium field (v2 API 1.16+ / v1 API <= 1.15)                 | GoBGP setting here                                   | Cilium source (file: function)                                        |
 * |--------------------------------------------------------------|------------------------------------------------------|-----------------------------------------------------------------------|
 * | ClusterConfig / PeeringPolicy whose nodeSelector matches      | one speaker (gobgpd) per node                        | pkg/bgpv1/manager/manager.go: ReconcileInstances / ConfigurePeers     |
 * | bgpInstances[].localASN / virtualRouters[].localASN          | global.config.as                                     | manager.go: getLocalASN / registerBGPServer                           |
 * | NodeConfigOverride routerID / annotation router-id= / node IP| global.config.router-id                              | manager.go: getRouterID / registerBGPServer (annoMap.ResolveRouterID) |
 * | NodeConfigOverride localPort / annotation local-port=; else -1| global.config.port (-1: gobgpd does not listen)      | manager.go: getLocalPort / registerBGPServer (localPort = -1)         |
 * | (always) AdvertiseInactiveRoutes: true                        | global.route-selection-options advertise-inactive-routes | manager.go: registerBGPInstance / registerBGPServer               |
 * | (always) import: allow local routes, reject everything learned| global apply-policy import [allow-local], default reject | pkg/bgpv1/gobgp/server.go: NewGoBGPServer (allowLocalPolicy)     |
 * | (always) export: default reject, accept what is advertised    | global apply-policy export [announce], default reject | pkg/bgpv1/manager/reconcilerv2/policies.go: AddRoutePolicy with DefaultExportAction RoutePolicyActionReject |
 * | peers[].peerAddress, peerASN / neighbors[].peerAddress (a /32 or /128), peerASN | neighbors.config.neighbor-address, peer-as | pkg/bgpv1/gobgp/peer.go: getPeerConfigV2 / getPeerConfigV1, getPeer |
 * | PeerConfig authSecretRef / neighbors[].authSecretRef -> key `password` | neighbors.config.auth-password           | peer.go: getPeerConfigV2/V1 (peer.Conf.AuthPassword = n.Password)     |
 * | transport.peerPort (default 179), local port (v2 transport.localPort, v1 unset) | neighbors.transport.config remote-port / local-port, local-address 0.0.0.0 or :: | peer.go: setPeerTransport |
 * | timers connectRetry/hold/keepAlive (defaults 120/90/30)       | neighbors.timers.config connect-retry, hold-time, keepalive-interval | peer.go: setPeerTimers; v2 bgp_peer_types.go CiliumBGPTimers.SetDefaults; v2alpha1 CiliumBGPNeighbor.SetDefaults |
 * | (always) idle hold after reset 5 s                            | neighbors.timers.config idle-hold-time-after-reset = 5 | pkg/bgpv1/gobgp/server.go: idleHoldTimeAfterResetSeconds; peer.go: setPeerTimers |
 * | ebgpMultihop / eBGPMultihopTTL (default 1)                    | neighbors.ebgp-multihop, only when eBGP and TTL > 1  | peer.go: setPeerEBGPMultihopTTL                                        |
 * | gracefulRestart.enabled, restartTimeSeconds (default 120)     | neighbors.graceful-restart enabled, restart-time, notification-enabled (N bit); gobgpd -r sets local-restarting (R bit) on every GR neighbor | peer.go: setPeerGracefulRestart (NotificationEnabled, LocalRestarting = true); gobgp pkg/config/config.go InitialConfig (-r) |
 * | (GR) per family                                               | neighbors.afi-safis.mp-graceful-restart enabled = GR enabled | peer.go: setPeerGracefulRestart                               |
 * | families[] afi/safi; omitted: v2 ipv6+ipv4, v1 ipv4+ipv6      | neighbors.afi-safis                                  | peer.go: convertBGPNeighborSAFI (defaultSafiAfi); v2 CiliumBGPPeerConfigSpec.SetDefaults; v2alpha1 CiliumBGPNeighbor.SetDefaults |
 * | dual stack: one peer per session, its PeerConfig with that session's one family | one neighbor per peer, that family its only afi-safi (an IPv4 path never goes to an IPv6-only neighbor) | peer.go: convertBGPNeighborSAFI (the families as given) |
 * | Advertisement PodCIDR / exportPodCIDR (each family: its own family's pod CIDRs) | `gobgp global rib add <pod CIDR> origin igp`         | reconcilerv2/pod_cidr.go (getDesiredAFPaths, getDesiredRoutePolicies); reconciler/pod_cidr.go; pkg/bgpv1/types: NewPathForPrefix (ORIGIN IGP) |
 * | Advertisement Service addresses LoadBalancerIP/ClusterIP/ExternalIP + selector / serviceSelector + serviceAdvertisements (default [LoadBalancerIP]) | `gobgp global rib add <address>/32 or /128` once the address is assigned; externalTrafficPolicy (LB, external) or internalTrafficPolicy (ClusterIP) Local: only nodes with a local endpoint | reconcilerv2/service.go: hasLocalEndpoints; reconciler/service.go (v1); v2alpha1 CiliumBGPVirtualRouter.SetDefaults |
 * | attributes communities, localPreference                       | community / large-community / local-pref on the path | reconcilerv2/service.go, pod_cidr.go (route policy actions)            |
 *
 * GoBGP itself (osrg/gobgp pkg/server/server.go: filterpath, `path.RemoveLocalPref()` unless
 * `peer.isIBGPPeer()`) strips LOCAL_PREF towards eBGP peers, so a localPreference only reaches iBGP peers (policy `ebgpLocalPreference`).
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
    /** Set only where Cilium enables it: eBGP and a TTL above 1 (setPeerEBGPMultihopTTL). */
    ebgpMultihop?: number;
    /** Graceful restart on: restart time (Cilium sets notification and local-restarting with it). */
    gracefulRestartSeconds?: number;
    families: IpFamily[];
    /** TCP port the router listens on (transport.peerPort / peerPort, default 179). */
    peerPort: number;
    /** Local TCP port for the outgoing connection; 0 = any (setPeerTransport). */
    localPort: number;
}

/** Cilium's constants, from the source the header table names. */
export const CILIUM_GOBGP = {
    /** pkg/bgpv1/gobgp/server.go idleHoldTimeAfterResetSeconds. */
    idleHoldTimeAfterResetSeconds: 5,
    /** manager.go getLocalPort / registerBGPServer: no local port -> -1, GoBGP does not listen. */
    noListenPort: -1,
    /** v2 bgp_peer_types.go DefaultBGPGRRestartTimeSeconds (also v2alpha1). */
    defaultRestartTimeSeconds: 120,
    /** DefaultBGPPeerPort. */
    defaultPeerPort: 179,
} as const;

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
    /** global.config.port: -1 unless a local port is configured for the instance. */
    listenPort: number;
    peers: SpeakerPeer[];
    announce: Announcement[];
    /** Service address types the objects ask to advertise (LoadBalancerIP, ClusterIP, ExternalIP). */
    serviceAddressTypes: string[];
}

/** The facts about a node that Kubernetes and Cilium hold rather than the BGP objects. */
export interface NodeFacts {
    name: string;
    labels: Record<string, string>;
    address: string;
    podCidr: string;
    /**
     * Dual stack: the node's IPv6 pod CIDR (the IPv6 half's; Node spec.podCIDRs holds both). Each peer
     * family announces the pod CIDRs of its own family only (reconcilerv2/pod_cidr.go: getDesiredAFPaths,
     * getDesiredRoutePolicies: `fam.Afi == AfiIPv4 && prefix.Addr().Is4()`, likewise IPv6).
     */
    secondaryPodCidr?: string;
    /** The plan's router ID: used where Cilium allocates one itself. */
    plannedRouterId: string;
}

export type ServiceAddressType = "LoadBalancerIP" | "ClusterIP" | "ExternalIP";

/** One assigned address of a Service, as far as BGP cares. */
export interface ServiceFacts {
    namespace: string;
    name: string;
    labels: Record<string, string>;
    address: string;
    /** Which kind of address it is (what a Service advertisement's `addresses` selects). */
    addressType: ServiceAddressType;
    /**
     * The traffic policy that applies to this address: externalTrafficPolicy for LoadBalancer and
     * external IPs, internalTrafficPolicy for the ClusterIP (reconcilerv2/service.go: hasLocalEndpoints).
     */
    externalTrafficPolicy: "Cluster" | "Local";
    /** Nodes with a ready endpoint (only matters for `Local`). */
    endpointNodes: string[];
    /**
     * Why the lab knows no endpoint of this Service, when its pods are not the program's (no
     * selector, or one no rendered Deployment's pods match, e.g. smoke.selector): the lab then
     * cannot check its backend, only the address's announcement and routing.
     */
    endpointsOutside?: string;
}

type Obj = Record<string, unknown>;
const asObj = (v: unknown): Obj => (typeof v === "object" && v !== null ? v as Obj : {});
const asArr = (v: unknown): Obj[] => (Array.isArray(v) ? v.map(asObj) : []);
const num = (v: unknown, d: number): number => (typeof v === "number" ? v : d);
const familyOf = (address: string): IpFamily => (address.includes(":") ? "ipv6" : "ipv4");
const stripLength = (a: string): string => a.replace(/\/\d+$/, "");
/** The node's pod CIDRs, IPv4 first (Node spec.podCIDRs). */
const podCidrsOf = (node: NodeFacts): string[] => [node.podCidr, ...(node.secondaryPodCidr ? [node.secondaryPodCidr] : [])];

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
/** Omitted families: v2 CiliumBGPPeerConfigSpec.SetDefaults gives ipv6+ipv4, v1 CiliumBGPNeighbor.SetDefaults ipv4+ipv6. */
const V2_DEFAULT_FAMILIES: Obj[] = [{ afi: "ipv6", safi: "unicast" }, { afi: "ipv4", safi: "unicast" }];
const V1_DEFAULT_FAMILIES: Obj[] = [{ afi: "ipv4", safi: "unicast" }, { afi: "ipv6", safi: "unicast" }];

function communitiesOf(attrs: Obj): { communities: string[]; localPreference?: number } {
    const c = asObj(attrs.communities);
    const list = [...(c.standard as string[] ?? []), ...(c.wellKnown as string[] ?? []), ...(c.large as string[] ?? [])];
    const lp = attrs.localPreference;
    return { communities: list, ...(typeof lp === "number" ? { localPreference: lp } : {}) };
}

function serviceAnnouncements(node: NodeFacts, services: ServiceFacts[], selector: LabelSelector | undefined, addresses: unknown[], attrs: Obj, family: IpFamily[]): Announcement[] {
    // No selector: Cilium announces no Service at all.
    if (!selector) return [];
    return services
        .filter((s) => addresses.includes(s.addressType))
        .filter((s) => selectorMatches(selector, s.labels) && family.includes(familyOf(s.address)))
        .filter((s) => s.externalTrafficPolicy === "Cluster" || s.endpointNodes.includes(node.name))
        .map((s) => ({ prefix: hostPrefix(s.address), family: familyOf(s.address), ...communitiesOf(attrs), reason: `service ${s.namespace}/${s.name} ${s.addressType}` }));
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

/** getLocalPort (v2: NodeConfigOverride localPort, else the annotation) / registerBGPServer (v1: annotation local-port=); else -1. */
function listenPortFor(objects: K8sObject[], node: NodeFacts, asn: number, v2: boolean): number {
    if (v2) {
        for (const o of objects.filter((x) => x.kind === "CiliumBGPNodeConfigOverride" && x.metadata.name === node.name)) {
            for (const inst of asArr(asObj(o.spec).bgpInstances)) {
                if (typeof inst.localPort === "number" && inst.localPort !== 0) return inst.localPort;
            }
        }
    }
    for (const o of objects.filter((x) => x.kind === "Node" && x.metadata.name === node.name)) {
        const a = o.metadata.annotations?.[`cilium.io/bgp-virtual-router.${asn}`];
        const m = a ? /local-port=(\d+)/.exec(a) : null;
        if (m && Number(m[1]) !== 0) return Number(m[1]);
    }
    return CILIUM_GOBGP.noListenPort;
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

/** SetDefaults treats 0 like unset. */
const orDefault = (v: unknown, d: number): number => (typeof v === "number" && v !== 0 ? v : d);

/** A peer from either API's fields, with Cilium's defaults (SetDefaults) for what is left out. */
function speakerPeer(localAsn: number, name: string, address: string, asn: unknown, password: string | undefined,
    timers: { hold: unknown; keepalive: unknown; connectRetry: unknown }, multihop: unknown, gr: Obj, families: IpFamily[],
    transport: { peerPort: unknown; localPort: unknown }): SpeakerPeer {
    const peerAsn = num(asn, 0);
    // setPeerEBGPMultihopTTL: only for eBGP and a TTL above 1 (the default is 1: off).
    const ttl = orDefault(multihop, 1);
    return {
        name, address, asn: peerAsn,
        ...(password !== undefined ? { password } : {}),
        holdTimeSeconds: orDefault(timers.hold, CILIUM_TIMER_DEFAULTS.holdTimeSeconds),
        keepAliveTimeSeconds: orDefault(timers.keepalive, CILIUM_TIMER_DEFAULTS.keepAliveTimeSeconds),
        connectRetryTimeSeconds: orDefault(timers.connectRetry, CILIUM_TIMER_DEFAULTS.connectRetryTimeSeconds),
        ...(peerAsn !== localAsn && ttl > 1 ? { ebgpMultihop: ttl } : {}),
        ...(gr.enabled === true ? { gracefulRestartSeconds: orDefault(gr.restartTimeSeconds, CILIUM_GOBGP.defaultRestartTimeSeconds) } : {}),
        families,
        peerPort: orDefault(transport.peerPort, CILIUM_GOBGP.defaultPeerPort),
        localPort: num(transport.localPort, 0),
    };
}

function translateV2(objects: K8sObject[], node: NodeFacts, services: ServiceFacts[]): SpeakerConfig | undefined {
    const inst = instanceFor(objects, "CiliumBGPClusterConfig", "bgpInstances", node);
    if (!inst) return undefined;
    const asn = num(inst.localASN, 0);
    const peers: SpeakerPeer[] = [];
    const announce = new Map<string, Announcement>();
    const addressTypes = new Set<string>();
    for (const p of asArr(inst.peers)) {
        const ref = asObj(p.peerConfigRef).name;
        const pc = objects.find((o) => o.kind === "CiliumBGPPeerConfig" && o.metadata.name === ref);
        if (!pc) throw new TranslationError(`peer ${String(p.name)}: peerConfigRef ${String(ref)} names no CiliumBGPPeerConfig`);
        const spec = asObj(pc.spec);
        const timers = asObj(spec.timers);
        const given = asArr(spec.families);
        const fams = given.length > 0 ? given : V2_DEFAULT_FAMILIES;
        const transport = asObj(spec.transport);
        peers.push(speakerPeer(asn, String(p.name), String(p.peerAddress), p.peerASN, passwordOf(objects, spec.authSecretRef),
            { hold: timers.holdTimeSeconds, keepalive: timers.keepAliveTimeSeconds, connectRetry: timers.connectRetryTimeSeconds },
            spec.ebgpMultihop, asObj(spec.gracefulRestart), familiesOf(fams), { peerPort: transport.peerPort, localPort: transport.localPort }));
        // What each family advertises: the Advertisements whose labels its selector matches.
        for (const f of fams) {
            const fam = familiesOf([f]);
            const adverts = objects.filter((o) => o.kind === "CiliumBGPAdvertisement"
                && f.advertisements !== undefined && selectorMatches(f.advertisements as LabelSelector, o.metadata.labels ?? {}));
            for (const ad of adverts) {
                for (const a of asArr(asObj(ad.spec).advertisements)) {
                    const attrs = asObj(a.attributes);
                    if (a.advertisementType === "PodCIDR") {
                        for (const cidr of podCidrsOf(node).filter((c) => fam.includes(familyOf(c)))) {
                            announce.set(cidr, { prefix: cidr, family: familyOf(cidr), ...communitiesOf(attrs), reason: "pod CIDR" });
                        }
                    }
                    if (a.advertisementType === "Service") {
                        const addresses = (asObj(a.service).addresses as unknown[] | undefined) ?? [];
                        for (const t of addresses) if (typeof t === "string") addressTypes.add(t);
                        for (const s of serviceAnnouncements(node, services, a.selector as LabelSelector | undefined, addresses, attrs, fam)) announce.set(s.prefix, s);
                    }
                }
            }
        }
    }
    const rid = routerIdFor(objects, node, asn);
    return { node: node.name, asn, routerId: rid.routerId, routerIdSource: rid.source, listenPort: listenPortFor(objects, node, asn, true),
        peers, announce: [...announce.values()], serviceAddressTypes: [...addressTypes].sort() };
}

function translateV1(objects: K8sObject[], node: NodeFacts, services: ServiceFacts[]): SpeakerConfig | undefined {
    const vr = instanceFor(objects, "CiliumBGPPeeringPolicy", "virtualRouters", node);
    if (!vr) return undefined;
    const asn = num(vr.localASN, 0);
    const peers: SpeakerPeer[] = [];
    const announce = new Map<string, Announcement>();
    // v2alpha1 CiliumBGPVirtualRouter.SetDefaults: serviceAdvertisements default [LoadBalancerIP].
    const serviceAdvertisements = (vr.serviceAdvertisements as unknown[] | undefined) ?? ["LoadBalancerIP"];
    for (const n of asArr(vr.neighbors)) {
        const given = asArr(n.families);
        const fams = familiesOf(given.length > 0 ? given : V1_DEFAULT_FAMILIES);
        // getPeerConfigV1: the local port is never set on v1.
        peers.push(speakerPeer(asn, String(n.peerAddress), stripLength(String(n.peerAddress)), n.peerASN, passwordOf(objects, n.authSecretRef),
            { hold: n.holdTimeSeconds, keepalive: n.keepAliveTimeSeconds, connectRetry: n.connectRetryTimeSeconds },
            n.eBGPMultihopTTL, asObj(n.gracefulRestart), fams, { peerPort: n.peerPort, localPort: 0 }));
        const podAttrs = asArr(n.advertisedPathAttributes).find((x) => x.selectorType === "PodCIDR") ?? {};
        if (vr.exportPodCIDR === true) {
            for (const cidr of podCidrsOf(node).filter((c) => fams.includes(familyOf(c)))) {
                announce.set(cidr, { prefix: cidr, family: familyOf(cidr), ...communitiesOf(podAttrs), reason: "pod CIDR" });
            }
        }
        for (const s of serviceAnnouncements(node, services, vr.serviceSelector as LabelSelector | undefined, serviceAdvertisements, {}, fams)) announce.set(s.prefix, s);
    }
    const rid = routerIdFor(objects, node, asn);
    const addressTypes = vr.serviceSelector ? serviceAdvertisements.filter((t): t is string => typeof t === "string") : [];
    return { node: node.name, asn, routerId: rid.routerId, routerIdSource: rid.source, listenPort: listenPortFor(objects, node, asn, false),
        peers, announce: [...announce.values()], serviceAddressTypes: [...new Set(addressTypes)].sort() };
}

/** The speaker for one node, or a TranslationError saying what the objects lack. */
export function translateNode(objects: K8sObject[], node: NodeFacts, services: ServiceFacts[]): SpeakerConfig {
    const out = selectedSpeaker(objects, node, services);
    if (!out) throw new TranslationError(`node ${node.name}: no BGP cluster config or peering policy selects it (labels ${JSON.stringify(node.labels)})`);
    return out;
}

/**
 * The speaker for one node, or undefined when no cluster config or peering policy selects it:
 * Cilium then runs no BGP instance there (bgpv1 controller.go reconcile: no policy for the node
 * removes every BGP server; bgpv2 likewise with no selecting CiliumBGPClusterConfig).
 */
export function selectedSpeaker(objects: K8sObject[], node: NodeFacts, services: ServiceFacts[]): SpeakerConfig | undefined {
    return translateV2(objects, node, services) ?? translateV1(objects, node, services);
}

/**
 * gobgpd for a node that runs no BGP instance: no neighbor, no listening socket (port -1), nothing
 * exported. On the wire it is what Cilium does there (no session, no route); the engines start one
 * gobgpd per lab node, so the node gets this idle one rather than none.
 */
export function idleGobgpdConfig(node: string, routerId: string, asn: number): string {
    return renderGobgpdConfig({ node, asn, routerId, routerIdSource: "plan (no BGP instance)", listenPort: -1, peers: [], announce: [], serviceAddressTypes: [] })
        .replace(/^# gobgpd for node .*$/m, `# gobgpd for node ${node}: no BGP cluster config or peering policy selects it, so Cilium runs no BGP instance there (lab/speaker.ts idleGobgpdConfig)`);
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
 * gobgpd's TOML configuration for a speaker, as Cilium programs its embedded GoBGP (see the table
 * above). Deterministic: peers keep the objects' order. Run it with `gobgpd -r` (GOBGPD_FLAGS) so
 * that graceful-restart neighbors carry local-restarting, as setPeerGracefulRestart sets it.
 * `extraPrefixes` are exported as well (the lab's foreign prefix for the filter test).
 */
export function renderGobgpdConfig(s: SpeakerConfig, extraPrefixes: string[] = []): string {
    const exported = [...new Set([...s.announce.map((a) => a.prefix), ...extraPrefixes])];
    const l: string[] = [
        `# gobgpd for node ${s.node}, translated from the rendered Cilium objects (lab/speaker.ts)`,
        "[global.config]",
        `  as = ${s.asn}`,
        `  router-id = ${q(s.routerId)}`,
        // -1: no listening socket; the node only connects out (manager.go getLocalPort).
        `  port = ${s.listenPort}`,
        "[global.route-selection-options.config]",
        "  advertise-inactive-routes = true",
        "[global.apply-policy.config]",
        // NewGoBGPServer: accept local routes, reject every route a peer sends.
        `  import-policy-list = ["allow-local"]`,
        `  default-import-policy = "reject-route"`,
        ...(exported.length > 0 ? [`  export-policy-list = ["announce"]`] : []),
        `  default-export-policy = "reject-route"`,
    ];
    for (const p of s.peers) {
        const wildcard = p.address.includes(":") ? "::" : "0.0.0.0";
        l.push("", "[[neighbors]]", "  [neighbors.config]",
            `    neighbor-address = ${q(p.address)}`,
            `    peer-as = ${p.asn}`,
            `    description = ${q(p.name)}`);
        if (p.password !== undefined) l.push(`    auth-password = ${q(p.password)}`);
        l.push("  [neighbors.transport.config]",
            `    local-address = ${q(wildcard)}`,
            `    remote-port = ${p.peerPort}`);
        if (p.localPort !== 0) l.push(`    local-port = ${p.localPort}`);
        l.push("  [neighbors.timers.config]",
            `    hold-time = ${p.holdTimeSeconds}`,
            `    keepalive-interval = ${p.keepAliveTimeSeconds}`,
            `    connect-retry = ${p.connectRetryTimeSeconds}`,
            `    idle-hold-time-after-reset = ${CILIUM_GOBGP.idleHoldTimeAfterResetSeconds}`);
        if (p.ebgpMultihop !== undefined) l.push("  [neighbors.ebgp-multihop.config]", "    enabled = true", `    multihop-ttl = ${p.ebgpMultihop}`);
        if (p.gracefulRestartSeconds !== undefined) {
            l.push("  [neighbors.graceful-restart.config]", "    enabled = true", `    restart-time = ${p.gracefulRestartSeconds}`,
                "    notification-enabled = true");
        }
        for (const f of p.families) {
            l.push("  [[neighbors.afi-safis]]", "    [neighbors.afi-safis.config]", `      afi-safi-name = "${f}-unicast"`);
            if (p.gracefulRestartSeconds !== undefined) l.push("    [neighbors.afi-safis.mp-graceful-restart.config]", "      enabled = true");
        }
    }
    if (exported.length > 0) {
        l.push("", "[[defined-sets.prefix-sets]]", `  prefix-set-name = "announce"`);
        for (const p of exported) l.push("  [[defined-sets.prefix-sets.prefix-list]]", `    ip-prefix = ${q(p)}`);
    }
    l.push("", "[[policy-definitions]]", `  name = "allow-local"`, "  [[policy-definitions.statements]]", `    name = "local-routes"`,
        "    [policy-definitions.statements.conditions.bgp-conditions]", `      route-type = "local"`,
        "    [policy-definitions.statements.actions]", `      route-disposition = "accept-route"`);
    if (exported.length > 0) {
        l.push("", "[[policy-definitions]]", `  name = "announce"`, "  [[policy-definitions.statements]]", `    name = "own-prefixes"`,
            "    [policy-definitions.statements.conditions.match-prefix-set]", `      prefix-set = "announce"`,
            "    [policy-definitions.statements.actions]", `      route-disposition = "accept-route"`);
    }
    return `${l.join("\n")}\n`;
}

/** gobgpd's flags: -r sets local-restarting (R bit) on every graceful-restart neighbor, as Cilium does. */
export const GOBGPD_FLAGS = ["-r", "-p", "--pprof-disable"] as const;

/** The `gobgp` command that injects one announcement into the speaker's RIB. */
export function announceCommand(a: Announcement): string[] {
    // Cilium's paths carry ORIGIN IGP (pkg/bgpv1/types: NewPathForPrefix).
    const argv = ["gobgp", "global", "rib", "-a", a.family, "add", a.prefix, "origin", "igp"];
    const standard = a.communities.filter((c) => !/^\d+:\d+:\d+$/.test(c));
    const large = a.communities.filter((c) => /^\d+:\d+:\d+$/.test(c));
    if (standard.length > 0) argv.push("community", standard.join(","));
    if (large.length > 0) argv.push("large-community", large.join(","));
    if (a.localPreference !== undefined) argv.push("local-pref", String(a.localPreference));
    return argv;
}

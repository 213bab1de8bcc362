/**
 * What the BGP renderers need, as plain resolved data: every default applied, nothing from the
 * stack configuration or the address plan. CiliumBgp builds it from its Args (args.ts); the
 * program builds the same from the plan (fromPlan.ts). Pure.
 */
import type { IpFamily, LabelSelector, StackFamily } from "../config/types";
import type { PeerTimers } from "./common";

export interface BgpPeerSpec {
    /** The router's name (v2 peer name). */
    name: string;
    /** Peer address, without prefix length. */
    address: string;
    asn: number;
    type: "ibgp" | "ebgp";
    /** The session's family (a dual stack has one session per family and router). */
    family: IpFamily;
}

export interface BgpGroupSpec {
    /** "" for one object for the whole cluster, else a suffix of the object names. */
    suffix: string;
    /** The group's cluster config (v1: peering policy) name. */
    name: string;
    nodeSelector: LabelSelector;
    /** v1: this group's own serviceSelector (else BgpSpec.serviceSelector). */
    serviceSelector?: LabelSelector;
    localAsn: number;
    peers: BgpPeerSpec[];
}

export interface BgpSpec {
    /** Cilium line, e.g. "1.18". */
    line: string;
    /** The BGP API the objects are rendered for (v1 peering policies or the v2 kinds). */
    controlPlane: "v1" | "v2";
    family: StackFamily;
    groups: BgpGroupSpec[];
    timers: PeerTimers;
    gracefulRestart: { enabled: boolean; restartTimeSeconds: number };
    ebgpMultihop?: number;
    /** Secret the peers authenticate with; absent = no authentication. */
    authSecretName?: string;
    /** Announce the nodes' pod CIDRs. */
    advertisePodCidr: boolean;
    /** PodCIDR path attributes (communities, localPreference), absent when none. */
    podCidrAttributes?: Record<string, unknown>;
    serviceAddresses: string[];
    serviceSelector: LabelSelector;
    /** Router IDs of IPv6-only nodes (used where Cilium cannot allocate them). */
    nodeRouterIds: { node: string; asn: number; routerId: string }[];
    /** Object names: peerConfig absent = cilium-peer-<type>. */
    names: { peerConfig?: string; podCidrAdvertisement: string; serviceAdvertisement: string };
}

/**
 * The v2 peer config name of a session type (and on a dual stack, family): the configured name
 * (suffixed when both types exist) or cilium-peer-<type>; a dual stack appends -<family>.
 */
export function specPeerConfigName(spec: BgpSpec, type: "ibgp" | "ebgp", family: IpFamily): string {
    const given = spec.names.peerConfig;
    const base = given === undefined ? `cilium-peer-${type}` : sessionTypes(spec).length > 1 ? `${given}-${type}` : given;
    return spec.family === "dual" ? `${base}-${family}` : base;
}

/** The v2 peer name of a session: the router's, with -<family> on a dual stack (a router is a peer once per family). */
export const specPeerName = (spec: BgpSpec, peer: BgpPeerSpec): string => (spec.family === "dual" ? `${peer.name}-${peer.family}` : peer.name);

/** Session types in use, sorted (one v2 peer config each). */
export const sessionTypes = (spec: BgpSpec): ("ibgp" | "ebgp")[] =>
    [...new Set(spec.groups.flatMap((g) => g.peers.map((p) => p.type)))].sort();

/** (type, family) pairs in use, sorted: one v2 peer config each. */
export const sessionKinds = (spec: BgpSpec): { type: "ibgp" | "ebgp"; family: IpFamily }[] =>
    [...new Set(spec.groups.flatMap((g) => g.peers.map((p) => `${p.type}|${p.family}`)))].sort()
        .map((k) => { const [type, family] = k.split("|"); return { type: type as "ibgp" | "ebgp", family: family as IpFamily }; });

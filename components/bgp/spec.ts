/**
 * What the BGP renderers need, as plain resolved data: every default applied, nothing from the
 * stack configuration or the address plan. CiliumBgp builds it from its Args (args.ts); the
 * program builds the same from the plan (fromPlan.ts). Pure.
 */
import type { IpFamily, LabelSelector } from "../config/types";
import type { PeerTimers } from "./common";

export interface BgpPeerSpec {
    /** The router's name (v2 peer name). */
    name: string;
    /** Peer address, without prefix length. */
    address: string;
    asn: number;
    type: "ibgp" | "ebgp";
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
    family: IpFamily;
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

/** The v2 peer config name of a session type: the configured name (suffixed when both types exist) or cilium-peer-<type>. */
export function specPeerConfigName(spec: BgpSpec, type: "ibgp" | "ebgp"): string {
    const given = spec.names.peerConfig;
    if (given === undefined) return `cilium-peer-${type}`;
    return sessionTypes(spec).length > 1 ? `${given}-${type}` : given;
}

/** Session types in use, sorted (one v2 peer config each). */
export const sessionTypes = (spec: BgpSpec): ("ibgp" | "ebgp")[] =>
    [...new Set(spec.groups.flatMap((g) => g.peers.map((p) => p.type)))].sort();

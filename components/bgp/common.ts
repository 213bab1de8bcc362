/** Pieces both BGP APIs (v1 peering policies, v2 cluster configs) render the same way. */
import type { BgpConfig, FabricConfig, IpFamily } from "../config/types";
import type { BgpSpec } from "./spec";

export const ADVERTISE_LABEL = { advertise: "bgp" } as const;
export const CLUSTER_CONFIG_BASENAME = "cilium-bgp";

export const instanceName = (asn: number): string => `instance-${asn}`;
export const objectName = (base: string, suffix: string): string => (suffix ? `${base}-${suffix}` : base);

const WELL_KNOWN = new Set(["internet", "planned-shut", "accept-own", "route-filter-translated-v4", "route-filter-v4",
    "route-filter-translated-v6", "route-filter-v6", "llgr-stale", "no-llgr", "blackhole", "no-export", "no-advertise",
    "no-export-subconfed", "no-peer"]);

/** Cilium's community attribute: "a:b" standard, "a:b:c" large, names well-known. */
export function communities(values: string[]): Record<string, string[]> | undefined {
    const out: Record<string, string[]> = {};
    const add = (k: string, v: string): void => { (out[k] ??= []).push(v); };
    for (const c of values) {
        if (WELL_KNOWN.has(c)) add("wellKnown", c);
        else if (/^\d+:\d+:\d+$/.test(c)) add("large", c);
        else add("standard", c);
    }
    return Object.keys(out).length > 0 ? out : undefined;
}

/** PodCIDR path attributes (communities, local preference), or undefined when none are configured. */
export function podCidrAttributes(config: FabricConfig): Record<string, unknown> | undefined {
    const attrs: Record<string, unknown> = {};
    const c = communities(config.bgp.podCidrAdvertisement.communities);
    if (c) attrs.communities = c;
    if (config.bgp.podCidrAdvertisement.localPreference !== undefined) attrs.localPreference = config.bgp.podCidrAdvertisement.localPreference;
    return Object.keys(attrs).length > 0 ? attrs : undefined;
}

export const families = (family: IpFamily): { afi: IpFamily; safi: "unicast" }[] => [{ afi: family, safi: "unicast" }];

/** Session timers in the CRDs' field names: v2 nests them under `timers`, v1 has them flat on the neighbor. */
export interface PeerTimers { holdTimeSeconds: number; keepAliveTimeSeconds: number; connectRetryTimeSeconds: number }

/**
 * What config.bgp sets on every session of a type, in v2 peer-config field names and order
 * (v1 neighbors spread the timers flat and call ebgpMultihop eBGPMultihopTTL).
 */
export interface PeerSettings {
    authSecretRef?: string;
    timers: PeerTimers;
    /** eBGP sessions only: multihop means nothing (and is refused) on iBGP. */
    ebgpMultihop?: number;
    gracefulRestart: BgpConfig["gracefulRestart"];
    families: ReturnType<typeof families>;
}

export function peerSettings(config: FabricConfig, type: "ibgp" | "ebgp", family: IpFamily): PeerSettings {
    const bgp = config.bgp;
    const timers: PeerTimers = {
        holdTimeSeconds: bgp.holdTimeSeconds,
        keepAliveTimeSeconds: bgp.keepaliveTimeSeconds,
        connectRetryTimeSeconds: bgp.connectRetryTimeSeconds,
    };
    return {
        ...(bgp.authentication ? { authSecretRef: bgp.authSecretName } : {}),
        timers,
        ...(type === "ebgp" && bgp.ebgpMultihop !== undefined ? { ebgpMultihop: bgp.ebgpMultihop } : {}),
        gracefulRestart: { ...bgp.gracefulRestart },
        families: families(family),
    };
}

/** peerSettings from the renderers' resolved data (spec.ts), for sessions of one type and family. */
export function specPeerSettings(spec: BgpSpec, type: "ibgp" | "ebgp", family: IpFamily): PeerSettings {
    return {
        ...(spec.authSecretName !== undefined ? { authSecretRef: spec.authSecretName } : {}),
        timers: { ...spec.timers },
        ...(type === "ebgp" && spec.ebgpMultihop !== undefined ? { ebgpMultihop: spec.ebgpMultihop } : {}),
        gracefulRestart: { ...spec.gracefulRestart },
        families: families(family),
    };
}

export const hostPrefix = (address: string): string => `${address}/${address.includes(":") ? 128 : 32}`;

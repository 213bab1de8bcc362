/**
 * CiliumBgp's arguments: the Cilium side of the BGP sessions (who the nodes peer with, how, and
 * what they announce), independent of the stack configuration and of how the routers are run.
 */
import * as pulumi from "@pulumi/pulumi";
import { ciliumApi, type BgpControlPlane } from "../cilium/api";
import { type LabelSelectorArgs, ciliumLineOf, ipFamilyOf, labelSelector, stackFamilyOf } from "../shared/args";
import { CLUSTER_CONFIG_BASENAME, communities, objectName } from "./common";
import { MATCH_ALL } from "./selectors";
import type { BgpSpec } from "./spec";

/** A router the nodes of a group open a BGP session to. */
export interface BgpPeerArgs {
    /** The peer's name (the v2 peer name, e.g. the router's hostname). */
    name: string;
    /** The router's address on the nodes' subnet, without prefix length. */
    address: string;
    /** The router's ASN; equal to the group's localAsn means iBGP, else eBGP. */
    asn: number;
    /** ipFamily dual: the session's family, ipv4 or ipv6 (one session per family, each carrying only its own). Default: the stack's family. */
    family?: string;
}

/** Nodes that share their peers and ASN: one CiliumBGPClusterConfig (or v1 CiliumBGPPeeringPolicy). */
export interface BgpNodeGroupArgs {
    /**
     * Suffix of the object's name (`cilium-bgp-<suffix>`). Default: none (`cilium-bgp`), which
     * only one group may use.
     */
    suffix?: string;
    /**
     * Name of the group's CiliumBGPClusterConfig (v1: CiliumBGPPeeringPolicy), e.g. seed 002's
     * `rack0`. Default: objectNames.clusterConfig, with `-<suffix>` when the group has a suffix.
     */
    name?: string;
    /** Nodes of the group. */
    nodeSelector: LabelSelectorArgs;
    /**
     * Services whose addresses this group's nodes announce (seed 004: one selector per rack).
     * v1 only (a peering policy's serviceSelector); v2 selects advertisements per peer config.
     * Default: serviceSelector.
     */
    serviceSelector?: LabelSelectorArgs;
    /** The nodes' ASN. */
    localAsn: number;
    /** Routers every node of the group peers with. */
    peers: BgpPeerArgs[];
}

/** BGP graceful restart of every session. */
export interface GracefulRestartArgs {
    /** Default true. */
    enabled?: boolean;
    /** Default 120. */
    restartTimeSeconds?: number;
}

/** Names of the BGP objects that are not per node group. */
export interface BgpObjectNamesArgs {
    /** Base name of the cluster configs (v1: peering policies): `<name>` for one group, `<name>-<suffix>` per group. Default cilium-bgp. */
    clusterConfig?: string;
    /**
     * Name of the v2 CiliumBGPPeerConfig; when iBGP and eBGP sessions both exist, `-ibgp` and
     * `-ebgp` are appended. Default: cilium-peer-ibgp / cilium-peer-ebgp.
     */
    peerConfig?: string;
    /** Name of the v2 PodCIDR CiliumBGPAdvertisement. Default bgp-podcidr. */
    podCidrAdvertisement?: string;
    /** Name of the v2 Service CiliumBGPAdvertisement. Default bgp-services. */
    serviceAdvertisement?: string;
}

/** Router ID of one IPv6-only node. */
export interface NodeRouterIdArgs {
    /** Kubernetes node name. */
    node: string;
    /** The node's ASN (names its BGP instance). */
    asn: number;
    /** A 32-bit router ID, dotted quad. */
    routerId: string;
}

export interface CiliumBgpArgs {
    /** Cilium version (e.g. 1.18.12) or line (1.18): 1.15 gets v1 CiliumBGPPeeringPolicy objects, 1.16+ the v2 kinds. */
    ciliumVersion: string;
    /**
     * BGP API: v2 (CiliumBGPClusterConfig and friends) or v1 (CiliumBGPPeeringPolicy, served by
     * Cilium 1.15 to 1.18, deprecated in 1.18). Default: v2, or v1 on 1.15.
     */
    controlPlane?: string;
    /** Address family of the sessions and routes: ipv4 (default), ipv6 (IPv6-only) or dual (each peer names its family). */
    ipFamily?: string;
    /** Node groups and their peers; every node should be selected by exactly one group. */
    nodeGroups: BgpNodeGroupArgs[];
    /** Hold time, seconds. Default 9. */
    holdTimeSeconds?: number;
    /** Keepalive interval, seconds. Default 3. */
    keepaliveTimeSeconds?: number;
    /** Connect retry interval, seconds. Default 5. */
    connectRetryTimeSeconds?: number;
    /** Graceful restart. Default enabled, 120 s. */
    gracefulRestart?: GracefulRestartArgs;
    /** eBGP multihop TTL of eBGP sessions. Default: unset (directly connected). */
    ebgpMultihop?: number;
    /**
     * TCP MD5 password of every session. When set, a Secret holding it is created and every peer
     * references it; when absent, sessions are unauthenticated. Keep it a secret.
     */
    password?: pulumi.Input<string>;
    /** Name of the password Secret. Default bgp-auth-secret. */
    authSecretName?: string;
    /** Namespace Cilium reads BGP secrets from (its Helm bgpControlPlane.secretsNamespace). Default kube-system. */
    secretsNamespace?: string;
    /** Announce every node's pod CIDR (v1 exportPodCIDR, v2 a PodCIDR advertisement). Default true. */
    advertisePodCidr?: boolean;
    /** Communities of the PodCIDR routes: "a:b" standard, "a:b:c" large, or well-known names. Default none. */
    podCidrCommunities?: string[];
    /** Local preference of the PodCIDR routes (iBGP). Default unset. */
    podCidrLocalPreference?: number;
    /** Service addresses announced: LoadBalancerIP, ClusterIP, ExternalIP. Default [LoadBalancerIP]; empty announces none. */
    serviceAddresses?: string[];
    /** Services whose addresses are announced. Default: every Service. */
    serviceSelector?: LabelSelectorArgs;
    /**
     * Router IDs of IPv6-only nodes, which have no IPv4 address to derive one from. Used on
     * Cilium 1.15 (node annotations) and 1.16/1.17 (CiliumBGPNodeConfigOverride); 1.18+
     * allocates them from its Helm routerIDAllocation pool instead. Default none.
     */
    nodeRouterIds?: NodeRouterIdArgs[];
    /** Names of the objects (seed 000: cilium-bgp, cilium-peer, bgp-advertisements...). Default: see BgpObjectNamesArgs. */
    objectNames?: BgpObjectNamesArgs;
}

const SERVICE_ADDRESS_TYPES = new Set(["LoadBalancerIP", "ClusterIP", "ExternalIP"]);
export const BGP_DEFAULTS = {
    holdTimeSeconds: 9, keepaliveTimeSeconds: 3, connectRetryTimeSeconds: 5, restartTimeSeconds: 120,
    authSecretName: "bgp-auth-secret", secretsNamespace: "kube-system", serviceAddresses: ["LoadBalancerIP"],
    podCidrAdvertisementName: "bgp-podcidr", serviceAdvertisementName: "bgp-services",
} as const;

/** Two groups may not render objects of one name (the second would replace the first). */
function checkUniqueNames<T extends { name: string }>(groups: T[]): T[] {
    const seen = new Map<string, number>();
    groups.forEach((g, i) => {
        const first = seen.get(g.name);
        if (first !== undefined) throw new Error(`nodeGroups[${i}]: its object name ${g.name} is already nodeGroups[${first}]'s`);
        seen.set(g.name, i);
    });
    return groups;
}

/** The BGP API for a line: the one asked for if the line serves it (else an error naming the argument), or the line's default. */
export function controlPlaneOf(line: string, asked: string | undefined): BgpControlPlane {
    const api = ciliumApi(line);
    if (asked === undefined) return api.bgpApi;
    if (asked !== "v1" && asked !== "v2") throw new Error(`controlPlane: "${asked}" is not v1 or v2`);
    if (!api.bgpApisServed.includes(asked)) {
        throw new Error(`controlPlane: ${asked} is not served by Cilium ${line} (it serves ${api.bgpApisServed.join(", ")})`);
    }
    return asked;
}

/** A peer's session family: the stack's, or on a dual stack the one the peer names (required there). */
function peerFamily(stack: "ipv4" | "ipv6" | "dual", given: string | undefined, where: string): "ipv4" | "ipv6" {
    if (stack !== "dual") {
        if (given !== undefined && given !== stack) throw new Error(`${where}: "${given}" is not the stack's family (${stack})`);
        return stack;
    }
    if (given === undefined) throw new Error(`${where}: required with ipFamily dual (ipv4 or ipv6)`);
    return ipFamilyOf(given, where);
}

/** The renderers' data from the arguments, defaults applied. `authenticated`: peers reference the Secret. */
export function resolveBgpSpec(args: CiliumBgpArgs, authenticated: boolean): BgpSpec {
    const family = stackFamilyOf(args.ipFamily, "ipFamily");
    const line = ciliumLineOf(args.ciliumVersion);
    if (args.nodeGroups.length === 0) throw new Error("nodeGroups: at least one group is needed");
    if (args.nodeGroups.length > 1 && args.nodeGroups.some((g) => (g.suffix ?? "") === "" && g.name === undefined)) {
        throw new Error("nodeGroups: with more than one group, each needs a suffix or a name");
    }
    const controlPlane = controlPlaneOf(line, args.controlPlane);
    args.nodeGroups.forEach((g, i) => {
        if (g.serviceSelector !== undefined && controlPlane === "v2") {
            throw new Error(`nodeGroups[${i}].serviceSelector: needs controlPlane v1 (a v2 Service advertisement is selected per peer config, not per node group); use serviceSelector for every group`);
        }
    });
    const names = args.objectNames ?? {};
    const base = names.clusterConfig ?? CLUSTER_CONFIG_BASENAME;
    const serviceAddresses = [...(args.serviceAddresses ?? BGP_DEFAULTS.serviceAddresses)];
    for (const a of serviceAddresses) {
        if (!SERVICE_ADDRESS_TYPES.has(a)) throw new Error(`serviceAddresses: "${a}" is not one of LoadBalancerIP, ClusterIP, ExternalIP`);
    }
    const attrs: Record<string, unknown> = {};
    const c = communities(args.podCidrCommunities ?? []);
    if (c) attrs.communities = c;
    if (args.podCidrLocalPreference !== undefined) attrs.localPreference = args.podCidrLocalPreference;
    return {
        line,
        controlPlane,
        family,
        groups: checkUniqueNames(args.nodeGroups.map((g, i) => ({
            suffix: g.suffix ?? "",
            name: g.name ?? objectName(base, g.suffix ?? ""),
            nodeSelector: labelSelector(g.nodeSelector, `nodeGroups[${i}].nodeSelector`),
            ...(g.serviceSelector !== undefined ? { serviceSelector: labelSelector(g.serviceSelector, `nodeGroups[${i}].serviceSelector`) } : {}),
            localAsn: g.localAsn,
            peers: g.peers.map((p, j) => ({
                name: p.name, address: p.address, asn: p.asn, type: p.asn === g.localAsn ? "ibgp" : "ebgp",
                family: peerFamily(family, p.family, `nodeGroups[${i}].peers[${j}].family`),
            })),
        }))),
        timers: {
            holdTimeSeconds: args.holdTimeSeconds ?? BGP_DEFAULTS.holdTimeSeconds,
            keepAliveTimeSeconds: args.keepaliveTimeSeconds ?? BGP_DEFAULTS.keepaliveTimeSeconds,
            connectRetryTimeSeconds: args.connectRetryTimeSeconds ?? BGP_DEFAULTS.connectRetryTimeSeconds,
        },
        gracefulRestart: {
            enabled: args.gracefulRestart?.enabled ?? true,
            restartTimeSeconds: args.gracefulRestart?.restartTimeSeconds ?? BGP_DEFAULTS.restartTimeSeconds,
        },
        ...(args.ebgpMultihop !== undefined ? { ebgpMultihop: args.ebgpMultihop } : {}),
        ...(authenticated ? { authSecretName: args.authSecretName ?? BGP_DEFAULTS.authSecretName } : {}),
        advertisePodCidr: args.advertisePodCidr ?? true,
        ...(Object.keys(attrs).length > 0 ? { podCidrAttributes: attrs } : {}),
        serviceAddresses,
        serviceSelector: args.serviceSelector ? labelSelector(args.serviceSelector, "serviceSelector") : MATCH_ALL,
        nodeRouterIds: (args.nodeRouterIds ?? []).map((n) => ({ ...n })),
        names: {
            ...(names.peerConfig !== undefined ? { peerConfig: names.peerConfig } : {}),
            podCidrAdvertisement: names.podCidrAdvertisement ?? BGP_DEFAULTS.podCidrAdvertisementName,
            serviceAdvertisement: names.serviceAdvertisement ?? BGP_DEFAULTS.serviceAdvertisementName,
        },
    };
}

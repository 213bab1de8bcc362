/**
 * BGP control plane v1 (Cilium 1.15, and 1.16-1.18 with bgp.controlPlane v1; seeds 002-004):
 * CiliumBGPPeeringPolicy per node group, and the router-ID annotations IPv6-only nodes need
 * (seed 001). The policy is cilium.io/v2alpha1 on every line that serves it.
 */
import type { FabricConfig } from "../config/types";
import type { AddressPlan } from "../plan/types";
import { CILIUM_GROUP, type K8sObject } from "../cilium/api";
import { hostPrefix, specPeerSettings } from "./common";
import { bgpSpecFromPlan } from "./fromPlanSpec";
import type { BgpSpec } from "./spec";

export const PEERING_POLICY_API_VERSION = `${CILIUM_GROUP}/v2alpha1`;

export function renderV1Objects(config: FabricConfig, plan: AddressPlan): K8sObject[] {
    return renderV1(bgpSpecFromPlan(config, plan));
}

export function renderV1(spec: BgpSpec): K8sObject[] {
    const attrs = spec.podCidrAttributes;
    return spec.groups.map((g): K8sObject => {
        const neighbors = g.peers.map((s) => {
            const { authSecretRef, timers, ebgpMultihop, gracefulRestart, families } = specPeerSettings(spec, s.type, s.family);
            const n: Record<string, unknown> = {
                peerAddress: hostPrefix(s.address), peerASN: s.asn,
                ...(authSecretRef !== undefined ? { authSecretRef } : {}),
                ...timers,
                ...(ebgpMultihop !== undefined ? { eBGPMultihopTTL: ebgpMultihop } : {}),
                gracefulRestart, families,
            };
            if (attrs && spec.advertisePodCidr) n.advertisedPathAttributes = [{ selectorType: "PodCIDR", ...attrs }];
            return n;
        });
        const router: Record<string, unknown> = { localASN: g.localAsn, exportPodCIDR: spec.advertisePodCidr };
        // Without a serviceSelector v1 announces no service (seed 003): the way to announce none.
        if (spec.serviceAddresses.length > 0) {
            router.serviceSelector = g.serviceSelector ?? spec.serviceSelector;
            router.serviceAdvertisements = [...spec.serviceAddresses];
        }
        router.neighbors = neighbors;
        return {
            apiVersion: PEERING_POLICY_API_VERSION, kind: "CiliumBGPPeeringPolicy",
            metadata: { name: g.name },
            spec: { nodeSelector: g.nodeSelector, virtualRouters: [router] },
        };
    });
}

export interface NodeAnnotations {
    node: string;
    annotations: Record<string, string>;
}

/** v1 router IDs for IPv6-only nodes: `cilium.io/bgp-virtual-router.<ASN>: router-id=A.B.C.D`. */
export function nodeAnnotations(config: FabricConfig, plan: AddressPlan): NodeAnnotations[] {
    return specNodeAnnotations(bgpSpecFromPlan(config, plan));
}

export function specNodeAnnotations(spec: BgpSpec): NodeAnnotations[] {
    // v1 reads router IDs from node annotations only (Helm routerIDAllocation and node config
    // overrides are v2's), on every line that serves it.
    if (spec.controlPlane !== "v1" || spec.family !== "ipv6") return [];
    return spec.nodeRouterIds.map((n) => ({
        node: n.node,
        annotations: { [`${CILIUM_GROUP}/bgp-virtual-router.${n.asn}`]: `router-id=${n.routerId}` },
    }));
}

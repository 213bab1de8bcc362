/**
 * BGP control plane v1 (Cilium 1.15): CiliumBGPPeeringPolicy per node group, and the router-ID
 * annotations IPv6-only nodes need (seed 001).
 */
import type { FabricConfig } from "../config/types";
import type { AddressPlan } from "../plan/types";
import { CILIUM_GROUP, type K8sObject } from "../cilium/api";
import { CLUSTER_CONFIG_BASENAME, hostPrefix, objectName, peerSettings, podCidrAttributes } from "./common";
import { groupNodes, serviceAdvertisementSelector } from "./selectors";

export const PEERING_POLICY_API_VERSION = `${CILIUM_GROUP}/v2alpha1`;

export function renderV1Objects(config: FabricConfig, plan: AddressPlan): K8sObject[] {
    const bgp = config.bgp;
    const attrs = podCidrAttributes(config);
    return groupNodes(plan).map((g): K8sObject => {
        const neighbors = g.sessions.map((s) => {
            const { authSecretRef, timers, ebgpMultihop, gracefulRestart, families } = peerSettings(config, s.type, plan.family);
            const n: Record<string, unknown> = {
                peerAddress: hostPrefix(s.routerAddress), peerASN: s.routerAsn,
                ...(authSecretRef !== undefined ? { authSecretRef } : {}),
                ...timers,
                ...(ebgpMultihop !== undefined ? { eBGPMultihopTTL: ebgpMultihop } : {}),
                gracefulRestart, families,
            };
            if (attrs) n.advertisedPathAttributes = [{ selectorType: "PodCIDR", ...attrs }];
            return n;
        });
        const router: Record<string, unknown> = {
            localASN: g.localAsn,
            exportPodCIDR: true,
            // Without a selector v1 announces no service either.
            serviceSelector: serviceAdvertisementSelector(config),
            neighbors,
        };
        if (bgp.serviceAdvertisement.addresses.length > 0) router.serviceAdvertisements = [...bgp.serviceAdvertisement.addresses];
        return {
            apiVersion: PEERING_POLICY_API_VERSION, kind: "CiliumBGPPeeringPolicy",
            metadata: { name: objectName(CLUSTER_CONFIG_BASENAME, g.suffix) },
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
    if (config.cilium.line !== "1.15" || plan.family !== "ipv6") return [];
    return plan.nodes.map((n) => ({
        node: n.name,
        annotations: { [`${CILIUM_GROUP}/bgp-virtual-router.${n.asn}`]: `router-id=${n.routerId}` },
    }));
}

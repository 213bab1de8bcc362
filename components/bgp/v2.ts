/**
 * BGP control plane v2 objects (Cilium 1.16+): cluster configs, peer configs, advertisements,
 * and on IPv6-only 1.16/1.17 a node config override carrying each node's router ID.
 */
import type { FabricConfig } from "../config/types";
import type { AddressPlan } from "../plan/types";
import { ciliumApi, type K8sObject } from "../cilium/api";
import {
    ADVERTISE_LABEL, CLUSTER_CONFIG_BASENAME, instanceName, objectName, peerConfigName, peerSettings, podCidrAttributes,
} from "./common";
import { groupNodes, serviceAdvertisementSelector } from "./selectors";

export function renderV2Objects(config: FabricConfig, plan: AddressPlan): K8sObject[] {
    const api = ciliumApi(config.cilium.line);
    const apiVersion = api.bgpApiVersion;
    const objects: K8sObject[] = [];

    for (const g of groupNodes(plan)) {
        objects.push({
            apiVersion, kind: "CiliumBGPClusterConfig",
            metadata: { name: objectName(CLUSTER_CONFIG_BASENAME, g.suffix) },
            spec: {
                nodeSelector: g.nodeSelector,
                bgpInstances: [{
                    name: instanceName(g.localAsn),
                    localASN: g.localAsn,
                    peers: g.sessions.map((s) => ({
                        name: s.router,
                        peerASN: s.routerAsn,
                        peerAddress: s.routerAddress,
                        peerConfigRef: { name: peerConfigName(s.type) },
                    })),
                }],
            },
        });
    }

    // One peer config per session type: eBGP multihop means nothing (and is refused) on iBGP.
    const types = [...new Set(plan.nodeSessions.map((s) => s.type))].sort();
    for (const type of types) {
        const settings = peerSettings(config, type, plan.family);
        const spec: Record<string, unknown> = {
            ...settings,
            families: settings.families.map((f) => ({ ...f, advertisements: { matchLabels: { ...ADVERTISE_LABEL } } })),
        };
        objects.push({ apiVersion, kind: "CiliumBGPPeerConfig", metadata: { name: peerConfigName(type) }, spec });
    }

    const podCidr: Record<string, unknown> = { advertisementType: "PodCIDR" };
    const attrs = podCidrAttributes(config);
    if (attrs) podCidr.attributes = attrs;
    objects.push({
        apiVersion, kind: "CiliumBGPAdvertisement",
        metadata: { name: "bgp-podcidr", labels: { ...ADVERTISE_LABEL } },
        spec: { advertisements: [podCidr] },
    });
    if (config.bgp.serviceAdvertisement.addresses.length > 0) {
        objects.push({
            apiVersion, kind: "CiliumBGPAdvertisement",
            metadata: { name: "bgp-services", labels: { ...ADVERTISE_LABEL } },
            spec: {
                advertisements: [{
                    advertisementType: "Service",
                    service: { addresses: [...config.bgp.serviceAdvertisement.addresses] },
                    selector: serviceAdvertisementSelector(config),
                }],
            },
        });
    }

    // IPv6-only nodes have no IPv4 address to derive a router ID from; 1.18+ allocates one from
    // the Helm routerIDAllocation pool instead (see components/cilium).
    if (plan.family === "ipv6" && !api.helmRouterIdAllocation) {
        for (const n of plan.nodes) {
            objects.push({
                apiVersion, kind: "CiliumBGPNodeConfigOverride",
                metadata: { name: n.name },
                spec: { bgpInstances: [{ name: instanceName(n.asn), routerID: n.routerId }] },
            });
        }
    }
    return objects;
}

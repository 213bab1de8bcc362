/**
 * BGP control plane v2 objects (Cilium 1.16+): cluster configs, peer configs, advertisements,
 * and on IPv6-only 1.16/1.17 a node config override carrying each node's router ID.
 */
import type { FabricConfig } from "../config/types";
import type { AddressPlan } from "../plan/types";
import { ciliumApi, type K8sObject } from "../cilium/api";
import { ADVERTISE_LABEL, instanceName, specPeerSettings } from "./common";
import { bgpSpecFromPlan } from "./fromPlanSpec";
import { type BgpSpec, sessionKinds, specPeerConfigName, specPeerName } from "./spec";

export function renderV2Objects(config: FabricConfig, plan: AddressPlan): K8sObject[] {
    return renderV2(bgpSpecFromPlan(config, plan));
}

export function renderV2(spec: BgpSpec): K8sObject[] {
    const api = ciliumApi(spec.line);
    const apiVersion = api.bgpApiVersion;
    const objects: K8sObject[] = [];

    for (const g of spec.groups) {
        objects.push({
            apiVersion, kind: "CiliumBGPClusterConfig",
            metadata: { name: g.name },
            spec: {
                nodeSelector: g.nodeSelector,
                bgpInstances: [{
                    name: instanceName(g.localAsn),
                    localASN: g.localAsn,
                    peers: g.peers.map((s) => ({
                        name: specPeerName(spec, s),
                        peerASN: s.asn,
                        peerAddress: s.address,
                        peerConfigRef: { name: specPeerConfigName(spec, s.type, s.family) },
                    })),
                }],
            },
        });
    }

    // One peer config per session type (eBGP multihop means nothing, and is refused, on iBGP), and
    // on a dual stack per family: each session carries its own family only.
    for (const { type, family } of sessionKinds(spec)) {
        const settings = specPeerSettings(spec, type, family);
        const peerSpec: Record<string, unknown> = {
            ...settings,
            families: settings.families.map((f) => ({ ...f, advertisements: { matchLabels: { ...ADVERTISE_LABEL } } })),
        };
        objects.push({ apiVersion, kind: "CiliumBGPPeerConfig", metadata: { name: specPeerConfigName(spec, type, family) }, spec: peerSpec });
    }

    if (spec.advertisePodCidr) {
        const podCidr: Record<string, unknown> = { advertisementType: "PodCIDR" };
        const attrs = spec.podCidrAttributes;
        if (attrs) podCidr.attributes = attrs;
        objects.push({
            apiVersion, kind: "CiliumBGPAdvertisement",
            metadata: { name: spec.names.podCidrAdvertisement, labels: { ...ADVERTISE_LABEL } },
            spec: { advertisements: [podCidr] },
        });
    }
    if (spec.serviceAddresses.length > 0) {
        objects.push({
            apiVersion, kind: "CiliumBGPAdvertisement",
            metadata: { name: spec.names.serviceAdvertisement, labels: { ...ADVERTISE_LABEL } },
            spec: {
                advertisements: [{
                    advertisementType: "Service",
                    service: { addresses: [...spec.serviceAddresses] },
                    selector: spec.serviceSelector,
                }],
            },
        });
    }

    // IPv6-only nodes have no IPv4 address to derive a router ID from; 1.18+ allocates one from
    // the Helm routerIDAllocation pool instead (see components/cilium).
    if (spec.family === "ipv6" && !api.helmRouterIdAllocation) {
        for (const n of spec.nodeRouterIds) {
            objects.push({
                apiVersion, kind: "CiliumBGPNodeConfigOverride",
                metadata: { name: n.node },
                spec: { bgpInstances: [{ name: instanceName(n.asn), routerID: n.routerId }] },
            });
        }
    }
    return objects;
}

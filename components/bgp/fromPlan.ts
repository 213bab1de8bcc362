/**
 * CiliumBgp's arguments from the stack configuration and its address plan (the plan is the one
 * place addresses are computed; this only reshapes). Pure. The password is the caller's.
 */
import type { FabricConfig, LabelSelector } from "../config/types";
import type { AddressPlan } from "../plan/types";
import type { CiliumBgpArgs } from "./args";
import { type NodeGroup, groupNodes, groupRacks } from "./selectors";

/** A whole-rack group's own name and service selector (bgp.racks); the stack checks refuse them elsewhere. */
function rackChoices(config: FabricConfig, g: NodeGroup): { name?: string; serviceSelector?: LabelSelector } {
    const racks = groupRacks(g);
    if (racks.length !== 1) return {};
    const r = config.bgp.racks[racks[0]];
    return { ...(r?.name !== undefined ? { name: r.name } : {}), ...(r?.serviceSelector ? { serviceSelector: r.serviceSelector } : {}) };
}

export function ciliumBgpArgsFromPlan(config: FabricConfig, plan: AddressPlan): CiliumBgpArgs {
    const bgp = config.bgp;
    return {
        ciliumVersion: config.cilium.version,
        controlPlane: bgp.controlPlane,
        ipFamily: plan.secondary ? "dual" : plan.family,
        nodeGroups: groupNodes(plan, bgp.nodeSelector).map((g) => ({
            ...(g.suffix ? { suffix: g.suffix } : {}),
            ...rackChoices(config, g),
            nodeSelector: g.nodeSelector,
            localAsn: g.localAsn,
            peers: g.sessions.map((s) => ({ name: s.router, address: s.routerAddress, asn: s.routerAsn, ...(plan.secondary ? { family: s.family } : {}) })),
        })),
        holdTimeSeconds: bgp.holdTimeSeconds,
        keepaliveTimeSeconds: bgp.keepaliveTimeSeconds,
        connectRetryTimeSeconds: bgp.connectRetryTimeSeconds,
        gracefulRestart: { ...bgp.gracefulRestart },
        ...(bgp.ebgpMultihop !== undefined ? { ebgpMultihop: bgp.ebgpMultihop } : {}),
        authSecretName: bgp.authSecretName,
        secretsNamespace: bgp.secretsNamespace,
        advertisePodCidr: bgp.podCidrAdvertisement.enabled,
        podCidrCommunities: [...bgp.podCidrAdvertisement.communities],
        ...(bgp.podCidrAdvertisement.localPreference !== undefined ? { podCidrLocalPreference: bgp.podCidrAdvertisement.localPreference } : {}),
        serviceAddresses: [...bgp.serviceAdvertisement.addresses],
        ...(bgp.serviceAdvertisement.selector ? { serviceSelector: bgp.serviceAdvertisement.selector } : {}),
        nodeRouterIds: plan.nodes.map((n) => ({ node: n.name, asn: n.asn, routerId: n.routerId })),
        objectNames: { ...bgp.objectNames },
    };
}

/**
 * CiliumBgp's arguments from the stack configuration and its address plan (the plan is the one
 * place addresses are computed; this only reshapes). Pure. The password is the caller's.
 */
import type { FabricConfig } from "../config/types";
import type { AddressPlan } from "../plan/types";
import type { CiliumBgpArgs } from "./args";
import { groupNodes } from "./selectors";

export function ciliumBgpArgsFromPlan(config: FabricConfig, plan: AddressPlan): CiliumBgpArgs {
    const bgp = config.bgp;
    return {
        ciliumVersion: config.cilium.version,
        controlPlane: bgp.controlPlane,
        ipFamily: plan.family,
        nodeGroups: groupNodes(plan).map((g) => ({
            ...(g.suffix ? { suffix: g.suffix } : {}),
            nodeSelector: g.nodeSelector,
            localAsn: g.localAsn,
            peers: g.sessions.map((s) => ({ name: s.router, address: s.routerAddress, asn: s.routerAsn })),
        })),
        holdTimeSeconds: bgp.holdTimeSeconds,
        keepaliveTimeSeconds: bgp.keepaliveTimeSeconds,
        connectRetryTimeSeconds: bgp.connectRetryTimeSeconds,
        gracefulRestart: { ...bgp.gracefulRestart },
        ...(bgp.ebgpMultihop !== undefined ? { ebgpMultihop: bgp.ebgpMultihop } : {}),
        authSecretName: bgp.authSecretName,
        secretsNamespace: bgp.secretsNamespace,
        podCidrCommunities: [...bgp.podCidrAdvertisement.communities],
        ...(bgp.podCidrAdvertisement.localPreference !== undefined ? { podCidrLocalPreference: bgp.podCidrAdvertisement.localPreference } : {}),
        serviceAddresses: [...bgp.serviceAdvertisement.addresses],
        ...(bgp.serviceAdvertisement.selector ? { serviceSelector: bgp.serviceAdvertisement.selector } : {}),
        nodeRouterIds: plan.nodes.map((n) => ({ node: n.name, asn: n.asn, routerId: n.routerId })),
    };
}

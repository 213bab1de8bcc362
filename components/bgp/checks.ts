/**
 * The stack's BGP choices that need the address plan to judge (which nodes peer with whom, how
 * the nodes group into BGP objects): configuration problems, named by key, before any resource
 * exists. Pure. Called by the loader (components/config/index.ts loadStack).
 */
import type { Problems } from "../config/errors";
import type { FabricConfig } from "../config/types";
import type { AddressPlan } from "../plan/types";
import { groupNodes, nodeLabels, selectorMatches } from "./selectors";

export function checkBgpChoices(config: FabricConfig, plan: AddressPlan, p: Problems): void {
    const bgp = config.bgp;
    if (bgp.nodeSelector && !plan.nodes.some((n) => selectorMatches(bgp.nodeSelector ?? {}, nodeLabels(n)))) {
        p.add("bgp.nodeSelector", bgp.nodeSelector, `selects no node of cluster.nodes (their labels: ${plan.nodes.map((n) => `${n.name} ${JSON.stringify(nodeLabels(n))}`).join(", ")}); label nodes with cluster.nodes[].labels`);
        return;
    }
    if (plan.nodeSessions.length === 0) return; // nothing peers: the plan has said why
    const sessions = new Set(plan.nodeSessions.map((s) => s.type));

    // GoBGP, Cilium's BGP speaker, sets the multihop TTL only for eBGP peers: osrg/gobgp
    // pkg/server/fsm.go setPeerConnTTL and connectLoop test `PeerType == PEER_TYPE_EXTERNAL` before
    // reading EbgpMultihop, so an iBGP session keeps the system's default TTL (64) whatever is set.
    if (bgp.ebgpMultihop !== undefined && !sessions.has("ebgp")) {
        p.add("bgp.ebgpMultihop", bgp.ebgpMultihop, "applies to eBGP sessions only, and every node session here is iBGP (node and router ASN are equal): GoBGP, Cilium's BGP speaker, ignores it on iBGP (osrg/gobgp pkg/server/fsm.go setPeerConnTTL: the TTL is set only for external peers; iBGP keeps the system default of 64 hops), so it would change nothing: remove it");
    }

    // Without pod CIDR routes the fabric cannot carry pod traffic between segments (native routing).
    if (!bgp.podCidrAdvertisement.enabled && plan.nodeSubnets.length > 1) {
        p.add("bgp.podCidrAdvertisement.enabled", false, `needs every node on one segment: the nodes are on ${plan.nodeSubnets.length} (${plan.nodeSubnets.map((s) => s.cidr).join(", ")}), and with native routing pods on other segments are reached only through the routers, which learn the pod CIDRs from these advertisements (one segment: Cilium's autoDirectNodeRoutes routes pods directly)`);
    }

    // Per-rack choices apply to groups made of exactly that rack.
    const groups = groupNodes(plan, bgp.nodeSelector);
    for (const [rack, r] of Object.entries(bgp.racks)) {
        if (r.name === undefined && r.serviceSelector === undefined) continue;
        const g = groups.find((x) => x.racks.includes(rack) || x.nodes.some((n) => n.rack === rack));
        if (!g) continue; // no node of the rack runs BGP
        if (g.racks.length === 1 && g.racks[0] === rack) continue;
        const why = g.racks.length > 1
            ? `racks ${g.racks.join(", ")} have the same routers and ASN, so one object (${g.suffix ? `suffix ${g.suffix}` : "the whole cluster's"}) serves them all`
            : g.racks.length === 0 && g.suffix === ""
                ? "the whole cluster shares one object (every node has the same routers and ASN): use bgp.objectNames.clusterConfig and bgp.serviceAdvertisement.selector"
                : "its nodes do not share their routers and ASN, so each node gets its own object";
        p.add(`bgp.racks.${rack}`, r, `cannot name or select for the rack alone: ${why}`);
    }
}

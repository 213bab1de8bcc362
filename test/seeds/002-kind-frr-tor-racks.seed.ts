/**
 * Seed 002 (../shared/seeds/002_ea967cf9e8f03196.txt): kind + containerlab, FRR router0 above two
 * ToRs (tor0, tor1) over unnumbered interface sessions, each server on its own /24 under its ToR,
 * nodes labelled rack0/rack1, one CiliumBGPPeeringPolicy per rack peering with the ToR's loopback
 * (iBGP, 10.0.0.1/32 and 10.0.0.2/32), Cilium 1.12.1 values. Transcribed from cluster.yaml (lines
 * 157-199), topo.yaml (360-498), values.yaml (558-571) and cilium-bgp-peering-policies.yaml
 * (622-651); the first, shorter rack0 policy (46-59) is the same object.
 */
import type { SeedData } from "./types";

const policy = (rack: string, asn: number, peer: string) => ({
    apiVersion: "cilium.io/v2alpha1", kind: "CiliumBGPPeeringPolicy",
    metadata: { name: rack },
    spec: {
        nodeSelector: { matchLabels: { rack } },
        virtualRouters: [{ localASN: asn, exportPodCIDR: true, neighbors: [{ peerAddress: peer, peerASN: asn }] }],
    },
});

/** Reasons shared by the differences of one cause (issue 16 rendering of the shipped stack). */
const R002 = [
    "the seed leaves the session timers and graceful restart to Cilium's defaults (90/30/120 s, no graceful restart); the project always writes them from bgp.holdTimeSeconds / keepaliveTimeSeconds / connectRetryTimeSeconds / gracefulRestart (defaults 9/3/5 s, restart 120 s) so the routers' side agrees",
    "the seed leaves families to Cilium's default; the project lists only the plan's family (ipv4 unicast) so no other AFI is negotiated with the router",
    "gap: addressPlan.loopbacks may not overlap addressPlan.nodeNetwork, and the seed's loopbacks 10.0.0.0-2/32 (lines 374, 402, 435) lie inside its node block 10.0.0.0/20; the routers' loopbacks (the address nodes peer with; the router IDs are the seed's, by routers[].routerId) come from 10.0.255.0/24 instead",
    "the project announces only the prefixes the plan owns with `network` statements instead of `redistribute connected` (issue 16: announce only what the plan owns)",
    "routers[].defaultOriginate on router0 sends the default route to both ToRs (their sessions are router0's FABRIC peer group, as the seed's ROUTERS group is its net0/net1 sessions); the project names the router-to-router peer group FABRIC",
    "(no longer a difference: routers[].frrDefaults renders the seed's datacenter profile on tor0 and tor1; kept so the indexes below stay)",
    "every router black-holes the aggregates it announces (the plan owns 10.0.0.0/8 here), so a prefix with no more specific route is dropped instead of looped; the seed does so on router0 only",
    "gap: router-to-router sessions run over numbered link subnets (addressPlan.links, /29 each); no key makes them unnumbered (`neighbor net0 interface`, lines 387-388, 418) \u2014 bgp.peerWith covers node sessions only",
    "gap: the seed gives every server its own /24 with the ToR at .1 and the server at .2 (lines 403-404, 436-437, 462-489); no key gives per-server subnets, so each rack is one /24 (rackSubnetLength 24, rack0 10.0.0.0/24, rack1 10.0.1.0/24) with the ToR at .1 and the nodes at nodeHostOffset + id",
];

export const seed002: SeedData = {
    seed: "002",
    file: "002_ea967cf9e8f03196.txt",
    stack: { file: "Pulumi.seed-002-frr-tor-racks.yaml", name: "seed-002-frr-tor-racks" },
    objects: [
        { lines: "622-637", object: policy("rack0", 65010, "10.0.0.1/32") },
        { lines: "638-651", object: policy("rack1", 65011, "10.0.0.2/32") },
    ],
    routers: [
        {
            // topo.yaml router0: lo 10.0.0.0/32, blackhole 10.0.0.0/8, AS 65000, ROUTERS external on net0/net1, redistribute connected.
            lines: "367-392", name: "router0", flavour: "frr", image: "frrouting/frr:v8.2.2", asn: 65000, routerId: "10.0.0.0",
            loopbacks: ["10.0.0.0/32"], blackholes: ["10.0.0.0/8"], defaultOriginate: ["ROUTERS"],
            neighbors: [{ address: "net0", remoteAs: "external" }, { address: "net1", remoteAs: "external" }],
            redistributeConnected: true,
        },
        {
            // topo.yaml tor0: lo 10.0.0.1/32, net1 10.0.1.1/24, net2 10.0.2.1/24, AS 65010, ROUTERS external (net0), SERVERS internal.
            lines: "395-424", name: "tor0", flavour: "frr", image: "frrouting/frr:v8.2.2", asn: 65010, routerId: "10.0.0.1",
            loopbacks: ["10.0.0.1/32"], addresses: ["10.0.1.1/24", "10.0.2.1/24"], blackholes: [], defaultOriginate: [], frrDefaults: "datacenter",
            neighbors: [
                { address: "net0", remoteAs: "external" },
                { address: "10.0.1.2", remoteAs: "internal" },
                { address: "10.0.2.2", remoteAs: "internal" },
            ],
            redistributeConnected: true,
        },
        {
            lines: "428-457", name: "tor1", flavour: "frr", image: "frrouting/frr:v8.2.2", asn: 65011, routerId: "10.0.0.2",
            loopbacks: ["10.0.0.2/32"], addresses: ["10.0.3.1/24", "10.0.4.1/24"], blackholes: [], defaultOriginate: [], frrDefaults: "datacenter",
            neighbors: [
                { address: "net0", remoteAs: "external" },
                { address: "10.0.3.2", remoteAs: "internal" },
                { address: "10.0.4.2", remoteAs: "internal" },
            ],
            redistributeConnected: true,
        },
    ],
    nodes: [
        // cluster.yaml nodes (node-ip, node-labels) and topo.yaml server0-3 (default route via the ToR);
        // kind names them <cluster>-control-plane, -worker, -worker2, -worker3 (line 749 names two of them).
        { lines: "159, 165-172, 462-465", name: "clab-bgp-cplane-demo-control-plane", nameParts: ["clab-bgp-cplane-demo", "control-plane"], role: "control-plane", address: "10.0.1.2", labels: { rack: "rack0" }, gateway: "10.0.1.1" },
        { lines: "159, 174-181, 470-473, 749", name: "clab-bgp-cplane-demo-worker", role: "worker", address: "10.0.2.2", labels: { rack: "rack0" }, gateway: "10.0.2.1" },
        { lines: "159, 183-190, 478-481", name: "clab-bgp-cplane-demo-worker2", nameParts: ["clab-bgp-cplane-demo", "worker2"], role: "worker", address: "10.0.3.2", labels: { rack: "rack1" }, gateway: "10.0.3.1" },
        { lines: "159, 192-199, 486-489, 749", name: "clab-bgp-cplane-demo-worker3", role: "worker", address: "10.0.4.2", labels: { rack: "rack1" }, gateway: "10.0.4.1" },
    ],
    helmValues: {
        lines: "558-571",
        values: { tunnel: "disabled", "ipam.mode": "kubernetes", ipv4NativeRoutingCIDR: "10.0.0.0/8", "bgpControlPlane.enabled": true, "k8s.requireIPv4PodCIDR": true },
    },
    facts: [
        { lines: "159", name: "cluster.name", value: "clab-bgp-cplane-demo" },
        { lines: "163", name: "cluster.podSubnet", value: "10.1.0.0/16" },
        { lines: "578", name: "cilium.version", value: "v1.12.1" },
    ],
    allowedDifferences: [
        {
            where: "helm", path: "tunnel", rendered: "(absent)", kind: "obsolete",
            reason: "Helm `tunnel` was removed in Cilium 1.15 (the loader refuses cilium.values.tunnel); `routingMode: native` says the same",
        },
        {
            where: "fact", path: "cilium.version", rendered: "1.16.19", kind: "obsolete",
            reason: "the seed's v1.12.1 is a line the project does not render (1.15-1.20 here); 1.16.19 is the oldest line with v1 policies and today's CRDs",
        },
        { where: "CiliumBGPPeeringPolicy/rack0", path: "spec.virtualRouters[0].neighbors[0].connectRetryTimeSeconds", rendered: 5, kind: "choice", reason: R002[0] },
        { where: "CiliumBGPPeeringPolicy/rack0", path: "spec.virtualRouters[0].neighbors[0].families", rendered: [{"afi": "ipv4", "safi": "unicast"}], kind: "choice", reason: R002[1] },
        { where: "CiliumBGPPeeringPolicy/rack0", path: "spec.virtualRouters[0].neighbors[0].gracefulRestart", rendered: {"enabled": true, "restartTimeSeconds": 120}, kind: "choice", reason: R002[0] },
        { where: "CiliumBGPPeeringPolicy/rack0", path: "spec.virtualRouters[0].neighbors[0].holdTimeSeconds", rendered: 9, kind: "choice", reason: R002[0] },
        { where: "CiliumBGPPeeringPolicy/rack0", path: "spec.virtualRouters[0].neighbors[0].keepAliveTimeSeconds", rendered: 3, kind: "choice", reason: R002[0] },
        { where: "CiliumBGPPeeringPolicy/rack0", path: "spec.virtualRouters[0].neighbors[0].peerAddress", rendered: "10.0.255.2/32", kind: "gap", reason: R002[2] },
        { where: "CiliumBGPPeeringPolicy/rack1", path: "spec.virtualRouters[0].neighbors[0].connectRetryTimeSeconds", rendered: 5, kind: "choice", reason: R002[0] },
        { where: "CiliumBGPPeeringPolicy/rack1", path: "spec.virtualRouters[0].neighbors[0].families", rendered: [{"afi": "ipv4", "safi": "unicast"}], kind: "choice", reason: R002[1] },
        { where: "CiliumBGPPeeringPolicy/rack1", path: "spec.virtualRouters[0].neighbors[0].gracefulRestart", rendered: {"enabled": true, "restartTimeSeconds": 120}, kind: "choice", reason: R002[0] },
        { where: "CiliumBGPPeeringPolicy/rack1", path: "spec.virtualRouters[0].neighbors[0].holdTimeSeconds", rendered: 9, kind: "choice", reason: R002[0] },
        { where: "CiliumBGPPeeringPolicy/rack1", path: "spec.virtualRouters[0].neighbors[0].keepAliveTimeSeconds", rendered: 3, kind: "choice", reason: R002[0] },
        { where: "CiliumBGPPeeringPolicy/rack1", path: "spec.virtualRouters[0].neighbors[0].peerAddress", rendered: "10.0.255.3/32", kind: "gap", reason: R002[2] },
        { where: "router router0", path: "redistributeConnected", rendered: false, kind: "choice", reason: R002[3] },
        { where: "router router0", path: "defaultOriginate ROUTERS", rendered: "(absent)", kind: "choice", reason: R002[4] },
        { where: "router router0", path: "defaultOriginate FABRIC", rendered: "present", kind: "choice", reason: R002[4] },
        { where: "router router0", path: "loopback 10.0.0.0/32", rendered: "(absent)", kind: "gap", reason: R002[2] },
        { where: "router router0", path: "loopback 10.0.255.1/32", rendered: "present", kind: "gap", reason: R002[2] },
        { where: "router router0", path: "neighbor net0", rendered: "(absent)", kind: "gap", reason: R002[7] },
        { where: "router router0", path: "neighbor net1", rendered: "(absent)", kind: "gap", reason: R002[7] },
        { where: "router router0", path: "neighbor 10.0.16.129", rendered: "external", kind: "gap", reason: R002[7] },
        { where: "router router0", path: "neighbor 10.0.16.193", rendered: "external", kind: "gap", reason: R002[7] },
        { where: "router tor0", path: "redistributeConnected", rendered: false, kind: "choice", reason: R002[3] },
        { where: "router tor0", path: "blackhole 10.0.0.0/8", rendered: "present", kind: "choice", reason: R002[6] },
        { where: "router tor0", path: "loopback 10.0.0.1/32", rendered: "(absent)", kind: "gap", reason: R002[2] },
        { where: "router tor0", path: "loopback 10.0.255.2/32", rendered: "present", kind: "gap", reason: R002[2] },
        { where: "router tor0", path: "address 10.0.1.1/24", rendered: "(absent)", kind: "gap", reason: R002[8] },
        { where: "router tor0", path: "address 10.0.2.1/24", rendered: "(absent)", kind: "gap", reason: R002[8] },
        { where: "router tor0", path: "address 10.0.0.1/24", rendered: "present", kind: "gap", reason: R002[8] },
        { where: "router tor0", path: "address 10.0.16.129/29", rendered: "present", kind: "gap", reason: R002[7] },
        { where: "router tor0", path: "neighbor net0", rendered: "(absent)", kind: "gap", reason: R002[7] },
        { where: "router tor0", path: "neighbor 10.0.1.2", rendered: "(absent)", kind: "gap", reason: R002[8] },
        { where: "router tor0", path: "neighbor 10.0.2.2", rendered: "(absent)", kind: "gap", reason: R002[8] },
        { where: "router tor0", path: "neighbor 10.0.0.4", rendered: "internal", kind: "gap", reason: R002[8] },
        { where: "router tor0", path: "neighbor 10.0.0.5", rendered: "internal", kind: "gap", reason: R002[8] },
        { where: "router tor0", path: "neighbor 10.0.16.130", rendered: "external", kind: "gap", reason: R002[7] },
        { where: "router tor1", path: "redistributeConnected", rendered: false, kind: "choice", reason: R002[3] },
        { where: "router tor1", path: "blackhole 10.0.0.0/8", rendered: "present", kind: "choice", reason: R002[6] },
        { where: "router tor1", path: "loopback 10.0.0.2/32", rendered: "(absent)", kind: "gap", reason: R002[2] },
        { where: "router tor1", path: "loopback 10.0.255.3/32", rendered: "present", kind: "gap", reason: R002[2] },
        { where: "router tor1", path: "address 10.0.3.1/24", rendered: "(absent)", kind: "gap", reason: R002[8] },
        { where: "router tor1", path: "address 10.0.4.1/24", rendered: "(absent)", kind: "gap", reason: R002[8] },
        { where: "router tor1", path: "address 10.0.1.1/24", rendered: "present", kind: "gap", reason: R002[8] },
        { where: "router tor1", path: "address 10.0.16.193/29", rendered: "present", kind: "gap", reason: R002[7] },
        { where: "router tor1", path: "neighbor net0", rendered: "(absent)", kind: "gap", reason: R002[7] },
        { where: "router tor1", path: "neighbor 10.0.3.2", rendered: "(absent)", kind: "gap", reason: R002[8] },
        { where: "router tor1", path: "neighbor 10.0.4.2", rendered: "(absent)", kind: "gap", reason: R002[8] },
        { where: "router tor1", path: "neighbor 10.0.1.6", rendered: "internal", kind: "gap", reason: R002[8] },
        { where: "router tor1", path: "neighbor 10.0.1.7", rendered: "internal", kind: "gap", reason: R002[8] },
        { where: "router tor1", path: "neighbor 10.0.16.194", rendered: "external", kind: "gap", reason: R002[7] },
        { where: "node clab-bgp-cplane-demo-control-plane", path: "address", rendered: "10.0.0.4", kind: "gap", reason: R002[8] },
        { where: "node clab-bgp-cplane-demo-control-plane", path: "gateway", rendered: "10.0.0.1", kind: "gap", reason: R002[8] },
        { where: "node clab-bgp-cplane-demo-worker", path: "address", rendered: "10.0.0.5", kind: "gap", reason: R002[8] },
        { where: "node clab-bgp-cplane-demo-worker", path: "gateway", rendered: "10.0.0.1", kind: "gap", reason: R002[8] },
        { where: "node clab-bgp-cplane-demo-worker2", path: "address", rendered: "10.0.1.6", kind: "gap", reason: R002[8] },
        { where: "node clab-bgp-cplane-demo-worker2", path: "gateway", rendered: "10.0.1.1", kind: "gap", reason: R002[8] },
        { where: "node clab-bgp-cplane-demo-worker3", path: "address", rendered: "10.0.1.7", kind: "gap", reason: R002[8] },
        { where: "node clab-bgp-cplane-demo-worker3", path: "gateway", rendered: "10.0.1.1", kind: "gap", reason: R002[8] },
    ],
};

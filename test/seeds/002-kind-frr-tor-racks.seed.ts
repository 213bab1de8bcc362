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

export const seed002: SeedData = {
    seed: "002",
    file: "002_ea967cf9e8f03196.txt",
    stack: { file: "test/seeds/stacks/Pulumi.seed002.yaml", name: "seed002" },
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
    ],
};

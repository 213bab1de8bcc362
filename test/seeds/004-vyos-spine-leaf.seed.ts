/**
 * Seed 004 (../shared/seeds/004_8ad297c136c63f5d.txt): kind (clab-bgp, four nodes in two racks on
 * separate /24s) + containerlab with VyOS 1.2.8: spines spine0 (AS 500) and spine1 (AS 800) in eBGP
 * with every leaf, leaves leaf0 (AS 65005) and leaf1 (AS 65008) as route reflectors of their rack's
 * nodes, multipath-relax ECMP; Cilium 1.13.0-rc5 with v1 peering policies per rack (the final ones,
 * with a serviceSelector, lines 1564-1604) and two LB IPAM pools by service selector (1519-1542).
 * Router facts are from the config.boot files (279-685); the `set` listing (1667-1765) says the same.
 * The spines' and leaves' loopbacks hold no address (`loopback lo { }`).
 */
import type { SeedData, SeedRouter } from "./types";

const policy = (rack: string, asn: number, peer: string, selectorKey: string) => ({
    apiVersion: "cilium.io/v2alpha1", kind: "CiliumBGPPeeringPolicy",
    metadata: { name: rack },
    spec: {
        nodeSelector: { matchLabels: { rack } },
        virtualRouters: [{
            localASN: asn,
            serviceSelector: { matchExpressions: [{ key: selectorKey, operator: "NotIn", values: ["test"] }] },
            exportPodCIDR: true,
            neighbors: [{ peerAddress: peer, peerASN: asn }],
        }],
    },
});

const vyos = { flavour: "vyos", image: "vyos/vyos:1.2.8" } as const;
// The seed shows each router's whole configuration: no loopback address, no static (blackhole) route, no default-originate.
const router = (r: Omit<SeedRouter, "flavour" | "image" | "loopbacks">): SeedRouter => ({ ...vyos, loopbacks: [], blackholes: [], defaultOriginate: [], ...r });

/** Reasons shared by the differences of one cause (issue 16 rendering of the shipped stack). */
const R004 = [
    "the seed leaves the session timers and graceful restart to Cilium's defaults (90/30/120 s, no graceful restart); the project always writes them from bgp.holdTimeSeconds / keepaliveTimeSeconds / connectRetryTimeSeconds / gracefulRestart (defaults 9/3/5 s, restart 120 s) so the routers' side agrees",
    "the seed leaves families to Cilium's default; the project lists only the plan's family (ipv4 unicast) so no other AFI is negotiated with the router",
    "the seed's Cilium 1.13 v1 policy has no serviceAdvertisements field (LB IPs of the selected services were always announced); the 1.16 CRD defaults it to [LoadBalancerIP] (v1.16.15 ciliumbgppeeringpolicies.yaml), which the project writes out: the same behaviour",
    "the project writes the leaf's address as a host prefix (/32), where the seed's 1.13 policy gave it with its rack's /24: Cilium peers with the address either way",
    "the smoke Service stands for the seed's demo Service cni (smoke.labels color=red, lbPool red-pool); the project pins its address (a deterministic address of smoke.lbPool, components/lbpools/requests.ts) so checks know it, where the seed lets LB-IPAM pick",
    "gap: every router gets a loopback from addressPlan.loopbacks (carved here as 10.1.0.0/24: announced, and the address nodes may peer with), where the seed's loopbacks hold none; no key leaves it out (the router IDs are the seed's interface addresses, by routers[].routerId)",
    "every router black-holes the aggregates the plan owns (10.1.0.0/16, 10.96.0.0/16, 10.98.0.0/16 and the two pools), so a prefix with no more specific route is dropped instead of looped; the seed's VyOS 1.2 config has none",
    "the project puts a router's peers in peer groups, NODES (`remote-as internal`: the rack's nodes share the leaf's ASN) and FABRIC (`remote-as external`), where the seed names each peer's ASN; the sessions are the same iBGP and eBGP ones (the plan checks every ASN)",
    "the leaf announces every prefix the plan owns (aggregates, its loopback, its links) with `network` statements; the seed's leaf announces only its rack /24",
    "the smoke Service carries app=<name>, the label its selector picks its own pods by; the seed's cni Service selects app=cni without carrying it",
    "the seed applies the Service without a namespace (kubectl apply, line 936: the default namespace); the project writes smoke.namespace (default) out",
    "the project writes the Service's traffic policy and IP family explicitly (Kubernetes' defaults here: Cluster, IPv4 single stack); the seed leaves them to the cluster",
    "the smoke Service's backend is the project's echo server (agnhost, port named http, targeted by name); the seed's is its nettool DaemonSet (targetPort 80)",
];

export const seed004: SeedData = {
    seed: "004",
    file: "004_8ad297c136c63f5d.txt",
    stack: { file: "Pulumi.seed-004-vyos-spine-leaf.yaml", name: "seed-004-vyos-spine-leaf" },
    objects: [
        // rack0's selector key is `evn` in the seed (line 1580), rack1's `env` (line 1600): kept as written.
        { lines: "1565-1584", object: policy("rack0", 65005, "10.1.5.1/24", "evn") },
        { lines: "1585-1604", object: policy("rack1", 65008, "10.1.8.1/24", "env") },
        {
            lines: "1520-1530",
            object: {
                apiVersion: "cilium.io/v2alpha1", kind: "CiliumLoadBalancerIPPool",
                metadata: { name: "blue-pool" },
                spec: { cidrs: [{ cidr: "20.0.10.0/24" }], serviceSelector: { matchExpressions: [{ key: "color", operator: "In", values: ["blue", "cyan"] }] } },
            },
        },
        {
            lines: "1531-1542",
            object: {
                apiVersion: "cilium.io/v2alpha1", kind: "CiliumLoadBalancerIPPool",
                metadata: { name: "red-pool" },
                spec: { cidrs: [{ cidr: "30.0.10.0/24" }], serviceSelector: { matchLabels: { color: "red" } } },
            },
        },
        {
            lines: "921-935",
            object: {
                apiVersion: "v1", kind: "Service",
                metadata: { name: "cni", labels: { color: "red" } },
                spec: { ports: [{ port: 80, targetPort: 80, protocol: "TCP" }], type: "LoadBalancer", selector: { app: "cni" } },
            },
        },
    ],
    routers: [
        router({
            lines: "183, 279-312", name: "spine0", asn: 500, routerId: "10.1.10.2", addresses: ["10.1.10.2/24", "10.1.34.2/24"],
            neighbors: [{ address: "10.1.10.1", remoteAs: 65005 }, { address: "10.1.34.1", remoteAs: 65008 }],
        }),
        router({
            lines: "192, 359-388", name: "spine1", asn: 800, routerId: "10.1.12.2", addresses: ["10.1.12.2/24", "10.1.11.2/24"],
            neighbors: [{ address: "10.1.11.1", remoteAs: 65008 }, { address: "10.1.12.1", remoteAs: 65005 }],
        }),
        router({
            lines: "200, 435-519", name: "leaf0", asn: 65005, routerId: "10.1.5.1", addresses: ["10.1.10.1/24", "10.1.12.1/24", "10.1.5.1/24"],
            networks: ["10.1.5.0/24"], multipathRelax: true,
            neighbors: [
                { address: "10.1.5.10", remoteAs: 65005, routeReflectorClient: true },
                { address: "10.1.5.11", remoteAs: 65005, routeReflectorClient: true },
                { address: "10.1.10.2", remoteAs: 500 },
                { address: "10.1.12.2", remoteAs: 800 },
            ],
        }),
        router({
            lines: "208, 566-641", name: "leaf1", asn: 65008, routerId: "10.1.8.1", addresses: ["10.1.34.1/24", "10.1.11.1/24", "10.1.8.1/24"],
            networks: ["10.1.8.0/24"], multipathRelax: true,
            neighbors: [
                { address: "10.1.8.10", remoteAs: 65008, routeReflectorClient: true },
                { address: "10.1.8.11", remoteAs: 65008, routeReflectorClient: true },
                { address: "10.1.11.2", remoteAs: 800 },
                { address: "10.1.34.2", remoteAs: 500 },
            ],
        }),
    ],
    nodes: [
        // install.sh's kind config (node-ip, node-labels), clab's server1-4 (default route via the leaf), kubectl get node (names).
        { lines: "68-76, 145, 228-229", name: "clab-bgp-control-plane", role: "control-plane", address: "10.1.5.10", labels: { rack: "rack0" }, gateway: "10.1.5.1" },
        { lines: "78-86, 146, 238-239", name: "clab-bgp-worker", role: "worker", address: "10.1.5.11", labels: { rack: "rack0" }, gateway: "10.1.5.1" },
        { lines: "88-96, 147, 248-249", name: "clab-bgp-worker2", role: "worker", address: "10.1.8.10", labels: { rack: "rack1" }, gateway: "10.1.8.1" },
        { lines: "98-106, 148, 258-259", name: "clab-bgp-worker3", role: "worker", address: "10.1.8.11", labels: { rack: "rack1" }, gateway: "10.1.8.1" },
    ],
    helmValues: {
        lines: "787-798",
        values: {
            "debug.enabled": true, "debug.verbose": "datapath", monitorAggregation: "none", "cluster.name": "clab-bgp-cplane",
            "ipam.mode": "kubernetes", tunnel: "disabled", ipv4NativeRoutingCIDR: "10.0.0.0/8", "bgpControlPlane.enabled": true, "k8s.requireIPv4PodCIDR": true,
        },
    },
    facts: [
        { lines: "60", name: "cluster.name", value: "clab-bgp" },
        { lines: "58", name: "kubernetes.image", value: ["kindest/node:v1.23.4"] },
        { lines: "66", name: "cluster.podSubnet", value: "10.98.0.0/16" },
        { lines: "788", name: "cilium.version", value: "1.13.0-rc5" },
    ],
    allowedDifferences: [
        {
            where: "helm", path: "tunnel", rendered: "(absent)", kind: "obsolete",
            reason: "Helm `tunnel` was removed in Cilium 1.15 (the loader refuses cilium.values.tunnel); `routingMode: native` says the same",
        },
        ...["spine0", "spine1", "leaf0", "leaf1"].map((r) => ({
            where: `router ${r}`, path: "image", rendered: "vyos-rolling:local", kind: "refused" as const,
            reason: "VyOS 1.2 syntax (`set protocols bgp 65005 ...`) is gone; the project emits 1.4+ (`system-as`) and refuses older images; VyOS publishes no current image, the stacks use a locally built one (README, VyOS routers)",
        })),
        {
            where: "CiliumLoadBalancerIPPool/blue-pool", path: "spec.cidrs", rendered: "(absent)", kind: "obsolete",
            reason: "`spec.cidrs` is gone from the CiliumLoadBalancerIPPool CRD of every release the project supports (1.16+: only `blocks`); an API server would prune it and leave the pool empty",
        },
        {
            where: "CiliumLoadBalancerIPPool/blue-pool", path: "spec.blocks", rendered: [{ cidr: "20.0.10.0/24" }], kind: "obsolete",
            reason: "the same block under today's field name `blocks`",
        },
        {
            where: "CiliumLoadBalancerIPPool/red-pool", path: "spec.cidrs", rendered: "(absent)", kind: "obsolete",
            reason: "`spec.cidrs` is gone from the CiliumLoadBalancerIPPool CRD of every release the project supports (1.16+: only `blocks`); an API server would prune it and leave the pool empty",
        },
        {
            where: "CiliumLoadBalancerIPPool/red-pool", path: "spec.blocks", rendered: [{ cidr: "30.0.10.0/24" }], kind: "obsolete",
            reason: "the same block under today's field name `blocks`",
        },
        {
            where: "fact", path: "cilium.version", rendered: "1.16.19", kind: "obsolete",
            reason: "the seed's 1.13.0-rc5 is a pre-release of a line the project does not render (lines 1.15-1.20 here, v1 policies served up to 1.18); 1.16.19 is the oldest line with both v1 policies and today's CRDs",
        },
        { where: "CiliumBGPPeeringPolicy/rack0", path: "spec.virtualRouters[0].neighbors[0].connectRetryTimeSeconds", rendered: 5, kind: "choice", reason: R004[0] },
        { where: "CiliumBGPPeeringPolicy/rack0", path: "spec.virtualRouters[0].neighbors[0].families", rendered: [{"afi": "ipv4", "safi": "unicast"}], kind: "choice", reason: R004[1] },
        { where: "CiliumBGPPeeringPolicy/rack0", path: "spec.virtualRouters[0].neighbors[0].gracefulRestart", rendered: {"enabled": true, "restartTimeSeconds": 120}, kind: "choice", reason: R004[0] },
        { where: "CiliumBGPPeeringPolicy/rack0", path: "spec.virtualRouters[0].neighbors[0].holdTimeSeconds", rendered: 9, kind: "choice", reason: R004[0] },
        { where: "CiliumBGPPeeringPolicy/rack0", path: "spec.virtualRouters[0].neighbors[0].keepAliveTimeSeconds", rendered: 3, kind: "choice", reason: R004[0] },
        { where: "CiliumBGPPeeringPolicy/rack0", path: "spec.virtualRouters[0].neighbors[0].peerAddress", rendered: "10.1.5.1/32", kind: "choice", reason: R004[3] },
        { where: "CiliumBGPPeeringPolicy/rack0", path: "spec.virtualRouters[0].serviceAdvertisements", rendered: ["LoadBalancerIP"], kind: "obsolete", reason: R004[2] },
        { where: "CiliumBGPPeeringPolicy/rack1", path: "spec.virtualRouters[0].neighbors[0].connectRetryTimeSeconds", rendered: 5, kind: "choice", reason: R004[0] },
        { where: "CiliumBGPPeeringPolicy/rack1", path: "spec.virtualRouters[0].neighbors[0].families", rendered: [{"afi": "ipv4", "safi": "unicast"}], kind: "choice", reason: R004[1] },
        { where: "CiliumBGPPeeringPolicy/rack1", path: "spec.virtualRouters[0].neighbors[0].gracefulRestart", rendered: {"enabled": true, "restartTimeSeconds": 120}, kind: "choice", reason: R004[0] },
        { where: "CiliumBGPPeeringPolicy/rack1", path: "spec.virtualRouters[0].neighbors[0].holdTimeSeconds", rendered: 9, kind: "choice", reason: R004[0] },
        { where: "CiliumBGPPeeringPolicy/rack1", path: "spec.virtualRouters[0].neighbors[0].keepAliveTimeSeconds", rendered: 3, kind: "choice", reason: R004[0] },
        { where: "CiliumBGPPeeringPolicy/rack1", path: "spec.virtualRouters[0].neighbors[0].peerAddress", rendered: "10.1.8.1/32", kind: "choice", reason: R004[3] },
        { where: "CiliumBGPPeeringPolicy/rack1", path: "spec.virtualRouters[0].serviceAdvertisements", rendered: ["LoadBalancerIP"], kind: "obsolete", reason: R004[2] },
        { where: "Service/cni", path: "metadata.annotations", rendered: { "lbipam.cilium.io/ips": "30.0.10.1" }, kind: "choice", reason: R004[4] },
        { where: "Service/cni", path: "metadata.labels.app", rendered: "cni", kind: "choice", reason: R004[9] },
        { where: "Service/cni", path: "metadata.namespace", rendered: "default", kind: "choice", reason: R004[10] },
        { where: "Service/cni", path: "spec.externalTrafficPolicy", rendered: "Cluster", kind: "choice", reason: R004[11] },
        { where: "Service/cni", path: "spec.ipFamilies", rendered: ["IPv4"], kind: "choice", reason: R004[11] },
        { where: "Service/cni", path: "spec.ipFamilyPolicy", rendered: "SingleStack", kind: "choice", reason: R004[11] },
        { where: "Service/cni", path: "spec.ports[0].name", rendered: "http", kind: "choice", reason: R004[12] },
        { where: "Service/cni", path: "spec.ports[0].targetPort", rendered: "http", kind: "choice", reason: R004[12] },
        { where: "router spine0", path: "blackhole 10.1.0.0/16", rendered: "present", kind: "choice", reason: R004[6] },
        { where: "router spine0", path: "blackhole 10.96.0.0/16", rendered: "present", kind: "choice", reason: R004[6] },
        { where: "router spine0", path: "blackhole 10.98.0.0/16", rendered: "present", kind: "choice", reason: R004[6] },
        { where: "router spine0", path: "blackhole 20.0.10.0/24", rendered: "present", kind: "choice", reason: R004[6] },
        { where: "router spine0", path: "blackhole 30.0.10.0/24", rendered: "present", kind: "choice", reason: R004[6] },
        { where: "router spine0", path: "loopback 10.1.0.1/32", rendered: "present", kind: "gap", reason: R004[5] },
        { where: "router spine0", path: "neighbor 10.1.10.1.remoteAs", rendered: "external", kind: "choice", reason: R004[7] },
        { where: "router spine0", path: "neighbor 10.1.34.1.remoteAs", rendered: "external", kind: "choice", reason: R004[7] },
        { where: "router spine1", path: "blackhole 10.1.0.0/16", rendered: "present", kind: "choice", reason: R004[6] },
        { where: "router spine1", path: "blackhole 10.96.0.0/16", rendered: "present", kind: "choice", reason: R004[6] },
        { where: "router spine1", path: "blackhole 10.98.0.0/16", rendered: "present", kind: "choice", reason: R004[6] },
        { where: "router spine1", path: "blackhole 20.0.10.0/24", rendered: "present", kind: "choice", reason: R004[6] },
        { where: "router spine1", path: "blackhole 30.0.10.0/24", rendered: "present", kind: "choice", reason: R004[6] },
        { where: "router spine1", path: "loopback 10.1.0.2/32", rendered: "present", kind: "gap", reason: R004[5] },
        { where: "router spine1", path: "neighbor 10.1.11.1.remoteAs", rendered: "external", kind: "choice", reason: R004[7] },
        { where: "router spine1", path: "neighbor 10.1.12.1.remoteAs", rendered: "external", kind: "choice", reason: R004[7] },
        { where: "router leaf0", path: "network 10.1.0.5/32", rendered: "present", kind: "choice", reason: R004[8] },
        { where: "router leaf0", path: "network 10.1.10.0/24", rendered: "present", kind: "choice", reason: R004[8] },
        { where: "router leaf0", path: "network 10.1.12.0/24", rendered: "present", kind: "choice", reason: R004[8] },
        { where: "router leaf0", path: "network 10.1.0.0/16", rendered: "present", kind: "choice", reason: R004[8] },
        { where: "router leaf0", path: "network 10.96.0.0/16", rendered: "present", kind: "choice", reason: R004[8] },
        { where: "router leaf0", path: "network 10.98.0.0/16", rendered: "present", kind: "choice", reason: R004[8] },
        { where: "router leaf0", path: "network 20.0.10.0/24", rendered: "present", kind: "choice", reason: R004[8] },
        { where: "router leaf0", path: "network 30.0.10.0/24", rendered: "present", kind: "choice", reason: R004[8] },
        { where: "router leaf0", path: "blackhole 10.1.0.0/16", rendered: "present", kind: "choice", reason: R004[6] },
        { where: "router leaf0", path: "blackhole 10.96.0.0/16", rendered: "present", kind: "choice", reason: R004[6] },
        { where: "router leaf0", path: "blackhole 10.98.0.0/16", rendered: "present", kind: "choice", reason: R004[6] },
        { where: "router leaf0", path: "blackhole 20.0.10.0/24", rendered: "present", kind: "choice", reason: R004[6] },
        { where: "router leaf0", path: "blackhole 30.0.10.0/24", rendered: "present", kind: "choice", reason: R004[6] },
        { where: "router leaf0", path: "loopback 10.1.0.5/32", rendered: "present", kind: "gap", reason: R004[5] },
        { where: "router leaf0", path: "neighbor 10.1.5.10.remoteAs", rendered: "internal", kind: "choice", reason: R004[7] },
        { where: "router leaf0", path: "neighbor 10.1.5.11.remoteAs", rendered: "internal", kind: "choice", reason: R004[7] },
        { where: "router leaf0", path: "neighbor 10.1.10.2.remoteAs", rendered: "external", kind: "choice", reason: R004[7] },
        { where: "router leaf0", path: "neighbor 10.1.12.2.remoteAs", rendered: "external", kind: "choice", reason: R004[7] },
        { where: "router leaf1", path: "network 10.1.0.8/32", rendered: "present", kind: "choice", reason: R004[8] },
        { where: "router leaf1", path: "network 10.1.11.0/24", rendered: "present", kind: "choice", reason: R004[8] },
        { where: "router leaf1", path: "network 10.1.34.0/24", rendered: "present", kind: "choice", reason: R004[8] },
        { where: "router leaf1", path: "network 10.1.0.0/16", rendered: "present", kind: "choice", reason: R004[8] },
        { where: "router leaf1", path: "network 10.96.0.0/16", rendered: "present", kind: "choice", reason: R004[8] },
        { where: "router leaf1", path: "network 10.98.0.0/16", rendered: "present", kind: "choice", reason: R004[8] },
        { where: "router leaf1", path: "network 20.0.10.0/24", rendered: "present", kind: "choice", reason: R004[8] },
        { where: "router leaf1", path: "network 30.0.10.0/24", rendered: "present", kind: "choice", reason: R004[8] },
        { where: "router leaf1", path: "blackhole 10.1.0.0/16", rendered: "present", kind: "choice", reason: R004[6] },
        { where: "router leaf1", path: "blackhole 10.96.0.0/16", rendered: "present", kind: "choice", reason: R004[6] },
        { where: "router leaf1", path: "blackhole 10.98.0.0/16", rendered: "present", kind: "choice", reason: R004[6] },
        { where: "router leaf1", path: "blackhole 20.0.10.0/24", rendered: "present", kind: "choice", reason: R004[6] },
        { where: "router leaf1", path: "blackhole 30.0.10.0/24", rendered: "present", kind: "choice", reason: R004[6] },
        { where: "router leaf1", path: "loopback 10.1.0.8/32", rendered: "present", kind: "gap", reason: R004[5] },
        { where: "router leaf1", path: "neighbor 10.1.8.10.remoteAs", rendered: "internal", kind: "choice", reason: R004[7] },
        { where: "router leaf1", path: "neighbor 10.1.8.11.remoteAs", rendered: "internal", kind: "choice", reason: R004[7] },
        { where: "router leaf1", path: "neighbor 10.1.11.2.remoteAs", rendered: "external", kind: "choice", reason: R004[7] },
        { where: "router leaf1", path: "neighbor 10.1.34.2.remoteAs", rendered: "external", kind: "choice", reason: R004[7] },
    ],
};

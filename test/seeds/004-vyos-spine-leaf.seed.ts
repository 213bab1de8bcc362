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

export const seed004: SeedData = {
    seed: "004",
    file: "004_8ad297c136c63f5d.txt",
    stack: { file: "test/seeds/stacks/Pulumi.seed004.yaml", name: "seed004" },
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
    ],
};

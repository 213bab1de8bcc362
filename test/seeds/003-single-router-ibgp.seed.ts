/**
 * Seed 003 (../shared/seeds/003_154511c20b7cf9cb.txt): one OPNsense router (its os-frr plugin,
 * i.e. FRR) and the cluster in the same AS 64555 (iBGP), the router at 10.86.5.254, one LB IPAM
 * pool, a v1 CiliumBGPPeeringPolicy for the worker nodes only, announcing services labelled
 * homelab/public-service=true and no pod CIDRs, and a Service with externalTrafficPolicy: Local.
 * The seed does not name the router or the nodes, nor give their addresses except the router's
 * and one node's (10.86.5.206, lines 56 and 254), so the nodes are not listed. The Service has no
 * selector (the seed simplified Traefik's, lines 243-244): the stack's smoke.selector {} renders
 * none, so the project runs no pods of its own behind it.
 */
import type { SeedData } from "./types";

/** Reasons shared by the differences of one cause (issue 16 rendering of the shipped stack). */
const R003 = [
    "the seed leaves families to Cilium's default; the project lists only the plan's family (ipv4 unicast) so no other AFI is negotiated with the router",
    "the seed's policy sets no serviceAdvertisements; the v2alpha1 CRD defaults it to [LoadBalancerIP] (v1.16.15 ciliumbgppeeringpolicies.yaml), which the project writes out: the same behaviour",
    "the project pins the smoke Service's address (a deterministic address of smoke.lbPool, components/lbpools/requests.ts) so checks know it; the seed lets LB-IPAM pick",
    "the project writes the Service's IP family explicitly (the plan's ipFamily); the seed leaves it to the cluster default, which is the same IPv4 single stack",
    "the project's router announces the prefixes the plan owns (its aggregates and loopback) with `network` statements; the seed shows no announcement on OPNsense",
];

export const seed003: SeedData = {
    seed: "003",
    file: "003_154511c20b7cf9cb.txt",
    stack: { file: "Pulumi.seed-003-single-router.yaml", name: "seed-003-single-router" },
    objects: [
        {
            lines: "164-171",
            object: {
                apiVersion: "cilium.io/v2alpha1", kind: "CiliumLoadBalancerIPPool",
                metadata: { name: "cilium-lb-ipam", namespace: "kube-system" },
                spec: { cidrs: [{ cidr: "10.86.55.0/24" }] },
            },
        },
        {
            lines: "178-202",
            object: {
                apiVersion: "cilium.io/v2alpha1", kind: "CiliumBGPPeeringPolicy",
                metadata: { name: "worker-node-bgp", namespace: "kube-system" },
                spec: {
                    nodeSelector: { matchLabels: { "homelab/role": "worker" } },
                    virtualRouters: [{
                        localASN: 64555,
                        exportPodCIDR: false,
                        serviceSelector: { matchLabels: { "homelab/public-service": "true" } },
                        neighbors: [{
                            peerAddress: "10.86.5.254/32",
                            peerASN: 64555,
                            eBGPMultihopTTL: 10,
                            connectRetryTimeSeconds: 120,
                            holdTimeSeconds: 90,
                            keepAliveTimeSeconds: 30,
                            gracefulRestart: { enabled: true, restartTimeSeconds: 120 },
                        }],
                    }],
                },
            },
        },
        {
            lines: "224-242",
            object: {
                apiVersion: "v1", kind: "Service",
                metadata: {
                    annotations: { "external-dns.alpha.kubernetes.io/hostname": "ingress-k8s.mei-home.net" },
                    labels: { "homelab/part-of": "traefik-ingress", "homelab/public-service": "true" },
                    name: "traefik-ingress",
                    namespace: "traefik-ingress",
                },
                spec: {
                    externalTrafficPolicy: "Local",
                    ports: [{ name: "secureweb", nodePort: 31512, port: 443, protocol: "TCP", targetPort: "secureweb" }],
                    type: "LoadBalancer",
                },
            },
        },
    ],
    routers: [
        {
            // Lines 74-75 / 207: AS 64555 on both sides; 83: FRRouting (os-frr); 112-116: no redistribution, no network;
            // 194 / 205: reachable from the nodes at 10.86.5.254. The seed's router has no name: "opnsense" (line 77).
            lines: "74-75, 77, 83, 112-116, 194, 205",
            name: "opnsense", flavour: "frr", asn: 64555, networks: [], redistributeConnected: false,
        },
    ],
    nodes: [],
    helmValues: { lines: "154-155", values: { "bgpControlPlane.enabled": true } },
    facts: [
        { lines: "188", name: "cilium.localASNs", value: [64555] },
        { lines: "194-195", name: "cilium.peers", value: [{ peerAddress: "10.86.5.254/32", peerASN: 64555 }] },
    ],
    allowedDifferences: [
        {
            where: "CiliumBGPPeeringPolicy/worker-node-bgp", path: "spec.virtualRouters[0].neighbors[0].eBGPMultihopTTL", rendered: "(absent)", kind: "refused",
            reason: "the session is iBGP (64555 on both sides): eBGP multihop does not apply (GoBGP sets no TTL on iBGP), so the project refuses ebgpMultihop there instead of carrying a setting that does nothing",
        },
        {
            where: "CiliumLoadBalancerIPPool/cilium-lb-ipam", path: "metadata.namespace", rendered: "(absent)", kind: "obsolete",
            reason: "CiliumLoadBalancerIPPool is cluster-scoped (CRD scope: Cluster): the API server ignores the seed's namespace",
        },
        {
            where: "CiliumBGPPeeringPolicy/worker-node-bgp", path: "metadata.namespace", rendered: "(absent)", kind: "obsolete",
            reason: "CiliumBGPPeeringPolicy is cluster-scoped (CRD scope: Cluster): the API server ignores the seed's namespace",
        },
        {
            where: "CiliumLoadBalancerIPPool/cilium-lb-ipam", path: "spec.cidrs", rendered: "(absent)", kind: "obsolete",
            reason: "`spec.cidrs` is gone from the CiliumLoadBalancerIPPool CRD of every release the project supports (1.16+: only `blocks`); an API server would prune it and leave the pool empty",
        },
        {
            where: "CiliumLoadBalancerIPPool/cilium-lb-ipam", path: "spec.blocks", rendered: [{ cidr: "10.86.55.0/24" }], kind: "obsolete",
            reason: "the same block under today's field name `blocks`",
        },
        { where: "CiliumBGPPeeringPolicy/worker-node-bgp", path: "spec.virtualRouters[0].neighbors[0].families", rendered: [{"afi": "ipv4", "safi": "unicast"}], kind: "choice", reason: R003[0] },
        { where: "CiliumBGPPeeringPolicy/worker-node-bgp", path: "spec.virtualRouters[0].serviceAdvertisements", rendered: ["LoadBalancerIP"], kind: "obsolete", reason: R003[1] },
        { where: "Service/traefik-ingress", path: "metadata.annotations.lbipam.cilium.io/ips", rendered: "10.86.55.1", kind: "choice", reason: R003[2] },
        { where: "Service/traefik-ingress", path: "spec.ipFamilies", rendered: ["IPv4"], kind: "choice", reason: R003[3] },
        { where: "Service/traefik-ingress", path: "spec.ipFamilyPolicy", rendered: "SingleStack", kind: "choice", reason: R003[3] },
        { where: "router opnsense", path: "network 10.7.0.0/16", rendered: "present", kind: "choice", reason: R003[4] },
        { where: "router opnsense", path: "network 10.86.5.0/24", rendered: "present", kind: "choice", reason: R003[4] },
        { where: "router opnsense", path: "network 10.86.55.0/24", rendered: "present", kind: "choice", reason: R003[4] },
        { where: "router opnsense", path: "network 10.244.0.0/16", rendered: "present", kind: "choice", reason: R003[4] },
        { where: "router opnsense", path: "network 10.255.0.0/24", rendered: "present", kind: "choice", reason: R003[4] },
        { where: "router opnsense", path: "network 10.255.0.1/32", rendered: "present", kind: "choice", reason: R003[4] },
    ],
};

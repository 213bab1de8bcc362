/**
 * Seed 001 (../shared/seeds/001_b05863b94ba4dc56.txt): a k3d cluster (one server, two agents) on a
 * dual-stack Docker network, Cilium 1.16.0-rc.0 with BGP v2, FRR on the host peering with every
 * node, a Gateway and an HTTPRoute. The seed names its files (k3d config, cilium-values.yaml,
 * ippool.yaml, bgp-config.yaml, hubble.yaml, frr.conf) but shows little of them, so most facts
 * come from its prose and its command output (docker ps, kubectl get, cilium bgp peers, show bgp
 * summary); only what those state is here. The router has no name in the seed: "host" (line 21,
 * "FRR is deployed on the host machine").
 */
import type { SeedData } from "./types";

const RENDERED_GATEWAY = {
    "spec.addresses": [{ type: "IPAddress", value: "2004::1" }],
    "spec.infrastructure": { annotations: { "lbipam.cilium.io/ips": "2004::1" } },
    "spec.listeners": [{ allowedRoutes: { namespaces: { from: "Selector", selector: { matchLabels: { "shared-gw": "true" } } } }, name: "http", port: 80, protocol: "HTTP" }],
};
const RENDERED_ROUTE = {
    "spec.parentRefs": [{ group: "gateway.networking.k8s.io", kind: "Gateway", name: "shared-gw-ipv6", namespace: "kube-system" }],
    "spec.rules": [{ backendRefs: [{ group: "", kind: "Service", name: "hubble-ipv6-gw", port: 80 }], matches: [{ path: { type: "PathPrefix", value: "/" } }] }],
};

export const seed001: SeedData = {
    seed: "001",
    file: "001_b05863b94ba4dc56.txt",
    stack: { file: "Pulumi.seed-001-k3d-dual-stack.yaml", name: "seed-001-k3d-dual-stack" },
    objects: [
        {
            // Lines 240-242: `kubectl -n kube-system get gateway` -> shared-gw-ipv6, CLASS cilium, ADDRESS 2004::1 (address: see facts).
            lines: "240-242",
            inferred: { apiVersion: "kubectl shows the group only (gateway.gateway.networking.k8s.io, line 242); the v1.1.0 CRDs the seed applies (lines 135-137) serve Gateway and HTTPRoute as v1" },
            object: {
                apiVersion: "gateway.networking.k8s.io/v1", kind: "Gateway",
                metadata: { name: "shared-gw-ipv6", namespace: "kube-system" },
                spec: { gatewayClassName: "cilium" },
            },
        },
        {
            // Lines 240, 254-255: the HTTPRoute hubble-ipv6-gw in kube-system with HOSTNAMES ["hubble.example.com"].
            lines: "240, 254-255",
            inferred: { apiVersion: "kubectl shows the group only (gateway.gateway.networking.k8s.io, line 242); the v1.1.0 CRDs the seed applies (lines 135-137) serve Gateway and HTTPRoute as v1" },
            object: {
                apiVersion: "gateway.networking.k8s.io/v1", kind: "HTTPRoute",
                metadata: { name: "hubble-ipv6-gw", namespace: "kube-system" },
                spec: { hostnames: ["hubble.example.com"] },
            },
        },
    ],
    routers: [
        {
            // Lines 21, 261-269: FRR on the host, local AS 64513; line 285: router identifier 172.50.0.1;
            // line 279: the nodes' peer address 2001:3200:3200::1 (in the /64 of line 102); lines 292-294 and
            // 306-308: neighbors ::2, ::3, ::4 in AS 64512.
            lines: "21, 102, 267, 279, 285, 292-294",
            name: "host", flavour: "frr", asn: 64513, routerId: "172.50.0.1",
            addresses: ["2001:3200:3200::1/64"],
            neighbors: [
                { address: "2001:3200:3200::2", remoteAs: 64512 },
                { address: "2001:3200:3200::3", remoteAs: 64512 },
                { address: "2001:3200:3200::4", remoteAs: 64512 },
            ],
        },
    ],
    nodes: [
        // Lines 123-125 (docker ps) and 211-213 (kubectl annotate): the three k3d nodes, each annotated with router-id 172.50.0.1.
        { lines: "125, 213", name: "k3d-cilium-cluster-server-0", annotations: { "cilium.io/bgp-virtual-router.64512": "router-id=172.50.0.1" } },
        { lines: "124, 212", name: "k3d-cilium-cluster-agent-0", annotations: { "cilium.io/bgp-virtual-router.64512": "router-id=172.50.0.1" } },
        { lines: "123, 211", name: "k3d-cilium-cluster-agent-1", annotations: { "cilium.io/bgp-virtual-router.64512": "router-id=172.50.0.1" } },
    ],
    // Lines 144-150: the notable values of cilium-values.yaml (the rest of the file is not shown).
    helmValues: { lines: "146-150", values: { tunnel: "disabled", "bgpControlPlane.enabled": true, enableIPv6BIGTCP: true } },
    facts: [
        { lines: "117", name: "cluster.provider", value: "k3d" },
        { lines: "123-125", name: "cluster.name", value: "cilium-cluster" },
        { lines: "156", name: "cilium.version", value: "1.16.0-rc.0" },
        // Lines 96-103: the Docker network "cilium": 172.50.0.0/16 (gateway 172.50.0.1) and 2001:3200:3200::/64.
        { lines: "98, 102", name: "addressPlan.nodeNetworks", value: ["172.50.0.0/16", "2001:3200:3200::/64"] },
        // Lines 211-213 (the ASN in the annotation) and 279-281 (cilium bgp peers: Local AS 64512, Peer AS 64513 at 2001:3200:3200::1).
        { lines: "279", name: "cilium.localASNs", value: [64512] },
        { lines: "279", name: "cilium.peers", value: [{ peerAddress: "2001:3200:3200::1", peerASN: 64513 }] },
        { lines: "242", name: "gateway.address", value: "2004::1" },
        {
            lines: "135-140", name: "gatewayApi.crds", value: [
                "https://raw.githubusercontent.com/kubernetes-sigs/gateway-api/v1.1.0/config/crd/experimental/gateway.networking.k8s.io_gatewayclasses.yaml",
                "https://raw.githubusercontent.com/kubernetes-sigs/gateway-api/v1.1.0/config/crd/experimental/gateway.networking.k8s.io_gateways.yaml",
                "https://raw.githubusercontent.com/kubernetes-sigs/gateway-api/v1.1.0/config/crd/experimental/gateway.networking.k8s.io_httproutes.yaml",
                "https://raw.githubusercontent.com/kubernetes-sigs/gateway-api/v1.1.0/config/crd/experimental/gateway.networking.k8s.io_tlsroutes.yaml",
                "https://raw.githubusercontent.com/kubernetes-sigs/gateway-api/v1.1.0/config/crd/experimental/gateway.networking.k8s.io_referencegrants.yaml",
                "https://raw.githubusercontent.com/kubernetes-sigs/gateway-api/v1.1.0/config/crd/experimental/gateway.networking.k8s.io_grpcroutes.yaml",
            ],
        },
    ],
    allowedDifferences: [
        {
            where: "helm", path: "tunnel", rendered: "(absent)", kind: "obsolete",
            reason: "Helm `tunnel` was removed in Cilium 1.15 (the loader refuses cilium.values.tunnel); `routingMode: native` says the same",
        },
        {
            where: "fact", path: "cilium.version", rendered: "1.17.18", kind: "refused",
            reason: "the seed's 1.16.0-rc.0 is a pre-release, and the project refuses Gateway API on 1.16: Cilium 1.16 ignores a Gateway's spec.addresses (cilium/cilium#32865), so the seed's 2004::1 could not be requested; 1.17 is the nearest line that honours it",
        },
        {
            where: "fact", path: "gatewayApi.crds", rendered: ["https://github.com/kubernetes-sigs/gateway-api/releases/download/v1.2.1/experimental-install.yaml"], kind: "obsolete",
            reason: "Cilium 1.17 builds against Gateway API v1.2.1 (its go.mod: ../shared/README.md); the project applies that release's experimental install (the seed's channel), which holds the six CRDs the seed applies one by one from v1.1.0",
        },
        // The annotation is BGP v1's router-ID setting (lines 211-213: the same 172.50.0.1 on every node).
        ...["k3d-cilium-cluster-server-0", "k3d-cilium-cluster-agent-0", "k3d-cilium-cluster-agent-1"].map((n) => ({
            where: `node ${n}`, path: "annotation cilium.io/bgp-virtual-router.64512", rendered: "(absent)", kind: "obsolete" as const,
            reason: "the annotation is BGP v1's router-ID setting; the v2 objects the seed uses ignore it, and a dual-stack node needs none: Cilium takes its IPv4 address as router ID (the plan's router ID of the node)",
        })),
        // What the seed names but does not show (ippool.yaml, bgp-config.yaml, hubble.yaml: lines 207, 229, 237).
        ...["CiliumLoadBalancerIPPool/lb-pool", "CiliumBGPClusterConfig/cilium-bgp", "CiliumBGPPeerConfig/cilium-peer-ebgp-ipv6",
            "CiliumBGPAdvertisement/bgp-podcidr", "CiliumBGPAdvertisement/bgp-services"].map((where) => ({
            where, path: "(object)", rendered: "present", kind: "choice" as const,
            reason: "the seed applies its pool and BGP objects from files it does not show (ippool.yaml, bgp-config.yaml); the project renders its own from the plan, with the seed's ASNs, peer and pool address",
        })),
        ...(["spec.addresses", "spec.infrastructure", "spec.listeners"] as const).map((path) => ({
            where: "Gateway/shared-gw-ipv6", path, rendered: RENDERED_GATEWAY[path], kind: "choice" as const,
            reason: "the seed shows the Gateway's kubectl line only (class, address 2004::1); the project requests that address (spec.addresses and LB IPAM's annotation) and writes its listener (HTTP 80, routes from namespaces labelled shared-gw=true, lines 233-235)",
        })),
        ...(["spec.parentRefs", "spec.rules"] as const).map((path) => ({
            where: "HTTPRoute/hubble-ipv6-gw", path, rendered: RENDERED_ROUTE[path], kind: "choice" as const,
            reason: "the seed shows the route's kubectl line only (name, hostnames); the project attaches it to the Gateway and sends every path to the smoke Service standing for the seed's hubble-ui backend",
        })),
        {
            where: "router host", path: "address 172.50.0.1/16", rendered: "present", kind: "choice",
            reason: "the seed's FRR runs on the host, whose 172.50.0.1 is the Docker bridge's gateway (line 99); the project's router is a container holding host 1 of both halves (172.50.0.1 and 2001:3200:3200::1), with Docker's gateway moved out of its way",
        },
        ...["2", "3", "4"].map((h) => ({
            where: "router host", path: `neighbor 2001:3200:3200::${h}.remoteAs`, rendered: "external", kind: "choice" as const,
            reason: "the project puts the router's node peers in a peer group with `remote-as external` (every node is in AS64512, the plan checks each ASN), where the seed names the ASN; the sessions are the same eBGP ones",
        })),
    ],
};

/**
 * Minimal resource sets in the shapes the program registers: an IPv6-only ToR stack (seed 000
 * layout, Cilium 1.17, two FRR ToRs peering with three nodes) and an IPv4 spine-leaf stack (two
 * racks, a leaf per rack, one spine). Tests mutate deep copies with `mutate`.
 */
import type { PolicyResource } from "./run";

export const PASSWORD = "s3cret-bgp-pw";
const STACK = "fixture";

export function res(type: string, name: string, props: Record<string, unknown>): PolicyResource {
    return { type, name, urn: `urn:pulumi:${STACK}::cilium-bgp-fabric::${type}::${name}`, props };
}

const cr = (apiVersion: string, kind: string, name: string, spec: Record<string, unknown>, extra: Record<string, unknown> = {}): PolicyResource =>
    res(`kubernetes:${apiVersion}:${kind}`, `bgp-${kind.toLowerCase()}-${name}`, { apiVersion, kind, metadata: { name, ...extra }, spec });

interface NodeSpec { name: string; role: "control-plane" | "worker"; address: string; rack?: string }

function kindConfig(family: string, pod: string, svc: string, nodes: NodeSpec[]): string {
    const lines = ["apiVersion: kind.x-k8s.io/v1alpha4", "kind: Cluster", "name: lab", "networking:", `  ipFamily: ${family}`, "  disableDefaultCNI: true",
        "  kubeProxyMode: none", `  podSubnet: ${pod}`, `  serviceSubnet: ${svc}`, "nodes:"];
    nodes.forEach((n, i) => {
        lines.push(`  - role: ${n.role}`, "    image: kindest/node:v1.32.2", "    kubeadmConfigPatches:", "      - |",
            `        kind: ${i === 0 ? "InitConfiguration" : "JoinConfiguration"}`, "        nodeRegistration:", `          name: ${n.name}`,
            "          kubeletExtraArgs:", `            node-ip: "${n.address}"`, ...(n.rack ? [`            node-labels: "rack=${n.rack}"`] : []));
    });
    return lines.join("\n") + "\n";
}

const joinScript = (nodes: NodeSpec[], net: string, gw: string): string =>
    ["#!/bin/sh", "set -eu", ...nodes.map((n) => `# ${n.name} (lab-${n.name}): ${n.address} on ${net}, default via ${gw}`)].join("\n") + "\n";

function common(password: string): PolicyResource[] {
    return [
        res("kubernetes:core/v1:Secret", "bgp-auth", { metadata: { name: "bgp-auth-secret", namespace: "kube-system" }, type: "Opaque", stringData: { password } }),
        cr("cilium.io/v2alpha1", "CiliumBGPAdvertisement", "bgp-services", {
            advertisements: [{ advertisementType: "Service", service: { addresses: ["LoadBalancerIP"] }, selector: { matchExpressions: [{ key: "somekey", operator: "NotIn", values: ["never-used-value"] }] } }],
        }, { labels: { advertise: "bgp" } }),
        cr("cilium.io/v2alpha1", "CiliumBGPAdvertisement", "bgp-podcidr", { advertisements: [{ advertisementType: "PodCIDR" }] }, { labels: { advertise: "bgp" } }),
        res("pulumi:providers:kubernetes", "cluster-provider", {}),
    ];
}

const routerConfig = (name: string, password: string): string => `hostname ${name}\nrouter bgp\n neighbor NODES password ${password}\n`;

/** IPv6-only ToR stack: nodes 2001:db8:ae3:fff0::10-12, routers ::1 and ::2, Cilium 1.17 with overrides. */
export function ipv6Stack(password = PASSWORD): PolicyResource[] {
    const net = "cbf-lab6-nodes";
    const nodes: NodeSpec[] = [
        { name: "cp-1", role: "control-plane", address: "2001:db8:ae3:fff0::11" },
        { name: "worker-2", role: "worker", address: "2001:db8:ae3:fff0::12" },
        { name: "worker-3", role: "worker", address: "2001:db8:ae3:fff0::13" },
    ];
    const routers = [
        { name: "r01", asn: 65066, routerId: "10.255.255.1", loopback: "2001:db8:ae3:ffff::1", address: "2001:db8:ae3:fff0::1" },
        { name: "r02", asn: 65066, routerId: "10.255.255.2", loopback: "2001:db8:ae3:ffff::2", address: "2001:db8:ae3:fff0::2" },
    ];
    return [
        res("pulumi:pulumi:Stack", `cilium-bgp-fabric-${STACK}`, {}),
        res("docker:index/network:Network", "cbf-lab6-nodes", {
            name: net, driver: "bridge", ipv6: true, ipamConfigs: [{ subnet: "2001:db8:ae3:fff0::/64", gateway: "2001:db8:ae3:fff0:ffff:ffff:ffff:fffe" }], labels: [],
        }),
        ...routers.map((r) => res("docker:index/container:Container", `cbf-lab6-${r.name}`, {
            name: `cbf-lab6-${r.name}`, image: "quay.io/frrouting/frr:10.2.1", networksAdvanced: [{ name: net, ipv6Address: r.address }],
            uploads: [{ file: "/etc/frr/frr.conf", content: routerConfig(r.name, password) }], capabilities: { adds: ["NET_ADMIN", "SYS_ADMIN"] },
            sysctls: { "net.ipv6.conf.all.forwarding": "1" },
        })),
        res("cilium-bgp-fabric:routers:RouterFleet", "routers", {
            routers: routers.map((r) => ({
                name: r.name, flavour: "frr", role: "tor", asn: r.asn, routerId: r.routerId, loopback: r.loopback,
                addresses: [r.address],
                neighbors: nodes.map((n) => ({ address: n.address, asn: 65500, family: "ipv6" })),
            })),
            configs: Object.fromEntries(routers.map((r) => [r.name, routerConfig(r.name, password)])),
        }),
        res("cilium-bgp-fabric:cluster:Cluster", "cluster", { clusterName: "lab6" }),
        res("command:local:Command", "cluster-create", {
            create: "set -eu; f=$(mktemp); cat > \"$f\"; kind create cluster --name 'lab6' --config \"$f\"",
            stdin: kindConfig("ipv6", "2001:db8:ae3:c200::/56", "2001:db8:ae3:c100::/112", nodes),
        }),
        res("command:local:Command", "cluster-join", { create: joinScript(nodes, net, routers[0].address) }),
        res("kubernetes:helm.sh/v3:Release", "cilium-release", {
            name: "cilium", chart: "cilium", version: "1.17.18", namespace: "kube-system",
            values: {
                ipv4: { enabled: false }, ipv6: { enabled: true }, routingMode: "native", ipv6NativeRoutingCIDR: "2001:db8:ae3:c200::/56",
                ipam: { mode: "cluster-pool", operator: { clusterPoolIPv6PodCIDRList: ["2001:db8:ae3:c200::/56"], clusterPoolIPv6MaskSize: 64 } },
                bgpControlPlane: { enabled: true, secretsNamespace: { name: "kube-system" } },
            },
        }),
        cr("cilium.io/v2alpha1", "CiliumBGPClusterConfig", "bgp-cluster", {
            nodeSelector: { matchExpressions: [{ key: "somekey", operator: "NotIn", values: ["never-used-value"] }] },
            bgpInstances: [{
                name: "instance-65500", localASN: 65500,
                peers: routers.map((r) => ({ name: r.name, peerASN: r.asn, peerAddress: r.address, peerConfigRef: { name: "ebgp" } })),
            }],
        }),
        cr("cilium.io/v2alpha1", "CiliumBGPPeerConfig", "ebgp", {
            authSecretRef: "bgp-auth-secret", timers: { holdTimeSeconds: 9, keepAliveTimeSeconds: 3, connectRetryTimeSeconds: 5 }, ebgpMultihop: 4,
            gracefulRestart: { enabled: true, restartTimeSeconds: 15 }, families: [{ afi: "ipv6", safi: "unicast", advertisements: { matchLabels: { advertise: "bgp" } } }],
        }),
        ...nodes.map((n, i) => cr("cilium.io/v2alpha1", "CiliumBGPNodeConfigOverride", n.name, { bgpInstances: [{ name: "instance-65500", routerID: `10.255.0.${i + 1}` }] })),
        cr("cilium.io/v2alpha1", "CiliumLoadBalancerIPPool", "lb-pool", { blocks: [{ cidr: "2001:db8:ae3:c401::/64" }] }),
        ...common(password),
    ];
}

/** IPv4 spine-leaf: racks rack1/rack2 (ASNs 65011/65012), leaf1/leaf2 route-reflect their rack, spine1 above. */
export function ipv4Stack(password = PASSWORD): PolicyResource[] {
    const nodes: NodeSpec[] = [
        { name: "control-plane-1", role: "control-plane", address: "10.0.0.11", rack: "rack1" },
        { name: "worker-2", role: "worker", address: "10.0.0.12", rack: "rack1" },
        { name: "worker-3", role: "worker", address: "10.0.1.13", rack: "rack2" },
        { name: "worker-4", role: "worker", address: "10.0.1.14", rack: "rack2" },
    ];
    const racks = [
        { rack: "rack1", asn: 65011, leaf: "leaf1", leafAddr: "10.0.0.1", link: "10.0.248.0/31", leafLink: "10.0.248.0", spineLink: "10.0.248.1", net: "cbf-dev-nodes-rack1", subnet: "10.0.0.0/24" },
        { rack: "rack2", asn: 65012, leaf: "leaf2", leafAddr: "10.0.1.1", link: "10.0.248.2/31", leafLink: "10.0.248.2", spineLink: "10.0.248.3", net: "cbf-dev-nodes-rack2", subnet: "10.0.1.0/24" },
    ];
    const nodeNeighbors = (rack: string, asn: number) => nodes.filter((n) => n.rack === rack).map((n) => ({ address: n.address, asn, family: "ipv4" }));
    return [
        ...racks.map((r) => res("docker:index/network:Network", r.net, { name: r.net, driver: "bridge", ipv6: false, ipamConfigs: [{ subnet: r.subnet, gateway: r.subnet.replace(/0\/24$/, "254") }] })),
        ...racks.map((r) => res("docker:index/network:Network", `cbf-dev-link-${r.leaf}-spine1`, { name: `cbf-dev-link-${r.leaf}-spine1`, driver: "bridge", ipv6: false, ipamConfigs: [{ subnet: r.link.replace("/31", "/30") }] })),
        res("cilium-bgp-fabric:routers:RouterFleet", "routers", {
            routers: [
                ...racks.map((r) => ({
                    name: r.leaf, flavour: "frr", role: "leaf", asn: r.asn, routerId: `10.0.255.${r.rack === "rack1" ? 11 : 12}`, loopback: `10.0.255.${r.rack === "rack1" ? 11 : 12}`,
                    addresses: [{ network: `nodes-${r.rack}`, address: r.leafAddr, prefixLength: 24 }, { network: "link", address: r.leafLink, prefixLength: 31 }],
                    neighbors: [...nodeNeighbors(r.rack, r.asn), { address: r.spineLink, asn: 65101, family: "ipv4" }],
                })),
                {
                    name: "spine1", flavour: "frr", role: "spine", asn: 65101, routerId: "10.0.255.1", loopback: "10.0.255.1",
                    addresses: racks.map((r) => r.spineLink),
                    neighbors: racks.map((r) => ({ address: r.leafLink, asn: r.asn, family: "ipv4" })),
                },
            ],
        }),
        res("command:local:Command", "cluster-create", {
            create: "kind create cluster --name 'dev' --config \"$f\"",
            stdin: kindConfig("ipv4", "10.1.0.0/16", "10.96.0.0/16", nodes),
        }),
        res("kubernetes:helm.sh/v3:Release", "cilium-release", {
            name: "cilium", chart: "cilium", version: "1.17.18", namespace: "kube-system",
            values: {
                ipv4: { enabled: true }, ipv6: { enabled: false }, routingMode: "native", ipv4NativeRoutingCIDR: "10.1.0.0/16",
                ipam: { mode: "cluster-pool", operator: { clusterPoolIPv4PodCIDRList: ["10.1.0.0/16"], clusterPoolIPv4MaskSize: 24 } },
                bgpControlPlane: { enabled: true, secretsNamespace: { name: "kube-system" } },
            },
        }),
        ...racks.map((r) => cr("cilium.io/v2alpha1", "CiliumBGPClusterConfig", `bgp-${r.rack}`, {
            nodeSelector: { matchLabels: { rack: r.rack } },
            bgpInstances: [{ name: `instance-${r.asn}`, localASN: r.asn, peers: [{ name: r.leaf, peerASN: r.asn, peerAddress: r.leafAddr, peerConfigRef: { name: "ibgp" } }] }],
        })),
        cr("cilium.io/v2alpha1", "CiliumBGPPeerConfig", "ibgp", {
            authSecretRef: "bgp-auth-secret", timers: { holdTimeSeconds: 9, keepAliveTimeSeconds: 3 },
            families: [{ afi: "ipv4", safi: "unicast", advertisements: { matchLabels: { advertise: "bgp" } } }],
        }),
        cr("cilium.io/v2alpha1", "CiliumLoadBalancerIPPool", "default", { blocks: [{ cidr: "10.100.0.0/24" }] }),
        cr("cilium.io/v2alpha1", "CiliumLoadBalancerIPPool", "smoke", { blocks: [{ cidr: "10.100.1.0/27" }], serviceSelector: { matchLabels: { pool: "smoke" } } }),
        ...common(password),
    ];
}

/** A deep copy with fn applied to the props of the resource named `name`. */
export function mutate(resources: PolicyResource[], name: string, fn: (props: Record<string, any>) => void): PolicyResource[] { // eslint-disable-line @typescript-eslint/no-explicit-any
    const copy = structuredClone(resources);
    const r = copy.find((x) => x.name === name);
    if (!r) throw new Error(`fixture has no resource ${name}`);
    fn(r.props);
    return copy;
}

export const without = (resources: PolicyResource[], ...names: string[]): PolicyResource[] => resources.filter((r) => !names.includes(r.name));

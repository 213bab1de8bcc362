/**
 * Only the Cilium side of BGP on a cluster you already run, peering with routers someone else
 * manages: the BGP objects and the LB-IPAM pools, nothing else. In your own program import from
 * "cilium-bgp-fabric" (the npm package) instead of "../../lib".
 */
import * as pulumi from "@pulumi/pulumi";
import * as k8s from "@pulumi/kubernetes";
import { CiliumBgp, LoadBalancerPools } from "../../lib";

export function existingClusterProgram(): { bgpObjects: string[]; pools: string[] } {
    const cfg = new pulumi.Config();
    // The cluster's kubeconfig (pulumi config set --secret kubeconfig "$(cat ~/.kube/config)").
    const provider = new k8s.Provider("cluster", { kubeconfig: cfg.requireSecret("kubeconfig") });
    const ciliumVersion = cfg.get("ciliumVersion") ?? "1.18.12";

    const pools = new LoadBalancerPools("lb-pools", {
        ciliumVersion,
        pools: [{ name: "public", cidr: "192.0.2.0/26" }],
    }, { provider });

    const bgp = new CiliumBgp("bgp", {
        ciliumVersion,
        nodeGroups: [
            // Each rack's nodes peer with the rack's two top-of-rack routers (run by the network team).
            { suffix: "rack1", nodeSelector: { matchLabels: { "topology.kubernetes.io/zone": "rack1" } }, localAsn: 65101,
                peers: [{ name: "tor1a", address: "10.1.1.1", asn: 65001 }, { name: "tor1b", address: "10.1.1.2", asn: 65001 }] },
            { suffix: "rack2", nodeSelector: { matchLabels: { "topology.kubernetes.io/zone": "rack2" } }, localAsn: 65102,
                peers: [{ name: "tor2a", address: "10.1.2.1", asn: 65002 }, { name: "tor2b", address: "10.1.2.2", asn: 65002 }] },
        ],
        password: cfg.requireSecret("bgpPassword"),
        podCidrCommunities: ["65000:100"],
    }, { provider });

    return { bgpObjects: bgp.objectNames, pools: pools.poolNames };
}

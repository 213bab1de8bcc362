/** kind cluster configuration: no CNI, no kube-proxy (unless kept), subnets and node identities from the plan. */
import type { FabricConfig } from "../config/types";
import { dualJoined, nodeHalves } from "../plan/dual";
import type { AddressPlan, PlannedNode } from "../plan/types";
import { RACK_LABEL, orderedNodes } from "./names";

export const KIND_API_VERSION = "kind.x-k8s.io/v1alpha4";
export const KIND_NODE_IMAGE = "kindest/node";

/** The labels the cluster sets on a node: its rack (BGP selectors) and cluster.nodes[].labels, in that order. */
export function clusterNodeLabels(node: Pick<PlannedNode, "rack" | "labels">): string[] {
    return [
        ...(node.rack !== undefined ? [`${RACK_LABEL}=${node.rack}`] : []),
        ...Object.keys(node.labels ?? {}).sort().map((k) => `${k}=${(node.labels ?? {})[k]}`),
    ];
}

/** kubelet flags a node needs: its planned address (both, comma-joined, on a dual stack), and its labels (rack and extra ones) for BGP selectors. */
export function kubeletArgs(node: PlannedNode, plan?: AddressPlan): Record<string, string> {
    const addresses = plan ? nodeHalves(plan, node.name).map((n) => n.address) : [node.address];
    const args: Record<string, string> = { "node-ip": addresses.join(",") };
    const labels = clusterNodeLabels(node);
    if (labels.length > 0) args["node-labels"] = labels.join(",");
    return args;
}

export function renderKindConfig(config: FabricConfig, plan: AddressPlan): Record<string, unknown> {
    const firstControlPlane = orderedNodes(plan).find((n) => n.role === "control-plane");
    return {
        kind: "Cluster",
        apiVersion: KIND_API_VERSION,
        name: config.cluster.name,
        networking: {
            ipFamily: plan.secondary ? "dual" : plan.family,
            // Cilium is the CNI and replaces kube-proxy, unless kube-proxy is kept (kind's default mode then).
            disableDefaultCNI: true,
            ...(config.cilium.kubeProxyReplacement ? { kubeProxyMode: "none" } : {}),
            // Dual stack: both, comma-joined (kind's and kubeadm's form; the first is the primary family: cluster.primaryFamily).
            podSubnet: dualJoined(plan, (h) => h.podCidr),
            serviceSubnet: dualJoined(plan, (h) => h.serviceCidr),
        },
        nodes: orderedNodes(plan).map((n) => ({
            role: n.role,
            image: `${KIND_NODE_IMAGE}:${config.cluster.kubernetesVersion}`,
            // kubeadm: the bootstrap control plane is initialised, every other node joins.
            // nodeRegistration.name makes the Kubernetes node name the plan's (kind names containers itself).
            kubeadmConfigPatches: [[
                `kind: ${n === firstControlPlane ? "InitConfiguration" : "JoinConfiguration"}`,
                "nodeRegistration:",
                `  name: ${n.name}`,
                "  kubeletExtraArgs:",
                ...Object.entries(kubeletArgs(n, plan)).map(([k, v]) => `    ${k}: "${v}"`),
                "",
            ].join("\n")],
        })),
    };
}

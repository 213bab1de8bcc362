/** k3d (k3s) cluster configuration: flannel, kube-proxy (unless kept), network policy, servicelb and traefik off. */
import type { FabricConfig } from "../config/types";
import { dualJoined } from "../plan/dual";
import type { AddressPlan } from "../plan/types";
import { clusterNodeLabels } from "./kind";
import { orderedNodes } from "./names";

export const K3D_API_VERSION = "k3d.io/v1alpha5";
export const K3S_IMAGE = "rancher/k3s";

/** Server flags that leave networking to Cilium (seed 001). */
export const K3S_DISABLE_ARGS = [
    "--flannel-backend=none", "--disable-network-policy", "--disable=servicelb", "--disable=traefik", "--disable-kube-proxy",
];

export function renderK3dConfig(config: FabricConfig, plan: AddressPlan): Record<string, unknown> {
    const servers = orderedNodes(plan).filter((n) => n.role === "control-plane");
    const agents = orderedNodes(plan).filter((n) => n.role !== "control-plane");
    const filterOf = (name: string): string => {
        const s = servers.findIndex((n) => n.name === name);
        return s >= 0 ? `server:${s}` : `agent:${agents.findIndex((n) => n.name === name)}`;
    };
    const extraArgs = [
        ...K3S_DISABLE_ARGS.filter((arg) => config.cilium.kubeProxyReplacement || arg !== "--disable-kube-proxy")
            .map((arg) => ({ arg, nodeFilters: ["server:*"] })),
        // Dual stack: both, primary family first (k3s takes the primary family from the order: cluster.primaryFamily).
        { arg: `--cluster-cidr=${dualJoined(plan, (h) => h.podCidr)}`, nodeFilters: ["server:*"] },
        { arg: `--service-cidr=${dualJoined(plan, (h) => h.serviceCidr)}`, nodeFilters: ["server:*"] },
        // Kubernetes node names are the plan's (k3d names its containers k3d-<cluster>-server-N).
        ...orderedNodes(plan).map((n) => ({ arg: `--node-name=${n.name}`, nodeFilters: [filterOf(n.name)] })),
    ];
    const nodeLabels = orderedNodes(plan).flatMap((n) => clusterNodeLabels(n).map((label) => ({ label, nodeFilters: [filterOf(n.name)] })));
    // k3s tags are the Kubernetes version with a -k3s1 suffix.
    const image = `${K3S_IMAGE}:${config.cluster.kubernetesVersion}-k3s1`;
    return {
        apiVersion: K3D_API_VERSION,
        kind: "Simple",
        metadata: { name: config.cluster.name },
        servers: servers.length,
        agents: agents.length,
        image,
        options: { k3s: { extraArgs, nodeLabels } },
    };
}

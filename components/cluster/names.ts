/**
 * Container and Kubernetes node names. Kind and k3d name their containers themselves; the
 * Kubernetes node name is set to the plan's node name (kubeadm nodeRegistration.name, k3s
 * --node-name) so that BGP objects and node patches can use the plan's names on any provider.
 */
import type { ClusterProvider, FabricConfig } from "../config/types";
import type { AddressPlan, PlannedNode } from "../plan/types";

/** Node label carrying the rack (seeds 002 and 004 select BGP policies by it). */
export const RACK_LABEL = "rack";
export const API_SERVER_PORT = 6443;

/** Plan nodes in the order the cluster config lists them (plan order: by id). */
export const orderedNodes = (plan: AddressPlan): PlannedNode[] => plan.nodes;

/** Docker container of each plan node, for the provider (kind numbers per role from the 2nd on). */
export function containerNames(config: FabricConfig, plan: AddressPlan): Map<string, string> {
    const c = config.cluster.name;
    const out = new Map<string, string>();
    let cp = 0;
    let worker = 0;
    for (const n of orderedNodes(plan)) {
        const i = n.role === "control-plane" ? cp++ : worker++;
        if (config.cluster.provider === "k3d") {
            out.set(n.name, `k3d-${c}-${n.role === "control-plane" ? "server" : "agent"}-${i}`);
        } else {
            out.set(n.name, `${c}-${n.role === "control-plane" ? "control-plane" : "worker"}${i === 0 ? "" : i + 1}`);
        }
    }
    return out;
}

/**
 * The API server address the nodes reach without kube-proxy (Cilium's k8sServiceHost): the
 * control-plane container by its Docker DNS name, or kind's load balancer with several control
 * planes. Undefined for an existing cluster: the user has to say (cilium.values.k8sServiceHost).
 */
export function apiServerEndpoint(config: FabricConfig, plan: AddressPlan): { host: string; port: number } | undefined {
    const provider: ClusterProvider = config.cluster.provider;
    const c = config.cluster.name;
    const controlPlanes = plan.nodes.filter((n) => n.role === "control-plane").length;
    if (provider === "kind") {
        return { host: controlPlanes > 1 ? `${c}-external-load-balancer` : `${c}-control-plane`, port: API_SERVER_PORT };
    }
    if (provider === "k3d") return { host: `k3d-${c}-server-0`, port: API_SERVER_PORT };
    return undefined;
}

/**
 * The smoke workload (seeds 002-004): a small echo server Deployment pinned to chosen nodes and a
 * LoadBalancer Service requesting a planned address from a named pool, labelled so that the pool
 * and the BGP Service advertisement select it. With externalTrafficPolicy Local only the nodes
 * hosting a pod announce the address and the client's source address is kept (seed 003).
 * Pure: plain data in, objects out.
 */
import type { FabricConfig, IpFamily } from "../config/types";
import type { AddressPlan } from "../plan/types";
import type { K8sObject } from "../cilium/api";
import { HOSTNAME_LABEL } from "../bgp/selectors";
import { APP_LABEL, type LbRequest, lbRequests } from "../lbpools/requests";
import { lbIpamIpsAnnotation } from "../lbpools/annotations";
import { BUILT_IN_NAMESPACES, routeNamespaceLabels, routesToSmoke } from "../gateway/render";
import { curlCommand } from "../shell";

export const CONTROL_PLANE_TAINT = "node-role.kubernetes.io/control-plane";
const PORT_NAME = "http";

export interface SmokeObjects {
    /** The namespace: created unless built in; a built-in one is patched when it needs labels. */
    namespace?: { object: K8sObject; patch: boolean };
    deployment: K8sObject;
    service: K8sObject;
    request: LbRequest;
}

/** What the lab needs to announce the smoke Service's address the way Cilium would. */
export interface SmokePlacement {
    name: string;
    namespace: string;
    address: string;
    family: IpFamily;
    externalTrafficPolicy: "Cluster" | "Local";
    /** Plan node names hosting the pods (every listed node hosts at least one, see smoke.replicas). */
    nodes: string[];
}

/** Where the smoke Service lives and which nodes host its pods, or undefined when smoke.enabled is false. */
export function smokePlacement(config: FabricConfig, plan: AddressPlan): SmokePlacement | undefined {
    if (!config.smoke.enabled) return undefined;
    const request = lbRequests(config, plan).smoke;
    if (!request) throw new Error("smoke is enabled but no address was planned for it");
    const s = config.smoke;
    return { name: s.name, namespace: s.namespace, address: request.address, family: request.family, externalTrafficPolicy: s.externalTrafficPolicy, nodes: [...s.nodes] };
}

/** The smoke objects, or undefined when smoke.enabled is false. */
export function renderSmokeObjects(config: FabricConfig, plan: AddressPlan): SmokeObjects | undefined {
    const s = config.smoke;
    if (!s.enabled) return undefined;
    const request = lbRequests(config, plan).smoke;
    if (!request) throw new Error("smoke is enabled but no address was planned for it");
    const appLabels = { [APP_LABEL]: s.name };

    const nsLabels = routesToSmoke(config) ? routeNamespaceLabels(config, s.namespace) : {};
    const builtIn = BUILT_IN_NAMESPACES.includes(s.namespace);
    const nsObject: K8sObject = { apiVersion: "v1", kind: "Namespace", metadata: { name: s.namespace } };
    if (Object.keys(nsLabels).length > 0) nsObject.metadata.labels = nsLabels;
    const namespace = !builtIn ? { object: nsObject, patch: false }
        : Object.keys(nsLabels).length > 0 ? { object: nsObject, patch: true } : undefined;

    const nodeRoles = new Map(plan.nodes.map((n) => [n.name, n.role]));
    const podSpec: Record<string, unknown> = {
        affinity: {
            nodeAffinity: {
                requiredDuringSchedulingIgnoredDuringExecution: {
                    // Kubernetes node names are the plan's node names (components/cluster/names.ts).
                    nodeSelectorTerms: [{ matchExpressions: [{ key: HOSTNAME_LABEL, operator: "In", values: [...s.nodes] }] }],
                },
            },
        },
        // One pod per listed node before any node gets a second: with replicas >= nodes (checked
        // by the loader), every listed node hosts a pod, so the announcing nodes are known.
        topologySpreadConstraints: [{
            maxSkew: 1, topologyKey: HOSTNAME_LABEL, whenUnsatisfiable: "DoNotSchedule", labelSelector: { matchLabels: { ...appLabels } },
        }],
        containers: [{
            name: s.name,
            image: s.image,
            args: [...s.args],
            ports: [{ name: PORT_NAME, containerPort: s.containerPort, protocol: "TCP" }],
            readinessProbe: { tcpSocket: { port: PORT_NAME }, periodSeconds: 5 },
            resources: { requests: { cpu: "10m", memory: "16Mi" }, limits: { memory: "64Mi" } },
        }],
    };
    if (s.nodes.some((n) => nodeRoles.get(n) === "control-plane")) {
        podSpec.tolerations = [{ key: CONTROL_PLANE_TAINT, operator: "Exists", effect: "NoSchedule" }];
    }
    const deployment: K8sObject = {
        apiVersion: "apps/v1", kind: "Deployment",
        metadata: { name: s.name, namespace: s.namespace, labels: { ...appLabels } },
        spec: {
            replicas: s.replicas,
            selector: { matchLabels: { ...appLabels } },
            template: { metadata: { labels: { ...appLabels } }, spec: podSpec },
        },
    };
    const service: K8sObject = {
        apiVersion: "v1", kind: "Service",
        metadata: {
            name: s.name, namespace: s.namespace,
            // The app label plus what the pool's serviceSelector and the BGP advertisement's selector need.
            labels: { ...request.labels },
            annotations: { [lbIpamIpsAnnotation(config.cilium.line)]: request.address },
        },
        spec: {
            type: "LoadBalancer",
            externalTrafficPolicy: s.externalTrafficPolicy,
            ipFamilyPolicy: "SingleStack",
            ipFamilies: [request.family === "ipv4" ? "IPv4" : "IPv6"],
            selector: { ...appLabels },
            ports: [{ name: PORT_NAME, port: s.port, targetPort: PORT_NAME, protocol: "TCP" }],
        },
    };
    return { ...(namespace ? { namespace } : {}), deployment, service, request };
}

/** The curl line for the smoke Service. */
export const smokeCurl = (config: FabricConfig, address: string): string => curlCommand({ address, port: config.smoke.port });

/**
 * The smoke workload (seeds 002-004): a small echo server Deployment pinned to chosen nodes and a
 * LoadBalancer Service requesting a planned address from a named pool, labelled so that the pool
 * and the BGP Service advertisement select it. With externalTrafficPolicy Local only the nodes
 * hosting a pod announce the address and the client's source address is kept (seed 003).
 * Pure: plain data in, objects out.
 */
import type { FabricConfig, IpFamily } from "../config/types";
import type { AddressPlan } from "../plan/types";
import { parseAddress } from "../plan/addr";
import type { K8sObject } from "../cilium/api";
import { HOSTNAME_LABEL } from "../bgp/selectors";
import { APP_LABEL, type LbRequest, lbRequests } from "../lbpools/requests";
import { LBIPAM_IPS_ANNOTATION, LEGACY_LBIPAM_IPS_ANNOTATION, lbIpamIpsAnnotation } from "../lbpools/annotations";
import { BUILT_IN_NAMESPACES } from "../gateway/render";
import { ciliumLineOf, ipFamilyOf } from "../shared/args";
import type { SmokeWorkloadArgs } from "./args";
import { smokeWorkloadArgsFromPlan } from "./fromPlan";
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
    if (!config.smoke.enabled) return undefined;
    const request = lbRequests(config, plan).smoke;
    if (!request) throw new Error("smoke is enabled but no address was planned for it");
    return { ...renderSmoke(smokeWorkloadArgsFromPlan(config, plan)), request };
}

/** The smoke objects from SmokeWorkload's arguments (checked: `where` prefixes errors). */
export function renderSmoke(a: SmokeWorkloadArgs): Omit<SmokeObjects, "request"> {
    const family = ipFamilyOf(a.ipFamily, "ipFamily");
    const parsed = a.secondaryAddress === undefined ? undefined : parseAddress(a.secondaryAddress);
    if (typeof parsed === "string") throw new Error(`secondaryAddress: "${a.secondaryAddress}" ${parsed}`);
    const second = parsed?.family;
    if (second === family) throw new Error(`secondaryAddress: a dual-stack Service's second address must be of the other family (${a.secondaryAddress} is ${family}, like address)`);
    const policy = a.externalTrafficPolicy ?? "Cluster";
    if (policy !== "Cluster" && policy !== "Local") throw new Error(`externalTrafficPolicy: "${policy}" is not Cluster or Local`);
    const appLabels = { [APP_LABEL]: a.name };
    const ipsAnnotation = lbIpamIpsAnnotation(ciliumLineOf(a.ciliumVersion));
    // The selector label and the address request are the program's: other values would detach the Service from its pods or address.
    if (a.serviceLabels?.[APP_LABEL] !== undefined && a.serviceLabels[APP_LABEL] !== a.name) {
        throw new Error(`serviceLabels.${APP_LABEL}: "${a.serviceLabels[APP_LABEL]}" would override the selector label ${APP_LABEL}: ${a.name}`);
    }
    for (const k of Object.keys(a.serviceAnnotations ?? {})) {
        if (k === LBIPAM_IPS_ANNOTATION || k === LEGACY_LBIPAM_IPS_ANNOTATION) throw new Error(`serviceAnnotations.${k}: the LB-IPAM address request is written from address`);
    }

    const nsLabels = { ...(a.namespaceLabels ?? {}) };
    const builtIn = BUILT_IN_NAMESPACES.includes(a.namespace);
    const nsObject: K8sObject = { apiVersion: "v1", kind: "Namespace", metadata: { name: a.namespace } };
    if (Object.keys(nsLabels).length > 0) nsObject.metadata.labels = nsLabels;
    const namespace = !builtIn ? { object: nsObject, patch: false }
        : Object.keys(nsLabels).length > 0 ? { object: nsObject, patch: true } : undefined;

    const podSpec: Record<string, unknown> = {
        affinity: {
            nodeAffinity: {
                requiredDuringSchedulingIgnoredDuringExecution: {
                    // Kubernetes node names are the plan's node names (components/cluster/names.ts).
                    nodeSelectorTerms: [{ matchExpressions: [{ key: HOSTNAME_LABEL, operator: "In", values: [...a.nodes] }] }],
                },
            },
        },
        // One pod per listed node before any node gets a second: with replicas >= nodes (checked
        // by the loader), every listed node hosts a pod, so the announcing nodes are known.
        topologySpreadConstraints: [{
            maxSkew: 1, topologyKey: HOSTNAME_LABEL, whenUnsatisfiable: "DoNotSchedule", labelSelector: { matchLabels: { ...appLabels } },
        }],
        containers: [{
            name: a.name,
            image: a.image,
            args: [...(a.args ?? [])],
            ports: [{ name: PORT_NAME, containerPort: a.containerPort, protocol: "TCP" }],
            readinessProbe: { tcpSocket: { port: PORT_NAME }, periodSeconds: 5 },
            resources: { requests: { cpu: "10m", memory: "16Mi" }, limits: { memory: "64Mi" } },
        }],
    };
    if (a.tolerateControlPlane) {
        podSpec.tolerations = [{ key: CONTROL_PLANE_TAINT, operator: "Exists", effect: "NoSchedule" }];
    }
    const deployment: K8sObject = {
        apiVersion: "apps/v1", kind: "Deployment",
        metadata: { name: a.name, namespace: a.namespace, labels: { ...appLabels } },
        spec: {
            replicas: a.replicas,
            selector: { matchLabels: { ...appLabels } },
            template: { metadata: { labels: { ...appLabels } }, spec: podSpec },
        },
    };
    const service: K8sObject = {
        apiVersion: "v1", kind: "Service",
        metadata: {
            name: a.name, namespace: a.namespace,
            // The app label plus what the pool's serviceSelector and the BGP advertisement's selector need.
            labels: { ...(a.serviceLabels ?? {}), ...appLabels },
            // LB IPAM takes a comma-separated list: a dual-stack Service gets one address per family.
            annotations: { ...(a.serviceAnnotations ?? {}), [ipsAnnotation]: [a.address, ...(a.secondaryAddress ? [a.secondaryAddress] : [])].join(",") },
        },
        spec: {
            type: "LoadBalancer",
            externalTrafficPolicy: policy,
            ipFamilyPolicy: second ? "RequireDualStack" : "SingleStack",
            // Kubernetes lists the Service's primary family first: address's, then secondaryAddress's.
            ipFamilies: [family, ...(second ? [second] : [])].map((f) => (f === "ipv4" ? "IPv4" : "IPv6")),
            selector: { ...appLabels },
            ports: [{ name: PORT_NAME, port: a.port, targetPort: PORT_NAME, protocol: "TCP" }],
        },
    };
    return { ...(namespace ? { namespace } : {}), deployment, service };
}

/** The curl line for the smoke Service. */
export const smokeCurl = (config: FabricConfig, address: string): string => curlCommand({ address, port: config.smoke.port });
/** The curl line for the smoke Service from its arguments. */
export const smokeCurlOf = (a: Pick<SmokeWorkloadArgs, "address" | "port">): string => curlCommand({ address: a.address, port: a.port });

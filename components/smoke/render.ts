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
import { NODE_PORT_RANGE, PORT_NAME_RULE, isDnsLabel, isPortName } from "../config/limits";

export const CONTROL_PLANE_TAINT = "node-role.kubernetes.io/control-plane";
const DEFAULT_PORT_NAME = "http";

export interface SmokeObjects {
    /** The namespace: created unless built in; a built-in one is patched when it needs labels. */
    namespace?: { object: K8sObject; patch: boolean };
    /** The project's own echo pods; none when `selector` picks other pods. */
    deployment?: K8sObject;
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
    /** Plan node names hosting the pods (every listed node hosts at least one, see smoke.replicas); empty with `selector`. */
    nodes: string[];
    /** smoke.selector: the Service selects pods the project does not run (the lab cannot know their nodes nor answer for them). */
    externalSelector?: Record<string, string>;
}

/** Where the smoke Service lives and which nodes host its pods, or undefined when smoke.enabled is false. */
export function smokePlacement(config: FabricConfig, plan: AddressPlan): SmokePlacement | undefined {
    if (!config.smoke.enabled) return undefined;
    const request = lbRequests(config, plan).smoke;
    if (!request) throw new Error("smoke is enabled but no address was planned for it");
    const s = config.smoke;
    return { name: s.name, namespace: s.namespace, address: request.address, family: request.family, externalTrafficPolicy: s.externalTrafficPolicy, nodes: [...s.nodes],
        ...(s.selector !== undefined ? { externalSelector: { ...s.selector } } : {}) };
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
    const ownPods = a.selector === undefined;
    // The selector label and the address request are the program's: other values would detach the Service from its pods or address.
    if (ownPods && a.serviceLabels?.[APP_LABEL] !== undefined && a.serviceLabels[APP_LABEL] !== a.name) {
        throw new Error(`serviceLabels.${APP_LABEL}: "${a.serviceLabels[APP_LABEL]}" would override the selector label ${APP_LABEL}: ${a.name}`);
    }
    const port = servicePort(a);
    for (const k of Object.keys(a.serviceAnnotations ?? {})) {
        if (k === LBIPAM_IPS_ANNOTATION || k === LEGACY_LBIPAM_IPS_ANNOTATION) throw new Error(`serviceAnnotations.${k}: the LB-IPAM address request is written from address`);
    }

    const nsLabels = { ...(a.namespaceLabels ?? {}) };
    const builtIn = BUILT_IN_NAMESPACES.includes(a.namespace);
    const nsObject: K8sObject = { apiVersion: "v1", kind: "Namespace", metadata: { name: a.namespace } };
    if (Object.keys(nsLabels).length > 0) nsObject.metadata.labels = nsLabels;
    const namespace = !builtIn ? { object: nsObject, patch: false }
        : Object.keys(nsLabels).length > 0 ? { object: nsObject, patch: true } : undefined;

    const service: K8sObject = {
        apiVersion: "v1", kind: "Service",
        metadata: {
            name: a.name, namespace: a.namespace,
            // What the pool's serviceSelector and the BGP advertisement's selector need, plus the own pods' app label.
            labels: { ...(a.serviceLabels ?? {}), ...(ownPods ? appLabels : {}) },
            // LB IPAM takes a comma-separated list: a dual-stack Service gets one address per family.
            annotations: { ...(a.serviceAnnotations ?? {}), [ipsAnnotation]: [a.address, ...(a.secondaryAddress ? [a.secondaryAddress] : [])].join(",") },
        },
        spec: {
            type: "LoadBalancer",
            externalTrafficPolicy: policy,
            ipFamilyPolicy: second ? "RequireDualStack" : "SingleStack",
            // Kubernetes lists the Service's primary family first: address's, then secondaryAddress's.
            ipFamilies: [family, ...(second ? [second] : [])].map((f) => (f === "ipv4" ? "IPv4" : "IPv6")),
            // An empty selector is written as none: Kubernetes reads both as "endpoints managed outside the Service".
            ...(ownPods ? { selector: { ...appLabels } } : Object.keys(a.selector ?? {}).length > 0 ? { selector: { ...a.selector } } : {}),
            ports: [port],
        },
    };
    const serviceProblem = servicePortsProblem(service.spec as ServiceSpecLike);
    if (serviceProblem) throw new Error(serviceProblem);
    if (!ownPods) return { ...(namespace ? { namespace } : {}), service };

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
            ports: [{ name: port.name, containerPort: a.containerPort, protocol: "TCP" }],
            readinessProbe: { tcpSocket: { port: port.name }, periodSeconds: 5 },
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
    return { ...(namespace ? { namespace } : {}), deployment, service };
}

/** The Service port entry a Service spec carries (core/v1 ServicePort). */
interface ServicePortEntry { name: string; port: number; targetPort: number | string; protocol: "TCP"; nodePort?: number }
/** The fields of a Service spec whose combination Kubernetes validates for node ports. */
interface ServiceSpecLike { type?: string; allocateLoadBalancerNodePorts?: boolean; ports?: ServicePortEntry[] }

/**
 * The Service's one port from the arguments, checked as Kubernetes checks a ServicePort
 * (core/v1 validation: the name a DNS-1123 label, a named targetPort an IANA_SVC_NAME, a number
 * 1-65535). The own pods' container port carries `portName` and the Service targets it by name;
 * with `selector`, targetPort defaults to the port, as the API server defaults it.
 */
function servicePort(a: SmokeWorkloadArgs): ServicePortEntry {
    const name = a.portName ?? DEFAULT_PORT_NAME;
    const ownPods = a.selector === undefined;
    if (ownPods && !isPortName(name)) throw new Error(`portName: "${name}" names the container port too and must be ${PORT_NAME_RULE}`);
    if (!ownPods && !isDnsLabel(name)) throw new Error(`portName: "${name}" must be a Service port name (a DNS-1123 label of at most 63 characters)`);
    if (ownPods && a.targetPort !== undefined) throw new Error(`targetPort: "${a.targetPort}" is only for pods \`selector\` picks: the component's own pods are targeted by their port's name ${name}`);
    if (!ownPods && a.nodes.length > 0) throw new Error(`nodes: ${a.nodes.join(", ")}: the component pins no pods while \`selector\` picks other pods (leave nodes empty)`);
    let targetPort: number | string = ownPods ? name : a.port;
    if (a.targetPort !== undefined) {
        const n = /^\d+$/.test(a.targetPort) ? Number(a.targetPort) : undefined;
        if (n !== undefined && (n < 1 || n > 65535)) throw new Error(`targetPort: ${a.targetPort} is not a port number between 1 and 65535`);
        if (n === undefined && !isPortName(a.targetPort)) throw new Error(`targetPort: "${a.targetPort}" must be a port number or ${PORT_NAME_RULE}`);
        targetPort = n ?? a.targetPort;
    }
    if (a.nodePort !== undefined && (!Number.isInteger(a.nodePort) || a.nodePort < NODE_PORT_RANGE.min || a.nodePort > NODE_PORT_RANGE.max)) {
        throw new Error(`nodePort: ${a.nodePort} is outside Kubernetes' default service-node-port-range ${NODE_PORT_RANGE.min}-${NODE_PORT_RANGE.max}`);
    }
    return { name, port: a.port, targetPort, protocol: "TCP", ...(a.nodePort !== undefined ? { nodePort: a.nodePort } : {}) };
}

/**
 * A nodePort only where Kubernetes allocates node ports (core/v1 ValidateService: "may not be used
 * when `type` is 'ClusterIP'"): type NodePort or LoadBalancer. allocateLoadBalancerNodePorts: false
 * only stops automatic allocation; the API respects a requested nodePort regardless (ServiceSpec
 * docs), so it is no contradiction. The smoke Service leaves that field unset (default true).
 */
export function servicePortsProblem(spec: ServiceSpecLike): string | undefined {
    const fixed = (spec.ports ?? []).filter((p) => p.nodePort !== undefined);
    if (fixed.length > 0 && spec.type !== "NodePort" && spec.type !== "LoadBalancer") {
        return `ports[${fixed[0].name}].nodePort: ${fixed[0].nodePort} needs a Service of type NodePort or LoadBalancer (type is ${spec.type ?? "ClusterIP"})`;
    }
    return undefined;
}

/** The curl line for the smoke Service. */
export const smokeCurl = (config: FabricConfig, address: string): string => curlCommand({ address, port: config.smoke.port });
/** The curl line for the smoke Service from its arguments. */
export const smokeCurlOf = (a: Pick<SmokeWorkloadArgs, "address" | "port">): string => curlCommand({ address: a.address, port: a.port });

/**
 * Gateway API objects (seeds 000 and 001): the URL of the CRDs of the configured release and
 * channel, a shared Gateway whose address comes from a named LB pool and whose listeners admit
 * routes from namespaces selected by label, and optionally an HTTPRoute to the smoke workload.
 * Pure: plain data in, objects out.
 */
import type { FabricConfig, GatewayApiConfig, LabelSelector } from "../config/types";
import { Problems } from "../config/errors";
import type { AddressPlan } from "../plan/types";
import type { K8sObject } from "../cilium/api";
import { type LbRequest, labelsSatisfying, lbRequests } from "../lbpools/requests";
import { curlCommand } from "../shell";
import { lbIpamIpsAnnotation } from "../lbpools/annotations";
import { ciliumLineOf, labelSelector } from "../shared/args";
import type { GatewayApiArgs, GatewayListenerArgs } from "./args";
import { gatewayApiArgsFromPlan } from "./fromPlan";

export const GATEWAY_API_GROUP = "gateway.networking.k8s.io";
export const GATEWAY_API_VERSION = `${GATEWAY_API_GROUP}/v1`;
/** The GatewayClass Cilium's chart creates (gatewayAPI.gatewayClass.create). */
export const GATEWAY_CLASS = "cilium";
/** The label Kubernetes sets on every namespace to its own name. */
export const NAMESPACE_NAME_LABEL = "kubernetes.io/metadata.name";
/** Namespaces every cluster has: never created (or deleted) by this program. */
export const BUILT_IN_NAMESPACES = ["default", "kube-system", "kube-public", "kube-node-lease"];

/** The release's published install manifest (every CRD of the channel); applied provider-side at `pulumi up`. */
export function gatewayApiCrdsUrl(gw: Pick<GatewayApiConfig, "version" | "channel">): string {
    return `https://github.com/kubernetes-sigs/gateway-api/releases/download/${gw.version}/${gw.channel}-install.yaml`;
}

/**
 * Labels a namespace needs for its routes to attach to the shared Gateway (allowedNamespaces),
 * without the name label Kubernetes sets itself. Conflicts are recorded as problems of
 * gatewayApi.allowedNamespaces (or thrown without `problems`).
 */
export function routeNamespaceLabels(config: FabricConfig, namespace: string, problems?: Problems): Record<string, string> {
    const sel: LabelSelector = config.gatewayApi.allowedNamespaces;
    const { labels, conflicts } = labelsSatisfying([sel], { [NAMESPACE_NAME_LABEL]: namespace });
    if (conflicts.length > 0) {
        const p = problems ?? new Problems();
        p.add("gatewayApi.allowedNamespaces", sel, `cannot select namespace ${namespace} (of the HTTPRoute) by any labels`);
        if (!problems) p.throwIfAny();
    }
    delete labels[NAMESPACE_NAME_LABEL];
    return labels;
}

/** The Gateway routes to the smoke workload: gatewayApi.httpRoute with both switches on. */
export const routesToSmoke = (config: FabricConfig): boolean =>
    config.gatewayApi.enabled && config.gatewayApi.httpRoute && config.smoke.enabled;

function listener(l: GatewayListenerArgs, allowed: LabelSelector, i: number): Record<string, unknown> {
    if (l.protocol !== "HTTP" && l.protocol !== "HTTPS") throw new Error(`listeners[${i}].protocol: "${l.protocol}" is not HTTP or HTTPS`);
    const out: Record<string, unknown> = { name: l.name, protocol: l.protocol, port: l.port };
    if (l.hostname !== undefined) out.hostname = l.hostname;
    if (l.protocol === "HTTPS" && l.tlsSecretName !== undefined) {
        out.tls = { mode: "Terminate", certificateRefs: [{ group: "", kind: "Secret", name: l.tlsSecretName }] };
    }
    out.allowedRoutes = { namespaces: { from: "Selector", selector: structuredClone(allowed) } };
    return out;
}

export interface GatewayObjects {
    /** The Gateway's namespace, unless it is a built-in one. */
    namespace?: K8sObject;
    gateway: K8sObject;
    /** In the smoke workload's namespace (which the smoke component labels for it). */
    httpRoute?: K8sObject;
    request: LbRequest;
}

/** The Gateway API objects, or undefined when gatewayApi.enabled is false. */
export function renderGatewayObjects(config: FabricConfig, plan: AddressPlan): GatewayObjects | undefined {
    if (!config.gatewayApi.enabled) return undefined;
    const request = lbRequests(config, plan).gateway;
    if (!request) throw new Error("gatewayApi is enabled but no address was planned for it");
    return { ...renderGateway(gatewayApiArgsFromPlan(config, plan)), request };
}

/** The Gateway API objects from GatewayApi's arguments (checked). */
export function renderGateway(a: GatewayApiArgs): Omit<GatewayObjects, "request"> {
    if (a.listeners.length === 0) throw new Error("listeners: at least one is needed");
    const allowed = labelSelector(a.allowedNamespaces ?? {}, "allowedNamespaces");
    const infrastructure: Record<string, unknown> = {
        // LB IPAM reads the request from the generated Service; spec.addresses states the same
        // address the standard way (and shows in the Gateway's status).
        annotations: { [lbIpamIpsAnnotation(ciliumLineOf(a.ciliumVersion))]: a.address },
    };
    // Copied to the Service Cilium generates: they make the pool and the BGP advertisement select it.
    if (Object.keys(a.serviceLabels ?? {}).length > 0) infrastructure.labels = { ...a.serviceLabels };
    const gateway: K8sObject = {
        apiVersion: GATEWAY_API_VERSION, kind: "Gateway",
        metadata: { name: a.name, namespace: a.namespace },
        spec: {
            gatewayClassName: GATEWAY_CLASS,
            addresses: [{ type: "IPAddress", value: a.address }],
            infrastructure,
            listeners: a.listeners.map((l, i) => listener(l, allowed, i)),
        },
    };
    const out: Omit<GatewayObjects, "request"> = { gateway };
    if (!BUILT_IN_NAMESPACES.includes(a.namespace)) {
        out.namespace = { apiVersion: "v1", kind: "Namespace", metadata: { name: a.namespace } };
    }
    const r = a.httpRoute;
    if (r) {
        out.httpRoute = {
            apiVersion: GATEWAY_API_VERSION, kind: "HTTPRoute",
            metadata: { name: r.name ?? r.serviceName, namespace: r.namespace },
            spec: {
                ...(r.hostnames && r.hostnames.length > 0 ? { hostnames: [...r.hostnames] } : {}),
                // Every listener of the shared Gateway (no sectionName).
                parentRefs: [{ group: GATEWAY_API_GROUP, kind: "Gateway", name: a.name, namespace: a.namespace }],
                rules: [{
                    matches: [{ path: { type: "PathPrefix", value: "/" } }],
                    backendRefs: [{ group: "", kind: "Service", name: r.serviceName, port: r.port }],
                }],
            },
        };
    }
    return out;
}

/** The curl line for the Gateway's first listener. */
export function gatewayCurl(config: FabricConfig, address: string): string {
    return gatewayCurlOf(config.gatewayApi.listeners, address, config.gatewayApi.httpRoute ? config.gatewayApi.httpRouteHostnames : []);
}

/** The curl line for the first of these listeners (asking for the route's first hostname when the listener names none). */
export function gatewayCurlOf(listeners: GatewayListenerArgs[], address: string, routeHostnames: string[] = []): string {
    const l = listeners[0];
    return curlCommand({ address, port: l.port, scheme: l.protocol === "HTTPS" ? "https" : "http", hostname: l.hostname ?? routeHostnames[0] });
}

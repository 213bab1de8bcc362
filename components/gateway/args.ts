/** GatewayApi's arguments: plain data only (the multi-language schema is generated from them, see shared/args.ts). */
import type { LabelSelectorArgs } from "../shared/args";

/** One listener of the shared Gateway. */
export interface GatewayListenerArgs {
    /** Listener name. */
    name: string;
    /** HTTP or HTTPS. */
    protocol: string;
    /** Port. */
    port: number;
    /** Host name (or `*.domain` wildcard) the listener matches. Default every host. */
    hostname?: string;
    /** HTTPS only: the Secret (in the Gateway's namespace) holding the certificate. */
    tlsSecretName?: string;
}

/** An HTTPRoute from every listener to a Service. */
export interface GatewayHttpRouteArgs {
    /** The backend Service's name (and, by default, the route's). */
    serviceName: string;
    /** Namespace of the Service and the route; allowedNamespaces must select it. */
    namespace: string;
    /** The Service's port. */
    port: number;
    /** Route name. Default serviceName. */
    name?: string;
    /** The route's spec.hostnames. Default none (every name). */
    hostnames?: string[];
}

export interface GatewayApiArgs {
    /** Cilium version (e.g. 1.18.12) or line: selects the LB-IPAM address annotation. */
    ciliumVersion: string;
    /** Gateway name. */
    name: string;
    /** Gateway namespace; created unless built in (default, kube-system, ...). */
    namespace: string;
    /** The Gateway's address, from an LB pool. */
    address: string;
    /** Labels of the Service Cilium generates for the Gateway (what the pool and the BGP advertisement select). Default none. */
    serviceLabels?: { [key: string]: string };
    /** Listeners, at least one; the first is the one `curl` uses. */
    listeners: GatewayListenerArgs[];
    /** Namespaces whose routes may attach (a label selector). Default every namespace. */
    allowedNamespaces?: LabelSelectorArgs;
    /** An HTTPRoute to a Service. Default none. */
    httpRoute?: GatewayHttpRouteArgs;
}

/**
 * The shared Gateway (and its namespace and optional HTTPRoute). The Kubernetes provider comes
 * from the resource options; put the Gateway API CRDs, the Cilium release (whose controller
 * programs the Gateway), the LB pools (its address) and the route's backend in dependsOn.
 */
import * as pulumi from "@pulumi/pulumi";
import * as k8s from "@pulumi/kubernetes";
import type { K8sObject } from "../cilium/api";
import { childOptions, typeToken } from "../shared/args";
import type { GatewayApiArgs } from "./args";
import { gatewayCurlOf, renderGateway } from "./render";

export type { GatewayApiArgs, GatewayHttpRouteArgs, GatewayListenerArgs } from "./args";

interface Children {
    objects: K8sObject[];
    namespace?: k8s.core.v1.Namespace;
    gateway: k8s.apiextensions.CustomResource;
    httpRoute?: k8s.apiextensions.CustomResource;
}
// Kept off the class's properties: the multi-language schema is generated from them.
const children = new WeakMap<object, Children>();

/** A Gateway API Gateway programmed by Cilium, with an LB-IPAM address, and optionally an HTTPRoute. */
export class GatewayApi extends pulumi.ComponentResource {
    /** The Gateway's address. */
    public readonly address: string;
    /** A curl line for the first listener. */
    public readonly curl: string;

    constructor(name: string, args: GatewayApiArgs, opts?: pulumi.ComponentResourceOptions) {
        super(typeToken("gateway", "GatewayApi"), name, {}, opts);
        const rendered = renderGateway(args);
        this.address = args.address;
        this.curl = gatewayCurlOf(args.listeners, args.address, args.httpRoute?.hostnames);

        const namespace = rendered.namespace
            ? new k8s.core.v1.Namespace(`${name}-namespace`, { metadata: rendered.namespace.metadata }, childOptions(this, opts)) : undefined;
        const gateway = new k8s.apiextensions.CustomResource(`${name}-gateway`, rendered.gateway, childOptions(this, opts, ...(namespace ? [namespace] : [])));
        const httpRoute = rendered.httpRoute
            ? new k8s.apiextensions.CustomResource(`${name}-httproute`, rendered.httpRoute, childOptions(this, opts, gateway)) : undefined;
        const objects = [rendered.namespace, rendered.gateway, rendered.httpRoute].filter((o): o is K8sObject => o !== undefined);
        children.set(this, { objects, gateway, ...(namespace ? { namespace } : {}), ...(httpRoute ? { httpRoute } : {}) });
        this.registerOutputs({ objects, address: this.address, curl: this.curl, gateway, httpRoute });
    }

    /** The rendered objects (plain data). */
    get objects(): K8sObject[] { return children.get(this)?.objects ?? []; }
    get namespace(): k8s.core.v1.Namespace | undefined { return children.get(this)?.namespace; }
    get gateway(): k8s.apiextensions.CustomResource { return (children.get(this) as Children).gateway; }
    get httpRoute(): k8s.apiextensions.CustomResource | undefined { return children.get(this)?.httpRoute; }
}

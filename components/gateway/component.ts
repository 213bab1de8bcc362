/**
 * The shared Gateway (and its namespace and optional HTTPRoute), created once the Gateway API
 * CRDs, Cilium (whose controller programs it) and the LB pools (its address) exist.
 */
import * as pulumi from "@pulumi/pulumi";
import * as k8s from "@pulumi/kubernetes";
import type { FabricConfig } from "../config/types";
import type { AddressPlan } from "../plan/types";
import type { K8sObject } from "../cilium/api";
import type { GatewayApiCrds } from "./crds";
import { gatewayCurl, renderGatewayObjects } from "./render";

export interface GatewayApiArgs {
    config: FabricConfig;
    plan: AddressPlan;
    provider: k8s.Provider;
    crds: GatewayApiCrds;
    /** The Cilium release: its Gateway API controller programs the Gateway. */
    ciliumRelease: pulumi.Resource;
    /** The LB pools: the Gateway's address is allocated from one. */
    lbPools: pulumi.Resource;
    /** The smoke workload the HTTPRoute points at (and whose namespace it lives in). */
    smoke?: pulumi.Resource;
}

export class GatewayApi extends pulumi.ComponentResource {
    public readonly objects: K8sObject[];
    public readonly address: string;
    public readonly curl: string;
    public readonly namespace?: k8s.core.v1.Namespace;
    public readonly gateway: k8s.apiextensions.CustomResource;
    public readonly httpRoute?: k8s.apiextensions.CustomResource;

    constructor(name: string, args: GatewayApiArgs, opts?: pulumi.ComponentResourceOptions) {
        super("cilium-bgp-fabric:gateway:GatewayApi", name, {}, opts);
        const { config, plan, provider } = args;
        const rendered = renderGatewayObjects(config, plan);
        if (!rendered) throw new Error("GatewayApi needs gatewayApi.enabled");
        this.address = rendered.request.address;
        this.curl = gatewayCurl(config, this.address);

        if (rendered.namespace) {
            this.namespace = new k8s.core.v1.Namespace(`${name}-namespace`, { metadata: rendered.namespace.metadata }, { parent: this, provider });
        }
        const gatewayDeps: pulumi.Input<pulumi.Resource>[] = [args.crds, args.ciliumRelease, args.lbPools, ...(this.namespace ? [this.namespace] : [])];
        this.gateway = new k8s.apiextensions.CustomResource(`${name}-gateway`, rendered.gateway, { parent: this, provider, dependsOn: gatewayDeps });
        if (rendered.httpRoute) {
            this.httpRoute = new k8s.apiextensions.CustomResource(`${name}-httproute`, rendered.httpRoute,
                { parent: this, provider, dependsOn: [args.crds, this.gateway, ...(args.smoke ? [args.smoke] : [])] });
        }
        this.objects = [rendered.namespace, rendered.gateway, rendered.httpRoute].filter((o): o is K8sObject => o !== undefined);
        this.registerOutputs({ objects: this.objects, address: this.address, curl: this.curl, gateway: this.gateway, httpRoute: this.httpRoute });
    }
}

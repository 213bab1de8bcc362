import * as pulumi from "@pulumi/pulumi";
import * as k8s from "@pulumi/kubernetes";
import type { FabricConfig } from "../config/types";
import type { AddressPlan } from "../plan/types";
import type { K8sObject } from "../cilium/api";
import { renderLbPools } from "./render";

export interface LoadBalancerPoolsArgs {
    config: FabricConfig;
    plan: AddressPlan;
    provider: k8s.Provider;
    /** The Cilium release: the pool CRD exists only once it is installed. */
    dependsOn?: pulumi.Input<pulumi.Resource>[];
}

export class LoadBalancerPools extends pulumi.ComponentResource {
    public readonly objects: K8sObject[];
    public readonly pools: k8s.apiextensions.CustomResource[];

    constructor(name: string, args: LoadBalancerPoolsArgs, opts?: pulumi.ComponentResourceOptions) {
        super("cilium-bgp-fabric:lbpools:LoadBalancerPools", name, {}, opts);
        this.objects = renderLbPools(args.config, args.plan);
        this.pools = this.objects.map((o) => new k8s.apiextensions.CustomResource(`${name}-${o.metadata.name}`, o,
            { parent: this, provider: args.provider, dependsOn: args.dependsOn }));
        this.registerOutputs({ objects: this.objects, pools: this.pools });
    }
}

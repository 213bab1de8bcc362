/**
 * The smoke workload: namespace, echo Deployment and LoadBalancer Service, created once Cilium
 * (pods need the CNI) and the LB pools (the Service's address) exist.
 */
import * as pulumi from "@pulumi/pulumi";
import * as k8s from "@pulumi/kubernetes";
import type { FabricConfig } from "../config/types";
import type { AddressPlan } from "../plan/types";
import type { K8sObject } from "../cilium/api";
import { renderSmokeObjects, smokeCurl } from "./render";

export interface SmokeWorkloadArgs {
    config: FabricConfig;
    plan: AddressPlan;
    provider: k8s.Provider;
    ciliumRelease: pulumi.Resource;
    lbPools: pulumi.Resource;
}

/**
 * A rendered object as the typed args of its SDK class. The renderers return plain K8sObjects (one
 * shape for manifests, tests and resources); the SDK class sets apiVersion and kind itself.
 */
function typedArgs<T>(o: K8sObject): T {
    return { metadata: o.metadata, spec: o.spec } as unknown as T;
}

export class SmokeWorkload extends pulumi.ComponentResource {
    public readonly objects: K8sObject[];
    public readonly address: string;
    public readonly curl: string;
    /** Plan node names the pods are pinned to. */
    public readonly hostNodes: string[];
    public readonly namespace?: k8s.core.v1.Namespace | k8s.core.v1.NamespacePatch;
    public readonly deployment: k8s.apps.v1.Deployment;
    public readonly service: k8s.core.v1.Service;

    constructor(name: string, args: SmokeWorkloadArgs, opts?: pulumi.ComponentResourceOptions) {
        super("cilium-bgp-fabric:smoke:SmokeWorkload", name, {}, opts);
        const { config, plan, provider } = args;
        const rendered = renderSmokeObjects(config, plan);
        if (!rendered) throw new Error("SmokeWorkload needs smoke.enabled");
        this.address = rendered.request.address;
        this.curl = smokeCurl(config, this.address);
        this.hostNodes = [...config.smoke.nodes];

        const ns = rendered.namespace;
        if (ns) {
            const metadata = ns.object.metadata;
            this.namespace = ns.patch
                ? new k8s.core.v1.NamespacePatch(`${name}-namespace`, { metadata }, { parent: this, provider })
                : new k8s.core.v1.Namespace(`${name}-namespace`, { metadata }, { parent: this, provider });
        }
        const base = [args.ciliumRelease, ...(this.namespace ? [this.namespace] : [])];
        this.deployment = new k8s.apps.v1.Deployment(`${name}-deployment`, typedArgs<k8s.apps.v1.DeploymentArgs>(rendered.deployment),
            { parent: this, provider, dependsOn: base });
        this.service = new k8s.core.v1.Service(`${name}-service`, typedArgs<k8s.core.v1.ServiceArgs>(rendered.service),
            { parent: this, provider, dependsOn: [...base, args.lbPools] });

        this.objects = [ns?.object, rendered.deployment, rendered.service].filter((o): o is K8sObject => o !== undefined);
        this.registerOutputs({ objects: this.objects, address: this.address, curl: this.curl, hostNodes: this.hostNodes, service: this.service });
    }
}

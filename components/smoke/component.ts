/**
 * The smoke workload: namespace, echo Deployment and LoadBalancer Service. The Kubernetes
 * provider comes from the resource options; put the Cilium release (pods need the CNI) and the
 * LB pools (the Service's address) in dependsOn.
 */
import * as pulumi from "@pulumi/pulumi";
import * as k8s from "@pulumi/kubernetes";
import type { K8sObject } from "../cilium/api";
import { childOptions, typeToken } from "../shared/args";
import type { SmokeWorkloadArgs } from "./args";
import { renderSmoke, smokeCurlOf } from "./render";

export type { SmokeWorkloadArgs } from "./args";

/**
 * A rendered object as the typed args of its SDK class. The renderers return plain K8sObjects (one
 * shape for manifests, tests and resources); the SDK class sets apiVersion and kind itself.
 */
function typedArgs<T>(o: K8sObject): T {
    return { metadata: o.metadata, spec: o.spec } as unknown as T;
}

interface Children {
    objects: K8sObject[];
    namespace?: k8s.core.v1.Namespace | k8s.core.v1.NamespacePatch;
    deployment?: k8s.apps.v1.Deployment;
    service: k8s.core.v1.Service;
}
// Kept off the class's properties: the multi-language schema is generated from them.
const children = new WeakMap<object, Children>();

/**
 * An echo server pinned to chosen nodes behind a LoadBalancer Service with a planned address; with
 * `selector`, the Service alone, selecting pods that exist already (no Deployment).
 */
export class SmokeWorkload extends pulumi.ComponentResource {
    /** The Service's address. */
    public readonly address: string;
    /** A curl line for the Service. */
    public readonly curl: string;
    /** Node names the pods are pinned to. */
    public readonly hostNodes: string[];

    constructor(name: string, args: SmokeWorkloadArgs, opts?: pulumi.ComponentResourceOptions) {
        super(typeToken("smoke", "SmokeWorkload"), name, {}, opts);
        const rendered = renderSmoke(args);
        this.address = args.address;
        this.curl = smokeCurlOf(args);
        this.hostNodes = [...args.nodes];

        const ns = rendered.namespace;
        let namespace: Children["namespace"];
        if (ns) {
            const metadata = ns.object.metadata;
            namespace = ns.patch
                ? new k8s.core.v1.NamespacePatch(`${name}-namespace`, { metadata }, childOptions(this, opts))
                : new k8s.core.v1.Namespace(`${name}-namespace`, { metadata }, childOptions(this, opts));
        }
        const after = namespace ? [namespace] : [];
        const deployment = rendered.deployment
            ? new k8s.apps.v1.Deployment(`${name}-deployment`, typedArgs<k8s.apps.v1.DeploymentArgs>(rendered.deployment), childOptions(this, opts, ...after))
            : undefined;
        const service = new k8s.core.v1.Service(`${name}-service`, typedArgs<k8s.core.v1.ServiceArgs>(rendered.service),
            childOptions(this, opts, ...after));

        const objects = [ns?.object, rendered.deployment, rendered.service].filter((o): o is K8sObject => o !== undefined);
        children.set(this, { objects, ...(namespace ? { namespace } : {}), ...(deployment ? { deployment } : {}), service });
        this.registerOutputs({ objects, address: this.address, curl: this.curl, hostNodes: this.hostNodes, service });
    }

    /** The rendered objects (plain data). */
    get objects(): K8sObject[] { return children.get(this)?.objects ?? []; }
    get namespace(): k8s.core.v1.Namespace | k8s.core.v1.NamespacePatch | undefined { return children.get(this)?.namespace; }
    /** The echo Deployment; undefined with `selector`. */
    get deployment(): k8s.apps.v1.Deployment | undefined { return children.get(this)?.deployment; }
    get service(): k8s.core.v1.Service { return (children.get(this) as Children).service; }
}

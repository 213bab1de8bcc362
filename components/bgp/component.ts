import * as pulumi from "@pulumi/pulumi";
import * as k8s from "@pulumi/kubernetes";
import type { FabricConfig } from "../config/types";
import type { AddressPlan } from "../plan/types";
import type { K8sObject } from "../cilium/api";
import { renderBgpObjects } from "./render";
import { PASSWORD_KEY, renderBgpSecret } from "./secret";
import { nodeAnnotations } from "./v1";

export interface BgpControlPlaneArgs {
    config: FabricConfig;
    plan: AddressPlan;
    provider: k8s.Provider;
    /** The Cilium release: the BGP CRDs (and a non-default secrets namespace) exist only after it. */
    ciliumRelease: pulumi.Resource;
    /** The MD5 password (secret config key bgpPassword); required when config.bgp.authentication. */
    bgpPassword?: pulumi.Input<string>;
}

export class BgpControlPlane extends pulumi.ComponentResource {
    public readonly objects: K8sObject[];
    public readonly resources: k8s.apiextensions.CustomResource[];
    public readonly authSecret?: k8s.core.v1.Secret;
    public readonly nodePatches: k8s.core.v1.NodePatch[];

    constructor(name: string, args: BgpControlPlaneArgs, opts?: pulumi.ComponentResourceOptions) {
        super("cilium-bgp-fabric:bgp:BgpControlPlane", name, {}, opts);
        const { config, plan, provider } = args;
        const childOpts: pulumi.CustomResourceOptions = { parent: this, provider, dependsOn: [args.ciliumRelease] };

        if (config.bgp.authentication) {
            if (args.bgpPassword === undefined) throw new Error("bgp.authentication is on but no bgpPassword was given");
            const shape = renderBgpSecret(config);
            this.authSecret = new k8s.core.v1.Secret(`${name}-auth`, {
                metadata: { name: shape.metadata.name, namespace: shape.metadata.namespace },
                type: "Opaque",
                stringData: { [PASSWORD_KEY]: pulumi.secret(args.bgpPassword) },
            }, childOpts);
        }

        this.objects = renderBgpObjects(config, plan);
        // Peer configs name the secret: create it first so sessions never start unauthenticated.
        const crOpts: pulumi.CustomResourceOptions = this.authSecret
            ? { ...childOpts, dependsOn: [args.ciliumRelease, this.authSecret] } : childOpts;
        this.resources = this.objects.map((o) => new k8s.apiextensions.CustomResource(
            `${name}-${o.kind.toLowerCase()}-${o.metadata.name}`, o, crOpts));

        this.nodePatches = nodeAnnotations(config, plan).map((a) => new k8s.core.v1.NodePatch(`${name}-router-id-${a.node}`, {
            metadata: { name: a.node, annotations: a.annotations },
        }, childOpts));

        this.registerOutputs({ objects: this.objects, resources: this.resources, authSecret: this.authSecret, nodePatches: this.nodePatches });
    }
}

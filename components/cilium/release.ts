/**
 * The Cilium Helm release (kube-system), with the computed values.
 */
import * as pulumi from "@pulumi/pulumi";
import * as k8s from "@pulumi/kubernetes";
import type { FabricConfig } from "../config/types";
import type { AddressPlan } from "../plan/types";
import { checkCiliumValues, computeCiliumValues } from "./values";

export const CILIUM_REPO = "https://helm.cilium.io/";
export const CILIUM_NAMESPACE = "kube-system";

export interface CiliumReleaseArgs {
    config: FabricConfig;
    plan: AddressPlan;
    /** Provider of the cluster Cilium goes into. */
    provider: k8s.Provider;
    /** Typically the Cluster (its node-network join must be done before Cilium starts). */
    dependsOn?: pulumi.Input<pulumi.Resource>[];
}

export class CiliumRelease extends pulumi.ComponentResource {
    /** The values handed to Helm (computed, then the user's). */
    public readonly values: Record<string, unknown>;
    public readonly release: k8s.helm.v3.Release;

    constructor(name: string, args: CiliumReleaseArgs, opts?: pulumi.ComponentResourceOptions) {
        super("cilium-bgp-fabric:cilium:CiliumRelease", name, {}, opts);
        const values = computeCiliumValues(args.config, args.plan);
        const problems = checkCiliumValues(args.config.cilium.line, values);
        if (problems.length > 0) {
            throw new Error(`Cilium ${args.config.cilium.version} Helm values:\n  ${problems.join("\n  ")}`);
        }
        this.values = values;
        this.release = new k8s.helm.v3.Release(`${name}-release`, {
            name: "cilium",
            chart: "cilium",
            version: args.config.cilium.version,
            repositoryOpts: { repo: CILIUM_REPO },
            namespace: CILIUM_NAMESPACE,
            values,
        }, { parent: this, provider: args.provider, dependsOn: args.dependsOn });
        this.registerOutputs({ values, release: this.release });
    }
}

/**
 * The Cilium Helm release (kube-system), with the computed values.
 */
import * as pulumi from "@pulumi/pulumi";
import * as k8s from "@pulumi/kubernetes";
import { childOptions, ciliumLineOf, typeToken } from "../shared/args";
import { checkCiliumValues } from "./values";

export const CILIUM_REPO = "https://helm.cilium.io/";
export const CILIUM_NAMESPACE = "kube-system";

export interface CiliumReleaseArgs {
    /** Cilium chart version, e.g. 1.18.12 (lines 1.15 to 1.20). */
    version: string;
    /**
     * Helm values, as handed to the chart (ciliumReleaseArgsFromPlan computes them from the plan).
     * Checked for what the chart's schema lets through but the fabric cannot work with
     * (removed keys, kubeProxyReplacement without k8sServiceHost, non-native routing).
     */
    // eslint-disable-next-line @typescript-eslint/no-explicit-any -- Helm values are free-form JSON; the schema analyzer has no `unknown` (README, "Multi-language package")
    values: { [key: string]: any };
    /** Helm chart repository. Default https://helm.cilium.io/. */
    repository?: string;
    /** Namespace of the release. Default kube-system. */
    namespace?: string;
}

/**
 * Cilium from its Helm chart. The Kubernetes provider comes from the resource options; put what
 * must exist before Cilium starts (the cluster's nodes, the Gateway API CRDs) in dependsOn.
 */
export class CiliumRelease extends pulumi.ComponentResource {
    /** The chart version installed. */
    public readonly version: string;
    /** The Helm release's name. */
    public readonly releaseName: string;

    constructor(name: string, args: CiliumReleaseArgs, opts?: pulumi.ComponentResourceOptions) {
        super(typeToken("cilium", "CiliumRelease"), name, {}, opts);
        const values = args.values as Record<string, unknown>;
        const problems = checkCiliumValues(ciliumLineOf(args.version), values);
        if (problems.length > 0) {
            throw new Error(`Cilium ${args.version} Helm values:\n  ${problems.join("\n  ")}`);
        }
        this.version = args.version;
        this.releaseName = "cilium";
        const release = new k8s.helm.v3.Release(`${name}-release`, {
            name: this.releaseName,
            chart: "cilium",
            version: args.version,
            repositoryOpts: { repo: args.repository ?? CILIUM_REPO },
            namespace: args.namespace ?? CILIUM_NAMESPACE,
            values,
        }, childOptions(this, opts));
        this.registerOutputs({ values, release });
    }
}

import * as pulumi from "@pulumi/pulumi";
import * as k8s from "@pulumi/kubernetes";
import { ciliumApi, type K8sObject } from "../cilium/api";
import { type LabelSelectorArgs, childOptions, ciliumLineOf, labelSelector, typeToken } from "../shared/args";
import { renderPools } from "./render";

/** One CiliumLoadBalancerIPPool. */
export interface LoadBalancerPoolArgs {
    /** Object name. */
    name: string;
    /** The pool's block (e.g. 10.0.200.0/24 or 2001:db8:200::/120). */
    cidr: string;
    /** A dual-stack pool's IPv6 block (`cidr` is then its IPv4 one). Default none. */
    ipv6Cidr?: string;
    /** Services the pool serves (Cilium serviceSelector). Default: every LoadBalancer Service. */
    serviceSelector?: LabelSelectorArgs;
}

export interface LoadBalancerPoolsArgs {
    /** Cilium version (e.g. 1.18.12) or line: selects the pool's apiVersion (cilium.io/v2 from 1.18, v2alpha1 before). */
    ciliumVersion: string;
    /** The pools. */
    pools: LoadBalancerPoolArgs[];
}

const rendered = new WeakMap<object, K8sObject[]>();

/**
 * Cilium LB-IPAM pools LoadBalancer Services take their addresses from (and that CiliumBgp
 * announces). The Kubernetes provider comes from the resource options; put the Cilium release
 * in dependsOn: the pool CRD exists only once it is installed.
 */
export class LoadBalancerPools extends pulumi.ComponentResource {
    /** Names of the pools created. */
    public readonly poolNames: string[];

    constructor(name: string, args: LoadBalancerPoolsArgs, opts?: pulumi.ComponentResourceOptions) {
        super(typeToken("lbpools", "LoadBalancerPools"), name, {}, opts);
        const apiVersion = ciliumApi(ciliumLineOf(args.ciliumVersion)).lbPoolApiVersion;
        const objects = renderPools(apiVersion, args.pools.map((p, i) => ({
            name: p.name, cidr: p.cidr, ...(p.ipv6Cidr ? { ipv6Cidr: p.ipv6Cidr } : {}),
            ...(p.serviceSelector ? { serviceSelector: labelSelector(p.serviceSelector, `pools[${i}].serviceSelector`) } : {}),
        })));
        rendered.set(this, objects);
        this.poolNames = objects.map((o) => o.metadata.name);
        const pools = objects.map((o) => new k8s.apiextensions.CustomResource(`${name}-${o.metadata.name}`, o, childOptions(this, opts)));
        this.registerOutputs({ objects, pools });
    }

    /** The rendered pool objects (plain data). */
    get objects(): K8sObject[] {
        return rendered.get(this) ?? [];
    }
}

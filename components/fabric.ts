/**
 * The whole program: stack configuration -> address plan -> router fleet -> cluster -> (Gateway
 * API CRDs) -> Cilium -> LB pools and BGP objects -> (smoke workload, shared Gateway), the parts
 * in parentheses behind configuration switches, under one Fabric component. `index.ts` calls
 * fabricProgram under the real engine; the offline plan and the tests call it under the mock
 * runtime.
 */
import * as pulumi from "@pulumi/pulumi";
import { CiliumBgp, ciliumBgpArgsFromPlan, checkSessionsAgainstPlan } from "./bgp";
import { CiliumRelease, ciliumReleaseArgsFromPlan } from "./cilium";
import { Cluster, clusterArgsFromPlan } from "./cluster";
import { ConfigError, type FabricConfig, type LoadedStack, loadStack, rawConfigFrom } from "./config";
import { Problems } from "./config/errors";
import { GatewayApi, GatewayApiCrds, gatewayApiArgsFromPlan } from "./gateway";
import { LoadBalancerPools, lbRequests, loadBalancerPoolsArgsFromPlan } from "./lbpools";
import { planStack } from "./plan/build";
import { planHalves } from "./plan/dual";
import type { AddressPlan } from "./plan/types";
import { RouterFleet, routerFleetArgsFromPlan } from "./routers";
import { SmokeWorkload, smokeWorkloadArgsFromPlan } from "./smoke";

export interface FabricOutputs {
    ipFamily: string;
    ciliumVersion: string;
    addressPlan: { prefix: string; role: string; use: string }[];
    routers: pulumi.Output<{ name: string; asn: number; routerId: string; loopback: string; addresses: string[] }[]>;
    /** `ipv6`: a dual stack's IPv6 half of the node (address and podCidr are its IPv4 ones). */
    nodes: { name: string; address: string; podCidr: string; asn: number; routerId: string; ipv6?: { address: string; podCidr: string } }[];
    bgpSessions: string[];
    kubeconfig: pulumi.Output<string>;
    /** The shared Gateway's address and a curl line for it (gatewayApi.enabled only). */
    gatewayAddress?: string;
    gatewayCurl?: string;
    /** The smoke Service's address and a curl line for it (smoke.enabled only). */
    smokeServiceAddress?: string;
    smokeCurl?: string;
}

export interface FabricArgs {
    /** The validated stack configuration (loadStack). */
    config: FabricConfig;
    /** Its address plan, when already computed (loadStack returns it); planned from config otherwise. */
    plan?: AddressPlan;
    /** BGP MD5 password; required while config.bgp.authentication is true. */
    bgpPassword?: pulumi.Input<string>;
    /** Kubeconfig of an existing cluster (cluster.provider existing). */
    kubeconfig?: pulumi.Input<string>;
}

/** The plan of a validated configuration, or a ConfigError listing every problem. */
export function planFabric(config: FabricConfig): AddressPlan {
    const problems = new Problems();
    const plan = planStack(config, problems);
    lbRequests(config, plan, problems);
    problems.throwIfAny();
    return plan;
}

// Before the Fabric parent existed the components were the stack's children: these aliases keep
// the URNs of existing stacks (grandchildren inherit them), so `pulumi up` does not replace anything.
const WAS_TOP_LEVEL: pulumi.Alias[] = [{ parent: pulumi.rootStackResource }];

/** The whole fabric from one validated stack configuration. */
export class Fabric extends pulumi.ComponentResource {
    public readonly outputs: FabricOutputs;

    constructor(name: string, args: FabricArgs, opts?: pulumi.ComponentResourceOptions) {
        super("cilium-bgp-fabric:index:Fabric", name, {}, opts);
        const { config } = args;
        const plan = args.plan ?? planFabric(config);
        const bgpPassword = config.bgp.authentication ? args.bgpPassword : undefined;
        if (config.bgp.authentication && bgpPassword === undefined) throw new Error("bgp.authentication is on but no bgpPassword was given");
        const child = (dependsOn?: pulumi.Resource[], extra: pulumi.Alias[] = []): pulumi.ComponentResourceOptions =>
            ({ parent: this, aliases: [...WAS_TOP_LEVEL, ...extra], ...(dependsOn ? { dependsOn } : {}) });

        const fleet = new RouterFleet("routers", routerFleetArgsFromPlan(config, plan, bgpPassword !== undefined ? pulumi.secret(bgpPassword) : undefined), child());
        const cluster = new Cluster("cluster", {
            ...clusterArgsFromPlan(config, plan),
            ...(args.kubeconfig !== undefined ? { kubeconfig: pulumi.secret(args.kubeconfig) } : {}),
            nodeNetworkNames: fleet.nodeNetworkNames,
        }, child([fleet]));
        const k8sChild = (dependsOn: pulumi.Resource[], extra: pulumi.Alias[] = []): pulumi.ComponentResourceOptions =>
            ({ ...child(dependsOn, extra), provider: cluster.provider });
        // Cilium's Gateway API controller needs the Gateway API CRDs when it starts.
        const gatewayCrds = config.gatewayApi.enabled
            ? new GatewayApiCrds("gateway-api-crds", { version: config.gatewayApi.version, channel: config.gatewayApi.channel }, k8sChild([cluster])) : undefined;
        // The CRDs the pools and BGP objects use exist only once the Cilium release is installed.
        const cilium = new CiliumRelease("cilium", ciliumReleaseArgsFromPlan(config, plan), k8sChild([cluster, ...(gatewayCrds ? [gatewayCrds] : [])]));
        const lbPools = new LoadBalancerPools("lb-pools", loadBalancerPoolsArgsFromPlan(config, plan), k8sChild([cilium]));
        const bgp = new CiliumBgp("bgp", {
            ...ciliumBgpArgsFromPlan(config, plan),
            ...(bgpPassword !== undefined ? { password: pulumi.secret(bgpPassword) } : {}),
        }, k8sChild([cilium], [{ parent: pulumi.rootStackResource, type: "cilium-bgp-fabric:bgp:BgpControlPlane" }, { type: "cilium-bgp-fabric:bgp:BgpControlPlane" }]));
        // The routers are rendered from plan.nodeSessions: a mismatch here is a bug, not a config error.
        const problems = checkSessionsAgainstPlan(bgp.objects, plan);
        if (problems.length > 0) throw new Error(`BGP objects disagree with the address plan:\n  ${problems.join("\n  ")}`);
        const smoke = config.smoke.enabled
            ? new SmokeWorkload("smoke", smokeWorkloadArgsFromPlan(config, plan), k8sChild([cilium, lbPools])) : undefined;
        // The HTTPRoute's backend is the smoke Service.
        const gateway = gatewayCrds
            ? new GatewayApi("gateway", gatewayApiArgsFromPlan(config, plan), k8sChild([gatewayCrds, cilium, lbPools, ...(smoke ? [smoke] : [])])) : undefined;

        this.outputs = {
            ipFamily: config.ipFamily,
            ciliumVersion: config.cilium.version,
            addressPlan: plan.allocations.map(({ prefix, role, use }) => ({ prefix, role, use })),
            routers: fleet.routers.apply((rs) => rs.map((r) => ({
                name: r.name, asn: r.asn, routerId: r.routerId, loopback: r.loopback, addresses: r.addresses.map((a) => a.address),
            }))),
            nodes: plan.nodes.map((n) => {
                const six = plan.secondary?.nodes.find((x) => x.name === n.name);
                return { name: n.name, address: n.address, podCidr: n.podCidr, asn: n.asn, routerId: n.routerId, ...(six ? { ipv6: { address: six.address, podCidr: six.podCidr } } : {}) };
            }),
            bgpSessions: planHalves(plan).flatMap((h) => [
                ...h.routerSessions.map((s) => `${s.a} ${s.aAddress} AS${s.aAsn} <-> ${s.b} ${s.bAddress} AS${s.bAsn}`),
                ...h.nodeSessions.map((s) => `${s.node} ${s.nodeAddress} AS${s.nodeAsn} <-> ${s.router} ${s.routerAddress} AS${s.routerAsn} (${s.type})`),
            ]),
            kubeconfig: cluster.kubeconfig,
            ...(gateway ? { gatewayAddress: gateway.address, gatewayCurl: gateway.curl } : {}),
            ...(smoke ? { smokeServiceAddress: smoke.address, smokeCurl: smoke.curl } : {}),
        };
        this.registerOutputs({ ...this.outputs });
    }
}

/** Reads and validates the configuration; a bad one stops the run with every problem, no stack trace. */
export function loadFabricConfig(): LoadedStack & { password?: string; kubeconfig?: string } {
    const project = pulumi.getProject();
    const cfg = new pulumi.Config();
    // Secret keys are read through the runtime so that no "use getSecret" warning fires; they are
    // wrapped as secrets again before any resource sees them.
    const secret = (key: string): string | undefined => pulumi.runtime.getConfig(`${project}:${key}`) || undefined;
    const password = secret("bgpPassword");
    const kubeconfig = secret("kubeconfig");
    try {
        const loaded = loadStack(pulumi.getStack(), rawConfigFrom((k) => cfg.get(k), Object.keys(pulumi.runtime.allConfig())), password);
        return { ...loaded, password, kubeconfig };
    } catch (e) {
        if (e instanceof ConfigError) throw new pulumi.RunError(e.message);
        throw e;
    }
}

export function fabricProgram(): FabricOutputs {
    const { config, plan, password, kubeconfig } = loadFabricConfig();
    const fabric = new Fabric("fabric", {
        config, plan,
        ...(password !== undefined ? { bgpPassword: pulumi.secret(password) } : {}),
        ...(kubeconfig !== undefined ? { kubeconfig: pulumi.secret(kubeconfig) } : {}),
    });
    return fabric.outputs;
}

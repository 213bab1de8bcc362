/**
 * The whole program: stack configuration -> address plan -> router fleet -> cluster -> (Gateway
 * API CRDs) -> Cilium -> LB pools and BGP objects -> (smoke workload, shared Gateway), the parts
 * in parentheses behind configuration switches. `index.ts` calls it under the real engine; the
 * offline plan and the tests call it under the mock runtime.
 */
import * as pulumi from "@pulumi/pulumi";
import { BgpControlPlane } from "./bgp";
import { CiliumRelease } from "./cilium";
import { Cluster } from "./cluster";
import { ConfigError, type LoadedStack, loadStack, rawConfigFrom } from "./config";
import { GatewayApi, GatewayApiCrds } from "./gateway";
import { LoadBalancerPools } from "./lbpools";
import { RouterFleet } from "./routers";
import { SmokeWorkload } from "./smoke";

export interface FabricOutputs {
    ipFamily: string;
    ciliumVersion: string;
    addressPlan: { prefix: string; role: string; use: string }[];
    routers: pulumi.Output<{ name: string; asn: number; routerId: string; loopback: string; addresses: string[] }[]>;
    nodes: { name: string; address: string; podCidr: string; asn: number; routerId: string }[];
    bgpSessions: string[];
    kubeconfig: pulumi.Output<string>;
    /** The shared Gateway's address and a curl line for it (gatewayApi.enabled only). */
    gatewayAddress?: string;
    gatewayCurl?: string;
    /** The smoke Service's address and a curl line for it (smoke.enabled only). */
    smokeServiceAddress?: string;
    smokeCurl?: string;
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
    const bgpPassword = config.bgp.authentication && password !== undefined ? pulumi.secret(password) : undefined;

    const fleet = new RouterFleet("routers", { config, plan, bgpPassword });
    const cluster = new Cluster("cluster", {
        config, plan,
        kubeconfig: kubeconfig !== undefined ? pulumi.secret(kubeconfig) : undefined,
        nodeNetworkNames: fleet.nodeNetworkNames,
    }, { dependsOn: [fleet] });
    // Cilium's Gateway API controller needs the Gateway API CRDs when it starts.
    const gatewayCrds = config.gatewayApi.enabled
        ? new GatewayApiCrds("gateway-api-crds", { config, provider: cluster.provider, dependsOn: [cluster] }) : undefined;
    // The CRDs the pools and BGP objects use exist only once the Cilium release is installed.
    const cilium = new CiliumRelease("cilium", { config, plan, provider: cluster.provider, dependsOn: [cluster, ...(gatewayCrds ? [gatewayCrds] : [])] });
    const lbPools = new LoadBalancerPools("lb-pools", { config, plan, provider: cluster.provider, dependsOn: [cilium] });
    new BgpControlPlane("bgp", { config, plan, provider: cluster.provider, ciliumRelease: cilium, bgpPassword });
    const smoke = config.smoke.enabled
        ? new SmokeWorkload("smoke", { config, plan, provider: cluster.provider, ciliumRelease: cilium, lbPools }) : undefined;
    const gateway = gatewayCrds
        ? new GatewayApi("gateway", { config, plan, provider: cluster.provider, crds: gatewayCrds, ciliumRelease: cilium, lbPools, smoke }) : undefined;

    return {
        ipFamily: config.ipFamily,
        ciliumVersion: config.cilium.version,
        addressPlan: plan.allocations.map(({ prefix, role, use }) => ({ prefix, role, use })),
        routers: fleet.routers.apply((rs) => rs.map((r) => ({
            name: r.name, asn: r.asn, routerId: r.routerId, loopback: r.loopback, addresses: r.addresses.map((a) => a.address),
        }))),
        nodes: plan.nodes.map((n) => ({ name: n.name, address: n.address, podCidr: n.podCidr, asn: n.asn, routerId: n.routerId })),
        bgpSessions: [
            ...plan.routerSessions.map((s) => `${s.a} ${s.aAddress} AS${s.aAsn} <-> ${s.b} ${s.bAddress} AS${s.bAsn}`),
            ...plan.nodeSessions.map((s) => `${s.node} ${s.nodeAddress} AS${s.nodeAsn} <-> ${s.router} ${s.routerAddress} AS${s.routerAsn} (${s.type})`),
        ],
        kubeconfig: cluster.kubeconfig,
        ...(gateway ? { gatewayAddress: gateway.address, gatewayCurl: gateway.curl } : {}),
        ...(smoke ? { smokeServiceAddress: smoke.address, smokeCurl: smoke.curl } : {}),
    };
}

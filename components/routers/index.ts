/**
 * RouterFleet: the Docker networks of the address plan and one router container per planned
 * router, booted from the rendered configuration. A thin wiring layer over spec.ts.
 */
import * as docker from "@pulumi/docker";
import * as pulumi from "@pulumi/pulumi";
import type { FabricConfig, IpFamily, RouterFlavour, RouterRole } from "../config/types";
import type { AddressPlan, RouterInterface } from "../plan/types";
import { type FileSpec, defaultNamePrefix, mainConfigFile, networkSpecs, routerContainerSpec, routerFiles } from "./spec";

export { renderFrrConfig, renderFrrDaemons, renderVtyshConf } from "./frr";
export { renderVyosCommands, renderVyosConfigBoot } from "./vyos";
export type { RouterRenderInput } from "./model";
export * from "./spec";

export interface RouterFleetArgs {
    config: FabricConfig;
    plan: AddressPlan;
    /** Required when config.bgp.authentication is true; keep it a secret. */
    bgpPassword?: pulumi.Input<string>;
    /** Prefix of every Docker name; default `cbf-<stack>`. */
    namePrefix?: string;
}

/** What the fleet tells other components about a router: no configuration, no password. */
export interface RouterSummary {
    name: string;
    flavour: RouterFlavour;
    role: RouterRole;
    asn: number;
    routerId: string;
    loopback: string;
    addresses: RouterInterface[];
    /** Docker container name. */
    container: string;
    /** The router side of every BGP session it runs (what its configuration declares), for policy checks. */
    neighbors: { address: string; asn: number; family: IpFamily; peer: string }[];
}

/** The sessions the renderers turn into neighbor statements, seen from one router. */
export function routerNeighbors(plan: AddressPlan, router: string): RouterSummary["neighbors"] {
    const out: RouterSummary["neighbors"] = [];
    for (const s of plan.nodeSessions) {
        if (s.router === router) out.push({ address: s.nodeAddress, asn: s.nodeAsn, family: s.family, peer: s.node });
    }
    for (const s of plan.routerSessions) {
        if (s.a === router) out.push({ address: s.bAddress, asn: s.bAsn, family: s.family, peer: s.b });
        if (s.b === router) out.push({ address: s.aAddress, asn: s.aAsn, family: s.family, peer: s.a });
    }
    return out;
}

export class RouterFleet extends pulumi.ComponentResource {
    public readonly routers: pulumi.Output<RouterSummary[]>;
    /** Router name -> frr.conf or config.boot. Secret: it holds the BGP password. */
    public readonly configs: pulumi.Output<Record<string, string>>;
    public readonly networks: Record<string, docker.Network>;
    public readonly containers: Record<string, docker.Container>;
    /** Docker names of the node subnets, for the cluster's nodes to join. */
    public readonly nodeNetworkNames: pulumi.Output<string[]>;

    constructor(name: string, args: RouterFleetArgs, opts?: pulumi.ComponentResourceOptions) {
        super("cilium-bgp-fabric:routers:RouterFleet", name, {}, opts);
        const { config, plan } = args;
        const prefix = args.namePrefix ?? defaultNamePrefix(config);
        if (config.bgp.authentication && args.bgpPassword === undefined) {
            throw new Error("RouterFleet: bgp.authentication is true but no bgpPassword was given");
        }
        const password: pulumi.Output<string | undefined> = config.bgp.authentication
            ? pulumi.secret(args.bgpPassword as pulumi.Input<string>)
            : pulumi.output(undefined);

        this.networks = {};
        for (const n of networkSpecs(config, plan, prefix)) {
            this.networks[n.key] = new docker.Network(n.resourceName, {
                name: n.name, driver: n.driver, ipv6: n.ipv6, internal: n.internal,
                ipamConfigs: n.ipamConfigs, labels: n.labels,
            }, { parent: this });
        }

        this.containers = {};
        const files: Record<string, pulumi.Output<FileSpec[]>> = {};
        for (const router of plan.routers) {
            const spec = routerContainerSpec(config, plan, router, prefix);
            // Rendered from the password: secret as a whole, whatever the password's own flags.
            files[router.name] = pulumi.secret(password.apply((pw) => routerFiles(config, plan, router, pw)));
            this.containers[router.name] = new docker.Container(spec.resourceName, {
                name: spec.name,
                image: spec.image,
                hostname: spec.hostname,
                privileged: spec.privileged,
                ...(spec.command ? { command: spec.command } : {}),
                capabilities: spec.capabilities,
                sysctls: spec.sysctls,
                networksAdvanced: spec.networksAdvanced.map((a) => ({
                    // The network's name output orders creation after the network.
                    name: this.networks[a.network].name,
                    ...(a.ipv4Address !== undefined ? { ipv4Address: a.ipv4Address } : {}),
                    ...(a.ipv6Address !== undefined ? { ipv6Address: a.ipv6Address } : {}),
                })),
                uploads: files[router.name].apply((fs) => fs.map((f) => ({ file: f.file, content: f.content, permissions: f.permissions }))),
                restart: spec.restart,
                mustRun: spec.mustRun,
                destroyGraceSeconds: spec.destroyGraceSeconds,
                healthcheck: spec.healthcheck,
                labels: spec.labels,
            }, { parent: this });
        }

        this.routers = pulumi.output(plan.routers.map((r): RouterSummary => ({
            name: r.name, flavour: r.flavour, role: r.role, asn: r.asn, routerId: r.routerId, loopback: r.loopback,
            addresses: r.interfaces.map((i) => ({ ...i })), container: `${prefix}-${r.name}`,
            neighbors: routerNeighbors(plan, r.name),
        })));
        const names = Object.keys(files).sort();
        this.configs = pulumi.secret(pulumi.all(names.map((n) => files[n])).apply((all) =>
            Object.fromEntries(all.map((fs, i) => [names[i], mainConfigFile(fs)]))));
        this.nodeNetworkNames = pulumi.all(plan.nodeSubnets.map((s) => this.networks[s.name].name));

        this.registerOutputs({
            routers: this.routers,
            configs: this.configs,
            nodeNetworkNames: this.nodeNetworkNames,
        });
    }
}

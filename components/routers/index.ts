/**
 * RouterFleet: Docker networks and one router container per router, booted from its rendered
 * files. A thin wiring layer over spec.ts; routerFleetArgsFromPlan gives the Args of a stack.
 */
import * as docker from "@pulumi/docker";
import * as pulumi from "@pulumi/pulumi";
import type { RouterFlavour, StackFamily } from "../config/types";
import { childOptions, ipFamilyOf, typeToken } from "../shared/args";
import type { RouterAddressArgs, RouterFileArgs, RouterFleetArgs, RouterNeighborArgs } from "./args";
import { type FileSpec, containerSpec, labelList, mainConfigFile } from "./spec";

export { renderFrrConfig, renderFrrDaemons, renderVtyshConf } from "./frr";
export { renderVyosCommands, renderVyosConfigBoot } from "./vyos";
export type { RouterRenderInput } from "./model";
export * from "./spec";
export * from "./fromPlan";
export { routerNeighbors } from "./neighbors";
export type { RouterAddressArgs, RouterArgs, RouterFileArgs, RouterFleetArgs, RouterNeighborArgs, RouterNetworkArgs } from "./args";

/** What the fleet tells other components about a router: no configuration, no password. */
export interface RouterSummary {
    /** Router name. */
    name: string;
    /** frr or vyos. */
    flavour: string;
    /** tor, leaf, spine or edge. */
    role: string;
    /** Its ASN. */
    asn: number;
    /** Its BGP router ID. */
    routerId: string;
    /** Its loopback address (dual: the IPv4 one). */
    loopback: string;
    /** ipFamily dual: its IPv6 loopback address. */
    ipv6Loopback?: string;
    /** Its addresses, one per network. */
    addresses: RouterAddressArgs[];
    /** Docker container name. */
    container: string;
    /** The router side of every BGP session it runs (what its configuration declares), for policy checks. */
    neighbors: RouterNeighborArgs[];
}

const FLAVOURS = ["frr", "vyos"];
const ROLES = ["tor", "leaf", "spine", "edge"];
const DEFAULT_PERMISSIONS = "0640";

interface Children { networks: Record<string, docker.Network>; containers: Record<string, docker.Container> }
// Kept off the class's properties: the multi-language schema is generated from them.
const children = new WeakMap<object, Children>();

/** Docker networks and FRR or VyOS router containers on them, booted from the given files. */
export class RouterFleet extends pulumi.ComponentResource {
    /** The routers: names, ASNs, addresses, containers and BGP neighbors (no configuration, no password). */
    public readonly routers: pulumi.Output<RouterSummary[]>;
    /** Router name -> its main configuration file (frr.conf or config.boot). Secret: it holds the BGP password. */
    public readonly configs: pulumi.Output<Record<string, string>>;
    /** Docker names of the node networks, for the cluster's nodes to join. */
    public readonly nodeNetworkNames: pulumi.Output<string[]>;

    constructor(name: string, args: RouterFleetArgs, opts?: pulumi.ComponentResourceOptions) {
        super(typeToken("routers", "RouterFleet"), name, {}, opts);
        const prefix = args.namePrefix;
        const family: StackFamily = args.ipFamily === "dual" ? "dual" : ipFamilyOf(args.ipFamily, "ipFamily");
        const ipv6 = family !== "ipv4";

        const networks: Record<string, docker.Network> = {};
        for (const n of args.networks) {
            if ((n.ipv6Subnet === undefined) !== (n.ipv6Gateway === undefined)) throw new Error(`networks ${n.name}: ipv6Subnet and ipv6Gateway go together`);
            if (n.ipv6Subnet !== undefined && family !== "dual") throw new Error(`networks ${n.name}: ipv6Subnet is for ipFamily dual, not ${family}`);
            networks[n.name] = new docker.Network(`net-${n.name}`, {
                // Docker (and @pulumi/docker 5.2) cannot drop IPv4 from a network: IPv6 stacks get an extra Docker-chosen IPv4 subnet.
                name: `${prefix}-${n.name}`, driver: "bridge", ipv6, internal: false,
                ipamConfigs: [{ subnet: n.subnet, gateway: n.gateway }, ...(n.ipv6Subnet !== undefined ? [{ subnet: n.ipv6Subnet, gateway: n.ipv6Gateway as string }] : [])],
                labels: labelList(n.labels ?? {}),
            }, childOptions(this, opts));
        }

        const containers: Record<string, docker.Container> = {};
        const files: Record<string, pulumi.Output<FileSpec[]>> = {};
        const summaries: RouterSummary[] = [];
        args.routers.forEach((router, i) => {
            const flavour = router.flavour ?? "frr";
            if (!FLAVOURS.includes(flavour)) throw new Error(`routers[${i}].flavour: "${flavour}" is not frr or vyos`);
            const role = router.role ?? "tor";
            if (!ROLES.includes(role)) throw new Error(`routers[${i}].role: "${role}" is not one of ${ROLES.join(", ")}`);
            router.addresses.forEach((a, j) => {
                if (!networks[a.network]) throw new Error(`routers[${i}].addresses[${j}].network: "${a.network}" is not one of the networks`);
            });
            const spec = containerSpec({
                name: router.name, image: router.image, flavour: flavour as RouterFlavour, family, addresses: router.addresses, labels: labelList(router.labels ?? {}),
            }, prefix);
            files[router.name] = pulumi.secret(pulumi.output(router.files).apply((fs: RouterFileArgs[]) =>
                fs.map((f) => ({ file: f.file, content: f.content, permissions: f.permissions ?? DEFAULT_PERMISSIONS }))));
            containers[router.name] = new docker.Container(spec.resourceName, {
                name: spec.name,
                image: spec.image,
                hostname: spec.hostname,
                privileged: spec.privileged,
                ...(spec.command ? { command: spec.command } : {}),
                capabilities: spec.capabilities,
                sysctls: spec.sysctls,
                networksAdvanced: spec.networksAdvanced.map((a) => ({
                    // The network's name output orders creation after the network.
                    name: networks[a.network].name,
                    ...(a.ipv4Address !== undefined ? { ipv4Address: a.ipv4Address } : {}),
                    ...(a.ipv6Address !== undefined ? { ipv6Address: a.ipv6Address } : {}),
                })),
                uploads: files[router.name].apply((fs) => fs.map((f) => ({ file: f.file, content: f.content, permissions: f.permissions }))),
                restart: spec.restart,
                mustRun: spec.mustRun,
                destroyGraceSeconds: spec.destroyGraceSeconds,
                healthcheck: spec.healthcheck,
                labels: spec.labels,
            }, childOptions(this, opts));
            summaries.push({
                name: router.name, flavour, role, asn: router.asn, routerId: router.routerId, loopback: router.loopback,
                ...(router.ipv6Loopback !== undefined ? { ipv6Loopback: router.ipv6Loopback } : {}),
                addresses: router.addresses.map((a) => ({ ...a })), container: spec.name,
                neighbors: (router.neighbors ?? []).map((n) => ({ ...n, family: ipFamilyOf(n.family, `routers[${i}].neighbors.family`) })),
            });
        });
        children.set(this, { networks, containers });

        this.routers = pulumi.output(summaries);
        const names = Object.keys(files).sort();
        this.configs = pulumi.secret(pulumi.all(names.map((n) => files[n])).apply((all) =>
            Object.fromEntries(all.map((fs, i) => [names[i], mainConfigFile(fs)]))));
        this.nodeNetworkNames = pulumi.all(args.networks.filter((n) => n.nodes).map((n) => networks[n.name].name));

        this.registerOutputs({
            routers: this.routers,
            configs: this.configs,
            nodeNetworkNames: this.nodeNetworkNames,
        });
    }

    /** The Docker networks by name. */
    get networks(): Record<string, docker.Network> { return children.get(this)?.networks ?? {}; }
    /** The router containers by router name. */
    get containers(): Record<string, docker.Container> { return children.get(this)?.containers ?? {}; }
}

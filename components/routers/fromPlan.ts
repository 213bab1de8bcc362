/**
 * RouterFleet's arguments from the stack configuration and its address plan: the networks, the
 * routers and their boot files, rendered by the pure renderers (routerFiles) once the password
 * resolves. Deterministic; the password is the caller's and stays secret.
 */
import * as pulumi from "@pulumi/pulumi";
import type { FabricConfig } from "../config/types";
import type { AddressPlan } from "../plan/types";
import type { RouterFleetArgs } from "./args";
import { routerNeighbors } from "./neighbors";
import { defaultNamePrefix, planFamily, routerAddresses, routerFiles, secondarySubnet } from "./spec";

export function routerFleetArgsFromPlan(config: FabricConfig, plan: AddressPlan, bgpPassword?: pulumi.Input<string>, namePrefix = defaultNamePrefix(config)): RouterFleetArgs {
    if (config.bgp.authentication && bgpPassword === undefined) {
        throw new Error("RouterFleet: bgp.authentication is true but no bgpPassword was given");
    }
    const password: pulumi.Output<string | undefined> = config.bgp.authentication
        ? pulumi.secret(bgpPassword as pulumi.Input<string>)
        : pulumi.output(undefined);
    const stack = { "cilium-bgp-fabric/stack": config.stack };
    const network = (name: string, subnet: string, gateway: string, nodes: boolean): RouterFleetArgs["networks"][number] => {
        const six = secondarySubnet(plan, name);
        return {
            name, subnet, gateway, ...(six ? { ipv6Subnet: six.subnet, ipv6Gateway: six.gateway } : {}), ...(nodes ? { nodes } : {}),
            labels: { ...stack, "cilium-bgp-fabric/role": nodes ? "node-network" : "router-link", "cilium-bgp-fabric/segment": name },
        };
    };
    return {
        namePrefix,
        ipFamily: planFamily(plan),
        networks: [
            ...plan.nodeSubnets.map((s) => network(s.name, s.cidr, s.dockerGateway, true)),
            ...plan.linkNets.map((l) => network(l.name, l.cidr, l.dockerGateway, false)),
        ],
        routers: plan.routers.map((r) => {
            const twin = plan.secondary?.routers.find((x) => x.name === r.name);
            return {
                name: r.name, image: r.image, flavour: r.flavour, role: r.role, asn: r.asn, routerId: r.routerId, loopback: r.loopback,
                ...(twin ? { ipv6Loopback: twin.loopback } : {}),
                addresses: routerAddresses(plan, r),
                // Rendered from the password: secret as a whole, whatever the password's own flags.
                files: pulumi.secret(password.apply((pw) => routerFiles(config, plan, r, pw))),
                neighbors: routerNeighbors(plan, r.name),
                labels: { ...stack, "cilium-bgp-fabric/role": "router", "cilium-bgp-fabric/router": r.name, "cilium-bgp-fabric/flavour": r.flavour },
            };
        }),
    };
}

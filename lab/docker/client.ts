/**
 * The lab-only external client on Docker, as the namespace engine builds it (netns.ts addClient):
 * a network of its own on the client segment, each top-tier router connected to it at the address
 * the topology gives, a client container at the segment's first address whose default route spreads
 * over those routers, and the routers announcing the segment with one `network` line added through
 * vtysh after FRR booted (the lab's only change to a router; the uploaded frr.conf is untouched).
 * Pure: create options and command lines; the engine executes them.
 *
 * The network's gateway (the host's end of the Docker bridge, which Docker insists on) is the
 * address the plan reserves on every other network (reservedGateway: the one before the last), so
 * Docker's IPAM can allocate it and no client or router address collides with it.
 */
import type Docker from "dockerode";
import type { IpFamily } from "../../components/config/types";
import { formatAddress, parsePrefix, reservedGateway } from "../../components/plan/addr";
import type { ClientSpec } from "../dataplane";
import { dockerGatewayProblem, dockerOrdinal } from "./ipam";
import { type TranslateContext, labName } from "./translate";

/** Marks the client's container and network (besides the run's labels). */
export const CLIENT_ROLE = "lab-client";

/** The host name the lab's checks use for the client (probe.ts). */
export const CLIENT_HOST = "client";

/** The Docker gateway of the client network: reserved like every fleet network's. */
export function clientGateway(c: ClientSpec): string {
    const p = parsePrefix(c.prefix);
    if (typeof p === "string") throw new Error(`lab client segment ${c.prefix}: ${p}`);
    return formatAddress(p.family, reservedGateway(p));
}

/** Why the client network cannot be made as planned (gateway not allocatable, or taken by a host); [] when it can. */
export function clientNetworkProblems(c: ClientSpec): string[] {
    const gateway = clientGateway(c);
    const problems: string[] = [];
    const g = dockerGatewayProblem(c.prefix, gateway);
    if (g) problems.push(g);
    const hosts = [{ who: "the client", address: c.address }, ...c.routers.map((r) => ({ who: `router ${r.name}`, address: r.address }))];
    for (const h of hosts) {
        // Docker's IPAM knows an address by its ordinal: equal ordinals are one address to it.
        if (dockerOrdinal(c.prefix, h.address) === dockerOrdinal(c.prefix, gateway)) problems.push(`${h.who} (${h.address}) takes the Docker gateway ${gateway} of ${c.prefix}`);
    }
    return problems;
}

export const clientNetworkName = (ctx: TranslateContext): string => labName(ctx, "net-client");
export const clientContainerName = (ctx: TranslateContext): string => labName(ctx, CLIENT_HOST);

/** The client segment's network, shaped like the fleet's (translate.ts translateNetwork). */
export function clientNetwork(c: ClientSpec, ctx: TranslateContext, family: IpFamily): Docker.NetworkCreateOptions {
    return {
        Name: clientNetworkName(ctx),
        CheckDuplicate: true,
        Driver: "bridge",
        // IPv6-only stacks get a Docker-chosen IPv4 subnet here too; the engine removes those addresses (dropIpv4).
        EnableIPv6: family === "ipv6",
        Internal: false,
        IPAM: { Driver: "default", Config: [{ Subnet: c.prefix, Gateway: clientGateway(c) }] },
        Labels: { "cilium-bgp-fabric/role": CLIENT_ROLE, "cilium-bgp-fabric/segment": "client", ...ctx.runLabels },
    };
}

/** A top-tier router's endpoint on the client network, at its planned address there. */
export function clientRouterEndpoint(address: string, family: IpFamily): Docker.EndpointSettings {
    return { IPAMConfig: family === "ipv6" ? { IPv6Address: address } : { IPv4Address: address } };
}

/**
 * The client container, on the speaker image (iproute2, ping and node, which runs the lab's client).
 * The namespace engine's client settings as container sysctls: a host (no forwarding) that skips a
 * dead router by its neighbour state (IPv4 fib_multipath_use_neigh; an IPv6 host does so by itself),
 * notices a dead neighbour within seconds (eth0's reachable time 1 s, first probe after 1 s), and
 * hashes its default route by L4 so that one client's connections use every router.
 */
export function clientContainer(c: ClientSpec, ctx: TranslateContext, o: { image: string; network: string; family: IpFamily }): Docker.ContainerCreateOptions {
    const v = o.family === "ipv6" ? "ipv6" : "ipv4";
    return {
        name: clientContainerName(ctx),
        Image: o.image,
        Hostname: CLIENT_HOST,
        // Nothing runs in it but what the lab executes; the route is set once it runs (clientRouteCommand).
        Cmd: ["sleep", "infinity"],
        Labels: { "cilium-bgp-fabric/role": CLIENT_ROLE, ...ctx.runLabels },
        StopTimeout: 1,
        HostConfig: {
            CapAdd: ["NET_ADMIN", "NET_RAW"],
            Sysctls: {
                "net.ipv6.conf.all.disable_ipv6": "0", "net.ipv6.conf.default.disable_ipv6": "0",
                "net.ipv4.ip_forward": "0", "net.ipv6.conf.all.forwarding": "0", "net.ipv6.conf.default.forwarding": "0",
                "net.ipv4.fib_multipath_use_neigh": "1",
                "net.ipv4.fib_multipath_hash_policy": "1", "net.ipv6.fib_multipath_hash_policy": "1",
                // eth0 exists when runc writes these: Docker joins the container to its first network before.
                [`net.${v}.neigh.eth0.base_reachable_time_ms`]: "1000", [`net.${v}.neigh.eth0.delay_first_probe_time`]: "1",
            },
            RestartPolicy: { Name: "no" },
            NetworkMode: o.network,
        },
        NetworkingConfig: { EndpointsConfig: { [o.network]: clientRouterEndpoint(c.address, o.family) } },
    };
}

/** The client's default route over the top-tier routers, replacing Docker's (via the bridge gateway). */
export function clientRouteCommand(c: ClientSpec, family: IpFamily): string[] {
    return ["ip", ...(family === "ipv6" ? ["-6"] : []), "route", "replace", "default", ...c.routers.flatMap((r) => ["nexthop", "via", r.address])];
}

/** The vtysh line that announces the client segment on one top-tier router: the same one netns.ts startRouter adds. */
export function clientAnnouncementCommand(c: ClientSpec, router: string): string[] {
    const mine = c.routers.find((r) => r.name === router);
    if (!mine) throw new Error(`router ${router} is not attached to the lab client segment`);
    const afi = c.prefix.includes(":") ? "ipv6 unicast" : "ipv4 unicast";
    return ["vtysh", "-c", "configure terminal", "-c", `router bgp ${mine.asn}`, "-c", `address-family ${afi}`, "-c", `network ${c.prefix}`];
}

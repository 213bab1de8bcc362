/**
 * The lab's additions to the router containers the program registers, besides the image
 * substitution: both exist only because the lab has one external client (see client.ts), and both
 * are what the namespace engine does for its router namespaces. Pure.
 *
 * - ECMP by L4 hash. The lab's single client must see its connections spread over the announcing
 *   nodes. Linux hashes multipath routes by addresses only unless fib_multipath_hash_policy is 1
 *   (IPv6's L3 hash also takes the flow label, IPv4's does not), so with the registered sysctls every
 *   connection of one IPv4 client to one VIP takes the same path. The namespace engine sets
 *   `net.ipv{4,6}.fib_multipath_hash_policy=1` in every router namespace (netns.ts addNamespace);
 *   this adds it to a router container whose registered sysctls do not set it, and says so.
 */
import type Docker from "dockerode";

/** The namespace engine's ECMP hash setting for routers (netns.ts addNamespace). */
export const LAB_ROUTER_SYSCTLS: Readonly<Record<string, string>> = {
    "net.ipv4.fib_multipath_hash_policy": "1",
    "net.ipv6.fib_multipath_hash_policy": "1",
};

/** The create options with the lab's router sysctls added where the registered ones lack the key, and what was added. */
export function withLabRouterSysctls(create: Docker.ContainerCreateOptions): { create: Docker.ContainerCreateOptions; added: Record<string, string> } {
    const registered = create.HostConfig?.Sysctls ?? {};
    const added = Object.fromEntries(Object.entries(LAB_ROUTER_SYSCTLS).filter(([k]) => !(k in registered)));
    if (Object.keys(added).length === 0) return { create, added };
    return { create: { ...create, HostConfig: { ...create.HostConfig, Sysctls: { ...registered, ...added } } }, added };
}

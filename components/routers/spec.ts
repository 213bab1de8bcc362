/**
 * Docker network and container arguments for the router fleet, as plain data: the Pulumi
 * component wires them to resources, and a Docker-engine lab can use them as they are.
 */
import type { FabricConfig, StackFamily } from "../config/types";
import { parseAddress } from "../plan/addr";
import type { AddressPlan, PlannedRouter } from "../plan/types";
import { renderFrrConfig, renderFrrDaemons, renderVtyshConf } from "./frr";
import { renderVyosCommands, renderVyosConfigBoot } from "./vyos";
import { allVrrpIntents } from "./model";
import { FRR_DOCKER_START, FRR_START_SCRIPT, renderFrrStartScript } from "./vrrplinks";

export interface Label { label: string; value: string }

export interface NetworkSpec {
    /** Pulumi resource name: `net-<subnet or link name>`. */
    resourceName: string;
    /** Subnet or link name in the plan. */
    key: string;
    /** Docker network name: `<prefix>-<key>`. */
    name: string;
    role: "nodes" | "link";
    driver: "bridge";
    ipv6: boolean;
    internal: boolean;
    ipamConfigs: { subnet: string; gateway: string }[];
    labels: Label[];
}

export interface FileSpec { file: string; content: string; permissions: string }

export interface AttachmentSpec {
    /** Key of the network (NetworkSpec.key). */
    network: string;
    /** Docker network name. */
    networkName: string;
    ipv4Address?: string;
    ipv6Address?: string;
}

export interface ContainerSpec {
    resourceName: string;
    name: string;
    image: string;
    hostname: string;
    privileged: boolean;
    command?: string[];
    capabilities: { adds: string[] };
    sysctls: Record<string, string>;
    networksAdvanced: AttachmentSpec[];
    restart: "unless-stopped";
    mustRun: boolean;
    destroyGraceSeconds: number;
    healthcheck: { tests: string[]; interval: string; timeout: string; retries: number; startPeriod: string };
    labels: Label[];
}

export const FRR_FILES = { config: "/etc/frr/frr.conf", daemons: "/etc/frr/daemons", vtysh: "/etc/frr/vtysh.conf" } as const;
export const VYOS_CONFIG_BOOT = "/opt/vyatta/etc/config/config.boot";

/** Pulumi resource name of a router's container: this prefix and the router's name. */
export const ROUTER_RESOURCE_PREFIX = "router-";

export const defaultNamePrefix = (config: FabricConfig): string => `cbf-${config.stack}`;

const labels = (config: FabricConfig, role: string, extra: Record<string, string> = {}): Label[] =>
    labelList({ "cilium-bgp-fabric/stack": config.stack, "cilium-bgp-fabric/role": role, ...extra });

/** Docker labels as the provider takes them, sorted by label. */
export const labelList = (labels: Record<string, string>): Label[] =>
    Object.entries(labels).map(([label, value]) => ({ label, value })).sort((a, b) => a.label.localeCompare(b.label));

/** A stack's families as the fleet takes them: one, or `dual` (a plan with an IPv6 half). */
export const planFamily = (plan: AddressPlan): StackFamily => (plan.secondary ? "dual" : plan.family);

/**
 * The IPv6 half's subnet and Docker gateway of a segment of a dual plan (same names in both
 * halves: plan/dual.ts), none on a one-family plan.
 */
export function secondarySubnet(plan: AddressPlan, key: string): { subnet: string; gateway: string } | undefined {
    const half = plan.secondary;
    if (!half) return undefined;
    const s = half.nodeSubnets.find((x) => x.name === key);
    if (s) return { subnet: s.cidr, gateway: s.dockerGateway };
    const l = half.linkNets.find((x) => x.name === key);
    if (l) return { subnet: l.cidr, gateway: l.dockerGateway };
    throw new Error(`dual plan: segment ${key} has no IPv6 half`);
}

/** A router's interfaces in both halves of a dual plan (IPv4 first), else its interfaces. */
export function routerAddresses(plan: AddressPlan, router: PlannedRouter): PlannedRouter["interfaces"] {
    const twin = plan.secondary?.routers.find((r) => r.name === router.name);
    return [...router.interfaces, ...(twin?.interfaces ?? [])].map((i) => ({ ...i }));
}

/** One network per node subnet and per link, node subnets first, each in plan order (a dual plan: both subnets). */
export function networkSpecs(config: FabricConfig, plan: AddressPlan, prefix = defaultNamePrefix(config)): NetworkSpec[] {
    const ipv6 = plan.family === "ipv6" || plan.secondary !== undefined;
    const one = (key: string, cidr: string, gateway: string, role: NetworkSpec["role"]): NetworkSpec => {
        const six = secondarySubnet(plan, key);
        return {
            resourceName: `net-${key}`, key, name: `${prefix}-${key}`, role, driver: "bridge",
            // Docker (and @pulumi/docker 5.2) cannot drop IPv4 from a network: IPv6 stacks get an extra Docker-chosen IPv4 subnet.
            ipv6, internal: false,
            ipamConfigs: [{ subnet: cidr, gateway }, ...(six ? [six] : [])],
            labels: labels(config, role === "nodes" ? "node-network" : "router-link", { "cilium-bgp-fabric/segment": key }),
        };
    };
    return [
        ...plan.nodeSubnets.map((s) => one(s.name, s.cidr, s.dockerGateway, "nodes")),
        ...plan.linkNets.map((l) => one(l.name, l.cidr, l.dockerGateway, "link")),
    ];
}

/** The files a router boots from (they hold the BGP password: handle as secret). */
export function routerFiles(config: FabricConfig, plan: AddressPlan, router: PlannedRouter, password?: string): FileSpec[] {
    const input = { config, plan, router, ...(password !== undefined ? { password } : {}) };
    if (router.flavour === "vyos") {
        return [{ file: VYOS_CONFIG_BOOT, content: renderVyosConfigBoot(renderVyosCommands(input)), permissions: "0660" }];
    }
    const vrrp = allVrrpIntents(plan, router);
    return [
        { file: FRR_FILES.config, content: renderFrrConfig(input), permissions: "0640" },
        { file: FRR_FILES.daemons, content: renderFrrDaemons({ vrrp: vrrp.length > 0 }), permissions: "0640" },
        { file: FRR_FILES.vtysh, content: renderVtyshConf(router.name), permissions: "0640" },
        // The container's command (FRR_COMMAND): vrrpd's macvlan devices, if any, then FRR (vrrplinks.ts).
        { file: FRR_START_SCRIPT, content: renderFrrStartScript(vrrp), permissions: "0750" },
    ];
}

/**
 * Every FRR router container runs its start script, which ends by running the image's own CMD
 * (FRR's docker-start); the image's ENTRYPOINT (tini) stays PID 1.
 */
export const FRR_COMMAND = ["/bin/sh", FRR_START_SCRIPT];
export { FRR_DOCKER_START, FRR_START_SCRIPT };

/** The main configuration file of a router (frr.conf or config.boot). */
export const mainConfigFile = (files: FileSpec[]): string =>
    (files.find((f) => f.file === FRR_FILES.config || f.file === VYOS_CONFIG_BOOT) as FileSpec).content;

export function routerContainerSpec(config: FabricConfig, plan: AddressPlan, router: PlannedRouter, prefix = defaultNamePrefix(config)): ContainerSpec {
    return containerSpec({
        name: router.name, image: router.image, flavour: router.flavour, family: planFamily(plan),
        addresses: routerAddresses(plan, router), labels: labels(config, "router", { "cilium-bgp-fabric/router": router.name, "cilium-bgp-fabric/flavour": router.flavour }),
    }, prefix);
}

/** What a router's container is made from. */
export interface ContainerInput {
    name: string;
    image: string;
    flavour: "frr" | "vyos";
    /** ipv4, ipv6, or dual (both families' sysctls). */
    family: StackFamily;
    /** Its addresses; a dual router has two per network (one of each family). */
    addresses: { network: string; address: string }[];
    labels: Label[];
}

/** One attachment per network, in first-address order, with the address of each family it has there. */
function attachments(addresses: ContainerInput["addresses"], prefix: string): AttachmentSpec[] {
    const out = new Map<string, AttachmentSpec>();
    for (const a of addresses) {
        const parsed = parseAddress(a.address);
        if (typeof parsed === "string") throw new Error(`router address ${a.address}: ${parsed}`);
        const att = out.get(a.network) ?? { network: a.network, networkName: `${prefix}-${a.network}` };
        const key = parsed.family === "ipv6" ? "ipv6Address" : "ipv4Address";
        if (att[key] !== undefined) throw new Error(`network ${a.network}: two ${parsed.family} addresses (${att[key]}, ${a.address})`);
        att[key] = a.address;
        out.set(a.network, att);
    }
    return [...out.values()];
}

export function containerSpec(router: ContainerInput, prefix: string): ContainerSpec {
    const ipv4 = router.family !== "ipv6";
    const sysctls: Record<string, string> = {
        "net.ipv6.conf.all.disable_ipv6": "0",
        "net.ipv6.conf.default.disable_ipv6": "0",
        "net.ipv6.conf.all.forwarding": "1",
        // The VRRP start script renames the node-segment interface, which needs it down: keep its IPv6 addresses.
        "net.ipv6.conf.all.keep_addr_on_down": "1",
        // ECMP by L4 hash (addresses and ports): without it one client's connections all take one path
        // to one announcing node (measured in the Docker lab), so ECMP spreads nothing for a single client.
        "net.ipv6.fib_multipath_hash_policy": "1",
    };
    if (ipv4) {
        sysctls["net.ipv4.ip_forward"] = "1";
        sysctls["net.ipv4.fib_multipath_hash_policy"] = "1";
        // ECMP and asymmetric paths through the fabric trip strict reverse-path filtering.
        sysctls["net.ipv4.conf.all.rp_filter"] = "0";
    }
    const vyos = router.flavour === "vyos";
    const spec: ContainerSpec = {
        resourceName: `${ROUTER_RESOURCE_PREFIX}${router.name}`,
        name: `${prefix}-${router.name}`,
        image: router.image,
        hostname: router.name,
        // VyOS runs systemd and its config daemons: it needs a privileged container; FRR does not.
        privileged: vyos,
        capabilities: { adds: ["NET_ADMIN", "NET_RAW", "SYS_ADMIN"] },
        sysctls,
        networksAdvanced: attachments(router.addresses, prefix),
        restart: "unless-stopped",
        mustRun: true,
        destroyGraceSeconds: 10,
        healthcheck: {
            // Healthy once the BGP daemon answers (VyOS ships FRR's vtysh too).
            tests: ["CMD", "vtysh", "-c", "show bgp summary"],
            interval: "10s", timeout: "5s", retries: 6,
            startPeriod: vyos ? "120s" : "20s",
        },
        labels: router.labels,
    };
    spec.command = vyos ? ["/sbin/init"] : [...FRR_COMMAND];
    return spec;
}

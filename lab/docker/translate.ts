/**
 * The one translation from what the RouterFleet registered (its `docker:index/network:Network` and
 * `docker:index/container:Container` inputs, as recorded under the mock runtime) to Docker Engine
 * API create options. Pure: no engine, no I/O; the Docker lab engine only executes its output.
 *
 * Field by field (recorded input of @pulumi/docker 5.x -> Engine API):
 *
 *   Network                         NetworkCreateOptions
 *     name                            Name (with the run's prefix, see labName)
 *     driver                          Driver
 *     ipv6                            EnableIPv6
 *     internal                        Internal
 *     ipamConfigs[{subnet,gateway}]   IPAM.Config[{Subnet, Gateway}] (driver "default")
 *     labels[{label,value}]           Labels (plus the run's labels)
 *
 *   Container                       ContainerCreateOptions
 *     name                            name (with the run's prefix)
 *     image                           Image: SUBSTITUTED by the lab's local router image unless the
 *                                     run asks for the recorded one (see ImageChoice)
 *     hostname                        Hostname
 *     command                         Cmd
 *     privileged                      HostConfig.Privileged
 *     capabilities.adds               HostConfig.CapAdd
 *     sysctls                         HostConfig.Sysctls
 *     restart                         HostConfig.RestartPolicy.Name
 *     destroyGraceSeconds             StopTimeout (Docker's grace period before SIGKILL)
 *     healthcheck{tests,interval,     Healthcheck{Test, Interval, Timeout, StartPeriod (Go durations
 *       timeout,startPeriod,retries}    -> nanoseconds), Retries}
 *     labels                          Labels (plus the run's labels)
 *     networksAdvanced[0]             HostConfig.NetworkMode + NetworkingConfig.EndpointsConfig
 *                                     {IPAMConfig {IPv4Address, IPv6Address}}
 *     networksAdvanced[1..]           `connect`: Docker attaches one network at create time, the
 *                                     engine connects the rest before start
 *     uploads[{file,content,          `files`: packed into a tar and put into the container before
 *       permissions}]                   start (the same moment the provider uploads them)
 *     mustRun                         `mustRun`: the engine checks the container runs after start
 *
 * An input this module does not know is an error, so that a new RouterFleet input cannot be
 * silently dropped from the lab.
 */
import type Docker from "dockerode";
import type { RecordedResource } from "../../cli/mock-runtime";
import type { LabNode } from "../engine";
import type { NodeDefaultRoute } from "../../components/cluster/routes";

export const NETWORK_TYPE = "docker:index/network:Network";
export const CONTAINER_TYPE = "docker:index/container:Container";

/** Labels every object of a lab run carries, so that teardown and stale-run cleanup can find them. */
export const LAB_LABEL = "cilium-bgp-fabric/lab";
export const LAB_PID_LABEL = "cilium-bgp-fabric/lab-pid";

/** Which image a router container runs. */
export type ImageChoice =
    /** The lab's locally built image replaces the recorded one (no registry needed). */
    | { kind: "local"; image: string }
    /** The image the program registered (e.g. the pinned upstream FRR image), pulled by the engine if missing. */
    | { kind: "recorded" };

export interface TranslateContext {
    /** Prefix of every Docker name of this run, e.g. `cbflab-3f9a2c`. */
    runPrefix: string;
    /** Added to every object's labels (at least LAB_LABEL). */
    runLabels: Record<string, string>;
    routerImage: ImageChoice;
}

export interface FileToPut { path: string; content: string; mode: number }

export interface NetworkPlan {
    /** Pulumi resource name (`net-nodes`). */
    resource: string;
    /** Docker name the program gave it (`cbf-dev-nodes`). */
    recordedName: string;
    /** Plan segment (label `cilium-bgp-fabric/segment`). */
    segment: string;
    create: Docker.NetworkCreateOptions;
}

export interface ContainerPlan {
    resource: string;
    recordedName: string;
    /** Router name (label `cilium-bgp-fabric/router`). */
    router: string;
    /** The image the program registered, and the one this run uses (equal unless substituted). */
    recordedImage: string;
    image: string;
    substituted: boolean;
    create: Docker.ContainerCreateOptions;
    /** Networks to connect after create, before start. */
    connect: { network: string; endpoint: Docker.EndpointSettings }[];
    files: FileToPut[];
    mustRun: boolean;
}

export interface FleetPlan {
    networks: NetworkPlan[];
    containers: ContainerPlan[];
    /** Router containers left out (VyOS: topology.skipped). */
    skipped: string[];
}

type Obj = Record<string, unknown>;

class Reader {
    constructor(private readonly what: string, private readonly o: Obj) {}
    private fail(key: string, want: string): never {
        throw new Error(`${this.what}: input ${key} must be ${want}, got ${JSON.stringify(this.o[key])}`);
    }
    str(key: string): string {
        const v = this.o[key];
        return typeof v === "string" ? v : this.fail(key, "a string");
    }
    optStr(key: string): string | undefined {
        return this.o[key] === undefined ? undefined : this.str(key);
    }
    bool(key: string, dflt?: boolean): boolean {
        const v = this.o[key];
        if (v === undefined && dflt !== undefined) return dflt;
        return typeof v === "boolean" ? v : this.fail(key, "a boolean");
    }
    num(key: string): number {
        const v = this.o[key];
        return typeof v === "number" && Number.isFinite(v) ? v : this.fail(key, "a number");
    }
    obj(key: string): Reader {
        const v = this.o[key];
        return typeof v === "object" && v !== null && !Array.isArray(v) ? new Reader(`${this.what}.${key}`, v as Obj) : this.fail(key, "an object");
    }
    list(key: string, dflt?: unknown[]): Reader[] {
        const v = this.o[key] ?? dflt;
        if (!Array.isArray(v)) this.fail(key, "a list");
        return v.map((x, i) => (typeof x === "object" && x !== null ? new Reader(`${this.what}.${key}[${i}]`, x as Obj) : this.fail(`${key}[${i}]`, "objects")));
    }
    optStrings(key: string): string[] | undefined {
        return this.o[key] === undefined ? undefined : this.strings(key);
    }
    optNum(key: string): number | undefined {
        return this.o[key] === undefined ? undefined : this.num(key);
    }
    strings(key: string): string[] {
        const v = this.o[key];
        return Array.isArray(v) && v.every((x) => typeof x === "string") ? (v as string[]) : this.fail(key, "a list of strings");
    }
    stringMap(key: string): Record<string, string> {
        const v = this.o[key] ?? {};
        if (typeof v !== "object" || v === null || Array.isArray(v) || !Object.values(v).every((x) => typeof x === "string")) this.fail(key, "a map of strings");
        return { ...(v as Record<string, string>) };
    }
    /** Throws on any input key outside `known`: a new RouterFleet input must be translated, not lost. */
    only(known: readonly string[]): void {
        const extra = Object.keys(this.o).filter((k) => !known.includes(k));
        if (extra.length) throw new Error(`${this.what}: lab/docker/translate.ts does not translate input(s) ${extra.join(", ")}: extend it`);
    }
}

const NETWORK_INPUTS = ["name", "driver", "ipv6", "internal", "ipamConfigs", "labels"] as const;
const CONTAINER_INPUTS = [
    "name", "image", "hostname", "command", "privileged", "capabilities", "sysctls", "networksAdvanced", "uploads",
    "restart", "mustRun", "destroyGraceSeconds", "healthcheck", "labels",
] as const;

/** The Docker name of a recorded object in this run: the run prefix keeps runs (and `pulumi up`) apart. */
export const labName = (ctx: TranslateContext, recordedName: string): string => `${ctx.runPrefix}-${recordedName}`;

const labelMap = (r: Reader, key: string): Record<string, string> =>
    Object.fromEntries(r.list(key, []).map((l) => [l.str("label"), l.str("value")]));

const UNIT_NS: Record<string, number> = { ns: 1, us: 1e3, "µs": 1e3, ms: 1e6, s: 1e9, m: 60e9, h: 3600e9 };

/** A Go duration ("10s", "1m30s", "500ms"), as the provider takes it, in nanoseconds as the Engine API takes it. */
export function durationNs(text: string): number {
    const parts = [...text.matchAll(/(\d+(?:\.\d+)?)(ns|us|µs|ms|s|m|h)/g)];
    if (!parts.length || parts.map((p) => p[0]).join("") !== text) throw new Error(`not a duration: ${JSON.stringify(text)}`);
    return Math.round(parts.reduce((sum, p) => sum + Number(p[1]) * UNIT_NS[p[2]], 0));
}

/** "0640" (the provider's upload permissions) -> 0o640. */
export function fileMode(permissions: string | undefined): number {
    if (permissions === undefined) return 0o644;
    if (!/^0?[0-7]{3,4}$/.test(permissions)) throw new Error(`not an octal file mode: ${JSON.stringify(permissions)}`);
    return parseInt(permissions, 8);
}

const endpoint = (a: Reader): Docker.EndpointSettings => {
    const ipv4 = a.optStr("ipv4Address");
    const ipv6 = a.optStr("ipv6Address");
    return { IPAMConfig: { ...(ipv4 !== undefined ? { IPv4Address: ipv4 } : {}), ...(ipv6 !== undefined ? { IPv6Address: ipv6 } : {}) } };
};

export function translateNetwork(res: RecordedResource, ctx: TranslateContext): NetworkPlan {
    if (res.type !== NETWORK_TYPE) throw new Error(`${res.name}: not a ${NETWORK_TYPE}`);
    const r = new Reader(`${NETWORK_TYPE} ${res.name}`, res.inputs);
    r.only(NETWORK_INPUTS);
    const labels = labelMap(r, "labels");
    const recordedName = r.str("name");
    return {
        resource: res.name,
        recordedName,
        segment: labels["cilium-bgp-fabric/segment"] ?? recordedName,
        create: {
            Name: labName(ctx, recordedName),
            CheckDuplicate: true,
            Driver: r.optStr("driver") ?? "bridge",
            EnableIPv6: r.bool("ipv6", false),
            Internal: r.bool("internal", false),
            IPAM: { Driver: "default", Config: r.list("ipamConfigs", []).map((c) => ({ Subnet: c.str("subnet"), Gateway: c.str("gateway") })) },
            Labels: { ...labels, ...ctx.runLabels },
        },
    };
}

/** `networkNames` maps each recorded network name to its name in this run. */
export function translateContainer(res: RecordedResource, ctx: TranslateContext, networkNames: ReadonlyMap<string, string>): ContainerPlan {
    if (res.type !== CONTAINER_TYPE) throw new Error(`${res.name}: not a ${CONTAINER_TYPE}`);
    const what = `${CONTAINER_TYPE} ${res.name}`;
    const r = new Reader(what, res.inputs);
    r.only(CONTAINER_INPUTS);
    const labels = labelMap(r, "labels");
    const recordedName = r.str("name");
    const recordedImage = r.str("image");
    // The explicit image substitution: the lab runs its own FRR image unless told to use the recorded one.
    const image = ctx.routerImage.kind === "local" ? ctx.routerImage.image : recordedImage;

    const attachments = r.list("networksAdvanced").map((a) => {
        const recordedNet = a.str("name");
        const network = networkNames.get(recordedNet);
        if (!network) throw new Error(`${what}: attaches to network ${recordedNet}, which the fleet did not register`);
        return { network, endpoint: endpoint(a) };
    });
    if (!attachments.length) throw new Error(`${what}: attaches to no network`);
    const [first, ...rest] = attachments;

    const hc = r.obj("healthcheck");
    hc.only(["tests", "interval", "timeout", "startPeriod", "retries"]);
    const caps = r.obj("capabilities");
    caps.only(["adds", "drops"]);
    const drops = caps.optStrings("drops") ?? [];
    const command = r.optStrings("command");
    const grace = r.optNum("destroyGraceSeconds");
    const restart = r.optStr("restart") ?? "no";

    const create: Docker.ContainerCreateOptions = {
        name: labName(ctx, recordedName),
        Image: image,
        Hostname: r.str("hostname"),
        ...(command ? { Cmd: command } : {}),
        Labels: { ...labels, ...ctx.runLabels },
        ...(grace !== undefined ? { StopTimeout: grace } : {}),
        Healthcheck: {
            Test: hc.strings("tests"),
            Interval: durationNs(hc.str("interval")),
            Timeout: durationNs(hc.str("timeout")),
            StartPeriod: durationNs(hc.str("startPeriod")),
            Retries: hc.num("retries"),
        },
        HostConfig: {
            Privileged: r.bool("privileged", false),
            CapAdd: caps.strings("adds"),
            ...(drops.length ? { CapDrop: drops } : {}),
            Sysctls: r.stringMap("sysctls"),
            RestartPolicy: { Name: restart },
            NetworkMode: first.network,
        },
        NetworkingConfig: { EndpointsConfig: { [first.network]: first.endpoint } },
    };
    const files = r.list("uploads", []).map((u) => {
        u.only(["file", "content", "permissions"]);
        return { path: u.str("file"), content: u.str("content"), mode: fileMode(u.optStr("permissions")) };
    });
    return {
        resource: res.name,
        recordedName,
        router: labels["cilium-bgp-fabric/router"] ?? r.str("hostname"),
        recordedImage,
        image,
        substituted: image !== recordedImage,
        create,
        connect: rest,
        files,
        mustRun: r.bool("mustRun", false),
    };
}

/**
 * Every network and router container the fleet registered, in registration order, less the
 * routers in `skip` (VyOS cannot run in the lab). A skipped router's networks are still created:
 * the other routers and the nodes share them.
 */
export function translateFleet(recorded: readonly RecordedResource[], ctx: TranslateContext, skip: ReadonlySet<string> = new Set()): FleetPlan {
    const networks = recorded.filter((r) => r.type === NETWORK_TYPE).map((r) => translateNetwork(r, ctx));
    const names = new Map(networks.map((n) => [n.recordedName, n.create.Name]));
    const containers: ContainerPlan[] = [];
    const skipped: string[] = [];
    for (const r of recorded.filter((x) => x.type === CONTAINER_TYPE)) {
        const c = translateContainer(r, ctx, names);
        if (skip.has(c.router)) skipped.push(c.router);
        else containers.push(c);
    }
    return { networks, containers, skipped };
}

/** Settings of a node speaker container: not registered by the program, so chosen here, next to the routers'. */
export interface SpeakerContext {
    image: string;
    /** Docker name of the node's network in this run. */
    network: string;
    family: "ipv4" | "ipv6";
    /** Default route at start (join.ts's); undefined when no router of the node's segment runs here (as in the namespace lab). */
    defaultRoute: NodeDefaultRoute | undefined;
}

/**
 * A node speaker (gobgpd standing in for Cilium's agent) on its node network at the planned address.
 * NET_ADMIN for the default-route change at start (the image's speaker-start, driven by CBF_ROUTE);
 * the route's sysctls and forwarding (a Kubernetes node forwards for its pods) as container sysctls.
 */
export function speakerContainer(node: LabNode, ctx: TranslateContext, s: SpeakerContext): { create: Docker.ContainerCreateOptions; files: FileToPut[] } {
    const name = labName(ctx, `node-${node.name}`);
    return {
        create: {
            name,
            Image: s.image,
            Hostname: node.name,
            // A dual stack: the IPv6 half's default route as well (CBF_ROUTE6), as join.ts gives a node one per family.
            Env: [`CBF_ROUTE=${s.defaultRoute?.ipArgs.join(" ") ?? ""}`, ...(node.secondary?.defaultRoute ? [`CBF_ROUTE6=${node.secondary.defaultRoute.ipArgs.join(" ")}`] : [])],
            Labels: { "cilium-bgp-fabric/role": "node-speaker", "cilium-bgp-fabric/node": node.name, ...ctx.runLabels },
            // gobgpd exits on SIGTERM at once; no need for Docker's 10 s default.
            StopTimeout: 2,
            HostConfig: {
                CapAdd: ["NET_ADMIN", "NET_RAW"],
                Sysctls: {
                    "net.ipv6.conf.all.disable_ipv6": "0", "net.ipv6.conf.default.disable_ipv6": "0",
                    "net.ipv6.conf.all.forwarding": "1", "net.ipv4.ip_forward": "1",
                    ...Object.fromEntries(s.defaultRoute?.sysctls ?? []),
                    ...Object.fromEntries(node.secondary?.defaultRoute?.sysctls ?? []),
                },
                RestartPolicy: { Name: "no" },
                NetworkMode: s.network,
            },
            NetworkingConfig: {
                // A dual stack's node: both halves' addresses on its one network (a network with both subnets).
                EndpointsConfig: { [s.network]: { IPAMConfig: {
                    ...(s.family === "ipv6" ? { IPv6Address: node.address } : { IPv4Address: node.address }),
                    ...(node.secondary ? { IPv6Address: node.secondary.address } : {}),
                } } },
            },
        },
        files: [{ path: "/etc/gobgpd.toml", content: node.gobgpdConfig, mode: 0o600 }],
    };
}

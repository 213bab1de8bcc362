/**
 * Reads the raw stack configuration (what `pulumi.Config` or a stack file gives), applies
 * defaults and checks types and enumerations. Every problem is collected, each naming its
 * key path; the address-plan engine then checks the prefixes and addresses.
 */
import { familyBits } from "../plan/addr";
import { lineMinor } from "../cilium/api";
import { Problems } from "./errors";
import {
    BGP_DEFAULTS, DEFAULT_FRR_IMAGE, FAMILY_SIZES, GATEWAY_API_DEFAULTS, GATEWAY_API_FOR_CILIUM_LINE, GATEWAY_API_MIN_LINE,
    PLAN_DEFAULTS, SMOKE_DEFAULTS, SUPPORTED_CILIUM_LINES, TOP_LEVEL_DEFAULTS,
} from "./defaults";
import type {
    AddressPlanConfig, AsnConfig, BgpConfig, CiliumConfig, ClusterConfig, FabricConfig, GatewayApiConfig, GatewayListenerConfig,
    IpFamily, LabelSelector, LbPoolConfig, NodeConfig, RouterConfig, ServiceAddressType, SmokeConfig,
} from "./types";

/** The configuration keys this project reads (without the project namespace). */
export const CONFIG_KEYS = ["ipFamily", "addressPlan", "asn", "routers", "cluster", "cilium", "bgp", "gatewayApi", "smoke"] as const;
export type RawConfig = Partial<Record<(typeof CONFIG_KEYS)[number], unknown>>;

type Obj = Record<string, unknown>;
const isObj = (v: unknown): v is Obj => typeof v === "object" && v !== null && !Array.isArray(v);

/** Typed field readers that record a problem and return a fallback on a wrong type. */
class Reader {
    constructor(private readonly p: Problems) {}

    obj(v: unknown, path: string): Obj {
        if (v === undefined || v === null) return {};
        if (!isObj(v)) { this.p.add(path, v, "must be an object"); return {}; }
        return v;
    }
    arr(v: unknown, path: string): unknown[] {
        if (v === undefined || v === null) return [];
        if (!Array.isArray(v)) { this.p.add(path, v, "must be a list"); return []; }
        return v;
    }
    str(v: unknown, path: string, fallback?: string): string | undefined {
        if (v === undefined || v === null) return fallback;
        if (typeof v !== "string" || v === "") { this.p.add(path, v, "must be a non-empty string"); return fallback; }
        return v;
    }
    reqStr(v: unknown, path: string): string {
        const s = this.str(v, path);
        if (s === undefined && (v === undefined || v === null)) this.p.add(path, v, "is required");
        return s ?? "";
    }
    int(v: unknown, path: string, fallback: number, min = -Infinity, max = Infinity): number {
        if (v === undefined || v === null) return fallback;
        const n = typeof v === "string" && /^-?\d+$/.test(v) ? Number(v) : v;
        if (typeof n !== "number" || !Number.isInteger(n)) { this.p.add(path, v, "must be an integer"); return fallback; }
        if (n < min || n > max) { this.p.add(path, v, `must be between ${min} and ${max}`); return fallback; }
        return n;
    }
    optInt(v: unknown, path: string, min = -Infinity, max = Infinity): number | undefined {
        if (v === undefined || v === null) return undefined;
        const n = this.int(v, path, NaN, min, max);
        return Number.isNaN(n) ? undefined : n;
    }
    bool(v: unknown, path: string, fallback: boolean): boolean {
        if (v === undefined || v === null) return fallback;
        if (v === "true" || v === "false") return v === "true";
        if (typeof v !== "boolean") { this.p.add(path, v, "must be true or false"); return fallback; }
        return v;
    }
    oneOf<T extends string>(v: unknown, path: string, allowed: readonly T[], fallback: T): T {
        if (v === undefined || v === null) return fallback;
        if (typeof v !== "string" || !(allowed as readonly string[]).includes(v)) {
            this.p.add(path, v, `must be one of ${allowed.join(", ")}`);
            return fallback;
        }
        return v as T;
    }
    strList(v: unknown, path: string): string[] {
        return this.arr(v, path).flatMap((item, i) => {
            const s = this.str(item, `${path}[${i}]`);
            return s === undefined ? [] : [s];
        });
    }
    selector(v: unknown, path: string): LabelSelector | undefined {
        if (v === undefined || v === null) return undefined;
        const o = this.obj(v, path);
        const out: LabelSelector = {};
        if (o.matchLabels !== undefined) {
            const labels = this.obj(o.matchLabels, `${path}.matchLabels`);
            out.matchLabels = {};
            for (const k of Object.keys(labels).sort()) {
                const s = this.str(labels[k], `${path}.matchLabels.${k}`);
                if (s !== undefined) out.matchLabels[k] = s;
            }
        }
        if (o.matchExpressions !== undefined) {
            out.matchExpressions = this.arr(o.matchExpressions, `${path}.matchExpressions`).map((e, i) => {
                const eo = this.obj(e, `${path}.matchExpressions[${i}]`);
                const operator = this.oneOf(eo.operator, `${path}.matchExpressions[${i}].operator`, ["In", "NotIn", "Exists", "DoesNotExist"] as const, "In");
                const expr: NonNullable<LabelSelector["matchExpressions"]>[number] = { key: this.reqStr(eo.key, `${path}.matchExpressions[${i}].key`), operator };
                if (eo.values !== undefined) expr.values = this.strList(eo.values, `${path}.matchExpressions[${i}].values`);
                return expr;
            });
        }
        for (const k of Object.keys(o)) {
            if (k !== "matchLabels" && k !== "matchExpressions") this.p.add(`${path}.${k}`, o[k], "is not a label selector field (matchLabels, matchExpressions)");
        }
        return out;
    }
    /** Flags keys the model does not know: a typo should not pass silently. */
    known(o: Obj, path: string, keys: readonly string[]): void {
        for (const k of Object.keys(o)) {
            if (!keys.includes(k)) this.p.add(path ? `${path}.${k}` : k, o[k], `is not a known key (known: ${keys.join(", ")})`);
        }
    }
}

/** The number a name ends with ("r02" -> 2), the default stable id of routers, nodes and racks. */
export function trailingNumber(name: string): number | undefined {
    const m = /(\d+)$/.exec(name);
    return m ? Number(m[1]) : undefined;
}

function readId(r: Reader, p: Problems, raw: unknown, name: string, path: string, min: number): number {
    if (raw !== undefined && raw !== null) return r.int(raw, `${path}.id`, -1, min, 1_000_000);
    const n = trailingNumber(name);
    if (n === undefined) {
        if (name) p.add(`${path}.id`, undefined, `is required when the name (${name}) does not end in a number`);
        return -1;
    }
    if (n < min) p.add(`${path}.id`, undefined, `defaults to the number ending the name (${name} -> ${n}), which must be at least ${min}; set id explicitly`);
    return n;
}

function readAddressPlan(r: Reader, raw: unknown, family: IpFamily): AddressPlanConfig {
    const o = r.obj(raw, "addressPlan");
    r.known(o, "addressPlan", ["aggregate", "nodeNetwork", "rackSubnetLength", "nodeHostOffset", "podCidr", "podMaskSize",
        "serviceCidr", "lbPools", "loopbacks", "links", "linkPrefixLength", "maxSpines", "routerIdPool"]);
    const sizes = FAMILY_SIZES[family];
    const bits = familyBits(family);
    const pools = r.arr(o.lbPools, "addressPlan.lbPools").map((raw, i): LbPoolConfig => {
        const path = `addressPlan.lbPools[${i}]`;
        const po = r.obj(raw, path);
        r.known(po, path, ["name", "cidr", "prefixLength", "serviceSelector"]);
        const pool: LbPoolConfig = { name: r.reqStr(po.name, `${path}.name`) };
        const cidr = r.str(po.cidr, `${path}.cidr`);
        if (cidr !== undefined) pool.cidr = cidr;
        const len = r.optInt(po.prefixLength, `${path}.prefixLength`, 1, bits);
        pool.prefixLength = len ?? sizes.lbPool;
        const sel = r.selector(po.serviceSelector, `${path}.serviceSelector`);
        if (sel) pool.serviceSelector = sel;
        return pool;
    });
    const plan: AddressPlanConfig = {
        aggregate: r.reqStr(o.aggregate, "addressPlan.aggregate"),
        rackSubnetLength: r.int(o.rackSubnetLength, "addressPlan.rackSubnetLength", sizes.rackSubnetLength, 1, bits),
        nodeHostOffset: r.int(o.nodeHostOffset, "addressPlan.nodeHostOffset", PLAN_DEFAULTS.nodeHostOffset, 1, 1_000_000),
        podMaskSize: r.int(o.podMaskSize, "addressPlan.podMaskSize", sizes.podMaskSize, 1, bits),
        lbPools: pools.length > 0 ? pools : [{ name: "default", prefixLength: sizes.lbPool }],
        linkPrefixLength: r.int(o.linkPrefixLength, "addressPlan.linkPrefixLength", sizes.linkPrefixLength, 1, bits),
        maxSpines: r.int(o.maxSpines, "addressPlan.maxSpines", PLAN_DEFAULTS.maxSpines, 1, 64),
        routerIdPool: r.str(o.routerIdPool, "addressPlan.routerIdPool", PLAN_DEFAULTS.routerIdPool) as string,
    };
    for (const key of ["nodeNetwork", "podCidr", "serviceCidr", "loopbacks", "links"] as const) {
        const v = r.str(o[key], `addressPlan.${key}`);
        if (v !== undefined) plan[key] = v;
    }
    return plan;
}

function readAsn(r: Reader, raw: unknown): AsnConfig {
    const o = r.obj(raw, "asn");
    r.known(o, "asn", ["cluster", "racks", "allowPublic"]);
    const racksRaw = r.obj(o.racks, "asn.racks");
    const racks: Record<string, number> = {};
    for (const k of Object.keys(racksRaw).sort()) racks[k] = asnValue(r, racksRaw[k], `asn.racks.${k}`, 65000);
    return {
        cluster: asnValue(r, o.cluster, "asn.cluster", 65000),
        racks,
        allowPublic: r.arr(o.allowPublic, "asn.allowPublic").map((v, i) => asnValue(r, v, `asn.allowPublic[${i}]`, 0)),
    };
}

/** ASN syntax only (an integer); the range and private/public rules live in validateAsns. */
function asnValue(r: Reader, v: unknown, path: string, fallback: number): number {
    return r.int(v, path, fallback);
}

function readRouters(r: Reader, p: Problems, raw: unknown): RouterConfig[] {
    return r.arr(raw, "routers").map((item, i) => {
        const path = `routers[${i}]`;
        const o = r.obj(item, path);
        r.known(o, path, ["name", "id", "flavour", "role", "rack", "asn", "image"]);
        const name = r.reqStr(o.name, `${path}.name`);
        const flavour = r.oneOf(o.flavour, `${path}.flavour`, ["frr", "vyos"] as const, "frr");
        const router: RouterConfig = {
            name,
            id: readId(r, p, o.id, name, path, 1),
            flavour,
            role: r.oneOf(o.role, `${path}.role`, ["tor", "leaf", "spine", "edge"] as const, "tor"),
            asn: asnValue(r, o.asn, `${path}.asn`, 0),
            image: r.str(o.image, `${path}.image`, flavour === "frr" ? DEFAULT_FRR_IMAGE : undefined) ?? "",
        };
        if (o.asn === undefined) p.add(`${path}.asn`, undefined, "is required");
        if (flavour === "vyos" && !router.image) p.add(`${path}.image`, undefined, "is required for VyOS routers (VyOS publishes no container image; build one, see README)");
        const rack = r.str(o.rack, `${path}.rack`);
        if (rack !== undefined) router.rack = rack;
        return router;
    });
}

function readCluster(r: Reader, p: Problems, raw: unknown): ClusterConfig {
    const o = r.obj(raw, "cluster");
    r.known(o, "cluster", ["name", "provider", "kubernetesVersion", "nodes"]);
    const nodes = r.arr(o.nodes, "cluster.nodes").map((item, i): NodeConfig => {
        const path = `cluster.nodes[${i}]`;
        const no = r.obj(item, path);
        r.known(no, path, ["name", "id", "role", "rack"]);
        const name = r.reqStr(no.name, `${path}.name`);
        const node: NodeConfig = {
            name,
            id: readId(r, p, no.id, name, path, 0),
            role: r.oneOf(no.role, `${path}.role`, ["control-plane", "worker"] as const, "worker"),
        };
        const rack = r.str(no.rack, `${path}.rack`);
        if (rack !== undefined) node.rack = rack;
        return node;
    });
    if (nodes.length === 0) p.add("cluster.nodes", o.nodes, "must list at least one node");
    const provider = r.oneOf(o.provider, "cluster.provider", ["kind", "k3d", "existing"] as const, TOP_LEVEL_DEFAULTS.clusterProvider as "kind");
    if (provider !== "existing" && nodes.length > 0 && !nodes.some((n) => n.role === "control-plane")) {
        p.add("cluster.nodes", nodes.map((n) => n.name), `needs a control-plane node for provider ${provider}`);
    }
    const name = r.str(o.name, "cluster.name", "fabric") as string;
    if (!/^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/.test(name)) p.add("cluster.name", name, "must be a DNS label (lower case letters, digits, '-')");
    return {
        name,
        provider,
        kubernetesVersion: r.str(o.kubernetesVersion, "cluster.kubernetesVersion", TOP_LEVEL_DEFAULTS.kubernetesVersion) as string,
        nodes,
    };
}

function readCilium(r: Reader, p: Problems, raw: unknown): CiliumConfig {
    const o = r.obj(raw, "cilium");
    r.known(o, "cilium", ["version", "values"]);
    const version = r.str(o.version, "cilium.version", TOP_LEVEL_DEFAULTS.ciliumVersion) as string;
    const m = /^(\d+)\.(\d+)(\.\d+)?(-[0-9A-Za-z.-]+)?$/.exec(version);
    let line = m ? `${m[1]}.${m[2]}` : "";
    if (!m) p.add("cilium.version", version, "must be a version like 1.18.12");
    else if (!(SUPPORTED_CILIUM_LINES as readonly string[]).includes(line)) {
        p.add("cilium.version", version, `must be in a supported line (${SUPPORTED_CILIUM_LINES.join(", ")})`);
        line = ""; // no line: checks that depend on it (gatewayApi) stay quiet, the version problem says it all
    }
    return { version, line, values: r.obj(o.values, "cilium.values") };
}

function readBgp(r: Reader, p: Problems, raw: unknown): BgpConfig {
    const o = r.obj(raw, "bgp");
    r.known(o, "bgp", ["holdTimeSeconds", "keepaliveTimeSeconds", "connectRetryTimeSeconds", "gracefulRestart", "ebgpMultihop",
        "podCidrAdvertisement", "serviceAdvertisement", "authSecretName", "secretsNamespace", "filterNodeRoutes", "authentication"]);
    const gr = r.obj(o.gracefulRestart, "bgp.gracefulRestart");
    r.known(gr, "bgp.gracefulRestart", ["enabled", "restartTimeSeconds"]);
    const pod = r.obj(o.podCidrAdvertisement, "bgp.podCidrAdvertisement");
    r.known(pod, "bgp.podCidrAdvertisement", ["communities", "localPreference"]);
    const svc = r.obj(o.serviceAdvertisement, "bgp.serviceAdvertisement");
    r.known(svc, "bgp.serviceAdvertisement", ["addresses", "selector"]);
    const bgp: BgpConfig = {
        holdTimeSeconds: r.int(o.holdTimeSeconds, "bgp.holdTimeSeconds", BGP_DEFAULTS.holdTimeSeconds, 3, 65535),
        keepaliveTimeSeconds: r.int(o.keepaliveTimeSeconds, "bgp.keepaliveTimeSeconds", BGP_DEFAULTS.keepaliveTimeSeconds, 1, 65535),
        connectRetryTimeSeconds: r.int(o.connectRetryTimeSeconds, "bgp.connectRetryTimeSeconds", BGP_DEFAULTS.connectRetryTimeSeconds, 1, 65535),
        gracefulRestart: {
            enabled: r.bool(gr.enabled, "bgp.gracefulRestart.enabled", BGP_DEFAULTS.gracefulRestart.enabled),
            restartTimeSeconds: r.int(gr.restartTimeSeconds, "bgp.gracefulRestart.restartTimeSeconds", BGP_DEFAULTS.gracefulRestart.restartTimeSeconds, 1, 4095),
        },
        podCidrAdvertisement: { communities: r.strList(pod.communities, "bgp.podCidrAdvertisement.communities") },
        serviceAdvertisement: {
            addresses: svc.addresses === undefined
                ? [...BGP_DEFAULTS.serviceAdvertisement.addresses]
                : r.arr(svc.addresses, "bgp.serviceAdvertisement.addresses").map((a, i) =>
                    r.oneOf(a, `bgp.serviceAdvertisement.addresses[${i}]`, ["LoadBalancerIP", "ClusterIP", "ExternalIP"] as const, "LoadBalancerIP")),
        },
        authSecretName: r.str(o.authSecretName, "bgp.authSecretName", BGP_DEFAULTS.authSecretName) as string,
        secretsNamespace: r.str(o.secretsNamespace, "bgp.secretsNamespace", BGP_DEFAULTS.secretsNamespace) as string,
        filterNodeRoutes: r.bool(o.filterNodeRoutes, "bgp.filterNodeRoutes", BGP_DEFAULTS.filterNodeRoutes),
        authentication: r.bool(o.authentication, "bgp.authentication", BGP_DEFAULTS.authentication),
    };
    const lp = r.optInt(pod.localPreference, "bgp.podCidrAdvertisement.localPreference", 0, 4294967295);
    if (lp !== undefined) bgp.podCidrAdvertisement.localPreference = lp;
    const mh = r.optInt(o.ebgpMultihop, "bgp.ebgpMultihop", 1, 255);
    if (mh !== undefined) bgp.ebgpMultihop = mh;
    const sel = r.selector(svc.selector, "bgp.serviceAdvertisement.selector");
    if (sel) bgp.serviceAdvertisement.selector = sel;
    if (bgp.serviceAdvertisement.addresses.length === 0) p.add("bgp.serviceAdvertisement.addresses", svc.addresses, "must name at least one address type");
    if (new Set<ServiceAddressType>(bgp.serviceAdvertisement.addresses).size !== bgp.serviceAdvertisement.addresses.length) {
        p.add("bgp.serviceAdvertisement.addresses", svc.addresses, "must not repeat an address type");
    }
    if (bgp.keepaliveTimeSeconds > bgp.holdTimeSeconds) {
        p.add("bgp.keepaliveTimeSeconds", bgp.keepaliveTimeSeconds, `must not exceed bgp.holdTimeSeconds (${bgp.holdTimeSeconds})`);
    }
    bgp.podCidrAdvertisement.communities.forEach((c, i) => {
        if (!/^\d{1,5}:\d{1,5}$/.test(c) || c.split(":").some((x) => Number(x) > 65535)) {
            p.add(`bgp.podCidrAdvertisement.communities[${i}]`, c, "must be a standard community AA:NN (each 0-65535)");
        }
    });
    return bgp;
}

const DNS_LABEL = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/;
/** Service names are RFC 1035 labels: they start with a letter. */
const DNS_1035_LABEL = /^[a-z]([-a-z0-9]*[a-z0-9])?$/;
/** The Gateway API's listener hostname pattern (a `*.` wildcard label allowed first). */
const GATEWAY_HOSTNAME = /^(\*\.)?[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$/;
/** Cilium names a Gateway's Service `cilium-gateway-<name>`, which must stay a 63-character DNS label. */
const MAX_GATEWAY_NAME = 63 - "cilium-gateway-".length;

function dnsLabel(p: Problems, path: string, value: string, max = 63, re = DNS_LABEL, what = "a DNS label (lower case letters, digits, '-')"): void {
    if (!re.test(value) || value.length > max) p.add(path, value, `must be ${what} of at most ${max} characters`);
}

function readListeners(r: Reader, p: Problems, raw: unknown): GatewayListenerConfig[] {
    if (raw === undefined || raw === null) return GATEWAY_API_DEFAULTS.listeners.map((l) => ({ ...l }));
    const listeners = r.arr(raw, "gatewayApi.listeners").map((item, i): GatewayListenerConfig => {
        const path = `gatewayApi.listeners[${i}]`;
        const o = r.obj(item, path);
        r.known(o, path, ["name", "protocol", "port", "hostname", "tlsSecretName"]);
        const protocol = r.oneOf(o.protocol, `${path}.protocol`, ["HTTP", "HTTPS"] as const, "HTTP");
        const listener: GatewayListenerConfig = {
            name: r.str(o.name, `${path}.name`, protocol.toLowerCase()) as string,
            protocol,
            port: r.int(o.port, `${path}.port`, protocol === "HTTPS" ? 443 : 80, 1, 65535),
        };
        dnsLabel(p, `${path}.name`, listener.name);
        const hostname = r.str(o.hostname, `${path}.hostname`);
        if (hostname !== undefined) {
            if (!GATEWAY_HOSTNAME.test(hostname) || hostname.length > 253) p.add(`${path}.hostname`, hostname, "must be a DNS name, optionally starting with a *. wildcard label");
            listener.hostname = hostname;
        }
        const tls = r.str(o.tlsSecretName, `${path}.tlsSecretName`);
        if (tls !== undefined) listener.tlsSecretName = tls;
        if (protocol === "HTTPS" && tls === undefined) p.add(`${path}.tlsSecretName`, undefined, "is required for an HTTPS listener (the Secret with its certificate, in gatewayApi.namespace)");
        if (protocol === "HTTP" && tls !== undefined) p.add(`${path}.tlsSecretName`, tls, "is only allowed on HTTPS listeners");
        return listener;
    });
    if (listeners.length === 0 || listeners.length > 64) p.add("gatewayApi.listeners", raw, "must list 1 to 64 listeners");
    const names = new Map<string, number>();
    const endpoints = new Map<string, number>();
    listeners.forEach((l, i) => {
        const prev = names.get(l.name);
        if (prev !== undefined) p.add(`gatewayApi.listeners[${i}].name`, l.name, `repeats the name of gatewayApi.listeners[${prev}]`);
        else names.set(l.name, i);
        const key = `${l.protocol}:${l.port}:${l.hostname ?? ""}`;
        const same = endpoints.get(key);
        if (same !== undefined) p.add(`gatewayApi.listeners[${i}]`, { protocol: l.protocol, port: l.port, hostname: l.hostname }, `repeats the protocol, port and hostname of gatewayApi.listeners[${same}]`);
        else endpoints.set(key, i);
    });
    return listeners;
}

/**
 * The LoadBalancer address gatewayApi or smoke requests: `lbPool` (default: the first pool of
 * addressPlan.lbPools) and the optional `address` (checked against the plan by components/lbpools).
 */
function readLbRequest(r: Reader, o: Obj, key: "gatewayApi" | "smoke", pools: LbPoolConfig[]): { lbPool: string; address?: string } {
    const lbPool = r.str(o.lbPool, `${key}.lbPool`, pools[0]?.name ?? "") as string;
    const address = r.str(o.address, `${key}.address`);
    return address !== undefined ? { lbPool, address } : { lbPool };
}

/** An enabled requester's lbPool must name a pool of addressPlan.lbPools. */
function checkLbPoolNamed(p: Problems, key: "gatewayApi" | "smoke", lbPool: string, pools: LbPoolConfig[]): void {
    if (!pools.some((pool) => pool.name === lbPool)) {
        p.add(`${key}.lbPool`, lbPool, `names no pool of addressPlan.lbPools (${pools.map((x) => x.name).join(", ")})`);
    }
}

function readGatewayApi(r: Reader, p: Problems, raw: unknown, cilium: CiliumConfig, pools: LbPoolConfig[], smokeEnabled: boolean): GatewayApiConfig {
    const o = r.obj(raw, "gatewayApi");
    r.known(o, "gatewayApi", ["enabled", "version", "channel", "name", "namespace", "lbPool", "address", "listeners", "allowedNamespaces", "httpRoute"]);
    const enabled = r.bool(o.enabled, "gatewayApi.enabled", GATEWAY_API_DEFAULTS.enabled);
    const lineRelease = GATEWAY_API_FOR_CILIUM_LINE[cilium.line];
    const gw: GatewayApiConfig = {
        enabled,
        version: r.str(o.version, "gatewayApi.version", lineRelease ?? "") as string,
        channel: r.oneOf(o.channel, "gatewayApi.channel", ["standard", "experimental"] as const, GATEWAY_API_DEFAULTS.channel),
        name: r.str(o.name, "gatewayApi.name", GATEWAY_API_DEFAULTS.name) as string,
        namespace: r.str(o.namespace, "gatewayApi.namespace", GATEWAY_API_DEFAULTS.namespace) as string,
        ...readLbRequest(r, o, "gatewayApi", pools),
        listeners: readListeners(r, p, o.listeners),
        allowedNamespaces: r.selector(o.allowedNamespaces, "gatewayApi.allowedNamespaces") ?? structuredClone(GATEWAY_API_DEFAULTS.allowedNamespaces),
        httpRoute: r.bool(o.httpRoute, "gatewayApi.httpRoute", GATEWAY_API_DEFAULTS.httpRoute),
    };
    dnsLabel(p, "gatewayApi.name", gw.name, MAX_GATEWAY_NAME);
    dnsLabel(p, "gatewayApi.namespace", gw.namespace);
    const m = /^v(\d+)\.(\d+)\.(\d+)(-[0-9A-Za-z.-]+)?$/.exec(gw.version);
    if (o.version !== undefined && !m) p.add("gatewayApi.version", o.version, "must be a Gateway API release tag like v1.3.0");
    if (!enabled) return gw;
    // No line: cilium.version is already reported (malformed or of an unsupported line).
    if (cilium.line && lineMinor(cilium.line) < lineMinor(GATEWAY_API_MIN_LINE)) {
        p.add("gatewayApi.enabled", true, `needs Cilium ${GATEWAY_API_MIN_LINE} or later (cilium.version is ${cilium.version}, which builds against Gateway API ${lineRelease ?? "?"}, whose standard channel cannot request a Gateway address)`);
    } else if (m && lineRelease && !gw.version.startsWith(`${lineRelease.split(".").slice(0, 2).join(".")}.`)) {
        p.add("gatewayApi.version", gw.version, `must be a ${lineRelease.split(".").slice(0, 2).join(".")}.x release: Cilium ${cilium.line} builds against Gateway API ${lineRelease}`);
    }
    checkLbPoolNamed(p, "gatewayApi", gw.lbPool, pools);
    if (gw.httpRoute && !smokeEnabled) {
        p.add("gatewayApi.httpRoute", true, "routes to the smoke workload: set smoke.enabled too (or gatewayApi.httpRoute: false)");
    }
    return gw;
}

function readSmoke(r: Reader, p: Problems, raw: unknown, cluster: ClusterConfig, pools: LbPoolConfig[]): SmokeConfig {
    const o = r.obj(raw, "smoke");
    r.known(o, "smoke", ["enabled", "name", "namespace", "image", "args", "containerPort", "port", "replicas", "lbPool", "address", "externalTrafficPolicy", "nodes"]);
    const workers = cluster.nodes.filter((n) => n.role === "worker").map((n) => n.name);
    const nodes = o.nodes === undefined || o.nodes === null ? (workers.length > 0 ? workers : cluster.nodes.map((n) => n.name)) : r.strList(o.nodes, "smoke.nodes");
    const smoke: SmokeConfig = {
        enabled: r.bool(o.enabled, "smoke.enabled", SMOKE_DEFAULTS.enabled),
        name: r.str(o.name, "smoke.name", SMOKE_DEFAULTS.name) as string,
        namespace: r.str(o.namespace, "smoke.namespace", SMOKE_DEFAULTS.namespace) as string,
        image: r.str(o.image, "smoke.image", SMOKE_DEFAULTS.image) as string,
        args: o.args === undefined || o.args === null ? [...SMOKE_DEFAULTS.args] : r.strList(o.args, "smoke.args"),
        containerPort: r.int(o.containerPort, "smoke.containerPort", SMOKE_DEFAULTS.containerPort, 1, 65535),
        port: r.int(o.port, "smoke.port", SMOKE_DEFAULTS.port, 1, 65535),
        replicas: r.int(o.replicas, "smoke.replicas", Math.max(1, nodes.length), 1, 1000),
        ...readLbRequest(r, o, "smoke", pools),
        externalTrafficPolicy: r.oneOf(o.externalTrafficPolicy, "smoke.externalTrafficPolicy", ["Cluster", "Local"] as const, SMOKE_DEFAULTS.externalTrafficPolicy),
        nodes,
    };
    dnsLabel(p, "smoke.name", smoke.name, 63, DNS_1035_LABEL, "an RFC 1035 label (a lower case letter first, then letters, digits, '-')");
    dnsLabel(p, "smoke.namespace", smoke.namespace);
    if (!smoke.enabled) return smoke;
    const known = new Set(cluster.nodes.map((n) => n.name));
    const seen = new Set<string>();
    smoke.nodes.forEach((n, i) => {
        if (!known.has(n)) p.add(`smoke.nodes[${i}]`, n, `is not a node of cluster.nodes (${[...known].join(", ")})`);
        if (seen.has(n)) p.add(`smoke.nodes[${i}]`, n, "is listed twice");
        seen.add(n);
    });
    if (smoke.nodes.length === 0) p.add("smoke.nodes", o.nodes, "must list at least one node");
    else if (smoke.replicas < smoke.nodes.length) {
        p.add("smoke.replicas", smoke.replicas, `must be at least the number of smoke.nodes (${smoke.nodes.length}): pods spread over them so that every listed node hosts one (with externalTrafficPolicy Local only hosting nodes announce the address)`);
    }
    checkLbPoolNamed(p, "smoke", smoke.lbPool, pools);
    return smoke;
}

/** A workload's LoadBalancer address is only announced when the Service advertisement carries LoadBalancerIP. */
function checkLbAdvertised(p: Problems, config: FabricConfig): void {
    const users = [config.gatewayApi.enabled ? "gatewayApi.enabled" : "", config.smoke.enabled ? "smoke.enabled" : ""].filter(Boolean);
    if (users.length > 0 && !config.bgp.serviceAdvertisement.addresses.includes("LoadBalancerIP")) {
        p.add("bgp.serviceAdvertisement.addresses", config.bgp.serviceAdvertisement.addresses, `must include LoadBalancerIP while ${users.join(" and ")}: their addresses would never be announced`);
    }
}

/**
 * Checks the BGP password (plain text, read from the secret key) without ever putting it in a
 * message: FRR takes at most 80 characters, VyOS no white space.
 */
export function checkBgpPassword(p: Problems, password: string | undefined, authentication: boolean): void {
    if (!authentication) return;
    if (password === undefined || password === "") {
        p.add("bgpPassword", undefined, "is required while bgp.authentication is true: pulumi config set --secret bgpPassword <password>");
    } else if (/\s/.test(password) || password.length > 80) {
        p.add("bgpPassword", "[secret]", "must be 1-80 characters without white space (FRR and VyOS limits)");
    }
}

/** Turns raw configuration into the typed model, reporting every type problem at once. */
export function readFabricConfig(stack: string, raw: RawConfig, problems = new Problems()): FabricConfig {
    const r = new Reader(problems);
    const ipFamily = r.oneOf(raw.ipFamily, "ipFamily", ["ipv4", "ipv6"] as const, TOP_LEVEL_DEFAULTS.ipFamily);
    const routers = readRouters(r, problems, raw.routers);
    // Read in key order, so that problems are listed in the order the keys are documented.
    const addressPlan = readAddressPlan(r, raw.addressPlan, ipFamily);
    const asn = readAsn(r, raw.asn);
    const cluster = readCluster(r, problems, raw.cluster);
    const cilium = readCilium(r, problems, raw.cilium);
    const bgp = readBgp(r, problems, raw.bgp);
    // gatewayApi.httpRoute needs the smoke workload; smoke.enabled is read (and reported) with the rest of smoke.
    const smokeEnabled = new Reader(new Problems()).bool(isObj(raw.smoke) ? raw.smoke.enabled : undefined, "smoke.enabled", SMOKE_DEFAULTS.enabled);
    const config: FabricConfig = {
        stack,
        ipFamily,
        addressPlan,
        asn,
        routers,
        cluster,
        cilium,
        bgp,
        gatewayApi: readGatewayApi(r, problems, raw.gatewayApi, cilium, addressPlan.lbPools, smokeEnabled),
        smoke: readSmoke(r, problems, raw.smoke, cluster, addressPlan.lbPools),
    };
    if (routers.length === 0) problems.add("routers", raw.routers, "must list at least one router");
    checkLbAdvertised(problems, config);
    return config;
}

/**
 * Reads the raw stack configuration (what `pulumi.Config` or a stack file gives): the JSON Schema
 * (schema/stack.schema.json, see schema.ts) checks types, ranges, enumerations and unknown keys,
 * then this applies the defaults and the rules that span keys. Every problem is collected, each
 * naming its key path; the address-plan engine then checks the prefixes and addresses.
 */
import { familiesOf, familyBits } from "../plan/addr";
import { ciliumApi, lineMinor } from "../cilium/api";
import { Problems } from "./errors";
import {
    BGP_DEFAULTS, CILIUM_DEFAULTS, DEFAULT_FRR_IMAGE, FAMILY_SIZES, GATEWAY_API_DEFAULTS, GATEWAY_API_FOR_CILIUM_LINE, GATEWAY_API_MIN_LINE,
    PLAN_DEFAULTS, ROUTER_DEFAULTS, SMOKE_DEFAULTS, SUPPORTED_CILIUM_LINES, TOP_LEVEL_DEFAULTS,
} from "./defaults";
import {
    KUBERNETES_VERSION, checkBgpPassword as checkPassword, checkNames, checkSelector, imageProblem, isPortName, labelKeyProblem, labelValueProblem, PORT_NAME_RULE,
} from "./limits";
import { CONFIG_SCHEMA, validateRawConfig } from "./schema";
import { vyosImageProblem } from "./vyos-image";
import { APP_LABEL } from "../lbpools/requests";
import { LBIPAM_IPS_ANNOTATION, LEGACY_LBIPAM_IPS_ANNOTATION } from "../lbpools/annotations";
import type {
    AddressPlanConfig, AsnConfig, BgpConfig, BgpRackConfig, CiliumConfig, ClusterConfig, FabricConfig, GatewayApiConfig, GatewayListenerConfig,
    IpFamily, LabelSelector, LbPoolConfig, NodeConfig, RouterConfig, ServiceAddressType, SmokeConfig, StackFamily,
} from "./types";

/** The configuration keys this project reads (without the project namespace): the schema's top-level keys but the secrets. */
export const CONFIG_KEYS = ["ipFamily", "addressPlan", "asn", "routers", "cluster", "cilium", "bgp", "gatewayApi", "smoke"] as const;
/** Raw configuration: the known keys, plus any unknown project key (reported as such). */
export type RawConfig = Partial<Record<(typeof CONFIG_KEYS)[number], unknown>> & Record<string, unknown>;

type Obj = Record<string, unknown>;
const isObj = (v: unknown): v is Obj => typeof v === "object" && v !== null && !Array.isArray(v);

/**
 * Accessors over data the schema has already checked (bad values are removed, so each is either
 * absent or of its declared type).
 */
const obj = (v: unknown): Obj => (isObj(v) ? v : {});
const list = (v: unknown): unknown[] => (Array.isArray(v) ? v : []);
const str = (v: unknown): string | undefined => (typeof v === "string" ? v : undefined);
const num = (v: unknown): number | undefined => (typeof v === "number" ? v : undefined);
const bool = (v: unknown): boolean | undefined => (typeof v === "boolean" ? v : undefined);
const strs = (v: unknown): string[] => list(v).filter((x): x is string => typeof x === "string");

/** The number a name ends with ("r02" -> 2), the default stable id of routers, nodes and racks. */
export function trailingNumber(name: string): number | undefined {
    const m = /(\d+)$/.exec(name);
    return m ? Number(m[1]) : undefined;
}

function readId(p: Problems, raw: unknown, given: boolean, name: string, path: string, min: number): number {
    if (given) return num(raw) ?? -1; // a bad id is reported by the schema
    const n = trailingNumber(name);
    if (n === undefined) {
        if (name) p.add(`${path}.id`, undefined, `is required when the name (${name}) does not end in a number`);
        return -1;
    }
    if (n < min) p.add(`${path}.id`, undefined, `defaults to the number ending the name (${name} -> ${n}), which must be at least ${min}; set id explicitly`);
    return n;
}

/** Prefix lengths the schema bounds by 128: IPv4 stacks allow at most 32. */
function length(p: Problems, v: unknown, path: string, bits: number, fallback: number): number {
    const n = num(v);
    if (n === undefined) return fallback;
    if (n > bits) { p.add(path, v, `must be between 1 and ${bits}`); return fallback; }
    return n;
}

function selector(v: unknown): LabelSelector | undefined {
    if (!isObj(v)) return undefined;
    const out: LabelSelector = {};
    if (isObj(v.matchLabels)) {
        out.matchLabels = {};
        for (const k of Object.keys(v.matchLabels).sort()) {
            const s = str(v.matchLabels[k]);
            if (s !== undefined) out.matchLabels[k] = s;
        }
    }
    if (Array.isArray(v.matchExpressions)) {
        out.matchExpressions = v.matchExpressions.map((e) => {
            const eo = obj(e);
            const expr: NonNullable<LabelSelector["matchExpressions"]>[number] = {
                key: str(eo.key) ?? "", operator: (str(eo.operator) ?? "In") as "In",
            };
            if (eo.values !== undefined) expr.values = strs(eo.values);
            return expr;
        });
    }
    return out;
}

function readAddressPlan(p: Problems, raw: unknown, family: StackFamily, orig: unknown, at = "addressPlan"): AddressPlanConfig {
    const o = obj(raw);
    // The IPv4 half of a dual plan is read as an IPv4 plan.
    const half: IpFamily = family === "dual" ? "ipv4" : family;
    const sizes = FAMILY_SIZES[half];
    const bits = familyBits(half);
    const pools = list(o.lbPools).map((item, i): LbPoolConfig => {
        const po = obj(item);
        const pool: LbPoolConfig = { name: str(po.name) ?? "" };
        const cidr = str(po.cidr);
        if (cidr !== undefined) pool.cidr = cidr;
        pool.prefixLength = length(p, po.prefixLength, `${at}.lbPools[${i}].prefixLength`, bits, sizes.lbPool);
        const sel = selector(po.serviceSelector);
        if (sel) pool.serviceSelector = sel;
        return pool;
    });
    // One block (`aggregate`) or several (`aggregates`), never both: the plan reads one list.
    const one = str(o.aggregate);
    const many = o.aggregates === undefined ? undefined : strs(o.aggregates);
    if (one !== undefined && many !== undefined) {
        p.add(`${at}.aggregates`, many, `set either ${at}.aggregate (one block) or ${at}.aggregates (several), not both`);
    } else if (one === undefined && many === undefined && obj(orig).aggregate == null && obj(orig).aggregates == null) {
        p.add(`${at}.aggregate`, undefined, `is required (or ${at}.aggregates, a list of blocks)`);
    }
    const plan: AddressPlanConfig = {
        aggregates: many ?? (one !== undefined ? [one] : []),
        aggregatesKey: many !== undefined && one === undefined ? "aggregates" : "aggregate",
        rackSubnetLength: length(p, o.rackSubnetLength, `${at}.rackSubnetLength`, bits, sizes.rackSubnetLength),
        nodeHostOffset: num(o.nodeHostOffset) ?? PLAN_DEFAULTS.nodeHostOffset,
        podMaskSize: length(p, o.podMaskSize, `${at}.podMaskSize`, bits, sizes.podMaskSize),
        // Absent: one carved pool. An explicit empty list: no LB pool at all (nothing gets a LoadBalancer address).
        lbPools: pools.length > 0 || Array.isArray(o.lbPools) ? pools : [{ name: "default", prefixLength: sizes.lbPool }],
        linkPrefixLength: length(p, o.linkPrefixLength, `${at}.linkPrefixLength`, bits, sizes.linkPrefixLength),
        maxSpines: num(o.maxSpines) ?? PLAN_DEFAULTS.maxSpines,
        routerIdPool: str(o.routerIdPool) ?? PLAN_DEFAULTS.routerIdPool,
        rackSubnets: stringMap(o.rackSubnets),
        linkSubnets: stringMap(o.linkSubnets),
    };
    for (const key of ["nodeNetwork", "podCidr", "serviceCidr", "loopbacks", "links"] as const) {
        const v = str(o[key]);
        if (v !== undefined) plan[key] = v;
    }
    if (at === "addressPlan" && family === "dual") {
        // The IPv4 half is this object; the IPv6 half its `ipv6` key (shared: routerIdPool, maxSpines).
        if (o.ipv6 === undefined) p.add("addressPlan.ipv6", undefined, "is required with ipFamily dual: the IPv6 half of the plan (aggregate, nodeNetwork, podCidr, ...)");
        else plan.ipv6 = { ...readAddressPlan(p, o.ipv6, "ipv6", obj(orig).ipv6, "addressPlan.ipv6"), maxSpines: plan.maxSpines, routerIdPool: plan.routerIdPool };
    } else if (at === "addressPlan" && o.ipv6 !== undefined) {
        p.add("addressPlan.ipv6", o.ipv6, `is the IPv6 half of a dual-stack plan: it needs ipFamily dual (ipFamily is ${family})`);
    }
    return plan;
}

/** A name -> string map the schema has checked, in key order (deterministic output). */
function stringMap(v: unknown): Record<string, string> {
    const o = obj(v);
    const out: Record<string, string> = {};
    for (const k of Object.keys(o).sort()) {
        const s = str(o[k]);
        if (s !== undefined) out[k] = s;
    }
    return out;
}

function readAsn(raw: unknown): AsnConfig {
    const o = obj(raw);
    const racksRaw = obj(o.racks);
    const racks: Record<string, number> = {};
    for (const k of Object.keys(racksRaw).sort()) racks[k] = num(racksRaw[k]) ?? 65000;
    return {
        cluster: num(o.cluster) ?? 65000,
        racks,
        allowPublic: list(o.allowPublic).map((v) => num(v) ?? 0),
    };
}

const given = (orig: unknown, i: number, key: string): boolean => {
    const item = list(orig)[i];
    return isObj(item) && item[key] !== undefined && item[key] !== null;
};

function readRouters(p: Problems, raw: unknown, orig: unknown): RouterConfig[] {
    return list(raw).map((item, i) => {
        const path = `routers[${i}]`;
        const o = obj(item);
        const name = str(o.name) ?? "";
        const flavour = (str(o.flavour) ?? "frr") as RouterConfig["flavour"];
        const router: RouterConfig = {
            name,
            id: readId(p, o.id, given(orig, i, "id"), name, path, 1),
            flavour,
            role: (str(o.role) ?? "tor") as RouterConfig["role"],
            asn: num(o.asn) ?? 0,
            image: str(o.image) ?? (flavour === "frr" ? DEFAULT_FRR_IMAGE : ""),
            defaultOriginate: bool(o.defaultOriginate) ?? ROUTER_DEFAULTS.defaultOriginate,
            frrDefaults: (str(o.frrDefaults) ?? ROUTER_DEFAULTS.frrDefaults) as RouterConfig["frrDefaults"],
        };
        if (flavour === "vyos" && router.frrDefaults !== "traditional") {
            p.add(`${path}.frrDefaults`, router.frrDefaults, "is for FRR routers: VyOS writes FRR's configuration from its own templates, and no VyOS command selects FRR's defaults profile");
        }
        if (flavour === "vyos" && !router.image && !given(orig, i, "image")) {
            p.add(`${path}.image`, undefined, "is required for VyOS routers (VyOS publishes no container image; build one, see README)");
        }
        if (router.image) {
            const bad = imageProblem(router.image) ?? (flavour === "vyos" ? vyosImageProblem(router.image) : undefined);
            if (bad) p.add(`${path}.image`, router.image, bad);
        }
        const rack = str(o.rack);
        if (rack !== undefined) router.rack = rack;
        const address = str(o.address);
        if (address !== undefined) router.address = address;
        const routerId = str(o.routerId);
        if (routerId !== undefined) {
            const bad = routerIdProblem(routerId);
            if (bad) p.add(`${path}.routerId`, routerId, bad);
            router.routerId = routerId;
        }
        if (router.defaultOriginate && router.role !== "spine") {
            p.add(`${path}.defaultOriginate`, true, `is for spines: a spine sends the default route to the leaves it peers with; the BGP neighbors below a ${router.role} are nodes, whose Cilium BGP control plane installs no route it receives`);
        }
        return router;
    });
}

/**
 * A BGP identifier as FRR's `bgp router-id A.B.C.D` and VyOS's `parameters router-id` (ipv4-address)
 * take it: four decimal octets, no leading zeros (inet_aton would read them as octal), and not
 * 0.0.0.0 (RFC 6286: the identifier is a non-zero 32-bit number).
 */
function routerIdProblem(v: string): string | undefined {
    const m = /^(0|[1-9]\d{0,2})\.(0|[1-9]\d{0,2})\.(0|[1-9]\d{0,2})\.(0|[1-9]\d{0,2})$/.exec(v);
    if (!m || m.slice(1).some((o) => Number(o) > 255)) return "must be a BGP router ID in dotted-quad form, like 10.1.10.2 (four octets 0-255, no leading zeros)";
    if (v === "0.0.0.0") return "must not be 0.0.0.0 (RFC 6286: a BGP identifier is a non-zero 32-bit number)";
    return undefined;
}

function readCluster(p: Problems, raw: unknown, orig: unknown, ipFamily: StackFamily): ClusterConfig {
    const o = obj(raw);
    const nodes = list(o.nodes).map((item, i): NodeConfig => {
        const path = `cluster.nodes[${i}]`;
        const no = obj(item);
        const name = str(no.name) ?? "";
        const node: NodeConfig = {
            name,
            id: readId(p, no.id, given(orig, i, "id"), name, path, 0),
            role: (str(no.role) ?? "worker") as NodeConfig["role"],
        };
        const rack = str(no.rack);
        if (rack !== undefined) node.rack = rack;
        const address = str(no.address);
        if (address !== undefined) node.address = address;
        if (isObj(no.labels)) {
            const labels: Record<string, string> = {};
            for (const k of Object.keys(no.labels).sort()) {
                const v = str(no.labels[k]) ?? "";
                const bad = labelKeyProblem(k) ?? labelValueProblem(v);
                if (bad) p.add(`${path}.labels.${k}`, no.labels[k], bad);
                else if (RESERVED_NODE_LABELS.includes(k)) p.add(`${path}.labels.${k}`, v, "is set by the program (kubernetes.io/os, kubernetes.io/hostname, rack): use cluster.nodes[].rack for the rack");
                else if (!kubeletMaySet(k)) p.add(`${path}.labels.${k}`, v, "is in the kubernetes.io / k8s.io namespace, which kubelet --node-labels refuses (kubelet starts only with its well-known labels there, or under kubelet.kubernetes.io/ and node.kubernetes.io/): label it after the node joins, or use your own prefix");
                else labels[k] = v;
            }
            node.labels = labels;
        }
        return node;
    });
    const provider = (str(o.provider) ?? TOP_LEVEL_DEFAULTS.clusterProvider) as ClusterConfig["provider"];
    if (provider !== "existing" && nodes.length > 0 && !nodes.some((n) => n.role === "control-plane")) {
        p.add("cluster.nodes", nodes.map((n) => n.name), `needs a control-plane node for provider ${provider}`);
    }
    // Absent (the schema reports a given empty list or a non-list itself).
    if (orig === undefined || orig === null) p.add("cluster.nodes", orig, "must list at least one node");
    const kubernetesVersion = str(o.kubernetesVersion) ?? TOP_LEVEL_DEFAULTS.kubernetesVersion;
    if (!KUBERNETES_VERSION.test(kubernetesVersion)) {
        p.add("cluster.kubernetesVersion", kubernetesVersion, "must be a Kubernetes release tag like v1.32.2 (the tag of kind's kindest/node and k3d's rancher/k3s images)");
    }
    const asked = str(o.primaryFamily) as IpFamily | undefined;
    // A single-family stack has one family to list first: naming the other one is a mistake, not a choice.
    if (asked !== undefined && ipFamily !== "dual" && asked !== ipFamily) {
        p.add("cluster.primaryFamily", asked, `is only a choice with ipFamily dual: this stack is ${ipFamily}-only`);
    }
    const primaryFamily: IpFamily = ipFamily === "dual" ? asked ?? "ipv4" : ipFamily;
    return { name: str(o.name) ?? "fabric", provider, kubernetesVersion, primaryFamily, nodes };
}

function readCilium(p: Problems, raw: unknown): CiliumConfig {
    const o = obj(raw);
    const version = str(o.version) ?? TOP_LEVEL_DEFAULTS.ciliumVersion;
    const m = /^(\d+)\.(\d+)(\.\d+)?(-[0-9A-Za-z.-]+)?$/.exec(version);
    let line = m ? `${m[1]}.${m[2]}` : "";
    if (!m) p.add("cilium.version", version, "must be a version like 1.18.12");
    else if (!(SUPPORTED_CILIUM_LINES as readonly string[]).includes(line)) {
        p.add("cilium.version", version, `must be in a supported line (${SUPPORTED_CILIUM_LINES.join(", ")})`);
        line = ""; // no line: checks that depend on it (gatewayApi) stay quiet, the version problem says it all
    }
    return { version, line, kubeProxyReplacement: bool(o.kubeProxyReplacement) ?? CILIUM_DEFAULTS.kubeProxyReplacement, values: obj(o.values) };
}

/**
 * bgp.controlPlane: the line's default (v2 where served, v1 on 1.15), or the API asked for if the
 * line serves it (CiliumBGPPeeringPolicy: 1.15-1.18, removed in 1.19; the v2 kinds: 1.16+).
 */
function readControlPlane(p: Problems, v: unknown, cilium: CiliumConfig): BgpConfig["controlPlane"] {
    if (!cilium.line) return (str(v) ?? "v2") as BgpConfig["controlPlane"]; // cilium.version is reported already
    const api = ciliumApi(cilium.line);
    const asked = str(v) as BgpConfig["controlPlane"] | undefined;
    if (asked === undefined) return api.bgpApi;
    if (!api.bgpApisServed.includes(asked)) {
        const why = asked === "v1"
            ? `Cilium ${cilium.version} no longer serves CiliumBGPPeeringPolicy (removed in 1.19; last served, deprecated, by 1.18): use v2`
            : `Cilium ${cilium.version} has no BGP v2 API (CiliumBGPClusterConfig arrived in 1.16): use v1, or Cilium 1.16 or later`;
        p.add("bgp.controlPlane", asked, why);
        return api.bgpApi;
    }
    return asked;
}

function readBgp(p: Problems, raw: unknown, rawSvc: unknown, cilium: CiliumConfig, family: StackFamily): BgpConfig {
    const o = obj(raw);
    const gr = obj(o.gracefulRestart);
    const pod = obj(o.podCidrAdvertisement);
    const svc = obj(o.serviceAdvertisement);
    const addressesGiven = isObj(rawSvc) && rawSvc.addresses !== undefined && rawSvc.addresses !== null;
    const bgp: BgpConfig = {
        controlPlane: readControlPlane(p, o.controlPlane, cilium),
        holdTimeSeconds: num(o.holdTimeSeconds) ?? BGP_DEFAULTS.holdTimeSeconds,
        keepaliveTimeSeconds: num(o.keepaliveTimeSeconds) ?? BGP_DEFAULTS.keepaliveTimeSeconds,
        connectRetryTimeSeconds: num(o.connectRetryTimeSeconds) ?? BGP_DEFAULTS.connectRetryTimeSeconds,
        gracefulRestart: {
            enabled: bool(gr.enabled) ?? BGP_DEFAULTS.gracefulRestart.enabled,
            restartTimeSeconds: num(gr.restartTimeSeconds) ?? BGP_DEFAULTS.gracefulRestart.restartTimeSeconds,
        },
        podCidrAdvertisement: { enabled: bool(pod.enabled) ?? BGP_DEFAULTS.podCidrAdvertisement.enabled, communities: strs(pod.communities) },
        serviceAdvertisement: {
            addresses: addressesGiven
                ? list(svc.addresses).map((a) => (str(a) ?? "LoadBalancerIP") as ServiceAddressType)
                : [...BGP_DEFAULTS.serviceAdvertisement.addresses],
        },
        authSecretName: str(o.authSecretName) ?? BGP_DEFAULTS.authSecretName,
        secretsNamespace: str(o.secretsNamespace) ?? BGP_DEFAULTS.secretsNamespace,
        filterNodeRoutes: bool(o.filterNodeRoutes) ?? BGP_DEFAULTS.filterNodeRoutes,
        authentication: bool(o.authentication) ?? BGP_DEFAULTS.authentication,
        peerWith: (str(o.peerWith) ?? BGP_DEFAULTS.peerWith) as BgpConfig["peerWith"],
        objectNames: { ...BGP_DEFAULTS.objectNames },
        racks: {},
        sessionFamilies: familiesOf(family),
    };
    const sf = o.sessionFamilies === undefined ? undefined : strs(o.sessionFamilies) as IpFamily[];
    if (sf !== undefined) {
        const bad = sf.filter((f) => !familiesOf(family).includes(f));
        if (bad.length > 0) p.add("bgp.sessionFamilies", sf, `lists ${bad.join(", ")}, not a family of this stack (ipFamily is ${family})`);
        else if (new Set(sf).size !== sf.length) p.add("bgp.sessionFamilies", sf, "must not repeat a family");
        else bgp.sessionFamilies = familiesOf(family).filter((f) => sf.includes(f));
    }
    const lp = num(pod.localPreference);
    if (lp !== undefined) bgp.podCidrAdvertisement.localPreference = lp;
    const mh = num(o.ebgpMultihop);
    if (mh !== undefined) bgp.ebgpMultihop = mh;
    const sel = selector(svc.selector);
    if (sel) bgp.serviceAdvertisement.selector = sel;
    const nodeSel = selector(o.nodeSelector);
    if (nodeSel) bgp.nodeSelector = nodeSel;
    const racksRaw = obj(o.racks);
    for (const rack of Object.keys(racksRaw).sort()) {
        const ro = obj(racksRaw[rack]);
        const settings: BgpRackConfig = {};
        const name = str(ro.name);
        if (name !== undefined) settings.name = name;
        const rs = selector(ro.serviceSelector);
        if (rs) settings.serviceSelector = rs;
        bgp.racks[rack] = settings;
        if (rs && bgp.controlPlane === "v2") {
            p.add(`bgp.racks.${rack}.serviceSelector`, rs, "needs bgp.controlPlane: v1: a v2 Service advertisement is chosen per peer config, which every rack shares (use bgp.serviceAdvertisement.selector, or v1 peering policies as seed 004 does)");
        }
    }
    const names = obj(o.objectNames);
    for (const key of ["clusterConfig", "peerConfig", "podCidrAdvertisement", "serviceAdvertisement"] as const) {
        const v = str(names[key]);
        if (v !== undefined) bgp.objectNames[key] = v;
    }
    const objectNames: [string, string | undefined][] = [
        ...Object.entries(bgp.objectNames).map(([k, v]): [string, string | undefined] => [`bgp.objectNames.${k}`, v]),
        ...Object.entries(bgp.racks).map(([r, v]): [string, string | undefined] => [`bgp.racks.${r}.name`, v.name]),
    ];
    for (const [path, v] of objectNames) {
        // Suffixes (-<rack>, -ibgp) are appended to some: leave them room in the 253 characters.
        if (v !== undefined && (!DNS_SUBDOMAIN.test(v) || v.length > 200)) p.add(path, v, "must be a Kubernetes object name (a DNS-1123 subdomain of at most 200 characters, leaving room for the suffixes the program appends)");
    }
    const rawAddresses = isObj(rawSvc) ? rawSvc.addresses : undefined;
    if (new Set<ServiceAddressType>(bgp.serviceAdvertisement.addresses).size !== bgp.serviceAdvertisement.addresses.length) {
        p.add("bgp.serviceAdvertisement.addresses", rawAddresses, "must not repeat an address type");
    }
    if (bgp.keepaliveTimeSeconds > bgp.holdTimeSeconds) {
        p.add("bgp.keepaliveTimeSeconds", bgp.keepaliveTimeSeconds, `must not exceed bgp.holdTimeSeconds (${bgp.holdTimeSeconds})`);
    }
    bgp.podCidrAdvertisement.communities.forEach((c, i) => {
        if (!/^\d{1,5}:\d{1,5}$/.test(c) || c.split(":").some((x) => Number(x) > 65535)) {
            p.add(`bgp.podCidrAdvertisement.communities[${i}]`, c, "must be a standard community AA:NN (each 0-65535)");
        }
    });
    dnsLabel(p, "bgp.secretsNamespace", bgp.secretsNamespace);
    if (!DNS_SUBDOMAIN.test(bgp.authSecretName) || bgp.authSecretName.length > 253) {
        p.add("bgp.authSecretName", bgp.authSecretName, "must be a Kubernetes object name (a DNS-1123 subdomain of at most 253 characters)");
    }
    return bgp;
}

/**
 * kubelet's --node-labels in the kubernetes.io and k8s.io namespaces: only its well-known labels
 * and the kubelet.kubernetes.io / node.kubernetes.io prefixes (kubernetes cmd/kubelet/app/options
 * ValidateKubeletFlags with IsKubeletLabel, pkg/kubelet/apis/well_known_labels.go).
 */
const KUBELET_LABELS = new Set(["kubernetes.io/arch", "kubernetes.io/os", "kubernetes.io/hostname", "beta.kubernetes.io/arch",
    "beta.kubernetes.io/os", "beta.kubernetes.io/instance-type", "node.kubernetes.io/instance-type", "topology.kubernetes.io/region",
    "topology.kubernetes.io/zone", "failure-domain.beta.kubernetes.io/region", "failure-domain.beta.kubernetes.io/zone"]);
function kubeletMaySet(key: string): boolean {
    const slash = key.indexOf("/");
    if (slash < 0) return true;
    const ns = key.slice(0, slash);
    const restricted = ["kubernetes.io", "k8s.io"].some((d) => ns === d || ns.endsWith(`.${d}`));
    if (!restricted) return true;
    return KUBELET_LABELS.has(key) || ["kubelet.kubernetes.io", "node.kubernetes.io"].some((d) => ns === d || ns.endsWith(`.${d}`));
}

/** Labels the cluster component sets itself (components/bgp/selectors.ts nodeLabels). */
const RESERVED_NODE_LABELS = ["kubernetes.io/os", "kubernetes.io/hostname", "rack"];
const DNS_LABEL = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/;
const DNS_SUBDOMAIN = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$/;
/** Service names are RFC 1035 labels: they start with a letter. */
const DNS_1035_LABEL = /^[a-z]([-a-z0-9]*[a-z0-9])?$/;
/** The Gateway API's listener hostname pattern (a `*.` wildcard label allowed first). */
const GATEWAY_HOSTNAME = /^(\*\.)?[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$/;
/** Cilium names a Gateway's Service `cilium-gateway-<name>`, which must stay a 63-character DNS label. */
const MAX_GATEWAY_NAME = 63 - "cilium-gateway-".length;

function dnsLabel(p: Problems, path: string, value: string, max = 63, re = DNS_LABEL, what = "a DNS label (lower case letters, digits, '-')"): void {
    if (!re.test(value) || value.length > max) p.add(path, value, `must be ${what} of at most ${max} characters`);
}

function readListeners(p: Problems, raw: unknown, given: unknown): GatewayListenerConfig[] {
    if (given === undefined || given === null) return GATEWAY_API_DEFAULTS.listeners.map((l) => ({ ...l }));
    const listeners = list(raw).map((item, i): GatewayListenerConfig => {
        const path = `gatewayApi.listeners[${i}]`;
        const o = obj(item);
        const protocol = (str(o.protocol) ?? "HTTP") as GatewayListenerConfig["protocol"];
        const listener: GatewayListenerConfig = {
            name: str(o.name) ?? protocol.toLowerCase(),
            protocol,
            port: num(o.port) ?? (protocol === "HTTPS" ? 443 : 80),
        };
        dnsLabel(p, `${path}.name`, listener.name);
        const hostname = str(o.hostname);
        if (hostname !== undefined) {
            if (!GATEWAY_HOSTNAME.test(hostname) || hostname.length > 253) p.add(`${path}.hostname`, hostname, "must be a DNS name, optionally starting with a *. wildcard label");
            listener.hostname = hostname;
        }
        const tls = str(o.tlsSecretName);
        if (tls !== undefined) listener.tlsSecretName = tls;
        if (protocol === "HTTPS" && tls === undefined) p.add(`${path}.tlsSecretName`, undefined, "is required for an HTTPS listener (the Secret with its certificate, in gatewayApi.namespace)");
        if (protocol === "HTTP" && tls !== undefined) p.add(`${path}.tlsSecretName`, tls, "is only allowed on HTTPS listeners");
        if (tls !== undefined && (!DNS_SUBDOMAIN.test(tls) || tls.length > 253)) {
            p.add(`${path}.tlsSecretName`, tls, "must be a Kubernetes object name (a DNS-1123 subdomain of at most 253 characters)");
        }
        return listener;
    });
    if (listeners.length === 0 || listeners.length > 64) p.add("gatewayApi.listeners", given, "must list 1 to 64 listeners");
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
function readLbRequest(o: Obj, pools: LbPoolConfig[]): { lbPool: string; address?: string } {
    const lbPool = str(o.lbPool) ?? pools[0]?.name ?? "";
    const address = str(o.address);
    return address !== undefined ? { lbPool, address } : { lbPool };
}

/** The pools a requester may name: addressPlan.lbPools, and on a dual stack the IPv6 half's not named there. */
function poolsOfBothHalves(plan: AddressPlanConfig): LbPoolConfig[] {
    const six = (plan.ipv6?.lbPools ?? []).filter((x) => !plan.lbPools.some((y) => y.name === x.name));
    return [...plan.lbPools, ...six];
}

/** An enabled requester's lbPool must name a pool of addressPlan.lbPools (or addressPlan.ipv6.lbPools). */
function checkLbPoolNamed(p: Problems, key: "gatewayApi" | "smoke", lbPool: string, pools: LbPoolConfig[]): void {
    if (pools.length === 0) {
        p.add("addressPlan.lbPools", [], `is empty, but ${key}.enabled needs a pool for its LoadBalancer address: add a pool (or turn ${key}.enabled off)`);
        return;
    }
    if (!pools.some((pool) => pool.name === lbPool)) {
        p.add(`${key}.lbPool`, lbPool, `names no pool of addressPlan.lbPools (${pools.map((x) => x.name).join(", ")})`);
    }
}

function readGatewayApi(p: Problems, raw: unknown, given: unknown, cilium: CiliumConfig, pools: LbPoolConfig[], smokeEnabled: boolean): GatewayApiConfig {
    const o = obj(raw);
    const enabled = bool(o.enabled) ?? GATEWAY_API_DEFAULTS.enabled;
    const lineRelease = GATEWAY_API_FOR_CILIUM_LINE[cilium.line];
    const gw: GatewayApiConfig = {
        enabled,
        version: str(o.version) ?? lineRelease ?? "",
        channel: (str(o.channel) ?? GATEWAY_API_DEFAULTS.channel) as GatewayApiConfig["channel"],
        name: str(o.name) ?? GATEWAY_API_DEFAULTS.name,
        namespace: str(o.namespace) ?? GATEWAY_API_DEFAULTS.namespace,
        ...readLbRequest(o, pools),
        listeners: readListeners(p, o.listeners, isObj(given) ? given.listeners : undefined),
        allowedNamespaces: selector(o.allowedNamespaces) ?? structuredClone(GATEWAY_API_DEFAULTS.allowedNamespaces),
        httpRoute: bool(o.httpRoute) ?? GATEWAY_API_DEFAULTS.httpRoute,
        httpRouteHostnames: strs(o.httpRouteHostnames),
    };
    dnsLabel(p, "gatewayApi.name", gw.name, MAX_GATEWAY_NAME);
    dnsLabel(p, "gatewayApi.namespace", gw.namespace);
    const m = /^v(\d+)\.(\d+)\.(\d+)(-[0-9A-Za-z.-]+)?$/.exec(gw.version);
    if (o.version !== undefined && !m) p.add("gatewayApi.version", o.version, "must be a Gateway API release tag like v1.3.0");
    if (!enabled) return gw;
    // No line: cilium.version is already reported (malformed or of an unsupported line).
    if (cilium.line && lineMinor(cilium.line) < lineMinor(GATEWAY_API_MIN_LINE)) {
        p.add("gatewayApi.enabled", true, `needs Cilium ${GATEWAY_API_MIN_LINE} or later (cilium.version is ${cilium.version}, which builds against Gateway API ${lineRelease ?? "?"}, whose standard channel cannot request a Gateway address: its spec.addresses is ignored by Cilium before 1.17 (cilium/cilium#32865) and it has no spec.infrastructure)`);
    } else if (m && lineRelease && !gw.version.startsWith(`${lineRelease.split(".").slice(0, 2).join(".")}.`)) {
        p.add("gatewayApi.version", gw.version, `must be a ${lineRelease.split(".").slice(0, 2).join(".")}.x release: Cilium ${cilium.line} builds against Gateway API ${lineRelease}`);
    }
    checkLbPoolNamed(p, "gatewayApi", gw.lbPool, pools);
    gw.httpRouteHostnames.forEach((h, i) => {
        if (!GATEWAY_HOSTNAME.test(h) || h.length > 253) p.add(`gatewayApi.httpRouteHostnames[${i}]`, h, "must be a DNS name, optionally starting with a *. wildcard label (Gateway API's Hostname)");
    });
    if (gw.httpRouteHostnames.length > 0 && !gw.httpRoute) p.add("gatewayApi.httpRouteHostnames", gw.httpRouteHostnames, "names the HTTPRoute's hostnames: set gatewayApi.httpRoute too");
    if (gw.httpRoute && !smokeEnabled) {
        p.add("gatewayApi.httpRoute", true, "routes to the smoke workload: set smoke.enabled too (or gatewayApi.httpRoute: false)");
    }
    return gw;
}

function readSmoke(p: Problems, raw: unknown, given: unknown, cluster: ClusterConfig, pools: LbPoolConfig[]): SmokeConfig {
    const o = obj(raw);
    const g = obj(given);
    const workers = cluster.nodes.filter((n) => n.role === "worker").map((n) => n.name);
    const nodes = o.nodes === undefined ? (g.nodes !== undefined && g.nodes !== null ? [] : (workers.length > 0 ? workers : cluster.nodes.map((n) => n.name))) : strs(o.nodes);
    const smoke: SmokeConfig = {
        enabled: bool(o.enabled) ?? SMOKE_DEFAULTS.enabled,
        name: str(o.name) ?? SMOKE_DEFAULTS.name,
        namespace: str(o.namespace) ?? SMOKE_DEFAULTS.namespace,
        image: str(o.image) ?? SMOKE_DEFAULTS.image,
        args: o.args === undefined ? [...SMOKE_DEFAULTS.args] : strs(o.args),
        containerPort: num(o.containerPort) ?? SMOKE_DEFAULTS.containerPort,
        port: num(o.port) ?? SMOKE_DEFAULTS.port,
        replicas: num(o.replicas) ?? Math.max(1, nodes.length),
        ...readLbRequest(o, pools),
        externalTrafficPolicy: (str(o.externalTrafficPolicy) ?? SMOKE_DEFAULTS.externalTrafficPolicy) as SmokeConfig["externalTrafficPolicy"],
        nodes,
        labels: smokeLabels(p, o.labels, o.selector !== undefined),
        annotations: smokeAnnotations(p, o.annotations),
        portName: str(o.portName) ?? SMOKE_DEFAULTS.portName,
        ...(str(o.targetPort) !== undefined ? { targetPort: /^\d+$/.test(str(o.targetPort) as string) ? Number(o.targetPort) : str(o.targetPort) as string } : {}),
        ...(num(o.nodePort) !== undefined ? { nodePort: num(o.nodePort) as number } : {}),
        ...(o.selector !== undefined ? { selector: smokeSelector(p, o.selector) } : {}),
    };
    checkSmokeService(p, smoke, g);
    dnsLabel(p, "smoke.name", smoke.name, 63, DNS_1035_LABEL, "an RFC 1035 label (a lower case letter first, then letters, digits, '-')");
    dnsLabel(p, "smoke.namespace", smoke.namespace);
    const badImage = imageProblem(smoke.image);
    if (badImage) p.add("smoke.image", smoke.image, badImage);
    if (!smoke.enabled) return smoke;
    if (smoke.selector !== undefined) {
        // Pods the project does not run: nothing to pin, so no node list (hosting nodes are the selected pods').
        smoke.nodes = [];
        checkLbPoolNamed(p, "smoke", smoke.lbPool, pools);
        return smoke;
    }
    const known = new Set(cluster.nodes.map((n) => n.name));
    const seen = new Set<string>();
    smoke.nodes.forEach((n, i) => {
        if (!known.has(n)) p.add(`smoke.nodes[${i}]`, n, `is not a node of cluster.nodes (${[...known].join(", ")})`);
        if (seen.has(n)) p.add(`smoke.nodes[${i}]`, n, "is listed twice");
        seen.add(n);
    });
    if (smoke.nodes.length === 0) p.add("smoke.nodes", g.nodes, "must list at least one node");
    else if (smoke.replicas < smoke.nodes.length) {
        p.add("smoke.replicas", smoke.replicas, `must be at least the number of smoke.nodes (${smoke.nodes.length}): pods spread over them so that every listed node hosts one (with externalTrafficPolicy Local only hosting nodes announce the address)`);
    }
    checkLbPoolNamed(p, "smoke", smoke.lbPool, pools);
    return smoke;
}

/** Annotations the program writes on the smoke Service itself (either line's LB-IPAM address request). */
const SMOKE_OWN_ANNOTATIONS = [LBIPAM_IPS_ANNOTATION, LEGACY_LBIPAM_IPS_ANNOTATION];

function stringEntries(v: unknown): [string, string][] {
    const o = obj(v);
    return Object.keys(o).sort().map((k) => [k, str(o[k]) ?? ""]);
}

/** The Deployment keys that mean nothing once smoke.selector picks pods the project does not run. */
const SMOKE_OWN_POD_KEYS = ["image", "args", "containerPort", "replicas", "nodes"] as const;

/**
 * The smoke Service's port and backend as Kubernetes validates them (core/v1 ValidateService): the
 * port name a DNS-1123 label, a named targetPort an IANA_SVC_NAME, nodePort within the API server's
 * default --service-node-port-range. The project's own pods name their container port portName and
 * the Service targets it by that name; an external selector owns the pod keys.
 */
function checkSmokeService(p: Problems, s: SmokeConfig, given: Obj): void {
    const ownPods = s.selector === undefined;
    if (ownPods) {
        if (!isPortName(s.portName)) {
            p.add("smoke.portName", s.portName, `is also the name of the project's own pods' container port, which the Service targets by name: it must be ${PORT_NAME_RULE}`);
        }
        if (s.targetPort !== undefined) {
            p.add("smoke.targetPort", given.targetPort, `is only for pods smoke.selector picks: the project's own pods listen on smoke.containerPort (${s.containerPort}), named smoke.portName (${s.portName}), which the Service targets`);
        }
        return;
    }
    dnsLabel(p, "smoke.portName", s.portName, 63, DNS_LABEL, "a Kubernetes Service port name (a DNS-1123 label: lower case letters, digits, '-')");
    const t = s.targetPort;
    if (typeof t === "number" && (t < 1 || t > 65535)) p.add("smoke.targetPort", given.targetPort, "must be a port number between 1 and 65535 or a port name");
    if (typeof t === "string" && !isPortName(t)) p.add("smoke.targetPort", t, `must be a port number or ${PORT_NAME_RULE}`);
    for (const k of SMOKE_OWN_POD_KEYS) {
        if (given[k] !== undefined && given[k] !== null) {
            p.add(`smoke.${k}`, given[k], "configures the project's own smoke pods, which it does not create while smoke.selector picks other pods: remove it (or smoke.selector)");
        }
    }
}

/** smoke.selector: the pods' labels (label syntax); `{}` is Kubernetes' "no selector". */
function smokeSelector(p: Problems, raw: unknown): Record<string, string> {
    const out: Record<string, string> = {};
    for (const [k, v] of stringEntries(raw)) {
        const bad = labelKeyProblem(k) ?? labelValueProblem(v);
        if (bad) p.add(`smoke.selector.${k}`, v, bad);
        else out[k] = v;
    }
    return out;
}

/** smoke.labels: label syntax, and never the selector label of the project's own pods (the Service would select other pods, or none). */
function smokeLabels(p: Problems, raw: unknown, externalPods: boolean): Record<string, string> {
    const out: Record<string, string> = {};
    for (const [k, v] of stringEntries(raw)) {
        const bad = labelKeyProblem(k) ?? labelValueProblem(v);
        if (bad) p.add(`smoke.labels.${k}`, v, bad);
        else if (k === APP_LABEL && !externalPods) p.add(`smoke.labels.${k}`, v, "is the label the smoke pods carry and the Service selects them by, set to smoke.name by the program: rename the workload with smoke.name instead");
        else out[k] = v;
    }
    return out;
}

/** smoke.annotations: annotation key syntax (a qualified name, as for labels), and not the LB-IPAM address request. */
function smokeAnnotations(p: Problems, raw: unknown): Record<string, string> {
    const out: Record<string, string> = {};
    for (const [k, v] of stringEntries(raw)) {
        const bad = labelKeyProblem(k);
        if (bad) p.add(`smoke.annotations.${k}`, v, bad.replace("label key", "annotation key"));
        else if (SMOKE_OWN_ANNOTATIONS.includes(k)) p.add(`smoke.annotations.${k}`, v, "is the LB-IPAM address request the program writes from smoke.address (or the planned address): set smoke.address instead");
        else out[k] = v;
    }
    return out;
}

/** A workload's LoadBalancer address is only announced when the Service advertisement carries LoadBalancerIP. */
function checkLbAdvertised(p: Problems, config: FabricConfig): void {
    const users = [config.gatewayApi.enabled ? "gatewayApi.enabled" : "", config.smoke.enabled ? "smoke.enabled" : ""].filter(Boolean);
    if (users.length > 0 && !config.bgp.serviceAdvertisement.addresses.includes("LoadBalancerIP")) {
        p.add("bgp.serviceAdvertisement.addresses", config.bgp.serviceAdvertisement.addresses, `must include LoadBalancerIP while ${users.join(" and ")}: their addresses would never be announced`);
    }
}

/** Checks the BGP password without ever putting it in a message (the rules: limits.ts). */
export const checkBgpPassword = checkPassword;

/** The top-level keys the schema declares (the secrets included: they are project keys too). */
export const SCHEMA_KEYS: readonly string[] = Object.keys(CONFIG_SCHEMA.properties ?? {});

/** Turns raw configuration into the typed model, reporting every problem at once. */
export function readFabricConfig(stack: string, raw: RawConfig, problems = new Problems()): FabricConfig {
    const p = problems;
    // Secrets are checked on their own (checkBgpPassword): never validated, never echoed here.
    const input: Obj = { ...raw };
    delete input.bgpPassword;
    delete input.kubeconfig;
    const data = validateRawConfig(input, p);
    const ipFamily = (str(data.ipFamily) ?? TOP_LEVEL_DEFAULTS.ipFamily) as StackFamily;
    const routers = readRouters(p, data.routers, raw.routers);
    // Read in key order, so that problems are listed in the order the keys are documented.
    const addressPlan = readAddressPlan(p, data.addressPlan, ipFamily, raw.addressPlan);
    const asn = readAsn(data.asn);
    const cluster = readCluster(p, data.cluster, obj(raw.cluster).nodes, ipFamily);
    const cilium = readCilium(p, data.cilium);
    const bgp = readBgp(p, data.bgp, obj(raw.bgp).serviceAdvertisement, cilium, ipFamily);
    const smokeEnabled = bool(obj(data.smoke).enabled) ?? SMOKE_DEFAULTS.enabled;
    const config: FabricConfig = {
        stack,
        ipFamily,
        addressPlan,
        asn,
        routers,
        cluster,
        cilium,
        bgp,
        gatewayApi: readGatewayApi(p, data.gatewayApi, raw.gatewayApi, cilium, poolsOfBothHalves(addressPlan), smokeEnabled),
        smoke: readSmoke(p, data.smoke, raw.smoke, cluster, poolsOfBothHalves(addressPlan)),
    };
    if (raw.routers === undefined || raw.routers === null) p.add("routers", raw.routers, "must list at least one router");
    checkNames(p, config);
    addressPlan.lbPools.forEach((pool, i) => checkSelector(p, `addressPlan.lbPools[${i}].serviceSelector`, pool.serviceSelector));
    checkSelector(p, "bgp.serviceAdvertisement.selector", bgp.serviceAdvertisement.selector);
    checkSelector(p, "bgp.nodeSelector", bgp.nodeSelector);
    for (const [rack, r] of Object.entries(bgp.racks)) {
        checkSelector(p, `bgp.racks.${rack}.serviceSelector`, r.serviceSelector);
        if (!cluster.nodes.some((n) => n.rack === rack)) {
            p.add(`bgp.racks.${rack}`, r, `names no rack of cluster.nodes (${[...new Set(cluster.nodes.map((n) => n.rack).filter((x) => x !== undefined))].join(", ") || "no node has a rack"})`);
        }
    }
    checkSelector(p, "gatewayApi.allowedNamespaces", config.gatewayApi.allowedNamespaces);
    checkLbAdvertised(p, config);
    checkSmokeNodePortInCiliumRange(p, config);
    return config;
}

/**
 * Cilium serves node ports itself (kube-proxy replacement, or nodePort.enabled) only within its
 * own range, Helm nodePort.range "min,max" (default "30000,32767", the API server's default): a
 * fixed smoke.nodePort outside a narrower range the stack sets would be accepted by the API
 * server and never served.
 */
function checkSmokeNodePortInCiliumRange(p: Problems, config: FabricConfig): void {
    const port = config.smoke.nodePort;
    const range = obj(config.cilium.values.nodePort).range;
    if (!config.smoke.enabled || port === undefined || typeof range !== "string") return;
    const m = /^\s*(\d+)\s*[,-]\s*(\d+)\s*$/.exec(range);
    if (m && (port < Number(m[1]) || port > Number(m[2]))) {
        p.add("smoke.nodePort", port, `is outside Cilium's node-port range cilium.values.nodePort.range "${range}": Cilium would not serve it`);
    }
}

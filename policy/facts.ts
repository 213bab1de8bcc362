/**
 * One model of the fabric extracted from every resource of the stack. Most rules need facts
 * from several resources (node networks from Docker, pod CIDRs from Helm values, loopbacks from
 * the router fleet summary), so they are gathered once here and the rules stay small. Once per
 * stack, too: rules/common.ts stackFacts caches them per resource list and pack setting, so the
 * stack policies of one run share one model (frozen: rules only read it).
 */
import type { IpFamily, StackFamily } from "../components/config/types";
import { selectorMatches } from "../components/bgp/selectors";
import { containsAddress, parsePrefix, type Prefix } from "../components/plan/addr";
import { addrKey, arr, at, bool, host, isObj, num, objs, plain, prefix, str, strs, type Plain, type PlainObject } from "./util";

/** What the extractor needs of a resource: both @pulumi/policy's PolicyResource and the runner's fit. */
export interface ResourceLike {
    type: string;
    name: string;
    urn: string;
    props: Record<string, unknown>;
}

/** The resource a fact came from, for messages and violation URNs. */
export interface Ref {
    type: string;
    name: string;
    urn: string;
}

/** A prefix with the resource and field it came from. */
export interface PrefixFact {
    cidr: string;
    ref: Ref;
    what: string;
}

export interface DockerNetworkFact { ref: Ref; name: string; ipv6?: boolean; subnets: string[]; gateways: string[] }
export interface ContainerFact { ref: Ref; name: string; addresses: { network: string; address: string }[] }
export interface CiliumFact {
    ref: Ref;
    version?: string;
    /** [major, minor] of the chart version, when it parses. */
    line?: [number, number];
    ipv4Enabled: boolean;
    ipv6Enabled: boolean;
    podCidrs: PrefixFact[];
    maskSize: { ipv4?: number; ipv6?: number };
    nativeRoutingCidrs: PrefixFact[];
    secretsNamespace: string;
    routerIdMode?: string;
    routerIdPool?: string;
    values: PlainObject;
}
export interface ClusterTextFact {
    ref: Ref;
    podSubnets: string[];
    serviceSubnets: string[];
    nodeIps: string[];
    ipFamily?: string;
    nodeCount?: number;
    /** Nodes named in the text (kind nodeRegistration, k3d --node-name, the join script's comments). */
    nodes: NodeFact[];
}
export interface LbPoolFact {
    ref: Ref;
    pool: string;
    cidr: string;
    /** The block as parsePrefix reads it (strictly: no host bits), or the reason it does not parse. */
    parsed: Prefix | string;
    index: number;
    /** The pool's serviceSelector; undefined when it has none (it serves every Service). */
    serviceSelector?: PlainObject;
}
/** A LoadBalancer address a Service or Gateway asks LB IPAM for. */
export interface RequestedAddressFact { address: string; field: string }
/** A Service of type LoadBalancer, or a Gateway (whose Service Cilium generates), and what it requests. */
export interface LbRequestFact {
    ref: Ref;
    kind: "Service" | "Gateway";
    /** namespace/name. */
    name: string;
    requested: RequestedAddressFact[];
    /** Labels of the Service (a Gateway's: spec.infrastructure.labels, which Cilium copies to its Service). */
    labels: Record<string, string>;
    /** LB IPAM sharing key: Services with the same key may share an address. */
    sharingKey?: string;
}
export interface RouterNeighborFact { address: string; asn?: number; family?: string }
export interface RouterFact {
    ref: Ref;
    name: string;
    asn?: number;
    routerId?: string;
    loopback?: string;
    addresses: string[];
    neighbors: RouterNeighborFact[];
    /** False when the summary has no neighbors list: the router side of sessions is then unknown. */
    neighborsKnown: boolean;
}
export interface NodeFact { name: string; addresses: string[]; asn?: number; labels?: Record<string, string> }
export interface BgpPeerFact {
    name?: string;
    address?: string;
    asn?: number;
    peerConfig?: string;
    /** Families (afi) the session carries; undefined when left to Cilium's default. */
    families?: string[];
    authSecretRef?: string;
}
export interface BgpInstanceFact { name?: string; localASN?: number; peers: BgpPeerFact[] }
/** A CiliumBGPClusterConfig (v2) or CiliumBGPPeeringPolicy (v1): the cluster side of sessions. */
export interface BgpClusterFact {
    ref: Ref;
    kind: "CiliumBGPClusterConfig" | "CiliumBGPPeeringPolicy";
    nodeSelector?: PlainObject;
    instances: BgpInstanceFact[];
}
export interface PeerConfigFact { ref: Ref; name: string; families?: string[]; authSecretRef?: string }
export interface NodeOverrideFact { ref: Ref; node: string; instances: { name?: string; routerID?: string }[] }
/** A v1 `cilium.io/bgp-virtual-router.<asn>` node annotation (value `router-id=A.B.C.D,...`). */
export interface VirtualRouterAnnotationFact {
    /** The annotation key. */
    key: string;
    asn: number;
    /** The router-id the value sets, if any. */
    routerId?: string;
}
export interface NodePatchFact {
    ref: Ref;
    node: string;
    annotations: Record<string, string>;
    labels: Record<string, string>;
    /** The patch's bgp-virtual-router annotations, in annotation order. */
    virtualRouters: VirtualRouterAnnotationFact[];
}
export interface SecretFact { ref: Ref; name: string; namespace: string; password?: string }
export interface PlainResource { ref: Ref; props: PlainObject }

export interface Facts {
    resources: PlainResource[];
    family?: { value: StackFamily; source: string };
    aggregates: PrefixFact[];
    dockerNetworks: DockerNetworkFact[];
    containers: ContainerFact[];
    /** Docker network subnets the nodes live on (see nodeNetworkFacts). */
    nodeNetworks: PrefixFact[];
    cilium?: CiliumFact;
    clusterTexts: ClusterTextFact[];
    podCidrs: PrefixFact[];
    serviceCidrs: PrefixFact[];
    lbPools: LbPoolFact[];
    /** LoadBalancer Services and Gateways with the addresses they request. */
    lbRequests: LbRequestFact[];
    routers: RouterFact[];
    nodes: NodeFact[];
    /** True when the node list is known: published in component outputs, or named by the cluster config. */
    nodesKnown: boolean;
    nodeCount?: { value: number; source: string };
    bgpClusters: BgpClusterFact[];
    peerConfigs: Map<string, PeerConfigFact>;
    nodeOverrides: NodeOverrideFact[];
    nodePatches: NodePatchFact[];
    secrets: SecretFact[];
}

export const COMPONENT_PREFIX = "cilium-bgp-fabric:";
export const ROUTER_FLEET = "cilium-bgp-fabric:routers:RouterFleet";
const CILIUM_CR = /^kubernetes:cilium\.io\/(v2alpha1|v2):(\w+)$/;

/** The Kubernetes kind of a Cilium custom resource, or undefined. */
export function ciliumKind(type: string, props: PlainObject): string | undefined {
    const m = CILIUM_CR.exec(type);
    if (m) return m[2];
    const api = str(props.apiVersion);
    return api?.startsWith("cilium.io/") && type.startsWith("kubernetes:") ? str(props.kind) : undefined;
}

const GATEWAY_CR = /^kubernetes:gateway\.networking\.k8s\.io\/\w+:Gateway$/;
/** Annotations LB IPAM reads a requested address from (current and pre-1.16 keys). */
export const LB_IPAM_IPS_ANNOTATIONS = ["lbipam.cilium.io/ips", "io.cilium/lb-ipam-ips"];
const LB_IPAM_SHARING_ANNOTATIONS = ["lbipam.cilium.io/sharing-key", "io.cilium/lb-ipam-sharing-key"];

/** True for a Gateway API Gateway (by type token, or apiVersion and kind). */
export function gatewayKind(type: string, props: PlainObject): boolean {
    if (GATEWAY_CR.test(type)) return true;
    return type.startsWith("kubernetes:") && (str(props.apiVersion) ?? "").startsWith("gateway.networking.k8s.io/") && str(props.kind) === "Gateway";
}

/** The LB IPAM request of a LoadBalancer Service or a Gateway; undefined for other Services. */
function lbRequestFact(ref: Ref, props: PlainObject): LbRequestFact | undefined {
    const meta = at(props, "metadata");
    const name = `${str(at(meta, "namespace")) ?? "default"}/${str(at(meta, "name")) ?? ref.name}`;
    const requested: RequestedAddressFact[] = [];
    const add = (address: string, field: string): void => {
        if (!requested.some((r) => r.address === address)) requested.push({ address, field });
    };
    const fromAnnotations = (annotations: Plain, where: string): void => {
        for (const key of LB_IPAM_IPS_ANNOTATIONS) {
            for (const a of (str(at(annotations, key)) ?? "").split(",").map((x) => x.trim()).filter((x) => x !== "")) add(a, `${where}["${key}"]`);
        }
    };
    const sharing = (annotations: Plain): string | undefined => LB_IPAM_SHARING_ANNOTATIONS.map((k) => str(at(annotations, k))).find((k) => k !== undefined);
    if (gatewayKind(ref.type, props)) {
        const infra = at(props, "spec", "infrastructure");
        objs(at(props, "spec", "addresses")).forEach((a, i) => {
            // type defaults to IPAddress; Hostname and NamedAddress are not LB IPAM requests.
            const value = str(a.value);
            if ((str(a.type) ?? "IPAddress") === "IPAddress" && value) add(value, `spec.addresses[${i}].value`);
        });
        fromAnnotations(at(infra, "annotations"), "spec.infrastructure.annotations");
        return { ref, kind: "Gateway", name, requested, labels: stringMap(at(infra, "labels")), sharingKey: sharing(at(infra, "annotations")) };
    }
    if (str(at(props, "spec", "type")) !== "LoadBalancer") return undefined;
    fromAnnotations(at(meta, "annotations"), "metadata.annotations");
    const legacy = str(at(props, "spec", "loadBalancerIP"));
    if (legacy) add(legacy, "spec.loadBalancerIP");
    return { ref, kind: "Service", name, requested, labels: stringMap(at(meta, "labels")), sharingKey: sharing(at(meta, "annotations")) };
}

/** "Kind \"name\"" for messages: the last segment of the type token and the Pulumi resource name. */
export function label(ref: Ref): string {
    const kind = ref.type.split(":").pop() ?? ref.type;
    return `${kind} "${ref.name}"`;
}

const stringMap = (v: Plain): Record<string, string> => {
    const out: Record<string, string> = {};
    if (isObj(v)) for (const [k, x] of Object.entries(v)) if (typeof x === "string") out[k] = x;
    return out;
};

const VIRTUAL_ROUTER_ANNOTATION = /^cilium\.io\/bgp-virtual-router\.(\d+)$/;

function virtualRouters(annotations: Record<string, string>): VirtualRouterAnnotationFact[] {
    const out: VirtualRouterAnnotationFact[] = [];
    for (const [key, value] of Object.entries(annotations)) {
        const m = VIRTUAL_ROUTER_ANNOTATION.exec(key);
        if (!m) continue;
        const routerId = /router-id=([0-9.]+)/.exec(value)?.[1];
        out.push({ key, asn: Number(m[1]), ...(routerId ? { routerId } : {}) });
    }
    return out;
}

const splitList = (values: string[]): string[] => values.flatMap((v) => v.split(",")).map((v) => v.trim()).filter((v) => v !== "");

function allMatches(text: string, re: RegExp): string[] {
    const out: string[] = [];
    for (const m of text.matchAll(re)) if (m[1] !== undefined) out.push(m[1]);
    return out;
}

/** kind (YAML) or k3d (flags or YAML) cluster configuration found in a command's text. */
export function parseClusterText(text: string): Omit<ClusterTextFact, "ref"> | undefined {
    const v = "[\"']?([0-9A-Fa-f:.,/]+)";
    const podSubnets = splitList([...allMatches(text, new RegExp(`podSubnet["']?\\s*:\\s*${v}`, "g")), ...allMatches(text, new RegExp(`--cluster-cidr[=\\s]+${v}`, "g"))]);
    const serviceSubnets = splitList([...allMatches(text, new RegExp(`serviceSubnet["']?\\s*:\\s*${v}`, "g")), ...allMatches(text, new RegExp(`--service-cidr[=\\s]+${v}`, "g"))]);
    const nodeIps = splitList(allMatches(text, new RegExp(`node-ip["']?\\s*[:=\\s]\\s*${v}`, "g")));
    const ipFamily = /ipFamily["']?\s*:\s*["']?(ipv4|ipv6|dual)/.exec(text)?.[1];
    let nodeCount: number | undefined;
    const kindNodes = text.match(/^\s*-\s*role\s*:\s*["']?(control-plane|worker)/gm);
    if (kindNodes) nodeCount = kindNodes.length;
    const servers = /(?:--servers[=\s]+|\bservers\s*:\s*)(\d+)/.exec(text)?.[1];
    const agents = /(?:--agents[=\s]+|\bagents\s*:\s*)(\d+)/.exec(text)?.[1];
    if (nodeCount === undefined && (servers !== undefined || agents !== undefined)) nodeCount = Number(servers ?? 1) + Number(agents ?? 0);
    const nodes = parseTextNodes(text);
    if (podSubnets.length + serviceSubnets.length + nodeIps.length + nodes.length === 0 && ipFamily === undefined && nodeCount === undefined) return undefined;
    return { podSubnets, serviceSubnets, nodeIps, ipFamily, nodeCount, nodes };
}

/**
 * Node names, addresses and labels: kind's kubeadm patches (nodeRegistration.name, kubelet
 * node-ip and node-labels), k3s --node-name, and the join script's "# <node> (<container>): <address> on <network>" lines.
 */
function parseTextNodes(text: string): NodeFact[] {
    const nodes = new Map<string, NodeFact>();
    const get = (name: string): NodeFact => {
        const n = nodes.get(name) ?? { name, addresses: [] };
        nodes.set(name, n);
        return n;
    };
    for (const chunk of text.split(/nodeRegistration\s*:/).slice(1)) {
        const name = /^\s*name\s*:\s*["']?([\w.-]+)/m.exec(chunk)?.[1];
        if (!name) continue;
        const n = get(name);
        const ip = /node-ip["']?\s*:\s*["']?([0-9A-Fa-f:.,]+)/.exec(chunk.split(/nodeRegistration/)[0])?.[1];
        if (ip) n.addresses.push(...splitList([ip]));
        const labels = /node-labels["']?\s*:\s*["']?([^"'\n]*)/.exec(chunk)?.[1];
        // kubelet flags are the only labels kind sets besides the well-known ones.
        n.labels = { "kubernetes.io/hostname": name, "kubernetes.io/os": "linux" };
        for (const kv of splitList([labels ?? ""])) {
            const [k, v] = kv.split("=");
            if (k) n.labels[k] = v ?? "";
        }
    }
    for (const m of text.matchAll(/--node-name[=\s]+["']?([\w.-]+)/g)) if (m[1]) get(m[1]);
    for (const m of text.matchAll(/^#\s*([\w.-]+)\s+\([^)]*\):\s*([0-9A-Fa-f:.]+)\s+on\s/gm)) {
        if (!m[1] || !m[2]) continue;
        const n = get(m[1]);
        if (!n.addresses.includes(m[2])) n.addresses.push(m[2]);
    }
    return [...nodes.values()];
}

function versionLine(version: string | undefined): [number, number] | undefined {
    const m = /^v?(\d+)\.(\d+)/.exec(version ?? "");
    return m ? [Number(m[1]), Number(m[2])] : undefined;
}

/** Families (afi) of a Cilium families list; undefined when absent (Cilium then uses its default). */
function families(v: Plain): string[] | undefined {
    if (!Array.isArray(v)) return undefined;
    return objs(v).filter((f) => (str(f.safi) ?? "unicast") === "unicast").map((f) => str(f.afi)).filter((a): a is string => a !== undefined);
}

function readNodes(v: Plain): NodeFact[] | undefined {
    if (!Array.isArray(v)) return undefined;
    const nodes: NodeFact[] = [];
    for (const n of objs(v)) {
        const name = str(n.name);
        if (name === undefined) return undefined;
        // A dual-stack node lists its other family's address under ipv6 (ClusterArgs, the stack's nodes output).
        const six = isObj(n.ipv6) ? str(n.ipv6.address) : undefined;
        const addresses = [str(n.address), ...strs(n.addresses), str(n.ipv4Address), str(n.ipv6Address), six].filter((a): a is string => a !== undefined && a !== "");
        const labels = isObj(n.labels) ? stringMap(n.labels) : undefined;
        nodes.push({ name, addresses, asn: num(n.asn), labels });
    }
    return nodes;
}

/** Values the program publishes in component or stack outputs, at the top level or one level down. */
function outputHints(props: PlainObject): PlainObject[] {
    return [props, ...Object.values(props).filter(isObj)];
}

export function extractFacts(input: readonly ResourceLike[], configuredFamily?: StackFamily): Facts {
    const resources: PlainResource[] = input.map((r) => {
        const p = plain(r.props);
        return { ref: { type: r.type, name: r.name, urn: r.urn }, props: isObj(p) ? p : {} };
    });
    const f: Facts = {
        resources, aggregates: [], dockerNetworks: [], containers: [], nodeNetworks: [], clusterTexts: [], podCidrs: [], serviceCidrs: [],
        lbPools: [], lbRequests: [], routers: [], nodes: [], nodesKnown: false, bgpClusters: [], peerConfigs: new Map(), nodeOverrides: [], nodePatches: [], secrets: [],
    };
    let outputFamily: StackFamily | undefined;
    let nodesFrom: string | undefined;

    for (const { ref, props } of resources) {
        const type = ref.type;
        if (type === "docker:index/network:Network") {
            const ipam = objs(props.ipamConfigs);
            f.dockerNetworks.push({
                ref, name: str(props.name) ?? ref.name, ipv6: bool(props.ipv6),
                subnets: ipam.map((c) => str(c.subnet)).filter((s): s is string => !!s),
                gateways: ipam.map((c) => str(c.gateway)).filter((s): s is string => !!s),
            });
        } else if (type === "docker:index/container:Container") {
            const addresses = objs(props.networksAdvanced).flatMap((n) =>
                [str(n.ipv4Address), str(n.ipv6Address)].filter((a): a is string => !!a).map((address) => ({ network: str(n.name) ?? "", address })));
            f.containers.push({ ref, name: str(props.name) ?? ref.name, addresses });
        } else if ((type === "kubernetes:helm.sh/v3:Release" || type === "kubernetes:helm.sh/v4:Chart") && /cilium/.test(`${str(props.chart) ?? ""}`)) {
            const values = isObj(props.values) ? props.values : {};
            const op = at(values, "ipam", "operator");
            const pods = (list: Plain, family: string): PrefixFact[] => strs(list).map((cidr) => ({ cidr, ref, what: `Helm values ipam.operator.clusterPool${family}PodCIDRList` }));
            const podCidrs = [...pods(at(op, "clusterPoolIPv4PodCIDRList"), "IPv4"), ...pods(at(op, "clusterPoolIPv6PodCIDRList"), "IPv6")];
            const nativeRoutingCidrs = (["ipv4NativeRoutingCIDR", "ipv6NativeRoutingCIDR"] as const)
                .map((k) => ({ cidr: str(values[k]) ?? "", ref, what: `Helm values ${k}` })).filter((p) => p.cidr !== "");
            const version = str(props.version);
            f.cilium = {
                ref, version, line: versionLine(version),
                // Cilium's chart enables IPv4 and disables IPv6 unless told otherwise.
                ipv4Enabled: bool(at(values, "ipv4", "enabled")) ?? true,
                ipv6Enabled: bool(at(values, "ipv6", "enabled")) ?? false,
                podCidrs, nativeRoutingCidrs,
                maskSize: { ipv4: num(at(op, "clusterPoolIPv4MaskSize")), ipv6: num(at(op, "clusterPoolIPv6MaskSize")) },
                secretsNamespace: str(at(values, "bgpControlPlane", "secretsNamespace", "name")) ?? "kube-system",
                routerIdMode: str(at(values, "bgpControlPlane", "routerIDAllocation", "mode")),
                routerIdPool: str(at(values, "bgpControlPlane", "routerIDAllocation", "ipPool")),
                values,
            };
            f.podCidrs.push(...podCidrs);
        } else if (type === "command:local:Command") {
            const text = [str(props.create), str(props.stdin), str(props.update)].filter((t): t is string => !!t).join("\n");
            const parsed = parseClusterText(text);
            if (parsed) {
                f.clusterTexts.push({ ref, ...parsed });
                f.podCidrs.push(...parsed.podSubnets.map((cidr) => ({ cidr, ref, what: "cluster config pod subnet" })));
                f.serviceCidrs.push(...parsed.serviceSubnets.map((cidr) => ({ cidr, ref, what: "cluster config service subnet" })));
            }
        } else if (type === ROUTER_FLEET) {
            for (const r of objs(props.routers)) {
                f.routers.push({
                    ref, name: str(r.name) ?? "?", asn: num(r.asn), routerId: str(r.routerId), loopback: str(r.loopback),
                    // Plain strings, or interface objects {network, address, prefixLength}.
                    addresses: arr(r.addresses).map((a) => (isObj(a) ? str(a.address) : str(a))).filter((a): a is string => !!a),
                    neighbors: objs(r.neighbors).map((n) => ({ address: str(n.address) ?? "", asn: num(n.asn), family: str(n.family) })),
                    neighborsKnown: Array.isArray(r.neighbors),
                });
            }
        } else if (type === "kubernetes:core/v1:Secret") {
            const data = at(props, "data", "password");
            const decoded = typeof data === "string" ? Buffer.from(data, "base64").toString("utf8") : undefined;
            f.secrets.push({
                ref, name: str(at(props, "metadata", "name")) ?? ref.name, namespace: str(at(props, "metadata", "namespace")) ?? "default",
                password: str(at(props, "stringData", "password")) ?? decoded,
            });
        } else if (type === "kubernetes:core/v1:Service" || gatewayKind(type, props)) {
            const request = lbRequestFact(ref, props);
            if (request) f.lbRequests.push(request);
        } else if (type === "kubernetes:core/v1:NodePatch") {
            const node = str(at(props, "metadata", "name"));
            if (node) {
                const annotations = stringMap(at(props, "metadata", "annotations"));
                f.nodePatches.push({ ref, node, annotations, labels: stringMap(at(props, "metadata", "labels")), virtualRouters: virtualRouters(annotations) });
            }
        } else {
            const kind = ciliumKind(type, props);
            const spec = isObj(props.spec) ? props.spec : {};
            const metaName = str(at(props, "metadata", "name")) ?? ref.name;
            if (kind === "CiliumLoadBalancerIPPool") {
                objs(spec.blocks).forEach((b, index) => {
                    const cidr = str(b.cidr);
                    if (cidr) f.lbPools.push({ ref, pool: metaName, cidr, parsed: parsePrefix(cidr), index, ...(isObj(spec.serviceSelector) ? { serviceSelector: spec.serviceSelector } : {}) });
                });
            } else if (kind === "CiliumBGPClusterConfig") {
                f.bgpClusters.push({
                    ref, kind, nodeSelector: isObj(spec.nodeSelector) ? spec.nodeSelector : undefined,
                    instances: objs(spec.bgpInstances).map((i) => ({
                        name: str(i.name), localASN: num(i.localASN),
                        peers: objs(i.peers).map((p) => ({ name: str(p.name), address: str(p.peerAddress), asn: num(p.peerASN), peerConfig: str(at(p, "peerConfigRef", "name")) })),
                    })),
                });
            } else if (kind === "CiliumBGPPeeringPolicy") {
                f.bgpClusters.push({
                    ref, kind, nodeSelector: isObj(spec.nodeSelector) ? spec.nodeSelector : undefined,
                    instances: objs(spec.virtualRouters).map((v) => ({
                        localASN: num(v.localASN),
                        peers: objs(v.neighbors).map((n) => ({ address: str(n.peerAddress), asn: num(n.peerASN), families: families(n.families), authSecretRef: str(n.authSecretRef) })),
                    })),
                });
            } else if (kind === "CiliumBGPPeerConfig") {
                f.peerConfigs.set(metaName, { ref, name: metaName, families: families(spec.families), authSecretRef: str(at(spec, "authSecretRef")) });
            } else if (kind === "CiliumBGPNodeConfigOverride") {
                f.nodeOverrides.push({ ref, node: metaName, instances: objs(spec.bgpInstances).map((i) => ({ name: str(i.name), routerID: str(i.routerID) })) });
            }
        }
        if (type.startsWith(COMPONENT_PREFIX) || type === "pulumi:pulumi:Stack") {
            for (const h of outputHints(props)) {
                const agg = [str(h.aggregate), ...strs(h.aggregates)].filter((a): a is string => !!a);
                for (const cidr of agg) if (!f.aggregates.some((a) => a.cidr === cidr)) f.aggregates.push({ cidr, ref, what: "program output aggregate" });
                const fam = str(h.ipFamily);
                if (outputFamily === undefined && (fam === "ipv4" || fam === "ipv6" || fam === "dual")) outputFamily = fam;
                const svc = str(h.serviceCidr);
                if (svc && !f.serviceCidrs.some((s) => s.cidr === svc)) f.serviceCidrs.push({ cidr: svc, ref, what: "program output serviceCidr" });
                // The cluster component's list wins over others (a plan output, say).
                const nodes = readNodes(h.nodes);
                if (nodes && (nodesFrom === undefined || (type === "cilium-bgp-fabric:cluster:Cluster" && nodesFrom !== type))) {
                    f.nodes = nodes;
                    f.nodesKnown = true;
                    nodesFrom = type;
                }
            }
        }
    }

    // Without a published node list, the cluster config and join script name the nodes.
    if (!f.nodesKnown) {
        const merged = new Map<string, NodeFact>();
        for (const t of f.clusterTexts) {
            for (const n of t.nodes) {
                const m = merged.get(n.name) ?? { name: n.name, addresses: [] };
                for (const a of n.addresses) if (!m.addresses.includes(a)) m.addresses.push(a);
                if (n.labels) m.labels = { ...(m.labels ?? {}), ...n.labels };
                merged.set(n.name, m);
            }
        }
        if (merged.size > 0) {
            f.nodes = [...merged.values()];
            f.nodesKnown = true;
        }
    }

    // Node labels set by NodePatch resources (rack labels, say) decide node selectors.
    for (const patch of f.nodePatches) {
        const node = f.nodes.find((n) => n.name === patch.node);
        if (node && Object.keys(patch.labels).length > 0) node.labels = { ...(node.labels ?? {}), ...patch.labels };
    }

    if (f.nodesKnown) f.nodeCount = { value: f.nodes.length, source: nodesFrom ? "the program's node list" : "the cluster config" };
    else {
        const text = f.clusterTexts.find((t) => t.nodeCount !== undefined);
        if (text?.nodeCount !== undefined) f.nodeCount = { value: text.nodeCount, source: `the cluster config of ${label(text.ref)}` };
    }

    f.family = decideFamily(f, configuredFamily, outputFamily);
    f.nodeNetworks = nodeNetworkFacts(f);
    return f;
}

/** Pack config first, then the program's own ipFamily output, then Cilium's values, then Docker networks. */
function decideFamily(f: Facts, configured: StackFamily | undefined, output: StackFamily | undefined): Facts["family"] {
    if (configured) return { value: configured, source: "the policy pack config" };
    if (output) return { value: output, source: "the program's ipFamily output" };
    if (f.cilium) {
        const v6only = f.cilium.ipv6Enabled && !f.cilium.ipv4Enabled;
        const both = f.cilium.ipv6Enabled && f.cilium.ipv4Enabled;
        return { value: both ? "dual" : v6only ? "ipv6" : "ipv4", source: `Cilium Helm values of ${label(f.cilium.ref)}` };
    }
    if (f.dockerNetworks.length > 0) {
        const v6only = f.dockerNetworks.every((n) => n.ipv6 === true);
        return { value: v6only ? "ipv6" : "ipv4", source: "the Docker networks" };
    }
    return undefined;
}

/** Docker network subnets holding a known node address; else networks named like "nodes"; else all. */
function nodeNetworkFacts(f: Facts): PrefixFact[] {
    const all = f.dockerNetworks.flatMap((n) => n.subnets.map((cidr) => ({ cidr, ref: n.ref, what: `Docker network ${n.name}` })));
    const nodeAddrs = [...nodeAddressIndex(f).values()];
    if (nodeAddrs.length > 0) {
        const holding = all.filter((s) => {
            const p = prefix(s.cidr);
            return p !== undefined && nodeAddrs.some((a) => containsAddress(p, a.family, a.value));
        });
        if (holding.length > 0) return holding;
    }
    const named = all.filter((s) => /node/i.test(s.what));
    return named.length > 0 ? named : all;
}

/** Address keys of every router (interfaces and loopback), each mapped to its router. */
export function routerAddressIndex(f: Facts): Map<string, RouterFact> {
    const index = new Map<string, RouterFact>();
    for (const r of f.routers) {
        for (const a of [...r.addresses, r.loopback]) {
            const key = addrKey(a);
            if (key) index.set(key, r);
        }
    }
    return index;
}

/** A known node address: its family and value, and the node when the node list names it. */
export interface NodeAddress { family: IpFamily; value: bigint; node?: NodeFact }

/**
 * Address keys of every known node address: the node list's (each mapped to its node) and the
 * cluster config's node-ip values (mapped to no node unless the node list has the address too).
 */
export function nodeAddressIndex(f: Facts): Map<string, NodeAddress> {
    const index = new Map<string, NodeAddress>();
    for (const a of f.clusterTexts.flatMap((t) => t.nodeIps)) {
        const h = host(a);
        if (h) index.set(addrKey(a) as string, h);
    }
    // Nodes last: an address the node list has belongs to the (last) node listing it.
    for (const n of f.nodes) {
        for (const a of n.addresses) {
            const h = host(a);
            if (h) index.set(addrKey(a) as string, { ...h, node: n });
        }
    }
    return index;
}

type Operator = "In" | "NotIn" | "Exists" | "DoesNotExist";
const OPERATORS: readonly string[] = ["In", "NotIn", "Exists", "DoesNotExist"] satisfies Operator[];

/**
 * Whether a node matches a Kubernetes label selector (read from raw props); undefined when the
 * node's labels are unknown, or when an expression has an operator Kubernetes does not know and
 * no earlier part of the selector already fails. Matching itself is components/bgp/selectors'.
 */
export function selects(selector: PlainObject | undefined, labels: Record<string, string> | undefined): boolean | undefined {
    const matchLabels = isObj(selector?.matchLabels) ? stringMap(selector.matchLabels) : {};
    const exprs = objs(selector?.matchExpressions).map((e) => ({ key: str(e.key) ?? "", operator: str(e.operator) ?? "", values: strs(e.values) }));
    if (Object.keys(matchLabels).length === 0 && exprs.length === 0) return true;
    if (labels === undefined) return undefined;
    // Expressions are decided in order: an unknown operator leaves the answer open unless what precedes it fails.
    const unknownAt = exprs.findIndex((e) => !OPERATORS.includes(e.operator));
    const known = (unknownAt < 0 ? exprs : exprs.slice(0, unknownAt)) as { key: string; operator: Operator; values: string[] }[];
    const match = selectorMatches({ matchLabels, matchExpressions: known }, labels);
    return unknownAt < 0 ? match : match ? undefined : false;
}


/**
 * The lab's topology, built from one offline run of the program: routers with the files the
 * RouterFleet uploads, node speakers translated from the Cilium objects, and the services whose
 * LB addresses the nodes announce. Pure: the engines turn it into namespaces or containers.
 */
import type { RecordedResource } from "../cli/mock-runtime";
import { recordedRouterUploads } from "../cli/artifacts";
import type { OfflineRun } from "../cli/offline";
import type { K8sObject } from "../components/cilium/api";
import { nodeLabels, selectorMatches } from "../components/bgp/selectors";
import type { IpFamily, LabelSelector } from "../components/config/types";
import { containsAddress, parseAddress, parsePrefix, type Prefix } from "../components/plan/addr";
import { hostPrefix } from "../components/bgp/common";
import { type NodeDefaultRoute, nodeDefaultRoute } from "../components/cluster/routes";
import type { PlannedNode } from "../components/plan/types";
import type { LabNode, LabTopology } from "./engine";
import type { FileSpec } from "../components/routers/spec";
import { clientSpec } from "./dataplane";
import { type ServiceFacts, type SpeakerConfig, TranslationError, idleGobgpdConfig, renderGobgpdConfig, selectedSpeaker } from "./speaker";
import { vyosLabFiles } from "./vyos/lab";
import { nodeInterfaceName } from "../components/routers/model";

export interface TopologyOptions {
    /** Give this node a wrong BGP password (fault test: exactly its sessions must stay down). */
    wrongPasswordNode?: string;
    /** This node also announces a prefix outside the cluster's (the routers must filter it). */
    foreignPrefixNode?: string;
    /** Run VyOS routers as the FRR their VyOS would render (lab/vyos); otherwise they are skipped (the Docker engine has no VyOS image). */
    vyosAsFrr?: boolean;
    /** Fault test: this node's speaker listens on TCP 179, which Cilium's never does (the check must fail). */
    listeningNode?: string;
    /** Fault test: this router's frr.conf loses `network <prefix>` (e.g. its rack's subnet: the inter-rack route). */
    withoutNetwork?: { router: string; prefix: string };
}

export interface LabModel {
    topology: LabTopology;
    speakers: SpeakerConfig[];
    services: ServiceFacts[];
    /** Advertisement types configured but not exercised by any rendered object (the report lists them). */
    unexercised: { type: string; reason: string }[];
    /** The prefix `foreignPrefixNode` announces, when set (the primary family's). */
    foreignPrefix?: string;
    /** Every prefix `foreignPrefixNode` announces: one per family the lab carries. */
    foreignPrefixes?: string[];
}

/** Kubernetes objects the program registered (custom resources, Secrets, Services, patches...). */
export function k8sObjects(resources: RecordedResource[]): K8sObject[] {
    return resources
        .filter((r) => r.custom && r.type.startsWith("kubernetes:") && typeof r.inputs.kind === "string" && typeof r.inputs.apiVersion === "string")
        .map((r) => ({ ...(r.inputs as unknown as K8sObject), metadata: { name: r.name, ...(r.inputs.metadata as object ?? {}) } }));
}

const asObj = (v: unknown): Record<string, unknown> => (typeof v === "object" && v !== null ? v as Record<string, unknown> : {});

/**
 * The plan nodes a Deployment's pods are pinned to: those its nodeSelector and one of its required
 * node-affinity terms select, by the labels the cluster gives nodes. None when nothing pins them.
 */
function pinnedNodes(d: K8sObject, nodes: PlannedNode[]): string[] {
    const pod = asObj(asObj(asObj(d.spec).template).spec);
    const nodeSelector = pod.nodeSelector as Record<string, string> | undefined;
    const terms = asObj(asObj(asObj(pod.affinity).nodeAffinity).requiredDuringSchedulingIgnoredDuringExecution).nodeSelectorTerms;
    const termList = (Array.isArray(terms) ? terms : []) as LabelSelector[];
    if (!nodeSelector && termList.length === 0) return [];
    return nodes.filter((n) => {
        const labels = nodeLabels(n);
        return selectorMatches({ matchLabels: nodeSelector ?? {} }, labels)
            && (termList.length === 0 || termList.some((t) => selectorMatches({ matchExpressions: t.matchExpressions ?? [] }, labels)));
    }).map((n) => n.name).sort();
}

/** LB-IPAM pools among the rendered objects: their blocks and service selector. */
function lbPools(objects: K8sObject[]): { name: string; blocks: Prefix[]; selector?: LabelSelector }[] {
    return objects.filter((o) => o.kind === "CiliumLoadBalancerIPPool" && asObj(o.spec).disabled !== true).map((o) => {
        const spec = asObj(o.spec);
        const blocks = ((spec.blocks ?? spec.cidrs) as { cidr?: string }[] | undefined ?? [])
            .map((b) => (b.cidr ? parsePrefix(b.cidr) : undefined)).filter((b): b is Prefix => typeof b === "object");
        return { name: o.metadata.name, blocks, ...(spec.serviceSelector ? { selector: spec.serviceSelector as LabelSelector } : {}) };
    });
}

/**
 * LB-IPAM assigns a requested address only from a pool whose serviceSelector matches the Service
 * (its labels plus the io.kubernetes.service.{namespace,name} labels LB-IPAM adds); a requested
 * address no pool can give stays pending, and Cilium announces nothing for it.
 */
function assignable(address: string, labels: Record<string, string>, ns: string, name: string, pools: ReturnType<typeof lbPools>): boolean {
    const a = parseAddress(address);
    if (typeof a === "string") return false;
    const all = { ...labels, "io.kubernetes.service.namespace": ns, "io.kubernetes.service.name": name };
    return pools.some((p) => (!p.selector || selectorMatches(p.selector, all)) && p.blocks.some((b) => containsAddress(b, a.family, a.value)));
}

/**
 * The addresses of the program's own Services and Gateways once assigned: LoadBalancer addresses
 * LB-IPAM can give (the requested one), external IPs, and cluster IPs the objects fix (Kubernetes
 * assigns the others at creation, so the lab cannot know them). Nothing else is invented.
 */
export function programServices(objects: K8sObject[], nodes: PlannedNode[]): ServiceFacts[] {
    const out: ServiceFacts[] = [];
    const pools = lbPools(objects);
    for (const s of objects.filter((o) => o.kind === "Service")) {
        const spec = asObj(s.spec);
        const ns = s.metadata.namespace ?? "default";
        const labels = s.metadata.labels ?? {};
        const matchLabels = asObj(spec.selector) as Record<string, string>;
        // Kubernetes manages endpoints only for a Service with a selector; an empty one counts as none (ServiceSpec.selector).
        const hasSelector = Object.keys(matchLabels).length > 0;
        const deployments = !hasSelector ? [] : objects.filter((o) => o.kind === "Deployment" && (o.metadata.namespace ?? "default") === ns
            && selectorMatches({ matchLabels }, asObj(asObj(asObj(o.spec).template).metadata).labels as Record<string, string> ?? {}));
        const endpointNodes = [...new Set(deployments.flatMap((d) => pinnedNodes(d, nodes)))].sort();
        const etp = spec.externalTrafficPolicy === "Local" ? "Local" as const : "Cluster" as const;
        const itp = spec.internalTrafficPolicy === "Local" ? "Local" as const : "Cluster" as const;
        const outside = !hasSelector ? "it has no selector: its endpoints are managed outside the Service, and the program runs none"
            : deployments.length === 0 ? `its selector ${JSON.stringify(matchLabels)} matches no pods the program runs` : undefined;
        const base = { namespace: ns, name: s.metadata.name, labels, endpointNodes, ...(outside ? { endpointsOutside: outside } : {}) };
        if (spec.type === "LoadBalancer") {
            const requested = s.metadata.annotations?.["lbipam.cilium.io/ips"] ?? s.metadata.annotations?.["io.cilium/lb-ipam-ips"] ?? spec.loadBalancerIP;
            const list = typeof requested === "string" ? requested.split(",").map((a) => a.trim()).filter(Boolean) : [];
            for (const address of list.filter((a) => assignable(a, labels, ns, s.metadata.name, pools))) {
                out.push({ ...base, address, addressType: "LoadBalancerIP", externalTrafficPolicy: etp });
            }
        }
        for (const address of (spec.externalIPs as string[] | undefined) ?? []) out.push({ ...base, address, addressType: "ExternalIP", externalTrafficPolicy: etp });
        const clusterIps = [...new Set([...(spec.clusterIPs as string[] | undefined) ?? [], ...(typeof spec.clusterIP === "string" ? [spec.clusterIP] : [])])];
        for (const address of clusterIps.filter((a) => a !== "None" && a !== "")) out.push({ ...base, address, addressType: "ClusterIP", externalTrafficPolicy: itp });
    }
    // Cilium serves each Gateway through a LoadBalancer Service it creates (cilium-gateway-<name>,
    // externalTrafficPolicy Cluster) carrying the Gateway's infrastructure labels and annotations.
    for (const g of objects.filter((o) => o.kind === "Gateway" && asObj(o.spec).gatewayClassName === "cilium")) {
        const spec = asObj(g.spec);
        const infra = asObj(spec.infrastructure);
        const ns = g.metadata.namespace ?? "default";
        const name = `cilium-gateway-${g.metadata.name}`;
        const labels = asObj(infra.labels) as Record<string, string>;
        const addresses = ((spec.addresses as { type?: string; value?: string }[] | undefined) ?? [])
            .filter((a) => (a.type ?? "IPAddress") === "IPAddress" && a.value).map((a) => a.value as string);
        for (const address of addresses.filter((a) => assignable(a, labels, ns, name, pools))) {
            out.push({ namespace: ns, name, labels, address, addressType: "LoadBalancerIP", externalTrafficPolicy: "Cluster", endpointNodes: [] });
        }
    }
    return out;
}

/**
 * Service address types the objects ask to advertise that no rendered, assigned address
 * exercises (with why), so the report says what the lab could not prove.
 */
export function unexercisedAdvertisements(speakers: SpeakerConfig[], services: ServiceFacts[]): { type: string; reason: string }[] {
    const configured = [...new Set(speakers.flatMap((s) => s.serviceAddressTypes))].sort();
    const announced = new Set(speakers.flatMap((s) => s.announce.map((a) => a.prefix)));
    const out: { type: string; reason: string }[] = [];
    for (const type of configured) {
        const candidates = services.filter((s) => s.addressType === type);
        if (candidates.some((s) => announced.has(hostPrefix(s.address)))) continue;
        // Local with no endpoint the lab knows of: Cilium announces it from no node (hasLocalEndpoints), selected or not.
        const noLocal = candidates.filter((c) => c.externalTrafficPolicy === "Local" && c.endpointNodes.length === 0);
        out.push({
            type, reason: candidates.length === 0
                ? `the stack renders no Service with an assigned ${type} address${type === "ClusterIP" ? " (Kubernetes assigns cluster IPs at creation)" : ""}`
                : noLocal.length === candidates.length
                    ? noLocal.map((c) => `${c.namespace}/${c.name} (${c.address}) is externalTrafficPolicy Local and no node hosts an endpoint the lab knows of${c.endpointsOutside ? ` (${c.endpointsOutside})` : ""}: Cilium announces it from no node`).join("; ")
                    : `no advertisement selects the ${type} addresses of ${candidates.map((c) => `${c.namespace}/${c.name}`).join(", ")}`,
        });
    }
    return out;
}

const familyOfPrefix = (p: string): IpFamily => (p.includes(":") ? "ipv6" : "ipv4");

/** A prefix from the documentation ranges, outside every plan of this project's stacks. */
export const foreignPrefixFor = (family: "ipv4" | "ipv6"): string => (family === "ipv4" ? "198.51.100.0/24" : "2001:db8:dead::/64");

/** The router's files with one `network` line removed (fault test). */
function withoutNetwork(files: FileSpec[], prefix: string | undefined): FileSpec[] {
    if (!prefix) return files;
    return files.map((f) => (f.file.endsWith("/frr.conf") ? { ...f, content: f.content.split("\n").filter((l) => l.trim() !== `network ${prefix}`).join("\n") } : f));
}

export function buildLabModel(run: OfflineRun, o: TopologyOptions = {}): LabModel {
    const { plan } = run;
    const objects = k8sObjects(run.resources);
    const services = programServices(objects, plan.nodes);
    // A node no policy selects (bgp.nodeSelector) runs no speaker; it stays a host behind its default route.
    const v6 = plan.secondary;
    const half6 = (n: PlannedNode): PlannedNode | undefined => v6?.nodes.find((x) => x.name === n.name);
    const perNode = plan.nodes.map((n) => selectedSpeaker(objects, {
        name: n.name, labels: nodeLabels(n), address: n.address, podCidr: n.podCidr, plannedRouterId: n.routerId,
        ...(half6(n) ? { secondaryPodCidr: half6(n)!.podCidr } : {}),
    }, services));
    const speakers = perNode.filter((s): s is SpeakerConfig => s !== undefined);
    if (speakers.length === 0) throw new TranslationError(`stack ${run.stack}: no BGP cluster config or peering policy selects any node`);
    for (const name of [o.wrongPasswordNode, o.foreignPrefixNode, o.listeningNode].filter((x): x is string => !!x)) {
        if (!plan.nodes.some((n) => n.name === name)) throw new Error(`no node ${name} in stack ${run.stack} (nodes: ${plan.nodes.map((n) => n.name).join(", ")})`);
    }
    const speaks = (name: string | undefined): boolean => !!perNode[plan.nodes.findIndex((n) => n.name === name)];
    for (const name of [o.wrongPasswordNode, o.listeningNode].filter((x): x is string => !!x)) {
        if (!speaks(name)) throw new Error(`node ${name} runs no BGP (no policy selects it): it cannot be a fault-test node`);
    }
    // The filter test needs a node that speaks BGP: run.ts names the first node by default, which may run none.
    const foreignNode = o.foreignPrefixNode === undefined || speaks(o.foreignPrefixNode) ? o.foreignPrefixNode : speakers[0].node;
    // One per family the lab carries (a dual stack's routers must filter both).
    const foreignPrefixes = foreignNode ? [plan, ...(plan.secondary ? [plan.secondary] : [])].map((h) => foreignPrefixFor(h.family)) : [];
    const foreignPrefix = foreignPrefixes[0];

    // Addresses of the routers the lab runs: a node's default route goes over those of its segment.
    const runs = (r: { flavour: string }): boolean => r.flavour === "frr" || (r.flavour === "vyos" && !!o.vyosAsFrr);
    const runningRouters = new Set(plan.routers.filter(runs).map((r) => r.name));
    const halves = [plan, ...(v6 ? [v6] : [])];
    const running = new Set(halves.flatMap((h) => [...h.routers.filter(runs).flatMap((r) => r.interfaces.map((i) => i.address)),
        // A VRRP virtual address is a way out while one of its group's routers runs here.
        ...h.vrrpGroups.filter((g) => g.members.some((m) => runningRouters.has(m.router))).map((g) => g.address)]));
    const routeOf = (family: IpFamily, n: PlannedNode): { defaultRoute?: NodeDefaultRoute } =>
        (n.gateways.some((g) => running.has(g)) ? { defaultRoute: nodeDefaultRoute(family, n.gateways.filter((g) => running.has(g))) } : {});
    const nodes: LabNode[] = plan.nodes.map((n, i) => {
        const s = perNode[i];
        const n6 = half6(n);
        // Dual stack: the IPv6 half's address and its own default route (join.ts gives a node one per family).
        const route = { ...routeOf(plan.family, n), ...(n6 ? { secondary: { address: n6.address, prefixLength: n6.prefixLength, ...routeOf("ipv6", n6) } } : {}) };
        if (!s) {
            return { name: n.name, segment: n.subnet, address: n.address, prefixLength: n.prefixLength, ...route,
                gobgpdConfig: idleGobgpdConfig(n.name, n.routerId, n.asn), announce: [] };
        }
        const wrong = o.wrongPasswordNode === n.name;
        const wrongSpeaker: SpeakerConfig = wrong ? { ...s, peers: s.peers.map((p) => ({ ...p, password: `${p.password ?? ""}-wrong` })) } : s;
        const speaker: SpeakerConfig = o.listeningNode === n.name ? { ...wrongSpeaker, listenPort: 179 } : wrongSpeaker;
        const extra = foreignNode === n.name ? foreignPrefixes : [];
        return {
            name: n.name, segment: n.subnet, address: n.address, prefixLength: n.prefixLength,
            // The route join.ts gives the node, over the routers that run here.
            ...route,
            gobgpdConfig: renderGobgpdConfig(speaker, extra),
            announce: [...s.announce, ...extra.map((prefix) => ({ prefix, family: familyOfPrefix(prefix), communities: [], reason: "foreign prefix (filter test)" }))],
        };
    });

    const uploads = recordedRouterUploads(run.resources);
    const topology: LabTopology = {
        stack: run.stack,
        family: plan.family,
        families: halves.map((h) => h.family),
        segments: [
            ...plan.nodeSubnets.map((s) => ({ name: s.name, kind: "nodes" as const })),
            ...plan.linkNets.map((l) => ({ name: l.name, kind: "link" as const })),
        ],
        routers: plan.routers.filter(runs).map((r) => ({
            name: r.name,
            files: withoutNetwork(r.flavour === "vyos" ? vyosLabFiles(r.name, uploads.get(r.name) ?? [], r.interfaces.map((i) => i.address)) : uploads.get(r.name) ?? [],
                o.withoutNetwork?.router === r.name ? o.withoutNetwork.prefix : undefined),
            // A VRRP interface keeps the name the router's configuration gives it (vrrpd's `interface`, keepalived's).
            interfaces: r.interfaces.map((i) => {
                // Dual stack: the IPv6 half's address of the router on the same segment (same cable).
                const i6 = v6?.routers.find((x) => x.name === r.name)?.interfaces.find((x) => x.network === i.network);
                return { segment: i.network, address: i.address, prefixLength: i.prefixLength,
                    ...(i6 ? { secondary: { address: i6.address, prefixLength: i6.prefixLength } } : {}),
                    ...(halves.some((h) => h.vrrpGroups.some((g) => g.segment === i.network && g.members.some((m) => m.router === r.name))) ? { name: nodeInterfaceName(r.flavour) } : {}) };
            }),
        })),
        nodes,
        skipped: plan.routers.filter((r) => !runs(r)).map((r) => ({
            router: r.name, reason: "VyOS-flavoured routers need the VyOS image and systemd; this engine cannot run them (the namespace engine runs their FRR)",
        })),
        recorded: run.resources,
    };
    const client = clientSpec(plan, topology.routers.map((r) => r.name));
    if (client) topology.client = client;
    for (const r of topology.routers) {
        if (!r.files.some((f) => f.file.endsWith("/frr.conf"))) throw new Error(`router ${r.name}: the program registered no frr.conf upload`);
    }
    return { topology, speakers, services, unexercised: unexercisedAdvertisements(speakers, services),
        ...(foreignPrefix ? { foreignPrefix, foreignPrefixes } : {}) };
}

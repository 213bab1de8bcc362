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
import type { LabelSelector } from "../components/config/types";
import { formatAddress, lastAddress, parsePrefix, type Prefix } from "../components/plan/addr";
import type { PlannedNode } from "../components/plan/types";
import type { LabNode, LabTopology } from "./engine";
import { type ServiceFacts, type SpeakerConfig, renderGobgpdConfig, translateNode } from "./speaker";
import { vyosLabFiles } from "./vyos/lab";

export interface TopologyOptions {
    /** Give this node a wrong BGP password (fault test: exactly its sessions must stay down). */
    wrongPasswordNode?: string;
    /** This node also announces a prefix outside the cluster's (the routers must filter it). */
    foreignPrefixNode?: string;
    /** Run VyOS routers as the FRR their VyOS would render (lab/vyos); otherwise they are skipped (the Docker engine has no VyOS image). */
    vyosAsFrr?: boolean;
}

export interface LabModel {
    topology: LabTopology;
    speakers: SpeakerConfig[];
    services: ServiceFacts[];
    /** The prefix `foreignPrefixNode` announces, when set. */
    foreignPrefix?: string;
}

/** Kubernetes objects the program registered (custom resources, Secrets, Services, patches...). */
export function k8sObjects(resources: RecordedResource[]): K8sObject[] {
    return resources
        .filter((r) => r.custom && r.type.startsWith("kubernetes:") && typeof r.inputs.kind === "string" && typeof r.inputs.apiVersion === "string")
        .map((r) => ({ ...(r.inputs as unknown as K8sObject), metadata: { name: r.name, ...(r.inputs.metadata as object ?? {}) } }));
}

/** Labels that satisfy a pool's service selector (matchLabels, and the first value of each In). */
function labelsFor(sel: LabelSelector | undefined): Record<string, string> {
    const out: Record<string, string> = { ...(sel?.matchLabels ?? {}) };
    for (const e of sel?.matchExpressions ?? []) {
        if (e.operator === "In" && e.values?.length) out[e.key] = e.values[0];
        if (e.operator === "Exists") out[e.key] = "lab";
    }
    return out;
}

/** One LoadBalancer service per pool at the pool's last address, externalTrafficPolicy Cluster. */
export function sampleServices(pools: { name: string; cidr: string; serviceSelector?: LabelSelector }[]): ServiceFacts[] {
    return pools.map((p) => {
        const prefix = parsePrefix(p.cidr) as Prefix;
        // IPv4's last address is the broadcast address; LB-IPAM skips it.
        const last = lastAddress(prefix) - (prefix.family === "ipv4" && prefix.length < 31 ? 1n : 0n);
        return {
            namespace: "lab", name: `sample-${p.name}`, labels: labelsFor(p.serviceSelector),
            address: formatAddress(prefix.family, last), externalTrafficPolicy: "Cluster", endpointNodes: [],
        };
    });
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

/** The program's own LoadBalancer Services and Gateways with a requested address (the smoke workload, the shared Gateway). */
export function programServices(objects: K8sObject[], nodes: PlannedNode[]): ServiceFacts[] {
    const out: ServiceFacts[] = [];
    for (const s of objects.filter((o) => o.kind === "Service" && asObj(o.spec).type === "LoadBalancer")) {
        const spec = asObj(s.spec);
        const requested = s.metadata.annotations?.["lbipam.cilium.io/ips"] ?? s.metadata.annotations?.["io.cilium/lb-ipam-ips"] ?? spec.loadBalancerIP;
        if (typeof requested !== "string" || !requested) continue;
        const selector = { matchLabels: asObj(spec.selector) as Record<string, string> };
        const ns = s.metadata.namespace ?? "default";
        const deployments = objects.filter((o) => o.kind === "Deployment" && (o.metadata.namespace ?? "default") === ns
            && selectorMatches(selector, asObj(asObj(asObj(o.spec).template).metadata).labels as Record<string, string> ?? {}));
        for (const address of requested.split(",").map((a) => a.trim()).filter(Boolean)) {
            out.push({
                namespace: ns, name: s.metadata.name, labels: s.metadata.labels ?? {}, address,
                externalTrafficPolicy: spec.externalTrafficPolicy === "Local" ? "Local" : "Cluster",
                endpointNodes: [...new Set(deployments.flatMap((d) => pinnedNodes(d, nodes)))].sort(),
            });
        }
    }
    // Cilium serves each Gateway through a LoadBalancer Service it creates (cilium-gateway-<name>,
    // externalTrafficPolicy Cluster) carrying the Gateway's infrastructure labels and annotations.
    for (const g of objects.filter((o) => o.kind === "Gateway" && asObj(o.spec).gatewayClassName === "cilium")) {
        const spec = asObj(g.spec);
        const infra = asObj(spec.infrastructure);
        const addresses = ((spec.addresses as { type?: string; value?: string }[] | undefined) ?? [])
            .filter((a) => (a.type ?? "IPAddress") === "IPAddress" && a.value).map((a) => a.value as string);
        for (const address of addresses) {
            out.push({
                namespace: g.metadata.namespace ?? "default", name: `cilium-gateway-${g.metadata.name}`,
                labels: asObj(infra.labels) as Record<string, string>, address, externalTrafficPolicy: "Cluster", endpointNodes: [],
            });
        }
    }
    return out;
}

/** A prefix from the documentation ranges, outside every plan of this project's stacks. */
export const foreignPrefixFor = (family: "ipv4" | "ipv6"): string => (family === "ipv4" ? "198.51.100.0/24" : "2001:db8:dead::/64");

export function buildLabModel(run: OfflineRun, o: TopologyOptions = {}): LabModel {
    const { plan } = run;
    const objects = k8sObjects(run.resources);
    const services = [...sampleServices(plan.lbPools), ...programServices(objects, plan.nodes)];
    const speakers = plan.nodes.map((n) => translateNode(objects, {
        name: n.name, labels: nodeLabels(n), address: n.address, podCidr: n.podCidr, plannedRouterId: n.routerId,
    }, services));
    const foreignPrefix = o.foreignPrefixNode ? foreignPrefixFor(plan.family) : undefined;
    for (const name of [o.wrongPasswordNode, o.foreignPrefixNode].filter((x): x is string => !!x)) {
        if (!plan.nodes.some((n) => n.name === name)) throw new Error(`no node ${name} in stack ${run.stack} (nodes: ${plan.nodes.map((n) => n.name).join(", ")})`);
    }

    // Addresses of the routers the lab runs: a node's default route needs one of them.
    const runs = (r: { flavour: string }): boolean => r.flavour === "frr" || (r.flavour === "vyos" && !!o.vyosAsFrr);
    const running = new Set(plan.routers.filter(runs).flatMap((r) => r.interfaces.map((i) => i.address)));
    const nodes: LabNode[] = plan.nodes.map((n, i) => {
        const s = speakers[i];
        const wrong = o.wrongPasswordNode === n.name;
        const speaker: SpeakerConfig = wrong ? { ...s, peers: s.peers.map((p) => ({ ...p, password: `${p.password ?? ""}-wrong` })) } : s;
        const extra = foreignPrefix && o.foreignPrefixNode === n.name ? [foreignPrefix] : [];
        return {
            name: n.name, segment: n.subnet, address: n.address, prefixLength: n.prefixLength,
            ...(running.has(n.gateway) ? { gateway: n.gateway } : {}),
            gobgpdConfig: renderGobgpdConfig(speaker, extra),
            announce: [...s.announce, ...extra.map((prefix) => ({ prefix, family: plan.family, communities: [], reason: "foreign prefix (filter test)" }))],
        };
    });

    const uploads = recordedRouterUploads(run.resources);
    const topology: LabTopology = {
        stack: run.stack,
        family: plan.family,
        segments: [
            ...plan.nodeSubnets.map((s) => ({ name: s.name, kind: "nodes" as const })),
            ...plan.linkNets.map((l) => ({ name: l.name, kind: "link" as const })),
        ],
        routers: plan.routers.filter(runs).map((r) => ({
            name: r.name,
            files: r.flavour === "vyos" ? vyosLabFiles(r.name, uploads.get(r.name) ?? [], r.interfaces.map((i) => i.address)) : uploads.get(r.name) ?? [],
            interfaces: r.interfaces.map((i) => ({ segment: i.network, address: i.address, prefixLength: i.prefixLength })),
        })),
        nodes,
        skipped: plan.routers.filter((r) => !runs(r)).map((r) => ({
            router: r.name, reason: "VyOS-flavoured routers need the VyOS image and systemd; this engine cannot run them (the namespace engine runs their FRR)",
        })),
        recorded: run.resources,
    };
    for (const r of topology.routers) {
        if (!r.files.some((f) => f.file.endsWith("/frr.conf"))) throw new Error(`router ${r.name}: the program registered no frr.conf upload`);
    }
    return { topology, speakers, services, ...(foreignPrefix ? { foreignPrefix } : {}) };
}

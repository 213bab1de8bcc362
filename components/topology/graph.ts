/**
 * The topology as a graph for ELK's layered layout (elkjs), from the address plan alone: each
 * node segment (a rack's, or the one shared segment) is a group holding its routers and nodes,
 * routers on no segment (spines) stand outside, every BGP session is an edge labelled with both
 * ends' addresses, its type and its MD5/multihop marks. Flow is left to right so that a fabric
 * grows downwards as racks are added, and the labels lie along horizontal edges.
 */
import type { ElkExtendedEdge, ElkNode } from "elkjs/lib/elk-api";
import type { AddressPlan, NodeSession, PlannedNode, PlannedRouter, RouterSession } from "../plan/types";
import { LINE_HEIGHT, PAD_Y, blockSize } from "./text";

/** What the drawing marks on sessions (from the stack's bgp settings, not in the plan). */
export interface SessionMarks {
    /** bgp.authentication: every session uses the MD5 password. */
    md5: boolean;
    /** bgp.ebgpMultihop: the TTL of eBGP node sessions, when set. */
    ebgpMultihop?: number;
}

export type BoxKind = "router" | "node" | "segment" | "label";

/** What each laid-out element shows; the ELK graph carries only ids and sizes. */
export interface BoxContent { kind: BoxKind; lines: string[]; ibgp?: boolean }

export interface TopologyGraph { elk: ElkNode; content: Map<string, BoxContent> }

const routerLines = (r: PlannedRouter, plan: AddressPlan): string[] => [
    `${r.name} · ${r.role} · ${r.flavour.toUpperCase()}`,
    `AS${r.asn} · router-id ${r.routerId}`,
    `loopback ${r.loopback}/${plan.family === "ipv6" ? 128 : 32}`,
    ...r.interfaces.map((i) => `${i.network} ${i.address}/${i.prefixLength}`),
];

const nodeLines = (n: PlannedNode): string[] => [
    `${n.name} · ${n.role}`,
    `AS${n.asn} · router-id ${n.routerId}`,
    `${n.address}/${n.prefixLength} via ${n.gateways.join(", ")}`,
    `pods ${n.podCidr}`,
];

const marks = (m: SessionMarks, ebgp: boolean): string[] => [
    ...(m.md5 ? ["MD5"] : []),
    ...(ebgp && m.ebgpMultihop !== undefined ? [`multihop ${m.ebgpMultihop}`] : []),
];

const nodeSessionLines = (s: NodeSession, m: SessionMarks): string[] => [
    `${s.routerAddress} <-> ${s.nodeAddress}`,
    [s.type === "ibgp" ? "iBGP" : "eBGP", ...(s.routeReflectorClient ? ["RR client"] : []), `AS${s.routerAsn}-AS${s.nodeAsn}`, ...marks(m, s.type === "ebgp")].join(" · "),
];

const routerSessionLines = (s: RouterSession, m: SessionMarks): string[] => [
    `${s.bAddress} <-> ${s.aAddress}`,
    ["eBGP", `AS${s.bAsn}-AS${s.aAsn}`, ...marks(m, false)].join(" · "),
];

const shape = (id: string, lines: string[]): ElkNode => ({ id, ...blockSize(lines) });

export function topologyGraph(plan: AddressPlan, m: SessionMarks): TopologyGraph {
    const content = new Map<string, BoxContent>();
    const rid = (name: string): string => `router:${name}`;
    const nid = (name: string): string => `node:${name}`;
    const segmentOf = new Map<string, string>();
    for (const s of plan.nodeSubnets) for (const r of s.routers) if (!segmentOf.has(r)) segmentOf.set(r, s.name);
    const groupOf = (id: string): string => {
        if (id.startsWith("node:")) return plan.nodes.find((n) => nid(n.name) === id)?.subnet ?? "";
        return segmentOf.get(id.slice("router:".length)) ?? "";
    };

    const groups: ElkNode[] = [];
    const rootChildren: ElkNode[] = [];
    const rootEdges: ElkExtendedEdge[] = [];
    const segments = [...plan.nodeSubnets].sort((a, b) => (a.rack ?? "").localeCompare(b.rack ?? "", "en", { numeric: true }) || a.name.localeCompare(b.name));
    for (const seg of segments) {
        const header = [`${seg.rack ? `${seg.rack} · ` : ""}segment ${seg.name}`, `${seg.cidr} · Docker bridge ${seg.dockerGateway}`];
        const id = `segment:${seg.name}`;
        content.set(id, { kind: "segment", lines: header });
        const size = blockSize(header);
        const children: ElkNode[] = [];
        for (const r of plan.routers.filter((x) => segmentOf.get(x.name) === seg.name).sort((a, b) => a.id - b.id)) {
            content.set(rid(r.name), { kind: "router", lines: routerLines(r, plan) });
            children.push(shape(rid(r.name), routerLines(r, plan)));
        }
        for (const n of plan.nodes.filter((x) => x.subnet === seg.name).sort((a, b) => a.id - b.id)) {
            content.set(nid(n.name), { kind: "node", lines: nodeLines(n) });
            children.push(shape(nid(n.name), nodeLines(n)));
        }
        groups.push({
            id, children, edges: [],
            layoutOptions: {
                "elk.padding": `[top=${header.length * LINE_HEIGHT + 2 * PAD_Y + 10},left=12,bottom=12,right=12]`,
                "elk.nodeSize.constraints": "MINIMUM_SIZE",
                "elk.nodeSize.minimum": `(${size.width + 24}, ${size.height + 24})`,
            },
        });
    }
    for (const r of plan.routers.filter((x) => !segmentOf.has(x.name)).sort((a, b) => a.id - b.id)) {
        content.set(rid(r.name), { kind: "router", lines: routerLines(r, plan) });
        rootChildren.push(shape(rid(r.name), routerLines(r, plan)));
    }

    const nodeId = new Map(plan.nodes.map((x) => [x.name, x.id]));
    const routerId = new Map(plan.routers.map((x) => [x.name, x.id]));
    const edge = (id: string, from: string, to: string, lines: string[], ibgp: boolean): void => {
        content.set(id, { kind: "label", lines, ibgp });
        const e: ElkExtendedEdge = { id, sources: [from], targets: [to], labels: [{ id: `${id}:label`, text: lines.join("\n"), ...blockSize(lines), layoutOptions: { "elk.edgeLabels.inline": "true" } }] };
        const g = groupOf(from);
        const container = g !== "" && g === groupOf(to) ? groups.find((x) => x.id === `segment:${g}`) : undefined;
        (container ? (container.edges as ElkExtendedEdge[]) : rootEdges).push(e);
    };
    [...plan.routerSessions].sort((x, y) => (routerId.get(x.b) ?? 0) - (routerId.get(y.b) ?? 0) || (routerId.get(x.a) ?? 0) - (routerId.get(y.a) ?? 0))
        .forEach((s) => edge(`session:${s.b}:${s.a}`, rid(s.b), rid(s.a), routerSessionLines(s, m), false));
    [...plan.nodeSessions].sort((a, b) => (routerId.get(a.router) ?? 0) - (routerId.get(b.router) ?? 0) || (nodeId.get(a.node) ?? 0) - (nodeId.get(b.node) ?? 0)).forEach((s) => edge(`session:${s.router}:${s.node}`, rid(s.router), nid(s.node), nodeSessionLines(s, m), s.type === "ibgp"));

    const elk: ElkNode = {
        id: "root",
        layoutOptions: {
            "elk.algorithm": "layered",
            "elk.direction": "RIGHT",
            "elk.hierarchyHandling": "INCLUDE_CHILDREN",
            "elk.edgeRouting": "POLYLINE",
            "elk.json.shapeCoords": "ROOT",
            "elk.json.edgeCoords": "ROOT",
            "elk.spacing.nodeNode": "18",
            "elk.spacing.edgeLabel": "4",
            "elk.spacing.edgeNode": "12",
            "elk.spacing.labelNode": "8",
            "elk.layered.spacing.nodeNodeBetweenLayers": "36",
            "elk.layered.spacing.edgeNodeBetweenLayers": "12",
            "elk.layered.spacing.edgeEdgeBetweenLayers": "8",
            "elk.layered.considerModelOrder.strategy": "NODES_AND_EDGES",
            "elk.layered.crossingMinimization.forceNodeModelOrder": "true",
            "elk.edgeLabels.placement": "CENTER",
            "elk.edgeLabels.inline": "true",
            "elk.padding": "[top=0,left=0,bottom=0,right=0]",
            "elk.randomSeed": "1",
        },
        children: [...rootChildren, ...groups],
        edges: rootEdges,
    };
    return { elk, content };
}

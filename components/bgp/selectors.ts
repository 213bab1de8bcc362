/**
 * Node grouping and label selectors. Nodes that peer with the same routers, with the same ASNs,
 * share one BGP cluster config (or v1 peering policy); groups are selected by the rack label when
 * they are whole racks (Pulumi.dev.yaml: one leaf and ASN per rack), by hostname otherwise.
 */
import type { FabricConfig, LabelSelector, NodeConfig } from "../config/types";
import { allNodeSessions } from "../plan/dual";
import type { AddressPlan, NodeSession, PlannedNode } from "../plan/types";
import { RACK_LABEL } from "../cluster/names";

export const OS_LABEL = "kubernetes.io/os";
export const HOSTNAME_LABEL = "kubernetes.io/hostname";

/**
 * Selects every object: Cilium advertises nothing for a Service advertisement without a selector
 * (seed 000), and Kubernetes has no "match all" spelling, so: a label that is never set, NotIn.
 */
export const MATCH_ALL: LabelSelector = {
    matchExpressions: [{ key: "cilium-bgp-fabric.io/never-set", operator: "NotIn", values: ["never-used-value"] }],
};

/** The selector Cilium's Service advertisement uses (v1 serviceSelector or v2 advertisement selector). */
export const serviceAdvertisementSelector = (config: FabricConfig): LabelSelector => config.bgp.serviceAdvertisement.selector ?? MATCH_ALL;

export interface NodeGroup {
    /** "" for the whole cluster, else the rack(s) or node name; used in object names. */
    suffix: string;
    nodeSelector: LabelSelector;
    nodes: PlannedNode[];
    localAsn: number;
    /** The whole racks the group is made of ([] for a one-node group or the whole cluster). */
    racks: string[];
    /** The sessions of the group's first node (every node of a group has the same routers). */
    sessions: NodeSession[];
}

/** Labels the cluster gives a plan node (see components/cluster). */
export function nodeLabels(node: Pick<PlannedNode, "name" | "rack" | "labels">): Record<string, string> {
    const labels: Record<string, string> = { ...(node.labels ?? {}), [OS_LABEL]: "linux", [HOSTNAME_LABEL]: node.name };
    if (node.rack !== undefined) labels[RACK_LABEL] = node.rack;
    return labels;
}

/** Whether a configured node runs BGP: bgp.nodeSelector selects it (every node without one). */
export const runsBgp = (config: FabricConfig, node: NodeConfig): boolean =>
    config.bgp.nodeSelector === undefined || selectorMatches(config.bgp.nodeSelector, nodeLabels(node));

export function selectorMatches(sel: LabelSelector, labels: Record<string, string>): boolean {
    for (const [k, v] of Object.entries(sel.matchLabels ?? {})) if (labels[k] !== v) return false;
    for (const e of sel.matchExpressions ?? []) {
        const has = Object.prototype.hasOwnProperty.call(labels, e.key);
        const inValues = has && (e.values ?? []).includes(labels[e.key]);
        const ok = e.operator === "In" ? inValues : e.operator === "NotIn" ? !inValues
            : e.operator === "Exists" ? has : !has;
        if (!ok) return false;
    }
    return true;
}

const sessionKey = (s: NodeSession): string => [s.router, s.routerAddress, s.routerAsn, s.nodeAsn, s.type, s.family].join("|");

/** Both selectors must hold (label selectors AND their requirements). */
export function andSelectors(a: LabelSelector, b: LabelSelector | undefined): LabelSelector {
    if (!b) return a;
    const out: LabelSelector = {};
    const labels = { ...(a.matchLabels ?? {}), ...(b.matchLabels ?? {}) };
    if (Object.keys(labels).length > 0) out.matchLabels = labels;
    const exprs = [...(a.matchExpressions ?? []), ...(b.matchExpressions ?? [])];
    if (exprs.length > 0) out.matchExpressions = exprs;
    return out;
}

/** The racks of a group made of whole racks; [] for one-node and whole-cluster groups. */
export const groupRacks = (g: NodeGroup): string[] => g.racks;

/**
 * Nodes grouped by their sessions; only nodes with sessions (bgp.nodeSelector leaves the others
 * out of the plan's sessions). `only`: bgp.nodeSelector, ANDed into every group's selector (one
 * group: it replaces the kubernetes.io/os one).
 */
export function groupNodes(plan: AddressPlan, only?: LabelSelector): NodeGroup[] {
    const bySignature = new Map<string, PlannedNode[]>();
    // A dual stack: each node's sessions in both families (the IPv6 half's are its secondary's).
    const allSessions = allNodeSessions(plan);
    const speakers = new Set(allSessions.map((s) => s.node));
    for (const n of plan.nodes.filter((x) => speakers.has(x.name))) {
        const sig = allSessions.filter((s) => s.node === n.name).map(sessionKey).sort().join(";");
        bySignature.set(sig, [...(bySignature.get(sig) ?? []), n]);
    }
    const groups = [...bySignature.values()];
    const make = (suffix: string, nodeSelector: LabelSelector, nodes: PlannedNode[], racks: string[] = []): NodeGroup => ({
        suffix, nodeSelector, nodes, racks, localAsn: nodes[0].asn,
        sessions: allSessions.filter((s) => s.node === nodes[0].name),
    });
    const racksOf = (g: PlannedNode[]): string[] => [...new Set(g.map((n) => n.rack as string))].sort();
    if (groups.length === 1) {
        // One group: its racks are named only when it is exactly one rack (bgp.racks.<rack>.name applies).
        const one = groups[0].every((n) => n.rack !== undefined) && racksOf(groups[0]).length === 1 ? racksOf(groups[0]) : [];
        return [make("", only ?? { matchLabels: { [OS_LABEL]: "linux" } }, groups[0], one)];
    }
    const wholeRacks = groups.every((g) => {
        if (g.some((n) => n.rack === undefined)) return false;
        const racks = new Set(g.map((n) => n.rack));
        return plan.nodes.filter((n) => speakers.has(n.name) && n.rack !== undefined && racks.has(n.rack)).length === g.length;
    });
    if (wholeRacks) {
        return groups.map((g) => {
            const racks = racksOf(g);
            const sel: LabelSelector = racks.length === 1
                ? { matchLabels: { [RACK_LABEL]: racks[0] } }
                : { matchExpressions: [{ key: RACK_LABEL, operator: "In", values: racks }] };
            return make(racks.join("-"), andSelectors(sel, only), g, racks);
        });
    }
    // Groups that are not whole racks: one config per node.
    return plan.nodes.filter((x) => speakers.has(x.name)).map((n) => make(n.name, andSelectors({ matchLabels: { [HOSTNAME_LABEL]: n.name } }, only), [n]));
}

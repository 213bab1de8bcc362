/**
 * The BGP sessions the Cilium objects declare, as each node of the plan sees them: v2 cluster
 * configs (with their peer configs and node overrides) and v1 peering policies alike, with
 * Cilium's defaults for what is left unset.
 *
 * One reader for both checks: consistency.ts compares these sessions with the address plan on
 * every render; agreement.ts compares them with the routers' configuration. Pure: no Pulumi, and
 * nothing of the router side (the FRR / VyOS parsers live in agreement.ts).
 */
import type { LabelSelector } from "../config/types";
import type { K8sObject } from "../cilium/api";
import type { AddressPlan, PlannedNode } from "../plan/types";
import { nodeLabels, selectorMatches } from "./selectors";

export interface BgpTimers { keepalive: number; hold: number; connectRetry: number }

/** One session as a Cilium node sees it: the node, the router it peers with and the settings. */
export interface ClusterPeer {
    node: string;
    /** The object that declares it, e.g. "CiliumBGPClusterConfig/cilium-bgp-rack1". */
    source: string;
    /** The address the node speaks from: its planned address unless an override sets localAddress. */
    nodeAddress: string;
    localAsn: number;
    peerAddress: string;
    peerAsn: number;
    /** Name of the Secret holding the password; absent = no authentication. */
    authSecretRef?: string;
    timers: BgpTimers;
    ebgpMultihop: number;
    families: string[];
    /** The CiliumBGPPeerConfig the peer references (v2); absent for v1 and for a v2 peer without peerConfigRef. */
    peerConfig?: string;
}

/** Cilium's value for a timer a peer config (v2) or neighbor (v1) leaves out: the CRD defaults, in the CRD's field names. */
export const CILIUM_TIMER_DEFAULTS = { holdTimeSeconds: 90, keepAliveTimeSeconds: 30, connectRetryTimeSeconds: 120 } as const;
/** Cilium's families when none are given (from the API's SetDefaults). */
const CILIUM_DEFAULT_FAMILIES = ["ipv4-unicast", "ipv6-unicast"];

// ---- small helpers ---------------------------------------------------------------------------

type Rec = Record<string, unknown>;
const rec = (v: unknown): Rec => (typeof v === "object" && v !== null && !Array.isArray(v) ? (v as Rec) : {});
const recs = (v: unknown): Rec[] => (Array.isArray(v) ? v.map(rec) : []);
const str = (v: unknown): string | undefined => (typeof v === "string" ? v : undefined);

/** A number, or a string of digits as its number (configuration text); anything else is undefined. */
export const numberOf = (v: unknown): number | undefined =>
    (typeof v === "number" ? v : typeof v === "string" && /^\d+$/.test(v) ? Number(v) : undefined);
const num = numberOf;

/** A family as ClusterPeer.families (and the router side) spell it: "ipv4-unicast". */
export const familyKey = (afi: string, safi: string): string => `${afi}-${safi}`;

// ---- which objects select which nodes --------------------------------------------------------

/** The kinds that select nodes and declare their peers: v2 cluster configs and v1 peering policies. */
export const isPeeringConfig = (o: K8sObject): boolean => o.kind === "CiliumBGPClusterConfig" || o.kind === "CiliumBGPPeeringPolicy";

/** The plan nodes an object's spec.nodeSelector selects (no selector = every node). */
export const selectedNodes = (plan: AddressPlan, o: K8sObject): PlannedNode[] =>
    plan.nodes.filter((n) => selectorMatches(rec(rec(o.spec).nodeSelector) as LabelSelector, nodeLabels(n)));

/** Cilium applies one cluster config (or peering policy) per node; several selecting a node conflict. */
function checkOneConfigPerNode(objects: K8sObject[], plan: AddressPlan, problems: string[]): void {
    const by = new Map<string, string[]>();
    for (const o of objects.filter(isPeeringConfig)) {
        for (const n of selectedNodes(plan, o)) by.set(n.name, [...(by.get(n.name) ?? []), `${o.kind}/${o.metadata.name}`]);
    }
    for (const [node, srcs] of by) if (srcs.length > 1) problems.push(`node ${node} is selected by several BGP configs: ${srcs.join(", ")}`);
}

// ---- peer settings ---------------------------------------------------------------------------

interface PeerSettings { authSecretRef?: string; timers: BgpTimers; ebgpMultihop: number; families: string[]; peerConfig?: string }

function familiesOf(v: unknown): string[] {
    const list = recs(v).map((f) => familyKey(String(f.afi), String(f.safi)));
    return (list.length > 0 ? list : CILIUM_DEFAULT_FAMILIES).slice().sort();
}

/** Settings in the shape both APIs share: v2 PeerConfig spec (timers nested) or v1 neighbor (flat). */
function peerSettings(spec: Rec, timers: Rec, multihop: unknown): PeerSettings {
    const s: PeerSettings = {
        timers: {
            keepalive: num(timers.keepAliveTimeSeconds) ?? CILIUM_TIMER_DEFAULTS.keepAliveTimeSeconds,
            hold: num(timers.holdTimeSeconds) ?? CILIUM_TIMER_DEFAULTS.holdTimeSeconds,
            connectRetry: num(timers.connectRetryTimeSeconds) ?? CILIUM_TIMER_DEFAULTS.connectRetryTimeSeconds,
        },
        ebgpMultihop: num(multihop) ?? 1,
        families: familiesOf(spec.families),
    };
    const ref = str(spec.authSecretRef);
    if (ref !== undefined && ref !== "") s.authSecretRef = ref;
    return s;
}

/** A node's override of one BGP instance (v2 CiliumBGPNodeConfigOverride, named after the node). */
function overrideOf(objects: K8sObject[], node: string, instance: string): Rec | undefined {
    const o = objects.find((x) => x.kind === "CiliumBGPNodeConfigOverride" && x.metadata.name === node);
    return recs(rec(o?.spec).bgpInstances).find((i) => i.name === instance);
}

interface V2Context { objects: K8sObject[]; plan: AddressPlan; problems: string[] }

function v2PeerSettings(ctx: V2Context, source: string, peer: Rec): PeerSettings | undefined {
    const refName = str(rec(peer.peerConfigRef).name);
    // No reference: Cilium uses its defaults for every peer setting.
    if (refName === undefined) return peerSettings({}, {}, undefined);
    const pc = ctx.objects.find((o) => o.kind === "CiliumBGPPeerConfig" && o.metadata.name === refName);
    if (!pc) { ctx.problems.push(`${source}: peer ${String(peer.name)} references CiliumBGPPeerConfig ${refName}, which is not rendered`); return undefined; }
    const spec = rec(pc.spec);
    return { ...peerSettings(spec, rec(spec.timers), spec.ebgpMultihop), peerConfig: refName };
}

// ---- the peers -------------------------------------------------------------------------------

function v2Peers(ctx: V2Context, cc: K8sObject): ClusterPeer[] {
    const source = `${cc.kind}/${cc.metadata.name}`;
    const out: ClusterPeer[] = [];
    for (const inst of recs(rec(cc.spec).bgpInstances)) {
        for (const peer of recs(inst.peers)) {
            const settings = v2PeerSettings(ctx, source, peer);
            const peerAddress = str(peer.peerAddress);
            if (peerAddress === undefined) { ctx.problems.push(`${source}: peer ${String(peer.name)} has no peerAddress (auto-discovery is not checked)`); continue; }
            if (!settings) continue;
            for (const node of selectedNodes(ctx.plan, cc)) {
                const ov = overrideOf(ctx.objects, node.name, String(inst.name));
                const ovPeer = recs(ov?.peers).find((p) => p.name === peer.name);
                out.push({
                    node: node.name, source, nodeAddress: str(ovPeer?.localAddress) ?? node.address,
                    localAsn: num(ov?.localASN) ?? Number(inst.localASN), peerAddress, peerAsn: Number(peer.peerASN), ...settings,
                });
            }
        }
    }
    return out;
}

function v1Peers(plan: AddressPlan, policy: K8sObject): ClusterPeer[] {
    const source = `${policy.kind}/${policy.metadata.name}`;
    const out: ClusterPeer[] = [];
    for (const vr of recs(rec(policy.spec).virtualRouters)) {
        for (const nb of recs(vr.neighbors)) {
            const settings = peerSettings(nb, nb, nb.eBGPMultihopTTL);
            // v1 peer addresses are CIDRs (/32, /128).
            const peerAddress = String(nb.peerAddress).replace(/\/\d+$/, "");
            for (const node of selectedNodes(plan, policy)) {
                out.push({ node: node.name, source, nodeAddress: node.address, localAsn: Number(vr.localASN), peerAddress, peerAsn: Number(nb.peerASN), ...settings });
            }
        }
    }
    return out;
}

/**
 * Every peer each plan node declares, from v2 cluster configs and v1 peering policies alike.
 * Problems: a node selected by several configs, a peer config reference that does not resolve
 * and a v2 peer without peerAddress (those two peers are left out).
 */
export function clusterPeers(objects: K8sObject[], plan: AddressPlan, problems: string[] = []): ClusterPeer[] {
    checkOneConfigPerNode(objects, plan, problems);
    const ctx: V2Context = { objects, plan, problems };
    return objects.flatMap((o) => (o.kind === "CiliumBGPClusterConfig" ? v2Peers(ctx, o)
        : o.kind === "CiliumBGPPeeringPolicy" ? v1Peers(plan, o) : []));
}

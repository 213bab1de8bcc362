/**
 * Cross-check: every BGP session the cluster side declares must be a session of
 * plan.nodeSessions (which the routers are rendered from), and every planned session must be
 * declared. A peer one side has and the other lacks never comes up.
 */
import { allNodeSessions } from "../plan/dual";
import type { AddressPlan } from "../plan/types";
import type { K8sObject } from "../cilium/api";
import { clusterPeers, isPeeringConfig, selectedNodes } from "./peers";

interface Declared { node: string; routerAddress: string; routerAsn: number; nodeAsn: number; family: string; peerConfig?: string }

const key = (s: Declared): string => `${s.node} AS${s.nodeAsn} -> ${s.routerAddress} AS${s.routerAsn} (${s.family})`;
const familyOf = (addr: string): string => (addr.includes(":") ? "ipv6" : "ipv4");
const stripPrefix = (addr: string): string => addr.replace(/\/\d+$/, "");

/**
 * The sessions the objects declare, one per node and peer (clusterPeers). Problems: a config
 * that selects no node, plus clusterPeers' own (a node selected by several configs, a peer config
 * reference that does not resolve, a peer without peerAddress).
 */
export function declaredSessions(objects: K8sObject[], plan: AddressPlan, problems: string[] = []): Declared[] {
    for (const o of objects.filter(isPeeringConfig)) {
        if (selectedNodes(plan, o).length === 0) problems.push(`${o.kind}/${o.metadata.name} selects no node`);
    }
    return clusterPeers(objects, plan, problems).map((p): Declared => {
        const routerAddress = stripPrefix(p.peerAddress);
        const d: Declared = { node: p.node, routerAddress, routerAsn: p.peerAsn, nodeAsn: p.localAsn, family: familyOf(routerAddress) };
        if (p.peerConfig !== undefined) d.peerConfig = p.peerConfig;
        return d;
    });
}

/** Problems, empty when the declared sessions are exactly the planned ones. */
export function checkSessionsAgainstPlan(objects: K8sObject[], plan: AddressPlan): string[] {
    const problems: string[] = [];
    const declared = declaredSessions(objects, plan, problems);
    const planned = allNodeSessions(plan).map((s): Declared => ({
        node: s.node, routerAddress: s.routerAddress, routerAsn: s.routerAsn, nodeAsn: s.nodeAsn, family: s.family,
    }));
    const plannedKeys = new Set(planned.map(key));
    const declaredKeys = new Set(declared.map(key));
    for (const d of declared) if (!plannedKeys.has(key(d))) problems.push(`declared session not in the plan: ${key(d)}`);
    for (const p of planned) if (!declaredKeys.has(key(p))) problems.push(`planned session not declared: ${key(p)}`);
    if (declared.length !== declaredKeys.size) problems.push("a session is declared twice");

    // eBGP multihop only on peer configs of eBGP sessions (clusterPeers has checked that every reference resolves).
    const peerConfigs = new Map(objects.filter((o) => o.kind === "CiliumBGPPeerConfig").map((o) => [o.metadata.name, o]));
    const typeOf = new Map(allNodeSessions(plan).map((s) => [`${s.node}|${s.routerAddress}`, s.type]));
    for (const d of declared) {
        if (d.peerConfig === undefined) continue;
        if (peerConfigs.get(d.peerConfig)?.spec?.ebgpMultihop !== undefined && typeOf.get(`${d.node}|${d.routerAddress}`) === "ibgp") {
            problems.push(`${key(d)} is iBGP but its peer config ${d.peerConfig} sets ebgpMultihop`);
        }
    }
    return problems;
}

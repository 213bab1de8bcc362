/**
 * Cross-check: every BGP session the cluster side declares must be a session of
 * plan.nodeSessions (which the routers are rendered from), and every planned session must be
 * declared. A peer one side has and the other lacks never comes up.
 */
import type { LabelSelector } from "../config/types";
import type { AddressPlan } from "../plan/types";
import type { K8sObject } from "../cilium/api";
import { nodeLabels, selectorMatches } from "./selectors";

interface Declared { node: string; routerAddress: string; routerAsn: number; nodeAsn: number; family: string; peerConfig?: string }

const key = (s: Declared): string => `${s.node} AS${s.nodeAsn} -> ${s.routerAddress} AS${s.routerAsn} (${s.family})`;
const familyOf = (addr: string): string => (addr.includes(":") ? "ipv6" : "ipv4");
const stripPrefix = (addr: string): string => addr.replace(/\/\d+$/, "");

type Rec = Record<string, unknown>;
const arr = (v: unknown): Rec[] => (Array.isArray(v) ? (v as Rec[]) : []);

export function declaredSessions(objects: K8sObject[], plan: AddressPlan, problems: string[] = []): Declared[] {
    const out: Declared[] = [];
    const claimedBy = new Map<string, string>();
    for (const o of objects) {
        if (o.kind !== "CiliumBGPClusterConfig" && o.kind !== "CiliumBGPPeeringPolicy") continue;
        const spec = o.spec ?? {};
        const selector = (spec.nodeSelector ?? {}) as LabelSelector;
        const nodes = plan.nodes.filter((n) => selectorMatches(selector, nodeLabels(n)));
        if (nodes.length === 0) problems.push(`${o.kind}/${o.metadata.name} selects no node`);
        for (const n of nodes) {
            const prev = claimedBy.get(n.name);
            if (prev) problems.push(`node ${n.name} is selected by ${prev} and ${o.kind}/${o.metadata.name}`);
            claimedBy.set(n.name, `${o.kind}/${o.metadata.name}`);
        }
        const instances = arr(spec.bgpInstances ?? spec.virtualRouters);
        for (const inst of instances) {
            for (const p of arr(inst.peers ?? inst.neighbors)) {
                const address = stripPrefix(String(p.peerAddress));
                const ref = (p.peerConfigRef as Rec | undefined)?.name;
                for (const n of nodes) {
                    out.push({ node: n.name, routerAddress: address, routerAsn: Number(p.peerASN), nodeAsn: Number(inst.localASN),
                        family: familyOf(address), peerConfig: ref === undefined ? undefined : String(ref) });
                }
            }
        }
    }
    return out;
}

/** Problems, empty when the declared sessions are exactly the planned ones. */
export function checkSessionsAgainstPlan(objects: K8sObject[], plan: AddressPlan): string[] {
    const problems: string[] = [];
    const declared = declaredSessions(objects, plan, problems);
    const planned = plan.nodeSessions.map((s): Declared => ({
        node: s.node, routerAddress: s.routerAddress, routerAsn: s.routerAsn, nodeAsn: s.nodeAsn, family: s.family,
    }));
    const plannedKeys = new Set(planned.map(key));
    const declaredKeys = new Set(declared.map(key));
    for (const d of declared) if (!plannedKeys.has(key(d))) problems.push(`declared session not in the plan: ${key(d)}`);
    for (const p of planned) if (!declaredKeys.has(key(p))) problems.push(`planned session not declared: ${key(p)}`);
    if (declared.length !== declaredKeys.size) problems.push("a session is declared twice");

    // Peer configs: every reference resolves; eBGP multihop only on configs of eBGP sessions.
    const peerConfigs = new Map(objects.filter((o) => o.kind === "CiliumBGPPeerConfig").map((o) => [o.metadata.name, o]));
    const typeOf = new Map(plan.nodeSessions.map((s) => [`${s.node}|${s.routerAddress}`, s.type]));
    for (const d of declared) {
        if (d.peerConfig === undefined) continue;
        const pc = peerConfigs.get(d.peerConfig);
        if (!pc) { problems.push(`${key(d)} references missing CiliumBGPPeerConfig ${d.peerConfig}`); continue; }
        if (pc.spec?.ebgpMultihop !== undefined && typeOf.get(`${d.node}|${d.routerAddress}`) === "ibgp") {
            problems.push(`${key(d)} is iBGP but its peer config ${d.peerConfig} sets ebgpMultihop`);
        }
    }
    return problems;
}

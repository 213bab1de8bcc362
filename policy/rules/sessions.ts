/**
 * Rule 10: both sides of every BGP session agree. Each Cilium peer (ClusterConfig or v1
 * PeeringPolicy) has a router neighbor with the node's address, localASN and families, and each
 * router neighbor has a Cilium peer (or, between routers, the other router's neighbor) back.
 */
import type { StackValidationPolicy } from "@pulumi/policy";
import { nodeAddressIndex, routerAddressIndex, selects, type BgpClusterFact, type BgpPeerFact, type RouterFact } from "../facts";
import { addrKey, host } from "../util";
import { reportOn, stackFacts } from "./common";

interface NeighborGroup { key: string; address: string; asn?: number; families: Set<string> }
interface Session { bc: BgpClusterFact; localASN?: number; peer: BgpPeerFact; families?: string[]; router?: RouterFact }

function groups(r: RouterFact): Map<string, NeighborGroup> {
    const out = new Map<string, NeighborGroup>();
    for (const n of r.neighbors) {
        const key = addrKey(n.address);
        if (!key) continue;
        const g = out.get(key) ?? { key, address: n.address, asn: n.asn, families: new Set<string>() };
        if (n.family) g.families.add(n.family);
        out.set(key, g);
    }
    return out;
}

const sameSet = (a: Iterable<string>, b: Iterable<string>): boolean => {
    const x = new Set(a);
    const y = new Set(b);
    return x.size === y.size && [...x].every((v) => y.has(v));
};
const fmt = (s: Iterable<string>): string => [...s].sort().join("+") || "none";

export const sessionsSymmetric: StackValidationPolicy = {
    name: "bgp-sessions-symmetric",
    description: "Both sides of every BGP session agree: each Cilium peer has a router neighbor with the node's address, ASN and families, and each router neighbor has a matching Cilium peer or router neighbor.",
    enforcementLevel: "mandatory",
    validateStack: (args, report) => {
        const { facts } = stackFacts(args);
        if (facts.routers.length === 0) return;
        const routerIndex = routerAddressIndex(facts);
        const routerGroups = new Map(facts.routers.map((r) => [r, groups(r)] as const));
        const routerKeys = (r: RouterFact): Set<string> => new Set([...r.addresses, r.loopback].map(addrKey).filter((k) => k !== undefined));
        const nodeAddrs = nodeAddressIndex(facts);

        const sessions: Session[] = facts.bgpClusters.flatMap((bc) => bc.instances.flatMap((inst) => inst.peers.map((peer) => ({
            bc, localASN: inst.localASN, peer, router: routerIndex.get(addrKey(peer.address) ?? ""),
            families: bc.kind === "CiliumBGPClusterConfig" ? facts.peerConfigs.get(peer.peerConfig ?? "")?.families : peer.families,
        }))));
        const nodeGroups = (r: RouterFact): NeighborGroup[] => [...(routerGroups.get(r)?.values() ?? [])].filter((g) => !routerIndex.has(g.key));
        const checkFamilies = (s: Session, r: RouterFact, g: NeighborGroup, node: string): void => {
            if (s.families && g.families.size > 0 && !sameSet(s.families, g.families)) {
                reportOn(report, s.bc.ref, `peer ${s.peer.address} carries families ${fmt(s.families)} but router ${r.name} neighbor ${g.address} (${node}) activates ${fmt(g.families)}`);
            }
        };

        // Cluster side -> router side.
        for (const s of sessions) {
            const who = `peer ${s.peer.name ?? s.peer.address} (peerAddress ${s.peer.address}, peerASN ${s.peer.asn ?? "?"}, localASN ${s.localASN ?? "?"})`;
            const r = s.router;
            if (!r) { reportOn(report, s.bc.ref, `${who}: no router has address ${s.peer.address}`); continue; }
            if (s.peer.asn !== undefined && r.asn !== undefined && s.peer.asn !== r.asn) {
                reportOn(report, s.bc.ref, `${who}: router ${r.name} at that address has ASN ${r.asn}, not ${s.peer.asn}`);
            }
            // A fleet summary without neighbors leaves the router side unknown.
            if (!r.neighborsKnown) continue;
            const family = host(s.peer.address)?.family;
            const selection = facts.nodes.map((n) => ({ n, sel: selects(s.bc.nodeSelector, n.labels) }));
            if (facts.nodesKnown && selection.every((x) => x.sel !== undefined)) {
                for (const { n } of selection.filter((x) => x.sel)) {
                    const addr = n.addresses.find((a) => host(a)?.family === family);
                    if (!addr) continue;
                    const g = routerGroups.get(r)?.get(addrKey(addr) ?? "");
                    if (!g) reportOn(report, s.bc.ref, `${who}: router ${r.name} has no neighbor for node ${n.name} (${addr})`);
                    else if (s.localASN !== undefined && g.asn !== s.localASN) reportOn(report, s.bc.ref, `${who}: router ${r.name} expects node ${n.name} (${addr}) in ASN ${g.asn ?? "?"}, not ${s.localASN}`);
                    else checkFamilies(s, r, g, `node ${n.name}`);
                }
            } else {
                // Without nodes or their labels, the router must at least have node neighbors in localASN.
                const matching = nodeGroups(r).filter((g) => g.asn === s.localASN && host(g.address)?.family === family);
                if (matching.length === 0) reportOn(report, s.bc.ref, `${who}: router ${r.name} has no node neighbor in ASN ${s.localASN ?? "?"}`);
                for (const g of matching) checkFamilies(s, r, g, "node");
            }
        }

        // Router side -> cluster side (and router <-> router).
        for (const r of facts.routers) {
            for (const g of routerGroups.get(r)?.values() ?? []) {
                const who = `router ${r.name} neighbor ${g.address} (ASN ${g.asn ?? "?"})`;
                const other = routerIndex.get(g.key);
                if (other) {
                    if (other === r) continue;
                    if (g.asn !== undefined && other.asn !== undefined && g.asn !== other.asn) reportOn(report, r.ref, `${who}: that address is router ${other.name}, whose ASN is ${other.asn}`);
                    const mine = routerKeys(r);
                    const back = [...(routerGroups.get(other)?.values() ?? [])].find((x) => mine.has(x.key));
                    if (!back && other.neighborsKnown) reportOn(report, r.ref, `${who}: router ${other.name} has no neighbor back to router ${r.name}`);
                    else if (back && back.asn !== undefined && r.asn !== undefined && back.asn !== r.asn) reportOn(report, r.ref, `${who}: router ${other.name} expects router ${r.name} in ASN ${back.asn}, not ${r.asn}`);
                    continue;
                }
                const node = nodeAddrs.get(g.key)?.node;
                // An address that is no planned node is rule bgp-peer-addresses-planned's to report.
                if (facts.nodesKnown && !node) continue;
                const family = host(g.address)?.family;
                const candidates = sessions.filter((s) => s.router === r && host(s.peer.address)?.family === family
                    && (node ? selects(s.bc.nodeSelector, node.labels) !== false : s.localASN === g.asn));
                if (candidates.length === 0) {
                    reportOn(report, r.ref, `${who}: no Cilium peer ${node ? `of node ${node.name} ` : `in ASN ${g.asn ?? "?"} `}has router ${r.name} as peerAddress`);
                }
            }
        }
    },
};


/**
 * Rule 8: on IPv6-only stacks every node gets a 32-bit router ID (Cilium cannot derive one from
 * an IPv4 address), by the mechanism its Cilium line supports; no two speakers share one.
 */
import type { StackValidationPolicy } from "@pulumi/policy";
import { containsAddress } from "../../components/plan/addr";
import { ipFamilySchema } from "../config";
import type { Facts, Ref } from "../facts";
import { host, prefix } from "../util";
import { reportOn, stackFacts } from "./common";

/** Router IDs a node gets from overrides (v2) or annotations (v1), with where each came from. */
function nodeIds(facts: Facts, node: string, annotationsApply: boolean): { id: string; ref: Ref; via: string }[] {
    const out: { id: string; ref: Ref; via: string }[] = [];
    for (const o of facts.nodeOverrides.filter((x) => x.node === node)) {
        for (const i of o.instances) if (i.routerID) out.push({ id: i.routerID, ref: o.ref, via: `CiliumBGPNodeConfigOverride instance ${i.name ?? "?"}` });
    }
    if (annotationsApply) {
        for (const p of facts.nodePatches.filter((x) => x.node === node)) {
            for (const vr of p.virtualRouters) if (vr.routerId) out.push({ id: vr.routerId, ref: p.ref, via: `annotation ${vr.key}` });
        }
    }
    return out;
}

export const routerIds: StackValidationPolicy = {
    name: "bgp-router-ids",
    description: "On IPv6-only stacks every node gets a BGP router ID (NodeConfigOverride on 1.16/1.17, the bgp-virtual-router annotation on v1, or routerIDAllocation ip-pool on 1.18+); no two speakers share a router ID.",
    enforcementLevel: "mandatory",
    configSchema: ipFamilySchema,
    validateStack: (args, report) => {
        const { facts } = stackFacts(args);
        const c = facts.cilium;
        const line = c?.line;
        const atLeast = (major: number, minor: number): boolean => line !== undefined && (line[0] > major || (line[0] === major && line[1] >= minor));
        const ipPoolMode = c?.routerIdMode === "ip-pool";
        if (c && ipPoolMode && line !== undefined && !atLeast(1, 18)) {
            reportOn(report, c.ref, `bgpControlPlane.routerIDAllocation.mode ip-pool needs Cilium 1.18 or later (chart version ${c.version})`);
        }
        const pool = ipPoolMode ? prefix(c?.routerIdPool) : undefined;
        if (c && ipPoolMode && (pool === undefined || pool.family !== "ipv4")) {
            reportOn(report, c.ref, `bgpControlPlane.routerIDAllocation.ipPool ${c.routerIdPool ?? "(unset)"} is not an IPv4 prefix`);
        }
        const poolCovers = ipPoolMode && pool?.family === "ipv4" && (line === undefined || atLeast(1, 18));
        // v1 annotations stop mattering once CiliumBGPPeeringPolicy is gone (1.19).
        const annotationsApply = line === undefined || !atLeast(1, 19);

        // Speakers and their IDs: routers from the fleet summary, nodes from overrides/annotations.
        const speakers: { who: string; id: string; ref: Ref }[] = [];
        for (const r of facts.routers) {
            if (!r.routerId) continue;
            speakers.push({ who: `router ${r.name}`, id: r.routerId, ref: r.ref });
            if (pool && host(r.routerId) && containsAddress(pool, "ipv4", host(r.routerId)?.value ?? 0n)) {
                reportOn(report, r.ref, `router ${r.name} router ID ${r.routerId} lies in Cilium's router ID pool ${c?.routerIdPool}, from which a node may get the same ID`);
            }
        }
        const nodeNames = new Set([...facts.nodes.map((n) => n.name), ...facts.nodeOverrides.map((o) => o.node), ...facts.nodePatches.map((p) => p.node)]);
        for (const node of nodeNames) {
            const ids = nodeIds(facts, node, annotationsApply);
            // One speaker per node: its instances may repeat the same ID.
            for (const id of new Set(ids.map((i) => i.id))) speakers.push({ who: `node ${node}`, id, ref: ids.find((i) => i.id === id)?.ref ?? ids[0].ref });
        }
        for (const s of speakers) {
            const h = host(s.id);
            if (!h || h.family !== "ipv4" || h.value === 0n) reportOn(report, s.ref, `${s.who} router ID ${s.id} is not a non-zero dotted-quad IPv4 value`);
        }
        const byId = new Map<string, typeof speakers>();
        for (const s of speakers) byId.set(s.id, [...(byId.get(s.id) ?? []), s]);
        for (const [id, list] of byId) {
            const who = [...new Set(list.map((s) => s.who))];
            if (who.length > 1) reportOn(report, list[1].ref, `router ID ${id} is shared by ${who.join(" and ")}`);
        }

        if (facts.family?.value !== "ipv6" || poolCovers) return;
        const how = atLeast(1, 18) ? "set bgpControlPlane.routerIDAllocation.mode ip-pool or a CiliumBGPNodeConfigOverride routerID"
            : line !== undefined && !atLeast(1, 16) ? "annotate the node cilium.io/bgp-virtual-router.<ASN>=router-id=A.B.C.D"
            : "add a CiliumBGPNodeConfigOverride with routerID";
        const target = c?.ref ?? facts.bgpClusters[0]?.ref;
        if (facts.nodesKnown) {
            for (const n of facts.nodes) {
                const ids = nodeIds(facts, n.name, annotationsApply);
                if (ids.length === 0) {
                    const msg = `node ${n.name} gets no BGP router ID on an IPv6-only stack (Cilium ${c?.version ?? "version unknown"}): ${how}`;
                    if (target) reportOn(report, target, msg);
                    else report(msg);
                }
            }
        } else if (speakers.every((s) => !s.who.startsWith("node ")) && (c || facts.bgpClusters.length > 0)) {
            const msg = `no node gets a BGP router ID on an IPv6-only stack (Cilium ${c?.version ?? "version unknown"}): ${how}`;
            if (target) reportOn(report, target, msg);
            else report(msg);
        }
        // An override whose instance names match no cluster instance configures nothing.
        const instanceNames = new Set(facts.bgpClusters.filter((b) => b.kind === "CiliumBGPClusterConfig").flatMap((b) => b.instances.map((i) => i.name)).filter((n) => n !== undefined));
        if (instanceNames.size > 0) {
            for (const o of facts.nodeOverrides) {
                for (const i of o.instances) {
                    if (i.name !== undefined && !instanceNames.has(i.name)) reportOn(report, o.ref, `instance ${i.name} (routerID ${i.routerID ?? "unset"}) matches no bgpInstances name of a CiliumBGPClusterConfig (${[...instanceNames].join(", ")})`);
                }
            }
        }
    },
};

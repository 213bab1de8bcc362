/**
 * Pure renderings of the address plan for people: the addressing table (seed 000 style),
 * a Mermaid topology for pull requests (the SVG drawing is components/topology/).
 */
import type { AddressPlan, PlannedNode, PlannedRouter } from "./types";

export function renderAddressPlanMarkdown(stack: string, plan: AddressPlan): string {
    const title = plan.secondary ? "dual stack: IPv4 and IPv6" : plan.family === "ipv6" ? "IPv6-only" : "IPv4";
    const lines = [
        `# Address plan: ${stack} (${title})`,
        "",
        "| Prefix | Role | Use | Source |",
        "|---|---|---|---|",
        ...plan.allocations.map((a) => `| ${a.prefix} | ${a.role} | ${a.use} | ${a.source} |`),
        "",
        ...halfTables(plan, ""),
    ];
    // A dual stack: the IPv6 half's routers, nodes and sessions (same names and ids, its own addresses).
    if (plan.secondary) lines.push(...halfTables(plan.secondary, " (IPv6 half)"));
    return lines.join("\n");
}

function halfTables(plan: AddressPlan, suffix: string): string[] {
    return [
        `## Routers${suffix}`,
        "",
        "| Router | Role | Rack | ASN | Router ID | Loopback | Interfaces |",
        "|---|---|---|---|---|---|---|",
        ...plan.routers.map((r) => `| ${r.name} | ${r.role} (${r.flavour}) | ${r.rack ?? ""} | ${r.asn} | ${r.routerId} | ${r.loopback} | ${r.interfaces.map((i) => `${i.network}: ${i.address}/${i.prefixLength}`).join("<br>")} |`),
        "",
        `## Nodes${suffix}`,
        "",
        "| Node | Role | Rack | ASN | Address | Gateways | Pod CIDR | Router ID |",
        "|---|---|---|---|---|---|---|---|",
        ...plan.nodes.map((n) => `| ${n.name} | ${n.role} | ${n.rack ?? ""} | ${n.asn} | ${n.address}/${n.prefixLength} | ${n.gateways.join("<br>")} | ${n.podCidr} | ${n.routerId} |`),
        "",
        `## BGP sessions${suffix}`,
        "",
        "| Router | Router address | Router ASN | Peer | Peer address | Peer ASN | Type |",
        "|---|---|---|---|---|---|---|",
        ...plan.routerSessions.map((s) => `| ${s.b} | ${s.bAddress} | ${s.bAsn} | ${s.a} | ${s.aAddress} | ${s.aAsn} | eBGP (fabric) |`),
        ...plan.nodeSessions.map((s) => `| ${s.router} | ${s.routerAddress} | ${s.routerAsn} | ${s.node} | ${s.nodeAddress} | ${s.nodeAsn} | ${s.type === "ibgp" ? "iBGP" : "eBGP"}${s.routeReflectorClient ? " (RR client)" : ""} |`),
        "",
    ];
}

const mermaidId = (kind: string, name: string): string => `${kind}_${name.replace(/[^A-Za-z0-9_]/g, "_")}`;

export function renderTopologyMermaid(stack: string, plan: AddressPlan): string {
    const out = [`# Topology: ${stack}`, "", "```mermaid", "flowchart TB"];
    const routerLabel = (r: PlannedRouter): string => `${r.name}<br/>${r.role} ${r.flavour}<br/>AS${r.asn}<br/>id ${r.routerId}`;
    const nodeLabel = (n: PlannedNode): string => `${n.name}<br/>AS${n.asn}<br/>${n.address}`;
    for (const r of plan.routers.filter((x) => x.role === "spine")) out.push(`  ${mermaidId("r", r.name)}["${routerLabel(r)}"]`);
    const racks = [...new Set(plan.nodes.map((n) => n.rack ?? ""))].sort();
    for (const rack of racks) {
        const inRack = plan.nodes.filter((n) => (n.rack ?? "") === rack);
        const routers = plan.routers.filter((r) => r.role !== "spine" && (r.rack ?? "") === rack);
        if (rack) out.push(`  subgraph ${mermaidId("rack", rack)}["${rack}"]`);
        for (const r of routers) out.push(`    ${mermaidId("r", r.name)}["${routerLabel(r)}"]`);
        for (const n of inRack) out.push(`    ${mermaidId("n", n.name)}(["${nodeLabel(n)}"])`);
        if (rack) out.push("  end");
    }
    for (const r of plan.routers.filter((x) => x.role !== "spine" && x.rack !== undefined && !racks.includes(x.rack))) {
        out.push(`  ${mermaidId("r", r.name)}["${routerLabel(r)}"]`);
    }
    for (const s of plan.routerSessions) out.push(`  ${mermaidId("r", s.b)} ---|"eBGP ${s.bAddress} - ${s.aAddress}"| ${mermaidId("r", s.a)}`);
    for (const s of plan.nodeSessions) out.push(`  ${mermaidId("r", s.router)} ---|"${s.type === "ibgp" ? "iBGP" : "eBGP"} ${s.routerAddress} - ${s.nodeAddress}"| ${mermaidId("n", s.node)}`);
    out.push("```", "");
    return out.join("\n");
}

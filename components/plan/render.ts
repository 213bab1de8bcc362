/**
 * Pure renderings of the address plan for people: the addressing table (seed 000 style),
 * a Mermaid topology for pull requests, and a standalone SVG drawing.
 */
import type { AddressPlan, PlannedNode, PlannedRouter } from "./types";

export function renderAddressPlanMarkdown(stack: string, plan: AddressPlan): string {
    const lines = [
        `# Address plan: ${stack} (${plan.family === "ipv6" ? "IPv6-only" : "IPv4"})`,
        "",
        "| Prefix | Role | Use | Source |",
        "|---|---|---|---|",
        ...plan.allocations.map((a) => `| ${a.prefix} | ${a.role} | ${a.use} | ${a.source} |`),
        "",
        "## Routers",
        "",
        "| Router | Role | Rack | ASN | Router ID | Loopback | Interfaces |",
        "|---|---|---|---|---|---|---|",
        ...plan.routers.map((r) => `| ${r.name} | ${r.role} (${r.flavour}) | ${r.rack ?? ""} | ${r.asn} | ${r.routerId} | ${r.loopback} | ${r.interfaces.map((i) => `${i.network}: ${i.address}/${i.prefixLength}`).join("<br>")} |`),
        "",
        "## Nodes",
        "",
        "| Node | Role | Rack | ASN | Address | Gateway | Pod CIDR | Router ID |",
        "|---|---|---|---|---|---|---|---|",
        ...plan.nodes.map((n) => `| ${n.name} | ${n.role} | ${n.rack ?? ""} | ${n.asn} | ${n.address}/${n.prefixLength} | ${n.gateway} | ${n.podCidr} | ${n.routerId} |`),
        "",
        "## BGP sessions",
        "",
        "| Router | Router address | Router ASN | Peer | Peer address | Peer ASN | Type |",
        "|---|---|---|---|---|---|---|",
        ...plan.routerSessions.map((s) => `| ${s.b} | ${s.bAddress} | ${s.bAsn} | ${s.a} | ${s.aAddress} | ${s.aAsn} | eBGP (fabric) |`),
        ...plan.nodeSessions.map((s) => `| ${s.router} | ${s.routerAddress} | ${s.routerAsn} | ${s.node} | ${s.nodeAddress} | ${s.nodeAsn} | ${s.type === "ibgp" ? "iBGP" : "eBGP"}${s.routeReflectorClient ? " (RR client)" : ""} |`),
        "",
    ];
    return lines.join("\n");
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
    for (const s of plan.nodeSessions) out.push(`  ${mermaidId("r", s.router)} ---|"${s.type === "ibgp" ? "iBGP" : "eBGP"} ${s.routerAddress}"| ${mermaidId("n", s.node)}`);
    out.push("```", "");
    return out.join("\n");
}

const esc = (s: string): string => s.replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;").replace(/"/g, "&quot;");

/** A layered drawing: spines on top, ToRs/leaves/edges in the middle, nodes (by rack) below. */
export function renderTopologySvg(stack: string, plan: AddressPlan): string {
    const boxW = 190;
    const boxH = 58;
    const gap = 20;
    const rows: { y: number; items: { key: string; lines: string[]; kind: "router" | "node" }[] }[] = [];
    const spines = plan.routers.filter((r) => r.role === "spine");
    const middle = plan.routers.filter((r) => r.role !== "spine").sort((a, b) => (a.rack ?? "").localeCompare(b.rack ?? "") || a.id - b.id);
    const nodes = [...plan.nodes].sort((a, b) => (a.rack ?? "").localeCompare(b.rack ?? "") || a.id - b.id);
    const routerLines = (r: PlannedRouter): string[] => [`${r.name} (${r.role}, ${r.flavour})`, `AS${r.asn}  id ${r.routerId}`, r.interfaces[0]?.address ?? r.loopback];
    if (spines.length) rows.push({ y: 60, items: spines.map((r) => ({ key: `r:${r.name}`, lines: routerLines(r), kind: "router" })) });
    rows.push({ y: rows.length ? 220 : 60, items: middle.map((r) => ({ key: `r:${r.name}`, lines: routerLines(r), kind: "router" })) });
    rows.push({ y: rows[rows.length - 1].y + 160, items: nodes.map((n) => ({ key: `n:${n.name}`, lines: [`${n.name}${n.rack ? ` (${n.rack})` : ""}`, `AS${n.asn}  id ${n.routerId}`, n.address], kind: "node" })) });
    const widest = Math.max(...rows.map((r) => r.items.length));
    const width = Math.max(640, widest * (boxW + gap) + gap);
    const height = rows[rows.length - 1].y + boxH + 50;
    const pos = new Map<string, { x: number; y: number }>();
    for (const row of rows) {
        const rowW = row.items.length * (boxW + gap) - gap;
        row.items.forEach((it, i) => pos.set(it.key, { x: (width - rowW) / 2 + i * (boxW + gap), y: row.y }));
    }
    const svg: string[] = [
        `<svg xmlns="http://www.w3.org/2000/svg" width="${width}" height="${height}" viewBox="0 0 ${width} ${height}" font-family="monospace" font-size="11">`,
        `<title>${esc(`${stack}: ${plan.family === "ipv6" ? "IPv6-only" : "IPv4"} fabric`)}</title>`,
        `<rect width="${width}" height="${height}" fill="#ffffff"/>`,
        `<text x="${gap}" y="28" font-size="15" font-weight="bold">${esc(`${stack}: ${plan.aggregate} (${plan.family === "ipv6" ? "IPv6-only" : "IPv4"})`)}</text>`,
    ];
    const edge = (a: string, b: string, label: string, ibgp: boolean): void => {
        const pa = pos.get(a);
        const pb = pos.get(b);
        if (!pa || !pb) return;
        const x1 = pa.x + boxW / 2;
        const y1 = pa.y + boxH;
        const x2 = pb.x + boxW / 2;
        const y2 = pb.y;
        svg.push(`<line x1="${x1}" y1="${y1}" x2="${x2}" y2="${y2}" stroke="${ibgp ? "#2b7a2b" : "#1f4e9c"}" stroke-width="1.2"${ibgp ? ` stroke-dasharray="5,3"` : ""}><title>${esc(label)}</title></line>`);
    };
    for (const s of plan.routerSessions) edge(`r:${s.b}`, `r:${s.a}`, `eBGP ${s.b} ${s.bAddress} AS${s.bAsn} - ${s.a} ${s.aAddress} AS${s.aAsn}`, false);
    for (const s of plan.nodeSessions) edge(`r:${s.router}`, `n:${s.node}`, `${s.type} ${s.router} ${s.routerAddress} AS${s.routerAsn} - ${s.node} ${s.nodeAddress} AS${s.nodeAsn}`, s.type === "ibgp");
    for (const row of rows) {
        for (const it of row.items) {
            const p = pos.get(it.key) ?? { x: 0, y: 0 };
            svg.push(`<rect x="${p.x}" y="${p.y}" width="${boxW}" height="${boxH}" rx="${it.kind === "node" ? 12 : 3}" fill="${it.kind === "node" ? "#eef6ee" : "#e8eef9"}" stroke="#333"/>`);
            it.lines.forEach((l, i) => svg.push(`<text x="${p.x + 8}" y="${p.y + 17 + i * 15}"${i === 0 ? ` font-weight="bold"` : ""}>${esc(l)}</text>`));
        }
    }
    svg.push(`<text x="${gap}" y="${height - 16}" fill="#555">solid: eBGP, dashed: iBGP. Hover a line for both ends' addresses and ASNs.</text>`, "</svg>", "");
    return svg.join("\n");
}

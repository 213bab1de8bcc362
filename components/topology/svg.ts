/**
 * The topology picture (out/<stack>/topology.svg): ELK lays out the graph of graph.ts, this
 * draws it. Every box is a `<g class="box <kind>">` holding its rectangle and its text lines, so
 * that a test can check that no boxes overlap and no text leaves its box or the canvas. The
 * layout is deterministic (ELK's layered algorithm with a fixed seed and the plan's order).
 */
import ELK from "elkjs/lib/elk.bundled.js";
import type { ElkExtendedEdge, ElkNode } from "elkjs/lib/elk-api";
import type { AddressPlan } from "../plan/types";
import { type BoxContent, type SessionMarks, topologyGraph } from "./graph";
import { FONT_SIZE, LINE_HEIGHT, PAD_X, PAD_Y, TITLE_FONT_SIZE, blockSize, textWidth } from "./text";

export type { SessionMarks } from "./graph";

const MARGIN = 20;
const GAP = 16;
const esc = (s: string): string => s.replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;").replace(/"/g, "&quot;");
const n = (v: number): string => String(Math.round(v * 10) / 10);

const STYLE: Record<BoxContent["kind"], { fill: string; stroke: string; rx: number }> = {
    router: { fill: "#e8eef9", stroke: "#1f3f7a", rx: 3 },
    node: { fill: "#eef6ee", stroke: "#2b6a2b", rx: 10 },
    segment: { fill: "#fbfaf3", stroke: "#8a8468", rx: 6 },
    label: { fill: "#ffffff", stroke: "#c8c8c8", rx: 2 },
};

interface Box { kind: BoxContent["kind"] | "info" | "legend"; x: number; y: number; width: number; height: number; lines: string[]; bold: number[] }

function drawBox(b: Box): string[] {
    const s = b.kind === "info" || b.kind === "legend" ? { fill: "#f6f6f6", stroke: "#999999", rx: 4 } : STYLE[b.kind];
    const out = [`<g class="box ${b.kind}">`, `<rect x="${n(b.x)}" y="${n(b.y)}" width="${n(b.width)}" height="${n(b.height)}" rx="${s.rx}" fill="${s.fill}" stroke="${s.stroke}"/>`];
    b.lines.forEach((l, i) => out.push(`<text x="${n(b.x + PAD_X)}" y="${n(b.y + PAD_Y + (i + 1) * LINE_HEIGHT - 3)}" font-size="${FONT_SIZE}"${b.bold.includes(i) ? ` font-weight="bold"` : ""}>${esc(l)}</text>`));
    out.push("</g>");
    return out;
}

function infoLines(stack: string, plan: AddressPlan): string[] {
    const family = plan.family === "ipv6" ? "IPv6-only" : "IPv4";
    return [
        `pods ${plan.podCidr} (a /${plan.podMaskSize} per node) · services ${plan.serviceCidr}`,
        `LoadBalancer pools: ${plan.lbPools.map((p) => `${p.name} ${p.cidr}`).join(", ") || "none"}`,
        [`loopbacks ${plan.loopbacks}`, ...(plan.links ? [`links ${plan.links}`] : []), ...(plan.family === "ipv6" ? [`router IDs ${plan.routerIdPool}`] : [])].join(" · "),
        `${plan.routers.length} routers, ${plan.nodes.length} nodes, ${plan.nodeSessions.length + plan.routerSessions.length} BGP sessions (${family}${plan.ecmp ? ", ECMP" : ""})`,
    ].filter((l) => l.length > 0 && stack.length >= 0);
}

const LEGEND = [
    "blue solid line: eBGP session · green dashed line: iBGP session (RR client: the router reflects routes to it)",
    "session label: first address at the left end <-> address at the right end · MD5: TCP-MD5 password · multihop N: eBGP TTL",
];

export async function renderTopologySvg(stack: string, plan: AddressPlan, marks: SessionMarks): Promise<string> {
    const { elk: graph, content } = topologyGraph(plan, marks);
    const laid = await new ELK().layout(graph);

    const title = `${stack}: ${plan.family === "ipv6" ? "IPv6-only" : "IPv4"} fabric, ${plan.aggregates.length > 1 ? `aggregates ${plan.aggregates.join(", ")}` : `aggregate ${plan.aggregate}`}`;
    const info = infoLines(stack, plan);
    const infoSize = blockSize(info);
    const titleHeight = TITLE_FONT_SIZE + 10;
    const top = MARGIN + titleHeight + infoSize.height + GAP;
    const boxes: Box[] = [{ kind: "info", x: MARGIN, y: MARGIN + titleHeight, ...infoSize, lines: info, bold: [] }];
    const edges: string[] = [];

    const visit = (node: ElkNode): void => {
        for (const c of node.children ?? []) {
            const body = content.get(c.id);
            if (body) boxes.push({ kind: body.kind, x: MARGIN + (c.x ?? 0), y: top + (c.y ?? 0), width: c.width ?? 0, height: c.height ?? 0, lines: body.lines, bold: [0] });
            visit(c);
        }
        for (const e of (node.edges ?? []) as ElkExtendedEdge[]) {
            const body = content.get(e.id);
            for (const s of e.sections ?? []) {
                const pts = [s.startPoint, ...(s.bendPoints ?? []), s.endPoint].map((p) => `${n(MARGIN + p.x)},${n(top + p.y)}`).join(" ");
                edges.push(`<polyline points="${pts}" fill="none" stroke="${body?.ibgp ? "#2b7a2b" : "#1f4e9c"}" stroke-width="1.2"${body?.ibgp ? ` stroke-dasharray="5,3"` : ""}/>`);
            }
            for (const l of e.labels ?? []) {
                if (body) boxes.push({ kind: "label", x: MARGIN + (l.x ?? 0), y: top + (l.y ?? 0), width: l.width ?? 0, height: l.height ?? 0, lines: body.lines, bold: [] });
            }
        }
    };
    visit(laid);

    const graphBottom = Math.max(top, ...boxes.map((b) => b.y + b.height));
    const legendSize = blockSize(LEGEND);
    boxes.push({ kind: "legend", x: MARGIN, y: graphBottom + GAP, ...legendSize, lines: LEGEND, bold: [] });
    const width = Math.ceil(Math.max(textWidth(title, TITLE_FONT_SIZE), ...boxes.map((b) => b.x + b.width - MARGIN)) + 2 * MARGIN);
    const height = Math.ceil(graphBottom + GAP + legendSize.height + MARGIN);

    const groups = boxes.filter((b) => b.kind === "segment");
    const rest = boxes.filter((b) => b.kind !== "segment");
    return [
        `<svg xmlns="http://www.w3.org/2000/svg" width="${width}" height="${height}" viewBox="0 0 ${width} ${height}" font-family="DejaVu Sans Mono, monospace" font-size="${FONT_SIZE}">`,
        `<title>${esc(title)}</title>`,
        `<rect width="${width}" height="${height}" fill="#ffffff"/>`,
        `<text x="${MARGIN}" y="${MARGIN + TITLE_FONT_SIZE}" font-size="${TITLE_FONT_SIZE}" font-weight="bold">${esc(title)}</text>`,
        // Groups first (behind), then session lines, then routers, nodes and labels on top.
        ...groups.flatMap(drawBox),
        ...edges,
        ...rest.flatMap(drawBox),
        "</svg>",
        "",
    ].join("\n");
}

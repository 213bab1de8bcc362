import * as assert from "node:assert/strict";
import { spawnSync } from "child_process";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { loadStack, rawConfigOfStack } from "../config";
import { readStackConfig } from "../config/stackfile";
import { fixtureConfig } from "../plan/fixtures";
import type { AddressPlan } from "../plan/types";
import { renderTopologySvg } from "./svg";

const ROOT = path.resolve(__dirname, "../..");
// Conservative glyph advance of a monospace font (DejaVu Sans Mono is 0.602 em), ascent and descent.
const EM = 0.62;
const ASCENT = 0.8;
const DESCENT = 0.25;

interface Rect { x: number; y: number; w: number; h: number }
interface Box extends Rect { kind: string; texts: { text: string; box: Rect }[] }

const num = (attrs: string, name: string): number => {
    const m = new RegExp(`\\b${name}="([-\\d.]+)"`).exec(attrs);
    if (!m) throw new Error(`no ${name} in ${attrs}`);
    return Number(m[1]);
};
const unesc = (s: string): string => s.replace(/&lt;/g, "<").replace(/&gt;/g, ">").replace(/&quot;/g, "\"").replace(/&amp;/g, "&");

/** Every box of the drawing with its text lines' estimated extents (read from the SVG, not from the renderer). */
function parse(svg: string): { canvas: Rect; boxes: Box[]; looseTexts: string[]; text: string } {
    const root = /<svg [^>]*>/.exec(svg)?.[0] ?? "";
    const canvas = { x: 0, y: 0, w: num(root, "width"), h: num(root, "height") };
    const fontOf = (attrs: string): number => (/font-size="(\d+)"/.exec(attrs) ? Number(/font-size="(\d+)"/.exec(attrs)?.[1]) : 11);
    const textRect = (attrs: string, text: string): Rect => {
        const fs = fontOf(attrs);
        return { x: num(attrs, "x"), y: num(attrs, "y") - ASCENT * fs, w: [...text].length * EM * fs, h: (ASCENT + DESCENT) * fs };
    };
    const boxes: Box[] = [];
    for (const g of svg.matchAll(/<g class="box ([a-z]+)">\n<rect ([^>]*)\/>\n((?:<text [^>]*>[^<]*<\/text>\n)*)<\/g>/g)) {
        const r = g[2];
        boxes.push({
            kind: g[1], x: num(r, "x"), y: num(r, "y"), w: num(r, "width"), h: num(r, "height"),
            texts: [...g[3].matchAll(/<text ([^>]*)>([^<]*)<\/text>/g)].map((t) => ({ text: unesc(t[2]), box: textRect(t[1], unesc(t[2])) })),
        });
    }
    const inBoxes = boxes.reduce((n, b) => n + b.texts.length, 0);
    const allTexts = [...svg.matchAll(/<text ([^>]*)>([^<]*)<\/text>/g)];
    const looseTexts = allTexts.slice(0, allTexts.length - inBoxes).map((t) => unesc(t[2]));
    return { canvas, boxes, looseTexts, text: allTexts.map((t) => unesc(t[2])).join("\n") };
}

const inside = (a: Rect, b: Rect): boolean => a.x >= b.x - 0.05 && a.y >= b.y - 0.05 && a.x + a.w <= b.x + b.w + 0.05 && a.y + a.h <= b.y + b.h + 0.05;
const overlap = (a: Rect, b: Rect): boolean => a.x < b.x + b.w && b.x < a.x + a.w && a.y < b.y + b.h && b.y < a.y + a.h;

function checkLayout(svg: string): Box[] {
    const { canvas, boxes } = parse(svg);
    const problems: string[] = [];
    const name = (b: Box): string => `${b.kind} "${b.texts[0]?.text ?? ""}"`;
    for (const b of boxes) {
        if (!inside(b, canvas)) problems.push(`${name(b)} leaves the canvas`);
        for (const t of b.texts) if (!inside(t.box, b)) problems.push(`text "${t.text}" leaves its ${name(b)} box`);
    }
    for (let i = 0; i < boxes.length; i++) {
        for (let j = i + 1; j < boxes.length; j++) {
            const [a, b] = [boxes[i], boxes[j]];
            if (!overlap(a, b)) continue;
            // A segment (rack) group holds its routers, nodes and session labels; nothing else may touch.
            const nested = (a.kind === "segment" && b.kind !== "segment" && inside(b, a)) || (b.kind === "segment" && a.kind !== "segment" && inside(a, b));
            if (!nested) problems.push(`${name(a)} overlaps ${name(b)}`);
        }
    }
    // Text in a group box must not sit under one of its children.
    for (const g of boxes.filter((b) => b.kind === "segment")) {
        for (const t of g.texts) for (const c of boxes.filter((b) => b.kind !== "segment" && inside(b, g))) if (overlap(t.box, c)) problems.push(`segment text "${t.text}" under ${name(c)}`);
    }
    assert.deepEqual(problems, []);
    return boxes;
}

const stackPlan = (stack: string): { plan: AddressPlan; md5: boolean; multihop?: number } => {
    const l = loadStack(stack, rawConfigOfStack(readStackConfig(ROOT, stack, {})), "pw");
    return { plan: l.plan, md5: l.config.bgp.authentication, ...(l.config.bgp.ebgpMultihop !== undefined ? { multihop: l.config.bgp.ebgpMultihop } : {}) };
};

/** 100 nodes in 10 racks under two spines (the fixture's spine-leaf fabric, trimmed to two spines). */
function hundredNodes(): AddressPlan {
    const raw = fixtureConfig({ family: "ipv4", nodes: 100, topology: "spine-leaf", routers: 20 });
    raw.routers = (raw.routers as { role: string; name: string }[]).filter((r) => r.role !== "spine" || ["spine1", "spine2"].includes(r.name));
    return loadStack("hundred", raw, "pw").plan;
}

describe("topology picture (topology.svg, laid out by elkjs)", function () {
    this.timeout(60000);
    const tmp = fs.mkdtempSync(path.join(os.tmpdir(), "cbf-topology-"));
    after(() => fs.rmSync(tmp, { recursive: true, force: true }));

    it("dev (4 nodes, 2 racks): racks, segments, loopbacks, ASNs, every session with both addresses and MD5; nothing overlaps", async () => {
        const { plan, md5 } = stackPlan("dev");
        const svg = await renderTopologySvg("dev", plan, { md5 });
        const boxes = checkLayout(svg);
        const { text } = parse(svg);
        assert.equal(boxes.filter((b) => b.kind === "segment").length, plan.nodeSubnets.length);
        for (const s of plan.nodeSubnets) {
            const seg = boxes.find((b) => b.kind === "segment" && b.texts.some((t) => t.text.includes(s.cidr)));
            assert.ok(seg, s.cidr);
            assert.ok(seg.texts[0].text.startsWith(`${s.rack} · segment ${s.name}`));
            // The rack's routers and nodes are drawn inside their segment.
            for (const member of [...s.routers, ...plan.nodes.filter((n) => n.subnet === s.name).map((n) => n.name)]) {
                const box = boxes.find((b) => (b.kind === "router" || b.kind === "node") && b.texts[0].text.startsWith(`${member} · `));
                assert.ok(box && inside(box, seg), `${member} inside ${s.name}`);
            }
        }
        for (const r of plan.routers) {
            const box = boxes.find((b) => b.kind === "router" && b.texts[0].text.startsWith(`${r.name} · `));
            assert.ok(box, r.name);
            assert.ok(box.texts.some((t) => t.text === `loopback ${r.loopback}/32`) && box.texts.some((t) => t.text.startsWith(`AS${r.asn} `)), r.name);
        }
        const labels = boxes.filter((b) => b.kind === "label").map((b) => b.texts.map((t) => t.text).join(" / "));
        assert.equal(labels.length, plan.nodeSessions.length + plan.routerSessions.length);
        for (const s of plan.nodeSessions) assert.ok(labels.includes(`${s.routerAddress} <-> ${s.nodeAddress} / iBGP · RR client · AS${s.routerAsn}-AS${s.nodeAsn} · MD5`), s.node);
        for (const s of plan.routerSessions) assert.ok(labels.includes(`${s.bAddress} <-> ${s.aAddress} / eBGP · AS${s.bAsn}-AS${s.aAsn} · MD5`), s.link);
        for (const n of plan.nodes) assert.ok(text.includes(`pods ${n.podCidr}`), n.name);
        for (const p of plan.lbPools) assert.ok(text.includes(`${p.name} ${p.cidr}`), p.name);
        assert.ok(text.includes(`pods ${plan.podCidr} `) && text.includes(`services ${plan.serviceCidr}`));
    });

    it("ipv6: eBGP sessions carry the multihop mark", async () => {
        const { plan, md5, multihop } = stackPlan("ipv6");
        assert.ok(multihop !== undefined);
        const svg = await renderTopologySvg("ipv6", plan, { md5, ebgpMultihop: multihop });
        checkLayout(svg);
        const labels = parse(svg).boxes.filter((b) => b.kind === "label");
        assert.equal(labels.length, plan.nodeSessions.length);
        for (const l of labels) assert.match(l.texts[1].text, new RegExp(`^eBGP · AS\\d+-AS\\d+ · MD5 · multihop ${multihop}$`));
    });

    it("100 nodes in 10 racks: every box and text fits, no overlaps, deterministic, and librsvg renders it", async function () {
        const plan = hundredNodes();
        assert.equal(plan.nodes.length, 100);
        assert.equal(plan.nodeSubnets.length, 10);
        const svg = await renderTopologySvg("hundred", plan, { md5: true });
        const boxes = checkLayout(svg);
        assert.equal(boxes.filter((b) => b.kind === "node").length, 100);
        assert.equal(boxes.filter((b) => b.kind === "label").length, plan.nodeSessions.length + plan.routerSessions.length);
        assert.equal(await renderTopologySvg("hundred", plan, { md5: true }), svg);
        const file = path.join(tmp, "hundred.svg");
        fs.writeFileSync(file, svg);
        const rsvg = spawnSync("rsvg-convert", [file, "-o", path.join(tmp, "hundred.png")], { encoding: "utf8" });
        if (rsvg.error) {
            if (process.env.CI) throw new Error("rsvg-convert (librsvg2-bin) is required in CI");
            this.skip();
        }
        assert.equal(rsvg.status, 0, rsvg.stderr);
        assert.ok(fs.statSync(path.join(tmp, "hundred.png")).size > 10000);
    });

    it("the check can fail: an overlapping box and an overflowing text are reported", () => {
        const bad = [
            "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"300\" height=\"200\" viewBox=\"0 0 300 200\">",
            "<g class=\"box router\">", "<rect x=\"10\" y=\"10\" width=\"100\" height=\"40\" rx=\"3\" fill=\"#fff\" stroke=\"#000\"/>",
            "<text x=\"18\" y=\"27\" font-size=\"11\">a text much too long for the box</text>", "</g>",
            "<g class=\"box node\">", "<rect x=\"60\" y=\"30\" width=\"100\" height=\"40\" rx=\"3\" fill=\"#fff\" stroke=\"#000\"/>", "</g>",
            "</svg>",
        ].join("\n");
        assert.throws(() => checkLayout(bad), (e: unknown) => /leaves its router/.test(String(e)) && /overlaps node/.test(String(e)));
    });
});

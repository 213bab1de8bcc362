/**
 * A minimal XML reader for VyOS interface definitions: elements, attributes, text, comments
 * and the XML declaration. No DTDs, CDATA or namespaces (the reference files use none), so a
 * hand-written parser avoids a dependency and fails loudly on anything unexpected.
 */

export interface XmlElement {
    name: string;
    attrs: Record<string, string>;
    children: XmlElement[];
    /** Concatenated text content directly inside this element (entities decoded, trimmed). */
    text: string;
}

const ENTITIES: Record<string, string> = { lt: "<", gt: ">", amp: "&", quot: "\"", apos: "'" };

function decode(s: string): string {
    return s.replace(/&(#x[0-9a-fA-F]+|#[0-9]+|[a-z]+);/g, (m, e: string) => {
        if (e.startsWith("#x")) return String.fromCodePoint(parseInt(e.slice(2), 16));
        if (e.startsWith("#")) return String.fromCodePoint(parseInt(e.slice(1), 10));
        const v = ENTITIES[e];
        if (v === undefined) throw new Error(`unknown XML entity ${m}`);
        return v;
    });
}

export function parseXml(src: string): XmlElement {
    let i = 0;
    const root: XmlElement = { name: "#document", attrs: {}, children: [], text: "" };
    const stack: XmlElement[] = [root];
    const texts: string[][] = [[]];
    const fail = (msg: string): never => {
        const line = src.slice(0, i).split("\n").length;
        throw new Error(`XML parse error at line ${line}: ${msg}`);
    };
    while (i < src.length) {
        const lt = src.indexOf("<", i);
        if (lt < 0) { texts[texts.length - 1].push(src.slice(i)); break; }
        if (lt > i) texts[texts.length - 1].push(src.slice(i, lt));
        i = lt;
        if (src.startsWith("<!--", i)) {
            const end = src.indexOf("-->", i + 4);
            if (end < 0) fail("unterminated comment");
            i = end + 3;
        } else if (src.startsWith("<?", i)) {
            const end = src.indexOf("?>", i + 2);
            if (end < 0) fail("unterminated declaration");
            i = end + 2;
        } else if (src.startsWith("<!", i)) {
            fail("DOCTYPE/CDATA not supported");
        } else if (src.startsWith("</", i)) {
            const end = src.indexOf(">", i);
            if (end < 0) fail("unterminated end tag");
            const name = src.slice(i + 2, end).trim();
            const open = stack.pop();
            const t = texts.pop();
            if (!open || open === root || open.name !== name) fail(`unexpected </${name}>`);
            (open as XmlElement).text = decode((t ?? []).join("")).trim();
            i = end + 1;
        } else {
            const m = /^<([A-Za-z_][\w.-]*)((?:\s+[A-Za-z_][\w.:-]*\s*=\s*(?:"[^"]*"|'[^']*'))*)\s*(\/?)>/.exec(src.slice(i, i + 2000));
            if (!m) fail("malformed start tag");
            const [whole, name, attrText, selfClose] = m as RegExpExecArray;
            const attrs: Record<string, string> = {};
            for (const a of attrText.matchAll(/([A-Za-z_][\w.:-]*)\s*=\s*(?:"([^"]*)"|'([^']*)')/g)) {
                attrs[a[1]] = decode(a[2] ?? a[3] ?? "");
            }
            const el: XmlElement = { name, attrs, children: [], text: "" };
            stack[stack.length - 1].children.push(el);
            if (!selfClose) { stack.push(el); texts.push([]); }
            i += whole.length;
        }
    }
    if (stack.length !== 1) fail(`unclosed <${stack[stack.length - 1].name}>`);
    return root;
}

export const childrenNamed = (el: XmlElement, name: string): XmlElement[] => el.children.filter((c) => c.name === name);
export const childNamed = (el: XmlElement, name: string): XmlElement | undefined => el.children.find((c) => c.name === name);

/**
 * config.boot (VyOS's curly-brace configuration tree) from `set` commands. The commands are
 * read against SHAPE, the part of VyOS's tree the renderer uses, so that tag nodes, empty
 * nodes and valueless leaves print as VyOS prints them; a word outside SHAPE is an error
 * (a test checks SHAPE against VyOS's own definitions).
 */

export type Shape =
    | { kind: "node"; children: Record<string, Shape> }
    | { kind: "tag"; children: Record<string, Shape> }
    | { kind: "leaf"; valueless: boolean; multi: boolean };

const n = (children: Record<string, Shape>): Shape => ({ kind: "node", children });
const t = (children: Record<string, Shape>): Shape => ({ kind: "tag", children });
const leaf: Shape = { kind: "leaf", valueless: false, multi: false };
const multi: Shape = { kind: "leaf", valueless: false, multi: true };
const flag: Shape = { kind: "leaf", valueless: true, multi: false };

const AF_GLOBAL = n({ "network": t({}), "maximum-paths": n({ ebgp: leaf, ibgp: leaf }) });
// default-originate is a node (include/bgp/afi-default-originate.xml.i: its one child is route-map), set empty here.
const AF_PEER = n({ "route-reflector-client": flag, "route-map": n({ import: leaf, export: leaf }), "default-originate": n({ "route-map": leaf }) });
const PEER: Record<string, Shape> = {
    "remote-as": leaf, "password": leaf, "ebgp-multihop": leaf, "graceful-restart": leaf, "update-source": leaf,
    "address-family": n({ "ipv4-unicast": AF_PEER, "ipv6-unicast": AF_PEER }),
};
const PREFIX_RULE = t({ action: leaf, prefix: leaf, ge: leaf, le: leaf });
const MATCH_PL = n({ address: n({ "prefix-list": leaf }) });

export const SHAPE: Shape = n({
    system: n({ "host-name": leaf }),
    // vyos-1x interface-definitions/high-availability.xml.in (not among the reference definitions:
    // test/vyos/checker.ts lists these paths as unchecked).
    "high-availability": n({
        vrrp: n({
            "global-parameters": n({ version: leaf }),
            "group": t({ "interface": leaf, "vrid": leaf, "address": t({}), "priority": leaf, "advertise-interval": leaf }),
        }),
    }),
    interfaces: n({ loopback: t({ address: multi }) }),
    protocols: n({
        static: n({ route: t({ "blackhole": n({}), "next-hop": t({}) }), route6: t({ "blackhole": n({}), "next-hop": t({}) }) }),
        bgp: n({
            "system-as": leaf,
            "parameters": n({
                "router-id": leaf, "log-neighbor-changes": flag, "ebgp-requires-policy": flag,
                "bestpath": n({ "as-path": n({ "multipath-relax": flag }) }),
            }),
            "address-family": n({ "ipv4-unicast": AF_GLOBAL, "ipv6-unicast": AF_GLOBAL }),
            "peer-group": t(PEER),
            "neighbor": t({ ...PEER, "peer-group": leaf, "timers": n({ holdtime: leaf, keepalive: leaf, connect: leaf }) }),
        }),
    }),
    policy: n({
        "prefix-list": t({ rule: PREFIX_RULE }),
        "prefix-list6": t({ rule: PREFIX_RULE }),
        "route-map": t({ rule: t({ action: leaf, match: n({ ip: MATCH_PL, ipv6: MATCH_PL }) }) }),
    }),
});

/** The component versions the file claims, from a VyOS 1.5 rolling release; equal or newer means no migration runs. */
export const VYOS_CONFIG_VERSION =
    "bgp@6:broadcast-relay@1:cluster@2:config-management@1:conntrack@6:conntrack-sync@2:container@3:dhcp-relay@2:" +
    "dhcp-server@11:dhcpv6-server@6:dns-dynamic@4:dns-forwarding@4:firewall@20:flow-accounting@2:https@7:ids@2:" +
    "interfaces@33:ipoe-server@4:ipsec@13:isis@3:l2tp@9:lldp@3:mdns@1:monitoring@2:nat@8:nat66@3:nhrp@1:ntp@3:" +
    "openconnect@3:openvpn@4:ospf@2:pim@1:policy@9:pppoe-server@11:pptp@5:qos@3:quagga@12:reverse-proxy@3:rip@1:" +
    "rpki@2:salt@1:snmp@3:ssh@2:sstp@6:system@29:vpp@1:vrf@3:vrrp@4:vyos-accel-ppp@2:wanloadbalance@4:webproxy@2";

interface TreeNode {
    shape: Shape;
    /** node/tag-instance children by word. */
    children: Map<string, TreeNode>;
    /** tag node: its instances by value. */
    instances: Map<string, TreeNode>;
    /** leaf values in order. */
    values: string[];
}

const newNode = (shape: Shape): TreeNode => ({ shape, children: new Map(), instances: new Map(), values: [] });

/**
 * Words of a `set` command or config.boot line. Set commands follow the shell's quoting (VyOS's
 * CLI is bash): a word is a run of unquoted characters, 'single-quoted' text (literal) and
 * "double-quoted" text, glued together (`'it'\''s'` is one word); outside single quotes a
 * backslash escapes the next character. In config.boot (vyos-1x libvyosconfig vyos1x_lexer.mll,
 * read_string) a value is one double-quoted string in which `\\` and `\"` stand for `\` and `"`,
 * as `quote` below writes them. An unterminated quote runs to the end of the line. The one VyOS
 * tokenizer: the renderer, the agreement check and the test checker use it. Never throws.
 */
export function vyosWords(command: string): string[] {
    const words: string[] = [];
    let word: string | undefined;
    const n = command.length;
    let i = 0;
    while (i < n) {
        const c = command[i];
        if (c === " " || c === "\t" || c === "\n" || c === "\r") {
            if (word !== undefined) { words.push(word); word = undefined; }
            i++;
            continue;
        }
        word ??= "";
        if (c === "'") {
            const end = command.indexOf("'", i + 1);
            word += command.slice(i + 1, end < 0 ? n : end);
            i = end < 0 ? n : end + 1;
        } else if (c === "\"") {
            i++;
            while (i < n && command[i] !== "\"") {
                if (command[i] === "\\" && i + 1 < n) { word += command[i + 1]; i += 2; } else word += command[i++];
            }
            i++;
        } else if (c === "\\" && i + 1 < n) {
            word += command[i + 1];
            i += 2;
        } else {
            word += c;
            i++;
        }
    }
    if (word !== undefined) words.push(word);
    return words;
}

function childShape(s: Shape, word: string, path: string): Shape {
    const c = s.kind === "leaf" ? undefined : s.children[word];
    if (!c) throw new Error(`config.boot: '${word}' is not known under '${path || "(top)"}'`);
    return c;
}

// Messages name the path, never the command: a value may be the BGP password.
function insert(root: TreeNode, command: string): void {
    const w = vyosWords(command);
    if (w[0] !== "set") throw new Error(`config.boot: not a set command (starts with '${w[0] ?? ""}')`);
    let cur = root;
    let path = "";
    for (let i = 1; i < w.length; i++) {
        const word = w[i];
        const shape = childShape(cur.shape, word, path);
        path = `${path} ${word}`.trim();
        let next = cur.children.get(word);
        if (!next) { next = newNode(shape); cur.children.set(word, next); }
        if (shape.kind === "leaf") {
            const rest = w.slice(i + 1);
            if (shape.valueless ? rest.length !== 0 : rest.length !== 1) throw new Error(`config.boot: '${path}' takes ${shape.valueless ? "no value" : "one value"}, got ${rest.length}`);
            if (!shape.valueless && !next.values.includes(rest[0])) {
                if (!shape.multi && next.values.length > 0) throw new Error(`config.boot: '${path}' set twice`);
                next.values.push(rest[0]);
            }
            return;
        }
        if (shape.kind === "tag") {
            const value = w[++i];
            if (value === undefined) throw new Error(`config.boot: '${path}' needs a value`);
            path = `${path} ${value}`;
            let inst = next.instances.get(value);
            if (!inst) { inst = newNode(shape); next.instances.set(value, inst); }
            cur = inst;
        } else {
            cur = next;
        }
    }
}

const quote = (v: string): string => `"${v.replace(/\\/g, "\\\\").replace(/"/g, "\\\"")}"`;

function print(node: TreeNode, indent: string, out: string[]): void {
    for (const name of [...node.children.keys()].sort()) {
        const c = node.children.get(name) as TreeNode;
        if (c.shape.kind === "leaf") {
            if (c.shape.valueless) out.push(`${indent}${name}`);
            else for (const v of c.values) out.push(`${indent}${name} ${quote(v)}`);
        } else if (c.shape.kind === "tag") {
            // Natural order (rule 10 before rule 65535), whatever order the commands came in.
            const values = [...c.instances.keys()].sort((a, b) => a.localeCompare(b, "en", { numeric: true }));
            for (const value of values) {
                const inst = c.instances.get(value) as TreeNode;
                out.push(`${indent}${name} ${value} {`);
                print(inst, `${indent}    `, out);
                out.push(`${indent}}`);
            }
        } else {
            out.push(`${indent}${name} {`);
            print(c, `${indent}    `, out);
            out.push(`${indent}}`);
        }
    }
}

/** The config.boot text holding exactly the given commands. */
export function renderVyosConfigBoot(commands: string[], version: string = VYOS_CONFIG_VERSION): string {
    const root = newNode(SHAPE);
    for (const c of commands) insert(root, c);
    const out: string[] = [];
    print(root, "", out);
    out.push("", "", "// Warning: Do not remove the following line.", `// vyos-config-version: "${version}"`);
    return `${out.join("\n")}\n`;
}

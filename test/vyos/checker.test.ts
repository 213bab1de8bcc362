import { strict as assert } from "assert";
import { vyosWords } from "../../components/routers/vyosboot";
import { checkCommands, defaultSchema, resolveCommand } from "./checker";
import { parseXml } from "./xml";

const GOOD = [
    "set system host-name 'r01'",
    "set interfaces loopback lo address '2001:db8:ae3:ffff::1/128'",
    "set protocols static route6 2001:db8:ae3::/48 blackhole",
    "set protocols bgp system-as '65066'",
    "set protocols bgp parameters router-id '10.255.0.1'",
    "set protocols bgp peer-group NODES remote-as 'external'",
    "set protocols bgp peer-group NODES password 'secret'",
    "set protocols bgp peer-group NODES address-family ipv6-unicast",
    "set protocols bgp neighbor 2001:db8:ae3:fff0::21 peer-group 'NODES'",
    "set protocols bgp neighbor 2001:db8:ae3:fff0::21 address-family ipv6-unicast",
    "set protocols bgp neighbor 2001:db8:ae3:fff0::21 timers holdtime '9'",
    "set protocols bgp neighbor 2001:db8:ae3:fff0::21 timers keepalive '3'",
];

describe("VyOS checker", () => {
    it("parses the reference definitions", () => {
        const bgp = defaultSchema().children.get("protocols")?.children.get("bgp");
        assert.equal(bgp?.children.get("system-as")?.kind, "leaf");
        assert.equal(bgp?.children.get("neighbor")?.kind, "tag");
    });

    it("minimal XML parser: attributes, entities, comments, self-closing tags", () => {
        const doc = parseXml("<?xml version=\"1.0\"?><a x='1'><!-- c --><b/><c>&lt;x&gt;</c></a>");
        const a = doc.children[0];
        assert.equal(a.attrs.x, "1");
        assert.deepEqual(a.children.map((c) => c.name), ["b", "c"]);
        assert.equal(a.children[1].text, "<x>");
        assert.throws(() => parseXml("<a><b></a>"), /unexpected/);
    });

    it("tokenizes quotes", () => {
        assert.deepEqual(vyosWords("set a 'b c' \"d\" e"), ["set", "a", "b c", "d", "e"]);
        // config.boot's escapes inside double quotes; single quotes keep a backslash as it is.
        assert.deepEqual(vyosWords("password \"p\\\"w \\\\x\" 'a\\b'"), ["password", "p\"w \\x", "a\\b"]);
    });

    it("accepts a well-formed configuration", () => {
        assert.deepEqual(checkCommands(GOOD), []);
    });

    const BAD: [string, string[], RegExp][] = [
        ["unknown path word", ["set protocols bgp neighbour 2001:db8::1 remote-as '1'"], /unknown path word 'neighbour'/],
        ["bad ASN value", ["set protocols bgp system-as '4294967295'"], /system-as.*constraint/],
        ["1.2-style ASN path", ["set protocols bgp 65005 neighbor 10.1.5.10 remote-as '65005'"], /VyOS 1\.2 syntax/],
        ["timers on a peer-group", ["set protocols bgp peer-group NODES timers keepalive '3'"], /peer-group/],
        ["password with a space", ["set protocols bgp peer-group NODES password 'a b'"], /spaces/],
        ["neighbor without address-family", ["set protocols bgp neighbor 2001:db8::9 remote-as 'external'"], /no explicit address-family/],
        ["peer-group that does not exist", ["set protocols bgp neighbor 2001:db8:ae3:fff0::21 peer-group 'NOPE'"], /does not exist/],
        ["keepalive without holdtime", ["set protocols bgp neighbor 2001:db8::9 timers keepalive '3'",
            "set protocols bgp neighbor 2001:db8::9 remote-as '1'", "set protocols bgp neighbor 2001:db8::9 address-family ipv6-unicast"], /only one of timers/],
        ["bad neighbor address", ["set protocols bgp neighbor 2001:db8::zz remote-as '1'"], /constraint/],
        ["value on a valueless leaf", ["set protocols bgp parameters log-neighbor-changes 'yes'"], /takes no value/],
        ["prefix with host bits", ["set policy prefix-list6 X rule 10 prefix '2001:db8::1/64'"], /constraint/],
        ["route-map that does not exist", ["set protocols bgp peer-group NODES address-family ipv6-unicast route-map import 'NOPE'"], /route-map 'NOPE'/],
        ["bad host-name", ["set system host-name 'r 01'"], /constraint/],
    ];
    for (const [what, extra, reason] of BAD) {
        it(`rejects: ${what}`, () => {
            const problems = checkCommands([...GOOD.filter((g) => !extra.some((e) => e.startsWith(g.split(" '")[0]))), ...extra]);
            assert.ok(problems.some((p) => reason.test(p.reason)), `${what}: ${JSON.stringify(problems)}`);
        });
    }

    it("resolves tag values and leaf values", () => {
        const r = resolveCommand(defaultSchema(), "set protocols bgp neighbor 10.0.0.1 timers holdtime '9'");
        assert.deepEqual(r, [
            { word: "protocols", kind: "node" }, { word: "bgp", kind: "node" },
            { word: "neighbor", kind: "tag", value: "10.0.0.1" }, { word: "timers", kind: "node" },
            { word: "holdtime", kind: "leaf", value: "9" },
        ]);
    });
});

import { strict as assert } from "assert";
import { bgpConfigDict, configTree, policyConfigDict } from "../../lab/vyos/configdict";
import { verifyBgp, verifyCommit, verifyPolicy } from "./verify";

const BASE = [
    "set protocols bgp system-as '65066'",
    "set protocols bgp peer-group NODES remote-as 'external'",
    "set protocols bgp peer-group NODES address-family ipv6-unicast",
    "set protocols bgp neighbor 2001:db8::21 peer-group 'NODES'",
    "set protocols bgp neighbor 2001:db8::21 address-family ipv6-unicast",
];
const bgp = (extra: string[]): ReturnType<typeof verifyBgp> => verifyBgp(bgpConfigDict(configTree([...BASE, ...extra])));

describe("VyOS verify() on the config dict (protocols_bgp.py, policy.py)", () => {
    it("accepts the base configuration", () => {
        assert.deepEqual(bgp([]), { errors: [], warnings: [] });
        assert.deepEqual(verifyCommit(BASE), { errors: [], warnings: [] });
    });

    const CASES: [string, string[], RegExp][] = [
        ["system-as missing", [], /system-as number must be defined/],
        ["a neighbor's peer-group does not exist", ["set protocols bgp neighbor 2001:db8::22 peer-group 'NOPE'", "set protocols bgp neighbor 2001:db8::22 remote-as '1'"], /peer-group "NOPE" .* does not exist/],
        ["peer-group members both internal and external", [
            "set protocols bgp peer-group G address-family ipv6-unicast",
            "set protocols bgp neighbor 2001:db8::31 peer-group 'G'", "set protocols bgp neighbor 2001:db8::31 remote-as 'internal'",
            "set protocols bgp neighbor 2001:db8::32 peer-group 'G'", "set protocols bgp neighbor 2001:db8::32 remote-as '65001'",
        ], /all internal or all external/],
        ["ebgp-multihop with ttl-security", ["set protocols bgp peer-group NODES ebgp-multihop '2'", "set protocols bgp peer-group NODES ttl-security hops '2'"], /ebgp-multihop and ttl-security/],
        ["override-capability with strict-capability-match", ["set protocols bgp neighbor 2001:db8::21 override-capability", "set protocols bgp neighbor 2001:db8::21 strict-capability-match"], /override-capability and strict-capability-match/],
        ["a neighbor without remote-as", ["set protocols bgp neighbor 2001:db8::40 address-family ipv6-unicast"], /"2001:db8::40" remote-as must be set/],
        ["an import route-map that does not exist", ["set protocols bgp peer-group NODES address-family ipv6-unicast route-map import 'RM'"], /route-map "RM" does not exist/],
        ["an export prefix-list6 that does not exist", ["set protocols bgp peer-group NODES address-family ipv6-unicast prefix-list export 'PL'"], /prefix-list6 "PL" does not exist/],
    ];
    for (const [what, extra, reason] of CASES) {
        it(`rejects: ${what}`, () => {
            const commands = what === "system-as missing" ? [...BASE.slice(1), ...extra] : [...BASE, ...extra];
            const r = verifyBgp(bgpConfigDict(configTree(commands)));
            assert.ok(r.errors.some((e) => reason.test(e)), JSON.stringify(r));
        });
    }

    it("warns, as VyOS does, about a neighbor without an address-family (and commits)", () => {
        const r = bgp(["set protocols bgp neighbor 2001:db8::50 remote-as '65001'"]);
        assert.deepEqual(r.errors, []);
        assert.deepEqual(r.warnings, ['BGP neighbor "2001:db8::50" requires address-family!']);
    });

    it("policy.py: prefix rules need a prefix and no duplicate; route-map matches need the prefix-list", () => {
        const p = (extra: string[]): string[] => verifyPolicy(policyConfigDict(configTree(extra))).errors;
        assert.deepEqual(p(["set policy prefix-list6 PL rule 10 action 'permit'", "set policy prefix-list6 PL rule 10 prefix '2001:db8::/32'"]), []);
        assert.ok(p(["set policy prefix-list6 PL rule 10 action 'permit'"]).some((e) => /A prefix must be specified/.test(e)));
        assert.ok(p(["set policy prefix-list6 PL rule 10 prefix '2001:db8::/32'"]).some((e) => /Action must be specified/.test(e)));
        assert.ok(p([
            "set policy prefix-list6 PL rule 10 action 'permit'", "set policy prefix-list6 PL rule 10 prefix '2001:db8::/32'",
            "set policy prefix-list6 PL rule 20 action 'permit'", "set policy prefix-list6 PL rule 20 prefix '2001:db8::/32'",
        ]).some((e) => /Rule "20" contains a duplicate prefix definition/.test(e)));
        assert.ok(p(["set policy route-map RM rule 10 action 'permit'", "set policy route-map RM rule 10 match ipv6 address prefix-list 'X'"]).some((e) => /prefix-list6 X does not exist/.test(e)));
    });

    it("verifyCommit: the checker's stricter rules that VyOS only warns about are warnings; a password never shows", () => {
        const r = verifyCommit([...BASE, "set protocols bgp neighbor 2001:db8::21 timers keepalive '3'"]);
        assert.deepEqual(r.errors, []);
        assert.ok(r.warnings.some((w) => /only one of timers/.test(w)), JSON.stringify(r));
        const pw = verifyCommit([...BASE, "set protocols bgp peer-group NODES password 'top secret'"]);
        assert.ok(pw.errors.length > 0 && pw.errors.every((e) => !e.includes("top secret")), JSON.stringify(pw));
    });
});

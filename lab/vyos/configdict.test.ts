import { strict as assert } from "assert";
import { renderVyosConfigBoot } from "../../components/routers/vyos";
import { bgpConfigDict, configBootCommands, configTree, getConfigDict, sourceDictMerge } from "./configdict";
import { VyosCommitError, renderTemplates, vyosFrrFiles } from "./frr";

const BASE = [
    "set system host-name 'r01'",
    "set interfaces loopback lo address '2001:db8:ae3:ffff::1/128'",
    "set protocols bgp system-as '65066'",
    "set protocols bgp parameters router-id '10.255.0.1'",
    "set protocols bgp parameters log-neighbor-changes",
    "set protocols bgp peer-group MY-NODES remote-as 'external'",
    "set protocols bgp peer-group MY-NODES ebgp-multihop '4'",
    "set protocols bgp peer-group MY-NODES address-family ipv6-unicast",
    "set protocols bgp neighbor 2001:db8:ae3:fff0::21 peer-group 'MY-NODES'",
    "set protocols bgp neighbor 2001:db8:ae3:fff0::21 address-family ipv6-unicast",
];

describe("VyOS config dict (as vyos-1x builds it)", () => {
    it("config.boot and set commands give the same tree: tag values, valueless leaves {}, multi leaves as lists, empty nodes kept", () => {
        const fromBoot = configTree(configBootCommands(renderVyosConfigBoot(BASE)));
        assert.deepEqual(fromBoot, configTree(BASE));
        const bgp = (fromBoot.protocols as Record<string, unknown>).bgp as Record<string, Record<string, unknown>>;
        assert.deepEqual(bgp.parameters["log-neighbor-changes"], {});
        assert.deepEqual((fromBoot.interfaces as Record<string, Record<string, unknown>>).loopback.lo, { address: ["2001:db8:ae3:ffff::1/128"] });
        assert.deepEqual((bgp.neighbor["2001:db8:ae3:fff0::21"] as Record<string, unknown>)["address-family"], { "ipv6-unicast": {} });
    });

    it("mangles node names (- to _), never tag values (no_tag_node_value_mangle)", () => {
        const bgp = bgpConfigDict(configTree(BASE));
        const groups = bgp.peer_group as Record<string, Record<string, unknown>>;
        assert.deepEqual(Object.keys(groups), ["MY-NODES"]);
        assert.equal(groups["MY-NODES"].ebgp_multihop, "4");
        assert.ok("address_family" in groups["MY-NODES"] && !("address-family" in groups["MY-NODES"]));
        assert.equal((bgp.neighbor as Record<string, Record<string, unknown>>)["2001:db8:ae3:fff0::21"].peer_group, "MY-NODES");
    });

    it("adds the XML defaults recursively, including under nodes the config does not have; the config wins", () => {
        const bgp = bgpConfigDict(configTree(BASE));
        const params = bgp.parameters as Record<string, unknown>;
        // protocols bgp parameters conditional-advertisement timer: defaultValue 60.
        assert.deepEqual(params.conditional_advertisement, { timer: "60" });
        const set = bgpConfigDict(configTree([...BASE, "set protocols bgp parameters conditional-advertisement timer '30'"]));
        assert.deepEqual((set.parameters as Record<string, unknown>).conditional_advertisement, { timer: "30" });
        // Defaults under a tag node only where the config has an instance (bmp target: port 5000...).
        assert.ok(!("bmp" in bgp));
        const bmp = bgpConfigDict(configTree([...BASE, "set protocols bgp bmp target T1 address '192.0.2.1'"]));
        assert.deepEqual((bmp.bmp as Record<string, unknown>).target, { T1: { address: "192.0.2.1", port: "5000", min_retry: "1000", max_retry: "2000" } });
    });

    it("adds what protocols_bgp.py get_config adds: dependent_vrfs, the unmangled policy dict; `deleted` without BGP", () => {
        const bgp = bgpConfigDict(configTree([...BASE, "set policy route-map NODES-OUT rule 10 action 'deny'"]));
        assert.deepEqual(bgp.dependent_vrfs, {});
        assert.deepEqual(bgp.policy, { "route-map": { "NODES-OUT": { rule: { 10: { action: "deny" } } } } });
        assert.deepEqual(bgpConfigDict(configTree(["set system host-name 'r01'"])), { dependent_vrfs: {}, deleted: "" });
    });

    it("get_first_key and source_dict_merge behave as in vyos-1x", () => {
        const root = configTree(BASE);
        assert.deepEqual(Object.keys(getConfigDict(root, ["system"])), ["system"]);
        assert.deepEqual(getConfigDict(root, ["system"], { getFirstKey: true }), { "host-name": "r01" });
        assert.deepEqual(getConfigDict(root, ["nothing"]), {});
        assert.deepEqual(sourceDictMerge({ a: "1", b: { c: "2", d: "3" } }, { b: { c: "9" }, e: "5" }), { b: { c: "9", d: "3" }, e: "5", a: "1" });
    });
});

describe("VyOS's own templates through VyOS's own Jinja environment (render.py)", () => {
    it("uses template.py's filters: natural_sort orders PL9 before PL10 whatever order the dict has", () => {
        const pl = (prefix: string): Record<string, unknown> => ({ rule: { 10: { action: "permit", prefix } } });
        const out = renderTemplates([{ name: "p", template: "frr/policy.frr.j2", context: { prefix_list: { PL10: pl("10.0.0.0/8"), PL9: pl("10.9.0.0/16") } } }]).p;
        assert.ok(out.indexOf("ip prefix-list PL9 ") >= 0 && out.indexOf("ip prefix-list PL9 ") < out.indexOf("ip prefix-list PL10 "), out);
    });

    it("uses template.py's vyos_defined: a null value is not defined, ChainableUndefined lets absent paths render nothing", () => {
        const out = renderTemplates([{ name: "b", template: "frr/bgpd.frr.j2", context: { system_as: "65000", parameters: { router_id: null } } }]).b;
        assert.ok(out.includes("router bgp 65000"), out);
        assert.ok(!out.includes("bgp router-id"), out);
        assert.ok(out.includes("no bgp ebgp-requires-policy"), out);
    });

    it("fails loudly when a template is missing", () => {
        assert.throws(() => renderTemplates([{ name: "x", template: "frr/none.frr.j2", context: {} }]), /render\.py failed.*TemplateNotFound/);
    });
});

describe("a configuration a VyOS commit rejects never reaches the lab", () => {
    const boot = (extra: string[]): string => renderVyosConfigBoot([...BASE, ...extra]);
    const rejects: [string, string[], RegExp][] = [
        ["a peer-group member overriding the group's remote-as", ["set protocols bgp neighbor 2001:db8:ae3:fff0::21 remote-as '65001'"], /cannot override remote-as/],
        ["a local address as neighbor", ["set protocols bgp neighbor 2001:db8:ae3:ffff::1 remote-as '65001'", "set protocols bgp neighbor 2001:db8:ae3:ffff::1 address-family ipv6-unicast"], /local address as neighbor/],
        ["a password with a space", ["set protocols bgp peer-group MY-NODES password 'a b'"], /spaces/],
        ["route-reflector-client on an eBGP peer-group", ["set protocols bgp peer-group MY-NODES address-family ipv6-unicast route-reflector-client"], /route-reflector-client only supported for iBGP/],
        ["a route-map matching a missing prefix-list", ["set policy route-map RM rule 10 action 'permit'", "set policy route-map RM rule 10 match ipv6 address prefix-list 'NOPE'"], /prefix-list6 NOPE does not exist|prefix-list6 'NOPE' does not exist/],
    ];
    for (const [what, extra, reason] of rejects) {
        it(`rejects ${what}`, () => {
            assert.throws(() => vyosFrrFiles(boot(extra), { router: "r01" }), (e: unknown) => e instanceof VyosCommitError && reason.test(e.message) && !/a b/.test(e.message));
        });
    }

    it("commits with a warning what VyOS commits with a warning (a neighbor without address-family)", () => {
        const f = vyosFrrFiles(boot(["set protocols bgp neighbor 2001:db8:ae3:fff0::22 peer-group 'MY-NODES'"]));
        assert.ok(f.warnings.some((w) => /address-family/.test(w)), f.warnings.join("; "));
    });

    it("the lab's interface addresses count as local addresses", () => {
        assert.throws(() => vyosFrrFiles(renderVyosConfigBoot(BASE), { interfaceAddresses: ["2001:db8:ae3:fff0::21"] }), /local address as neighbor "2001:db8:ae3:fff0::21"/);
    });
});

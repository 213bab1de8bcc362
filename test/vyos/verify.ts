/**
 * VyOS's commit-time verify() steps on the config dicts (lab/vyos/configdict.ts), the rules the
 * XML definitions cannot express. Each rule follows vyos-1x at the reference COMMIT:
 * python/protocols_bgp.py `verify` (and `verify_remote_as`, `verify_afi`), python/vyos/configverify.py
 * `verify_route_map` / `verify_prefix_list`, src/conf_mode/policy.py `verify`. An error is what makes
 * a real commit fail (ConfigError); a warning is what VyOS prints and commits anyway (`Warning(...)`).
 * Only the branches that a default-VRF configuration without BMP, interfaces or VPN families can
 * reach are here; the branches for features the project never renders are listed in UNCOVERED.
 */
import { type ConfigDict, type ConfigValue, bgpConfigDict, configTree, policyConfigDict } from "../../lab/vyos/configdict";
import { vyosWords } from "../../components/routers/vyosboot";
import { checkCommandsReport } from "./checker";

export interface VerifyResult { errors: string[]; warnings: string[] }

const isDict = (v: ConfigValue | undefined): v is ConfigDict => typeof v === "object" && v !== null && !Array.isArray(v);
const dict = (v: ConfigValue | undefined): ConfigDict => (isDict(v) ? v : {});
const str = (v: ConfigValue | undefined): string | undefined => (typeof v === "string" ? v : undefined);

/** protocols_bgp.py branches not ported (their features are never rendered by this project). */
export const UNCOVERED = [
    "deleted instance / dependent VRFs", "bmp", "interface VRF membership", "neighbor interface (unnumbered) rules",
    "local-role / local-as", "conditionally-advertise", "addpath-tx-per-as", "VRF AFI restrictions", "listen range",
    "distance", "tcp-keepalive", "rd / route-target / import vrf / sid", "l2vpn evpn",
];

/** protocols_bgp.py `verify_remote_as` (neighbor address form). */
function remoteAs(peer: ConfigDict, bgp: ConfigDict): string | undefined {
    const own = str(peer.remote_as);
    if (own) return own;
    const group = str(peer.peer_group);
    return group ? str(dict(dict(bgp.peer_group)[group]).remote_as) : undefined;
}

/** protocols_bgp.py `verify_afi`. */
function hasAfi(peer: ConfigDict, bgp: ConfigDict): boolean {
    if ("address_family" in peer) return true;
    const group = str(peer.peer_group);
    return group !== undefined && isDict(dict(dict(bgp.peer_group)[group]).address_family);
}

const AFIS = ["ipv4_unicast", "ipv4_multicast", "ipv4_labeled_unicast", "ipv4_flowspec",
    "ipv6_unicast", "ipv6_multicast", "ipv6_labeled_unicast", "ipv6_flowspec", "l2vpn_evpn"];

/**
 * protocols_bgp.py `verify`. `localAddresses`: the addresses the router holds (is_addr_assigned);
 * VyOS stops at the first error, this collects all of them.
 */
export function verifyBgp(bgp: ConfigDict, localAddresses: string[] = []): VerifyResult {
    const errors: string[] = [];
    const warnings: string[] = [];
    if ("deleted" in bgp) return { errors, warnings };
    if (!("system_as" in bgp)) errors.push("BGP system-as number must be defined!");
    const systemAs = str(bgp.system_as);
    const policy = dict(bgp.policy);
    const routeMapExists = (name: string): boolean => name in dict(policy["route-map"]);
    const prefixListExists = (name: string, version: string): boolean => name in dict(policy[`prefix-list${version}`]);
    const groupsContext = new Map<string, boolean>();
    for (const kind of ["neighbor", "peer_group"] as const) {
        for (const [peer, peerValue] of Object.entries(dict(bgp[kind]))) {
            const pc = dict(peerValue);
            const group = str(pc.peer_group);
            if (group !== undefined) {
                if (!(group in dict(bgp.peer_group))) {
                    // VyOS's message names the node kind ("neighbor"), not the peer.
                    errors.push(`Specified peer-group "${group}" for neighbor "${kind}" does not exist!`);
                } else if (str(pc.remote_as) !== undefined) {
                    const ibgp = pc.remote_as === "internal" || pc.remote_as === systemAs;
                    const seen = groupsContext.get(group);
                    if (seen === undefined) groupsContext.set(group, ibgp);
                    else if (seen !== ibgp) errors.push("Peer-group members must be all internal or all external");
                }
            }
            if ("ebgp_multihop" in pc && "ttl_security" in pc) errors.push("You can not set both ebgp-multihop and ttl-security hops");
            if ("ebgp_multihop" in pc && "interface" in pc) errors.push(`Ebgp-multihop can not be used with directly connected neighbor "${peer}"`);
            if ("override_capability" in pc && "strict_capability_match" in pc) {
                errors.push(`Neighbor "${peer}" cannot have both override-capability and strict-capability-match configured at the same time!`);
            }
            const password = str(pc.password);
            if (password !== undefined && password.includes(" ")) errors.push("Whitespace is not allowed in passwords!");
            if (kind === "neighbor") {
                if (!remoteAs(pc, bgp)) errors.push(`Neighbor "${peer}" remote-as must be set!`);
                if (!hasAfi(pc, bgp)) warnings.push(`BGP neighbor "${peer}" requires address-family!`);
                if (group !== undefined && "remote_as" in pc && "remote_as" in dict(dict(bgp.peer_group)[group])) {
                    errors.push(`Peer-group member "${peer}" cannot override remote-as of peer-group "${group}"!`);
                }
                if (localAddresses.includes(peer)) errors.push(`Can not configure local address as neighbor "${peer}" in default VRF!`);
            }
            const af = dict(pc.address_family);
            for (const afi of AFIS) {
                if (!(afi in af)) continue;
                if ("ipv4_unicast" in af && "ipv4_labeled_unicast" in af) errors.push(`Neighbor "${peer}" cannot have both ipv4-unicast and ipv4-labeled-unicast configured at the same time!`);
                if ("ipv6_unicast" in af && "ipv6_labeled_unicast" in af) errors.push(`Neighbor "${peer}" cannot have both ipv6-unicast and ipv6-labeled-unicast configured at the same time!`);
                const ac = dict(af[afi]);
                for (const dir of ["import", "export"]) {
                    const pl = str(dict(ac.prefix_list)[dir]);
                    if (pl !== undefined && (afi === "ipv4_unicast" || afi === "ipv6_unicast")) {
                        const v = afi === "ipv6_unicast" ? "6" : "";
                        if (!prefixListExists(pl, v)) errors.push(`Specified prefix-list${v} "${pl}" does not exist!`);
                    }
                    const rm = str(dict(ac.route_map)[dir]);
                    if (rm !== undefined && !routeMapExists(rm)) errors.push(`Specified route-map "${rm}" does not exist!`);
                }
                if ("route_reflector_client" in ac) {
                    // As VyOS has it: the peer's own remote-as first (a member of a peer-group
                    // with remote-as has none of its own and fails here), then the group's.
                    const own = str(pc.remote_as);
                    if (own === undefined || (own !== "internal" && own !== systemAs)) {
                        errors.push("route-reflector-client only supported for iBGP peers");
                    } else if (group !== undefined) {
                        const g = str(dict(dict(bgp.peer_group)[group]).remote_as);
                        if (g === undefined || (g !== "internal" && g !== systemAs)) errors.push("route-reflector-client only supported for iBGP peers");
                    }
                }
            }
        }
    }
    return { errors: [...new Set(errors)], warnings };
}

/** src/conf_mode/policy.py `verify` for prefix lists and route-maps (the kinds the project renders). */
export function verifyPolicy(policy: ConfigDict): VerifyResult {
    const errors: string[] = [];
    for (const type of ["prefix_list", "prefix_list6", "route_map"]) {
        for (const [instance, ic] of Object.entries(dict(policy[type]))) {
            const rules = dict(dict(ic).rule);
            const entries: string[] = [];
            for (const [rule, rv] of Object.entries(rules)) {
                const rc = dict(rv);
                const mandatory = `must be specified for "${type.replace(/_/g, "-")} ${instance} rule ${rule}"!`;
                if (!("action" in rc)) errors.push(`Action ${mandatory}`);
                if (type !== "route_map") {
                    if (!("prefix" in rc)) errors.push(`A prefix ${mandatory}`);
                    // `rule_config in entries`: dict equality (key order does not matter).
                    const key = JSON.stringify(Object.entries(rc).sort(([a], [b]) => a.localeCompare(b)));
                    if (entries.includes(key)) errors.push(`Rule "${rule}" contains a duplicate prefix definition!`);
                    entries.push(key);
                }
            }
        }
    }
    for (const ic of Object.values(dict(policy.route_map))) {
        for (const [rule, rv] of Object.entries(dict(dict(ic).rule))) {
            const rc = dict(rv);
            if (rc.action === "deny" && ("continue" in rc || "on_match" in rc)) errors.push(`rule ${rule} "continue" or "on-match" cannot be used with action deny!`);
            const match = dict(rc.match);
            const pl4 = str(dict(dict(match.ip).address).prefix_list);
            if (pl4 && !(pl4 in dict(policy.prefix_list))) errors.push(`prefix-list ${pl4} does not exist!`);
            const pl6 = str(dict(dict(match.ipv6).address).prefix_list);
            if (pl6 && !(pl6 in dict(policy.prefix_list6))) errors.push(`prefix-list6 ${pl6} does not exist!`);
        }
    }
    return { errors, warnings: [] };
}

/** A command as a message may show it: its words, never a password's value. */
function shown(command: string): string {
    const w = vyosWords(command);
    const i = w.indexOf("password");
    return (i >= 0 ? [...w.slice(0, i + 1), "[secret]"] : w).join(" ");
}

/**
 * Everything a commit of these `set` commands checks: the definitions and the checker's
 * command rules (checker.ts), then policy.py's and protocols_bgp.py's verify() on the config
 * dicts VyOS would build. `localAddresses`: the router's interface addresses outside the config.
 */
export function verifyCommit(commands: string[], localAddresses: string[] = []): VerifyResult {
    const report = checkCommandsReport(commands);
    const checked = report.problems.map((p) => ({ ...p, text: `${p.reason} (${shown(p.command)})` }));
    // Paths the reference definitions lack (high-availability): said, never passed silently.
    const unchecked = report.unchecked.map((p) => `${p.reason} (${shown(p.command)})`);
    // The checker is stricter than a commit in two rules: VyOS commits a neighbor without an
    // address-family (a Warning in protocols_bgp.py verify) and a lone keepalive or holdtime
    // (bgpd.frr.j2 then renders no timers). Those are warnings here, as VyOS has them.
    const advisory = (reason: string): boolean => /no explicit address-family|only one of/.test(reason);
    const syntax = checked.filter((p) => !advisory(p.reason)).map((p) => p.text);
    const notes = [...checked.filter((p) => advisory(p.reason)).map((p) => p.text), ...unchecked];
    if (syntax.length) return { errors: syntax, warnings: notes };
    const root = configTree(commands);
    const lo = Object.values(dict(dict(root.interfaces).loopback)).flatMap((l) => (dict(l).address as string[] | undefined) ?? []);
    const local = [...lo, ...localAddresses].map((a) => a.split("/")[0]);
    const bgp = verifyBgp(bgpConfigDict(root), local);
    return { errors: [...new Set([...verifyPolicy(policyConfigDict(root)).errors, ...bgp.errors])], warnings: [...notes, ...bgp.warnings] };
}

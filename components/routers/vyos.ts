/**
 * VyOS 1.4/1.5 configuration for one router: `set` commands (never the 1.2
 * `protocols bgp <asn>` form) and the config.boot tree built from the same commands.
 * Pure: the same input gives the same output.
 */
import { type FamilyIntent, type PrefixRule, type RouterIntent, type RouterRenderInput, familiesOf, routerIntent } from "./model";
import type { IpFamily } from "../config/types";
import { frrPasswordWord } from "./password";

export { renderVyosConfigBoot, VYOS_CONFIG_VERSION } from "./vyosboot";

/**
 * One shell word for VyOS's CLI (vbash), which reads set commands with shell quoting: inside
 * single quotes nothing is special (no `$`, backslash or history expansion), and a `'` is
 * written as close-quote, escaped quote, reopen (`'it'\''s'`). vyosWords reads it back.
 */
const q = (v: string | number): string => `'${String(v).replace(/'/g, "'\\''")}'`;

const afiOf = (f: FamilyIntent): string => (f.family === "ipv4" ? "ipv4-unicast" : "ipv6-unicast");

function prefixRuleCommands(f: FamilyIntent, list: string, r: PrefixRule): string[] {
    const kind = f.family === "ipv4" ? "prefix-list" : "prefix-list6";
    const base = `set policy ${kind} ${list} rule ${r.seq}`;
    // VyOS has no "any" keyword: every prefix is the zero-length prefix up to host length.
    const any = r.prefix === "any";
    const prefix = any ? (f.family === "ipv4" ? "0.0.0.0/0" : "::/0") : r.prefix;
    const le = any ? f.hostLength : r.le;
    const out = [`${base} action ${q(r.action)}`, `${base} prefix ${q(prefix)}`];
    if (r.ge !== undefined) out.push(`${base} ge ${q(r.ge)}`);
    if (le !== undefined) out.push(`${base} le ${q(le)}`);
    return out;
}

/** A dual stack's families each get their own prefix-lists, route-maps, peer groups and address family. */
export function renderVyosIntent(i: RouterIntent): string[] {
    const families = familiesOf(i);
    const out: string[] = [
        `set system host-name ${q(i.hostname)}`,
        ...families.map((f) => `set interfaces loopback lo address ${q(f.loopbackPrefix)}`),
    ];
    const route = (f: FamilyIntent): string => (f.family === "ipv4" ? "route" : "route6");
    // Keeps the aggregate in the RIB so that `network` announces it (see frr.ts).
    for (const f of families) for (const b of f.blackholes) out.push(`set protocols static ${route(f)} ${b} blackhole`);
    // The other ToR's loopback, straight over the shared node subnet (see model.ts).
    for (const f of families) for (const r of f.staticRoutes) out.push(`set protocols static ${route(f)} ${r.prefix} next-hop ${r.via}`);
    for (const f of families) for (const pl of f.prefixLists) for (const r of pl.rules) out.push(...prefixRuleCommands(f, pl.name, r));
    for (const f of families) {
        const ip = f.family === "ipv4" ? "ip" : "ipv6";
        for (const rm of f.routeMaps) {
            for (const e of rm.entries) {
                const base = `set policy route-map ${rm.name} rule ${e.seq}`;
                out.push(`${base} action ${q(e.action)}`);
                if (e.matchPrefixList) out.push(`${base} match ${ip} address prefix-list ${q(e.matchPrefixList)}`);
            }
        }
    }
    out.push(...vrrpCommands(i));
    const bgp = "set protocols bgp";
    out.push(`${bgp} system-as ${q(i.asn)}`, `${bgp} parameters router-id ${q(i.routerId)}`, `${bgp} parameters log-neighbor-changes`);
    // VyOS renders `no bgp ebgp-requires-policy` unless this is set: set it when we filter, like FRR.
    if (i.filter) out.push(`${bgp} parameters ebgp-requires-policy`);
    if (families.some((f) => f.maximumPaths !== undefined)) out.push(`${bgp} parameters bestpath as-path multipath-relax`);
    for (const f of families) for (const n of f.networks) out.push(`${bgp} address-family ${afiOf(f)} network ${n}`);
    for (const f of families) {
        if (f.maximumPaths === undefined) continue;
        out.push(`${bgp} address-family ${afiOf(f)} maximum-paths ebgp ${q(f.maximumPaths)}`,
            `${bgp} address-family ${afiOf(f)} maximum-paths ibgp ${q(f.maximumPaths)}`);
    }
    for (const f of families) {
        const afi = afiOf(f);
        for (const g of f.peerGroups) {
            const pg = `${bgp} peer-group ${g.name}`;
            out.push(`${pg} remote-as ${q(g.remoteAs)}`);
            // VyOS writes it into FRR's `neighbor X password WORD` (bgpd.frr.j2): FRR's rule holds here too.
            if (i.password !== undefined) out.push(`${pg} password ${q(frrPasswordWord(i.password))}`);
            if (g.ebgpMultihop !== undefined) out.push(`${pg} ebgp-multihop ${q(g.ebgpMultihop)}`);
            if (g.updateSource !== undefined) out.push(`${pg} update-source ${q(g.updateSource)}`);
            // VyOS has no global restart-time: graceful restart is enabled per peer (FRR default restart time).
            if (g.gracefulRestartDisabled) out.push(`${pg} graceful-restart ${q("disable")}`);
            else if (i.gracefulRestart) out.push(`${pg} graceful-restart ${q("enable")}`);
            out.push(`${pg} address-family ${afi}`);
            if (g.routeReflectorClient) out.push(`${pg} address-family ${afi} route-reflector-client`);
            // vyos-1x include/bgp/afi-default-originate.xml.i (a node; bgpd.frr.j2 writes `neighbor X default-originate`).
            if (g.defaultOriginate) out.push(`${pg} address-family ${afi} default-originate`);
            if (g.importPolicy) out.push(`${pg} address-family ${afi} route-map import ${q(g.importPolicy)}`);
            if (g.exportPolicy) out.push(`${pg} address-family ${afi} route-map export ${q(g.exportPolicy)}`);
        }
    }
    for (const f of families) {
        for (const g of f.peerGroups) {
            for (const n of g.neighbors) {
                const nb = `${bgp} neighbor ${n}`;
                // Timers exist per neighbor only (not on peer-groups), and apply only as a pair.
                out.push(`${nb} peer-group ${q(g.name)}`, `${nb} address-family ${afiOf(f)}`,
                    `${nb} timers holdtime ${q(i.holdTime)}`, `${nb} timers keepalive ${q(i.keepalive)}`,
                    `${nb} timers connect ${q(i.connectRetry)}`);
            }
        }
    }
    return out;
}

/**
 * VyOS 1.4+ `high-availability vrrp` (keepalived underneath), per vyos-1x
 * interface-definitions/high-availability.xml.in: `group <name>` (tagNode) with `interface`
 * (generic-interface-broadcast.xml.i), `vrid` (1-255), `address` (tagNode: ipv4/ipv6 host or
 * net), `priority` (1-255, default 100), `advertise-interval` (seconds 1-255, default 1), and
 * `global-parameters version` (2-3; "IPv6 always uses VRRP version 3"). Version 3 on both
 * families, as FRR's vrrpd runs it. The group is named after the segment; the address is a host
 * address, like the one FRR's macvlan carries (the segment's route stays on the interface).
 */
function vrrpCommands(i: RouterIntent): string[] {
    const out: string[] = [];
    const groups = familiesOf(i).flatMap((f) => f.vrrp);
    const dual = i.secondary !== undefined;
    if (groups.length > 0) out.push(`set high-availability vrrp global-parameters version ${q(3)}`);
    for (const v of groups) {
        if (v.advertisementIntervalMs % 1000 !== 0 || v.advertisementIntervalMs < 1000) {
            throw new Error(`router ${i.hostname}: VyOS advertises VRRP in whole seconds (1-255), not ${v.advertisementIntervalMs} ms`);
        }
        const g = `set high-availability vrrp group ${segmentGroupName(v, dual)}`;
        out.push(`${g} interface ${q(v.interface)}`, `${g} vrid ${q(v.vrid)}`, `${g} address ${q(`${v.address}/${v.family === "ipv4" ? 32 : 128}`)}`,
            `${g} priority ${q(v.priority)}`, `${g} advertise-interval ${q(v.advertisementIntervalMs / 1000)}`);
    }
    return out;
}

/**
 * The VRRP group's name: one group per router and family (it serves one node segment), named by
 * VRID. A dual stack has two: keepalived takes one family per group (vyos-1x
 * src/conf_mode/high-availability.py verify: "Create individual groups for IPv4 and IPv6", the same
 * VRID allowed once per family), so the IPv6 one is `nodes-<vrid>-v6`.
 */
export const segmentGroupName = (v: { vrid: number; family?: IpFamily }, dual = false): string =>
    `nodes-${v.vrid}${dual && v.family === "ipv6" ? "-v6" : ""}`;

export function renderVyosCommands(input: RouterRenderInput): string[] {
    return renderVyosIntent(routerIntent(input));
}

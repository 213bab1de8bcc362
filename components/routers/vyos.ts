/**
 * VyOS 1.4/1.5 configuration for one router: `set` commands (never the 1.2
 * `protocols bgp <asn>` form) and the config.boot tree built from the same commands.
 * Pure: the same input gives the same output.
 */
import { type PrefixRule, type RouterIntent, type RouterRenderInput, routerIntent } from "./model";
import { frrPasswordWord } from "./password";

export { renderVyosConfigBoot, VYOS_CONFIG_VERSION } from "./vyosboot";

/**
 * One shell word for VyOS's CLI (vbash), which reads set commands with shell quoting: inside
 * single quotes nothing is special (no `$`, backslash or history expansion), and a `'` is
 * written as close-quote, escaped quote, reopen (`'it'\''s'`). vyosWords reads it back.
 */
const q = (v: string | number): string => `'${String(v).replace(/'/g, "'\\''")}'`;

function prefixRuleCommands(i: RouterIntent, list: string, r: PrefixRule): string[] {
    const kind = i.family === "ipv4" ? "prefix-list" : "prefix-list6";
    const base = `set policy ${kind} ${list} rule ${r.seq}`;
    // VyOS has no "any" keyword: every prefix is the zero-length prefix up to host length.
    const any = r.prefix === "any";
    const prefix = any ? (i.family === "ipv4" ? "0.0.0.0/0" : "::/0") : r.prefix;
    const le = any ? i.hostLength : r.le;
    const out = [`${base} action ${q(r.action)}`, `${base} prefix ${q(prefix)}`];
    if (r.ge !== undefined) out.push(`${base} ge ${q(r.ge)}`);
    if (le !== undefined) out.push(`${base} le ${q(le)}`);
    return out;
}

export function renderVyosIntent(i: RouterIntent): string[] {
    const afi = i.family === "ipv4" ? "ipv4-unicast" : "ipv6-unicast";
    const ip = i.family === "ipv4" ? "ip" : "ipv6";
    const route = i.family === "ipv4" ? "route" : "route6";
    const out: string[] = [
        `set system host-name ${q(i.hostname)}`,
        `set interfaces loopback lo address ${q(i.loopbackPrefix)}`,
    ];
    // Keeps the aggregate in the RIB so that `network` announces it (see frr.ts).
    for (const b of i.blackholes) out.push(`set protocols static ${route} ${b} blackhole`);
    // The other ToR's loopback, straight over the shared node subnet (see model.ts).
    for (const r of i.staticRoutes) out.push(`set protocols static ${route} ${r.prefix} next-hop ${r.via}`);
    for (const pl of i.prefixLists) for (const r of pl.rules) out.push(...prefixRuleCommands(i, pl.name, r));
    for (const rm of i.routeMaps) {
        for (const e of rm.entries) {
            const base = `set policy route-map ${rm.name} rule ${e.seq}`;
            out.push(`${base} action ${q(e.action)}`);
            if (e.matchPrefixList) out.push(`${base} match ${ip} address prefix-list ${q(e.matchPrefixList)}`);
        }
    }
    out.push(...vrrpCommands(i));
    const bgp = "set protocols bgp";
    out.push(`${bgp} system-as ${q(i.asn)}`, `${bgp} parameters router-id ${q(i.routerId)}`, `${bgp} parameters log-neighbor-changes`);
    // VyOS renders `no bgp ebgp-requires-policy` unless this is set: set it when we filter, like FRR.
    if (i.filter) out.push(`${bgp} parameters ebgp-requires-policy`);
    if (i.maximumPaths !== undefined) out.push(`${bgp} parameters bestpath as-path multipath-relax`);
    for (const n of i.networks) out.push(`${bgp} address-family ${afi} network ${n}`);
    if (i.maximumPaths !== undefined) {
        out.push(`${bgp} address-family ${afi} maximum-paths ebgp ${q(i.maximumPaths)}`,
            `${bgp} address-family ${afi} maximum-paths ibgp ${q(i.maximumPaths)}`);
    }
    for (const g of i.peerGroups) {
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
    for (const g of i.peerGroups) {
        for (const n of g.neighbors) {
            const nb = `${bgp} neighbor ${n}`;
            // Timers exist per neighbor only (not on peer-groups), and apply only as a pair.
            out.push(`${nb} peer-group ${q(g.name)}`, `${nb} address-family ${afi}`,
                `${nb} timers holdtime ${q(i.holdTime)}`, `${nb} timers keepalive ${q(i.keepalive)}`,
                `${nb} timers connect ${q(i.connectRetry)}`);
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
    if (i.vrrp.length > 0) out.push(`set high-availability vrrp global-parameters version ${q(3)}`);
    for (const v of i.vrrp) {
        if (v.advertisementIntervalMs % 1000 !== 0 || v.advertisementIntervalMs < 1000) {
            throw new Error(`router ${i.hostname}: VyOS advertises VRRP in whole seconds (1-255), not ${v.advertisementIntervalMs} ms`);
        }
        const g = `set high-availability vrrp group ${segmentGroupName(v)}`;
        out.push(`${g} interface ${q(v.interface)}`, `${g} vrid ${q(v.vrid)}`, `${g} address ${q(`${v.address}/${v.family === "ipv4" ? 32 : 128}`)}`,
            `${g} priority ${q(v.priority)}`, `${g} advertise-interval ${q(v.advertisementIntervalMs / 1000)}`);
    }
    return out;
}

/** The VRRP group's name: one group per router (it serves one node segment), named by VRID. */
export const segmentGroupName = (v: { vrid: number }): string => `nodes-${v.vrid}`;

export function renderVyosCommands(input: RouterRenderInput): string[] {
    return renderVyosIntent(routerIntent(input));
}

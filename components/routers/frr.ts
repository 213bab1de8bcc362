/**
 * FRR configuration (integrated frr.conf, daemons, vtysh.conf) for one router, FRR 8.4+
 * syntax. Pure: the same input gives the same bytes.
 *
 * `frr defaults traditional`: every timer and bestpath knob is set explicitly here, so the
 * profile only decides the unset ones; traditional keeps `bgp ebgp-requires-policy` on (an
 * eBGP session without policy exchanges nothing instead of leaking) and `bgp network
 * import-check` on, and it is what VyOS runs, so both flavours behave the same.
 */
import { type PrefixRule, type RouterIntent, type RouterRenderInput, routerIntent } from "./model";
import { frrPasswordWord } from "./password";

export type { RouterRenderInput } from "./model";

function prefixLine(family: RouterIntent["family"], list: string, r: PrefixRule): string {
    const ip = family === "ipv4" ? "ip" : "ipv6";
    // "any" is FRR's keyword for every prefix of the list's family.
    const prefix = r.prefix;
    const ge = r.ge !== undefined ? ` ge ${r.ge}` : "";
    const le = r.le !== undefined ? ` le ${r.le}` : "";
    return `${ip} prefix-list ${list} seq ${r.seq} ${r.action} ${prefix}${ge}${le}`;
}

export function renderFrrIntent(i: RouterIntent): string {
    const ip = i.family === "ipv4" ? "ip" : "ipv6";
    const afi = i.family === "ipv4" ? "ipv4 unicast" : "ipv6 unicast";
    const out: string[] = [
        "frr defaults traditional",
        `hostname ${i.hostname}`,
        "log stdout informational",
        "service integrated-vtysh-config",
        "!",
        // Forwarding is also a container sysctl; zebra checks it on its own.
        `${ip} forwarding`,
        "!",
    ];
    // The aggregate stays in the RIB (and announceable) even when no more specific route exists;
    // unused parts of it are dropped here instead of following a default route back out.
    for (const b of i.blackholes) out.push(`${ip} route ${b} blackhole`);
    for (const r of i.staticRoutes) out.push(`${ip} route ${r.prefix} ${r.via}`);
    out.push("!", "interface lo", ` ${ip} address ${i.loopbackPrefix}`, "exit", "!");
    // vrrpd (FRR doc/user/vrrp.rst "Interface Configuration"; vrrpd/vrrp_vty.c): VRRPv3 on the node
    // segment's interface. The macvlan carrying the virtual address is made before FRR starts
    // (vrrplinks.ts); preempt is vrrpd's default, so the lowest-id router takes the address back.
    for (const v of i.vrrp) {
        out.push(`interface ${v.interface}`, ` vrrp ${v.vrid} version 3`, ` vrrp ${v.vrid} priority ${v.priority}`,
            ` vrrp ${v.vrid} advertisement-interval ${v.advertisementIntervalMs}`,
            ` vrrp ${v.vrid} ${v.family === "ipv4" ? "ip" : "ipv6"} ${v.address}`, "exit", "!");
    }
    out.push(`router bgp ${i.asn}`, ` bgp router-id ${i.routerId}`, " bgp log-neighbor-changes",
        // Sessions carry only the stack's family; IPv6-only stacks must not activate IPv4.
        " no bgp default ipv4-unicast");
    if (!i.filter) out.push(" no bgp ebgp-requires-policy");
    if (i.gracefulRestart) out.push(" bgp graceful-restart", ` bgp graceful-restart restart-time ${i.gracefulRestart.restartTime}`);
    if (i.maximumPaths !== undefined) out.push(" bgp bestpath as-path multipath-relax");
    for (const g of i.peerGroups) {
        out.push(` neighbor ${g.name} peer-group`, ` neighbor ${g.name} remote-as ${g.remoteAs}`);
        // FRR has no quoting: the password is one word, refused if it cannot be (password.ts).
        if (i.password !== undefined) out.push(` neighbor ${g.name} password ${frrPasswordWord(i.password)}`);
        if (g.ebgpMultihop !== undefined) out.push(` neighbor ${g.name} ebgp-multihop ${g.ebgpMultihop}`);
        if (g.updateSource !== undefined) out.push(` neighbor ${g.name} update-source ${g.updateSource}`);
        if (g.gracefulRestartDisabled) out.push(` neighbor ${g.name} graceful-restart-disable`);
        out.push(` neighbor ${g.name} timers ${i.keepalive} ${i.holdTime}`, ` neighbor ${g.name} timers connect ${i.connectRetry}`);
    }
    for (const g of i.peerGroups) for (const n of g.neighbors) out.push(` neighbor ${n} peer-group ${g.name}`);
    out.push(" !", ` address-family ${afi}`);
    for (const n of i.networks) out.push(`  network ${n}`);
    for (const g of i.peerGroups) {
        out.push(`  neighbor ${g.name} activate`);
        if (g.routeReflectorClient) out.push(`  neighbor ${g.name} route-reflector-client`);
        if (g.defaultOriginate) out.push(`  neighbor ${g.name} default-originate`);
        if (g.importPolicy) out.push(`  neighbor ${g.name} route-map ${g.importPolicy} in`);
        if (g.exportPolicy) out.push(`  neighbor ${g.name} route-map ${g.exportPolicy} out`);
    }
    if (i.maximumPaths !== undefined) out.push(`  maximum-paths ${i.maximumPaths}`, `  maximum-paths ibgp ${i.maximumPaths}`);
    out.push(" exit-address-family", "exit", "!");
    for (const pl of i.prefixLists) {
        for (const r of pl.rules) out.push(prefixLine(i.family, pl.name, r));
        out.push("!");
    }
    for (const rm of i.routeMaps) {
        for (const e of rm.entries) {
            out.push(`route-map ${rm.name} ${e.action} ${e.seq}`);
            if (e.matchPrefixList) out.push(` match ${ip} address prefix-list ${e.matchPrefixList}`);
            out.push("exit", "!");
        }
    }
    out.push("end");
    return `${out.join("\n")}\n`;
}

export function renderFrrConfig(input: RouterRenderInput): string {
    return renderFrrIntent(routerIntent(input));
}

const DAEMONS_ON = ["zebra", "bgpd", "staticd"];
const DAEMONS_OFF = ["ospfd", "ospf6d", "ripd", "ripngd", "isisd", "pimd", "pim6d", "ldpd", "nhrpd", "eigrpd", "babeld",
    "sharpd", "pbrd", "bfdd", "fabricd", "vrrpd", "pathd"];

/**
 * /etc/frr/daemons: BGP with zebra and staticd (for the blackhole aggregate), and vrrpd on a router
 * that is in a VRRP group; nothing else.
 */
export function renderFrrDaemons(o: { vrrp?: boolean } = {}): string {
    const on = o.vrrp ? [...DAEMONS_ON, "vrrpd"] : DAEMONS_ON;
    const lines = [
        ...on.map((d) => `${d}=yes`),
        ...DAEMONS_OFF.filter((d) => !on.includes(d)).map((d) => `${d}=no`),
        "vtysh_enable=yes",
        // Management ports on loopback only; the routers are reached with docker exec.
        "zebra_options=\"  -A 127.0.0.1 -s 90000000\"",
        "bgpd_options=\"   -A 127.0.0.1\"",
        "staticd_options=\"-A 127.0.0.1\"",
        ...(o.vrrp ? ["vrrpd_options=\"  -A 127.0.0.1\""] : []),
        "frr_profile=\"traditional\"",
    ];
    return `${lines.join("\n")}\n`;
}

/** /etc/frr/vtysh.conf: one integrated frr.conf, so `write memory` keeps the file we ship. */
export function renderVtyshConf(hostname?: string): string {
    const lines = ["service integrated-vtysh-config"];
    if (hostname !== undefined) lines.push(`hostname ${hostname}`);
    return `${lines.join("\n")}\n`;
}

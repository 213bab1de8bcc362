/**
 * FRR configuration (integrated frr.conf, daemons, vtysh.conf) for one router, FRR 8.4+
 * syntax. Pure: the same input gives the same bytes.
 *
 * `frr defaults traditional` unless routers[].frrDefaults picks datacenter: every timer and
 * neighbor logging are set explicitly here, and `bgp ebgp-requires-policy` (an eBGP session
 * without policy exchanges nothing instead of leaking) is kept on under either profile, so the
 * profile only decides the knobs left unset (bgpd/bgp_vty.c FRR_CFG_DEFAULT_*: datacenter adds
 * deterministic-med and show-hostname). Traditional is what VyOS runs.
 */
import { type FamilyIntent, type PrefixRule, type RouterIntent, type RouterRenderInput, type VrrpIntent, familiesOf, routerIntent } from "./model";
import { frrPasswordWord } from "./password";

export type { RouterRenderInput } from "./model";

const ipWord = (family: FamilyIntent["family"]): string => (family === "ipv4" ? "ip" : "ipv6");

function prefixLine(family: FamilyIntent["family"], list: string, r: PrefixRule): string {
    // "any" is FRR's keyword for every prefix of the list's family.
    const prefix = r.prefix;
    const ge = r.ge !== undefined ? ` ge ${r.ge}` : "";
    const le = r.le !== undefined ? ` le ${r.le}` : "";
    return `${ipWord(family)} prefix-list ${list} seq ${r.seq} ${r.action} ${prefix}${ge}${le}`;
}

/**
 * vrrpd's interface blocks. One virtual router (VRID) on an interface carries both families on a
 * dual stack (`vrrp N ip` and `vrrp N ipv6`: vrrpd/vrrp_vty.c keeps a v4 and a v6 instance per
 * VRID, sharing priority and interval), each on its own macvlan (vrrplinks.ts).
 */
function vrrpBlocks(hostname: string, groups: VrrpIntent[]): string[] {
    const byVrid = new Map<string, VrrpIntent[]>();
    for (const v of groups) {
        const k = `${v.interface} ${v.vrid}`;
        byVrid.set(k, [...(byVrid.get(k) ?? []), v]);
    }
    const out: string[] = [];
    for (const members of byVrid.values()) {
        const v = members[0];
        if (members.some((m) => m.priority !== v.priority || m.advertisementIntervalMs !== v.advertisementIntervalMs)) {
            throw new Error(`router ${hostname}: VRRP ${v.vrid} on ${v.interface} has different priorities or intervals per family; vrrpd has one of each`);
        }
        out.push(`interface ${v.interface}`, ` vrrp ${v.vrid} version 3`, ` vrrp ${v.vrid} priority ${v.priority}`,
            ` vrrp ${v.vrid} advertisement-interval ${v.advertisementIntervalMs}`,
            ...members.map((m) => ` vrrp ${m.vrid} ${ipWord(m.family)} ${m.address}`), "exit", "!");
    }
    return out;
}

export function renderFrrIntent(i: RouterIntent): string {
    const families = familiesOf(i);
    const out: string[] = [
        `frr defaults ${i.frrDefaults ?? "traditional"}`,
        `hostname ${i.hostname}`,
        "log stdout informational",
        "service integrated-vtysh-config",
        "!",
        // Forwarding is also a container sysctl; zebra checks it on its own.
        ...families.map((f) => `${ipWord(f.family)} forwarding`),
        "!",
    ];
    // The aggregate stays in the RIB (and announceable) even when no more specific route exists;
    // unused parts of it are dropped here instead of following a default route back out.
    for (const f of families) for (const b of f.blackholes) out.push(`${ipWord(f.family)} route ${b} blackhole`);
    for (const f of families) for (const r of f.staticRoutes) out.push(`${ipWord(f.family)} route ${r.prefix} ${r.via}`);
    out.push("!", "interface lo", ...families.map((f) => ` ${ipWord(f.family)} address ${f.loopbackPrefix}`), "exit", "!");
    // vrrpd (FRR doc/user/vrrp.rst "Interface Configuration"; vrrpd/vrrp_vty.c): VRRPv3 on the node
    // segment's interface. The macvlan carrying the virtual address is made before FRR starts
    // (vrrplinks.ts); preempt is vrrpd's default, so the lowest-id router takes the address back.
    out.push(...vrrpBlocks(i.hostname, families.flatMap((f) => f.vrrp)));
    out.push(`router bgp ${i.asn}`, ` bgp router-id ${i.routerId}`, " bgp log-neighbor-changes",
        // Each session carries only its own family: nothing is activated in IPv4 unless asked.
        " no bgp default ipv4-unicast");
    if (!i.filter) out.push(" no bgp ebgp-requires-policy");
    // The datacenter profile turns RFC 8212's rule off (FRR_CFG_DEFAULT_BOOL(BGP_EBGP_REQUIRES_POLICY)): keep it, as traditional does.
    else if (i.frrDefaults === "datacenter") out.push(" bgp ebgp-requires-policy");
    if (i.gracefulRestart) out.push(" bgp graceful-restart", ` bgp graceful-restart restart-time ${i.gracefulRestart.restartTime}`);
    if (families.some((f) => f.maximumPaths !== undefined)) out.push(" bgp bestpath as-path multipath-relax");
    const groups = families.flatMap((f) => f.peerGroups);
    for (const g of groups) {
        out.push(` neighbor ${g.name} peer-group`, ` neighbor ${g.name} remote-as ${g.remoteAs}`);
        // FRR has no quoting: the password is one word, refused if it cannot be (password.ts).
        if (i.password !== undefined) out.push(` neighbor ${g.name} password ${frrPasswordWord(i.password)}`);
        if (g.ebgpMultihop !== undefined) out.push(` neighbor ${g.name} ebgp-multihop ${g.ebgpMultihop}`);
        if (g.updateSource !== undefined) out.push(` neighbor ${g.name} update-source ${g.updateSource}`);
        if (g.gracefulRestartDisabled) out.push(` neighbor ${g.name} graceful-restart-disable`);
        out.push(` neighbor ${g.name} timers ${i.keepalive} ${i.holdTime}`, ` neighbor ${g.name} timers connect ${i.connectRetry}`);
    }
    for (const g of groups) for (const n of g.neighbors) out.push(` neighbor ${n} peer-group ${g.name}`);
    for (const f of families) {
        out.push(" !", ` address-family ${f.family === "ipv4" ? "ipv4 unicast" : "ipv6 unicast"}`);
        for (const n of f.networks) out.push(`  network ${n}`);
        for (const g of f.peerGroups) {
            out.push(`  neighbor ${g.name} activate`);
            if (g.routeReflectorClient) out.push(`  neighbor ${g.name} route-reflector-client`);
            if (g.defaultOriginate) out.push(`  neighbor ${g.name} default-originate`);
            if (g.importPolicy) out.push(`  neighbor ${g.name} route-map ${g.importPolicy} in`);
            if (g.exportPolicy) out.push(`  neighbor ${g.name} route-map ${g.exportPolicy} out`);
        }
        if (f.maximumPaths !== undefined) out.push(`  maximum-paths ${f.maximumPaths}`, `  maximum-paths ibgp ${f.maximumPaths}`);
        out.push(" exit-address-family");
    }
    out.push("exit", "!");
    for (const f of families) {
        for (const pl of f.prefixLists) {
            for (const r of pl.rules) out.push(prefixLine(f.family, pl.name, r));
            out.push("!");
        }
    }
    for (const f of families) {
        for (const rm of f.routeMaps) {
            for (const e of rm.entries) {
                out.push(`route-map ${rm.name} ${e.action} ${e.seq}`);
                if (e.matchPrefixList) out.push(` match ${ipWord(f.family)} address prefix-list ${e.matchPrefixList}`);
                out.push("exit", "!");
            }
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

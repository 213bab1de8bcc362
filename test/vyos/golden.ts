/**
 * What VyOS's FRR (lab/vyos/frr.ts) and the FRR flavour (components/routers/frr.ts) render
 * differently for one router of one plan, each difference with the reason it is there. Derived
 * from the router's intent (components/routers/model.ts), not from either rendering, so a
 * rendering that changes shows up as unexplained (or as an explanation that no longer applies).
 */
import { type RouterIntent, familiesOf, nodeInterfaceName } from "../../components/routers/model";
import { diffFrr } from "./frrdiff";

export interface Explained { side: "vyos" | "frr"; statement: string; why: string }

const FRR_DEFAULT_RESTART_TIME = 120;

/** Per family on a dual stack (each family's peer groups, prefix-lists, loopback and VRRP instance). */
export function explainedDifferences(i: RouterIntent): Explained[] {
    const families = familiesOf(i);
    const ipOf = (f: { family: string }): string => (f.family === "ipv4" ? "ip" : "ipv6");
    const rb = `router bgp ${i.asn}`;
    const out: Explained[] = [];
    const vyos = (statement: string, why: string): void => { out.push({ side: "vyos", statement, why }); };
    const frr = (statement: string, why: string): void => { out.push({ side: "frr", statement, why }); };

    vyos("log syslog", "VyOS's frr.service starts FRR from a file holding these two lines (frr.service.d/override.conf); logging only");
    vyos("log facility local7", "as above");
    frr("log stdout informational", "the FRR flavour logs to the container's stdout; logging only");
    frr("service integrated-vtysh-config", "vtysh's own setting (also in vtysh.conf); no daemon reads it");
    frr("frr defaults traditional", "VyOS gives the same profile on the daemons' command line: daemons.frr.tmpl frr_profile=\"traditional\" -> -F traditional");
    for (const f of families) frr(`${ipOf(f)} forwarding`, "VyOS sets forwarding with sysctls (system ip/ipv6), not in zebra; the lab's namespaces have it on");
    frr(`hostname ${i.hostname}`, "VyOS sets the kernel host name (system_host-name.py) and FRR takes it from there; the lab's stub adds this line");
    frr("interface lo", "VyOS puts the loopback address on lo with iproute2 (interfaces_loopback.py); the lab's stub does it through zebra");
    for (const f of families) frr(`interface lo / ${ipOf(f)} address ${f.loopbackPrefix}`, "as above");
    vyos(`${rb} / no bgp network import-check`, "bgpd.frr.j2 always renders it (VyOS T2100); the FRR flavour keeps the check, and every `network` is in the RIB (blackhole aggregate, connected loopback), so both announce the same prefixes");
    if (i.filter) vyos(`${rb} / bgp ebgp-requires-policy`, "bgpd.frr.j2 always writes one form or the other; the FRR flavour leaves out FRR's own default (on in every profile since FRR 7.4)");
    vyos(`${rb} / bgp conditional-advertisement timer 60`, "the XML defaultValue of `parameters conditional-advertisement timer`, merged by merge_defaults(recursive=True); 60 s is FRR's default too");
    for (const f of families) for (const g of f.peerGroups) {
        frr(`${rb} / neighbor ${g.name} timers ${i.keepalive} ${i.holdTime}`, "VyOS has timers per neighbor only (not on a peer-group): the same timers, set on each member");
        frr(`${rb} / neighbor ${g.name} timers connect ${i.connectRetry}`, "as above");
        for (const n of g.neighbors) {
            vyos(`${rb} / neighbor ${n} timers ${i.keepalive} ${i.holdTime}`, "per-neighbor timers (see the peer-group's)");
            vyos(`${rb} / neighbor ${n} timers connect ${i.connectRetry}`, "as above");
            vyos(`${rb} / address-family ${f.family} unicast / neighbor ${n} activate`, "VyOS needs an explicit address-family per neighbor and activates each; the FRR flavour activates the peer-group, whose members inherit it");
        }
        if (i.gracefulRestart && !g.gracefulRestartDisabled) {
            vyos(`${rb} / neighbor ${g.name} graceful-restart`, "VyOS enables graceful restart per peer (bgp neighbor|peer-group graceful-restart enable); the FRR flavour globally");
        }
    }
    if (i.gracefulRestart) {
        frr(`${rb} / bgp graceful-restart`, "global form of the per-peer graceful-restart VyOS renders");
        frr(`${rb} / bgp graceful-restart restart-time ${i.gracefulRestart.restartTime}`,
            `VyOS's CLI has no restart-time (bgpd.frr.j2 renders only stalepath-time): a VyOS router advertises FRR's default ${FRR_DEFAULT_RESTART_TIME} s${i.gracefulRestart.restartTime === FRR_DEFAULT_RESTART_TIME ? " (the same value here)" : `, not ${i.gracefulRestart.restartTime} s`}. It tells the nodes how long to keep this router's routes; Cilium rejects every learned route, so the nodes' forwarding does not change`);
    }
    // The FRR flavour has one vrrpd virtual router per VRID, carrying each family's address (frr.ts vrrpBlocks).
    const seenVrid = new Set<number>();
    for (const v of families.flatMap((f) => f.vrrp)) {
        const why = "VRRP: VyOS runs it with keepalived (high-availability vrrp, keepalived.conf.j2; the lab runs keepalived), not FRR's vrrpd";
        // The FRR flavour's name for the interface (the intent here is the VyOS router's: eth0).
        const ifname = nodeInterfaceName("frr");
        const first = !seenVrid.has(v.vrid);
        seenVrid.add(v.vrid);
        if (first) frr(`interface ${ifname}`, why);
        const shared = first ? [`vrrp ${v.vrid} version 3`, `vrrp ${v.vrid} priority ${v.priority}`, `vrrp ${v.vrid} advertisement-interval ${v.advertisementIntervalMs}`] : [];
        for (const line of [...shared, `vrrp ${v.vrid} ${v.family === "ipv4" ? "ip" : "ipv6"} ${v.address}`]) frr(`interface ${ifname} / ${line}`, "as above");
    }
    for (const f of families) {
        for (const pl of f.prefixLists) {
            for (const r of pl.rules.filter((x) => x.prefix === "any")) {
                const zero = f.family === "ipv4" ? "0.0.0.0/0" : "::/0";
                frr(`${ipOf(f)} prefix-list ${pl.name} seq ${r.seq} ${r.action} any`, "FRR's keyword for every prefix of the family");
                vyos(`${ipOf(f)} prefix-list ${pl.name} seq ${r.seq} ${r.action} ${zero} le ${f.hostLength}`, "VyOS has no `any`: the zero-length prefix up to host length, the same set");
            }
        }
    }
    return out;
}

export interface GoldenResult {
    /** Differences no explanation covers, as `vyos: <statement>` / `frr: <statement>`. */
    unexplained: string[];
    /** Explanations for a difference that is not there. */
    unused: string[];
}

/** Compares VyOS's rendering (without the lab's stub) with the FRR flavour's. */
export function compareWithFrrFlavour(vyosFrr: string, frrConf: string, explained: Explained[]): GoldenResult {
    const d = diffFrr(vyosFrr, frrConf);
    const want = (side: Explained["side"]): string[] => explained.filter((e) => e.side === side).map((e) => e.statement);
    const minus = (xs: string[], ys: string[]): string[] => {
        const left = [...ys];
        return xs.filter((x) => { const k = left.indexOf(x); if (k < 0) return true; left.splice(k, 1); return false; });
    };
    return {
        unexplained: [...minus(d.onlyLeft, want("vyos")).map((s) => `vyos: ${s}`), ...minus(d.onlyRight, want("frr")).map((s) => `frr: ${s}`)],
        unused: [...minus(want("vyos"), d.onlyLeft).map((s) => `vyos: ${s}`), ...minus(want("frr"), d.onlyRight).map((s) => `frr: ${s}`)],
    };
}

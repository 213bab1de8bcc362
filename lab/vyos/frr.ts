/**
 * A VyOS router's FRR files for the lab: config.boot -> the config dicts VyOS builds
 * (configdict.ts) -> VyOS's verify() rules (test/vyos/verify.ts; a failing rule is an error, as
 * it fails a real commit) -> VyOS's own templates rendered by VyOS's own Jinja environment
 * (render.py, python3-jinja2) -> one integrated frr.conf plus the daemons file VyOS writes.
 *
 * What a VyOS router holds in FRR after its boot commit, in order:
 * - `log syslog` / `log facility local7`: the file VyOS's frr.service starts from
 *   (src/etc/systemd/system/frr.service.d/override.conf);
 * - policy.frr.j2 (src/conf_mode/policy.py, into zebra and bgpd), staticd.frr.j2
 *   (protocols_static.py), bgpd.frr.j2 (protocols_bgp.py);
 * - the FRR profile from daemons.frr.tmpl (`frr_profile="traditional"`, passed as `-F`).
 * STUB (the lab's stand-ins for what VyOS does outside FRR) is appended after them.
 */
import { spawnSync } from "child_process";
import * as path from "path";
import { ConfigError } from "../../components/config/errors";
import { referencePath } from "../../reference/locate";
import { verifyCommit } from "../../test/vyos/verify";
import { type ConfigDict, bgpConfigDict, configBootCommands, configTree, getConfigDict, haConfigDict, policyConfigDict, staticConfigDict } from "./configdict";
import { renderKeepalivedConf } from "./keepalived";

/** The lab's notify_fifo for keepalived, relative to the router's lab directory (keepalived.ts). */
export const KEEPALIVED_FIFO = "keepalived_notify_fifo";

export const VYOS_TEMPLATES = (): string => referencePath("vyos", "frr-templates");
const RENDER_PY = path.join(__dirname, "render.py");

/** Marks the start of the lab's own lines in a generated frr.conf. */
export const STUB_MARK = "! ---- lab stand-ins for what VyOS does outside FRR (see README, \"VyOS routers in the lab\") ----";

export interface VyosFrr {
    /** Exactly what VyOS's commit puts into FRR (base file + the three templates). */
    vyosFrr: string;
    /** The lab's stand-ins: hostname, loopback addresses. */
    stub: string;
    /** vyosFrr + stub: the frr.conf the lab runs. */
    frrConf: string;
    /** daemons.frr.tmpl as system_frr.py renders it. */
    daemons: string;
    vtyshConf: string;
    /** keepalived.conf (lab/vyos/keepalived.ts) when the router has `high-availability`; its fifo path is `@DIR@/` + KEEPALIVED_FIFO, filled in by the engine. */
    keepalivedConf?: string;
    dicts: { bgp: ConfigDict; static: ConfigDict; policy: ConfigDict; ha?: ConfigDict };
    warnings: string[];
}

/** A VyOS commit would refuse this configuration (a configuration problem: exit 2, like the stack's own). */
export class VyosCommitError extends ConfigError {}

/** Rendered outputs by request: the same request renders the same text (one python3 run per distinct request). */
const rendered = new Map<string, Record<string, string>>();

/** Runs render.py: name -> rendered text. */
export function renderTemplates(items: { name: string; template: string; context: object }[], templateDir = VYOS_TEMPLATES()): Record<string, string> {
    const input = JSON.stringify({ templateDir, render: items });
    const known = rendered.get(input);
    if (known) return { ...known };
    const r = spawnSync("python3", [RENDER_PY], { input, encoding: "utf8", timeout: 60_000, maxBuffer: 16 * 1024 * 1024 });
    if (r.error) throw new Error(`python3 ${RENDER_PY}: ${r.error.message}`);
    if (r.status !== 0) throw new Error(`python3 ${RENDER_PY} failed (exit ${r.status}): ${r.stderr.trim().split("\n").slice(-3).join(" / ")}${/No module named 'jinja2'/.test(r.stderr) ? " (install python3-jinja2)" : ""}`);
    const out = JSON.parse(r.stdout) as Record<string, string>;
    rendered.set(input, out);
    return { ...out };
}

export interface VyosRouterInput {
    configBoot: string;
    /** Named in a rejection (`routers.<name>`). */
    router?: string;
    /** The addresses the lab gives the router's data interfaces (VyOS would have them under `interfaces ethernet`). */
    interfaceAddresses?: string[];
}

/** The FRR files of several VyOS routers, with one run of render.py for all of them. */
export function vyosFrrFilesAll(inputs: VyosRouterInput[]): VyosFrr[] {
    const prepared = inputs.map((o) => {
        const commands = configBootCommands(o.configBoot);
        const verdict = verifyCommit(commands, o.interfaceAddresses ?? []);
        if (verdict.errors.length) {
            throw new VyosCommitError(verdict.errors.map((rule) => ({
                path: `routers.${o.router ?? "(vyos)"}`, value: "rendered VyOS configuration", rule: `a VyOS commit would reject it: ${rule}`,
            })));
        }
        const root = configTree(commands);
        return { root, verdict, bgp: bgpConfigDict(root), stat: staticConfigDict(root), policy: policyConfigDict(root), ha: haConfigDict(root) };
    });
    const out = renderTemplates(prepared.flatMap((p, i) => [
        { name: `${i}/policy`, template: "frr/policy.frr.j2", context: p.policy },
        { name: `${i}/static`, template: "frr/staticd.frr.j2", context: p.stat },
        { name: `${i}/bgp`, template: "frr/bgpd.frr.j2", context: p.bgp },
        // system_frr.py get_config: `system frr` with recursive defaults; its only default
        // (descriptors 1024, interface-definitions/system_frr.xml.in) is not in the reference data.
        { name: `${i}/daemons`, template: "frr/daemons.frr.tmpl", context: { descriptors: "1024" } },
    ]));
    return prepared.map((p, i) => {
        const loopback = getConfigDict(p.root, ["interfaces", "loopback"], { keyMangling: true, getFirstKey: true, noTagNodeValueMangle: true });
        const loAddresses = Object.values(loopback).flatMap((lo) => ((lo as ConfigDict).address as string[] | undefined) ?? []);
        const vyosFrr = ["log syslog", "log facility local7", out[`${i}/policy`], out[`${i}/static`], out[`${i}/bgp`]].join("\n");
        const hostname = (p.root.system as ConfigDict | undefined)?.["host-name"];
        const stub = [
            STUB_MARK,
            // VyOS sets the kernel host name (system_host-name.py); FRR takes it from there. The lab's
            // namespaces share this machine's host name, so FRR is told.
            ...(typeof hostname === "string" ? [`hostname ${hostname}`] : []),
            // VyOS puts loopback addresses on lo with iproute2 (interfaces_loopback.py); zebra does the same here.
            ...(loAddresses.length ? ["interface lo", ...loAddresses.map((a) => ` ${a.includes(":") ? "ipv6" : "ip"} address ${a}`), "exit"] : []),
            "!",
        ].join("\n");
        return {
            vyosFrr, stub, frrConf: `${vyosFrr}\n${stub}\nend\n`, daemons: out[`${i}/daemons`],
            vtyshConf: "service integrated-vtysh-config\n",
            ...(p.ha ? { keepalivedConf: renderKeepalivedConf(p.ha, { notifyFifo: `@DIR@/${KEEPALIVED_FIFO}` }) } : {}),
            dicts: { bgp: p.bgp, static: p.stat, policy: p.policy, ...(p.ha ? { ha: p.ha } : {}) }, warnings: p.verdict.warnings,
        };
    });
}

/** The FRR files of one VyOS router from its config.boot. */
export function vyosFrrFiles(configBoot: string, o: Omit<VyosRouterInput, "configBoot"> = {}): VyosFrr {
    return vyosFrrFilesAll([{ ...o, configBoot }])[0];
}

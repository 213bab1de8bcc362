/**
 * The namespace engine: one Linux network namespace per router and per node on this machine,
 * one more ("sw") holding a bridge per node segment, veth pairs for every attachment and every
 * router-to-router link. FRR runs in the router namespaces from exactly the uploaded files
 * (daemons, vtysh.conf, frr.conf applied with `vtysh -b` as FRR's own init does); gobgpd runs
 * in the node namespaces. Nothing is created in the machine's own namespace.
 */
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import type { ExecResult, LabAddress, LabEngine, LabHost, LabRouter, LabTopology } from "./engine";
import { must, run, sleep, startDetached } from "./sh";
import { GOBGPD_FLAGS } from "./speaker";
import { FRR_DOCKER_START, FRR_START_SCRIPT } from "../components/routers/spec";
import { KEEPALIVED_CONF } from "./vyos/lab";
import { keepalivedArgv } from "./vyos/keepalived";

/**
 * The lines of an FRR router's start script (components/routers/vrrplinks.ts) up to its hand-over
 * to the image's docker-start: the VRRP macvlan devices. The lab runs them as the container would,
 * then starts FRR its own way.
 */
export function startScriptLines(script: string): string {
    const lines = script.split("\n");
    const handOver = lines.findIndex((l) => l.startsWith(`exec ${FRR_DOCKER_START}`));
    if (handOver < 0) throw new Error(`${FRR_START_SCRIPT} does not hand over to ${FRR_DOCKER_START}`);
    return lines.slice(0, handOver).join("\n");
}

const FRR_SBIN = "/usr/lib/frr";
/** Order matters: zebra first, bgpd needs its socket. */
const FRR_DAEMON_ORDER = ["zebra", "mgmtd", "staticd", "bgpd"];

/**
 * Daemons the `daemons` file switches on, with the options it gives them, as FRR's own
 * frrcommon.sh reads it (`daemon_list`, `daemon_start`): zebra and staticd always run, a daemon
 * whose binary is not installed is left out (`daemon_prep`), `frr_profile` becomes `-F <profile>`.
 */
export function parseDaemonsFile(text: string, installed: (daemon: string) => boolean = () => true): { daemon: string; options: string[] }[] {
    const on = new Set<string>(["zebra", "staticd"]);
    const options = new Map<string, string[]>();
    let profile: string | undefined;
    for (const line of text.split("\n")) {
        const m = /^(\w+)=(yes|no)\s*$/.exec(line.trim());
        if (m && m[2] === "yes" && !/_enable$/.test(m[1])) on.add(m[1]);
        const o = /^(\w+)_options="(.*)"\s*$/.exec(line.trim());
        if (o) options.set(o[1], o[2].trim().split(/\s+/).filter(Boolean));
        const p = /^frr_profile="(.*)"\s*$/.exec(line.trim());
        if (p && p[1]) profile = p[1];
    }
    const ordered = [...on].filter(installed).sort((a, b) => {
        const ia = FRR_DAEMON_ORDER.indexOf(a);
        const ib = FRR_DAEMON_ORDER.indexOf(b);
        return (ia < 0 ? 99 : ia) - (ib < 0 ? 99 : ib) || a.localeCompare(b);
    });
    return ordered.map((daemon) => ({ daemon, options: [...(profile ? ["-F", profile] : []), ...(options.get(daemon) ?? [])] }));
}

/** up() gave up because down() started (Ctrl-C during the build). */
export class LabInterrupted extends Error {}

export class NetnsEngine implements LabEngine {
    readonly name = "netns" as const;
    readonly prefix: string;
    readonly dir: string;
    private topology?: LabTopology;
    daemonsStartedAt?: number;
    private namespaces: string[] = [];
    private hosts = new Map<string, LabHost>();
    /** Interfaces per router namespace, to take them down with the router. */
    private routerIfaces = new Map<string, string[]>();

    constructor(o: { runId?: string; log?: (m: string) => void } = {}) {
        const id = o.runId ?? Math.random().toString(16).slice(2, 6);
        this.prefix = `cbf${id}`;
        this.dir = fs.mkdtempSync(path.join(os.tmpdir(), `${this.prefix}-`));
        // FRR drops to its own user: it must be able to pass through to its router's directory.
        fs.chmodSync(this.dir, 0o711);
        this.log = o.log ?? (() => undefined);
    }

    private readonly log: (m: string) => void;

    ns(host: string): string { return `${this.prefix}-${host}`; }

    /** Set by down(): up() stops before its next namespace or daemon, so nothing appears after teardown. */
    private closing = false;
    private upRunning?: Promise<void>;
    private downRunning?: Promise<void>;

    /** Runs a command in a lab namespace, unless teardown has begun (nothing may start after it). */
    private inLab(argv: string[]): Promise<ExecResult> {
        if (this.closing) return Promise.resolve({ code: 125, stdout: "", stderr: "the lab is being torn down" });
        return run(argv);
    }

    private checkOpen(): void {
        if (this.closing) throw new LabInterrupted("the lab is being torn down");
    }

    private async addNamespace(name: string, ipv6Only: boolean): Promise<void> {
        this.checkOpen();
        // Recorded before it exists: an interrupt between the two still deletes it.
        this.namespaces.push(name);
        await must(["ip", "netns", "add", name]);
        await must(["ip", "-n", name, "link", "set", "lo", "up"]);
        // Before any interface exists, so every one inherits it: no duplicate address detection
        // (it only delays the lab), and forwarding on for routers.
        const sysctls: Record<string, string> = {
            "net/ipv6/conf/all/accept_dad": "0", "net/ipv6/conf/default/accept_dad": "0",
            "net/ipv6/conf/all/forwarding": "1", "net/ipv6/conf/default/forwarding": "1",
            "net/ipv4/ip_forward": "1", "net/ipv4/conf/all/rp_filter": "0", "net/ipv4/conf/default/rp_filter": "0",
            "net/ipv6/conf/default/accept_ra": "0",
            // A stopped router's interfaces go down; like a container's, they come back with their addresses.
            "net/ipv6/conf/all/keep_addr_on_down": "1", "net/ipv6/conf/default/keep_addr_on_down": "1",
            // ECMP by L4 hash (addresses and ports), so connections from one client spread over equal paths.
            "net/ipv4/fib_multipath_hash_policy": "1", "net/ipv6/fib_multipath_hash_policy": "1",
        };
        if (ipv6Only) sysctls["net/ipv4/conf/all/arp_ignore"] = "1";
        const script = Object.entries(sysctls).map(([k, v]) => `echo ${v} > /proc/sys/${k}`).join("; ");
        await must(["ip", "netns", "exec", name, "sh", "-c", script]);
    }

    private async veth(nsA: string, ifA: string, nsB: string, ifB: string): Promise<void> {
        await must(["ip", "link", "add", "name", ifA, "netns", nsA, "type", "veth", "peer", "name", ifB, "netns", nsB]);
    }

    private async address(ns: string, iface: string, address: string, length: number): Promise<void> {
        const v6 = address.includes(":");
        await must(["ip", "-n", ns, ...(v6 ? ["-6"] : []), "addr", "add", `${address}/${length}`, "dev", iface, ...(v6 ? ["nodad"] : [])]);
        await must(["ip", "-n", ns, "link", "set", iface, "up"]);
    }

    up(t: LabTopology): Promise<void> {
        this.upRunning = this.build(t);
        return this.upRunning;
    }

    private async build(t: LabTopology): Promise<void> {
        this.topology = t;
        const ipv6Only = t.family === "ipv6";
        const sw = this.ns("sw");
        await this.addNamespace(sw, ipv6Only);
        const bridges = new Map<string, string>();
        for (const [i, s] of t.segments.filter((x) => x.kind === "nodes").entries()) {
            const br = `br${i}`;
            await must(["ip", "-n", sw, "link", "add", br, "type", "bridge"]);
            // Snooping would drop neighbour discovery until a querier shows up.
            await must(["ip", "-n", sw, "link", "set", br, "type", "bridge", "mcast_snooping", "0"]);
            await must(["ip", "-n", sw, "link", "set", br, "up"]);
            bridges.set(s.name, br);
        }
        let port = 0;
        const attach = async (host: string, iface: string, segment: string, address: string, length: number, more?: LabAddress): Promise<void> => {
            const br = segment === "client" ? this.clientBridge : bridges.get(segment);
            if (br) {
                const p = `p${port++}`;
                await this.veth(this.ns(host), iface, sw, p);
                await must(["ip", "-n", sw, "link", "set", p, "master", br]);
                await must(["ip", "-n", sw, "link", "set", p, "up"]);
            }
            await this.address(this.ns(host), iface, address, length);
            if (more) await this.address(this.ns(host), iface, more.address, more.prefixLength);
        };

        for (const r of t.routers) {
            await this.addNamespace(this.ns(r.name), ipv6Only);
            this.hosts.set(r.name, this.routerHost(r));
            // Names the configuration uses (VRRP interfaces) are taken before any ethN is handed out.
            this.reserved.set(r.name, new Set(r.interfaces.map((i) => i.name).filter((x): x is string => x !== undefined)));
        }
        // Links: one veth pair straight between the two routers.
        const running = new Set(t.routers.map((r) => r.name));
        for (const seg of t.segments.filter((x) => x.kind === "link")) {
            const ends = t.routers.flatMap((r) => r.interfaces.filter((i) => i.segment === seg.name).map((i) => ({ r, i })));
            if (ends.length !== 2 || !ends.every((e) => running.has(e.r.name))) continue;
            const [a, b] = ends.map((e) => ({ ...e, iface: this.nextIface(e.r.name) }));
            await this.veth(this.ns(a.r.name), a.iface, this.ns(b.r.name), b.iface);
            for (const e of [a, b]) {
                await this.address(this.ns(e.r.name), e.iface, e.i.address, e.i.prefixLength);
                if (e.i.secondary) await this.address(this.ns(e.r.name), e.iface, e.i.secondary.address, e.i.secondary.prefixLength);
            }
        }
        for (const r of t.routers) {
            for (const i of r.interfaces.filter((x) => bridges.has(x.segment))) {
                await attach(r.name, i.name !== undefined ? this.namedIface(r.name, i.name) : this.nextIface(r.name), i.segment, i.address, i.prefixLength, i.secondary);
            }
        }
        if (t.client) await this.addClient(t, sw, attach);
        for (const n of t.nodes) {
            await this.addNamespace(this.ns(n.name), ipv6Only);
            await attach(n.name, "eth0", n.segment, n.address, n.prefixLength, n.secondary);
            // What join.ts runs in the node container: its sysctls, then its route (dual stack: one per family).
            for (const route of [n.defaultRoute, n.secondary?.defaultRoute]) {
                if (!route) continue;
                const sysctls = route.sysctls.map(([k, v]) => `echo ${v} > /proc/sys/${k.replace(/\./g, "/")}`);
                if (sysctls.length) await must(["ip", "netns", "exec", this.ns(n.name), "sh", "-c", sysctls.join("; ")]);
                await must(["ip", "-n", this.ns(n.name), ...route.ipArgs]);
            }
            this.hosts.set(n.name, this.nodeHost(n.name));
        }
        this.daemonsStartedAt = Date.now();
        for (const r of t.routers) await this.startRouter(r.name);
        for (const n of t.nodes) await this.startSpeaker(n.name, n.gobgpdConfig);
    }

    /**
     * The external client: its own bridge, the client at the segment's first address, each
     * top-tier router with one more interface on it. Its default route spreads over those routers;
     * it is a host (no forwarding), uses neighbour state to skip a dead router (IPv4
     * fib_multipath_use_neigh; IPv6 does so for hosts), and notices a dead neighbour within seconds.
     */
    private async addClient(t: LabTopology, sw: string, attach: (host: string, iface: string, segment: string, address: string, length: number, more?: LabAddress) => Promise<void>): Promise<void> {
        const c = t.client!;
        await must(["ip", "-n", sw, "link", "add", "brc", "type", "bridge"]);
        await must(["ip", "-n", sw, "link", "set", "brc", "type", "bridge", "mcast_snooping", "0"]);
        await must(["ip", "-n", sw, "link", "set", "brc", "up"]);
        this.clientBridge = "brc";
        const ns = this.ns("client");
        await this.addNamespace(ns, t.family === "ipv6");
        const v = t.family === "ipv6" ? "ipv6" : "ipv4";
        await must(["ip", "netns", "exec", ns, "sh", "-c", [
            "echo 0 > /proc/sys/net/ipv4/ip_forward", "echo 0 > /proc/sys/net/ipv6/conf/all/forwarding", "echo 0 > /proc/sys/net/ipv6/conf/default/forwarding",
            "echo 1 > /proc/sys/net/ipv4/fib_multipath_use_neigh",
        ].join("; ")]);
        // Dual stack: the IPv6 half's client segment rides the same cable (c.secondary: same routers, in the same order).
        const c6 = c.secondary;
        const more = (k: number): LabAddress | undefined => (c6 ? { address: c6.routers[k].address, prefixLength: c6.prefixLength } : undefined);
        for (const [k, r] of c.routers.entries()) await attach(r.name, this.nextIface(r.name), "client", r.address, c.prefixLength, more(k));
        await attach("client", "eth0", "client", c.address, c.prefixLength, c6 ? { address: c6.address, prefixLength: c6.prefixLength } : undefined);
        for (const [spec, fam] of [[c, v], ...(c6 ? [[c6, "ipv6"] as const] : [])] as const) {
            await must(["ip", "netns", "exec", ns, "sh", "-c",
                `echo 1000 > /proc/sys/net/${fam}/neigh/eth0/base_reachable_time_ms; echo 1 > /proc/sys/net/${fam}/neigh/eth0/delay_first_probe_time`]);
            const hops = spec.routers.flatMap((r) => ["nexthop", "via", r.address]);
            await must(["ip", "-n", ns, ...(fam === "ipv6" ? ["-6"] : []), "route", "add", "default", ...hops]);
        }
        this.hosts.set("client", { name: "client", role: "node", exec: (argv: string[]) => this.inLab(["ip", "netns", "exec", ns, ...argv]) });
    }

    private clientBridge?: string;

    hasClient(): boolean { return this.hosts.has("client"); }

    private readonly reserved = new Map<string, Set<string>>();

    private nextIface(router: string): string {
        const list = this.routerIfaces.get(router) ?? [];
        const taken = new Set([...list, ...(this.reserved.get(router) ?? [])]);
        let n = 0;
        while (taken.has(`eth${n}`)) n++;
        const name = `eth${n}`;
        this.routerIfaces.set(router, [...list, name]);
        return name;
    }

    private namedIface(router: string, name: string): string {
        this.routerIfaces.set(router, [...(this.routerIfaces.get(router) ?? []), name]);
        return name;
    }

    private routerDir(name: string): string { return path.join(this.dir, name); }

    private routerHost(r: LabRouter): LabHost {
        const ns = this.ns(r.name);
        const dir = this.routerDir(r.name);
        return {
            name: r.name, role: "router",
            // vtysh finds the daemons through this router's own socket directory.
            exec: (argv: string[]): Promise<ExecResult> => this.inLab(["ip", "netns", "exec", ns, ...(argv[0] === "vtysh" ? ["vtysh", "--vty_socket", dir, ...argv.slice(1)] : argv)]),
        };
    }

    private nodeHost(name: string): LabHost {
        const ns = this.ns(name);
        return { name, role: "node", exec: (argv: string[]) => this.inLab(["ip", "netns", "exec", ns, ...argv]) };
    }

    auxiliaryHosts(): LabHost[] {
        const ns = this.ns("sw");
        return this.namespaces.includes(ns) ? [{ name: "sw (bridges)", role: "node", exec: (argv: string[]) => this.inLab(["ip", "netns", "exec", ns, ...argv]) }] : [];
    }

    host(name: string): LabHost {
        const h = this.hosts.get(name);
        if (!h) throw new Error(`no lab host ${name}`);
        return h;
    }

    async startRouter(name: string): Promise<void> {
        this.checkOpen();
        const r = this.topology?.routers.find((x) => x.name === name);
        if (!r) throw new Error(`no lab router ${name}`);
        const ns = this.ns(name);
        const dir = this.routerDir(name);
        fs.rmSync(dir, { recursive: true, force: true });
        fs.mkdirSync(dir, { recursive: true, mode: 0o750 });
        for (const f of r.files) fs.writeFileSync(path.join(dir, path.basename(f.file)), f.content, { mode: 0o640 });
        // The daemons drop privileges to frr: they must read the files and write their sockets.
        await run(["chown", "-R", "frr:frr", dir]);
        for (const iface of this.routerIfaces.get(name) ?? []) await must(["ip", "-n", ns, "link", "set", iface, "up"]);
        const daemonsFile = r.files.find((f) => f.file.endsWith("/daemons"))?.content ?? "zebra=yes\nbgpd=yes\nstaticd=yes\n";
        for (const d of parseDaemonsFile(daemonsFile, (x) => fs.existsSync(path.join(FRR_SBIN, x)))) {
            await must(["ip", "netns", "exec", ns, path.join(FRR_SBIN, d.daemon), "-d", ...d.options,
                "--vty_socket", dir, "-z", path.join(dir, "zserv.api"), "-i", path.join(dir, `${d.daemon}.pid`), "-f", "/dev/null",
                "--log", `file:${path.join(dir, `${d.daemon}.log`)}`]);
        }
        // Exactly what the container's init does with the integrated config.
        // The container's start script first: vrrpd's macvlan devices (components/routers/vrrplinks.ts).
        const start = r.files.find((f) => f.file === FRR_START_SCRIPT);
        if (start) {
            const links = await run(["ip", "netns", "exec", ns, "sh", "-c", startScriptLines(start.content)]);
            if (links.code !== 0) throw new Error(`router ${name}: its start script failed: ${(links.stdout + links.stderr).trim()}`);
        }
        const boot = await run(["ip", "netns", "exec", ns, "vtysh", "--vty_socket", dir, "--config_dir", dir, "-b"]);
        if (boot.code !== 0) throw new Error(`router ${name}: vtysh -b rejected frr.conf: ${(boot.stdout + boot.stderr).trim()}`);
        // Lab only: a top-tier router announces the external client's segment (see README, BGP lab).
        const client = this.topology?.client;
        for (const c of client ? [client, ...(client.secondary ? [client.secondary] : [])] : []) {
            const mine = c.routers.find((x) => x.name === name);
            if (!mine) continue;
            const afi = c.prefix.includes(":") ? "ipv6 unicast" : "ipv4 unicast";
            const add = await run(["ip", "netns", "exec", ns, "vtysh", "--vty_socket", dir, "-c", "configure terminal", "-c", `router bgp ${mine.asn}`,
                "-c", `address-family ${afi}`, "-c", `network ${c.prefix}`]);
            if (add.code !== 0) throw new Error(`router ${name}: could not announce the lab client segment ${c.prefix}: ${(add.stdout + add.stderr).trim()}`);
        }
        // A VyOS router's VRRP: keepalived, as VyOS starts it (lab/vyos/keepalived.ts).
        const ka = r.files.find((f) => f.file === KEEPALIVED_CONF);
        if (ka) {
            fs.writeFileSync(path.join(dir, "keepalived.conf"), ka.content.split("@DIR@").join(dir), { mode: 0o640 });
            startDetached(["ip", "netns", "exec", ns, ...keepalivedArgv(dir)], path.join(dir, "keepalived.log"));
        }
        this.log(`router ${name}: FRR${ka ? " and keepalived" : ""} started in namespace ${ns}`);
    }

    async stopRouter(name: string): Promise<void> {
        const ns = this.ns(name);
        // Daemons first, so their sessions close with a notification, then the cables.
        await this.killNamespace(ns);
        for (const iface of this.routerIfaces.get(name) ?? []) await run(["ip", "-n", ns, "link", "set", iface, "down"]);
        this.log(`router ${name}: stopped`);
    }

    async killNode(name: string): Promise<void> {
        const ns = this.ns(name);
        const pids = (await run(["ip", "netns", "pids", ns])).stdout.split(/\s+/).filter(Boolean);
        if (pids.length > 0) await run(["kill", "-KILL", ...pids]);
        this.log(`node ${name}: killed (SIGKILL)`);
    }

    private async startSpeaker(name: string, config: string): Promise<void> {
        this.checkOpen();
        const dir = path.join(this.dir, name);
        fs.mkdirSync(dir, { recursive: true });
        const file = path.join(dir, "gobgpd.toml");
        fs.writeFileSync(file, config, { mode: 0o600 });
        startDetached(["ip", "netns", "exec", this.ns(name), "gobgpd", "-f", file, ...GOBGPD_FLAGS, "--api-hosts", "127.0.0.1:50051"], path.join(dir, "gobgpd.log"));
    }

    private async killNamespace(ns: string): Promise<void> {
        for (const signal of ["TERM", "KILL"]) {
            const pids = (await run(["ip", "netns", "pids", ns])).stdout.split(/\s+/).filter(Boolean);
            if (pids.length === 0) return;
            await run(["kill", `-${signal}`, ...pids]);
            for (let i = 0; i < 20; i++) {
                await sleep(100);
                if ((await run(["ip", "netns", "pids", ns])).stdout.trim() === "") return;
            }
        }
    }

    /** Idempotent and safe while up() still runs (a signal): waits for up() to stop, then removes everything. */
    down(): Promise<void> {
        this.closing = true;
        this.downRunning ??= this.teardown();
        return this.downRunning;
    }

    private async teardown(): Promise<void> {
        if (this.upRunning) await this.upRunning.catch(() => undefined);
        for (const ns of [...this.namespaces].reverse()) {
            await this.killNamespace(ns);
            await run(["ip", "netns", "del", ns]);
        }
        this.namespaces = [];
        fs.rmSync(this.dir, { recursive: true, force: true });
    }
}

/** Namespaces some earlier lab run left behind (it was killed with SIGKILL, say). */
export async function staleNamespaces(): Promise<string[]> {
    const out = (await run(["ip", "netns", "list"])).stdout;
    return out.split("\n").map((l) => l.split(" ")[0]).filter((n) => /^cbf[0-9a-f]{4}-/.test(n));
}

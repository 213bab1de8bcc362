/**
 * The lab on a Docker engine: the router fleet exactly as the program registered it (through
 * translate.ts), plus one gobgpd node speaker container per Kubernetes node, on the same networks.
 * Everything it creates carries the run's labels and name prefix, and `down` removes it all (and
 * stops a dockerd it started), also after a failed or partial `up`.
 */
import { randomBytes } from "crypto";
import * as os from "os";
import type Docker from "dockerode";
import type { LabEngine, LabHost, LabTopology } from "../engine";
import { type DockerConnection, ensureDaemon } from "./daemon";
import { pidAlive, sleep } from "../sh";
import { dockerExec, statusOf } from "./exec";
import { type BuiltImage, ROUTER_RECIPE, SPEAKER_RECIPE, ensureImage } from "./images";
import { dockerGatewayProblem } from "./ipam";
import {
    CLIENT_HOST, clientAnnouncementCommand, clientContainer, clientNetwork, clientNetworkProblems, clientRouteCommand,
    clientRouterEndpoint,
} from "./client";
import { tarArchive } from "./tar";
import {
    type ContainerPlan, type FileToPut, type FleetPlan, LAB_LABEL, LAB_PID_LABEL, type TranslateContext,
    speakerContainer, translateFleet,
} from "./translate";

export const LAB_HOST_LABEL = "cilium-bgp-fabric/lab-host";

export interface DockerEngineOptions {
    log?: (line: string) => void;
    /**
     * "local" (default): the lab's own Debian + FRR image replaces the image the program registered;
     * "recorded": run the registered image (e.g. the pinned upstream FRR image), pulling it if missing.
     * Default: CBF_LAB_ROUTER_IMAGE from the environment, else "local".
     */
    routerImage?: "local" | "recorded";
    rebuildImages?: boolean;
    env?: NodeJS.ProcessEnv;
    /** Names this run's objects `cbflab-<runId>-...`; random by default. */
    runId?: string;
}

export type HealthStatus = "starting" | "healthy" | "unhealthy" | "none" | "not running" | "missing";

export interface RouterHealth {
    router: string;
    container: string;
    status: HealthStatus;
    /** Output of the last health probe, when Docker kept one. */
    lastProbe?: string;
}

/** What `up` did, for the lab's report. */
export interface DockerUpReport {
    engine: { source: string; version: string; private: boolean };
    images: BuiltImage[];
    /** Recorded image -> the image the lab ran instead (empty with routerImage "recorded"). */
    substitutions: { recorded: string; used: string; routers: string[] }[];
    networks: string[];
    containers: string[];
    seconds: Record<string, number>;
}

interface HostEntry { container: string; role: "router" | "node" }


export class DockerEngine implements LabEngine {
    readonly name = "docker" as const;
    readonly runId: string;
    readonly runPrefix: string;
    daemonsStartedAt?: number;
    /** Filled by `up` as it goes (so a failed `up` still reports what it got to). */
    report: DockerUpReport | undefined;

    private conn: DockerConnection | undefined;
    private readonly hosts = new Map<string, HostEntry>();
    private readonly madeContainers = new Set<string>();
    private readonly madeNetworks = new Set<string>();
    private routerContainers: { router: string; container: string }[] = [];
    private ipv6Only = false;
    private topology: LabTopology | undefined;
    private readonly log: (line: string) => void;

    constructor(private readonly o: DockerEngineOptions = {}) {
        this.runId = o.runId ?? randomBytes(3).toString("hex");
        this.runPrefix = `cbflab-${this.runId}`;
        this.log = o.log ?? ((): void => undefined);
    }

    /** The option, else CBF_LAB_ROUTER_IMAGE=recorded|local from the environment, else local. */
    private routerImageChoice(): "local" | "recorded" {
        const fromEnv = (this.o.env ?? process.env).CBF_LAB_ROUTER_IMAGE;
        return this.o.routerImage ?? (fromEnv === "recorded" ? "recorded" : "local");
    }

    private get docker(): Docker {
        if (!this.conn) throw new Error("docker lab: not up");
        return this.conn.docker;
    }

    private runLabels(): Record<string, string> {
        return { [LAB_LABEL]: this.runId, [LAB_PID_LABEL]: String(process.pid), [LAB_HOST_LABEL]: os.hostname() };
    }

    async up(t: LabTopology): Promise<void> {
        this.ipv6Only = t.family === "ipv6";
        this.topology = t;
        const seconds: Record<string, number> = {};
        const timed = async <T>(phase: string, f: () => Promise<T>): Promise<T> => {
            const t0 = Date.now();
            try {
                return await f();
            } finally {
                seconds[phase] = (Date.now() - t0) / 1000;
            }
        };
        const conn = await timed("engine", () => ensureDaemon({ log: this.log, ...(this.o.env ? { env: this.o.env } : {}) }));
        this.conn = conn;
        this.log(`docker: engine ${conn.version} (${conn.source})`);
        const report: DockerUpReport = {
            engine: { source: conn.source, version: conn.version, private: conn.private },
            images: [], substitutions: [], networks: [], containers: [], seconds,
        };
        this.report = report;
        await this.pruneStale();

        const local = this.routerImageChoice() === "local";
        const imageOptions = { log: this.log, ...(this.o.rebuildImages ? { rebuild: true } : {}), ...(this.o.env ? { env: this.o.env } : {}) };
        // Both at once: debootstrap mostly waits on the network.
        const [speaker, router] = await timed("images", () => Promise.all([
            ensureImage(conn.docker, SPEAKER_RECIPE, imageOptions),
            ...(local ? [ensureImage(conn.docker, ROUTER_RECIPE, imageOptions)] : []),
        ]));
        report.images = router ? [router, speaker] : [speaker];
        for (const i of report.images) this.log(`docker: image ${i.tag}: ${i.how} (${i.seconds.toFixed(1)} s)`);

        const ctx: TranslateContext = {
            runPrefix: this.runPrefix,
            runLabels: this.runLabels(),
            routerImage: router ? { kind: "local", image: router.tag } : { kind: "recorded" },
        };
        const fleet = translateFleet(t.recorded, ctx, new Set(t.skipped.map((s) => s.router)));
        this.checkAgainstTopology(fleet, t);
        report.substitutions = substitutions(fleet.containers);
        for (const s of report.substitutions) {
            this.log(`docker: image substitution: ${s.recorded} (registered by the program) -> ${s.used} (built locally) for ${s.routers.join(", ")}`);
        }
        if (ctx.routerImage.kind === "recorded") {
            await timed("pull", () => this.pullMissing([...new Set(fleet.containers.map((c) => c.image))]));
        }

        const client = t.client;
        if (client) {
            const problems = clientNetworkProblems(client);
            if (problems.length) throw new Error(`docker: the lab client network ${client.prefix}: ${problems.join("; ")}`);
        }
        const networks = [...fleet.networks.map((n) => n.create), ...(client ? [clientNetwork(client, ctx, t.family)] : [])];
        await timed("networks", async () => {
            for (const create of networks) {
                try {
                    const net = await this.docker.createNetwork(create);
                    this.madeNetworks.add(net.id);
                } catch (e) {
                    const msg = (e as Error).message;
                    const configs = create.IPAM?.Config ?? [];
                    const gatewayProblems = configs.map((c) => (c.Subnet && c.Gateway ? dockerGatewayProblem(c.Subnet, c.Gateway) : undefined)).filter(Boolean);
                    const hint = gatewayProblems.length ? ` (the plan's Docker gateway: ${gatewayProblems.join("; ")})`
                        : /overlap/i.test(msg)
                            ? ` (another Docker network uses ${configs.map((c) => c.Subnet).join(", ")}: a \`pulumi up\` of this stack, or a lab run not torn down; \`docker network ls\`)`
                            : "";
                    throw new Error(`docker: creating network ${create.Name}: ${msg}${hint}`);
                }
                report.networks.push(create.Name as string);
            }
        });
        await timed("routers", async () => {
            for (const c of fleet.containers) {
                // Lab only: the top-tier routers get one more network, the client segment, before they start.
                const onClient = client?.routers.find((r) => r.name === c.router);
                const extra = client && onClient ? [{ network: clientNetwork(client, ctx, t.family).Name as string, endpoint: clientRouterEndpoint(onClient.address, t.family) }] : [];
                await this.createRouter({ ...c, connect: [...c.connect, ...extra] });
            }
            this.daemonsStartedAt = Date.now();
            for (const c of fleet.containers) {
                await this.docker.getContainer(c.create.name as string).start();
                await this.dropIpv4(c.create.name as string);
            }
        });
        const speakers: string[] = [];
        await timed("speakers", async () => {
            for (const node of t.nodes) {
                const net = fleet.networks.find((n) => n.segment === node.segment);
                if (!net) throw new Error(`docker: node ${node.name} is on segment ${node.segment}, for which the fleet registered no network`);
                const s = speakerContainer(node, ctx, {
                    image: speaker.tag, network: net.create.Name, family: t.family,
                    defaultRoute: node.defaultRoute,
                });
                const name = s.create.name as string;
                const made = await this.docker.createContainer(s.create);
                this.madeContainers.add(made.id);
                report.containers.push(name);
                await this.put(made, s.files);
                await made.start();
                await this.dropIpv4(name);
                this.hosts.set(node.name, { container: name, role: "node" });
                speakers.push(name);
            }
        });
        const clients: string[] = [];
        if (client) {
            await timed("client", async () => {
                const create = clientContainer(client, ctx, { image: speaker.tag, network: clientNetwork(client, ctx, t.family).Name as string, family: t.family });
                const made = await this.docker.createContainer(create);
                this.madeContainers.add(made.id);
                report.containers.push(create.name as string);
                await made.start();
                await this.dropIpv4(create.name as string);
                const route = await dockerExec(this.docker, create.name as string, clientRouteCommand(client, t.family));
                if (route.code !== 0) throw new Error(`docker: the lab client's default route (${clientRouteCommand(client, t.family).join(" ")}): ${(route.stderr || route.stdout).trim()}`);
                this.hosts.set(CLIENT_HOST, { container: create.name as string, role: "node" });
                clients.push(create.name as string);
                await Promise.all(client.routers.map((r) => this.announceClient(r.name)));
            });
        }
        // One check for routers and speakers alike, after all of them started: its pause for a
        // failing PID 1 then costs the run (and the convergence clock) once, not per group.
        await timed("running", () => this.checkRunning([...fleet.containers.filter((c) => c.mustRun).map((c) => c.create.name as string), ...speakers, ...clients]));
    }

    /**
     * Lab only, as the namespace engine does after `vtysh -b`: a top-tier router announces the client
     * segment with one `network` line added through vtysh, once FRR has loaded the uploaded frr.conf
     * (its `router bgp` is in the running config). A router that starts again boots from the files
     * alone, so startRouter adds it again.
     */
    private async announceClient(router: string, timeoutSeconds = 60): Promise<void> {
        const c = this.topology?.client;
        if (!c || !c.routers.some((r) => r.name === router) || !this.hosts.has(CLIENT_HOST)) return;
        const container = this.router(router);
        const asn = c.routers.find((r) => r.name === router)!.asn;
        const t0 = Date.now();
        for (;;) {
            const running = await dockerExec(this.docker, container, ["vtysh", "-c", "show running-config"]);
            if (running.code === 0 && new RegExp(`^router bgp ${asn}\\b`, "m").test(running.stdout)) break;
            if (Date.now() - t0 > timeoutSeconds * 1000) {
                throw new Error(`docker: router ${router}: FRR did not load its frr.conf within ${timeoutSeconds} s (no \`router bgp ${asn}\` in its running config), so the lab client segment cannot be announced`);
            }
            await sleep(200);
        }
        const add = await dockerExec(this.docker, container, clientAnnouncementCommand(c, router));
        if (add.code !== 0) throw new Error(`docker: router ${router}: could not announce the lab client segment ${c.prefix}: ${(add.stdout + add.stderr).trim()}`);
        this.log(`docker: router ${router}: announces the lab client segment ${c.prefix}`);
    }

    /** LabEngine: whether `up` built the external client. */
    hasClient(): boolean {
        return this.hosts.has(CLIENT_HOST);
    }

    /** The client container, so that the IPv6-only check covers it too (Docker gives it IPv4 as well). */
    auxiliaryHosts(): LabHost[] {
        return this.hosts.has(CLIENT_HOST) ? [this.host(CLIENT_HOST)] : [];
    }

    /**
     * Docker gives every bridge network an IPv4 subnet too (an IPv6-only network needs EnableIPv4=false,
     * Docker 28+; @pulumi/docker 5.2 cannot ask for it). On an IPv6-only stack the lab takes those
     * Docker-chosen IPv4 addresses away again after each start, so that the hosts are IPv6-only as
     * planned and the lab's IPv6-only check means what it says.
     */
    private async dropIpv4(container: string): Promise<void> {
        if (!this.ipv6Only) return;
        const r = await dockerExec(this.docker, container, ["ip", "-4", "addr", "flush", "scope", "global"]);
        if (r.code !== 0) throw new Error(`docker: removing Docker's IPv4 addresses in ${container}: ${(r.stderr || r.stdout).trim()}`);
    }

    private checkAgainstTopology(fleet: FleetPlan, t: LabTopology): void {
        const planned = new Set(t.routers.map((r) => r.name));
        const recorded = new Set(fleet.containers.map((c) => c.router));
        const missing = [...planned].filter((r) => !recorded.has(r));
        const extra = [...recorded].filter((r) => !planned.has(r));
        if (missing.length || extra.length) {
            throw new Error(`docker: the recorded fleet and the lab topology disagree: routers only in the topology: [${missing.join(", ")}], only recorded: [${extra.join(", ")}]`);
        }
    }

    private async pullMissing(images: string[]): Promise<void> {
        for (const image of images) {
            try {
                await this.docker.getImage(image).inspect();
                continue;
            } catch {
                // not present: pull
            }
            this.log(`docker: pulling ${image}`);
            try {
                const stream = await this.docker.pull(image);
                await new Promise<void>((resolve, reject) => {
                    this.docker.modem.followProgress(stream, (err: Error | null) => (err ? reject(err) : resolve()));
                });
            } catch (e) {
                throw new Error(`docker: pulling ${image} (the registered router image) failed: ${(e as Error).message.trim()}; ` +
                    "without registry access run the lab's own image (unset CBF_LAB_ROUTER_IMAGE), or load the image into the engine first");
            }
        }
    }

    private async createRouter(c: ContainerPlan): Promise<void> {
        const name = c.create.name as string;
        const made = await this.docker.createContainer(c.create);
        this.madeContainers.add(made.id);
        this.report?.containers.push(name);
        // Docker attaches only the first network at create time; the rest must be there before start.
        for (const x of c.connect) await this.docker.getNetwork(x.network).connect({ Container: made.id, EndpointConfig: x.endpoint });
        await this.put(made, c.files);
        this.hosts.set(c.router, { container: name, role: "router" });
        this.routerContainers.push({ router: c.router, container: name });
    }

    /** The files the provider would upload: one tar, extracted at /, before start. */
    private async put(container: Docker.Container, files: FileToPut[]): Promise<void> {
        if (!files.length) return;
        await container.putArchive(tarArchive(files.map((f) => ({ path: f.path, content: f.content, mode: f.mode }))), { path: "/" });
    }

    private async checkRunning(names: string[]): Promise<void> {
        // Give PID 1 a moment to fail on a bad configuration rather than report "running" too early.
        await sleep(1000);
        for (const name of names) {
            const info = await this.docker.getContainer(name).inspect();
            if (!info.State.Running) {
                const logs = await this.docker.getContainer(name).logs({ stdout: true, stderr: true, tail: 30 });
                throw new Error(`docker: ${name} is not running (${info.State.Status}, exit ${info.State.ExitCode}); its last output:\n${logs.toString("utf8")}`);
            }
        }
    }

    host(name: string): LabHost {
        const entry = this.hosts.get(name);
        if (!entry) throw new Error(`docker lab: no router or node named ${name}`);
        return { name, role: entry.role, exec: (argv) => dockerExec(this.docker, entry.container, argv) };
    }

    private router(name: string): string {
        const entry = this.hosts.get(name);
        if (!entry || entry.role !== "router") throw new Error(`docker lab: no router named ${name}`);
        return entry.container;
    }

    async stopRouter(name: string): Promise<void> {
        await this.docker.getContainer(this.router(name)).stop();
    }

    async startRouter(name: string): Promise<void> {
        const container = this.router(name);
        await this.docker.getContainer(container).start();
        await this.dropIpv4(container);
        await this.announceClient(name);
    }

    /** Every router container's health status now. */
    async health(): Promise<RouterHealth[]> {
        const out: RouterHealth[] = [];
        for (const { router, container } of this.routerContainers) {
            try {
                const info = await this.docker.getContainer(container).inspect();
                const h = info.State.Health;
                const last = h?.Log?.[h.Log.length - 1];
                const status: HealthStatus = !info.State.Running ? "not running" : ((h?.Status as HealthStatus | undefined) ?? "none");
                out.push({ router, container, status, ...(last ? { lastProbe: `exit ${last.ExitCode}: ${last.Output.trim().slice(0, 400)}` } : {}) });
            } catch (e) {
                if (statusOf(e) !== 404) throw e;
                out.push({ router, container, status: "missing" });
            }
        }
        return out;
    }

    /**
     * LabEngine: waits until every router container's health check passes (stopping early when one
     * turns unhealthy or stops; the default wait covers the fleet's start period plus every retry),
     * then gives one problem per router whose check did not pass.
     */
    async healthProblems(timeoutSeconds = 120): Promise<string[]> {
        const t0 = Date.now();
        let routers = await this.health();
        const settled = (): boolean => routers.every((r) => r.status === "healthy")
            || routers.some((r) => r.status === "unhealthy" || r.status === "not running" || r.status === "missing");
        while (!settled() && Date.now() - t0 <= timeoutSeconds * 1000) {
            await sleep(1000);
            routers = await this.health();
        }
        return routers.filter((x) => x.status !== "healthy")
            .map((x) => `router ${x.router}: container health check ${x.status}${x.lastProbe ? ` (${x.lastProbe})` : ""}`);
    }

    /**
     * Objects of earlier runs on this host whose lab process is gone (killed before teardown): they
     * hold the same subnets and would make network creation fail. Another live run's are left alone.
     */
    private async pruneStale(): Promise<void> {
        const filters = JSON.stringify({ label: [LAB_LABEL, `${LAB_HOST_LABEL}=${os.hostname()}`] });
        const stale = (labels: Record<string, string> | undefined): boolean => {
            const pid = Number(labels?.[LAB_PID_LABEL]);
            return labels?.[LAB_LABEL] !== this.runId && Number.isInteger(pid) && pid > 0 && pid !== process.pid && !pidAlive(pid);
        };
        const containers = (await this.docker.listContainers({ all: true, filters })).filter((c) => stale(c.Labels));
        const networks = (await this.docker.listNetworks({ filters })).filter((n) => stale(n.Labels));
        if (!containers.length && !networks.length) return;
        this.log(`docker: removing ${containers.length} containers and ${networks.length} networks left by earlier lab runs`);
        for (const c of containers) await this.docker.getContainer(c.Id).remove({ force: true, v: true }).catch(() => undefined);
        for (const n of networks) await this.docker.getNetwork(n.Id).remove().catch(() => undefined);
    }

    /** Removes every container and network of this run, then stops a dockerd this run started. Idempotent. */
    async down(): Promise<void> {
        const conn = this.conn;
        if (!conn) return;
        const errors: string[] = [];
        const docker = conn.docker;
        const filters = JSON.stringify({ label: [`${LAB_LABEL}=${this.runId}`] });
        // What this run recorded, plus what the engine knows by label (a create whose reply was lost).
        const containers = new Set(this.madeContainers);
        const networks = new Set(this.madeNetworks);
        try {
            for (const c of await docker.listContainers({ all: true, filters })) containers.add(c.Id);
            for (const n of await docker.listNetworks({ filters })) networks.add(n.Id);
        } catch (e) {
            errors.push(`listing this run's objects: ${(e as Error).message}`);
        }
        for (const id of containers) {
            try {
                await docker.getContainer(id).remove({ force: true, v: true });
            } catch (e) {
                if (statusOf(e) !== 404) errors.push(`removing container ${id.slice(0, 12)}: ${(e as Error).message}`);
            }
        }
        for (const id of networks) {
            try {
                await docker.getNetwork(id).remove();
            } catch (e) {
                if (statusOf(e) !== 404) errors.push(`removing network ${id.slice(0, 12)}: ${(e as Error).message}`);
            }
        }
        this.madeContainers.clear();
        this.madeNetworks.clear();
        this.hosts.clear();
        this.routerContainers = [];
        this.topology = undefined;
        try {
            await conn.stop();
        } catch (e) {
            errors.push(`stopping the private dockerd: ${(e as Error).message}`);
        }
        this.conn = undefined;
        if (errors.length) throw new Error(`docker lab teardown incomplete:\n  ${errors.join("\n  ")}`);
    }
}

function substitutions(containers: ContainerPlan[]): DockerUpReport["substitutions"] {
    const by = new Map<string, { recorded: string; used: string; routers: string[] }>();
    for (const c of containers.filter((x) => x.substituted)) {
        const key = `${c.recordedImage} ${c.image}`;
        const s = by.get(key) ?? { recorded: c.recordedImage, used: c.image, routers: [] };
        s.routers.push(c.router);
        by.set(key, s);
    }
    return [...by.values()];
}

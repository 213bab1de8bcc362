/**
 * What the lab needs from wherever it runs its routers and node speakers: Linux network
 * namespaces on this machine (the default) or containers on a Docker engine. The checks,
 * faults and report are written once against this interface.
 */
import type { RecordedResource } from "../cli/mock-runtime";
import type { FileSpec } from "../components/routers/spec";
import type { IpFamily } from "../components/config/types";
import type { Announcement } from "./speaker";
import type { ClientSpec } from "./dataplane";
import type { NodeDefaultRoute } from "../components/cluster/routes";

export interface ExecResult { code: number; stdout: string; stderr: string }

/** A router or node speaker the lab can run commands in (vtysh, gobgp, ip). */
export interface LabHost {
    name: string;
    role: "router" | "node";
    exec(argv: string[]): Promise<ExecResult>;
}

/** An L2 segment: a node subnet (bridge) or a router-to-router link. */
export interface LabSegment {
    name: string;
    kind: "nodes" | "link";
}

export interface LabRouter {
    name: string;
    /** The files the RouterFleet uploads into the router container (frr.conf, daemons, vtysh.conf). */
    files: FileSpec[];
    /** `name`: the interface name the router's configuration uses for it (a VRRP interface); else the engine picks one. */
    interfaces: { segment: string; address: string; prefixLength: number; name?: string; secondary?: LabAddress }[];
}

/** One more address on an interface: the IPv6 half's on a dual stack (same segment, same cable). */
export interface LabAddress { address: string; prefixLength: number }

export interface LabNode {
    name: string;
    segment: string;
    address: string;
    prefixLength: number;
    /** The node's default route as join.ts renders it, over the routers that run in the lab; undefined when none does (VyOS). */
    defaultRoute?: NodeDefaultRoute;
    /** Dual stack: the IPv6 half's address on the same interface and its default route (via the IPv6 half's gateway). */
    secondary?: LabAddress & { defaultRoute?: NodeDefaultRoute };
    /** gobgpd configuration (TOML), translated from the rendered Cilium objects. */
    gobgpdConfig: string;
    /** What this speaker announces: what Cilium would for this node, plus a foreign prefix on the filter-test node. */
    announce: Announcement[];
}

/** Everything an engine needs to build one stack's lab. Plain data. */
export interface LabTopology {
    stack: string;
    /** The primary family (a dual stack's IPv4 half). */
    family: IpFamily;
    /** Every family the lab carries: [family], or ["ipv4", "ipv6"] for a dual stack. */
    families: IpFamily[];
    segments: LabSegment[];
    /** FRR routers only: VyOS routers cannot run in the lab and are listed in `skipped`. */
    routers: LabRouter[];
    nodes: LabNode[];
    skipped: { router: string; reason: string }[];
    /**
     * The lab-only external client: a host "client" on its own segment beyond the top-tier
     * routers, which announce that segment (lab only). Engines that cannot build it leave it out.
     */
    client?: ClientSpec;
    /** The resources the program registered under the mock runtime (the Docker engine builds from these). */
    recorded: RecordedResource[];
}

export interface LabEngine {
    readonly name: "netns" | "docker";
    /** When `up` started the first routing daemon (ms since the epoch): convergence is timed from here. */
    readonly daemonsStartedAt?: number;
    /** Build every segment and host and start every daemon. */
    up(topology: LabTopology): Promise<void>;
    host(name: string): LabHost;
    /** Hosts that are neither router nor node but belong to the lab (the namespace engine's bridge namespace). */
    auxiliaryHosts?(): LabHost[];
    /** Stop a router's daemons (or container) and start them again, for the fault tests. */
    stopRouter(name: string): Promise<void>;
    startRouter(name: string): Promise<void>;
    /**
     * Engines whose routers carry a health check (Docker's) wait for it and return one problem per
     * router whose check does not pass. The namespace engine has none.
     */
    healthProblems?(): Promise<string[]>;
    /** Kill every process of a node at once (SIGKILL: no NOTIFICATION), for the graceful-restart test. */
    killNode?(name: string): Promise<void>;
    /** Whether this engine built the external client host ("client"). */
    hasClient?(): boolean;
    /** Remove everything this engine made. Idempotent; safe after a partial `up`. */
    down(): Promise<void>;
}

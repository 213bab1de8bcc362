/**
 * VRRP in the lab: which router holds each group's virtual address (the master), and how long a
 * node's traffic via that address stops when the master is stopped. Read from the kernel, the same
 * for FRR's vrrpd (the macvlan carrying the address is up, not protodown) and keepalived (the
 * address is on the interface): what the nodes' packets actually meet.
 */
import type { AddressPlan, VrrpGroup } from "../components/plan/types";
import type { LabEngine } from "./engine";
import { sleep } from "./sh";
import { planHalves } from "./checks";

export interface VrrpObservation {
    segment: string;
    vrid: number;
    address: string;
    /** Running members that hold the address on an interface that is up (not protodown). */
    masters: string[];
    running: string[];
}

interface IpAddrJson { ifname: string; operstate?: string; proto_down?: boolean; flags?: string[]; addr_info?: { local?: string }[] }

/** Whether this `ip -j -d addr show` output holds `address` on an interface that forwards (up, not protodown). */
export function holdsAddress(json: string, address: string): boolean {
    let links: IpAddrJson[];
    try { links = JSON.parse(json) as IpAddrJson[]; } catch { return false; }
    return links.some((l) => (l.addr_info ?? []).some((a) => a.local === address) && l.proto_down !== true
        && (l.flags ?? []).includes("UP") && (l.flags ?? []).includes("LOWER_UP"));
}

export async function observeVrrp(engine: LabEngine, plan: AddressPlan, running: string[]): Promise<VrrpObservation[]> {
    const out: VrrpObservation[] = [];
    // A dual stack: each half's group (same vrid, one virtual address per family).
    for (const g of planHalves(plan).flatMap((h) => h.vrrpGroups)) {
        const members = g.members.map((m) => m.router).filter((r) => running.includes(r));
        const masters: string[] = [];
        for (const r of members) {
            const res = await engine.host(r).exec(["ip", "-j", "-d", "addr", "show"]);
            if (res.code === 0 && holdsAddress(res.stdout, g.address)) masters.push(r);
        }
        out.push({ segment: g.segment, vrid: g.vrid, address: g.address, masters, running: members });
    }
    return out;
}

/** Problems: a group with running members must have exactly one master. */
export function vrrpProblems(obs: VrrpObservation[]): string[] {
    return obs.filter((o) => o.running.length > 0 && o.masters.length !== 1).map((o) =>
        `VRRP group ${o.vrid} on ${o.segment} (${o.address}): ${o.masters.length === 0 ? "no router holds the virtual address" : `${o.masters.join(" and ")} all hold the virtual address`} (running: ${o.running.join(", ")})`);
}

/** Polls until every group has one master (VRRP elects after about 3 advertisement intervals). */
export async function waitForVrrp(engine: LabEngine, plan: AddressPlan, running: string[], timeoutSeconds: number): Promise<{ observed: VrrpObservation[]; problems: string[]; seconds: number }> {
    const t0 = Date.now();
    for (;;) {
        const observed = await observeVrrp(engine, plan, running);
        const problems = vrrpProblems(observed);
        if (problems.length === 0 || Date.now() - t0 > timeoutSeconds * 1000) return { observed, problems, seconds: (Date.now() - t0) / 1000 };
        await sleep(200);
    }
}

/**
 * The group a stopped router was master of, and the probe that measures failover: a node on the
 * segment pings the loopback of the surviving member with the highest priority, which it reaches
 * only through the virtual address (its default route), every 100 ms until one reply comes back.
 */
export function failoverProbe(plan: AddressPlan, stopped: string, masters: VrrpObservation[]): { group: VrrpGroup; node: string; target: string; via: string } | undefined {
    const held = masters.find((o) => o.masters.includes(stopped));
    const group = held ? plan.vrrpGroups.find((g) => g.segment === held.segment) : undefined;
    if (!group) return undefined;
    const node = plan.nodes.find((n) => n.subnet === group.segment);
    const survivor = group.members.find((m) => m.router !== stopped);
    const loopback = plan.routers.find((r) => r.name === survivor?.router)?.loopback;
    if (!node || !survivor || !loopback) return undefined;
    return { group, node: node.name, target: loopback, via: survivor.router };
}

export async function measureFailover(engine: LabEngine, node: string, target: string, t0: number, timeoutSeconds: number): Promise<number | null> {
    while ((Date.now() - t0) / 1000 < timeoutSeconds) {
        const r = await engine.host(node).exec(["ping", "-c", "1", "-W", "0.2", target]);
        if (r.code === 0) return Math.round((Date.now() - t0) / 10) / 100;
        await sleep(100);
    }
    return null;
}

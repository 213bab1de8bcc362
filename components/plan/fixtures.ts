/**
 * Small raw configurations for tests and benchmarks: a ToR pair and a spine-leaf fabric of any
 * size, in either family. Raw (as a stack file holds them), so tests exercise the loader too.
 */
import type { RawConfig } from "../config/load";
import type { IpFamily } from "../config/types";

export interface FixtureOptions {
    family: IpFamily;
    nodes: number;
    topology: "tor" | "spine-leaf" | "single";
    /** Routers in all: ToR count, or spines + leaves for spine-leaf (half each, at least one). */
    routers?: number;
}

export function fixtureConfig(o: FixtureOptions): RawConfig {
    const v6 = o.family === "ipv6";
    const racks = o.topology === "spine-leaf" ? Math.max(1, Math.floor((o.routers ?? 4) / 2)) : 0;
    const spines = o.topology === "spine-leaf" ? Math.max(1, (o.routers ?? 4) - racks) : 0;
    const routers: Record<string, unknown>[] = [];
    if (o.topology === "spine-leaf") {
        for (let s = 1; s <= spines; s++) routers.push({ name: `spine${s}`, role: "spine", asn: 65100 + s });
        for (let r = 1; r <= racks; r++) routers.push({ name: `leaf${r}`, id: 20 + r, role: "leaf", rack: `rack${r}`, asn: 65200 + r });
    } else {
        const count = o.topology === "single" ? 1 : (o.routers ?? 2);
        for (let r = 1; r <= count; r++) routers.push({ name: `r${r}`, role: o.topology === "single" ? "edge" : "tor", asn: o.topology === "single" ? 65000 : 65100 });
    }
    const nodes = Array.from({ length: o.nodes }, (_, i) => ({
        name: `node-${i + 1}`,
        role: i === 0 ? "control-plane" : "worker",
        ...(racks > 0 ? { rack: `rack${(i % racks) + 1}` } : {}),
    }));
    // Sized so that 5000 nodes fit: pods need 13 bits of per-node prefixes, nodes a /19 or more.
    const addressPlan: Record<string, unknown> = v6
        ? { aggregate: "2001:db8::/32", podCidr: "2001:db8:8000::/33", podMaskSize: 64, nodeNetwork: "2001:db8:1::/48", rackSubnetLength: 64 }
        : { aggregate: "10.0.0.0/8", podCidr: "10.128.0.0/9", podMaskSize: 24, nodeNetwork: "10.16.0.0/12", rackSubnetLength: 18 };
    return {
        ipFamily: o.family,
        addressPlan,
        asn: { cluster: 65000 },
        routers,
        cluster: { name: "fixture", nodes },
    };
}

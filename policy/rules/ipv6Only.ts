/** Rule 2: an IPv6-only stack carries no IPv4 prefix or address (32-bit router IDs excepted). */
import type { StackValidationPolicy } from "@pulumi/policy";
import { ipFamilySchema } from "../config";
import type { Ref } from "../facts";
import { familyOf } from "../util";
import { reportOn, stackFacts } from "./common";

export const ipv6OnlyNoIpv4: StackValidationPolicy = {
    name: "ipv6-only-no-ipv4",
    description: "IPv6-only stacks carry no IPv4 prefix or address: LB pools, Cilium values, Docker networks and containers, cluster config, router and BGP peer addresses.",
    enforcementLevel: "mandatory",
    configSchema: ipFamilySchema,
    validateStack: (args, report) => {
        const { facts } = stackFacts(args);
        if (facts.family?.value !== "ipv6") return;
        const v4 = (ref: Ref, what: string, values: (string | undefined)[]): void => {
            for (const v of values) if (v !== undefined && familyOf(v) === "ipv4") reportOn(report, ref, `${what} ${v} is IPv4 on an IPv6-only stack (family from ${facts.family?.source})`);
        };
        for (const b of facts.lbPools) v4(b.ref, `pool ${b.pool} block`, [b.cidr]);
        const c = facts.cilium;
        if (c) {
            if (c.ipv4Enabled) reportOn(report, c.ref, "Helm value ipv4.enabled is true (or unset, which Cilium treats as true); an IPv6-only stack needs ipv4.enabled: false");
            if (!c.ipv6Enabled) reportOn(report, c.ref, "Helm value ipv6.enabled is false (or unset); an IPv6-only stack needs ipv6.enabled: true");
            for (const p of [...c.podCidrs, ...c.nativeRoutingCidrs]) v4(c.ref, p.what, [p.cidr]);
        }
        for (const n of facts.dockerNetworks) {
            if (n.ipv6 !== true) reportOn(report, n.ref, `Docker network ${n.name} has ipv6 ${n.ipv6 === undefined ? "unset" : "false"}; an IPv6-only stack needs ipv6: true`);
            v4(n.ref, `Docker network ${n.name} subnet`, n.subnets);
            v4(n.ref, `Docker network ${n.name} gateway`, n.gateways);
        }
        for (const ct of facts.containers) for (const a of ct.addresses) v4(ct.ref, `container ${ct.name} address on ${a.network}`, [a.address]);
        for (const t of facts.clusterTexts) {
            if (t.ipFamily !== undefined && t.ipFamily !== "ipv6") reportOn(report, t.ref, `cluster config ipFamily is ${t.ipFamily}; an IPv6-only stack needs ipv6`);
            v4(t.ref, "cluster config pod subnet", t.podSubnets);
            v4(t.ref, "cluster config service subnet", t.serviceSubnets);
            v4(t.ref, "cluster config node-ip", t.nodeIps);
        }
        for (const s of facts.serviceCidrs.filter((s) => !facts.clusterTexts.some((t) => t.ref.urn === s.ref.urn))) v4(s.ref, s.what, [s.cidr]);
        for (const r of facts.routers) {
            v4(r.ref, `router ${r.name} address`, r.addresses);
            v4(r.ref, `router ${r.name} loopback`, [r.loopback]);
            v4(r.ref, `router ${r.name} neighbor`, r.neighbors.map((n) => n.address));
        }
        for (const bc of facts.bgpClusters) for (const i of bc.instances) v4(bc.ref, "BGP peerAddress", i.peers.map((p) => p.address));
    },
};

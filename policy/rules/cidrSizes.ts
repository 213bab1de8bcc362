/** Rule 9: the service CIDR fits Kubernetes' limit and the per-node pod mask fits the node count. */
import type { StackValidationPolicy } from "@pulumi/policy";
import { familyBits } from "../../components/plan/addr";
import { prefix } from "../util";
import { reportOn, stackFacts } from "./common";

/** kube-apiserver refuses service ranges with more than 20 host bits (IPv4 /12, IPv6 /108). */
export const MAX_SERVICE_HOST_BITS = 20;
/** Cilium's cluster-pool defaults when the mask size is unset. */
const DEFAULT_MASK = { ipv4: 24, ipv6: 120 } as const;

export const cidrSizes: StackValidationPolicy = {
    name: "cluster-cidr-sizes",
    description: "The service CIDR has at most 20 host bits (IPv4 /12 or longer, IPv6 /108 or longer) and the per-node pod mask leaves a pod CIDR for every node.",
    enforcementLevel: "mandatory",
    validateStack: (args, report) => {
        const { facts } = stackFacts(args);
        const seen = new Set<string>();
        for (const s of facts.serviceCidrs) {
            const p = prefix(s.cidr);
            if (!p) { reportOn(report, s.ref, `${s.what} ${s.cidr} is not a prefix`); continue; }
            if (seen.has(s.cidr)) continue;
            seen.add(s.cidr);
            const bits = familyBits(p.family) - p.length;
            if (bits > MAX_SERVICE_HOST_BITS) {
                const max = familyBits(p.family) - MAX_SERVICE_HOST_BITS;
                reportOn(report, s.ref, `${s.what} ${s.cidr} has ${bits} host bits; Kubernetes allows at most ${MAX_SERVICE_HOST_BITS} (a /${max} or longer)`);
            }
        }
        const c = facts.cilium;
        if (!c) return;
        const nodes = facts.nodeCount;
        for (const family of ["ipv4", "ipv6"] as const) {
            const cidrs = c.podCidrs.map((p) => ({ p, parsed: prefix(p.cidr) })).filter((x) => x.parsed?.family === family);
            if (cidrs.length === 0) continue;
            const mask = c.maskSize[family] ?? DEFAULT_MASK[family];
            const key = family === "ipv4" ? "clusterPoolIPv4MaskSize" : "clusterPoolIPv6MaskSize";
            let capacity = 0n;
            for (const { p, parsed } of cidrs) {
                if (!parsed) continue;
                if (mask < parsed.length || mask > familyBits(family)) {
                    reportOn(report, c.ref, `${key} ${mask} does not fit pod CIDR ${p.cidr} (must be between ${parsed.length} and ${familyBits(family)})`);
                    continue;
                }
                capacity += 1n << BigInt(mask - parsed.length);
            }
            if (nodes && capacity > 0n && capacity < BigInt(nodes.value)) {
                reportOn(report, c.ref, `${key} ${mask} over pod CIDR(s) ${cidrs.map((x) => x.p.cidr).join(", ")} gives ${capacity} per-node CIDR(s) for ${nodes.value} nodes (count from ${nodes.source})`);
            }
        }
    },
};

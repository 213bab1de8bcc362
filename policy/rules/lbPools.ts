/** Rule 1: LB pool blocks lie inside the aggregate(s) and overlap nothing else in the plan. */
import type { StackValidationPolicy } from "@pulumi/policy";
import { contains, familyBits, formatPrefix, overlaps, parsePrefix, type Prefix } from "../../components/plan/addr";
import { aggregatesSchema } from "../config";
import { label, type PrefixFact } from "../facts";
import { host, prefix } from "../util";
import { reportOn, stackFacts } from "./common";

export const lbPoolsWithinPlan: StackValidationPolicy = {
    name: "lb-pools-within-plan",
    description: "LoadBalancer IP pool blocks lie inside the address plan's aggregate(s) and overlap no pod, service, node, loopback or other pool prefix.",
    enforcementLevel: "mandatory",
    configSchema: aggregatesSchema,
    validateStack: (args, report) => {
        const { facts, settings } = stackFacts(args);
        const aggregates: { text: string; p: Prefix }[] = [];
        const sources = settings.aggregates.length > 0 ? settings.aggregates.map((cidr) => ({ cidr, from: "pack config" })) : facts.aggregates.map((a) => ({ cidr: a.cidr, from: label(a.ref) }));
        for (const a of sources) {
            const p = parsePrefix(a.cidr);
            if (typeof p === "string") report(`aggregate ${a.cidr} from ${a.from} ${p}`);
            else aggregates.push({ text: formatPrefix(p), p });
        }
        // Everything else the plan allocates; a pool block may overlap none of it.
        const taken: PrefixFact[] = [
            ...facts.podCidrs.map((x) => ({ ...x, what: `pod CIDR (${x.what})` })),
            ...facts.serviceCidrs.map((x) => ({ ...x, what: `service CIDR (${x.what})` })),
            ...facts.dockerNetworks.flatMap((n) => n.subnets.map((cidr) => ({ cidr, ref: n.ref, what: `Docker network ${n.name}` }))),
            ...facts.routers.filter((r) => r.loopback).map((r) => {
                const h = host(r.loopback);
                return { cidr: h ? `${r.loopback}/${familyBits(h.family)}` : (r.loopback ?? ""), ref: r.ref, what: `loopback of router ${r.name}` };
            }),
        ];
        const blocks = facts.lbPools;
        blocks.forEach((b, i) => {
            const where = `pool ${b.pool} block ${b.cidr}`;
            if (typeof b.parsed === "string") { reportOn(report, b.ref, `${where} ${b.parsed}`); return; }
            const p = b.parsed;
            if (aggregates.length > 0 && !aggregates.some((a) => contains(a.p, p))) {
                reportOn(report, b.ref, `${where} lies outside the aggregate(s) ${aggregates.map((a) => a.text).join(", ")}`);
            }
            for (const t of taken) {
                const q = prefix(t.cidr);
                if (q && overlaps(p, q)) reportOn(report, b.ref, `${where} overlaps ${t.what} ${t.cidr}`);
            }
            for (const other of blocks.slice(0, i)) {
                if (typeof other.parsed !== "string" && overlaps(p, other.parsed)) reportOn(report, b.ref, `${where} overlaps pool ${other.pool} block ${other.cidr}`);
            }
        });
    },
};

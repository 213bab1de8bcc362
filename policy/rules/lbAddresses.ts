/**
 * Rule 11: the LoadBalancer addresses Services and Gateways request lie in an LB pool of the
 * stack's family that serves them, each requested once. LB IPAM leaves a request it cannot meet
 * pending (no address, nothing announced) instead of failing the deployment.
 */
import type { StackValidationPolicy } from "@pulumi/policy";
import { containsAddress, type Prefix } from "../../components/plan/addr";
import { ipFamilySchema } from "../config";
import { type LbPoolFact, type LbRequestFact, selects } from "../facts";
import { addrKey, host } from "../util";
import { reportOn, stackFacts } from "./common";

const familyName = (f: string): string => (f === "ipv4" ? "IPv4" : "IPv6");
const who = (r: LbRequestFact): string => `${r.kind} ${r.name}`;

export const lbAddressesInPools: StackValidationPolicy = {
    name: "lb-requested-addresses-in-pools",
    description: "Addresses Services and Gateways request from LB IPAM (lbipam.cilium.io/ips, spec.loadBalancerIP, Gateway spec.addresses) are of the stack's family, inside a CiliumLoadBalancerIPPool block whose serviceSelector selects them, and requested once.",
    enforcementLevel: "mandatory",
    configSchema: ipFamilySchema,
    validateStack: (args, report) => {
        const { facts } = stackFacts(args);
        const family = facts.family;
        const blocks = facts.lbPools
            .map((b) => ({ fact: b, p: b.parsed }))
            .filter((b): b is { fact: LbPoolFact; p: Prefix } => typeof b.p !== "string");
        const poolList = blocks.map((b) => `${b.fact.pool} ${b.fact.cidr}`).join(", ") || "none";
        const claimed = new Map<string, LbRequestFact>();
        for (const r of facts.lbRequests) {
            for (const req of r.requested) {
                const a = host(req.address);
                const what = `${who(r)} requests ${req.address} (${req.field})`;
                if (!a || req.address.includes("/")) { reportOn(report, r.ref, `${what}, which is not an IP address`); continue; }
                if (family && family.value !== "dual" && a.family !== family.value) {
                    reportOn(report, r.ref, `${what}, an ${familyName(a.family)} address on an ${family.value === "ipv6" ? "IPv6-only" : "IPv4"} stack (family from ${family.source})`);
                    continue;
                }
                const containing = blocks.filter((b) => containsAddress(b.p, a.family, a.value));
                if (containing.length === 0) {
                    reportOn(report, r.ref, `${what}, which lies in no CiliumLoadBalancerIPPool block (pools: ${poolList}); LB IPAM never allocates it`);
                    continue;
                }
                for (const b of containing) {
                    if (selects(b.fact.serviceSelector, r.labels) === false) {
                        reportOn(report, r.ref, `${what} from pool ${b.fact.pool} (${b.fact.cidr}), whose serviceSelector ${JSON.stringify(b.fact.serviceSelector)} does not select its labels ${JSON.stringify(r.labels)}${r.kind === "Gateway" ? " (spec.infrastructure.labels)" : ""}; LB IPAM never allocates it`);
                    }
                }
                const key = addrKey(req.address) as string;
                const first = claimed.get(key);
                if (first && first !== r && (first.sharingKey === undefined || first.sharingKey !== r.sharingKey)) {
                    reportOn(report, r.ref, `${what}, which ${who(first)} requests too (without a shared lbipam.cilium.io/sharing-key); LB IPAM gives it to one of them only`);
                } else if (!first) {
                    claimed.set(key, r);
                }
            }
        }
    },
};

/** Rule 4: every ASN is valid and private unless the operator listed it as theirs. */
import type { StackValidationPolicy } from "@pulumi/policy";
import { allowedPublicAsnsSchema } from "../config";
import type { Ref } from "../facts";
import { isPrivateAsn, isValidAsn, reportOn, stackFacts } from "./common";

export const asnsPrivate: StackValidationPolicy = {
    name: "bgp-asns-private",
    description: "ASNs are valid (1..4294967294) and private (64512-65534, 4200000000-4294967294) unless listed in allowedPublicAsns.",
    enforcementLevel: "mandatory",
    configSchema: allowedPublicAsnsSchema,
    validateStack: (args, report) => {
        const { facts, settings } = stackFacts(args);
        const allowed = new Set(settings.allowedPublicAsns);
        const seen = new Set<string>();
        const check = (ref: Ref, what: string, asn: number | undefined): void => {
            if (asn === undefined) return;
            const key = `${ref.urn}|${what}|${asn}`;
            if (seen.has(key)) return;
            seen.add(key);
            if (!isValidAsn(asn)) reportOn(report, ref, `${what} ${asn} is not a valid ASN (1..4294967294)`);
            else if (!isPrivateAsn(asn) && !allowed.has(asn)) {
                reportOn(report, ref, `${what} ${asn} is a public ASN: use a private one (64512-65534, 4200000000-4294967294) or list it in allowedPublicAsns`);
            }
        };
        for (const bc of facts.bgpClusters) {
            for (const inst of bc.instances) {
                check(bc.ref, "localASN", inst.localASN);
                for (const p of inst.peers) check(bc.ref, `peerASN of ${p.name ?? p.address ?? "peer"}`, p.asn);
            }
        }
        for (const r of facts.routers) {
            check(r.ref, `router ${r.name} ASN`, r.asn);
            for (const n of r.neighbors) check(r.ref, `router ${r.name} neighbor ${n.address} ASN`, n.asn);
        }
        for (const patch of facts.nodePatches) {
            for (const vr of patch.virtualRouters) check(patch.ref, `router-id annotation of node ${patch.node} ASN`, vr.asn);
        }
    },
};

/** Rule 6: a Service advertisement needs a selector, or Cilium advertises nothing. */
import type { ResourceValidationPolicy } from "@pulumi/policy";
import { ciliumKind } from "../facts";
import { at, isObj, objs, plain, str, strs } from "../util";

export const serviceAdvertisementSelector: ResourceValidationPolicy = {
    name: "bgp-service-advertisement-selector",
    description: "Every Service advertisement of a CiliumBGPAdvertisement has a selector (without one Cilium advertises no Service).",
    enforcementLevel: "mandatory",
    validateResource: (args, report) => {
        const p = plain(args.props);
        if (!isObj(p) || ciliumKind(args.type, p) !== "CiliumBGPAdvertisement") return;
        objs(at(p, "spec", "advertisements")).forEach((ad, i) => {
            // null and absent both mean "no selector"; an unknown value (preview) is given the benefit of the doubt.
            if (str(ad.advertisementType) !== "Service" || (ad.selector !== undefined && ad.selector !== null)) return;
            const addresses = strs(at(ad, "service", "addresses")).join(", ") || "none";
            report(`CiliumBGPAdvertisement "${args.name}": advertisements[${i}] (Service, addresses ${addresses}) has no selector, so Cilium advertises no Service; select all with matchExpressions [{key: somekey, operator: NotIn, values: [never-used-value]}]`);
        });
    },
};

/** Every policy of the pack, in rule order. Tests import this list without constructing the pack. */
import type { ResourceValidationPolicy, StackValidationPolicy } from "@pulumi/policy";
import { serviceAdvertisementSelector } from "./advertisements";
import { asnsPrivate } from "./asns";
import { ebgpLocalPreference } from "./ebgpLocalPreference";
import { authSecret } from "./authSecret";
import { cidrSizes } from "./cidrSizes";
import { ipv6OnlyNoIpv4 } from "./ipv6Only";
import { lbAddressesInPools } from "./lbAddresses";
import { lbPoolsWithinPlan } from "./lbPools";
import { peerAddressesPlanned } from "./peerAddresses";
import { peeringPolicyDeprecated } from "./peeringPolicyDeprecated";
import { routerIds } from "./routerIds";
import { sessionsSymmetric } from "./sessions";
import { keepaliveThirdOfHold, timersValid } from "./timers";

export { packEnforcementLevel } from "../config";

export const policies: (ResourceValidationPolicy | StackValidationPolicy)[] = [
    lbPoolsWithinPlan, // rule 1
    ipv6OnlyNoIpv4, // rule 2
    peerAddressesPlanned, // rule 3
    asnsPrivate, // rule 4
    timersValid, // rule 5 (mandatory part)
    keepaliveThirdOfHold, // rule 5 (advisory part)
    serviceAdvertisementSelector, // rule 6
    authSecret, // rule 7
    routerIds, // rule 8
    cidrSizes, // rule 9
    sessionsSymmetric, // rule 10
    lbAddressesInPools, // rule 11
    ebgpLocalPreference, // rule 12 (advisory)
    peeringPolicyDeprecated, // rule 13 (advisory)
];

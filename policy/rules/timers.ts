/**
 * Rule 5, as two policies because Pulumi gives each policy one enforcement level: broken timers
 * (hold < 3 s, keepalive > hold) are mandatory; keepalive above a third of hold is advisory.
 */
import type { ResourceValidationArgs, ResourceValidationPolicy } from "@pulumi/policy";
import { ciliumKind, label } from "../facts";
import { at, isObj, num, objs, plain, str, type PlainObject } from "../util";

/** Cilium's defaults when a timer is unset (CiliumBGPPeerConfig and v1 neighbors alike). */
const DEFAULT_HOLD = 90;
const DEFAULT_KEEPALIVE = 30;

interface TimerSet { where: string; hold: number; keepalive: number }

/** The timer sets of a CiliumBGPPeerConfig or of each v1 CiliumBGPPeeringPolicy neighbor. */
export function timerSets(args: Pick<ResourceValidationArgs, "type" | "props">): TimerSet[] {
    const p = plain(args.props);
    const props: PlainObject = isObj(p) ? p : {};
    const kind = ciliumKind(args.type, props);
    if (kind === "CiliumBGPPeerConfig") {
        const t = at(props, "spec", "timers");
        return [{ where: "spec.timers", hold: num(at(t, "holdTimeSeconds")) ?? DEFAULT_HOLD, keepalive: num(at(t, "keepAliveTimeSeconds")) ?? DEFAULT_KEEPALIVE }];
    }
    if (kind === "CiliumBGPPeeringPolicy") {
        return objs(at(props, "spec", "virtualRouters")).flatMap((v, i) => objs(v.neighbors).map((n) => ({
            where: `virtualRouters[${i}] neighbor ${str(n.peerAddress) ?? "?"}`,
            hold: num(n.holdTimeSeconds) ?? DEFAULT_HOLD,
            keepalive: num(n.keepAliveTimeSeconds) ?? DEFAULT_KEEPALIVE,
        })));
    }
    return [];
}

export const timersValid: ResourceValidationPolicy = {
    name: "bgp-timers-valid",
    description: "BGP hold time is at least 3 s and keepalive at most the hold time (Cilium and RFC 4271 reject anything else).",
    enforcementLevel: "mandatory",
    validateResource: (args, report) => {
        for (const t of timerSets(args)) {
            if (t.hold < 3) report(`${label(args)}: ${t.where} holdTimeSeconds ${t.hold} is below 3 s`);
            if (t.keepalive < 1) report(`${label(args)}: ${t.where} keepAliveTimeSeconds ${t.keepalive} is below 1 s`);
            if (t.keepalive > t.hold) report(`${label(args)}: ${t.where} keepAliveTimeSeconds ${t.keepalive} exceeds holdTimeSeconds ${t.hold}`);
        }
    },
};

export const keepaliveThirdOfHold: ResourceValidationPolicy = {
    name: "bgp-keepalive-third-of-hold",
    description: "BGP keepalive is at most a third of the hold time, so that one lost keepalive does not drop the session.",
    enforcementLevel: "advisory",
    validateResource: (args, report) => {
        for (const t of timerSets(args)) {
            // Only the valid-but-loose band; broken timers are bgp-timers-valid's.
            if (t.hold >= 3 && t.keepalive >= 1 && t.keepalive <= t.hold && t.keepalive * 3 > t.hold) {
                report(`${label(args)}: ${t.where} keepAliveTimeSeconds ${t.keepalive} is more than a third of holdTimeSeconds ${t.hold} (use at most ${Math.floor(t.hold / 3)})`);
            }
        }
    },
};

/**
 * The VyOS value validators the reference definitions use, re-implemented for the checker.
 * Unknown validators fail, so a new one in the definitions shows up as a rejected command.
 */
import { Validator } from "ip-num";

const isV4 = (s: string): boolean => Validator.isValidIPv4String(s)[0];
const isV6 = (s: string): boolean => !s.includes("%") && Validator.isValidIPv6String(s)[0];

function splitPrefix(s: string): [string, number] | undefined {
    const m = /^([^/]+)\/(\d{1,3})$/.exec(s);
    return m ? [m[1], Number(m[2])] : undefined;
}

/** Network prefix with no host bits set (VyOS ipv4-prefix / ipv6-prefix). */
function isNet(s: string, v6: boolean): boolean {
    const p = splitPrefix(s);
    if (!p || p[1] > (v6 ? 128 : 32) || !(v6 ? isV6(p[0]) : isV4(p[0]))) return false;
    return (v6 ? Validator.isValidIPv6CidrRange(s) : Validator.isValidIPv4CidrRange(s))[0];
}

/** Address with a prefix length (VyOS ip-host): for IPv4 not the network or broadcast address of a /30 or shorter. */
function isHost(s: string): boolean {
    const p = splitPrefix(s);
    if (!p) return false;
    if (isV6(p[0])) return p[1] <= 128;
    if (!isV4(p[0]) || p[1] > 32) return false;
    if (p[1] >= 31) return true;
    const n = p[0].split(".").reduce((a, o) => a * 256 + Number(o), 0);
    const size = 2 ** (32 - p[1]);
    return n % size !== 0 && n % size !== size - 1;
}

function numeric(value: string, argument: string): boolean {
    const args = argument.split(/\s+/).filter(Boolean);
    const relative = args.includes("--relative");
    const v = relative ? value.replace(/^[+-]/, "") : value;
    if (!/^\d+$/.test(v)) return false;
    const n = Number(v);
    if (args.includes("--non-negative") && n < 0) return false;
    if (args.includes("--positive") && n <= 0) return false;
    const ranges: [number, number][] = [];
    args.forEach((a, i) => {
        if (a === "--range" && args[i + 1]) {
            const [lo, hi] = args[i + 1].split("-").map(Number);
            ranges.push([lo, hi]);
        }
    });
    return ranges.length === 0 || ranges.some(([lo, hi]) => n >= lo && n <= hi);
}

const asn = (s: string): boolean => /^\d+$/.test(s) && Number(s) >= 1 && Number(s) <= 4294967294;
const u16 = (s: string): boolean => /^\d+$/.test(s) && Number(s) <= 65535;
const u32 = (s: string): boolean => /^\d+$/.test(s) && Number(s) <= 4294967295;
const WELL_KNOWN = new Set(["internet", "local-as", "no-advertise", "no-export", "graceful-shutdown", "accept-own",
    "accept-own-nexthop", "route-filter-translated-v4", "route-filter-v4", "route-filter-translated-v6", "route-filter-v6",
    "llgr-stale", "no-llgr", "blackhole", "no-peer"]);

/** Returns true when the value passes the named validator. */
export function runValidator(name: string, argument: string, value: string): boolean {
    switch (name) {
        case "numeric": return numeric(value, argument);
        case "ip-address": return isV4(value) || isV6(value);
        case "ipv4-address": return isV4(value);
        case "ipv6-address": return isV6(value);
        case "ipv4-prefix": return isNet(value, false);
        case "ipv6-prefix": return isNet(value, true);
        case "ip-prefix": return isNet(value, false) || isNet(value, true);
        case "ip-host": return isHost(value);
        case "as-number-list": return value.split(/\s+/).every(asn);
        case "bgp-regular-community": {
            const m = /^(\d+):(\d+)$/.exec(value);
            return WELL_KNOWN.has(value) || (!!m && u16(m[1]) && u16(m[2]));
        }
        case "bgp-large-community": {
            const m = /^(\d+):(\d+):(\d+)$/.exec(value);
            return !!m && u32(m[1]) && u32(m[2]) && u32(m[3]);
        }
        case "bgp-extended-community": return /^(rt|soo) \S+:\d+$/.test(value) || /^\S+:\d+$/.test(value);
        default: return false;
    }
}

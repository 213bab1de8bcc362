/**
 * Addresses a router or kernel refuses to use as a host address, by family: the plan never hands
 * one out, neither by carving nor by id. Pure (the policy pack may import it).
 */
import type { IpFamily } from "../config/types";
import { type Prefix, containsAddress, overlaps, parsePrefix } from "./addr";

export interface ForbiddenRange {
    prefix: Prefix;
    text: string;
    what: string;
}

const RANGES: Record<IpFamily, [string, string][]> = {
    ipv4: [
        ["0.0.0.0/8", "\"this network\", with the unspecified address 0.0.0.0 (RFC 1122)"],
        ["127.0.0.0/8", "loopback (RFC 1122)"],
        ["169.254.0.0/16", "link-local (RFC 3927)"],
        ["224.0.0.0/4", "multicast (RFC 5771)"],
        ["255.255.255.255/32", "the limited broadcast address (RFC 919)"],
    ],
    ipv6: [
        ["::/128", "the unspecified address (RFC 4291)"],
        ["::1/128", "loopback (RFC 4291)"],
        ["fe80::/10", "link-local (RFC 4291)"],
        ["ff00::/8", "multicast (RFC 4291)"],
    ],
};

const parsed: Record<IpFamily, ForbiddenRange[]> = {
    ipv4: RANGES.ipv4.map(([text, what]) => ({ prefix: parsePrefix(text) as Prefix, text, what })),
    ipv6: RANGES.ipv6.map(([text, what]) => ({ prefix: parsePrefix(text) as Prefix, text, what })),
};

export const forbiddenRanges = (family: IpFamily): ForbiddenRange[] => parsed[family];

/** The first forbidden range a prefix overlaps. */
export function forbiddenRangeOf(p: Prefix): ForbiddenRange | undefined {
    return parsed[p.family].find((r) => overlaps(r.prefix, p));
}

/** The forbidden range an address lies in. */
export function forbiddenAddress(family: IpFamily, value: bigint): ForbiddenRange | undefined {
    return parsed[family].find((r) => containsAddress(r.prefix, family, value));
}

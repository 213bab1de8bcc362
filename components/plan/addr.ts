/**
 * Thin helpers over ip-num: parsing with precise errors, RFC 5952 formatting (ip-num prints
 * IPv6 uncompressed), and the few prefix operations the plan needs, on bigint values.
 */
import { IPv4, IPv4CidrRange, IPv6, IPv6CidrRange, Validator } from "ip-num";
import type { IpFamily, StackFamily } from "../config/types";

/** A parsed prefix: family, first address as a number, prefix length. */
export interface Prefix {
    family: IpFamily;
    base: bigint;
    length: number;
}

export const familyBits = (family: IpFamily): number => (family === "ipv4" ? 32 : 128);

/** A stack's families in plan order: a dual stack's IPv4 half comes first (Kubernetes' primary family). */
export const familiesOf = (family: StackFamily): IpFamily[] => (family === "dual" ? ["ipv4", "ipv6"] : [family]);

/** Parses "a.b.c.d/n" or "x::/n"; returns an error text instead of throwing. */
export function parsePrefix(text: string): Prefix | string {
    if (typeof text !== "string" || !text.includes("/")) {
        return "is not a prefix in CIDR notation (address/length)";
    }
    const isV6 = text.includes(":");
    const [valid, errors] = isV6 ? Validator.isValidIPv6CidrNotation(text) : Validator.isValidIPv4CidrNotation(text);
    if (!valid) {
        return `is not valid CIDR notation (${errors.join("; ") || "syntax"})`;
    }
    const range = isV6 ? IPv6CidrRange.fromCidr(text) : IPv4CidrRange.fromCidr(text);
    const length = Number(range.getPrefix().getValue());
    const base = range.getFirst().getValue();
    const addr = isV6 ? new IPv6(text.split("/")[0]).getValue() : new IPv4(text.split("/")[0]).getValue();
    if (addr !== base) {
        return `has host bits set (the network is ${formatPrefix({ family: isV6 ? "ipv6" : "ipv4", base, length })})`;
    }
    return { family: isV6 ? "ipv6" : "ipv4", base, length };
}

/** Parses a host address of either family; returns an error text instead of throwing. */
export function parseAddress(text: string): { family: IpFamily; value: bigint } | string {
    if (typeof text !== "string") return "is not an address";
    if (text.includes(":")) {
        return Validator.isValidIPv6String(text)[0] ? { family: "ipv6", value: new IPv6(text).getValue() } : "is not a valid IPv6 address";
    }
    return Validator.isValidIPv4String(text)[0] ? { family: "ipv4", value: new IPv4(text).getValue() } : "is not a valid IPv4 address";
}

export function formatAddress(family: IpFamily, value: bigint): string {
    return family === "ipv4" ? IPv4.fromNumber(value).toString() : compressIpv6(value);
}

export function formatPrefix(p: Prefix): string {
    return `${formatAddress(p.family, p.base)}/${p.length}`;
}

/** RFC 5952 text: lower case, no leading zeros, the longest run (>= 2) of zero groups as "::". */
export function compressIpv6(value: bigint): string {
    // One bigint-to-hex conversion, then plain string work: this runs once per planned address.
    const hex32 = value.toString(16).padStart(32, "0");
    const groups: number[] = [];
    for (let i = 0; i < 32; i += 4) groups.push(parseInt(hex32.slice(i, i + 4), 16));
    let bestStart = -1;
    let bestLen = 0;
    for (let i = 0; i < 8; ) {
        if (groups[i] !== 0) { i++; continue; }
        let j = i;
        while (j < 8 && groups[j] === 0) j++;
        if (j - i > bestLen && j - i >= 2) { bestStart = i; bestLen = j - i; }
        i = j;
    }
    const hex = groups.map((g) => g.toString(16));
    if (bestStart < 0) return hex.join(":");
    return `${hex.slice(0, bestStart).join(":")}::${hex.slice(bestStart + bestLen).join(":")}`;
}

export const prefixSize = (p: Prefix): bigint => 1n << BigInt(familyBits(p.family) - p.length);
export const lastAddress = (p: Prefix): bigint => p.base + prefixSize(p) - 1n;

export function contains(outer: Prefix, inner: Prefix): boolean {
    return outer.family === inner.family && inner.length >= outer.length && inner.base >= outer.base && lastAddress(inner) <= lastAddress(outer);
}

export function containsAddress(outer: Prefix, family: IpFamily, value: bigint): boolean {
    return outer.family === family && value >= outer.base && value <= lastAddress(outer);
}

export function overlaps(a: Prefix, b: Prefix): boolean {
    return a.family === b.family && a.base <= lastAddress(b) && b.base <= lastAddress(a);
}

/** The index-th subnet of the given length inside p (no bounds check: callers check with contains). */
export function subnet(p: Prefix, length: number, index: number | bigint): Prefix {
    return { family: p.family, base: p.base + BigInt(index) * (1n << BigInt(familyBits(p.family) - length)), length };
}

/** The host address at offset inside p. */
export const hostAt = (p: Prefix, offset: number | bigint): bigint => p.base + BigInt(offset);

/**
 * The address Docker's bridge gets: the one before the last. IPv4's last is the broadcast address;
 * IPv6's all-ones host is one Docker's IPAM cannot allocate in a /64 or larger ("bit does not
 * belong to the sequence", moby/libnetwork#2478), so both families stop one short.
 */
export function reservedGateway(p: Prefix): bigint {
    return lastAddress(p) - 1n;
}

/**
 * The highest address at or below `start`, above the prefix's first host, that `taken` does not hold
 * (addresses in text form): how the Docker gateway and the VRRP address step out of a router's way.
 */
export function highestFreeAtOrBelow(p: Prefix, start: bigint, taken: ReadonlySet<string>): bigint {
    let a = start;
    while (a > p.base + 1n && taken.has(formatAddress(p.family, a))) a--;
    return a;
}

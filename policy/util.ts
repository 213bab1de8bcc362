/**
 * Defensive readers over policy props. Under the Pulumi CLI, props are proxies that throw when a
 * value is unknown during preview; one unknown field must not abort a whole stack policy, so
 * props are copied once into plain data with unknowns replaced by the UNKNOWN marker.
 */
import { familyBits, parseAddress, parsePrefix, type Prefix } from "../components/plan/addr";
import type { IpFamily } from "../components/config/types";

export const UNKNOWN: unique symbol = Symbol("unknown");
export type Plain = string | number | boolean | null | undefined | typeof UNKNOWN | Plain[] | { [key: string]: Plain };
export type PlainObject = { [key: string]: Plain };

/** Deep copy; any access that throws (an unknown value under the CLI) becomes UNKNOWN. */
export function plain(value: unknown, depth = 0): Plain {
    if (depth > 64) return UNKNOWN;
    if (value === null || value === undefined) return value;
    if (typeof value === "string" || typeof value === "number" || typeof value === "boolean") return value;
    if (typeof value !== "object") return UNKNOWN;
    if (Array.isArray(value)) {
        const out: Plain[] = [];
        let length = 0;
        try { length = value.length; } catch { return UNKNOWN; }
        for (let i = 0; i < length; i++) {
            try { out.push(plain(value[i], depth + 1)); } catch { out.push(UNKNOWN); }
        }
        return out;
    }
    const out: PlainObject = {};
    let keys: string[] = [];
    try { keys = Object.keys(value); } catch { return UNKNOWN; }
    for (const k of keys) {
        try { out[k] = plain((value as Record<string, unknown>)[k], depth + 1); } catch { out[k] = UNKNOWN; }
    }
    return out;
}

export const isObj = (v: Plain): v is PlainObject => typeof v === "object" && v !== null && !Array.isArray(v);

/** Walks a path of keys; undefined when any step is missing or not an object. */
export function at(v: Plain, ...path: (string | number)[]): Plain {
    let cur: Plain = v;
    for (const key of path) {
        if (typeof key === "number") {
            if (!Array.isArray(cur)) return undefined;
            cur = cur[key];
        } else {
            if (!isObj(cur)) return undefined;
            cur = cur[key];
        }
    }
    return cur;
}

export const str = (v: Plain): string | undefined => (typeof v === "string" ? v : undefined);
export const bool = (v: Plain): boolean | undefined => (typeof v === "boolean" ? v : v === "true" ? true : v === "false" ? false : undefined);
export function num(v: Plain): number | undefined {
    if (typeof v === "number" && Number.isFinite(v)) return v;
    if (typeof v === "string" && /^\d+$/.test(v.trim())) return Number(v.trim());
    return undefined;
}
export const arr = (v: Plain): Plain[] => (Array.isArray(v) ? v : []);
export const objs = (v: Plain): PlainObject[] => arr(v).filter(isObj);
export const strs = (v: Plain): string[] => arr(v).map(str).filter((s): s is string => s !== undefined && s !== "");

/** A host address; accepts a full-length prefix ("2001:db8::1/128", Cilium v1 peerAddress). */
export function host(text: string | undefined): { family: IpFamily; value: bigint } | undefined {
    if (text === undefined) return undefined;
    let t = text.trim();
    const slash = t.indexOf("/");
    if (slash >= 0) {
        const len = t.slice(slash + 1);
        const full = t.includes(":") ? "128" : "32";
        if (len !== full) return undefined;
        t = t.slice(0, slash);
    }
    const parsed = parseAddress(t);
    return typeof parsed === "string" ? undefined : parsed;
}

/** Comparable key of an address, independent of its text form. */
export function addrKey(text: string | undefined): string | undefined {
    const h = host(text);
    return h === undefined ? undefined : `${h.family}:${h.value.toString()}`;
}

/** Parses a prefix leniently: host bits set are allowed (Docker and kind accept them). */
export function prefix(text: string | undefined): Prefix | undefined {
    if (text === undefined) return undefined;
    const p = parsePrefix(text.trim());
    if (typeof p !== "string") return p;
    const [addr, len] = text.trim().split("/");
    const a = parseAddress(addr ?? "");
    const n = Number(len);
    if (typeof a === "string" || !/^\d+$/.test(len ?? "") || n > familyBits(a.family)) return undefined;
    const bits = BigInt(familyBits(a.family) - n);
    return { family: a.family, base: (a.value >> bits) << bits, length: n };
}

/** Family of an address or prefix text, if it parses. */
export function familyOf(text: string): IpFamily | undefined {
    return prefix(text)?.family ?? host(text)?.family;
}

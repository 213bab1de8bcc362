/**
 * Subnets the stack places by name instead of by number: `addressPlan.rackSubnets` (a rack's node
 * subnet) and `addressPlan.linkSubnets` (one leaf-spine link), seed 004's 10.1.5.0/24 and
 * 10.1.10.0/24. They are read and checked among themselves here, before any role is carved, so that
 * carving skips them; build.ts checks them against the roles and the numbered subnets.
 */
import type { Problems } from "../config/errors";
import type { IpFamily } from "../config/types";
import { type Prefix, familyBits, formatPrefix, overlaps, parsePrefix } from "./addr";
import { forbiddenRangeOf } from "./reserved";

export interface Placed {
    /** The config key, e.g. addressPlan.rackSubnets.rack0. */
    key: string;
    /** The rack or link name. */
    name: string;
    prefix: Prefix;
}

/** The plan's name of a leaf-spine link (its Docker network and linkSubnets key). */
export const linkName = (leaf: string, spine: string): string => `link-${leaf}-${spine}`;

/**
 * Reads one name -> prefix map. A name must be one of `known` (listed in the message otherwise);
 * a prefix must parse, be of the stack's family, avoid the ranges routers refuse, hold at least
 * two hosts and Docker's gateway (`maxLength`), and overlap no other entry of the map.
 */
export function readPlaced(p: Problems, family: IpFamily, entries: Record<string, string>, base: string,
    known: readonly string[], what: string, maxLength: number): Map<string, Placed> {
    const out = new Map<string, Placed>();
    for (const [name, text] of Object.entries(entries)) {
        const key = `${base}.${name}`;
        if (!known.includes(name)) {
            p.add(key, text, `names no ${what} of the plan (${known.length > 0 ? known.join(", ") : "there are none"})`);
            continue;
        }
        const parsed = parsePrefix(text);
        if (typeof parsed === "string") { p.add(key, text, parsed); continue; }
        if (parsed.family !== family) { p.add(key, text, `must be an ${family} prefix (ipFamily is ${family})`); continue; }
        if (parsed.length > maxLength) {
            p.add(key, text, `must be /${maxLength} or shorter: it holds two routers or a router and a node, and Docker's gateway (/${familyBits(family)} is one host)`);
            continue;
        }
        const bad = forbiddenRangeOf(parsed);
        if (bad) { p.add(key, text, `overlaps ${bad.text}, ${bad.what}: routers and kernels refuse these addresses`); continue; }
        const other = [...out.values()].find((o) => overlaps(o.prefix, parsed));
        if (other) { p.add(key, text, `overlaps ${other.key} (${formatPrefix(other.prefix)})`); continue; }
        out.set(name, { key, name, prefix: parsed });
    }
    return out;
}

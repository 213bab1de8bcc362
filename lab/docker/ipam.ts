/**
 * What Docker's default IPAM (libnetwork) accepts as a bridge network's gateway. It keeps one bit
 * per address of a subnet, indexed by the host part cut to 64 bits, in a bitmap of at most
 * 2^64 - 1 bits: so in an IPv6 subnet of /64 or shorter the all-ones host (`...:ffff:ffff:ffff:ffff`)
 * cannot be allocated ("failed to allocate gateway (...): bit does not belong to the sequence",
 * moby/libnetwork#2478; seen on Debian's docker.io 20.10), and two addresses whose low 64 bits are
 * equal are the same address to Docker. IPv4 reserves the network and broadcast addresses.
 */
import { type Prefix, containsAddress, lastAddress, parseAddress, parsePrefix } from "../../components/plan/addr";

const LOW64 = (1n << 64n) - 1n;

function prefix(cidr: string): Prefix {
    const p = parsePrefix(cidr);
    if (typeof p === "string") throw new Error(`${cidr}: ${p}`);
    return p;
}

/** The index Docker's IPAM gives an address in a subnet (its bit in the bitmap). */
export function dockerOrdinal(cidr: string, address: string): bigint {
    const p = prefix(cidr);
    const a = parseAddress(address);
    if (typeof a === "string") throw new Error(`${address}: ${a}`);
    return (a.value - p.base) & LOW64;
}

/** Why Docker cannot make `address` the gateway of a bridge network on `cidr`; undefined when it can. */
export function dockerGatewayProblem(cidr: string, address: string): string | undefined {
    const p = prefix(cidr);
    const a = parseAddress(address);
    if (typeof a === "string") return `${address} is not an address (${a})`;
    if (a.family !== p.family || !containsAddress(p, a.family, a.value)) return `${address} is outside ${cidr}`;
    if (p.family === "ipv4") {
        if (p.length <= 30 && (a.value === p.base || a.value === lastAddress(p))) return `${address} is the network or broadcast address of ${cidr}`;
        return undefined;
    }
    if (p.length <= 64 && dockerOrdinal(cidr, address) === LOW64) {
        return `${address} is the all-ones host of ${cidr}: Docker's IPAM cannot allocate it (moby/libnetwork#2478); use an address below it`;
    }
    return undefined;
}

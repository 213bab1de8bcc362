import type { IpFamily } from "../config/types";
import type { AddressPlan } from "../plan/types";

/** The router side of a BGP session: what its configuration declares. */
export interface RouterNeighbor { address: string; asn: number; family: IpFamily; peer: string }

/** The sessions the renderers turn into neighbor statements, seen from one router (a dual plan: both halves', IPv4 first). */
export function routerNeighbors(plan: AddressPlan, router: string): RouterNeighbor[] {
    return [...familyNeighbors(plan, router), ...(plan.secondary ? familyNeighbors(plan.secondary, router) : [])];
}

function familyNeighbors(plan: AddressPlan, router: string): RouterNeighbor[] {
    const out: RouterNeighbor[] = [];
    for (const s of plan.nodeSessions) {
        if (s.router === router) out.push({ address: s.nodeAddress, asn: s.nodeAsn, family: s.family, peer: s.node });
    }
    for (const s of plan.routerSessions) {
        if (s.a === router) out.push({ address: s.bAddress, asn: s.bAsn, family: s.family, peer: s.b });
        if (s.b === router) out.push({ address: s.aAddress, asn: s.aAsn, family: s.family, peer: s.a });
    }
    return out;
}

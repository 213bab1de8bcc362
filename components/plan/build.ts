/**
 * The address-plan engine: validates the configured prefixes, carves the missing ones from
 * the aggregate, and allocates every address from stable ids (never from list positions), so
 * that adding a node or a router anywhere in the configuration changes no existing allocation.
 */
import { ConfigError, Problems } from "../config/errors";
import { runsBgp } from "../bgp/selectors";
import { FAMILY_SIZES, MAX_ROUTER_ID, ROUTER_ID_NODE_BASE } from "../config/defaults";
import { trailingNumber } from "../config/load";
import type { FabricConfig, IpFamily, RouterConfig } from "../config/types";
import {
    type Prefix, contains, containsAddress, familyBits, formatAddress, formatPrefix, hostAt, lastAddress, overlaps,
    highestFreeAtOrBelow, parseAddress, parsePrefix, prefixSize, reservedGateway, subnet,
} from "./addr";
import { isPrivateAsn, isValidAsn, reservedAsn } from "./asn";
import { forbiddenAddress, forbiddenRangeOf, forbiddenRanges } from "./reserved";
import type {
    AddressPlan, Allocation, NodeSession, NodeSubnet, PlannedLink, PlannedNode, PlannedRouter, PrefixRole, RouterSession, VrrpGroup,
} from "./types";
import { type FamilyConfig, buildDualPlan } from "./dual";
import { linkName, readPlaced } from "./placed";
import { planVrrpGroups } from "./vrrp";

interface Role {
    key: string;
    role: PrefixRole;
    use: string;
    prefix?: Prefix;
    explicit: boolean;
    /** The prefix length carved for the role when it is unset. */
    length: number;
}


/** Routers that peer with Kubernetes nodes. */
export const servesNodes = (r: Pick<RouterConfig, "role">): boolean => r.role === "tor" || r.role === "leaf" || r.role === "edge";

function parseRole(p: Problems, family: IpFamily, key: string, text: string | undefined): Prefix | undefined {
    if (text === undefined) return undefined;
    const parsed = parsePrefix(text);
    if (typeof parsed === "string") { p.add(key, text, parsed); return undefined; }
    if (parsed.family !== family) { p.add(key, text, `must be an ${family} prefix (ipFamily is ${family})`); return undefined; }
    return parsed;
}

/** First free aligned block of the given length inside the aggregate, skipping taken prefixes. */
function carve(aggregate: Prefix, length: number, taken: Prefix[]): Prefix | undefined {
    if (length < aggregate.length || length > familyBits(aggregate.family)) return undefined;
    const size = 1n << BigInt(familyBits(aggregate.family) - length);
    const sorted = [...taken].sort((a, b) => (a.base < b.base ? -1 : a.base > b.base ? 1 : 0));
    let cursor = aggregate.base;
    const end = lastAddress(aggregate);
    for (;;) {
        if (cursor + size - 1n > end) return undefined;
        const candidate: Prefix = { family: aggregate.family, base: cursor, length };
        const hit = sorted.find((t) => overlaps(t, candidate));
        if (!hit) return candidate;
        // Jump past the blocking prefix, then round up to the block alignment.
        const next = lastAddress(hit) + 1n;
        cursor = ((next + size - 1n) / size) * size;
    }
}

/**
 * The address plan of a stack. A dual stack is planned as two one-family plans over the same
 * routers, nodes and ids (the IPv4 half from `addressPlan`, the IPv6 half from `addressPlan.ipv6`),
 * joined as the IPv4 plan with `secondary` (dual.ts).
 */
export function buildAddressPlan(config: FabricConfig, problems = new Problems()): AddressPlan {
    if (config.ipFamily !== "dual") return buildFamilyPlan({ ...config, ipFamily: config.ipFamily }, problems);
    return buildDualPlan(config, problems, buildFamilyPlan);
}

function buildFamilyPlan(config: FamilyConfig, problems: Problems): AddressPlan {
    const p = problems;
    const family = config.ipFamily;
    const ap = config.addressPlan;
    const sizes = FAMILY_SIZES[family];
    const bits = familyBits(family);
    const leaves = config.routers.filter((r) => r.role === "leaf");
    const spines = config.routers.filter((r) => r.role === "spine");
    const hasLinks = leaves.length > 0 && spines.length > 0;

    // The blocks the plan owns (one `aggregate` or several `aggregates`), in carving order.
    const aggregateKey = (i: number): string => (ap.aggregatesKey === "aggregate" ? "addressPlan.aggregate" : `addressPlan.aggregates[${i}]`);
    const aggregates: Prefix[] = [];
    const aggregateIndex: number[] = [];
    ap.aggregates.forEach((text, i) => {
        const agg = parseRole(p, family, aggregateKey(i), text);
        if (!agg) return;
        // An aggregate inside a range no router or kernel takes as host addresses can only yield such addresses.
        const inside = forbiddenRanges(family).find((r) => contains(r.prefix, agg));
        if (inside) {
            p.add(aggregateKey(i), text, `lies in ${inside.text}, ${inside.what}: every address of every role carved from it would be one routers and kernels refuse`);
            return;
        }
        // Disjoint blocks, so that every prefix lies in exactly one (and no router announces a block twice).
        const j = aggregates.findIndex((o) => overlaps(o, agg));
        if (j >= 0) {
            p.add(aggregateKey(i), text, `overlaps ${aggregateKey(aggregateIndex[j])} (${formatPrefix(aggregates[j])}): the aggregates must be disjoint (each prefix of the plan lies in exactly one)`);
            return;
        }
        aggregates.push(agg);
        aggregateIndex.push(i);
    });
    const aggregateText = (): string => aggregates.map(formatPrefix).join(", ");
    const aggregatesName = ap.aggregatesKey === "aggregate" ? "addressPlan.aggregate" : "addressPlan.aggregates";

    // Subnets placed by name (addressPlan.rackSubnets, linkSubnets), read before the roles they must stay clear of.
    const leafRacks = [...new Set(leaves.map((l) => l.rack).filter((r): r is string => r !== undefined))].sort(byRackThenName);
    const plannedLinks = [...leaves].sort((a, b) => a.id - b.id).flatMap((leaf) => [...spines].sort((a, b) => a.id - b.id)
        .filter((s) => s.id <= ap.maxSpines).map((spine) => ({ leaf, spine, name: linkName(leaf.name, spine.name) })));
    const placedRacks = readPlaced(p, family, ap.rackSubnets, "addressPlan.rackSubnets", leafRacks, "rack with a leaf router", bits - 3);
    const placedLinks = readPlaced(p, family, ap.linkSubnets, "addressPlan.linkSubnets", plannedLinks.map((l) => l.name), "leaf-spine link", bits - 3);
    for (const l of placedLinks.values()) {
        const rack = [...placedRacks.values()].find((r) => overlaps(r.prefix, l.prefix));
        if (rack) { p.add(l.key, formatPrefix(l.prefix), `overlaps ${rack.key} (${formatPrefix(rack.prefix)})`); placedLinks.delete(l.name); }
    }
    // Every rack placed and no nodeNetwork: none is carved (nothing would be numbered in it). Racks left
    // out are then refused rather than numbered in a node network carved later, which could move a role.
    const racksPlacedOnly = leaves.length > 0 && Object.keys(ap.rackSubnets).length > 0 && ap.nodeNetwork === undefined;
    if (racksPlacedOnly) {
        for (const rack of leafRacks.filter((r) => !(r in ap.rackSubnets))) {
            p.add(`routers[${config.routers.findIndex((r) => r.rack === rack && r.role === "leaf")}].rack`, rack,
                "has no subnet in addressPlan.rackSubnets, and addressPlan.nodeNetwork (where a rack's number places its subnet) is unset: add the rack to addressPlan.rackSubnets, or set addressPlan.nodeNetwork");
        }
    }
    const numberedLinks = plannedLinks.filter((l) => !(l.name in ap.linkSubnets));

    // Roles in carving order: adding a later role (a pool, links) never moves an earlier one.
    // The pools' roles, in addressPlan.lbPools order (the plan's pools read their prefixes from them).
    const poolRoles = ap.lbPools.map((pool, i): Role => ({
        key: `addressPlan.lbPools[${i}].cidr`, role: "lb-pool", use: `Cilium LB IP pool ${pool.name}`, explicit: pool.cidr !== undefined,
        prefix: parseRole(p, family, `addressPlan.lbPools[${i}].cidr`, pool.cidr), length: pool.prefixLength ?? sizes.lbPool,
    }));
    const roles: Role[] = [
        ...(racksPlacedOnly ? [] : [{ key: "addressPlan.nodeNetwork", role: "node-network" as const, use: "Node network", explicit: ap.nodeNetwork !== undefined,
            prefix: parseRole(p, family, "addressPlan.nodeNetwork", ap.nodeNetwork), length: leaves.length > 0 ? sizes.nodeNetworkLeaf : sizes.nodeNetwork }]),
        { key: "addressPlan.loopbacks", role: "loopbacks", use: "Router loopbacks", explicit: ap.loopbacks !== undefined,
            prefix: parseRole(p, family, "addressPlan.loopbacks", ap.loopbacks), length: sizes.loopbacks },
        { key: "addressPlan.podCidr", role: "pod-cidr", use: "Kubernetes pod CIDR", explicit: ap.podCidr !== undefined,
            prefix: parseRole(p, family, "addressPlan.podCidr", ap.podCidr), length: sizes.podCidr },
        { key: "addressPlan.serviceCidr", role: "service-cidr", use: "Kubernetes service CIDR", explicit: ap.serviceCidr !== undefined,
            prefix: parseRole(p, family, "addressPlan.serviceCidr", ap.serviceCidr), length: sizes.serviceCidr },
        ...poolRoles,
    ];
    // Links are numbered in addressPlan.links unless every one is placed by name.
    if ((hasLinks && numberedLinks.length > 0) || ap.links !== undefined) {
        roles.push({ key: "addressPlan.links", role: "links", use: "Router-to-router links", explicit: ap.links !== undefined,
            prefix: parseRole(p, family, "addressPlan.links", ap.links), length: sizes.links });
    }

    // A role's prefix never overlaps a forbidden range (carving skips them; a given one is refused).
    for (const r of roles) {
        const bad = r.prefix ? forbiddenRangeOf(r.prefix) : undefined;
        if (r.prefix && bad) {
            p.add(r.key, formatPrefix(r.prefix), `overlaps ${bad.text}, ${bad.what}: routers and kernels refuse these addresses (${r.use})`);
            r.prefix = undefined;
        }
    }
    if (aggregates.length > 0 && aggregates.length === ap.aggregates.length) {
        const reservedInAggregates = forbiddenRanges(family).filter((x) => aggregates.some((a) => overlaps(x.prefix, a)));
        for (const r of roles) {
            if (r.prefix && !aggregates.some((a) => contains(a, r.prefix as Prefix))) {
                const which = aggregates.length === 1 ? `inside ${aggregatesName} (${aggregateText()})` : `inside one of ${aggregatesName} (${aggregateText()})`;
                p.add(r.key, formatPrefix(r.prefix), `must lie ${which}`);
                r.prefix = undefined;
            }
        }
        // Carve only roles left unset, from the first aggregate with room; a role whose given value was rejected stays empty.
        for (const r of roles) {
            if (r.explicit) continue;
            // Placed subnets are not skipped: one added later would then move a carved role; it is refused instead.
            const taken = [...roles.filter((o) => o.prefix).map((o) => o.prefix as Prefix), ...reservedInAggregates.map((x) => x.prefix)];
            for (const agg of aggregates) {
                r.prefix = carve(agg, r.length, taken);
                if (r.prefix) break;
            }
            const outside = reservedInAggregates.length > 0 ? ` outside ${reservedInAggregates.map((x) => x.text).join(", ")} (addresses routers and kernels refuse)` : "";
            if (!r.prefix) p.add(r.key, undefined, `is unset and no free /${r.length} is left in ${aggregatesName} (${aggregateText()})${outside} to carve it from; set it or enlarge the aggregate${aggregates.length > 1 ? "s" : ""}`);
        }
    }

    // No two roles overlap; the later key is the one reported.
    for (let i = 0; i < roles.length; i++) {
        for (let j = 0; j < i; j++) {
            const a = roles[i].prefix;
            const b = roles[j].prefix;
            if (a && b && overlaps(a, b)) {
                p.add(roles[i].key, formatPrefix(a), `overlaps ${roles[j].key} (${formatPrefix(b)})`);
            }
        }
    }
    const roleOf = (role: PrefixRole): Prefix | undefined => roles.find((r) => r.role === role)?.prefix;
    const nodeNetwork = roleOf("node-network");
    const podCidr = roleOf("pod-cidr");
    const serviceCidr = roleOf("service-cidr");
    const loopbacks = roleOf("loopbacks");
    const links = roleOf("links");

    // Placed subnets: a rack's inside addressPlan.nodeNetwork when that is set, else in an aggregate;
    // a link's in an aggregate; either overlapping no role (a placed link may lie in addressPlan.links).
    const nodeNetworkRole = roles.find((r) => r.role === "node-network");
    for (const [kind, map] of [["rack", placedRacks], ["link", placedLinks]] as const) {
        for (const x of map.values()) {
            const text = formatPrefix(x.prefix);
            const inRole = (r: Role): boolean => r.prefix !== undefined && contains(r.prefix, x.prefix)
                && ((kind === "rack" && r.role === "node-network") || (kind === "link" && r.role === "links"));
            let problem: string | undefined;
            if (kind === "rack" && nodeNetworkRole?.explicit && nodeNetwork && !contains(nodeNetwork, x.prefix)) {
                problem = `must lie inside addressPlan.nodeNetwork (${formatPrefix(nodeNetwork)}), or leave addressPlan.nodeNetwork unset and place every rack`;
            } else if (aggregates.length > 0 && !aggregates.some((a) => contains(a, x.prefix))) {
                problem = `must lie inside ${aggregates.length === 1 ? "" : "one of "}${aggregatesName} (${aggregateText()})`;
            } else {
                const hit = roles.find((r) => r.prefix && overlaps(r.prefix, x.prefix) && !inRole(r));
                if (hit) {
                    problem = hit.explicit ? `overlaps ${hit.key} (${formatPrefix(hit.prefix as Prefix)}, ${hit.use})`
                        : `overlaps ${hit.key} (${formatPrefix(hit.prefix as Prefix)}, ${hit.use}, carved): place it outside, or set ${hit.key} (carving never moves a role for a placed subnet)`;
                }
            }
            if (problem) { p.add(x.key, text, problem); map.delete(x.name); }
        }
    }

    // Kubernetes limits.
    if (serviceCidr && bits - serviceCidr.length > 20) {
        p.add("addressPlan.serviceCidr", formatPrefix(serviceCidr), `is too large: Kubernetes allows at most 20 host bits (/${bits - 20} or longer)`);
    }
    const maxNodeId = Math.max(0, ...config.cluster.nodes.map((n) => n.id));
    if (podCidr) {
        const maxMask = family === "ipv4" ? 30 : 126;
        if (ap.podMaskSize <= podCidr.length || ap.podMaskSize > maxMask) {
            p.add("addressPlan.podMaskSize", ap.podMaskSize, `must be longer than addressPlan.podCidr (/${podCidr.length}) and at most /${maxMask}`);
        } else if (BigInt(maxNodeId) >= 1n << BigInt(ap.podMaskSize - podCidr.length)) {
            p.add("addressPlan.podMaskSize", ap.podMaskSize,
                `leaves room for ${1n << BigInt(ap.podMaskSize - podCidr.length)} per-node pod CIDRs in ${formatPrefix(podCidr)}, too few for node id ${maxNodeId}`);
        }
    }

    // Router-ID pool: IPv4-format 32-bit IDs (used for every speaker on IPv6-only stacks).
    const pool = parsePrefix(ap.routerIdPool);
    let routerIdPool: Prefix | undefined;
    if (typeof pool === "string") p.add("addressPlan.routerIdPool", ap.routerIdPool, pool);
    else if (pool.family !== "ipv4") p.add("addressPlan.routerIdPool", ap.routerIdPool, "must be an IPv4-format prefix (BGP router IDs are 32-bit)");
    else routerIdPool = pool;
    if (routerIdPool && family === "ipv6" && BigInt(ROUTER_ID_NODE_BASE + maxNodeId) >= prefixSize(routerIdPool)) {
        p.add("addressPlan.routerIdPool", ap.routerIdPool, `is too small: node router IDs use offsets ${ROUTER_ID_NODE_BASE}+id, up to ${ROUTER_ID_NODE_BASE + maxNodeId}`);
    }

    checkNamesAndIds(p, config);
    checkAsns(p, config);
    checkTopology(p, config, leaves, spines);

    // Node subnets: one per rack with a leaf (placed by name, else numbered in the node network), or the whole node network.
    const subnets: NodeSubnet[] = [];
    // The parsed prefix of each subnet, kept as it is created (not parsed back from its text).
    const subnetPrefix = new Map<string, Prefix>();
    const subnetOfRack = new Map<string, NodeSubnet>();
    const addSubnet = (ns: NodeSubnet, sn: Prefix): void => {
        subnets.push(ns);
        subnetPrefix.set(ns.name, sn);
        if (ns.rack !== undefined) subnetOfRack.set(ns.rack, ns);
    };
    if (leaves.length > 0) {
        let lengthReported = false;
        for (const rack of leafRacks) {
            const key = `routers[${config.routers.findIndex((r) => r.rack === rack && r.role === "leaf")}].rack`;
            const rackSubnet = (sn: Prefix): NodeSubnet => ({ name: `nodes-${rack}`, cidr: formatPrefix(sn), rack, dockerGateway: formatAddress(family, reservedGateway(sn)), routers: [] });
            const given = placedRacks.get(rack);
            if (given) { addSubnet(rackSubnet(given.prefix), given.prefix); continue; }
            // Refused in addressPlan.rackSubnets, or no node network to number it in: reported above.
            if (rack in ap.rackSubnets || !nodeNetwork) continue;
            const idx = trailingNumber(rack);
            if (idx === undefined) { p.add(key, rack, "must end in a number: it indexes the rack's subnet in addressPlan.nodeNetwork (or place it in addressPlan.rackSubnets)"); continue; }
            if (ap.rackSubnetLength < nodeNetwork.length) {
                if (!lengthReported) p.add("addressPlan.rackSubnetLength", ap.rackSubnetLength, `must not be shorter than addressPlan.nodeNetwork (/${nodeNetwork.length})`);
                lengthReported = true;
                continue;
            }
            const sn = subnet(nodeNetwork, ap.rackSubnetLength, idx);
            if (!contains(nodeNetwork, sn)) {
                p.add(key, rack, `rack index ${idx} puts its /${ap.rackSubnetLength} outside addressPlan.nodeNetwork (${formatPrefix(nodeNetwork)})`);
                continue;
            }
            // A numbered rack never moves to make room: one that meets a placed subnet is refused.
            const hit = [...placedRacks.values()].find((x) => overlaps(x.prefix, sn));
            if (hit) {
                p.add(key, rack, `is numbered ${idx}, whose subnet ${formatPrefix(sn)} overlaps ${hit.key} (${formatPrefix(hit.prefix)}): place ${rack} in addressPlan.rackSubnets too, or move ${hit.name}`);
                continue;
            }
            addSubnet(rackSubnet(sn), sn);
        }
    } else if (nodeNetwork) {
        addSubnet({ name: "nodes", cidr: formatPrefix(nodeNetwork), dockerGateway: formatAddress(family, reservedGateway(nodeNetwork)), routers: [] }, nodeNetwork);
    }
    const routerSubnet = (r: RouterConfig): NodeSubnet | undefined => {
        if (!servesNodes(r)) return undefined;
        if (leaves.length === 0) return subnets[0];
        return r.rack === undefined ? undefined : subnetOfRack.get(r.rack);
    };

    // Routers.
    const routers: PlannedRouter[] = [];
    // Segments with a router whose given address was refused: their nodes' "no router" would only repeat it.
    const refusedRouterOn = new Set<string>();
    const sortedRouters = [...config.routers].sort((a, b) => a.id - b.id || a.name.localeCompare(b.name));
    for (const rc of sortedRouters) {
        const idx = config.routers.indexOf(rc);
        const path = `routers[${idx}]`;
        let loopback = "";
        if (loopbacks) {
            const lb = hostAt(loopbacks, rc.id);
            if (!containsAddress(loopbacks, family, lb)) p.add(`${path}.id`, rc.id, `puts the loopback outside addressPlan.loopbacks (${formatPrefix(loopbacks)})`);
            else loopback = formatAddress(family, lb);
        }
        let routerId = "";
        if (rc.routerId !== undefined) {
            // routers[].routerId: syntax checked by the loader, uniqueness by checkUniqueAddresses. On IPv6 stacks
            // nodes take their IDs from routerIdPool above the router offsets (Cilium allocates there too).
            routerId = rc.routerId;
            const rid = parseAddress(rc.routerId);
            if (family === "ipv6" && routerIdPool && typeof rid !== "string" && rid.family === "ipv4" && containsAddress(routerIdPool, "ipv4", rid.value)
                && rid.value - routerIdPool.base >= BigInt(ROUTER_ID_NODE_BASE)) {
                p.add(`${path}.routerId`, rc.routerId, `lies in addressPlan.routerIdPool (${ap.routerIdPool}) past offset ${ROUTER_ID_NODE_BASE}, where the nodes' router IDs are drawn from: take one outside it or below offset ${ROUTER_ID_NODE_BASE}`);
            }
        } else if (family === "ipv4") routerId = loopback;
        else if (routerIdPool) {
            if (rc.id > MAX_ROUTER_ID) p.add(`${path}.id`, rc.id, `must be at most ${MAX_ROUTER_ID} (router IDs use offsets 1-${MAX_ROUTER_ID} of addressPlan.routerIdPool)`);
            else routerId = formatAddress("ipv4", hostAt(routerIdPool, rc.id));
        }
        const planned: PlannedRouter = {
            name: rc.name, id: rc.id, flavour: rc.flavour, role: rc.role, asn: rc.asn, image: rc.image,
            routerId, loopback, interfaces: [],
        };
        if (rc.rack !== undefined) planned.rack = rc.rack;
        const sn = routerSubnet(rc);
        if (rc.address !== undefined && !sn) {
            if (!servesNodes(rc)) p.add(`${path}.address`, rc.address, `is an address on a node segment, which a ${rc.role} has none of (it peers over links)`);
        } else if (rc.address !== undefined && sn) {
            const snp = subnetPrefix.get(sn.name) as Prefix;
            const addr = explicitRouterAddress(p, `${path}.address`, rc.address, family, snp, sn.cidr);
            if (addr === undefined) refusedRouterOn.add(sn.name);
            else {
                planned.interfaces.push({ network: sn.name, address: formatAddress(family, addr), prefixLength: snp.length });
                sn.routers.push(rc.name);
            }
        } else if (sn) {
            const snp = subnetPrefix.get(sn.name) as Prefix;
            const addr = hostAt(snp, rc.id);
            if (rc.id >= ap.nodeHostOffset) {
                p.add(`${path}.id`, rc.id, `must be below addressPlan.nodeHostOffset (${ap.nodeHostOffset}): router ids are host numbers on the node network`);
            } else if (!containsAddress(snp, family, addr) || addr >= reservedGateway(snp)) {
                p.add(`${path}.id`, rc.id, `puts the router outside the usable hosts of ${sn.cidr}`);
            } else {
                planned.interfaces.push({ network: sn.name, address: formatAddress(family, addr), prefixLength: snp.length });
                sn.routers.push(rc.name);
            }
        } else if (servesNodes(rc) && leaves.length > 0 && !(rc.rack !== undefined && leafRacks.includes(rc.rack))) {
            p.add(`${path}.rack`, rc.rack, "must name a rack that has a leaf router (node subnets are per rack in a leaf topology)");
        }
        routers.push(planned);
    }
    const routerByName = new Map(routers.map((r) => [r.name, r]));
    // Docker's bridge takes the address before the segment's last unless a router was given it: then
    // the next lower one no router has (deterministic, and independent of the nodes).
    for (const sn of subnets) {
        const snp = subnetPrefix.get(sn.name) as Prefix;
        const taken = new Set(routers.flatMap((r) => r.interfaces.filter((i) => i.network === sn.name).map((i) => i.address)));
        sn.dockerGateway = formatAddress(family, highestFreeAtOrBelow(snp, reservedGateway(snp), taken));
    }
    // First-hop redundancy where two or more routers serve one node segment (vrrp.ts).
    const vrrpGroups = planVrrpGroups(p, subnets, (name) => subnetPrefix.get(name) as Prefix, routers,
        (name) => `routers[${config.routers.findIndex((r) => r.name === name)}]`);

    // Links: leaf x spine, indexed by (leaf id, spine id) so that adding either keeps the others.
    const linkNets: PlannedLink[] = [];
    const routerSessions: RouterSession[] = [];
    if (hasLinks) {
        const linkLen = ap.linkPrefixLength;
        const maxLen = family === "ipv4" ? 29 : 125;
        // Numbered links need addressPlan.links and a length that fits it; placed ones bring their own.
        const numbering = links !== undefined && numberedLinks.length > 0 && linkLen >= links.length && linkLen <= maxLen;
        if (links && numberedLinks.length > 0 && !numbering) {
            p.add("addressPlan.linkPrefixLength", linkLen, `must be between /${links.length} (addressPlan.links) and /${maxLen}: a link holds two routers and Docker's gateway`);
        }
        for (const { leaf, spine, name } of plannedLinks) {
            let ln: Prefix;
            const given = placedLinks.get(name);
            if (given) ln = given.prefix;
            else if (name in ap.linkSubnets || !numbering || !links) continue; // refused or reported above
            else {
                const idx = BigInt(leaf.id) * BigInt(ap.maxSpines) + BigInt(spine.id - 1);
                ln = subnet(links, linkLen, idx);
                if (!contains(links, ln)) {
                    p.add(`routers[${config.routers.indexOf(leaf)}].id`, leaf.id,
                        `indexes link subnet ${idx} (leaf id x addressPlan.maxSpines + spine slot), outside addressPlan.links (${formatPrefix(links)})`);
                    continue;
                }
                // A numbered link never moves to make room: one that meets a placed link is refused.
                const hit = [...placedLinks.values()].find((x) => overlaps(x.prefix, ln));
                if (hit) {
                    p.add(`routers[${config.routers.indexOf(leaf)}].id`, leaf.id,
                        `numbers ${name} ${idx} (leaf id x addressPlan.maxSpines + spine slot), whose subnet ${formatPrefix(ln)} overlaps ${hit.key} (${formatPrefix(hit.prefix)}): place ${name} in addressPlan.linkSubnets too, or move ${hit.name}`);
                    continue;
                }
            }
            const a = formatAddress(family, hostAt(ln, 1));
            const b = formatAddress(family, hostAt(ln, 2));
            linkNets.push({ name, cidr: formatPrefix(ln), dockerGateway: formatAddress(family, reservedGateway(ln)),
                a: { router: leaf.name, address: a }, b: { router: spine.name, address: b } });
            routerByName.get(leaf.name)?.interfaces.push({ network: name, address: a, prefixLength: ln.length });
            routerByName.get(spine.name)?.interfaces.push({ network: name, address: b, prefixLength: ln.length });
            routerSessions.push({ link: name, a: leaf.name, b: spine.name, aAddress: a, bAddress: b, aAsn: leaf.asn, bAsn: spine.asn, family });
        }
    }

    // Nodes.
    const nodes: PlannedNode[] = [];
    const nodeSessions: NodeSession[] = [];
    const sortedNodes = [...config.cluster.nodes].sort((a, b) => a.id - b.id || a.name.localeCompare(b.name));
    const nodeIndex = new Map(config.cluster.nodes.map((n, i) => [n, i]));
    // Given node addresses (cluster.nodes[].address), keyed by their text: a numbered node that lands on
    // one is refused (neither moves); of two equal given ones the later in the list is refused.
    const givenNodeAddress = new Map<string, { node: string; key: string }>();
    const normalAddress = (text: string): string => {
        const a = parseAddress(text);
        return typeof a === "string" ? text : formatAddress(a.family, a.value);
    };
    config.cluster.nodes.forEach((n, i) => {
        if (n.address === undefined) return;
        const prev = givenNodeAddress.get(normalAddress(n.address));
        if (prev) p.add(`cluster.nodes[${i}].address`, n.address, `is also the address ${prev.key} gives node ${prev.node}`);
        else givenNodeAddress.set(normalAddress(n.address), { node: n.name, key: `cluster.nodes[${i}].address` });
    });
    for (const nc of sortedNodes) {
        const path = `cluster.nodes[${nodeIndex.get(nc)}]`;
        const asn = (nc.rack !== undefined ? config.asn.racks[nc.rack] : undefined) ?? config.asn.cluster;
        const sn = leaves.length > 0 ? (nc.rack !== undefined ? subnetOfRack.get(nc.rack) : undefined) : subnets[0];
        if (!sn) {
            // A rack with a leaf but no subnet was refused above (its rackSubnets entry, number or node network).
            if (leaves.length > 0 && !(nc.rack !== undefined && leafRacks.includes(nc.rack))) p.add(`${path}.rack`, nc.rack, "must name a rack that has a leaf router");
            continue;
        }
        const snp = subnetPrefix.get(sn.name) as Prefix;
        let addr: bigint;
        if (nc.address !== undefined) {
            const given = explicitNodeAddress(p, `${path}.address`, nc, family, snp, sn, routers, vrrpGroups);
            if (given === undefined || givenNodeAddress.get(normalAddress(nc.address))?.key !== `${path}.address`) continue;
            addr = given;
        } else {
            addr = hostAt(snp, ap.nodeHostOffset + nc.id);
            const usableEnd = reservedGateway(snp) - 1n;
            const onRouter = routers.find((r) => r.interfaces.some((i) => i.network === sn.name && i.address === formatAddress(family, addr)));
            const routerIdx = onRouter ? config.routers.findIndex((r) => r.name === onRouter.name) : -1;
            if (onRouter && config.routers[routerIdx]?.address !== undefined) {
                p.add(`routers[${routerIdx}].address`, config.routers[routerIdx].address,
                    `is the address of node ${nc.name} (addressPlan.nodeHostOffset ${ap.nodeHostOffset} + id ${nc.id}): pick one no node has`);
                continue;
            }
            if (addr > usableEnd) {
                p.add(`${path}.id`, nc.id, `host ${ap.nodeHostOffset}+${nc.id} does not fit in node subnet ${sn.cidr} (addressPlan.nodeNetwork/rackSubnetLength too small)`);
                continue;
            }
            const taken = givenNodeAddress.get(formatAddress(family, addr));
            if (taken) {
                p.add(`${path}.id`, nc.id, `puts node ${nc.name} at host ${ap.nodeHostOffset}+${nc.id} (${formatAddress(family, addr)}), the address ${taken.key} gives node ${taken.node}: give this node an address too, or pick another`);
                continue;
            }
        }
        const servers = routers.filter((r) => servesNodes(r) && r.interfaces.some((i) => i.network === sn.name) &&
            (r.rack === undefined || r.rack === nc.rack));
        if (servers.length === 0 && refusedRouterOn.has(sn.name)) continue;
        if (servers.length === 0) { p.add(`${path}.rack`, nc.rack, "no router serves this node (tor/edge/leaf with no rack, or of the node's rack)"); continue; }
        const address = formatAddress(family, addr);
        let podCidrText = "";
        if (podCidr && ap.podMaskSize > podCidr.length && ap.podMaskSize <= bits) {
            const pc = subnet(podCidr, ap.podMaskSize, nc.id);
            if (contains(podCidr, pc)) podCidrText = formatPrefix(pc);
        }
        let routerId = "";
        if (family === "ipv4") routerId = address;
        else if (routerIdPool) {
            const rid = hostAt(routerIdPool, ROUTER_ID_NODE_BASE + nc.id);
            if (containsAddress(routerIdPool, "ipv4", rid)) routerId = formatAddress("ipv4", rid);
        }
        // Several routers: the segment's VRRP virtual address (vrrp.ts); one router: its address.
        const vrrp = vrrpGroups.find((g) => g.segment === sn.name);
        const gateways = vrrp ? [vrrp.address]
            : servers.map((r) => r.interfaces.find((i) => i.network === sn.name)?.address ?? "").filter((a) => a !== "");
        const gateway = gateways[0] ?? "";
        const node: PlannedNode = {
            name: nc.name, id: nc.id, role: nc.role, asn, address, prefixLength: snp.length, subnet: sn.name, gateway, gateways,
            podCidr: podCidrText, routerId,
        };
        if (nc.rack !== undefined) node.rack = nc.rack;
        if (nc.labels !== undefined && Object.keys(nc.labels).length > 0) node.labels = { ...nc.labels };
        nodes.push(node);
        // bgp.nodeSelector: a node it does not select peers with nobody (seed 003: workers only).
        for (const r of runsBgp(config, nc) && config.bgp.sessionFamilies.includes(family) ? servers : []) {
            const ibgp = r.asn === asn;
            // bgp.peerWith loopback (seed 002): the node peers with the router's loopback, reached over its
            // default route via that router; the router sends from its loopback (update-source).
            const loopback = config.bgp.peerWith === "loopback";
            const session: NodeSession = {
                node: nc.name, router: r.name, nodeAddress: address,
                routerAddress: loopback ? r.loopback : r.interfaces.find((i) => i.network === sn.name)?.address ?? "",
                nodeAsn: asn, routerAsn: r.asn, type: ibgp ? "ibgp" : "ebgp",
                routeReflectorClient: ibgp && r.role === "leaf", family,
            };
            if (loopback) session.peerWith = "loopback";
            nodeSessions.push(session);
        }
    }

    checkUniqueAddresses(p, config, routers, nodes, subnets, linkNets, vrrpGroups);
    checkLoopbackPeering(p, config, nodeSessions);

    const sessionsPerRouter = new Map<string, number>();
    for (const s of nodeSessions) sessionsPerRouter.set(s.router, (sessionsPerRouter.get(s.router) ?? 0) + 1);
    const ecmp = [...sessionsPerRouter.values()].some((n) => n > 1) || (hasLinks && spines.length > 1);

    p.throwIfAny();

    const fmt = (x: Prefix | undefined): string => (x ? formatPrefix(x) : "");
    const plan: AddressPlan = {
        family,
        aggregate: fmt(aggregates[0]),
        aggregates: aggregates.map(formatPrefix),
        nodeNetwork: fmt(nodeNetwork),
        podCidr: fmt(podCidr),
        podMaskSize: ap.podMaskSize,
        serviceCidr: fmt(serviceCidr),
        loopbacks: fmt(loopbacks),
        routerIdPool: formatPrefix(routerIdPool as Prefix),
        lbPools: ap.lbPools.map((pool, i) => {
            const out: AddressPlan["lbPools"][number] = { name: pool.name, cidr: fmt(poolRoles[i].prefix) };
            if (pool.serviceSelector) out.serviceSelector = pool.serviceSelector;
            return out;
        }),
        nodeSubnets: subnets,
        routers,
        nodes,
        linkNets,
        nodeSessions,
        routerSessions,
        vrrpGroups,
        ecmp,
        allocations: [],
    };
    if (links) plan.links = formatPrefix(links);
    plan.allocations = allocationsOf(plan, roles, ap.aggregatesKey, new Set(placedRacks.keys()), new Set(placedLinks.keys()));
    return plan;
}

/**
 * A router's explicit address on its node segment: of the stack's family, inside the segment,
 * neither its network address nor its last (IPv4 broadcast; in IPv6 the all-ones host, which
 * Docker's IPAM cannot allocate). Clashes with nodes and other hosts are checked later.
 */
function explicitRouterAddress(p: Problems, key: string, text: string, family: IpFamily, snp: Prefix, cidr: string, segment = "the router's node segment"): bigint | undefined {
    const a = parseAddress(text);
    if (typeof a === "string") { p.add(key, text, a); return undefined; }
    if (a.family !== family) { p.add(key, text, `must be an ${family} address (ipFamily is ${family})`); return undefined; }
    if (!containsAddress(snp, family, a.value)) { p.add(key, text, `must lie inside ${segment} ${cidr}`); return undefined; }
    if (a.value === snp.base) { p.add(key, text, `is the network address of ${cidr}`); return undefined; }
    if (a.value === lastAddress(snp)) {
        p.add(key, text, family === "ipv4" ? `is the broadcast address of ${cidr}` : `is the last address of ${cidr}, which Docker's IPAM cannot allocate`);
        return undefined;
    }
    return a.value;
}

/**
 * A node's explicit address on its segment: checked as a router's is, and not on a router, the
 * Docker gateway or the VRRP address. Those stay where they are (they depend on router addresses
 * only), so adding or moving a node never moves them: the node is refused instead.
 */
function explicitNodeAddress(p: Problems, key: string, nc: { name: string; address?: string }, family: IpFamily, snp: Prefix,
    sn: NodeSubnet, routers: PlannedRouter[], vrrpGroups: VrrpGroup[]): bigint | undefined {
    const a = explicitRouterAddress(p, key, nc.address ?? "", family, snp, sn.cidr, sn.rack !== undefined ? `the node's segment (${sn.rack}'s subnet)` : "the node's segment");
    if (a === undefined) return undefined;
    const text = formatAddress(family, a);
    const router = routers.find((r) => r.interfaces.some((i) => i.network === sn.name && i.address === text));
    const vrrp = vrrpGroups.find((g) => g.segment === sn.name && g.address === text);
    const clash = router ? `is the address of router ${router.name} on ${sn.name}`
        : text === sn.dockerGateway ? `is the Docker gateway of ${sn.name} (it moves only for router addresses, so that adding a node never renumbers it)`
            : vrrp ? `is the VRRP virtual address of ${sn.name} (VRID ${vrrp.vrid}), the nodes' gateway`
                : undefined;
    if (clash) { p.add(key, nc.address, `${clash}: pick another address for node ${nc.name}`); return undefined; }
    return a;
}

/**
 * eBGP to a loopback needs a TTL above 1: Cilium enables GoBGP's multihop only for a TTL above 1
 * (cilium pkg/bgpv1/gobgp/peer.go setPeerEBGPMultihopTTL), and GoBGP sends eBGP with TTL 1
 * otherwise (osrg/gobgp pkg/server/fsm.go setPeerConnTTL); on a ToR pair the node's ECMP default
 * route may carry the packets to the loopback through the other router, one hop more. Refused
 * rather than set behind the user's back: the TTL is theirs to choose.
 */
function checkLoopbackPeering(p: Problems, config: FabricConfig, sessions: NodeSession[]): void {
    if (config.bgp.peerWith !== "loopback") return;
    const ebgp = sessions.find((s) => s.type === "ebgp");
    const ttl = config.bgp.ebgpMultihop;
    if (ebgp && (ttl === undefined || ttl < 2)) {
        p.add("bgp.ebgpMultihop", ttl, `must be at least 2 with bgp.peerWith "loopback": the eBGP sessions (node ${ebgp.node} AS${ebgp.nodeAsn} to ${ebgp.router}'s loopback ${ebgp.routerAddress}, AS${ebgp.routerAsn}) `
            + "would leave the node with TTL 1 (Cilium enables multihop only above 1: pkg/bgpv1/gobgp/peer.go setPeerEBGPMultihopTTL), and a loopback is not always one hop away");
    }
}

function byRackThenName(a: string, b: string): number {
    return (trailingNumber(a) ?? 0) - (trailingNumber(b) ?? 0) || a.localeCompare(b);
}

function checkNamesAndIds(p: Problems, config: FabricConfig): void {
    const dup = <T>(items: T[], key: (t: T) => string | number, path: (i: number) => string, what: string): void => {
        const seen = new Map<string | number, number>();
        items.forEach((item, i) => {
            const k = key(item);
            if (k === "" || k === -1) return;
            const first = seen.get(k);
            if (first !== undefined) p.add(path(i), k, `duplicates ${what} of ${path(first).replace(/\.[a-z]+$/i, "")}`);
            else seen.set(k, i);
        });
    };
    dup(config.routers, (r) => r.name, (i) => `routers[${i}].name`, "the name");
    dup(config.routers, (r) => r.id, (i) => `routers[${i}].id`, "the id");
    dup(config.cluster.nodes, (n) => n.name, (i) => `cluster.nodes[${i}].name`, "the name");
    dup(config.cluster.nodes, (n) => n.id, (i) => `cluster.nodes[${i}].id`, "the id");
    dup(config.addressPlan.lbPools, (x) => x.name, (i) => `addressPlan.lbPools[${i}].name`, "the name");
    config.routers.forEach((r, i) => {
        if (r.name && !/^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/.test(r.name)) p.add(`routers[${i}].name`, r.name, "must be a DNS label (lower case letters, digits, '-')");
    });
    config.cluster.nodes.forEach((n, i) => {
        if (n.name && !/^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/.test(n.name)) p.add(`cluster.nodes[${i}].name`, n.name, "must be a DNS label (lower case letters, digits, '-')");
    });
    config.addressPlan.lbPools.forEach((x, i) => {
        if (x.name && !/^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/.test(x.name)) p.add(`addressPlan.lbPools[${i}].name`, x.name, "must be a DNS label (lower case letters, digits, '-')");
    });
}

function checkAsns(p: Problems, config: FabricConfig): void {
    const allowed = new Set(config.asn.allowPublic);
    const check = (path: string, asn: number): void => {
        const reserved = reservedAsn(asn);
        if (reserved) {
            p.add(path, asn, `is ${reserved}; it is refused even in asn.allowPublic`);
        } else if (!isValidAsn(asn)) {
            p.add(path, asn, "must be an ASN between 1 and 4294967294 (0 and 4294967295 are reserved)");
        } else if (!isPrivateAsn(asn) && !allowed.has(asn)) {
            p.add(path, asn, "is a public ASN: use a private one (64512-65534, 4200000000-4294967294) or list it in asn.allowPublic");
        }
    };
    check("asn.cluster", config.asn.cluster);
    for (const [rack, asn] of Object.entries(config.asn.racks)) check(`asn.racks.${rack}`, asn);
    config.routers.forEach((r, i) => check(`routers[${i}].asn`, r.asn));
    config.asn.allowPublic.forEach((asn, i) => {
        const reserved = reservedAsn(asn);
        if (reserved) p.add(`asn.allowPublic[${i}]`, asn, `is ${reserved}: it cannot be allowed`);
        else if (!isValidAsn(asn)) p.add(`asn.allowPublic[${i}]`, asn, "must be an ASN between 1 and 4294967294");
    });
}

function checkTopology(p: Problems, config: FabricConfig, leaves: RouterConfig[], spines: RouterConfig[]): void {
    const racksOfNodes = new Set(config.cluster.nodes.map((n) => n.rack).filter((r) => r !== undefined));
    config.routers.forEach((r, i) => {
        if (r.role === "leaf" && r.rack === undefined) p.add(`routers[${i}].rack`, undefined, "is required for a leaf (it serves one rack's nodes)");
        if (r.role === "spine" && leaves.length === 0) p.add(`routers[${i}].role`, r.role, "a spine needs leaf routers to peer with");
        if (r.role === "spine" && r.id > config.addressPlan.maxSpines) {
            p.add(`routers[${i}].id`, r.id, `spines take ids 1-${config.addressPlan.maxSpines} (addressPlan.maxSpines): link subnets are indexed by them`);
        }
        if (r.role === "leaf") {
            spines.forEach((s) => {
                if (s.asn === r.asn) p.add(`routers[${i}].asn`, r.asn, `equals spine ${s.name}'s ASN: leaves peer with spines over eBGP`);
            });
        }
    });
    for (const rack of Object.keys(config.asn.racks)) {
        if (!racksOfNodes.has(rack)) p.add(`asn.racks.${rack}`, config.asn.racks[rack], "names a rack no node is in");
    }
}

function checkUniqueAddresses(p: Problems, config: FabricConfig, routers: PlannedRouter[], nodes: PlannedNode[],
    subnets: NodeSubnet[], links: PlannedLink[], vrrpGroups: VrrpGroup[]): void {
    const routerIdx = new Map(config.routers.map((r, i) => [r.name, i]));
    const nodeIdx = new Map(config.cluster.nodes.map((n, i) => [n.name, i]));
    const owner = new Map<string, string>();
    const claim = (addr: string, who: string, path: string): void => {
        if (!addr) return;
        const parsedAddr = parseAddress(addr);
        const bad = typeof parsedAddr === "string" ? undefined : forbiddenAddress(parsedAddr.family, parsedAddr.value);
        if (bad) { p.add(path, addr, `is planned for ${who} but lies in ${bad.text}, ${bad.what}: routers and kernels refuse it`); return; }
        const prev = owner.get(addr);
        if (prev !== undefined) p.add(path, addr, `address also planned for ${prev}`);
        else owner.set(addr, who);
    };
    for (const s of subnets) claim(s.dockerGateway, `the Docker gateway of ${s.name}`, "addressPlan.nodeNetwork");
    for (const l of links) claim(l.dockerGateway, `the Docker gateway of ${l.name}`, "addressPlan.links");
    for (const g of vrrpGroups) claim(g.address, `the VRRP virtual address of ${g.segment}`, "addressPlan.nodeNetwork");
    for (const r of routers) {
        const path = `routers[${routerIdx.get(r.name)}]`;
        claim(r.loopback, `${r.name} (loopback)`, `${path}.id`);
        const explicit = config.routers[routerIdx.get(r.name) ?? -1]?.address !== undefined;
        for (const i of r.interfaces) {
            const onSegment = subnets.some((s) => s.name === i.network);
            claim(i.address, `${r.name} (${i.network})`, explicit && onSegment ? `${path}.address` : `${path}.id`);
        }
    }
    for (const n of nodes) {
        const i = nodeIdx.get(n.name) ?? -1;
        claim(n.address, n.name, `cluster.nodes[${i}].${config.cluster.nodes[i]?.address !== undefined ? "address" : "id"}`);
    }
    const ids = new Map<string, string>();
    const claimId = (rid: string, who: string, path: string): void => {
        if (!rid) return;
        const prev = ids.get(rid);
        if (prev !== undefined) p.add(path, rid, `router ID also used by ${prev}`);
        else ids.set(rid, who);
    };
    // Explicit router IDs (routers[].routerId) last, so that a collision is reported at the key that chose it.
    const explicitId = (r: PlannedRouter): boolean => config.routers[routerIdx.get(r.name) ?? -1]?.routerId !== undefined;
    for (const r of routers.filter((x) => !explicitId(x))) claimId(r.routerId, r.name, `routers[${routerIdx.get(r.name)}].id`);
    for (const n of nodes) claimId(n.routerId, n.name, `cluster.nodes[${nodeIdx.get(n.name)}].id`);
    for (const r of routers.filter(explicitId)) claimId(r.routerId, r.name, `routers[${routerIdx.get(r.name)}].routerId`);
}

function allocationsOf(plan: AddressPlan, roles: Role[], aggregatesKey: FabricConfig["addressPlan"]["aggregatesKey"],
    placedRacks: ReadonlySet<string>, placedLinks: ReadonlySet<string>): Allocation[] {
    const rows: Allocation[] = plan.aggregates.map((prefix, i) => ({
        prefix, role: "aggregate" as const, use: plan.aggregates.length > 1 ? `Assigned aggregate ${i + 1} of ${plan.aggregates.length}` : "Assigned aggregate",
        source: aggregatesKey === "aggregate" ? "addressPlan.aggregate" : `addressPlan.aggregates[${i}]`,
    }));
    for (const r of roles) {
        if (r.prefix) rows.push({ prefix: formatPrefix(r.prefix), role: r.role, use: r.use, source: r.explicit ? r.key : "carved" });
    }
    for (const s of plan.nodeSubnets) {
        if (s.rack !== undefined) {
            rows.push({ prefix: s.cidr, role: "node-subnet", use: `Nodes of ${s.rack}`,
                source: placedRacks.has(s.rack) ? `addressPlan.rackSubnets.${s.rack}` : "addressPlan.rackSubnetLength" });
        }
    }
    for (const g of plan.vrrpGroups) {
        rows.push({ prefix: `${g.address}/${familyBits(plan.family)}`, role: "vrrp-address", use: `VRRP virtual address of ${g.segment} (VRID ${g.vrid}): the nodes' gateway`, source: "addressPlan.nodeNetwork" });
    }
    for (const l of plan.linkNets) {
        rows.push({ prefix: l.cidr, role: "link", use: `${l.a.router} <-> ${l.b.router}`, source: placedLinks.has(l.name) ? `addressPlan.linkSubnets.${l.name}` : "addressPlan.links" });
    }
    const host = familyBits(plan.family);
    for (const r of plan.routers) {
        if (r.loopback) rows.push({ prefix: `${r.loopback}/${host}`, role: "loopback", use: `${r.name} loopback`, source: "addressPlan.loopbacks" });
    }
    rows.push({ prefix: plan.routerIdPool, role: "router-id-pool", use: plan.family === "ipv6" ? "BGP router IDs (32-bit)" : "BGP router IDs (unused: IPv4 stacks use loopbacks and node addresses)", source: "addressPlan.routerIdPool" });
    return rows;
}

/** Reads, validates and plans in one go; every problem from either step in one ConfigError. */
export function planStack(config: FabricConfig, earlier = new Problems()): AddressPlan {
    const later = new Problems();
    try {
        const plan = buildAddressPlan(config, later);
        earlier.throwIfAny();
        return plan;
    } catch (e) {
        if (!(e instanceof ConfigError)) throw e;
        // Drop plan problems on keys already reported by the type checks (they would only repeat them).
        const seen = new Set(earlier.list.map((x) => x.path));
        const merged = [...earlier.list, ...later.list.filter((x) => !seen.has(x.path))];
        throw new ConfigError(merged);
    }
}

/** Rule 3: BGP peers point at planned addresses on both sides of every session. */
import type { StackValidationPolicy } from "@pulumi/policy";
import { containsAddress } from "../../components/plan/addr";
import { nodeAddressIndex, routerAddressIndex } from "../facts";
import { addrKey, host, prefix } from "../util";
import { reportOn, showPrefix, stackFacts } from "./common";

export const peerAddressesPlanned: StackValidationPolicy = {
    name: "bgp-peer-addresses-planned",
    description: "Every Cilium BGP peer address lies in the node network or is a router loopback; every router neighbor address is a planned node or router address.",
    enforcementLevel: "mandatory",
    validateStack: (args, report) => {
        const { facts } = stackFacts(args);
        // Without node networks or routers there is nothing to compare against (an existing cluster, say).
        if (facts.nodeNetworks.length === 0 && facts.routers.length === 0) return;
        const nets = facts.nodeNetworks.map((n) => prefix(n.cidr)).filter((p) => p !== undefined);
        const netList = facts.nodeNetworks.map((n) => showPrefix(n.cidr)).join(", ") || "none";
        const loopbacks = new Set(facts.routers.map((r) => addrKey(r.loopback)).filter((k) => k !== undefined));
        const inNodeNet = (a: { family: "ipv4" | "ipv6"; value: bigint }): boolean => nets.some((p) => containsAddress(p, a.family, a.value));

        for (const bc of facts.bgpClusters) {
            for (const inst of bc.instances) {
                for (const peer of inst.peers) {
                    const who = `peer ${peer.name ?? ""}${peer.name ? " " : ""}(localASN ${inst.localASN ?? "?"}) peerAddress ${peer.address ?? "(none)"}`;
                    const a = host(peer.address);
                    if (!a) { reportOn(report, bc.ref, `${who} is not a host address`); continue; }
                    if (!inNodeNet(a) && !loopbacks.has(addrKey(peer.address) ?? "")) {
                        reportOn(report, bc.ref, `${who} lies in no node network (${netList}) and is no router loopback`);
                    }
                }
            }
        }

        const routerAddrs = routerAddressIndex(facts);
        const nodeAddrs = nodeAddressIndex(facts);
        for (const r of facts.routers) {
            for (const n of r.neighbors) {
                const who = `router ${r.name} neighbor ${n.address || "(none)"} (ASN ${n.asn ?? "?"})`;
                const a = host(n.address);
                const key = addrKey(n.address);
                if (!a || key === undefined) { reportOn(report, r.ref, `${who} is not a host address`); continue; }
                if (routerAddrs.has(key) || nodeAddrs.has(key)) continue;
                // Without the program's node list, an address in a node network stands for a node.
                if (nodeAddrs.size === 0 && inNodeNet(a)) continue;
                reportOn(report, r.ref, `${who} is neither a planned node address nor a router address`);
            }
        }
    },
};

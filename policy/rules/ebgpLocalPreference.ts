/**
 * Rule 12 (advisory): a localPreference that can never take effect. LOCAL_PREF is an iBGP-only
 * attribute (RFC 4271 5.1.5), and Cilium's embedded GoBGP removes it from every path it sends to
 * an eBGP peer after applying export policy: osrg/gobgp pkg/server/server.go, filterpath
 * ("remove local-pref attribute ... if path != nil && !peer.isIBGPPeer() ... path.RemoveLocalPref()").
 * So an advertisement's localPreference only reaches peers in the node's own ASN; towards an eBGP
 * peer (peerASN != localASN) the router never sees it.
 */
import type { StackValidationPolicy } from "@pulumi/policy";
import { selectorMatches } from "../../components/bgp/selectors";
import type { LabelSelector } from "../../components/config/types";
import { ciliumKind } from "../facts";
import { at, isObj, num, objs, plain, str, type PlainObject } from "../util";
import { reportOn } from "./common";

interface Obj { kind: string; name: string; props: PlainObject; ref: { type: string; name: string; urn: string } }

const labelsOf = (p: PlainObject): Record<string, string> => {
    const l = at(p, "metadata", "labels");
    return isObj(l) ? Object.fromEntries(Object.entries(l).filter(([, v]) => typeof v === "string")) as Record<string, string> : {};
};

export const ebgpLocalPreference: StackValidationPolicy = {
    name: "bgp-local-preference-ebgp",
    description: "A BGP advertisement's localPreference has no effect towards eBGP peers: GoBGP (Cilium's BGP speaker) strips LOCAL_PREF from paths sent to eBGP peers (osrg/gobgp pkg/server/server.go filterpath).",
    enforcementLevel: "advisory",
    validateStack: (args, report) => {
        const objects: Obj[] = args.resources.map((r) => {
            const p = plain(r.props);
            const props: PlainObject = isObj(p) ? p : {};
            return { kind: ciliumKind(r.type, props) ?? "", name: str(at(props, "metadata", "name")) ?? r.name, props, ref: { type: r.type, name: r.name, urn: r.urn } };
        });
        const why = "GoBGP strips LOCAL_PREF towards eBGP peers (osrg/gobgp pkg/server/server.go filterpath), so the router never sees it";
        // v2: ClusterConfig peer (eBGP) -> PeerConfig families -> selected Advertisements with localPreference.
        for (const cc of objects.filter((o) => o.kind === "CiliumBGPClusterConfig")) {
            for (const inst of objs(at(cc.props, "spec", "bgpInstances"))) {
                const localASN = num(inst.localASN);
                for (const peer of objs(inst.peers)) {
                    const peerASN = num(peer.peerASN);
                    if (localASN === undefined || peerASN === undefined || peerASN === localASN) continue;
                    const pcName = str(at(peer, "peerConfigRef", "name"));
                    const pc = objects.find((o) => o.kind === "CiliumBGPPeerConfig" && o.name === pcName);
                    for (const fam of objs(at(pc?.props ?? {}, "spec", "families"))) {
                        const sel = fam.advertisements;
                        if (!isObj(sel)) continue;
                        for (const ad of objects.filter((o) => o.kind === "CiliumBGPAdvertisement" && selectorMatches(sel as unknown as LabelSelector, labelsOf(o.props)))) {
                            for (const a of objs(at(ad.props, "spec", "advertisements"))) {
                                const lp = num(at(a, "attributes", "localPreference"));
                                if (lp === undefined) continue;
                                reportOn(report, ad.ref, `${str(a.advertisementType) ?? "advertisement"} localPreference ${lp} has no effect on eBGP peer ${str(peer.name) ?? str(peer.peerAddress) ?? "?"} (ASN ${peerASN}, local ASN ${localASN}): ${why}`);
                            }
                        }
                    }
                }
            }
        }
        // v1: an eBGP neighbor's advertisedPathAttributes with localPreference.
        for (const pp of objects.filter((o) => o.kind === "CiliumBGPPeeringPolicy")) {
            for (const vr of objs(at(pp.props, "spec", "virtualRouters"))) {
                const localASN = num(vr.localASN);
                for (const n of objs(vr.neighbors)) {
                    const peerASN = num(n.peerASN);
                    if (localASN === undefined || peerASN === undefined || peerASN === localASN) continue;
                    for (const attr of objs(n.advertisedPathAttributes)) {
                        const lp = num(attr.localPreference);
                        if (lp === undefined) continue;
                        reportOn(report, pp.ref, `neighbor ${str(n.peerAddress) ?? "?"} ${str(attr.selectorType) ?? ""} localPreference ${lp} has no effect on an eBGP peer (ASN ${peerASN}, local ASN ${localASN}): ${why}`);
                    }
                }
            }
        }
    },
};

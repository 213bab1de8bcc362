/**
 * Where every reference file comes from: the upstream repository, the pinned tag or commit and
 * the path there, derived from the file's place under the reference folder. The list of files is
 * reference/sha256sums (one `<sha256>  <path>` a line, sha256sum's format); this module only maps
 * a listed path to its origin. Kept in the folder layout of the workplace copy (../shared/reference)
 * so that both serve the same readers.
 */

/** The vyos-1x commit of the rolling 1.5 line the VyOS definitions and templates are from. */
export const VYOS_COMMIT = "3710c5879f5733d05aae6e156f74d62b73821b2d";

/** Gateway API release tags and their commits (each pinned by commit, checked against the tag). */
export const GATEWAY_API_COMMITS: Record<string, string> = {
    "v1.1.0": "690f754646e8326128fd686e3e46117ac479cfdf",
    "v1.2.1": "a8fe5c8732a37ef471d86afaf570ff8ad0ef0221",
    "v1.3.0": "40be951cebe5cb3f0365fe6951403de4ff8b9f33",
    "v1.4.1": "477d172e6ac5eccb82b65781ddb8f924afec4170",
    "v1.5.1": "e7677b70ae75d14a4448fba94870e7deea6cf0ad",
};

/**
 * Cilium tags for the two folders not named by a release: `crds/v2` is the 1.20 line's v2 CRDs
 * (identical to v1.20.0-pre.3's), `crds/legacy-v2alpha1` the BGP v1 peering policy as last
 * generated (controller-gen v0.19.0) before cilium/cilium#42278 removed it during 1.19.
 */
export const CILIUM_MAIN_V2_TAG = "v1.20.0-pre.3";
export const CILIUM_LEGACY_V1_TAG = "v1.19.0-pre.1";

const CILIUM_CRDS = "pkg/k8s/apis/cilium.io/client/crds";
const raw = (repo: string, ref: string, file: string): string => `https://raw.githubusercontent.com/${repo}/${ref}/${file}`;

/** vyos-1x files that are not under data/templates/frr/ in the repository. */
const VYOS_PYTHON: Record<string, string> = {
    "template.py": "python/vyos/template.py",
    "configdict.py": "python/vyos/configdict.py",
    "protocols_bgp.py": "src/conf_mode/protocols_bgp.py",
};

/** A reference file's origin: fetched from `url`, or built from other listed files. */
export type Origin =
    | { kind: "fetch"; url: string }
    /** vyos/expanded/X.xml: vyos/interface-definitions/X.xml.in with its includes expanded. */
    | { kind: "expand"; source: string }
    /** A file holding the pinned commit (as the workplace copy has it). */
    | { kind: "text"; text: string };

export class UnknownReferencePath extends Error {}

export function originOf(refPath: string): Origin {
    const p = refPath.split("/");
    const fail = (): never => { throw new UnknownReferencePath(`reference/sha256sums lists ${refPath}, which has no known upstream`); };
    if (p[0] === "cilium" && p[1] === "crds") {
        if (p[2] === "by-release" && p.length === 6) return { kind: "fetch", url: raw("cilium/cilium", p[3], `${CILIUM_CRDS}/${p[4]}/${p[5]}`) };
        if (p[2] === "v2" && p.length === 4) return { kind: "fetch", url: raw("cilium/cilium", CILIUM_MAIN_V2_TAG, `${CILIUM_CRDS}/v2/${p[3]}`) };
        if (p[2] === "legacy-v2alpha1" && p.length === 4) return { kind: "fetch", url: raw("cilium/cilium", CILIUM_LEGACY_V1_TAG, `${CILIUM_CRDS}/v2alpha1/${p[3]}`) };
        return fail();
    }
    if (p[0] === "cilium" && p[1] === "chart" && p.length === 4 && /^v\d/.test(p[2])) {
        return { kind: "fetch", url: raw("cilium/cilium", p[2], `install/kubernetes/cilium/${p[3]}`) };
    }
    if (p[0] === "gateway-api" && p.length === 4 && p[2] === "standard") {
        const commit = GATEWAY_API_COMMITS[p[1]] ?? fail();
        return { kind: "fetch", url: raw("kubernetes-sigs/gateway-api", commit, `config/crd/standard/${p[3]}`) };
    }
    if (p[0] === "gateway-api" && p.length === 3 && p[2] === "COMMIT") return { kind: "text", text: `${GATEWAY_API_COMMITS[p[1]] ?? fail()}\n` };
    if (p[0] === "vyos") {
        const rest = p.slice(2).join("/");
        if (p[1] === "interface-definitions" || p[1] === "schema") return { kind: "fetch", url: raw("vyos/vyos-1x", VYOS_COMMIT, `${p[1]}/${rest}`) };
        if (p[1] === "expanded" && p.length === 3 && p[2].endsWith(".xml")) return { kind: "expand", source: `vyos/interface-definitions/${p[2]}.in` };
        if (p[1] === "frr-templates") {
            if (rest === "COMMIT") return { kind: "text", text: `${VYOS_COMMIT}\n` };
            if (p[2] === "python" && p.length === 4) return { kind: "fetch", url: raw("vyos/vyos-1x", VYOS_COMMIT, VYOS_PYTHON[p[3]] ?? fail()) };
            if (p.length === 3) return { kind: "fetch", url: raw("vyos/vyos-1x", VYOS_COMMIT, `data/templates/frr/${p[2]}`) };
        }
    }
    return fail();
}

/**
 * What each supported Cilium line serves: which API version the BGP and LB-IPAM kinds use,
 * and which BGP API (v1 peering policies or v2 cluster/peer configs) drives the control plane.
 * Checked against the CRDs in ../shared/reference/cilium (see test/support/crd.ts).
 */

/** A Kubernetes object as plain data (what a renderer returns and a CustomResource takes). */
export interface K8sObject {
    apiVersion: string;
    kind: string;
    metadata: {
        name: string;
        namespace?: string;
        labels?: Record<string, string>;
        annotations?: Record<string, string>;
    };
    spec?: Record<string, unknown>;
    [field: string]: unknown;
}

export const CILIUM_GROUP = "cilium.io";

/** Minor version number of a line such as "1.18". Throws on anything else: lines are validated upstream. */
export function lineMinor(line: string): number {
    const m = /^1\.(\d+)$/.exec(line);
    if (!m) throw new Error(`not a Cilium line: "${line}" (expected e.g. 1.18)`);
    return Number(m[1]);
}

/** The BGP control-plane API: "v1" CiliumBGPPeeringPolicy, "v2" CiliumBGPClusterConfig and friends. */
export type BgpControlPlane = "v1" | "v2";

export interface CiliumApi {
    /** The default BGP API of the line: v2 where it is served (1.16+), v1 on 1.15. */
    bgpApi: BgpControlPlane;
    /** The BGP APIs the line serves: v1 on 1.15-1.18 (CiliumBGPPeeringPolicy removed in 1.19), v2 from 1.16. */
    bgpApisServed: BgpControlPlane[];
    /** The line serves CiliumBGPPeeringPolicy only as deprecated (1.18: the CRD's deprecationWarning). */
    v1Deprecated: boolean;
    /** apiVersion of the BGP kinds this project renders for the line. */
    bgpApiVersion: string;
    lbPoolApiVersion: string;
    /** Helm bgpControlPlane.routerIDAllocation exists (1.18+). */
    helmRouterIdAllocation: boolean;
}

/**
 * 1.15 only has the v1 API in a form we support (BGP v2 arrived in 1.16); 1.16/1.17 serve the
 * v2 kinds as v2alpha1; 1.18 promoted them (and the LB pool) to cilium.io/v2. The v1 peering
 * policy stays cilium.io/v2alpha1 while it is served: 1.16/1.17, deprecated in 1.18 (its CRD
 * carries a deprecationWarning), removed in 1.19 (../shared/reference/cilium/crds/by-release).
 */
export function ciliumApi(line: string): CiliumApi {
    const minor = lineMinor(line);
    if (minor < 15 || minor > 20) throw new Error(`unsupported Cilium line ${line} (supported: 1.15 to 1.20)`);
    const v2 = minor >= 18;
    return {
        bgpApi: minor === 15 ? "v1" : "v2",
        bgpApisServed: [...(minor <= 18 ? ["v1" as const] : []), ...(minor >= 16 ? ["v2" as const] : [])],
        v1Deprecated: minor === 18,
        bgpApiVersion: v2 ? `${CILIUM_GROUP}/v2` : `${CILIUM_GROUP}/v2alpha1`,
        lbPoolApiVersion: v2 ? `${CILIUM_GROUP}/v2` : `${CILIUM_GROUP}/v2alpha1`,
        helmRouterIdAllocation: minor >= 18,
    };
}

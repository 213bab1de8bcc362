/**
 * The Gateway API release each Cilium line builds against, from sigs.k8s.io/gateway-api in that
 * line's go.mod (cilium/cilium). Where Cilium pins a pre-release (1.18: v1.3.1-0.20250611112659-17a60f668a0d,
 * 1.19: v1.4.0-rc.2), the table names the release whose CRDs users install with it. Every release
 * here is in reference/sha256sums (fetched by `npm run reference`); a test checks the table against
 * ../shared/README.md's when that file is present.
 */
export const GATEWAY_API_RELEASE_FOR_CILIUM_LINE: Readonly<Record<string, string>> = {
    "1.16": "v1.1.0",
    "1.17": "v1.2.1",
    "1.18": "v1.3.0",
    "1.19": "v1.4.1",
    "1.20": "v1.5.1",
};

/**
 * Rule 13 (advisory): a v1 CiliumBGPPeeringPolicy on a Cilium line that deprecates or no longer
 * serves it. Cilium 1.18 still serves cilium.io/v2alpha1 CiliumBGPPeeringPolicy but marks it
 * deprecated (the CRD's `deprecationWarning`, ../shared/reference/cilium/crds/by-release/v1.18.3);
 * 1.19 removed it, so an upgrade leaves the nodes without BGP until the policies are rewritten as
 * v2 objects (the program does that with bgp.controlPlane: v2).
 */
import type { StackValidationPolicy } from "@pulumi/policy";
import { reportOn, stackFacts } from "./common";

export const peeringPolicyDeprecated: StackValidationPolicy = {
    name: "bgp-peering-policy-deprecated",
    description: "CiliumBGPPeeringPolicy (BGP v1) is deprecated in Cilium 1.18 and removed in 1.19: use the v2 kinds (bgp.controlPlane: v2) before upgrading.",
    enforcementLevel: "advisory",
    validateStack: (args, report) => {
        const { facts } = stackFacts(args);
        const line = facts.cilium?.line;
        if (line === undefined || line[0] !== 1 || line[1] < 18) return;
        const version = facts.cilium?.version ?? `${line[0]}.${line[1]}`;
        for (const pp of facts.bgpClusters.filter((b) => b.kind === "CiliumBGPPeeringPolicy")) {
            reportOn(report, pp.ref, line[1] === 18
                ? `CiliumBGPPeeringPolicy ${pp.ref.name} uses BGP v1, which Cilium ${version} serves only as deprecated (its CRD: "use cilium.io/v2 CRDs (CiliumBGPClusterConfig, CiliumBGPPeerConfig, CiliumBGPAdvertisement, CiliumBGPNodeConfigOverride)") and Cilium 1.19 removes: an upgrade would leave these nodes without BGP sessions; set bgp.controlPlane: v2 first`
                : `CiliumBGPPeeringPolicy ${pp.ref.name} uses BGP v1, which Cilium ${version} no longer serves (removed in 1.19): these nodes get no BGP sessions; set bgp.controlPlane: v2`);
        }
    },
};

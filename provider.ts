/**
 * The multi-language package's provider (PulumiPlugin.yaml): `pulumi package add <this repo>`
 * runs this file, which serves the components below to Python, Go, C#, Java and YAML programs.
 * The schema is generated from the components' TypeScript source (their Args interfaces and
 * public properties) by @pulumi/pulumi's component provider analyzer.
 */
import { componentProviderHost } from "@pulumi/pulumi/provider/experimental";
import { CiliumBgp, CiliumRelease, Cluster, GatewayApi, GatewayApiCrds, LoadBalancerPools, RouterFleet, SmokeWorkload } from "./lib";
import { useIndexTypeTokens } from "./components/shared/args";

/** Package name (the first part of every type token). */
export const PACKAGE_NAME = "cilium-bgp-fabric";
/** The components the package serves: the ones whose Args need nothing but plain data. */
export const PACKAGE_COMPONENTS = [CiliumBgp, LoadBalancerPools, CiliumRelease, GatewayApiCrds, GatewayApi, SmokeWorkload, Cluster, RouterFleet];

if (require.main === module) {
    useIndexTypeTokens();
    void componentProviderHost({ components: PACKAGE_COMPONENTS, name: PACKAGE_NAME, dirname: __dirname });
}

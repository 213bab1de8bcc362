/**
 * The library's public entry (package "cilium-bgp-fabric"): the components, their Args, the
 * address plan and the pure renderers. `index.ts` is the Pulumi program built from them.
 */
export { CiliumBgp, BgpControlPlane } from "./components/bgp/component";
export type { BgpNodeGroupArgs, BgpPeerArgs, CiliumBgpArgs, GracefulRestartArgs, NodeRouterIdArgs } from "./components/bgp/args";
export { BGP_DEFAULTS, resolveBgpSpec } from "./components/bgp/args";
export { ciliumBgpArgsFromPlan } from "./components/bgp/fromPlan";
export type { BgpSpec } from "./components/bgp/spec";
export { renderBgpObjects } from "./components/bgp/render";
export { renderV1, renderV1Objects, specNodeAnnotations, nodeAnnotations } from "./components/bgp/v1";
export { renderV2, renderV2Objects } from "./components/bgp/v2";
export { checkSessionsAgainstPlan } from "./components/bgp/consistency";

export { LoadBalancerPools } from "./components/lbpools/component";
export type { LoadBalancerPoolArgs, LoadBalancerPoolsArgs } from "./components/lbpools/component";
export { loadBalancerPoolsArgsFromPlan } from "./components/lbpools/fromPlan";
export { renderLbPools, renderPools } from "./components/lbpools/render";

export { CiliumRelease, CILIUM_NAMESPACE, CILIUM_REPO } from "./components/cilium/release";
export type { CiliumReleaseArgs } from "./components/cilium/release";
export { ciliumReleaseArgsFromPlan } from "./components/cilium/fromPlan";
export { baseCiliumValues, checkCiliumValues, computeCiliumValues } from "./components/cilium/values";
export { ciliumApi, type K8sObject } from "./components/cilium/api";

export { GatewayApiCrds } from "./components/gateway/crds";
export type { GatewayApiCrdsArgs } from "./components/gateway/crds";
export { GatewayApi } from "./components/gateway/component";
export type { GatewayApiArgs, GatewayHttpRouteArgs, GatewayListenerArgs } from "./components/gateway/args";
export { gatewayApiArgsFromPlan } from "./components/gateway/fromPlan";
export { gatewayApiCrdsUrl, renderGateway, renderGatewayObjects } from "./components/gateway/render";

export { SmokeWorkload } from "./components/smoke/component";
export type { SmokeWorkloadArgs } from "./components/smoke/args";
export { smokeWorkloadArgsFromPlan } from "./components/smoke/fromPlan";
export { renderSmoke, renderSmokeObjects } from "./components/smoke/render";

export { Cluster } from "./components/cluster/component";
export type { ClusterArgs, ClusterNodeArgs } from "./components/cluster/args";
export { clusterArgsFromPlan } from "./components/cluster/fromPlan";
export { renderKindConfig } from "./components/cluster/kind";
export { renderK3dConfig } from "./components/cluster/k3d";

export { RouterFleet, routerFleetArgsFromPlan, routerNeighbors } from "./components/routers";
export type { RouterAddressArgs, RouterArgs, RouterFileArgs, RouterFleetArgs, RouterNeighborArgs, RouterNetworkArgs, RouterSummary } from "./components/routers";
export { renderFrrConfig, renderVyosCommands, renderVyosConfigBoot } from "./components/routers";

export { Fabric, planFabric } from "./components/fabric";
export type { FabricArgs, FabricOutputs } from "./components/fabric";

export type { LabelSelectorArgs, LabelSelectorRequirementArgs } from "./components/shared/args";
export { ConfigError, loadStack, rawConfigFrom } from "./components/config";
export type { FabricConfig, LoadedStack } from "./components/config";
export type { AddressPlan } from "./components/plan/types";
export { planStack } from "./components/plan/build";

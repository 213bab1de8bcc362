// Entry point for `pulumi up`: the program lives in components/fabric.ts so that the offline
// plan and the tests run exactly the same code under the mock runtime.
import { fabricProgram } from "./components/fabric";

const out = fabricProgram();

export const ipFamily = out.ipFamily;
export const ciliumVersion = out.ciliumVersion;
export const addressPlan = out.addressPlan;
export const routers = out.routers;
export const nodes = out.nodes;
export const bgpSessions = out.bgpSessions;
export const kubeconfig = out.kubeconfig;
// Present only when the switch is on (gatewayApi.enabled, smoke.enabled).
export const gatewayAddress = out.gatewayAddress;
export const gatewayCurl = out.gatewayCurl;
export const smokeServiceAddress = out.smokeServiceAddress;
export const smokeCurl = out.smokeCurl;

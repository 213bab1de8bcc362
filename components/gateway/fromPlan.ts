/** GatewayApi's arguments from the stack configuration and its address plan. Pure. */
import type { FabricConfig } from "../config/types";
import type { AddressPlan } from "../plan/types";
import { lbRequests } from "../lbpools/requests";
import type { GatewayApiArgs } from "./args";

export function gatewayApiArgsFromPlan(config: FabricConfig, plan: AddressPlan): GatewayApiArgs {
    const gw = config.gatewayApi;
    if (!gw.enabled) throw new Error("GatewayApi needs gatewayApi.enabled");
    const request = lbRequests(config, plan).gateway;
    if (!request) throw new Error("gatewayApi is enabled but no address was planned for it");
    return {
        ciliumVersion: config.cilium.version,
        name: gw.name, namespace: gw.namespace, address: request.address,
        ...(Object.keys(request.labels).length > 0 ? { serviceLabels: { ...request.labels } } : {}),
        listeners: gw.listeners.map((l) => ({ ...l })),
        allowedNamespaces: structuredClone(gw.allowedNamespaces),
        // routesToSmoke (render.ts), inlined: render.ts imports this module.
        ...(gw.httpRoute && config.smoke.enabled ? { httpRoute: { serviceName: config.smoke.name, namespace: config.smoke.namespace, port: config.smoke.port, ...(gw.httpRouteHostnames.length > 0 ? { hostnames: [...gw.httpRouteHostnames] } : {}) } } : {}),
    };
}

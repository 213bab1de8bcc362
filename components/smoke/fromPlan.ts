/** SmokeWorkload's arguments from the stack configuration and its address plan. Pure. */
import type { FabricConfig } from "../config/types";
import type { AddressPlan } from "../plan/types";
import { lbRequests } from "../lbpools/requests";
import { routeNamespaceLabels, routesToSmoke } from "../gateway/render";
import type { SmokeWorkloadArgs } from "./args";

export function smokeWorkloadArgsFromPlan(config: FabricConfig, plan: AddressPlan): SmokeWorkloadArgs {
    const s = config.smoke;
    if (!s.enabled) throw new Error("SmokeWorkload needs smoke.enabled");
    const request = lbRequests(config, plan).smoke;
    if (!request) throw new Error("smoke is enabled but no address was planned for it");
    const nsLabels = routesToSmoke(config) ? routeNamespaceLabels(config, s.namespace) : {};
    const roles = new Map(plan.nodes.map((n) => [n.name, n.role]));
    return {
        ciliumVersion: config.cilium.version,
        name: s.name, namespace: s.namespace,
        ...(Object.keys(nsLabels).length > 0 ? { namespaceLabels: nsLabels } : {}),
        image: s.image, args: [...s.args], containerPort: s.containerPort, port: s.port, replicas: s.replicas,
        nodes: [...s.nodes],
        portName: s.portName,
        ...(s.targetPort !== undefined ? { targetPort: String(s.targetPort) } : {}),
        ...(s.nodePort !== undefined ? { nodePort: s.nodePort } : {}),
        ...(s.selector !== undefined ? { selector: { ...s.selector } } : {}),
        tolerateControlPlane: s.nodes.some((n) => roles.get(n) === "control-plane"),
        address: request.address, ipFamily: request.family,
        ...(request.addresses.length > 1 ? { secondaryAddress: request.addresses[1].address } : {}),
        externalTrafficPolicy: s.externalTrafficPolicy,
        // request.labels start from smoke.labels (components/lbpools/requests.ts baseLabels).
        serviceLabels: { ...request.labels },
        ...(Object.keys(s.annotations).length > 0 ? { serviceAnnotations: { ...s.annotations } } : {}),
    };
}

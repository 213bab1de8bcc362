/** All BGP control-plane objects for the configured Cilium line. */
import type { FabricConfig } from "../config/types";
import type { AddressPlan } from "../plan/types";
import type { K8sObject } from "../cilium/api";
import { checkSessionsAgainstPlan } from "./consistency";
import { renderV1Objects } from "./v1";
import { renderV2Objects } from "./v2";

export function renderBgpObjects(config: FabricConfig, plan: AddressPlan): K8sObject[] {
    const objects = config.bgp.controlPlane === "v1" ? renderV1Objects(config, plan) : renderV2Objects(config, plan);
    // The routers are rendered from plan.nodeSessions: a mismatch here is a bug, not a config error.
    const problems = checkSessionsAgainstPlan(objects, plan);
    if (problems.length > 0) throw new Error(`BGP objects disagree with the address plan:\n  ${problems.join("\n  ")}`);
    return objects;
}

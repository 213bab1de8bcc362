export * from "./common";
export * from "./selectors";
export * from "./v1";
export * from "./v2";
export * from "./peers";
export * from "./consistency";
export * from "./secret";
export * from "./render";
export * from "./component";
// Not agreement.ts: the router-side (FRR / VyOS) parsers are for tests and tools, which import
// "./agreement" directly; the barrel is on the deployment path (fabric.ts).
export * from "./args";
export * from "./spec";
export * from "./fromPlan";
export * from "./fromPlanSpec";

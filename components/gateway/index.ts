export * from "./render";
export * from "./crds";
export * from "./component";
export * from "./fromPlan";

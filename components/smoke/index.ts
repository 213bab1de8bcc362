export * from "./render";
export * from "./component";
export * from "./fromPlan";

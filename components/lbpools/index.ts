export * from "./render";
export * from "./component";
export * from "./requests";
export * from "./annotations";
export * from "./fromPlan";

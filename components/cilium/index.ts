export * from "./api";
export * from "./merge";
export * from "./values";
export * from "./release";
export * from "./fromPlan";

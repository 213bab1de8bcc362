export * from "./names";
export * from "./kind";
export * from "./k3d";
export * from "./join";
export * from "./commands";
export * from "./component";
export * from "./fromPlan";
export * from "./input";

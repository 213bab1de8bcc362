export * from "./common";
export * from "./selectors";
export * from "./v1";
export * from "./v2";
export * from "./consistency";
export * from "./secret";
export * from "./render";
export * from "./component";

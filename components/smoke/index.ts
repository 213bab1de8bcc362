export * from "./render";
export * from "./component";

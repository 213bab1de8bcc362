import { existingClusterProgram } from "./program";

const out = existingClusterProgram();
export const bgpObjects = out.bgpObjects;
export const pools = out.pools;

/**
 * Where the upstream reference data lives (Cilium CRDs and chart schemas, Gateway API CRDs, VyOS
 * definitions and FRR templates). One setting for every reader:
 *   1. CBF_REFERENCE_DIR, when set;
 *   2. ../shared/reference beside the project, when present (the workplace's copy);
 *   3. .reference/ in the project, filled by `npm run reference` (fetched at pinned versions).
 * The data is never committed to the project.
 */
import * as fs from "fs";
import * as path from "path";

export const PROJECT_ROOT = path.resolve(__dirname, "..");
export const SHARED_REFERENCE = path.resolve(PROJECT_ROOT, "../shared/reference");
export const FETCHED_REFERENCE = path.join(PROJECT_ROOT, ".reference");

/** Thrown when no reference data is found; its message is the one line a user needs. */
export class ReferenceMissingError extends Error {}

export function referenceDir(env: NodeJS.ProcessEnv = process.env): string {
    const set = env.CBF_REFERENCE_DIR;
    if (set) {
        if (!fs.existsSync(set)) throw new ReferenceMissingError(`CBF_REFERENCE_DIR=${set} does not exist: run \`npm run reference\` or unset it`);
        return path.resolve(set);
    }
    if (fs.existsSync(SHARED_REFERENCE)) return SHARED_REFERENCE;
    if (fs.existsSync(FETCHED_REFERENCE)) return FETCHED_REFERENCE;
    throw new ReferenceMissingError("no reference data (../shared/reference or .reference/): run `npm run reference` to fetch it");
}

/** A path inside the reference data: referencePath("cilium", "crds"). */
export const referencePath = (...parts: string[]): string => path.join(referenceDir(), ...parts);

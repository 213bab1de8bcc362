/**
 * The whole program under the mock runtime, fed a stack file's configuration. Secrets that
 * cannot be read offline get a visible placeholder, and the result says where each came from.
 */
import { type LoadedStack, loadStack, rawConfigFrom } from "../components/config";
import { PROJECT, SECRET_KEYS, type StackFileConfig } from "../components/config/stackfile";
import { fabricProgram } from "../components/fabric";
import { type MockRun, runUnderMocks } from "./mock-runtime";
import { registerSecret } from "./secrets";

export const PASSWORD_PLACEHOLDER = "offline-placeholder-password";
export const KUBECONFIG_PLACEHOLDER = "apiVersion: v1\nkind: Config\nclusters: []\ncontexts: []\nusers: []\n# offline placeholder kubeconfig\n";

export type SecretSource = "stack file" | "environment" | "placeholder (encrypted in the stack file)" | "placeholder (not set)";

export interface OfflineRun extends MockRun, LoadedStack {
    stack: string;
    /** Plain secret values used for this run (placeholders included); crash redaction uses cli/secrets.ts's registry. */
    secretValues: string[];
    /** The BGP password used for this run (real or placeholder). */
    bgpPassword: string | undefined;
    secretSources: Record<string, SecretSource>;
}

export async function runFabricOffline(stack: string, sc: StackFileConfig, env: NodeJS.ProcessEnv = process.env): Promise<OfflineRun> {
    const values = { ...sc.values };
    const secretSources: Record<string, SecretSource> = {};
    for (const [name, envVar] of Object.entries(SECRET_KEYS)) {
        const key = `${PROJECT}:${name}`;
        const placeholder = name === "bgpPassword" ? PASSWORD_PLACEHOLDER : KUBECONFIG_PLACEHOLDER;
        if (env[envVar]) { values[key] = env[envVar] as string; secretSources[name] = "environment"; }
        else if (sc.undecryptable.includes(key)) { values[key] = placeholder; secretSources[name] = "placeholder (encrypted in the stack file)"; }
        else if (values[key]) secretSources[name] = "stack file";
        else { values[key] = placeholder; secretSources[name] = "placeholder (not set)"; }
    }
    const get = (k: string): string | undefined => values[`${PROJECT}:${k}`];
    // Real values only (placeholders are public), so that a crash message can hide them.
    for (const [name, source] of Object.entries(secretSources)) if (!source.startsWith("placeholder")) registerSecret(get(name));
    // Validate first: a configuration error must stop the run before any resource exists.
    const loaded = loadStack(stack, rawConfigFrom(get), get("bgpPassword"));
    const secretKeys = Object.keys(SECRET_KEYS).map((k) => `${PROJECT}:${k}`);
    const run = await runUnderMocks(fabricProgram, {
        project: PROJECT, stack, config: values, secretKeys,
        outputsFor: (type) => (type === "command:local:Command" ? { stdout: KUBECONFIG_PLACEHOLDER, stderr: "" } : undefined),
    });
    const secretValues = Object.keys(SECRET_KEYS).map((k) => values[`${PROJECT}:${k}`]).filter((v): v is string => !!v);
    return { ...run, ...loaded, stack, secretValues, secretSources, bgpPassword: get("bgpPassword") };
}

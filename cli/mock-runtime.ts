/**
 * Runs a Pulumi program in-process under the mock runtime (no CLI, no engine, no providers)
 * and records every resource it registers: type, name, parent, inputs (secrets kept marked).
 * The offline plan, the policy end-to-end tests and the component tests all use this.
 */
import * as pulumi from "@pulumi/pulumi";
import { deserializeProperties, specialSecretSig, specialSigKey } from "@pulumi/pulumi/runtime/rpc";
import * as settings from "@pulumi/pulumi/runtime/settings";

// waitForRPCs is exported by the runtime but marked internal (absent from its typings): it is the
// only way to know that every registration has reached the mock monitor.
const { getMonitor, waitForRPCs } = settings as typeof settings & { waitForRPCs: () => Promise<void> };

export interface RecordedResource {
    type: string;
    name: string;
    urn: string;
    /** "type::name" of the parent, or undefined for the stack itself. */
    parent?: string;
    /** "type::name" of each resource in the dependsOn option (resources given directly, not as outputs). */
    dependsOn?: string[];
    custom: boolean;
    /** Inputs with secrets replaced by their values (see secretPaths). */
    inputs: Record<string, unknown>;
    /** JSON paths (e.g. `uploads[0].content`) of inputs that were Pulumi secrets. */
    secretPaths: string[];
    /** Outputs a component registered (registerOutputs), secrets unwrapped; empty for custom resources. */
    outputs: Record<string, unknown>;
}

export interface MockRun {
    resources: RecordedResource[];
    /** The program's return value (stack outputs), resolved. */
    outputs: Record<string, unknown>;
}

export interface MockRunOptions {
    project: string;
    stack: string;
    /** Namespaced config key -> value as the runtime holds it. */
    config: Record<string, string>;
    secretKeys?: string[];
    /** Extra mock outputs for a resource (e.g. a kubeconfig from a Command). */
    outputsFor?: (type: string, name: string, inputs: Record<string, unknown>) => Record<string, unknown> | undefined;
}

type Json = unknown;
const isSecretWrapper = (v: Json): v is { value: Json } =>
    typeof v === "object" && v !== null && (v as Record<string, unknown>)[specialSigKey] === specialSecretSig;

/** Unwraps secret markers, remembering where they were. */
export function unwrapSecrets(value: Json, path = "", found: string[] = []): Json {
    if (isSecretWrapper(value)) {
        found.push(path);
        return unwrapSecrets(value.value, path, found);
    }
    if (Array.isArray(value)) return value.map((v, i) => unwrapSecrets(v, `${path}[${i}]`, found));
    if (typeof value === "object" && value !== null) {
        const out: Record<string, Json> = {};
        for (const [k, v] of Object.entries(value)) out[k] = unwrapSecrets(v, path ? `${path}.${k}` : k, found);
        return out;
    }
    return value;
}

/** Awaits an Output-laden value (outputs of the program) into plain data. */
function resolve(value: unknown): Promise<unknown> {
    const out: pulumi.Output<unknown> = pulumi.output(value as pulumi.Input<unknown>);
    return new Promise((res) => out.apply((v) => { res(v); return v; }));
}

export async function runUnderMocks(program: () => unknown, o: MockRunOptions): Promise<MockRun> {
    const byKey = new Map<string, RecordedResource>();
    const parents = new Map<string, string | undefined>();
    const dependencies = new Map<string, string[]>();
    const order: string[] = [];
    const keyOf = (type: string, name: string): string => `${type}::${name}`;

    pulumi.runtime.setAllConfig(o.config, o.secretKeys ?? []);
    await pulumi.runtime.setMocks({
        newResource(args: pulumi.runtime.MockResourceArgs): { id: string | undefined; state: Record<string, unknown> } {
            const key = keyOf(args.type, args.name);
            const secretPaths: string[] = [];
            const inputs = unwrapSecrets(args.inputs, "", secretPaths) as Record<string, unknown>;
            const urn = `urn:pulumi:${o.stack}::${o.project}::${args.type}::${args.name}`;
            byKey.set(key, { type: args.type, name: args.name, urn, custom: args.custom ?? true, inputs, secretPaths, outputs: {} });
            order.push(key);
            const extra = o.outputsFor?.(args.type, args.name, inputs) ?? {};
            return { id: args.custom === false ? undefined : `${args.name}-id`, state: { ...args.inputs, ...extra } };
        },
        call(args: pulumi.runtime.MockCallArgs): Record<string, unknown> {
            return args.inputs;
        },
    }, o.project, o.stack, true);

    const outputs = await pulumi.runtime.runInPulumiStack(async () => {
        // Parents are only visible client-side: record them as resources are constructed.
        pulumi.runtime.registerStackTransformation((args) => {
            const parent = args.opts.parent as (pulumi.Resource & { __pulumiType?: string; __name?: string }) | undefined;
            const parentKey = parent && parent.__pulumiType && parent.__name ? keyOf(parent.__pulumiType, parent.__name) : undefined;
            // Some SDK classes pass through the transformation twice, the second time without a parent.
            const key = keyOf(args.type, args.name);
            if (!parents.get(key)) parents.set(key, parentKey);
            const deps = args.opts.dependsOn;
            const list = (Array.isArray(deps) ? deps : deps ? [deps] : []) as unknown[];
            const depKeys = list.map((d) => d as { __pulumiType?: string; __name?: string })
                .filter((d) => typeof d === "object" && d !== null && d.__pulumiType && d.__name)
                .map((d) => keyOf(d.__pulumiType as string, d.__name as string));
            if (depKeys.length > 0 && !dependencies.has(key)) dependencies.set(key, depKeys);
            return undefined;
        });
        return (await resolve(program())) as Record<string, unknown> | undefined;
    });
    await waitForRPCs();

    // Component outputs (registerOutputs) live only in the mock monitor's table.
    const monitor = getMonitor() as unknown as { getRegisteredResources?: () => Map<string, { urn: string; state: unknown }> };
    for (const [urn, entry] of monitor.getRegisteredResources?.() ?? []) {
        const parts = urn.split("::");
        const key = keyOf((parts[2] ?? "").split("$").pop() ?? "", parts[3] ?? "");
        const rec = byKey.get(key);
        const state = entry.state as { toJavaScript?: unknown } | undefined;
        // Registered outputs arrive as a protobuf Struct; construction-time state is plain (no outputs yet).
        if (!rec || rec.custom || !state || typeof state.toJavaScript !== "function") continue;
        rec.outputs = unwrapSecrets(deserializeProperties(state as Parameters<typeof deserializeProperties>[0])) as Record<string, unknown>;
    }

    const resources = order.map((k) => {
        const r = byKey.get(k) as RecordedResource;
        const parent = parents.get(k);
        if (parent !== undefined) r.parent = parent.startsWith("pulumi:pulumi:Stack::") ? undefined : parent;
        const deps = dependencies.get(k);
        if (deps) r.dependsOn = deps;
        return r;
    });
    return { resources, outputs: (unwrapSecrets(outputs ?? {}) as Record<string, unknown>) };
}

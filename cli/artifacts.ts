/**
 * Turns an offline run into the plan directory's files (see README, "Offline plan"), runs the
 * policy pack on the recorded resources, and redacts secrets unless asked not to.
 */
import { stringify } from "yaml";
import { renderAddressPlanMarkdown, renderTopologyMermaid } from "../components/plan/render";
import type { AddressPlan } from "../components/plan/types";
import { renderTopologySvg } from "../components/topology/svg";
import { isDeepStrictEqual } from "util";
import { type FileSpec, ROUTER_RESOURCE_PREFIX, renderVyosCommands, routerFiles } from "../components/routers";
import { mergePackConfig, packConfigFor } from "../policy/config";
import { planHalves, primaryFamily } from "../components/plan/dual";
import { runPolicies, type PackConfig, type PolicyResource, type Violation } from "../policy/run";
import type { RecordedResource } from "./mock-runtime";
import type { OfflineRun } from "./offline";
import { REDACTED } from "./secrets";

export interface PlanResult {
    files: Map<string, string>;
    policies: string[];
    violations: Violation[];
    resourceCounts: Record<string, number>;
    /** The endpoint stack outputs (see ENDPOINT_OUTPUTS). */
    endpoints: Record<string, string>;
}

export { REDACTED };

/** What the policy pack sees: custom resources by their inputs, components by their outputs. */
export function toPolicyResources(resources: RecordedResource[]): PolicyResource[] {
    const urnOf = new Map(resources.map((r) => [`${r.type}::${r.name}`, r.urn]));
    return resources.map((r) => {
        const out: PolicyResource = { type: r.type, name: r.name, urn: r.urn, props: r.custom ? r.inputs : r.outputs };
        const parent = r.parent ? urnOf.get(r.parent) : undefined;
        if (parent) out.parent = parent;
        return out;
    });
}

export const CONFIG_FILE_TYPE = "kubernetes:yaml/v2:ConfigFile";

/** Stack outputs naming the endpoints the switches create (gatewayApi, smoke); absent ones are left out. */
export const ENDPOINT_OUTPUTS = ["gatewayAddress", "gatewayCurl", "smokeServiceAddress", "smokeCurl"] as const;
export function endpointsOf(outputs: Record<string, unknown>): Record<string, string> {
    const out: Record<string, string> = {};
    for (const k of ENDPOINT_OUTPUTS) if (typeof outputs[k] === "string") out[k] = outputs[k] as string;
    return out;
}

/** Router name -> the files the RouterFleet uploads into its container (resource `router-<name>`). */
export function recordedRouterUploads(resources: RecordedResource[]): Map<string, FileSpec[]> {
    const out = new Map<string, FileSpec[]>();
    for (const r of resources) {
        if (r.type === "docker:index/container:Container" && r.name.startsWith(ROUTER_RESOURCE_PREFIX)) {
            out.set(r.name.slice(ROUTER_RESOURCE_PREFIX.length), (r.inputs.uploads as FileSpec[] | undefined) ?? []);
        }
    }
    return out;
}

const yaml = (o: unknown): string => stringify(o, { lineWidth: 0, sortMapEntries: false });
const slug = (s: string): string => s.toLowerCase().replace(/[^a-z0-9.-]+/g, "-");

/** The pack config the plan runs the policies with: the stack's own settings, then `--policy-config`'s. */
export function planPackConfig(run: Pick<OfflineRun, "config" | "plan">, file: PackConfig = {}): PackConfig {
    // A dual stack: both halves' aggregates, and the family "dual".
    const aggregates = planHalves(run.plan).flatMap((h) => h.aggregates);
    const stack = packConfigFor({ aggregates, allowedPublicAsns: run.config.asn.allowPublic, ipFamily: run.config.ipFamily });
    return mergePackConfig(stack, file);
}

/** One half's part of plan.json (allocations are the whole plan's). */
function planJsonHalf(plan: AddressPlan): Record<string, unknown> {
    return {
        aggregate: plan.aggregate, aggregates: plan.aggregates, nodeNetwork: plan.nodeNetwork, podCidr: plan.podCidr, podMaskSize: plan.podMaskSize,
        serviceCidr: plan.serviceCidr, loopbacks: plan.loopbacks, links: plan.links ?? null, routerIdPool: plan.routerIdPool,
        lbPools: plan.lbPools, nodeSubnets: plan.nodeSubnets,
        routers: plan.routers, nodes: plan.nodes, linkNets: plan.linkNets, nodeSessions: plan.nodeSessions, routerSessions: plan.routerSessions,
    };
}

export async function buildPlanArtifacts(stack: string, run: OfflineRun, o: { showSecrets: boolean; policyConfig?: PackConfig }): Promise<PlanResult> {
    const { config, plan } = run;
    const files = new Map<string, string>();
    const packConfig = planPackConfig(run, o.policyConfig);
    const policy = runPolicies(toPolicyResources(run.resources), packConfig);
    const endpoints = endpointsOf(run.outputs);

    const resourceCounts: Record<string, number> = {};
    for (const r of [...run.resources].sort((a, b) => a.type.localeCompare(b.type))) resourceCounts[r.type] = (resourceCounts[r.type] ?? 0) + 1;

    files.set("plan.json", `${JSON.stringify({
        stack,
        ipFamily: config.ipFamily,
        ciliumVersion: config.cilium.version,
        secrets: run.secretSources,
        resources: run.resources.map((r) => ({ type: r.type, name: r.name, parent: r.parent ?? null })),
        addressPlan: {
            ...planJsonHalf(plan), allocations: plan.allocations,
            // A dual stack: Kubernetes' primary family and the IPv6 half (this one is the IPv4 half).
            ...(plan.secondary ? { primaryFamily: primaryFamily(plan), ipv6: planJsonHalf(plan.secondary) } : {}),
        },
        endpoints,
        policy: { config: packConfig, policies: policy.policies, violations: policy.violations },
    }, null, 2)}\n`);
    files.set("address-plan.md", renderAddressPlanMarkdown(stack, plan));
    files.set("topology.svg", await renderTopologySvg(stack, plan, { md5: config.bgp.authentication, ...(config.bgp.ebgpMultihop !== undefined ? { ebgpMultihop: config.bgp.ebgpMultihop } : {}) }));
    files.set("topology.md", renderTopologyMermaid(stack, plan));

    const password = config.bgp.authentication ? run.bgpPassword : undefined;
    const shownPassword = o.showSecrets || password === undefined ? password : REDACTED;
    for (const [router, uploads] of recordedRouterUploads(run.resources)) {
        const planned = plan.routers.find((x) => x.name === router);
        const shown = o.showSecrets || !planned ? uploads : redactedRouterFiles(run, planned, uploads, password);
        for (const u of shown) files.set(`routers/${router}/${u.file.split("/").pop()}`, u.content);
        if (planned?.flavour === "vyos") {
            const cmds = renderVyosCommands({ config, plan, router: planned, ...(shownPassword !== undefined ? { password: shownPassword } : {}) });
            files.set(`routers/${router}/vyos.set`, `${cmds.join("\n")}\n`);
        }
    }
    for (const rec of run.resources) {
        // Inputs the program marked secret are replaced where they sit (structural redaction).
        const r = o.showSecrets ? rec : { ...rec, inputs: redactSecretPaths(rec.inputs, rec.secretPaths) as Record<string, unknown> };
        if (r.type === "command:local:Command" && r.name.endsWith("-create") && typeof r.inputs.stdin === "string") {
            files.set(`cluster/${config.cluster.provider}.yaml`, r.inputs.stdin);
        }
        if (r.type === "kubernetes:helm.sh/v3:Release") files.set("cilium/values.yaml", yaml(r.inputs.values));
        if (r.type === CONFIG_FILE_TYPE) {
            // Resolved provider-side at `pulumi up`: the plan records the reference, never the fetched content.
            files.set(`manifests/remote_${slug(r.name)}.yaml`, `# ${CONFIG_FILE_TYPE} "${r.name}": applied by the Kubernetes provider at \`pulumi up\`; not fetched offline\n${yaml({ file: r.inputs.file })}`);
        }
        if (r.type.startsWith("kubernetes:") && r.type !== "kubernetes:helm.sh/v3:Release" && r.inputs.kind) {
            const meta = (r.inputs.metadata ?? {}) as { name?: string; namespace?: string };
            const group = String(r.inputs.apiVersion ?? "").split("/")[0].replace(/^v1$/, "core");
            const name = [group, String(r.inputs.kind), meta.namespace, meta.name ?? r.name].filter(Boolean).map((x) => slug(String(x))).join("_");
            const { apiVersion, kind, metadata, ...rest } = r.inputs;
            files.set(`manifests/${name}.yaml`, yaml({ apiVersion, kind, metadata, ...rest }));
        }
    }

    return { files, policies: policy.policies, violations: policy.violations, resourceCounts, endpoints };
}

/**
 * `value` with every input at one of `paths` (mock-runtime secretPaths: `a.b[0].c`, "" for the
 * whole value) replaced by REDACTED; a secret object or list keeps its keys and shape, its
 * scalar leaves redacted (a Secret's `stringData` shows `password: [secret]`). Nothing else is
 * touched: text equal to a secret elsewhere (a label value `linux`, an `apiVersion` line) stays.
 */
export function redactSecretPaths(value: unknown, paths: readonly string[]): unknown {
    if (paths.length === 0) return value;
    const leaves = (v: unknown): unknown => {
        if (Array.isArray(v)) return v.map(leaves);
        if (typeof v === "object" && v !== null) return Object.fromEntries(Object.entries(v).map(([k, x]) => [k, leaves(x)]));
        return v === null || v === undefined ? v : REDACTED;
    };
    const walk = (v: unknown, at: string): unknown => {
        if (paths.includes(at)) return leaves(v);
        if (Array.isArray(v)) return v.map((x, i) => walk(x, `${at}[${i}]`));
        if (typeof v === "object" && v !== null) {
            return Object.fromEntries(Object.entries(v).map(([k, x]) => [k, walk(x, at ? `${at}.${k}` : k)]));
        }
        return v;
    };
    return walk(value, "");
}

/**
 * A router's files as the plan shows them without --show-secrets: rendered again with REDACTED in
 * the password's place, once the rendering with the real password is proven to be exactly what
 * the container receives. If it is not, each file is withheld whole rather than guessed at.
 */
function redactedRouterFiles(run: OfflineRun, router: OfflineRun["plan"]["routers"][number], uploads: FileSpec[], password: string | undefined): FileSpec[] {
    const { config, plan } = run;
    const same = isDeepStrictEqual(routerFiles(config, plan, router, password), uploads);
    if (!same) return uploads.map((u) => ({ ...u, content: `# ${REDACTED}: ${u.file} holds secrets (--show-secrets shows it)\n` }));
    return routerFiles(config, plan, router, password === undefined ? undefined : REDACTED);
}

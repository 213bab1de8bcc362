/**
 * Turns an offline run into the plan directory's files (see README, "Offline plan"), runs the
 * policy pack on the recorded resources, and redacts secrets unless asked not to.
 */
import { stringify } from "yaml";
import { renderAddressPlanMarkdown, renderTopologyMermaid } from "../components/plan/render";
import { renderTopologySvg } from "../components/topology/svg";
import { type FileSpec, ROUTER_RESOURCE_PREFIX, renderVyosCommands } from "../components/routers";
import { runPolicies, type PolicyResource, type Violation } from "../policy/run";
import type { RecordedResource } from "./mock-runtime";
import type { OfflineRun } from "./offline";

export interface PlanResult {
    files: Map<string, string>;
    policies: string[];
    violations: Violation[];
    resourceCounts: Record<string, number>;
    /** The endpoint stack outputs (see ENDPOINT_OUTPUTS). */
    endpoints: Record<string, string>;
}

export const REDACTED = "[secret]";

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

export async function buildPlanArtifacts(stack: string, run: OfflineRun, o: { showSecrets: boolean }): Promise<PlanResult> {
    const { config, plan } = run;
    const files = new Map<string, string>();
    const policy = runPolicies(toPolicyResources(run.resources));
    const endpoints = endpointsOf(run.outputs);

    const resourceCounts: Record<string, number> = {};
    for (const r of [...run.resources].sort((a, b) => a.type.localeCompare(b.type))) resourceCounts[r.type] = (resourceCounts[r.type] ?? 0) + 1;

    files.set("plan.json", `${JSON.stringify({
        stack,
        ipFamily: plan.family,
        ciliumVersion: config.cilium.version,
        secrets: run.secretSources,
        resources: run.resources.map((r) => ({ type: r.type, name: r.name, parent: r.parent ?? null })),
        addressPlan: {
            aggregate: plan.aggregate, nodeNetwork: plan.nodeNetwork, podCidr: plan.podCidr, podMaskSize: plan.podMaskSize,
            serviceCidr: plan.serviceCidr, loopbacks: plan.loopbacks, links: plan.links ?? null, routerIdPool: plan.routerIdPool,
            lbPools: plan.lbPools, nodeSubnets: plan.nodeSubnets, allocations: plan.allocations,
            routers: plan.routers, nodes: plan.nodes, linkNets: plan.linkNets, nodeSessions: plan.nodeSessions, routerSessions: plan.routerSessions,
        },
        endpoints,
        policy: { policies: policy.policies, violations: policy.violations },
    }, null, 2)}\n`);
    files.set("address-plan.md", renderAddressPlanMarkdown(stack, plan));
    files.set("topology.svg", await renderTopologySvg(stack, plan, { md5: config.bgp.authentication, ...(config.bgp.ebgpMultihop !== undefined ? { ebgpMultihop: config.bgp.ebgpMultihop } : {}) }));
    files.set("topology.md", renderTopologyMermaid(stack, plan));

    for (const [router, uploads] of recordedRouterUploads(run.resources)) {
        for (const u of uploads) files.set(`routers/${router}/${u.file.split("/").pop()}`, u.content);
        const planned = plan.routers.find((x) => x.name === router);
        if (planned?.flavour === "vyos") {
            const password = config.bgp.authentication ? run.bgpPassword : undefined;
            const cmds = renderVyosCommands({ config, plan, router: planned, ...(password !== undefined ? { password } : {}) });
            files.set(`routers/${router}/vyos.set`, `${cmds.join("\n")}\n`);
        }
    }
    for (const r of run.resources) {
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

    if (!o.showSecrets) {
        for (const [k, v] of files) files.set(k, redact(v, run.secretValues));
    }
    return { files, policies: policy.policies, violations: policy.violations, resourceCounts, endpoints };
}

/** Replaces every occurrence of each secret (longest first, so one never hides inside another). */
export function redact(text: string, secrets: string[]): string {
    let out = text;
    for (const s of [...secrets].filter((x) => x.length > 0).sort((a, b) => b.length - a.length)) out = out.split(s).join(REDACTED);
    return out;
}

/**
 * Renders a stack file the way `npm run plan -- --stack X --out DIR` does (readStackConfig,
 * runFabricOffline, buildPlanArtifacts: the real program under Pulumi's mock runtime) and reads
 * the seed-relevant facts back out of the artifacts: the Kubernetes manifests, the Helm values,
 * the kind/k3d cluster file, the router configuration text and the Docker containers' addresses.
 */
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { parse as parseYaml } from "yaml";
import { buildPlanArtifacts } from "../../cli/artifacts";
import { runFabricOffline } from "../../cli/offline";
import { ConfigError } from "../../components/config";
import { readStackConfig } from "../../components/config/stackfile";
import { type ParsedRouter, parseFrr, parseVyosSet } from "./routerconfig";

export const ROOT = path.resolve(__dirname, "../..");

export interface K8sObject {
    apiVersion: string;
    kind: string;
    metadata: { name: string; namespace?: string; labels?: Record<string, string>; annotations?: Record<string, string> };
    [k: string]: unknown;
}

export interface RenderedRouter extends ParsedRouter {
    name: string;
    flavour: string;
    image: string;
    /** The file the BGP facts were read from (routers/<name>/frr.conf or vyos.set). */
    source: string;
    /** Addresses the router's Docker container is given, with the network's prefix length. */
    addresses: string[];
}

export interface RenderedNode {
    name: string;
    role: string;
    address?: string;
    labels: Record<string, string>;
    /** The default gateway(s) the plan gives the node (the join script's route; plan.json). */
    gateways: string[];
}

export interface Rendered {
    stack: string;
    files: Map<string, string>;
    objects: K8sObject[];
    helmValues: Record<string, unknown>;
    routers: RenderedRouter[];
    nodes: RenderedNode[];
    /** plan.json as written. */
    plan: PlanJson;
}

export interface PlanJson {
    ciliumVersion: string;
    endpoints?: Record<string, string>;
    ipFamily: string;
    addressPlan: {
        aggregate: string; nodeNetwork: string; podCidr: string; serviceCidr: string; loopbacks: string;
        /** A dual stack's IPv6 half. */
        ipv6?: { nodeNetwork: string };
        lbPools: { name: string; cidr: string }[];
        routers: { name: string; flavour: string; image: string; loopback: string; routerId: string }[];
        nodes: { name: string; role: string; address: string; rack?: string; gateways?: string[] }[];
    };
}

/** A stack whose configuration the loader refuses: what it said. */
export class StackDoesNotLoad extends Error {}

/** Node facts from the kind cluster file (kubeadm patches: name, node-ip, node-labels). */
function kindNodes(text: string): RenderedNode[] {
    const doc = parseYaml(text) as { nodes?: { role: string; labels?: Record<string, string>; kubeadmConfigPatches?: string[] }[] };
    return (doc.nodes ?? []).map((n) => {
        const patch = (n.kubeadmConfigPatches ?? []).map((p) => parseYaml(p) as { nodeRegistration?: { name?: string; kubeletExtraArgs?: Record<string, string> } })
            .find((p) => p.nodeRegistration !== undefined);
        const args = patch?.nodeRegistration?.kubeletExtraArgs ?? {};
        const labels: Record<string, string> = { ...(n.labels ?? {}) };
        for (const kv of (args["node-labels"] ?? "").split(",").filter(Boolean)) {
            const [k, v] = kv.split("=");
            labels[k] = v ?? "";
        }
        return { name: patch?.nodeRegistration?.name ?? "", role: n.role, ...(args["node-ip"] ? { address: args["node-ip"] } : {}), labels, gateways: [] };
    });
}

/** Renders `stackFile` (a path relative to the project root) as stack `name`. */
export async function renderStack(stackFile: string, name: string): Promise<Rendered> {
    const root = fs.mkdtempSync(path.join(os.tmpdir(), "cbf-seed-"));
    try {
        fs.copyFileSync(path.join(ROOT, "Pulumi.yaml"), path.join(root, "Pulumi.yaml"));
        fs.copyFileSync(path.join(ROOT, stackFile), path.join(root, `Pulumi.${name}.yaml`));
        let run;
        try {
            run = await runFabricOffline(name, readStackConfig(root, name, {}), {});
        } catch (e) {
            if (e instanceof ConfigError) throw new StackDoesNotLoad(e.message);
            throw e;
        }
        const result = await buildPlanArtifacts(name, run, { showSecrets: false });
        const files = result.files;
        const objects: K8sObject[] = [...files.entries()]
            .filter(([f]) => f.startsWith("manifests/") && !f.startsWith("manifests/remote_"))
            .map(([, t]) => parseYaml(t) as K8sObject);
        const helmValues = (files.has("cilium/values.yaml") ? parseYaml(files.get("cilium/values.yaml") as string) : {}) as Record<string, unknown>;
        const plan = JSON.parse(files.get("plan.json") as string) as PlanJson;

        // Docker: network name and family -> prefix length (a dual network has a subnet per family); router container -> its addresses.
        const prefixOf = new Map<string, string>();
        for (const r of run.resources.filter((x) => x.type === "docker:index/network:Network")) {
            for (const { subnet } of (r.inputs.ipamConfigs as { subnet: string }[] | undefined) ?? []) {
                prefixOf.set(`${String(r.inputs.name)} ${subnet.includes(":") ? 6 : 4}`, subnet.split("/")[1]);
            }
        }
        const routers: RenderedRouter[] = plan.addressPlan.routers.map((pr) => {
            const container = run.resources.find((x) => x.type === "docker:index/container:Container" && x.name === `router-${pr.name}`);
            const nets = (container?.inputs.networksAdvanced as { name: string; ipv4Address?: string; ipv6Address?: string }[] | undefined) ?? [];
            const addresses = nets.flatMap((n) => [n.ipv4Address, n.ipv6Address].filter((a): a is string => !!a)
                .map((a) => `${a}/${prefixOf.get(`${n.name} ${a.includes(":") ? 6 : 4}`) ?? "?"}`));
            const source = pr.flavour === "vyos" ? `routers/${pr.name}/vyos.set` : `routers/${pr.name}/frr.conf`;
            const text = files.get(source);
            if (text === undefined) throw new Error(`${name}: no ${source} rendered`);
            const parsed = pr.flavour === "vyos" ? parseVyosSet(text) : parseFrr(text);
            return { name: pr.name, flavour: pr.flavour, image: String(container?.inputs.image ?? pr.image), source, addresses, ...parsed };
        });
        const clusterFile = [...files.keys()].find((f) => f.startsWith("cluster/"));
        // kind: the cluster file says names, addresses and labels; k3d names nodes itself, so the plan's are taken.
        const nodes = clusterFile?.endsWith("kind.yaml") ? kindNodes(files.get(clusterFile) as string)
            : plan.addressPlan.nodes.map((n) => ({ name: n.name, role: n.role, address: n.address, labels: {}, gateways: [] as string[] }));
        for (const n of nodes) n.gateways = plan.addressPlan.nodes.find((p) => p.name === n.name)?.gateways ?? [];
        return { stack: name, files, objects, helmValues, routers, nodes, plan };
    } finally {
        fs.rmSync(root, { recursive: true, force: true });
    }
}

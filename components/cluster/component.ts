import * as pulumi from "@pulumi/pulumi";
import * as k8s from "@pulumi/kubernetes";
import * as command from "@pulumi/command";
import { childOptions, typeToken, withDependencies } from "../shared/args";
import type { ClusterArgs } from "./args";
import { clusterCommands } from "./commands";
import { clusterProviderOf, clusterRenderInput } from "./input";
import { renderJoinScript, resolveNodeNetworks } from "./join";

export type { ClusterArgs, ClusterNodeArgs } from "./args";

interface Commands { create: command.local.Command; join: command.local.Command; kubeconfig: command.local.Command }
// Kept off the class's properties: the multi-language schema is generated from them.
const commands = new WeakMap<object, Commands>();

/**
 * A kind or k3d cluster without CNI and kube-proxy whose node containers join the routers'
 * Docker networks at their planned addresses (or an existing cluster from its kubeconfig), and
 * a Kubernetes provider for it. Put the router fleet in dependsOn: its networks and gateways
 * must exist before the nodes join them.
 */
export class Cluster extends pulumi.ComponentResource {
    /** The cluster's name. */
    public readonly clusterName: string;
    /** The cluster's kubeconfig. Secret. */
    public readonly kubeconfig: pulumi.Output<string>;
    /** A Kubernetes provider for the cluster. */
    public readonly provider: k8s.Provider;
    /** The rendered kind/k3d config (unset for existing clusters). */
    public readonly clusterConfig?: string;

    constructor(name: string, args: ClusterArgs, opts?: pulumi.ComponentResourceOptions) {
        super(typeToken("cluster", "Cluster"), name, {}, opts);
        this.clusterName = args.name;

        if (clusterProviderOf(args) === "existing") {
            if (args.kubeconfig === undefined) throw new Error("provider is existing: kubeconfig is required (secret config key kubeconfig)");
            this.kubeconfig = pulumi.secret(args.kubeconfig);
        } else {
            const { config, plan } = clusterRenderInput(args);
            const cmds = clusterCommands(config, plan);
            this.clusterConfig = cmds.configYaml;
            const create = new command.local.Command(`${name}-create`, {
                create: cmds.create,
                stdin: cmds.configYaml,
                delete: cmds.delete,
                // A changed config means a new cluster (kind and k3d cannot reconfigure one in place).
                triggers: [cmds.configYaml],
            }, { ...childOptions(this, opts), deleteBeforeReplace: true });

            const script = pulumi.output(args.nodeNetworkNames).apply((names) =>
                renderJoinScript(config, plan, resolveNodeNetworks(plan, names)));
            const join = new command.local.Command(`${name}-join`, {
                create: script,
                triggers: [script, create.id],
            }, { parent: this, dependsOn: withDependencies(opts?.dependsOn, create) });

            const kubeconfig = new command.local.Command(`${name}-kubeconfig`, {
                create: cmds.kubeconfig,
                triggers: [create.id],
            }, { parent: this, dependsOn: [join], additionalSecretOutputs: ["stdout"] });
            commands.set(this, { create, join, kubeconfig });
            this.kubeconfig = pulumi.secret(kubeconfig.stdout);
        }

        this.provider = new k8s.Provider(`${name}-provider`, { kubeconfig: this.kubeconfig }, { parent: this });
        this.registerOutputs({ clusterName: this.clusterName, kubeconfig: this.kubeconfig, provider: this.provider });
    }

    get create(): command.local.Command | undefined { return commands.get(this)?.create; }
    get join(): command.local.Command | undefined { return commands.get(this)?.join; }
    get kubeconfigCommand(): command.local.Command | undefined { return commands.get(this)?.kubeconfig; }
}

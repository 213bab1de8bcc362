import * as pulumi from "@pulumi/pulumi";
import * as k8s from "@pulumi/kubernetes";
import * as command from "@pulumi/command";
import type { FabricConfig } from "../config/types";
import type { AddressPlan } from "../plan/types";
import { clusterCommands } from "./commands";
import { renderJoinScript, resolveNodeNetworks } from "./join";

export interface ClusterArgs {
    config: FabricConfig;
    plan: AddressPlan;
    /** Kubeconfig of an existing cluster (secret config key `kubeconfig`); required for provider existing. */
    kubeconfig?: pulumi.Input<string>;
    /** Docker networks of the node subnets, created by the router fleet (see resolveNodeNetworks). */
    nodeNetworkNames?: pulumi.Input<string[]>;
    /** Typically the router fleet: its networks and gateways must exist before nodes join them. */
    dependsOn?: pulumi.Input<pulumi.Resource>[];
}

export class Cluster extends pulumi.ComponentResource {
    public readonly clusterName: string;
    /** Secret. */
    public readonly kubeconfig: pulumi.Output<string>;
    public readonly provider: k8s.Provider;
    /** The rendered kind/k3d config (undefined for existing clusters). */
    public readonly clusterConfig?: string;
    public readonly create?: command.local.Command;
    public readonly join?: command.local.Command;
    public readonly kubeconfigCommand?: command.local.Command;

    constructor(name: string, args: ClusterArgs, opts?: pulumi.ComponentResourceOptions) {
        super("cilium-bgp-fabric:cluster:Cluster", name, {}, opts);
        const { config, plan } = args;
        this.clusterName = config.cluster.name;

        if (config.cluster.provider === "existing") {
            if (args.kubeconfig === undefined) throw new Error("cluster.provider is existing: set the secret config key kubeconfig");
            this.kubeconfig = pulumi.secret(args.kubeconfig);
        } else {
            const cmds = clusterCommands(config, plan);
            this.clusterConfig = cmds.configYaml;
            this.create = new command.local.Command(`${name}-create`, {
                create: cmds.create,
                stdin: cmds.configYaml,
                delete: cmds.delete,
                // A changed config means a new cluster (kind and k3d cannot reconfigure one in place).
                triggers: [cmds.configYaml],
            }, { parent: this, dependsOn: args.dependsOn, deleteBeforeReplace: true });

            const script = pulumi.output(args.nodeNetworkNames).apply((names) =>
                renderJoinScript(config, plan, resolveNodeNetworks(plan, names)));
            this.join = new command.local.Command(`${name}-join`, {
                create: script,
                triggers: [script, this.create.id],
            }, { parent: this, dependsOn: [this.create, ...(args.dependsOn ?? [])] });

            this.kubeconfigCommand = new command.local.Command(`${name}-kubeconfig`, {
                create: cmds.kubeconfig,
                triggers: [this.create.id],
            }, { parent: this, dependsOn: [this.join], additionalSecretOutputs: ["stdout"] });
            this.kubeconfig = pulumi.secret(this.kubeconfigCommand.stdout);
        }

        this.provider = new k8s.Provider(`${name}-provider`, { kubeconfig: this.kubeconfig }, { parent: this });
        this.registerOutputs({ clusterName: this.clusterName, kubeconfig: this.kubeconfig, provider: this.provider });
    }
}

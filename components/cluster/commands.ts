/** Shell commands that create, delete and read a kind or k3d cluster (run by command.local.Command). */
import { stringify } from "yaml";
import type { FabricConfig } from "../config/types";
import type { AddressPlan } from "../plan/types";
import { shellQuote } from "../shell";
import { renderK3dConfig } from "./k3d";
import { renderKindConfig } from "./kind";

export interface ClusterCommands {
    /** The rendered cluster config (YAML), fed to `create` on stdin. */
    configYaml: string;
    create: string;
    delete: string;
    kubeconfig: string;
}

export function clusterCommands(config: FabricConfig, plan: AddressPlan): ClusterCommands {
    const name = shellQuote(config.cluster.name);
    // The config goes through a temp file: k3d needs a path, and stdin keeps it out of argv.
    const viaFile = (cmd: string): string => `set -eu; f=$(mktemp); trap 'rm -f "$f"' EXIT; cat > "$f"; ${cmd}`;
    if (config.cluster.provider === "k3d") {
        return {
            configYaml: stringify(renderK3dConfig(config, plan)),
            create: viaFile(`k3d cluster create ${name} --config "$f"`),
            delete: `k3d cluster delete ${name}`,
            kubeconfig: `k3d kubeconfig get ${name}`,
        };
    }
    if (config.cluster.provider === "kind") {
        return {
            configYaml: stringify(renderKindConfig(config, plan)),
            create: viaFile(`kind create cluster --name ${name} --config "$f"`),
            delete: `kind delete cluster --name ${name}`,
            kubeconfig: `kind get kubeconfig --name ${name}`,
        };
    }
    throw new Error(`cluster.provider ${config.cluster.provider} has no create command`);
}

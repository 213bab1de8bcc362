/**
 * The Gateway API CRDs of the configured release and channel, from the release's published
 * install manifest. A yaml/v2 ConfigFile resolves the URL provider-side at `pulumi up`, so the
 * offline plan and the tests register it without fetching anything. Cilium's release depends on
 * it: the Gateway API controller starts only when the CRDs exist.
 */
import * as pulumi from "@pulumi/pulumi";
import * as k8s from "@pulumi/kubernetes";
import type { FabricConfig } from "../config/types";
import { gatewayApiCrdsUrl } from "./render";

export interface GatewayApiCrdsArgs {
    config: FabricConfig;
    provider: k8s.Provider;
    /** Typically the Cluster. */
    dependsOn?: pulumi.Input<pulumi.Resource>[];
}

export class GatewayApiCrds extends pulumi.ComponentResource {
    public readonly url: string;
    public readonly version: string;
    public readonly configFile: k8s.yaml.v2.ConfigFile;

    constructor(name: string, args: GatewayApiCrdsArgs, opts?: pulumi.ComponentResourceOptions) {
        super("cilium-bgp-fabric:gateway:GatewayApiCrds", name, {}, opts);
        this.version = args.config.gatewayApi.version;
        this.url = gatewayApiCrdsUrl(args.config.gatewayApi);
        this.configFile = new k8s.yaml.v2.ConfigFile(`${name}-install`, { file: this.url },
            { parent: this, provider: args.provider, dependsOn: args.dependsOn });
        // Not configFile.resources: it is only known once the provider has read the file.
        this.registerOutputs({ url: this.url, version: this.version, channel: args.config.gatewayApi.channel });
    }
}

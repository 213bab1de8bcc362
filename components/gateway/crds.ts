/**
 * The Gateway API CRDs of the configured release and channel, from the release's published
 * install manifest. A yaml/v2 ConfigFile resolves the URL provider-side at `pulumi up`, so the
 * offline plan and the tests register it without fetching anything. Cilium's release depends on
 * it: the Gateway API controller starts only when the CRDs exist.
 */
import * as pulumi from "@pulumi/pulumi";
import * as k8s from "@pulumi/kubernetes";
import { childOptions, typeToken } from "../shared/args";
import { gatewayApiCrdsUrl } from "./render";

export interface GatewayApiCrdsArgs {
    /** Gateway API release, e.g. v1.3.0 (the one the Cilium line supports). */
    version: string;
    /** standard (default) or experimental. */
    channel?: string;
}

/**
 * The Gateway API CRDs from the release's install manifest. The Kubernetes provider comes from
 * the resource options; typically depends on the cluster.
 */
export class GatewayApiCrds extends pulumi.ComponentResource {
    /** The install manifest applied. */
    public readonly url: string;
    /** The Gateway API release. */
    public readonly version: string;
    /** standard or experimental. */
    public readonly channel: string;

    constructor(name: string, args: GatewayApiCrdsArgs, opts?: pulumi.ComponentResourceOptions) {
        super(typeToken("gateway", "GatewayApiCrds"), name, {}, opts);
        const channel = args.channel ?? "standard";
        if (channel !== "standard" && channel !== "experimental") throw new Error(`channel: "${channel}" is not standard or experimental`);
        this.version = args.version;
        this.channel = channel;
        this.url = gatewayApiCrdsUrl({ version: args.version, channel });
        new k8s.yaml.v2.ConfigFile(`${name}-install`, { file: this.url }, childOptions(this, opts));
        // Not the ConfigFile's resources: they are only known once the provider has read the file.
        this.registerOutputs({ url: this.url, version: this.version, channel });
    }
}

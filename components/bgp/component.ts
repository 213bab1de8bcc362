import * as pulumi from "@pulumi/pulumi";
import * as k8s from "@pulumi/kubernetes";
import type { K8sObject } from "../cilium/api";
import { childOptions, typeToken } from "../shared/args";
import { BGP_DEFAULTS, type CiliumBgpArgs, resolveBgpSpec } from "./args";
import { PASSWORD_KEY } from "./secret";
import { renderV1, specNodeAnnotations } from "./v1";
import { renderV2 } from "./v2";

export type { CiliumBgpArgs } from "./args";

// Kept off the class's properties: the multi-language schema is generated from them, and plain
// Kubernetes objects have no schema type (see README, "Multi-language package").
const rendered = new WeakMap<object, K8sObject[]>();

/**
 * Cilium's side of the BGP fabric: the BGP control-plane objects (v2 CiliumBGPClusterConfig,
 * CiliumBGPPeerConfig and CiliumBGPAdvertisement on Cilium 1.16+, v1 CiliumBGPPeeringPolicy on
 * 1.15, or on 1.16-1.18 when controlPlane is v1), the MD5 password Secret and, for IPv6-only nodes where needed, their router IDs. The
 * Kubernetes provider comes from the resource options (provider or providers); put the Cilium
 * release in dependsOn: the BGP CRDs exist only once it is installed.
 */
export class CiliumBgp extends pulumi.ComponentResource {
    /** Kind/name of every BGP object created (the password Secret not included). */
    public readonly objectNames: string[];
    /** Name of the password Secret the peers reference; unset without a password. */
    public readonly authSecretName?: string;

    constructor(name: string, args: CiliumBgpArgs, opts?: pulumi.ComponentResourceOptions) {
        super(typeToken("bgp", "CiliumBgp"), name, {}, opts);
        const spec = resolveBgpSpec(args, args.password !== undefined);
        const childOpts = childOptions(this, opts);

        let secret: k8s.core.v1.Secret | undefined;
        if (args.password !== undefined) {
            this.authSecretName = spec.authSecretName;
            secret = new k8s.core.v1.Secret(`${name}-auth`, {
                metadata: { name: spec.authSecretName, namespace: args.secretsNamespace ?? BGP_DEFAULTS.secretsNamespace },
                type: "Opaque",
                stringData: { [PASSWORD_KEY]: pulumi.secret(args.password) },
            }, childOpts);
        }

        const objects = spec.controlPlane === "v1" ? renderV1(spec) : renderV2(spec);
        rendered.set(this, objects);
        this.objectNames = objects.map((o) => `${o.kind}/${o.metadata.name}`);
        // Peer configs name the secret: create it first so sessions never start unauthenticated.
        const crOpts = secret ? childOptions(this, opts, secret) : childOpts;
        const resources = objects.map((o) => new k8s.apiextensions.CustomResource(
            `${name}-${o.kind.toLowerCase()}-${o.metadata.name}`, o, crOpts));

        const nodePatches = specNodeAnnotations(spec).map((a) => new k8s.core.v1.NodePatch(`${name}-router-id-${a.node}`, {
            metadata: { name: a.node, annotations: a.annotations },
        }, childOpts));

        this.registerOutputs({ objects, resources, authSecret: secret, nodePatches });
    }

    /** The rendered BGP objects, as applied (plain data, e.g. for checks). */
    get objects(): K8sObject[] {
        return rendered.get(this) ?? [];
    }
}

/** The former name of CiliumBgp (it now takes the narrow CiliumBgpArgs). */
export const BgpControlPlane = CiliumBgp;
export type BgpControlPlane = CiliumBgp;

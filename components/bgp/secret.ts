/** The BGP MD5 password Secret, in the namespace Cilium reads BGP secrets from. */
import type { FabricConfig } from "../config/types";
import type { K8sObject } from "../cilium/api";

/** Stands in for the password in rendered data; the component puts the secret Output there. */
export const PASSWORD_PLACEHOLDER = "<bgpPassword>";
/** Key Cilium reads the password from. */
export const PASSWORD_KEY = "password";

export function renderBgpSecret(config: FabricConfig): K8sObject {
    return {
        apiVersion: "v1",
        kind: "Secret",
        metadata: { name: config.bgp.authSecretName, namespace: config.bgp.secretsNamespace },
        type: "Opaque",
        stringData: { [PASSWORD_KEY]: PASSWORD_PLACEHOLDER },
    };
}

/**
 * The text a Secret holds under PASSWORD_KEY: stringData's (as written), else data's decoded from
 * base64; undefined when neither holds a string there. Does not throw. The placeholder comes back
 * as it is: replacing it is the caller's business.
 */
export function secretPassword(secret: K8sObject): string | undefined {
    const at = (v: unknown): unknown => (typeof v === "object" && v !== null && !Array.isArray(v) ? (v as Record<string, unknown>)[PASSWORD_KEY] : undefined);
    const plain = at(secret.stringData);
    if (typeof plain === "string") return plain;
    const encoded = at(secret.data);
    return typeof encoded === "string" ? Buffer.from(encoded, "base64").toString("utf8") : undefined;
}

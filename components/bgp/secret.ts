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

/** Rule 7: auth secret references resolve, and the BGP password never appears in cleartext. */
import type { StackValidationPolicy } from "@pulumi/policy";
import { ROUTER_FLEET, type Ref } from "../facts";
import { isObj, type Plain } from "../util";
import { reportOn, stackFacts } from "./common";

/**
 * Inputs the program marks secret by construction (the router configuration uploaded into the
 * containers and the fleet's `configs` output carry the password). The policy SDK unwraps secrets before policies see them, so
 * secretness cannot be checked here; these paths are trusted instead.
 */
export const SECRET_INPUTS: Record<string, RegExp> = {
    "docker:index/container:Container": /^uploads\.\d+\.(content|contentBase64)$/,
    // The fleet's rendered router configs, published as a secret output.
    [ROUTER_FLEET]: /^configs(\.|$)/,
};

/** Shorter passwords would match by accident. */
export const MIN_PASSWORD_LENGTH = 4;

/**
 * Keys whose values are identifiers the API or the plan chooses (names, namespaces, kinds, labels
 * and selectors), not places a credential is ever written: a password that happens to equal one
 * (`linux` and `kubernetes.io/os: linux`) is not a leak there.
 */
const STRUCTURAL_KEYS = new Set(["apiVersion", "kind", "name", "namespace", "labels", "matchLabels", "matchExpressions", "nodeSelector"]);

const escapeRegExp = (s: string): string => s.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");

/** The needle as a whole token: not glued to letters or digits on either side. */
const tokenPattern = (needle: string): RegExp => new RegExp(`(^|[^A-Za-z0-9])${escapeRegExp(needle)}($|[^A-Za-z0-9])`);

/** Paths of string values holding needle as a token, outside structural keys. */
export function findString(v: Plain, needle: string, path = "", pattern = tokenPattern(needle), key = ""): string[] {
    // __pulumiType and its kin: the engine's own bookkeeping of resource references.
    if (STRUCTURAL_KEYS.has(key) || key.startsWith("__")) return [];
    if (typeof v === "string") return pattern.test(v) ? [path] : [];
    if (Array.isArray(v)) return v.flatMap((x, i) => findString(x, needle, path ? `${path}.${i}` : `${i}`, pattern, key));
    if (isObj(v)) return Object.entries(v).flatMap(([k, x]) => findString(x, needle, path ? `${path}.${k}` : k, pattern, k));
    return [];
}

export const authSecret: StackValidationPolicy = {
    name: "bgp-auth-secret",
    description: "Every BGP authSecretRef names a Secret of the stack in Cilium's secrets namespace, and no BGP password appears in cleartext outside secret inputs.",
    enforcementLevel: "mandatory",
    validateStack: (args, report) => {
        const { facts } = stackFacts(args);
        const namespace = facts.cilium?.secretsNamespace;
        const refs: { ref: Ref; secret: string; where: string }[] = [
            ...[...facts.peerConfigs.values()].filter((p) => p.authSecretRef).map((p) => ({ ref: p.ref, secret: p.authSecretRef ?? "", where: "authSecretRef" })),
            ...facts.bgpClusters.flatMap((bc) => bc.instances.flatMap((i) => i.peers.filter((p) => p.authSecretRef).map((p) => ({ ref: bc.ref, secret: p.authSecretRef ?? "", where: `neighbor ${p.address ?? "?"} authSecretRef` })))),
        ];
        for (const r of refs) {
            const named = facts.secrets.filter((s) => s.name === r.secret);
            if (named.length === 0) { reportOn(report, r.ref, `${r.where} ${r.secret} names no Secret of the stack`); continue; }
            const inNs = namespace === undefined ? named : named.filter((s) => s.namespace === namespace);
            if (inNs.length === 0) {
                reportOn(report, r.ref, `${r.where} ${r.secret}: the Secret is in namespace ${named.map((s) => s.namespace).join(", ")}, but Cilium reads BGP secrets from ${namespace} (bgpControlPlane.secretsNamespace.name)`);
            } else if (inNs.every((s) => s.password === "")) {
                reportOn(report, r.ref, `${r.where} ${r.secret}: the Secret's password is empty`);
            }
        }
        for (const s of facts.secrets) {
            const pw = s.password;
            if (pw === undefined || pw.length < MIN_PASSWORD_LENGTH) continue;
            for (const r of facts.resources) {
                if (r.ref.urn === s.ref.urn) continue;
                const exempt = SECRET_INPUTS[r.ref.type];
                const paths = findString(r.props, pw).filter((path) => !exempt?.test(path));
                // The value is the password itself: name where it is, never print it.
                for (const path of paths) reportOn(report, r.ref, `the BGP password of Secret ${s.namespace}/${s.name} appears in cleartext at ${path}`);
            }
        }
    },
};

/**
 * Limits the target systems enforce, checked before anything is planned: each rule names the
 * system whose rule it is, so that the stack never reaches a kubelet, dockerd, kind or a BGP
 * daemon that would refuse it.
 */
import type { Problems } from "./errors";
import type { FabricConfig, LabelSelector } from "./types";

/** RFC 1123 label, as Kubernetes validates names (IsDNS1123Label) and Linux hostnames. */
export const DNS_1123_LABEL = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/;
/** RFC 1123 subdomain (IsDNS1123Subdomain): dot-separated labels, at most 253 characters. */
const DNS_1123_SUBDOMAIN = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$/;
/** Kubernetes label value / qualified-name part (IsValidLabelValue, IsQualifiedName). */
const LABEL_NAME = /^[A-Za-z0-9]([-A-Za-z0-9_.]*[A-Za-z0-9])?$/;

const LABEL_RULE = "must be a DNS-1123 label: lower case letters, digits and '-', starting and ending alphanumeric, at most 63 characters";

/**
 * A Kubernetes port name (IANA_SVC_NAME, apimachinery validation.IsValidPortName): what a container
 * port's name and a Service's named targetPort must be: 1-15 characters of [a-z0-9-], at least
 * one letter, no "--", alphanumeric at both ends.
 */
export function isPortName(s: string): boolean {
    return s.length <= 15 && /^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/.test(s) && /[a-z]/.test(s) && !s.includes("--");
}
export const PORT_NAME_RULE = "a Kubernetes port name (IANA_SVC_NAME: at most 15 lower case letters, digits, '-', at least one letter, no '--', alphanumeric at both ends)";

/**
 * The API server's default --service-node-port-range (kube-apiserver's 30000-32767). The
 * project's kind and k3d clusters keep it; an explicit nodePort outside it is refused.
 */
export const NODE_PORT_RANGE = { min: 30000, max: 32767 } as const;

export function isDnsLabel(s: string): boolean {
    return s.length <= 63 && DNS_1123_LABEL.test(s);
}

/** The Kubernetes rule for a label key: optional DNS-subdomain prefix (<= 253) and '/', then a name (<= 63). */
export function labelKeyProblem(key: string): string | undefined {
    const slash = key.lastIndexOf("/");
    const prefix = slash >= 0 ? key.slice(0, slash) : undefined;
    const name = slash >= 0 ? key.slice(slash + 1) : key;
    if (prefix !== undefined && (prefix.length === 0 || prefix.length > 253 || !DNS_1123_SUBDOMAIN.test(prefix))) {
        return "must be a Kubernetes label key: its prefix (before '/') must be a DNS-1123 subdomain of at most 253 characters";
    }
    if (name.length === 0 || name.length > 63 || !LABEL_NAME.test(name)) {
        return "must be a Kubernetes label key: [prefix/]name, the name at most 63 letters, digits, '-', '_', '.', alphanumeric at both ends";
    }
    return undefined;
}

/** The Kubernetes rule for a label value: empty, or at most 63 characters of the label-name set. */
export function labelValueProblem(value: string): string | undefined {
    if (value === "" || (value.length <= 63 && LABEL_NAME.test(value))) return undefined;
    return "must be a Kubernetes label value: at most 63 letters, digits, '-', '_', '.', alphanumeric at both ends (or empty)";
}

/** Label selector syntax as the API server validates it (ValidateLabelSelector). */
export function checkSelector(p: Problems, path: string, sel: LabelSelector | undefined): void {
    if (!sel) return;
    for (const [k, v] of Object.entries(sel.matchLabels ?? {})) {
        const kp = labelKeyProblem(k);
        if (kp) p.add(`${path}.matchLabels`, k, kp);
        const vp = labelValueProblem(v);
        if (vp) p.add(`${path}.matchLabels.${k}`, v, vp);
    }
    (sel.matchExpressions ?? []).forEach((e, i) => {
        const ep = `${path}.matchExpressions[${i}]`;
        const kp = labelKeyProblem(e.key);
        if (kp) p.add(`${ep}.key`, e.key, kp);
        const values = e.values ?? [];
        if ((e.operator === "In" || e.operator === "NotIn") && values.length === 0) {
            p.add(`${ep}.values`, e.values, `must list at least one value for operator ${e.operator} (Kubernetes label selector rule)`);
        }
        if ((e.operator === "Exists" || e.operator === "DoesNotExist") && values.length > 0) {
            p.add(`${ep}.values`, e.values, `must be empty for operator ${e.operator} (Kubernetes label selector rule)`);
        }
        values.forEach((v, j) => {
            const vp = labelValueProblem(v);
            if (vp) p.add(`${ep}.values[${j}]`, v, vp);
        });
    });
}

/**
 * Docker's reference grammar (distribution/reference, regexp.go): [domain[:port]/]path[:tag][@digest],
 * path components lower case, tag at most 128 characters, the name at most 255.
 */
const PATH_COMPONENT = "[a-z0-9]+(?:(?:[._]|__|[-]+)[a-z0-9]+)*";
const DOMAIN_COMPONENT = "(?:[a-zA-Z0-9]|[a-zA-Z0-9][a-zA-Z0-9-]*[a-zA-Z0-9])";
const DOMAIN = `(?:${DOMAIN_COMPONENT}(?:\\.${DOMAIN_COMPONENT})*|\\[[0-9a-fA-F:.]+\\])(?::[0-9]+)?`;
const IMAGE_REFERENCE = new RegExp(
    `^((?:${DOMAIN}/)?${PATH_COMPONENT}(?:/${PATH_COMPONENT})*)(?::[\\w][\\w.-]{0,127})?(?:@[A-Za-z][A-Za-z0-9]*(?:[-_+.][A-Za-z][A-Za-z0-9]*)*:[0-9a-fA-F]{32,})?$`,
);

export function imageProblem(ref: string): string | undefined {
    const m = IMAGE_REFERENCE.exec(ref);
    if (!m) return "must be a Docker image reference ([registry[:port]/]path[:tag][@digest], path in lower case; Docker's reference grammar)";
    if (m[1].length > 255) return "must be a Docker image reference whose name is at most 255 characters (Docker's reference grammar)";
    return undefined;
}

/** kind's kindest/node and k3d's rancher/k3s images are tagged by the Kubernetes release tag. */
export const KUBERNETES_VERSION = /^v\d+\.\d+\.\d+$/;

/** The Docker and Kubernetes names derived from configured names: each must stay a 63-character DNS label. */
function checkDerivedName(p: Problems, path: string, value: string, derived: string, what: string): void {
    if (derived.length > 63) {
        p.add(path, value, `makes the ${what} ${derived} ${derived.length} characters long; at most 63 (a DNS label, as Docker's embedded DNS and Linux hostnames need)`);
    }
}

/**
 * The names that become Kubernetes node names, Docker container and network names and hostnames.
 * `prefix` is the Docker name prefix of the router fleet (`cbf-<stack>`).
 */
export function checkNames(p: Problems, config: FabricConfig, prefix = `cbf-${config.stack}`): void {
    config.routers.forEach((r, i) => {
        if (!r.name) return;
        if (!isDnsLabel(r.name)) { p.add(`routers[${i}].name`, r.name, `${LABEL_RULE} (it is the router's hostname)`); return; }
        checkDerivedName(p, `routers[${i}].name`, r.name, `${prefix}-${r.name}`, "Docker container name");
    });
    config.cluster.nodes.forEach((n, i) => {
        if (n.name && !isDnsLabel(n.name)) p.add(`cluster.nodes[${i}].name`, n.name, `${LABEL_RULE} (it is the Kubernetes node name and its kubernetes.io/hostname label)`);
    });
    const racks = new Map<string, string>();
    config.routers.forEach((r, i) => { if (r.rack !== undefined && !racks.has(r.rack)) racks.set(r.rack, `routers[${i}].rack`); });
    config.cluster.nodes.forEach((n, i) => { if (n.rack !== undefined && !racks.has(n.rack)) racks.set(n.rack, `cluster.nodes[${i}].rack`); });
    for (const [rack, path] of racks) {
        if (!isDnsLabel(rack)) p.add(path, rack, `${LABEL_RULE} (nodes carry it as label rack=<rack>; it names the Docker network ${prefix}-nodes-<rack>)`);
        else checkDerivedName(p, path, rack, `${prefix}-nodes-${rack}`, "Docker network name");
    }
    const leaves = config.routers.filter((r) => r.role === "leaf");
    const spines = config.routers.filter((r) => r.role === "spine");
    for (const leaf of leaves) {
        for (const spine of spines) {
            if (!isDnsLabel(leaf.name) || !isDnsLabel(spine.name)) continue;
            const name = `${prefix}-link-${leaf.name}-${spine.name}`;
            if (name.length > 63) checkDerivedName(p, `routers[${config.routers.indexOf(leaf)}].name`, leaf.name, name, "Docker network name");
        }
    }
    const c = config.cluster.name;
    if (!isDnsLabel(c)) { p.add("cluster.name", c, LABEL_RULE); return; }
    const cps = config.cluster.nodes.filter((n) => n.role === "control-plane").length;
    const workers = config.cluster.nodes.length - cps;
    if (config.cluster.provider === "kind") {
        const names = [`${c}-control-plane${cps > 1 ? cps : ""}`, ...(workers > 0 ? [`${c}-worker${workers > 1 ? workers : ""}`] : []),
            ...(cps > 1 ? [`${c}-external-load-balancer`] : [])];
        const longest = names.reduce((a, b) => (b.length > a.length ? b : a));
        checkDerivedName(p, "cluster.name", c, longest, "kind node container (and hostname)");
    } else if (config.cluster.provider === "k3d") {
        const names = [`k3d-${c}-server-${Math.max(0, cps - 1)}`, ...(workers > 0 ? [`k3d-${c}-agent-${workers - 1}`] : [])];
        const longest = names.reduce((a, b) => (b.length > a.length ? b : a));
        checkDerivedName(p, "cluster.name", c, longest, "k3d node container (and hostname)");
    }
}

/**
 * The BGP password as the daemons take it (never put in a message): the Linux TCP MD5 key holds at
 * most 80 bytes (TCP_MD5SIG_MAXKEYLEN); FRR (lib/sockopt.c, sockopt_tcp_signature_ext) and
 * Cilium's GoBGP (pkg/server/sockopt_linux.go, buildTcpMD5Sig) both pass the string's bytes as
 * the key, so the limit is in UTF-8 bytes, not characters. FRR's `neighbor X password LINE`
 * takes one word: no white space; control characters would end or break the config line.
 */
export function checkBgpPassword(p: Problems, password: string | undefined, authentication: boolean): void {
    if (!authentication) return;
    if (password === undefined || password === "") {
        p.add("bgpPassword", undefined, "is required while bgp.authentication is true: pulumi config set --secret bgpPassword <password>");
        return;
    }
    const bytes = Buffer.byteLength(password, "utf8");
    if (bytes > 80) {
        p.add("bgpPassword", "[secret]", `must be at most 80 bytes in UTF-8 (it has ${bytes}): the Linux TCP MD5 key limit (TCP_MD5SIG_MAXKEYLEN) that FRR and Cilium's GoBGP hand the password to`);
    }
    // eslint-disable-next-line no-control-regex
    if (/\s/.test(password) || /[\u0000-\u001f\u007f]/.test(password)) {
        p.add("bgpPassword", "[secret]", "must be one word without white space or control characters (FRR reads `neighbor ... password WORD`; VyOS and Cilium's Secret take the same)");
    }
}

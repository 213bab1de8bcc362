/**
 * Invalid stack files by class (issue 14: 1 unknown keys, 4 target-system limits, 5 reserved
 * numbers and addresses, 6 one exit code per outcome), each with the exact problem it must print.
 * The loader test (invalid-inputs.test.ts here) and the plan-command test
 * (test/e2e/invalid-inputs.test.ts) run every one.
 */
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { parse, stringify } from "yaml";

type Obj = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any

export interface InvalidInput {
    cls: 1 | 4 | 5 | 6;
    name: string;
    stack: "dev" | "ipv6" | "ipv6-vyos";
    /** Edits the stack file's `config:` map; keys without a namespace are the project's. */
    edit?: (c: Obj) => void;
    /** Or rewrites the stack file's text. */
    text?: (t: string) => string;
    password?: string;
    /** The problem exactly as printed: `path = value: rule` (a stack-file error: `file:line:col: detail`). */
    error: string;
}

export const TABLE_PASSWORD = "Table-Pass-1";
const PROJECT_ROOT = path.resolve(__dirname, "../..");
const N = "cilium-bgp-fabric:";

/** A temp project root holding Pulumi.yaml and the case's stack file. */
export function writeCase(c: InvalidInput): string {
    const root = fs.mkdtempSync(path.join(os.tmpdir(), "cbf-invalid-"));
    fs.copyFileSync(path.join(PROJECT_ROOT, "Pulumi.yaml"), path.join(root, "Pulumi.yaml"));
    const file = `Pulumi.${c.stack}.yaml`;
    let text = fs.readFileSync(path.join(PROJECT_ROOT, file), "utf8");
    if (c.edit) {
        const doc = parse(text) as { config: Obj };
        // Edit with short keys, write back namespaced (other namespaces kept as they are).
        const short: Obj = {};
        for (const [k, v] of Object.entries(doc.config)) short[k.startsWith(N) ? k.slice(N.length) : k] = v;
        c.edit(short);
        doc.config = Object.fromEntries(Object.entries(short).map(([k, v]) => [k.includes(":") ? k : `${N}${k}`, v]));
        text = stringify(doc);
    }
    if (c.text) text = c.text(text);
    fs.writeFileSync(path.join(root, file), text);
    return root;
}

const rename = (o: Obj, from: string, to: string): void => { o[to] = o[from]; delete o[from]; };
const long = (n: number, ch = "a"): string => ch.repeat(n);

export const INVALID_INPUTS: InvalidInput[] = [
    // ---- class 1: unknown keys anywhere, the nearest known key suggested ----
    { cls: 1, name: "misspelt top-level addressPlan", stack: "ipv6-vyos", edit: (c) => { rename(c, "addressPlan", "adressPlan"); c.adressPlan = { aggregate: "2001:db8::/32" }; },
        error: "adressPlan = {\"aggregate\":\"2001:db8::/32\"}: is not a known key: did you mean addressPlan? (known: ipFamily, addressPlan, asn, routers, cluster, cilium, bgp, gatewayApi, smoke, bgpPassword, kubeconfig); in Pulumi.ipv6-vyos.yaml" },
    { cls: 1, name: "misspelt top-level smoke", stack: "dev", edit: (c) => { c.smok = { enabled: false }; },
        error: "smok = {\"enabled\":false}: is not a known key: did you mean smoke? (known: ipFamily, addressPlan, asn, routers, cluster, cilium, bgp, gatewayApi, smoke, bgpPassword, kubeconfig); in Pulumi.dev.yaml" },
    { cls: 1, name: "misspelt top-level bgp (swapped letters)", stack: "dev", edit: (c) => { c.bpg = { holdTimeSeconds: 30 }; },
        error: "bpg = {\"holdTimeSeconds\":30}: is not a known key: did you mean bgp? (known: ipFamily, addressPlan, asn, routers, cluster, cilium, bgp, gatewayApi, smoke, bgpPassword, kubeconfig); in Pulumi.dev.yaml" },
    { cls: 1, name: "misspelt secret key: its value is never shown", stack: "dev", edit: (c) => { c.bgpPasword = "hunter2-secret"; },
        error: "bgpPasword = \"[secret]\": is not a known key: did you mean bgpPassword? (known: ipFamily, addressPlan, asn, routers, cluster, cilium, bgp, gatewayApi, smoke, bgpPassword, kubeconfig); in Pulumi.dev.yaml" },
    { cls: 1, name: "unknown top-level key with no near one", stack: "dev", edit: (c) => { c.monitoring = true; },
        error: "monitoring = true: is not a known key (known: ipFamily, addressPlan, asn, routers, cluster, cilium, bgp, gatewayApi, smoke, bgpPassword, kubeconfig); in Pulumi.dev.yaml" },
    { cls: 1, name: "router key flavor (American spelling)", stack: "dev", edit: (c) => { c.routers[0].flavor = "frr"; },
        error: "routers[0].flavor = \"frr\": is not a known key: did you mean flavour? (known: name, id, flavour, role, rack, asn, image, address, routerId, defaultOriginate, frrDefaults)" },
    { cls: 1, name: "LB pool key cidrs", stack: "dev", edit: (c) => { c.addressPlan.lbPools[1].cidrs = ["10.100.2.0/24"]; },
        error: "addressPlan.lbPools[1].cidrs = [\"10.100.2.0/24\"]: is not a known key: did you mean cidr? (known: name, cidr, prefixLength, serviceSelector)" },
    { cls: 1, name: "node key rak", stack: "dev", edit: (c) => { c.cluster.nodes[1].rak = "rack1"; },
        error: "cluster.nodes[1].rak = \"rack1\": is not a known key: did you mean rack? (known: name, id, role, rack, address, labels)" },
    { cls: 1, name: "graceful restart key enable", stack: "dev", edit: (c) => { c.bgp.gracefulRestart.enable = true; },
        error: "bgp.gracefulRestart.enable = true: is not a known key: did you mean enabled? (known: enabled, restartTimeSeconds)" },
    { cls: 1, name: "listener key hostName (case)", stack: "ipv6", edit: (c) => { c.gatewayApi.listeners = [{ name: "http", protocol: "HTTP", port: 80, hostName: "echo.example" }]; },
        error: "gatewayApi.listeners[0].hostName = \"echo.example\": is not a known key: did you mean hostname? (known: name, protocol, port, hostname, tlsSecretName)" },
    { cls: 1, name: "selector key matchLabel", stack: "dev", edit: (c) => { c.addressPlan.lbPools[1].serviceSelector = { matchLabel: { pool: "smoke" } }; },
        error: "addressPlan.lbPools[1].serviceSelector.matchLabel = {\"pool\":\"smoke\"}: is not a known key: did you mean matchLabels? (known: matchLabels, matchExpressions)" },
    { cls: 1, name: "cilium key value", stack: "dev", edit: (c) => { c.cilium.value = { debug: { enabled: true } }; },
        error: "cilium.value = {\"debug\":{\"enabled\":true}}: is not a known key: did you mean values? (known: version, kubeProxyReplacement, values)" },
    { cls: 1, name: "asn key rack", stack: "dev", edit: (c) => { c.asn.rack = { rack1: 65011 }; },
        error: "asn.rack = {\"rack1\":65011}: is not a known key: did you mean racks? (known: cluster, racks, allowPublic)" },
    { cls: 1, name: "smoke key externalTraffic", stack: "dev", edit: (c) => { c.smoke.externalTraffic = "Local"; },
        error: "smoke.externalTraffic = \"Local\": is not a known key: did you mean externalTrafficPolicy? (known: enabled, name, namespace, image, args, containerPort, port, replicas, lbPool, address, externalTrafficPolicy, nodes, labels, annotations, portName, targetPort, nodePort, selector)" },

    // ---- class 4: limits the target systems enforce ----
    { cls: 4, name: "router name in upper case", stack: "dev", edit: (c) => { c.routers[0].name = "Spine1"; },
        error: "routers[0].name = \"Spine1\": must be a DNS-1123 label: lower case letters, digits and '-', starting and ending alphanumeric, at most 63 characters (it is the router's hostname)" },
    { cls: 4, name: "router name whose container name passes 63 characters", stack: "dev", edit: (c) => { c.routers[0].name = `${long(55)}1`; },
        error: `routers[0].name = "${long(55)}1": makes the Docker container name cbf-dev-${long(55)}1 64 characters long; at most 63 (a DNS label, as Docker's embedded DNS and Linux hostnames need)` },
    { cls: 4, name: "node name with an underscore", stack: "dev", edit: (c) => { c.cluster.nodes[1].name = "worker_2"; c.smoke.nodes = ["worker_2", "worker-3"]; },
        error: "cluster.nodes[1].name = \"worker_2\": must be a DNS-1123 label: lower case letters, digits and '-', starting and ending alphanumeric, at most 63 characters (it is the Kubernetes node name and its kubernetes.io/hostname label)" },
    { cls: 4, name: "node name of 64 characters", stack: "ipv6-vyos", edit: (c) => { c.cluster.nodes[2].name = `${long(63, "w")}3`; },
        error: `cluster.nodes[2].name = "${long(63, "w")}3": must be a DNS-1123 label: lower case letters, digits and '-', starting and ending alphanumeric, at most 63 characters (it is the Kubernetes node name and its kubernetes.io/hostname label)` },
    { cls: 4, name: "cluster name too long for kind's container names", stack: "dev", edit: (c) => { c.cluster.name = long(50, "c"); },
        error: `cluster.name = "${long(50, "c")}": makes the kind node container (and hostname) ${long(50, "c")}-control-plane 64 characters long; at most 63 (a DNS label, as Docker's embedded DNS and Linux hostnames need)` },
    { cls: 4, name: "rack name too long for its Docker network", stack: "dev", text: (t) => t.replace(/rack1/g, `rack${long(45, "r")}1`),
        error: `routers[2].rack = "rack${long(45, "r")}1": makes the Docker network name cbf-dev-nodes-rack${long(45, "r")}1 64 characters long; at most 63 (a DNS label, as Docker's embedded DNS and Linux hostnames need)` },
    { cls: 4, name: "rack name with a space", stack: "dev", text: (t) => t.replace(/rack: rack2/g, "rack: \"Rack 2\"").replace("rack2: 65012", "\"Rack 2\": 65012"),
        error: "routers[3].rack = \"Rack 2\": must be a DNS-1123 label: lower case letters, digits and '-', starting and ending alphanumeric, at most 63 characters (nodes carry it as label rack=<rack>; it names the Docker network cbf-dev-nodes-<rack>)" },
    { cls: 4, name: "label value with a space", stack: "dev", edit: (c) => { c.addressPlan.lbPools[1].serviceSelector = { matchLabels: { pool: "smoke pool" } }; },
        error: "addressPlan.lbPools[1].serviceSelector.matchLabels.pool = \"smoke pool\": must be a Kubernetes label value: at most 63 letters, digits, '-', '_', '.', alphanumeric at both ends (or empty)" },
    { cls: 4, name: "label key starting with '-'", stack: "dev", edit: (c) => { c.addressPlan.lbPools[1].serviceSelector = { matchLabels: { "-pool": "smoke" } }; },
        error: "addressPlan.lbPools[1].serviceSelector.matchLabels = \"-pool\": must be a Kubernetes label key: [prefix/]name, the name at most 63 letters, digits, '-', '_', '.', alphanumeric at both ends" },
    { cls: 4, name: "label key prefix in upper case", stack: "dev", edit: (c) => { c.bgp.serviceAdvertisement.selector = { matchExpressions: [{ key: "Example.com/app", operator: "Exists" }] }; },
        error: "bgp.serviceAdvertisement.selector.matchExpressions[0].key = \"Example.com/app\": must be a Kubernetes label key: its prefix (before '/') must be a DNS-1123 subdomain of at most 253 characters" },
    { cls: 4, name: "In without values", stack: "dev", edit: (c) => { c.bgp.serviceAdvertisement.selector = { matchExpressions: [{ key: "app", operator: "In" }] }; },
        error: "bgp.serviceAdvertisement.selector.matchExpressions[0].values = (unset): must list at least one value for operator In (Kubernetes label selector rule)" },
    { cls: 4, name: "NotIn with an empty list", stack: "ipv6", edit: (c) => { c.gatewayApi.allowedNamespaces = { matchExpressions: [{ key: "team", operator: "NotIn", values: [] }] }; },
        error: "gatewayApi.allowedNamespaces.matchExpressions[0].values = []: must list at least one value for operator NotIn (Kubernetes label selector rule)" },
    { cls: 4, name: "Exists with values", stack: "dev", edit: (c) => { c.bgp.serviceAdvertisement.selector = { matchExpressions: [{ key: "app", operator: "Exists", values: ["echo"] }] }; },
        error: "bgp.serviceAdvertisement.selector.matchExpressions[0].values = [\"echo\"]: must be empty for operator Exists (Kubernetes label selector rule)" },
    { cls: 4, name: "image path in upper case", stack: "dev", edit: (c) => { c.routers[0].image = "quay.io/FRRouting/frr:10.2.1"; },
        error: "routers[0].image = \"quay.io/FRRouting/frr:10.2.1\": must be a Docker image reference ([registry[:port]/]path[:tag][@digest], path in lower case; Docker's reference grammar)" },
    { cls: 4, name: "image with two tags", stack: "dev", edit: (c) => { c.smoke.image = "registry.k8s.io/e2e-test-images/agnhost:2.53:extra"; },
        error: "smoke.image = \"registry.k8s.io/e2e-test-images/agnhost:2.53:extra\": must be a Docker image reference ([registry[:port]/]path[:tag][@digest], path in lower case; Docker's reference grammar)" },
    { cls: 4, name: "image with an empty tag", stack: "ipv6-vyos", edit: (c) => { c.routers[1].image = "vyos-rolling:"; },
        error: "routers[1].image = \"vyos-rolling:\": must be a Docker image reference ([registry[:port]/]path[:tag][@digest], path in lower case; Docker's reference grammar)" },
    { cls: 4, name: "kubernetesVersion without the v", stack: "dev", edit: (c) => { c.cluster.kubernetesVersion = "1.32.2"; },
        error: "cluster.kubernetesVersion = \"1.32.2\": must be a Kubernetes release tag like v1.32.2 (the tag of kind's kindest/node and k3d's rancher/k3s images)" },
    { cls: 4, name: "kubernetesVersion without a patch", stack: "ipv6", edit: (c) => { c.cluster.kubernetesVersion = "v1.32"; },
        error: "cluster.kubernetesVersion = \"v1.32\": must be a Kubernetes release tag like v1.32.2 (the tag of kind's kindest/node and k3d's rancher/k3s images)" },
    { cls: 4, name: "password of 81 bytes", stack: "dev", password: long(81, "p"),
        error: "bgpPassword = \"[secret]\": must be at most 80 bytes in UTF-8 (it has 81): the Linux TCP MD5 key limit (TCP_MD5SIG_MAXKEYLEN) that FRR and Cilium's GoBGP hand the password to" },
    { cls: 4, name: "password of 41 characters but 82 bytes", stack: "ipv6", password: long(41, "é"),
        error: "bgpPassword = \"[secret]\": must be at most 80 bytes in UTF-8 (it has 82): the Linux TCP MD5 key limit (TCP_MD5SIG_MAXKEYLEN) that FRR and Cilium's GoBGP hand the password to" },
    { cls: 4, name: "password with a tab", stack: "ipv6-vyos", password: "two\twords",
        error: "bgpPassword = \"[secret]\": must be one word without white space or control characters (FRR reads `neighbor ... password WORD`; VyOS and Cilium's Secret take the same)" },
    { cls: 4, name: "secrets namespace not a DNS label", stack: "dev", edit: (c) => { c.bgp.secretsNamespace = "Kube_System"; },
        error: "bgp.secretsNamespace = \"Kube_System\": must be a DNS label (lower case letters, digits, '-') of at most 63 characters" },
    { cls: 4, name: "auth Secret name not an object name", stack: "dev", edit: (c) => { c.bgp.authSecretName = "BGP auth"; },
        error: "bgp.authSecretName = \"BGP auth\": must be a Kubernetes object name (a DNS-1123 subdomain of at most 253 characters)" },
    { cls: 4, name: "TLS Secret name not an object name", stack: "ipv6", edit: (c) => { c.gatewayApi.listeners = [{ protocol: "HTTPS", tlsSecretName: "My_Cert" }]; },
        error: "gatewayApi.listeners[0].tlsSecretName = \"My_Cert\": must be a Kubernetes object name (a DNS-1123 subdomain of at most 253 characters)" },

    { cls: 4, name: "router ID that is no dotted quad", stack: "dev", edit: (c) => { c.routers[0].routerId = "10.0.1"; },
        error: "routers[0].routerId = \"10.0.1\": must be a BGP router ID in dotted-quad form, like 10.1.10.2 (four octets 0-255, no leading zeros)" },
    { cls: 4, name: "router ID with a leading zero", stack: "dev", edit: (c) => { c.routers[0].routerId = "10.0.0.01"; },
        error: "routers[0].routerId = \"10.0.0.01\": must be a BGP router ID in dotted-quad form, like 10.1.10.2 (four octets 0-255, no leading zeros)" },
    { cls: 4, name: "defaultOriginate on a leaf", stack: "dev", edit: (c) => { c.routers[2].defaultOriginate = true; },
        error: "routers[2].defaultOriginate = true: is for spines: a spine sends the default route to the leaves it peers with; the BGP neighbors below a leaf are nodes, whose Cilium BGP control plane installs no route it receives" },
    { cls: 4, name: "smoke label overriding the selector label app", stack: "dev", edit: (c) => { c.smoke.labels = { app: "other" }; },
        error: "smoke.labels.app = \"other\": is the label the smoke pods carry and the Service selects them by, set to smoke.name by the program: rename the workload with smoke.name instead" },
    { cls: 4, name: "smoke label with a bad key", stack: "dev", edit: (c) => { c.smoke.labels = { "-team": "x" }; },
        error: "smoke.labels.-team = \"x\": must be a Kubernetes label key: [prefix/]name, the name at most 63 letters, digits, '-', '_', '.', alphanumeric at both ends" },
    { cls: 4, name: "smoke label the pool's serviceSelector refuses", stack: "dev", edit: (c) => { c.smoke.labels = { pool: "other" }; },
        error: "smoke.labels = {\"pool\":\"other\"}: keep pool smoke's serviceSelector or bgp.serviceAdvertisement.selector from selecting the smoke Service (failing: {\"matchLabels\":{\"pool\":\"smoke\"}}): LB IPAM would give it no address, or BGP would not announce it" },
    { cls: 4, name: "smoke annotation writing the LB-IPAM address request", stack: "dev", edit: (c) => { c.smoke.annotations = { "lbipam.cilium.io/ips": "10.100.1.9" }; },
        error: "smoke.annotations.lbipam.cilium.io/ips = \"10.100.1.9\": is the LB-IPAM address request the program writes from smoke.address (or the planned address): set smoke.address instead" },
    { cls: 4, name: "smoke annotation with a bad key", stack: "dev", edit: (c) => { c.smoke.annotations = { "-hostname": "x" }; },
        error: "smoke.annotations.-hostname = \"x\": must be a Kubernetes annotation key: [prefix/]name, the name at most 63 letters, digits, '-', '_', '.', alphanumeric at both ends" },
    { cls: 4, name: "smoke nodePort below the API server's default service-node-port-range", stack: "dev", edit: (c) => { c.smoke.nodePort = 29999; },
        error: "smoke.nodePort = 29999: must be between 30000 and 32767" },
    { cls: 4, name: "smoke nodePort outside the node-port range Cilium is given", stack: "dev", edit: (c) => { c.smoke.nodePort = 31512; c.cilium.values = { nodePort: { range: "30000,30999" } }; },
        error: "smoke.nodePort = 31512: is outside Cilium's node-port range cilium.values.nodePort.range \"30000,30999\": Cilium would not serve it" },
    { cls: 4, name: "smoke targetPort for the project's own pods", stack: "dev", edit: (c) => { c.smoke.targetPort = "web"; },
        error: "smoke.targetPort = \"web\": is only for pods smoke.selector picks: the project's own pods listen on smoke.containerPort (8080), named smoke.portName (http), which the Service targets" },
    { cls: 4, name: "smoke portName too long for the own pods' container port", stack: "dev", edit: (c) => { c.smoke.portName = "secure-web-over-tls"; },
        error: "smoke.portName = \"secure-web-over-tls\": is also the name of the project's own pods' container port, which the Service targets by name: it must be a Kubernetes port name (IANA_SVC_NAME: at most 15 lower case letters, digits, '-', at least one letter, no '--', alphanumeric at both ends)" },
    { cls: 4, name: "smoke selector with the own pods' nodes", stack: "dev", edit: (c) => { c.smoke.selector = { "app.kubernetes.io/name": "traefik" }; },
        error: "smoke.nodes = [\"worker-2\",\"worker-3\"]: configures the project's own smoke pods, which it does not create while smoke.selector picks other pods: remove it (or smoke.selector)" },
    { cls: 4, name: "smoke selector with a bad targetPort name", stack: "dev", edit: (c) => { c.smoke.selector = {}; delete c.smoke.nodes; c.smoke.targetPort = "Secure_Web"; },
        error: "smoke.targetPort = \"Secure_Web\": must be a port number or a Kubernetes port name (IANA_SVC_NAME: at most 15 lower case letters, digits, '-', at least one letter, no '--', alphanumeric at both ends)" },
    { cls: 4, name: "smoke selector label with a bad value", stack: "dev", edit: (c) => { c.smoke.selector = { app: "traefik ingress" }; delete c.smoke.nodes; },
        error: "smoke.selector.app = \"traefik ingress\": must be a Kubernetes label value: at most 63 letters, digits, '-', '_', '.', alphanumeric at both ends (or empty)" },
    // ---- class 5: reserved numbers and addresses ----
    { cls: 5, name: "ASN 0", stack: "dev", edit: (c) => { c.asn.cluster = 0; },
        error: "asn.cluster = 0: is reserved (RFC 7607: AS 0 may never be used); it is refused even in asn.allowPublic" },
    { cls: 5, name: "AS_TRANS", stack: "dev", edit: (c) => { c.routers[0].asn = 23456; },
        error: "routers[0].asn = 23456: is reserved (AS_TRANS, RFC 6793: it stands in for 4-byte ASNs towards old speakers); it is refused even in asn.allowPublic" },
    { cls: 5, name: "AS_TRANS even when allow-listed", stack: "ipv6", edit: (c) => { c.asn.allowPublic = [23456]; c.routers[1].asn = 23456; },
        error: "asn.allowPublic[0] = 23456: is reserved (AS_TRANS, RFC 6793: it stands in for 4-byte ASNs towards old speakers): it cannot be allowed" },
    { cls: 5, name: "ASN 65535", stack: "ipv6-vyos", edit: (c) => { c.asn.cluster = 65535; },
        error: "asn.cluster = 65535: is reserved (RFC 7300: last 16-bit ASN); it is refused even in asn.allowPublic" },
    { cls: 5, name: "ASN in 65552-131071", stack: "dev", edit: (c) => { c.asn.racks.rack2 = 70000; c.asn.allowPublic = [70000]; },
        error: "asn.racks.rack2 = 70000: is reserved (IANA: 65552-131071); it is refused even in asn.allowPublic" },
    { cls: 5, name: "ASN 4294967295", stack: "dev", edit: (c) => { c.routers[1].asn = 4294967295; },
        error: "routers[1].asn = 4294967295: is reserved (RFC 7300: last 32-bit ASN); it is refused even in asn.allowPublic" },
    { cls: 5, name: "aggregate in loopback space", stack: "dev", edit: (c) => { c.addressPlan = { aggregate: "127.0.0.0/8" }; },
        error: "addressPlan.aggregate = \"127.0.0.0/8\": lies in 127.0.0.0/8, loopback (RFC 1122): every address of every role carved from it would be one routers and kernels refuse" },
    { cls: 5, name: "aggregate in multicast space", stack: "dev", edit: (c) => { c.addressPlan = { aggregate: "239.0.0.0/8" }; },
        error: "addressPlan.aggregate = \"239.0.0.0/8\": lies in 224.0.0.0/4, multicast (RFC 5771): every address of every role carved from it would be one routers and kernels refuse" },
    { cls: 5, name: "aggregate in IPv6 link-local space", stack: "ipv6", edit: (c) => { c.addressPlan = { aggregate: "fe80::/10" }; c.gatewayApi.enabled = false; c.smoke.enabled = false; },
        error: "addressPlan.aggregate = \"fe80::/10\": lies in fe80::/10, link-local (RFC 4291): every address of every role carved from it would be one routers and kernels refuse" },
    { cls: 5, name: "aggregate in IPv6 multicast space", stack: "ipv6-vyos", edit: (c) => { c.addressPlan = { aggregate: "ff05::/16" }; },
        error: "addressPlan.aggregate = \"ff05::/16\": lies in ff00::/8, multicast (RFC 4291): every address of every role carved from it would be one routers and kernels refuse" },
    { cls: 5, name: "LB pool in loopback space", stack: "dev", edit: (c) => { c.addressPlan.aggregate = "0.0.0.0/1"; c.addressPlan.lbPools[0].cidr = "127.0.0.0/24"; },
        error: "addressPlan.lbPools[0].cidr = \"127.0.0.0/24\": overlaps 127.0.0.0/8, loopback (RFC 1122): routers and kernels refuse these addresses (Cilium LB IP pool default)" },
    { cls: 5, name: "loopbacks in 0.0.0.0/8", stack: "dev", edit: (c) => { c.addressPlan.aggregate = "0.0.0.0/1"; c.addressPlan.loopbacks = "0.0.255.0/24"; },
        error: "addressPlan.loopbacks = \"0.0.255.0/24\": overlaps 0.0.0.0/8, \"this network\", with the unspecified address 0.0.0.0 (RFC 1122): routers and kernels refuse these addresses (Router loopbacks)" },
    { cls: 5, name: "pod CIDR in link-local space", stack: "dev", edit: (c) => { c.addressPlan.aggregate = "0.0.0.0/0"; c.addressPlan.podCidr = "169.254.0.0/16"; },
        error: "addressPlan.podCidr = \"169.254.0.0/16\": overlaps 169.254.0.0/16, link-local (RFC 3927): routers and kernels refuse these addresses (Kubernetes pod CIDR)" },
    { cls: 5, name: "IPv6 node network holding the unspecified and loopback addresses", stack: "ipv6-vyos", edit: (c) => { c.addressPlan.aggregate = "::/0"; c.addressPlan.nodeNetwork = "::/64"; },
        error: "addressPlan.nodeNetwork = \"::/64\": overlaps ::/128, the unspecified address (RFC 4291): routers and kernels refuse these addresses (Node network)" },
    { cls: 5, name: "IPv6 service CIDR in multicast space", stack: "ipv6-vyos", edit: (c) => { c.addressPlan.aggregate = "::/0"; c.addressPlan.serviceCidr = "ff02::/112"; },
        error: "addressPlan.serviceCidr = \"ff02::/112\": overlaps ff00::/8, multicast (RFC 4291): routers and kernels refuse these addresses (Kubernetes service CIDR)" },

    { cls: 5, name: "router ID 0.0.0.0", stack: "dev", edit: (c) => { c.routers[0].routerId = "0.0.0.0"; },
        error: "routers[0].routerId = \"0.0.0.0\": must not be 0.0.0.0 (RFC 6286: a BGP identifier is a non-zero 32-bit number)" },
    { cls: 5, name: "router ID of another router", stack: "dev", edit: (c) => { c.routers[1].routerId = "10.0.255.1"; },
        error: "routers[1].routerId = \"10.0.255.1\": router ID also used by spine1" },
    { cls: 5, name: "router ID of a node (its IPv4 address)", stack: "dev", edit: (c) => { c.routers[2].routerId = "10.0.1.33"; },
        error: "routers[2].routerId = \"10.0.1.33\": router ID also used by control-plane-1" },
    { cls: 5, name: "router ID among the nodes' IDs of routerIdPool (IPv6)", stack: "ipv6", edit: (c) => { c.routers[0].routerId = "10.255.1.9"; },
        error: "routers[0].routerId = \"10.255.1.9\": lies in addressPlan.routerIdPool (10.255.0.0/16) past offset 256, where the nodes' router IDs are drawn from: take one outside it or below offset 256" },
    // ---- class 6: every configuration problem is exit 2 with the key named ----
    { cls: 6, name: "removed Helm key tunnel", stack: "dev", edit: (c) => { c.cilium.values = { tunnel: "vxlan" }; },
        error: "cilium.values.tunnel = \"vxlan\": removed in Cilium 1.15; use routingMode: native (or tunnelProtocol)" },
    { cls: 6, name: "kubeProxyReplacement strict", stack: "ipv6", edit: (c) => { c.cilium.values = { kubeProxyReplacement: "strict" }; },
        error: "cilium.values.kubeProxyReplacement = \"strict\": \"strict\" is not accepted since Cilium 1.16 (use \"true\" or \"false\")" },
    { cls: 6, name: "kubeProxyReplacement partial", stack: "dev", edit: (c) => { c.cilium.values = { kubeProxyReplacement: "partial" }; },
        error: "cilium.values.kubeProxyReplacement = \"partial\": \"partial\" is not accepted since Cilium 1.16 (use \"true\" or \"false\")" },
    { cls: 6, name: "existing cluster without k8sServiceHost", stack: "ipv6-vyos", edit: (c) => { c.cluster.provider = "existing"; },
        error: "cilium.values.k8sServiceHost = (unset): required with kubeProxyReplacement (nothing else reaches the API server); set cilium.values.k8sServiceHost" },
    { cls: 6, name: "routing mode tunnel", stack: "dev", edit: (c) => { c.cilium.values = { routingMode: "tunnel" }; },
        error: "cilium.values.routingMode = \"tunnel\": \"tunnel\"; the fabric needs native routing" },
    { cls: 6, name: "routerIDAllocation before Cilium 1.18", stack: "dev", edit: (c) => { c.cilium.values = { bgpControlPlane: { routerIDAllocation: { mode: "ip-pool" } } }; },
        error: "cilium.values.bgpControlPlane.routerIDAllocation = {\"mode\":\"ip-pool\"}: only exists from Cilium 1.18 (use CiliumBGPNodeConfigOverride)" },
    { cls: 6, name: "YAML: unclosed flow sequence", stack: "dev", text: (t) => t.replace("communities: [\"65010:100\"]", "communities: [\"65010:100\""),
        error: "Pulumi.dev.yaml:71:5: YAML syntax error: Flow sequence in block collection must be sufficiently indented and end with a ]" },
    { cls: 6, name: "YAML: duplicate key", stack: "ipv6", text: (t) => t.replace("    holdTimeSeconds: 9\n", "    holdTimeSeconds: 9\n    holdTimeSeconds: 30\n"),
        error: "Pulumi.ipv6.yaml:41:5: YAML syntax error: Map keys must be unique" },
    { cls: 6, name: "YAML: tab indentation", stack: "ipv6-vyos", text: (t) => t.replace("    cluster: 65500", "\tcluster: 65500"),
        error: "Pulumi.ipv6-vyos.yaml:19:1: YAML syntax error: Tabs are not allowed as indentation" },
    { cls: 6, name: "stack file that is a list", stack: "dev", text: () => "- config\n",
        error: "Pulumi.dev.yaml: must be a mapping with a `config:` mapping of keys (see README, Configuration)" },
    { cls: 6, name: "routers as a string", stack: "dev", edit: (c) => { c.routers = "spine1"; },
        error: "routers = \"spine1\": must be a list" },
    { cls: 6, name: "ipFamily as a number", stack: "ipv6", edit: (c) => { c.ipFamily = 6; },
        error: "ipFamily = 6: must be one of ipv4, ipv6, dual" },
    { cls: 6, name: "Helm values as a string", stack: "dev", edit: (c) => { c.cilium.values = "debug=true"; },
        error: "cilium.values = \"debug=true\": must be an object" },
    { cls: 6, name: "hold time out of range", stack: "dev", edit: (c) => { c.bgp.holdTimeSeconds = 2; },
        error: "bgp.holdTimeSeconds = 2: must be between 3 and 65535" },
    // addressPlan.aggregates (issue 16): several blocks, or the one aggregate, never both.
    { cls: 6, name: "aggregate and aggregates both set", stack: "dev", edit: (c) => { c.addressPlan.aggregates = ["10.0.0.0/8", "20.0.10.0/24"]; },
        error: "addressPlan.aggregates = [\"10.0.0.0/8\",\"20.0.10.0/24\"]: set either addressPlan.aggregate (one block) or addressPlan.aggregates (several), not both" },
    { cls: 6, name: "neither aggregate nor aggregates", stack: "ipv6", edit: (c) => { delete c.addressPlan.aggregate; },
        error: "addressPlan.aggregate = (unset): is required (or addressPlan.aggregates, a list of blocks)" },
    { cls: 6, name: "aggregates empty", stack: "dev", edit: (c) => { delete c.addressPlan.aggregate; c.addressPlan.aggregates = []; },
        error: "addressPlan.aggregates = []: must list at least one prefix" },
    { cls: 6, name: "LB pool outside every aggregate", stack: "dev", edit: (c) => { delete c.addressPlan.aggregate; c.addressPlan.aggregates = ["10.0.0.0/8", "20.0.10.0/24"]; c.addressPlan.lbPools[0].cidr = "30.0.10.0/24"; },
        error: "addressPlan.lbPools[0].cidr = \"30.0.10.0/24\": must lie inside one of addressPlan.aggregates (10.0.0.0/8, 20.0.10.0/24)" },
    { cls: 6, name: "overlapping aggregates", stack: "ipv6-vyos", edit: (c) => { delete c.addressPlan.aggregate; c.addressPlan.aggregates = ["2001:db8:ae3::/48", "2001:db8:ae3:c400::/56"]; },
        error: "addressPlan.aggregates[1] = \"2001:db8:ae3:c400::/56\": overlaps addressPlan.aggregates[0] (2001:db8:ae3::/48): the aggregates must be disjoint (each prefix of the plan lies in exactly one)" },
    { cls: 6, name: "aggregates entry with host bits", stack: "dev", edit: (c) => { delete c.addressPlan.aggregate; c.addressPlan.aggregates = ["10.0.0.0/8", "20.0.10.1/24"]; },
        error: "addressPlan.aggregates[1] = \"20.0.10.1/24\": has host bits set (the network is 20.0.10.0/24)" },
    // routers[].address (issue 16): anywhere on the router's node segment but a node's address.
    { cls: 6, name: "router address outside its segment", stack: "ipv6", edit: (c) => { c.routers[0].address = "2001:db8:ae3:fff1::1"; },
        error: "routers[0].address = \"2001:db8:ae3:fff1::1\": must lie inside the router's node segment 2001:db8:ae3:fff0::/64" },
    { cls: 6, name: "router address of a node", stack: "ipv6", edit: (c) => { c.routers[1].address = "2001:db8:ae3:fff0::22"; },
        error: "routers[1].address = \"2001:db8:ae3:fff0::22\": is the address of node worker-2 (addressPlan.nodeHostOffset 32 + id 2): pick one no node has" },
    { cls: 6, name: "router address of another router", stack: "ipv6", edit: (c) => { c.routers[1].address = "2001:db8:ae3:fff0::1"; },
        error: "routers[1].address = \"2001:db8:ae3:fff0::1\": address also planned for r01 (nodes)" },
    { cls: 6, name: "router address is the broadcast address", stack: "dev", edit: (c) => { c.routers[2].address = "10.0.1.255"; },
        error: "routers[2].address = \"10.0.1.255\": is the broadcast address of 10.0.1.0/24" },
    { cls: 6, name: "router address is the network address", stack: "dev", edit: (c) => { c.routers[3].address = "10.0.2.0"; },
        error: "routers[3].address = \"10.0.2.0\": is the network address of 10.0.2.0/24" },
    { cls: 6, name: "router address on a spine", stack: "dev", edit: (c) => { c.routers[0].address = "10.0.1.5"; },
        error: "routers[0].address = \"10.0.1.5\": is an address on a node segment, which a spine has none of (it peers over links)" },
    { cls: 6, name: "router address of the other family", stack: "ipv6-vyos", edit: (c) => { c.routers[0].address = "10.0.0.1"; },
        error: "routers[0].address = \"10.0.0.1\": must be an ipv6 address (ipFamily is ipv6)" },
    // bgp.peerWith (issue 16): loopback peering; eBGP to a loopback needs a TTL above 1.
    { cls: 6, name: "loopback peering over eBGP without multihop", stack: "ipv6", edit: (c) => { c.bgp.peerWith = "loopback"; delete c.bgp.ebgpMultihop; },
        error: "bgp.ebgpMultihop = (unset): must be at least 2 with bgp.peerWith \"loopback\": the eBGP sessions (node cp-1 AS65500 to r01's loopback 2001:db8:ae3:ffff::1, AS65066) would leave the node with TTL 1 (Cilium enables multihop only above 1: pkg/bgpv1/gobgp/peer.go setPeerEBGPMultihopTTL), and a loopback is not always one hop away" },
    { cls: 6, name: "loopback peering over eBGP with multihop 1", stack: "ipv6-vyos", edit: (c) => { c.bgp.peerWith = "loopback"; c.bgp.ebgpMultihop = 1; },
        error: "bgp.ebgpMultihop = 1: must be at least 2 with bgp.peerWith \"loopback\": the eBGP sessions (node cp-1 AS65500 to r01's loopback 2001:db8:ae3:ffff::1, AS65066) would leave the node with TTL 1 (Cilium enables multihop only above 1: pkg/bgpv1/gobgp/peer.go setPeerEBGPMultihopTTL), and a loopback is not always one hop away" },
    { cls: 6, name: "peerWith not a known mode", stack: "dev", edit: (c) => { c.bgp.peerWith = "lo"; },
        error: "bgp.peerWith = \"lo\": must be one of interface, loopback" },
    { cls: 5, name: "second aggregate in loopback space", stack: "dev", edit: (c) => { delete c.addressPlan.aggregate; c.addressPlan.aggregates = ["10.0.0.0/8", "127.1.0.0/16"]; },
        error: "addressPlan.aggregates[1] = \"127.1.0.0/16\": lies in 127.0.0.0/8, loopback (RFC 1122): every address of every role carved from it would be one routers and kernels refuse" },

    // ---- issue 16 (Cilium objects and per-object choices): what the target system cannot do ----
    { cls: 4, name: "BGP v1 on Cilium 1.19", stack: "dev", edit: (c) => { c.cilium.version = "1.19.6"; c.bgp.controlPlane = "v1"; },
        error: "bgp.controlPlane = \"v1\": Cilium 1.19.6 no longer serves CiliumBGPPeeringPolicy (removed in 1.19; last served, deprecated, by 1.18): use v2" },
    { cls: 4, name: "BGP v2 on Cilium 1.15", stack: "dev", edit: (c) => { c.cilium.version = "1.15.19"; c.bgp.controlPlane = "v2"; },
        error: "bgp.controlPlane = \"v2\": Cilium 1.15.19 has no BGP v2 API (CiliumBGPClusterConfig arrived in 1.16): use v1, or Cilium 1.16 or later" },
    { cls: 4, name: "VyOS image older than 1.4 (seed 004's vyos/vyos:1.2.8)", stack: "ipv6-vyos", edit: (c) => { c.routers[0].image = "vyos/vyos:1.2.8"; },
        error: "routers[0].image = \"vyos/vyos:1.2.8\": is VyOS 1.2 (tag 1.2.8), older than 1.4: the routers' configuration uses VyOS 1.4+ syntax (set protocols bgp system-as N), which VyOS 1.2 rejects (it wants set protocols bgp <ASN> ...); use a VyOS 1.4 or later image" },
    { cls: 4, name: "ebgpMultihop on a stack whose node sessions are all iBGP", stack: "dev", edit: (c) => { c.bgp.ebgpMultihop = 3; },
        error: "bgp.ebgpMultihop = 3: applies to eBGP sessions only, and every node session here is iBGP (node and router ASN are equal): GoBGP, Cilium's BGP speaker, ignores it on iBGP (osrg/gobgp pkg/server/fsm.go setPeerConnTTL: the TTL is set only for external peers; iBGP keeps the system default of 64 hops), so it would change nothing: remove it" },
    { cls: 4, name: "no PodCIDR advertisement with nodes on two segments", stack: "dev", edit: (c) => { c.bgp.podCidrAdvertisement.enabled = false; },
        error: "bgp.podCidrAdvertisement.enabled = false: needs every node on one segment: the nodes are on 2 (10.0.1.0/24, 10.0.2.0/24), and with native routing pods on other segments are reached only through the routers, which learn the pod CIDRs from these advertisements (one segment: Cilium's autoDirectNodeRoutes routes pods directly)" },
    { cls: 4, name: "BGP node selector that selects no node", stack: "ipv6", edit: (c) => { c.bgp.nodeSelector = { matchLabels: { "homelab/role": "worker" } }; },
        error: "bgp.nodeSelector = {\"matchLabels\":{\"homelab/role\":\"worker\"}}: selects no node of cluster.nodes (their labels: cp-1 {\"kubernetes.io/os\":\"linux\",\"kubernetes.io/hostname\":\"cp-1\"}, worker-2 {\"kubernetes.io/os\":\"linux\",\"kubernetes.io/hostname\":\"worker-2\"}, worker-3 {\"kubernetes.io/os\":\"linux\",\"kubernetes.io/hostname\":\"worker-3\"}); label nodes with cluster.nodes[].labels" },
    { cls: 4, name: "no LB pool while the smoke workload needs one", stack: "dev", edit: (c) => { c.addressPlan.lbPools = []; },
        error: "addressPlan.lbPools = []: is empty, but smoke.enabled needs a pool for its LoadBalancer address: add a pool (or turn smoke.enabled off)" },
    { cls: 4, name: "per-rack service selector with BGP v2", stack: "dev", edit: (c) => { c.bgp.racks = { rack1: { serviceSelector: { matchLabels: { env: "prod" } } } }; },
        error: "bgp.racks.rack1.serviceSelector = {\"matchLabels\":{\"env\":\"prod\"}}: needs bgp.controlPlane: v1: a v2 Service advertisement is chosen per peer config, which every rack shares (use bgp.serviceAdvertisement.selector, or v1 peering policies as seed 004 does)" },
    { cls: 4, name: "node label kubelet refuses (kubernetes.io namespace)", stack: "ipv6", edit: (c) => { c.cluster.nodes[1].labels = { "node-role.kubernetes.io/worker": "" }; },
        error: "cluster.nodes[1].labels.node-role.kubernetes.io/worker = \"\": is in the kubernetes.io / k8s.io namespace, which kubelet --node-labels refuses (kubelet starts only with its well-known labels there, or under kubelet.kubernetes.io/ and node.kubernetes.io/): label it after the node joins, or use your own prefix" },
    { cls: 4, name: "FRR's defaults profile on a VyOS router", stack: "ipv6-vyos", edit: (c) => { c.routers[0].frrDefaults = "datacenter"; },
        error: "routers[0].frrDefaults = \"datacenter\": is for FRR routers: VyOS writes FRR's configuration from its own templates, and no VyOS command selects FRR's defaults profile" },
];

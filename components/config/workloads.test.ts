/** The gatewayApi and smoke keys: defaults, and every bad value named by its key. */
import { strict as assert } from "assert";
import * as fs from "fs";
import * as path from "path";
import { parse } from "yaml";
import { ConfigError, type ConfigProblem } from "./index";
import { GATEWAY_API_DEFAULTS, SMOKE_DEFAULTS } from "./defaults";
import { PROJECT_ROOT, loadFixture } from "../../test/support/crd";
import { gatewayApiReleaseTable } from "../../test/support/gateway-api";

type Obj = Record<string, unknown>;

/** Problems of a fixture with gatewayApi / smoke replaced (and any other patch). */
function problemsOf(stack: string, keys: { gatewayApi?: Obj; smoke?: Obj }, extra?: (raw: Obj) => void, line?: string): ConfigProblem[] {
    try {
        loadFixture(stack, { line, patch: (raw) => { Object.assign(raw, keys); extra?.(raw); } });
    } catch (e) {
        if (e instanceof ConfigError) return e.problems;
        throw e;
    }
    return [];
}

describe("configuration: gatewayApi and smoke", () => {
    it("both switches default to off; the shipped dev stack turns smoke on, ipv6 both, ipv6-vyos neither", () => {
        const off = loadFixture("dev", { patch: (raw) => { delete raw.smoke; } }).config;
        assert.equal(off.gatewayApi.enabled, false);
        assert.equal(off.smoke.enabled, false);
        const on = (stack: string): [boolean, boolean] => { const c = loadFixture(stack).config; return [c.gatewayApi.enabled, c.smoke.enabled]; };
        assert.deepEqual(on("dev"), [false, true]);
        assert.deepEqual(on("ipv6"), [true, true]);
        assert.deepEqual(on("ipv6-vyos"), [false, false]);
    });

    it("Pulumi.yaml declares both keys as objects whose default switches them off", () => {
        const project = parse(fs.readFileSync(path.join(PROJECT_ROOT, "Pulumi.yaml"), "utf8")) as { config: Record<string, { type: string; default: Obj }> };
        for (const key of ["gatewayApi", "smoke"]) {
            assert.equal(project.config[key].type, "object", key);
            assert.deepEqual(project.config[key].default, { enabled: false }, key);
        }
        assert.equal(GATEWAY_API_DEFAULTS.enabled, false);
        assert.equal(SMOKE_DEFAULTS.enabled, false);
    });

    it("the Gateway API version defaults to the release the Cilium line builds against (reference/gateway-api-releases.ts)", () => {
        const table = gatewayApiReleaseTable();
        assert.ok(Object.keys(table).length >= 5, JSON.stringify(table));
        for (const [line, release] of Object.entries(table)) {
            const { config } = loadFixture("dev", { line });
            assert.equal(config.gatewayApi.version, release, line);
        }
    });

    it("defaults: shared-gw in namespace gateway on the first pool, one HTTP listener on port 80, shared-gw=true namespaces", () => {
        const { config } = loadFixture("dev", { patch: (raw) => { raw.gatewayApi = { enabled: true }; } });
        const gw = config.gatewayApi;
        assert.equal(gw.lbPool, config.addressPlan.lbPools[0].name);
        assert.deepEqual(gw.listeners, [{ name: "http", protocol: "HTTP", port: 80 }]);
        assert.deepEqual(gw.allowedNamespaces, { matchLabels: { "shared-gw": "true" } });
        assert.equal(gw.channel, "standard");
        assert.equal(gw.httpRoute, false);
        assert.equal(gw.address, undefined);
    });

    it("smoke defaults: the worker nodes, one replica per node, the first pool, Cluster traffic policy", () => {
        const { config } = loadFixture("dev", { patch: (raw) => { raw.smoke = { enabled: true }; } });
        const workers = config.cluster.nodes.filter((n) => n.role === "worker").map((n) => n.name);
        assert.ok(workers.length > 1);
        assert.deepEqual(config.smoke.nodes, workers);
        assert.equal(config.smoke.replicas, workers.length);
        assert.equal(config.smoke.lbPool, config.addressPlan.lbPools[0].name);
        assert.equal(config.smoke.externalTrafficPolicy, "Cluster");
        assert.ok(config.smoke.image.includes(":"), "the image is pinned to a tag");
    });

    it("an HTTPS listener defaults to port 443", () => {
        const { config } = loadFixture("ipv6", { patch: (raw) => { (raw.gatewayApi as Obj).listeners = [{ protocol: "HTTPS", tlsSecretName: "tls" }]; } });
        assert.deepEqual(config.gatewayApi.listeners, [{ name: "https", protocol: "HTTPS", port: 443, tlsSecretName: "tls" }]);
    });

    // [title, stack, keys, key expected in a problem, fragment of its rule, optional line, extra patch]
    type Case = [string, string, { gatewayApi?: Obj; smoke?: Obj }, string, string, string?, ((raw: Obj) => void)?];
    const cases: Case[] = [
        ["unknown gatewayApi key", "ipv6", { gatewayApi: { enabled: true, adress: "x" } }, "gatewayApi.adress", "is not a known key"],
        ["version not a release tag", "ipv6", { gatewayApi: { enabled: true, version: "1.3.0" } }, "gatewayApi.version", "release tag like v1.3.0"],
        ["version of another minor than the line's", "ipv6", { gatewayApi: { enabled: true, version: "v1.2.1" } }, "gatewayApi.version", "must be a v1.3.x release: Cilium 1.18 builds against Gateway API v1.3.0"],
        ["Gateway API on Cilium 1.16", "ipv6-vyos", { gatewayApi: { enabled: true } }, "gatewayApi.enabled", "needs Cilium 1.17 or later"],
        ["unknown channel", "ipv6", { gatewayApi: { enabled: true, channel: "beta" } }, "gatewayApi.channel", "must be one of standard, experimental"],
        ["unknown gateway pool", "ipv6", { gatewayApi: { enabled: true, lbPool: "nope" } }, "gatewayApi.lbPool", "names no pool of addressPlan.lbPools (lb-pool)"],
        ["gateway name too long for Cilium's Service name", "ipv6", { gatewayApi: { enabled: true, name: "g".repeat(49) } }, "gatewayApi.name", "at most 48 characters"],
        ["duplicate listener names", "ipv6", { gatewayApi: { enabled: true, listeners: [{ name: "web", port: 80 }, { name: "web", port: 8080 }] } }, "gatewayApi.listeners[1].name", "repeats the name of gatewayApi.listeners[0]"],
        ["two listeners on one port, protocol and host", "ipv6", { gatewayApi: { enabled: true, listeners: [{ name: "a" }, { name: "b" }] } }, "gatewayApi.listeners[1]", "repeats the protocol, port and hostname"],
        ["HTTPS without a certificate Secret", "ipv6", { gatewayApi: { enabled: true, listeners: [{ protocol: "HTTPS" }] } }, "gatewayApi.listeners[0].tlsSecretName", "is required for an HTTPS listener"],
        ["a certificate on an HTTP listener", "ipv6", { gatewayApi: { enabled: true, listeners: [{ tlsSecretName: "x" }] } }, "gatewayApi.listeners[0].tlsSecretName", "only allowed on HTTPS"],
        ["a bad listener hostname", "ipv6", { gatewayApi: { enabled: true, listeners: [{ hostname: "Echo.example.com" }] } }, "gatewayApi.listeners[0].hostname", "must be a DNS name"],
        ["a listener port out of range", "ipv6", { gatewayApi: { enabled: true, listeners: [{ port: 70000 }] } }, "gatewayApi.listeners[0].port", "between 1 and 65535"],
        ["gateway address outside its pool", "ipv6", { gatewayApi: { enabled: true, address: "2001:db8:ae3:c402::1" } }, "gatewayApi.address", "lies outside pool lb-pool (2001:db8:ae3:c401::/64)"],
        ["gateway address of the wrong family", "ipv6", { gatewayApi: { enabled: true, address: "10.100.0.1" } }, "gatewayApi.address", "is IPv4; this stack is IPv6-only"],
        ["gateway address not an address", "ipv6", { gatewayApi: { enabled: true, address: "2001:db8:ae3:c401::/64" } }, "gatewayApi.address", "is not a valid IPv6 address"],
        ["an HTTPRoute without the smoke workload", "ipv6", { gatewayApi: { enabled: true, httpRoute: true }, smoke: { enabled: false } }, "gatewayApi.httpRoute", "set smoke.enabled too"],
        ["smoke and gateway asking for one address", "ipv6", { gatewayApi: { enabled: true, address: "2001:db8:ae3:c401::9" }, smoke: { enabled: true, address: "2001:db8:ae3:c401::9" } }, "smoke.address", "is the address of gatewayApi too"],
        ["unknown smoke key", "dev", { smoke: { enabled: true, replica: 2 } }, "smoke.replica", "is not a known key"],
        ["a smoke node the cluster lacks", "dev", { smoke: { enabled: true, nodes: ["worker-2", "worker-9"] } }, "smoke.nodes[1]", "is not a node of cluster.nodes"],
        ["a smoke node listed twice", "dev", { smoke: { enabled: true, nodes: ["worker-2", "worker-2"] } }, "smoke.nodes[1]", "is listed twice"],
        ["fewer replicas than pinned nodes", "dev", { smoke: { enabled: true, nodes: ["worker-2", "worker-3"], replicas: 1 } }, "smoke.replicas", "must be at least the number of smoke.nodes (2)"],
        ["unknown traffic policy", "dev", { smoke: { enabled: true, externalTrafficPolicy: "Node" } }, "smoke.externalTrafficPolicy", "must be one of Cluster, Local"],
        ["unknown smoke pool", "dev", { smoke: { enabled: true, lbPool: "nope" } }, "smoke.lbPool", "names no pool of addressPlan.lbPools (default, smoke)"],
        ["smoke address in another pool than its own", "dev", { smoke: { enabled: true, lbPool: "smoke", address: "10.100.0.7" } }, "smoke.address", "lies outside pool smoke (10.100.1.0/27)"],
        ["smoke name that is no Service name", "dev", { smoke: { enabled: true, name: "1echo" } }, "smoke.name", "an RFC 1035 label"],
        ["Service advertisement without LoadBalancerIP", "dev", { smoke: { enabled: true } }, "bgp.serviceAdvertisement.addresses", "must include LoadBalancerIP while smoke.enabled", undefined,
            (raw) => { ((raw.bgp as Obj).serviceAdvertisement as Obj).addresses = ["ClusterIP"]; }],
        ["a pool with no address left for the smoke Service", "dev", { gatewayApi: { enabled: true, lbPool: "tiny" }, smoke: { enabled: true, lbPool: "tiny" } }, "smoke.lbPool", "has no free address left", undefined,
            (raw) => { ((raw.addressPlan as Obj).lbPools as Obj[]).push({ name: "tiny", cidr: "10.100.2.0/32" }); }],
        ["pool and advertisement selectors no labels satisfy together", "dev", { smoke: { enabled: true, lbPool: "smoke" } }, "smoke.lbPool", "no labels satisfy both pool smoke's serviceSelector and bgp.serviceAdvertisement.selector", undefined,
            (raw) => { ((raw.bgp as Obj).serviceAdvertisement as Obj).selector = { matchExpressions: [{ key: "pool", operator: "NotIn", values: ["smoke"] }] }; }],
        ["allowed namespaces no namespace can match", "ipv6", { gatewayApi: { enabled: true, httpRoute: true, allowedNamespaces: { matchExpressions: [{ key: "kubernetes.io/metadata.name", operator: "In", values: ["other"] }] } } }, "gatewayApi.allowedNamespaces", "cannot select namespace smoke"],
    ];
    for (const [title, stack, keys, key, fragment, line, extra] of cases) {
        it(`refuses ${title}: ${key}`, () => {
            const problems = problemsOf(stack, keys, extra, line);
            const hit = problems.find((p) => p.path === key && p.rule.includes(fragment));
            assert.ok(hit, `no problem at ${key} containing "${fragment}"; got:\n${problems.map((p) => `${p.path}: ${p.rule}`).join("\n")}`);
        });
    }

    it("an unsupported Cilium version with the Gateway API on is reported once, as cilium.version (no Gateway API problem follows from it)", () => {
        for (const version of ["2.0.0", "1.14.2"]) {
            const problems = problemsOf("ipv6", { gatewayApi: { enabled: true } }, (raw) => { raw.cilium = { ...(raw.cilium as Obj), version }; });
            assert.deepEqual(problems.map((p) => [p.path, p.rule]), [["cilium.version", "must be in a supported line (1.15, 1.16, 1.17, 1.18, 1.19, 1.20)"]], version);
        }
    });

    it("an unsupported Cilium version still leaves gatewayApi.lbPool checked", () => {
        const problems = problemsOf("ipv6", { gatewayApi: { enabled: true, lbPool: "nope" } }, (raw) => { raw.cilium = { ...(raw.cilium as Obj), version: "2.0.0" }; });
        assert.deepEqual(problems.map((p) => p.path), ["cilium.version", "gatewayApi.lbPool"]);
    });

    it("a switched-off key is not validated beyond its types (an unknown pool is fine while disabled)", () => {
        assert.deepEqual(problemsOf("dev", { smoke: { enabled: false, lbPool: "nope", nodes: ["worker-9"] }, gatewayApi: { enabled: false, lbPool: "nope" } }), []);
    });
});

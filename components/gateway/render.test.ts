import { strict as assert } from "assert";
import { ConfigError } from "../config";
import { loadFixture } from "../../test/support/crd";
import { gatewayApiReleases, gatewayApiReleaseTable, gatewayApiValidatorFor } from "../../test/support/gateway-api";
import { containsAddress, parseAddress, parsePrefix, type Prefix } from "../plan/addr";
import { selectorMatches } from "../bgp/selectors";
import { renderBgpObjects } from "../bgp/render";
import { renderLbPools } from "../lbpools/render";
import { computeCiliumValues } from "../cilium/values";
import type { K8sObject } from "../cilium/api";
import type { LabelSelector } from "../config/types";
import { gatewayApiCrdsUrl, gatewayCurl, renderGatewayObjects, routeNamespaceLabels } from "./render";
import { curlCommand } from "../shell";
import { renderSmokeObjects } from "../smoke/render";

type Obj = Record<string, unknown>;
type AnyObj = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any

const README = gatewayApiReleaseTable();
/** Lines whose Gateway can request an address (the loader refuses older ones). */
const GATEWAY_LINES = Object.keys(README).filter((l) => Number(l.split(".")[1]) >= 17);

/** The dev stack with the Gateway (and its route to the smoke workload) switched on. */
const devWithGateway = (line?: string): ReturnType<typeof loadFixture> =>
    loadFixture("dev", { line, patch: (raw) => { raw.gatewayApi = { enabled: true, httpRoute: true }; } });

const objectsOf = (f: ReturnType<typeof loadFixture>): K8sObject[] => {
    const g = renderGatewayObjects(f.config, f.plan)!;
    return [g.gateway, ...(g.httpRoute ? [g.httpRoute] : [])];
};

describe("Gateway API objects", () => {
    it("the reference data has a release for every line the README maps, and the gateway lines are 1.17 to 1.20", () => {
        for (const release of Object.values(README)) assert.ok(gatewayApiReleases().includes(release), release);
        assert.deepEqual(GATEWAY_LINES, ["1.17", "1.18", "1.19", "1.20"]);
    });

    for (const line of GATEWAY_LINES) {
        for (const [stack, load] of [["ipv6", () => loadFixture("ipv6", { line })], ["dev", () => devWithGateway(line)]] as const) {
            it(`${stack} on ${line}: Gateway and HTTPRoute validate against the Gateway API ${README[line]} CRDs`, () => {
                const f = load();
                assert.equal(f.config.gatewayApi.version, README[line]);
                const objects = objectsOf(f);
                assert.deepEqual(objects.map((o) => o.kind), ["Gateway", "HTTPRoute"]);
                for (const o of objects) assert.deepEqual(gatewayApiValidatorFor(README[line]).validate(o), []);
            });
        }
    }

    it("HTTPS listeners with a hostname and a certificate Secret validate too", () => {
        const f = loadFixture("ipv6", { patch: (raw) => {
            (raw.gatewayApi as Obj).listeners = [{ name: "http", port: 80 }, { name: "https", protocol: "HTTPS", hostname: "*.lab.example", tlsSecretName: "lab-tls" }];
        } });
        const gw = renderGatewayObjects(f.config, f.plan)!.gateway;
        const https = ((gw.spec as AnyObj).listeners as AnyObj[])[1];
        assert.deepEqual(https.tls, { mode: "Terminate", certificateRefs: [{ group: "", kind: "Secret", name: "lab-tls" }] });
        assert.equal(https.hostname, "*.lab.example");
        assert.deepEqual(gatewayApiValidatorFor(README["1.18"]).validate(gw), []);
    });

    describe("the validator can fail (each broken Gateway is refused by every release)", () => {
        const f = loadFixture("ipv6");
        const good = renderGatewayObjects(f.config, f.plan)!.gateway;
        const broken: [string, (g: AnyObj) => void, RegExp][] = [
            ["duplicate listener names", (g) => { g.spec.listeners.push({ ...g.spec.listeners[0], port: 8080 }); }, /Listener name must be unique|exists_one\(l2, l1.name/],
            ["tls on an HTTP listener", (g) => { g.spec.listeners[0].tls = { mode: "Terminate", certificateRefs: [{ name: "x" }] }; }, /tls/],
            ["the same IP address twice", (g) => { g.spec.addresses.push({ ...g.spec.addresses[0] }); }, /IPAddress/],
            ["an unknown field", (g) => { g.spec.loadBalancerIP = "2001:db8:ae3:c401::1"; }, /loadBalancerIP/],
            ["a bad infrastructure label key", (g) => { g.spec.infrastructure.labels = { "bad key!": "x" }; }, /key/],
        ];
        for (const release of GATEWAY_LINES.map((l) => README[l])) {
            for (const [title, mutate, pattern] of broken) {
                it(`${release}: ${title}`, () => {
                    const g = structuredClone(good) as AnyObj;
                    mutate(g);
                    const errors = gatewayApiValidatorFor(release).validate(g as K8sObject);
                    assert.ok(errors.some((e) => pattern.test(e)), errors.join("\n") || "no errors");
                });
            }
        }
        it("v1.1.0 (Cilium 1.16) has no spec.infrastructure in its standard channel: the reason the loader needs 1.17", () => {
            assert.ok(gatewayApiValidatorFor("v1.1.0").validate(good).some((e) => e.includes("infrastructure")));
        });
        it("an HTTPRoute to a Service without a port is refused (CEL)", () => {
            const route = structuredClone(renderGatewayObjects(f.config, f.plan)!.httpRoute!) as AnyObj;
            delete route.spec.rules[0].backendRefs[0].port;
            assert.ok(gatewayApiValidatorFor("v1.3.0").validate(route as K8sObject).some((e) => e.includes("CEL")));
        });
    });

    for (const stack of ["ipv6", "dev"]) {
        it(`${stack}: the requested address lies in the named pool, whose selector and the BGP Service advertisement's select the Gateway's Service labels`, () => {
            const f = stack === "dev" ? loadFixture("dev", { patch: (raw) => { raw.gatewayApi = { enabled: true, lbPool: "smoke" }; } }) : loadFixture(stack);
            const spec = renderGatewayObjects(f.config, f.plan)!.gateway.spec as AnyObj;
            const [address] = spec.addresses as { type: string; value: string }[];
            assert.equal(address.type, "IPAddress");
            assert.deepEqual(Object.values(spec.infrastructure.annotations), [address.value], "the LB IPAM annotation requests the same address");
            const pool = renderLbPools(f.config, f.plan).find((p) => p.metadata.name === f.config.gatewayApi.lbPool)!;
            const a = parseAddress(address.value) as { family: "ipv4" | "ipv6"; value: bigint };
            assert.ok(containsAddress(parsePrefix(((pool.spec as AnyObj).blocks[0]).cidr) as Prefix, a.family, a.value));
            const labels = (spec.infrastructure.labels ?? {}) as Record<string, string>;
            const poolSelector = (pool.spec as AnyObj).serviceSelector as LabelSelector | undefined;
            if (poolSelector) assert.ok(selectorMatches(poolSelector, labels), JSON.stringify(labels));
            if (stack === "dev") assert.ok(poolSelector, "the smoke pool has a selector: the test must exercise it");
            const advert = renderBgpObjects(f.config, f.plan).find((o) => o.kind === "CiliumBGPAdvertisement" && ((o.spec as AnyObj).advertisements as AnyObj[]).some((x) => x.advertisementType === "Service"))!;
            const svcAd = ((advert.spec as AnyObj).advertisements as AnyObj[]).find((x) => x.advertisementType === "Service")!;
            assert.ok(selectorMatches(svcAd.selector as LabelSelector, labels));
            assert.ok((svcAd.service.addresses as string[]).includes("LoadBalancerIP"));
        });
    }

    it("listeners admit routes from the namespaces allowedNamespaces selects, and the smoke namespace carries those labels", () => {
        const f = loadFixture("ipv6", { patch: (raw) => { (raw.gatewayApi as Obj).allowedNamespaces = { matchLabels: { "gw-access": "yes" }, matchExpressions: [{ key: "team", operator: "In", values: ["net"] }] }; } });
        const g = renderGatewayObjects(f.config, f.plan)!;
        for (const l of (g.gateway.spec as AnyObj).listeners as AnyObj[]) {
            assert.deepEqual(l.allowedRoutes, { namespaces: { from: "Selector", selector: f.config.gatewayApi.allowedNamespaces } });
        }
        const ns = renderSmokeObjects(f.config, f.plan)!.namespace!.object;
        assert.equal(ns.metadata.name, (g.httpRoute!.metadata.namespace));
        assert.ok(selectorMatches(f.config.gatewayApi.allowedNamespaces, { ...ns.metadata.labels, "kubernetes.io/metadata.name": ns.metadata.name }));
        assert.deepEqual(routeNamespaceLabels(f.config, "smoke"), ns.metadata.labels);
    });

    it("the HTTPRoute sends everything to the smoke Service's port, attached to the shared Gateway across namespaces", () => {
        const f = loadFixture("ipv6");
        const g = renderGatewayObjects(f.config, f.plan)!;
        const smoke = renderSmokeObjects(f.config, f.plan)!;
        const route = g.httpRoute!.spec as AnyObj;
        assert.deepEqual(route.parentRefs, [{ group: "gateway.networking.k8s.io", kind: "Gateway", name: g.gateway.metadata.name, namespace: g.gateway.metadata.namespace }]);
        const backend = route.rules[0].backendRefs[0];
        assert.equal(backend.name, smoke.service.metadata.name);
        assert.equal(backend.port, ((smoke.service.spec as AnyObj).ports[0]).port);
        assert.equal(g.httpRoute!.metadata.namespace, smoke.service.metadata.namespace);
    });

    it("gatewayApi.httpRouteHostnames: the route's spec.hostnames (valid for every gateway line), and the curl line asks for the first", () => {
        const f = loadFixture("dev", { patch: (raw) => { raw.gatewayApi = { enabled: true, httpRoute: true, httpRouteHostnames: ["hubble.example.com", "*.apps.example.com"] }; } });
        const g = renderGatewayObjects(f.config, f.plan)!;
        assert.deepEqual((g.httpRoute!.spec as AnyObj).hostnames, ["hubble.example.com", "*.apps.example.com"]);
        for (const line of GATEWAY_LINES) assert.deepEqual(gatewayApiValidatorFor(README[line]).validate(g.httpRoute!), [], line);
        assert.match(gatewayCurl(f.config, g.request.address), /--connect-to 'hubble\.example\.com:80:/);
        // Without hostnames the route has none (every name).
        assert.equal((renderGatewayObjects(devWithGateway().config, devWithGateway().plan)!.httpRoute!.spec as AnyObj).hostnames, undefined);
    });

    it("gatewayApi.httpRouteHostnames: a name that is not a DNS name, or hostnames without the route, is refused", () => {
        const refused = (gatewayApi: Obj, path: string): void => {
            assert.throws(() => loadFixture("dev", { patch: (raw) => { raw.gatewayApi = gatewayApi; } }),
                (e: unknown) => e instanceof ConfigError && e.problems.some((p) => p.path === path), path);
        };
        refused({ enabled: true, httpRoute: true, httpRouteHostnames: ["bad_name"] }, "gatewayApi.httpRouteHostnames[0]");
        refused({ enabled: true, httpRoute: false, httpRouteHostnames: ["hubble.example.com"] }, "gatewayApi.httpRouteHostnames");
    });

    it("no HTTPRoute unless asked; no namespace object for a built-in namespace; nothing when disabled", () => {
        const f = loadFixture("ipv6", { patch: (raw) => { (raw.gatewayApi as Obj).httpRoute = false; (raw.gatewayApi as Obj).namespace = "kube-system"; } });
        const g = renderGatewayObjects(f.config, f.plan)!;
        assert.equal(g.httpRoute, undefined);
        assert.equal(g.namespace, undefined);
        assert.equal(g.gateway.metadata.namespace, "kube-system");
        const off = loadFixture("dev");
        assert.equal(renderGatewayObjects(off.config, off.plan), undefined);
    });

    it("Cilium values turn the Gateway API controller on only with the switch, valid for the chart (see values.test.ts)", () => {
        const on = loadFixture("ipv6");
        assert.deepEqual(computeCiliumValues(on.config, on.plan).gatewayAPI, { enabled: true, gatewayClass: { create: "true" } });
        const off = loadFixture("dev");
        assert.equal(computeCiliumValues(off.config, off.plan).gatewayAPI, undefined);
    });

    it("the CRDs come from the release's published install manifest of the channel", () => {
        assert.equal(gatewayApiCrdsUrl({ version: "v1.3.0", channel: "standard" }), "https://github.com/kubernetes-sigs/gateway-api/releases/download/v1.3.0/standard-install.yaml");
        assert.equal(gatewayApiCrdsUrl({ version: "v1.2.1", channel: "experimental" }), "https://github.com/kubernetes-sigs/gateway-api/releases/download/v1.2.1/experimental-install.yaml");
    });

    it("Cilium 1.15 and 1.16 are refused with Gateway API on", () => {
        for (const line of ["1.15", "1.16"]) {
            const enable = (raw: Obj): void => { (raw.gatewayApi as Obj).enabled = true; };
            assert.throws(() => loadFixture("ipv6", { line, patch: enable }), (e: unknown) => e instanceof ConfigError && e.problems.some((p) => p.path === "gatewayApi.enabled"), line);
        }
    });

    it("curl lines: IPv4 plain, IPv6 in brackets with -g, a listener host name via --connect-to, HTTPS insecure", () => {
        assert.equal(curlCommand({ address: "10.100.1.1", port: 80 }), "curl 'http://10.100.1.1:80/'");
        assert.equal(curlCommand({ address: "2001:db8::1", port: 8080 }), "curl -g 'http://[2001:db8::1]:8080/'");
        assert.equal(curlCommand({ address: "2001:db8::1", port: 443, scheme: "https", hostname: "*.lab.example" }),
            "curl --insecure --connect-to 'test.lab.example:443:[2001:db8::1]:443' 'https://test.lab.example:443/'");
        const f = loadFixture("ipv6");
        const g = renderGatewayObjects(f.config, f.plan)!;
        const address = ((g.gateway.spec as AnyObj).addresses[0]).value as string;
        assert.ok(gatewayCurl(f.config, address).includes(`[${address}]:${f.config.gatewayApi.listeners[0].port}`));
    });
});

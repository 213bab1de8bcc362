/**
 * The components as a library and as a multi-language package: each constructed alone from its
 * own Args (no stack configuration), the examples, the generated schema, and the npm tarball.
 */
import { strict as assert } from "assert";
import { execFileSync } from "child_process";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import * as k8s from "@pulumi/kubernetes";
import { ComponentProvider } from "@pulumi/pulumi/provider/experimental";
import { parse } from "yaml";
import { type RecordedResource, runUnderMocks } from "../../cli/mock-runtime";
import * as pulumi from "@pulumi/pulumi";
import { CiliumBgp, CiliumRelease, Cluster, GatewayApi, GatewayApiCrds, LoadBalancerPools, RouterFleet, SmokeWorkload } from "../../lib";
import { clusterCommands } from "../../components/cluster/commands";
import { renderJoinScript, resolveNodeNetworks } from "../../components/cluster/join";
import { loadFixture } from "../support/crd";
import { PACKAGE_COMPONENTS, PACKAGE_NAME } from "../../provider";
import { existingClusterProgram } from "../../examples/existing-cluster/program";
import { PROJECT_ROOT, crdValidatorFor, validateHelmValues } from "../support/crd";
import { BEGIN, END, argsTables } from "../../scripts/args-tables";
import { gatewayApiValidatorFor } from "../support/gateway-api";

const run = (program: () => unknown, config: Record<string, string> = {}): ReturnType<typeof runUnderMocks> =>
    runUnderMocks(program, { project: "cbf-example", stack: "test", config });
const ciliumObjects = (rs: RecordedResource[]): RecordedResource[] => rs.filter((r) => r.type.startsWith("kubernetes:cilium.io/"));

/** Every recorded Cilium object passes the line's CRD schema; returns the kinds seen. */
function assertValid(line: string, rs: RecordedResource[]): string[] {
    const v = crdValidatorFor(line);
    const crs = ciliumObjects(rs);
    assert.ok(crs.length > 0, "no Cilium objects");
    for (const r of crs) {
        const o = r.inputs as unknown as Parameters<typeof v.validate>[0];
        assert.deepEqual(v.validate(o), [], `${r.name} against the ${line} CRDs`);
    }
    return [...new Set(crs.map((r) => String(r.inputs.kind)))].sort();
}

const provider = (): k8s.Provider => new k8s.Provider("k", { kubeconfig: "x" });
const group = (localAsn: number) => ({
    nodeSelector: { matchLabels: { "kubernetes.io/os": "linux" } }, localAsn,
    peers: [{ name: "tor1", address: "2001:db8:1::1", asn: 65001 }, { name: "tor2", address: "2001:db8:1::2", asn: localAsn }],
});

describe("components alone, from their own Args (mock runtime)", () => {
    it("CiliumBgp on 1.18: v2 objects valid against the CRDs; iBGP and eBGP peer configs; the Secret referenced", async () => {
        const { resources } = await run(() => new CiliumBgp("bgp", { ciliumVersion: "1.18.12", ipFamily: "ipv6", nodeGroups: [group(65100)], password: "pw" }, { provider: provider() }));
        assert.deepEqual(assertValid("1.18", resources), ["CiliumBGPAdvertisement", "CiliumBGPClusterConfig", "CiliumBGPPeerConfig"]);
        const peerConfigs = resources.filter((r) => r.inputs.kind === "CiliumBGPPeerConfig").map((r) => (r.inputs.metadata as { name: string }).name).sort();
        assert.deepEqual(peerConfigs, ["cilium-peer-ebgp", "cilium-peer-ibgp"]);
        const cc = resources.find((r) => r.inputs.kind === "CiliumBGPClusterConfig")!;
        assert.deepEqual(((cc.inputs.spec as { bgpInstances: { peers: unknown[] }[] }).bgpInstances[0].peers)[0],
            { name: "tor1", peerASN: 65001, peerAddress: "2001:db8:1::1", peerConfigRef: { name: "cilium-peer-ebgp" } });
        assert.equal(resources.filter((r) => r.type === "kubernetes:core/v1:Secret").length, 1);
        // 1.18 allocates IPv6-only router IDs itself: no override objects.
        assert.ok(!resources.some((r) => r.inputs.kind === "CiliumBGPNodeConfigOverride"));
    });

    it("CiliumBgp on 1.17 IPv6-only: node config overrides carry the router IDs", async () => {
        const { resources } = await run(() => new CiliumBgp("bgp", {
            ciliumVersion: "1.17", ipFamily: "ipv6", nodeGroups: [group(65100)], nodeRouterIds: [{ node: "n1", asn: 65100, routerId: "10.255.1.1" }],
        }, { provider: provider() }));
        assertValid("1.17", resources);
        const o = resources.find((r) => r.inputs.kind === "CiliumBGPNodeConfigOverride")!;
        assert.deepEqual(o.inputs.spec, { bgpInstances: [{ name: "instance-65100", routerID: "10.255.1.1" }] });
    });

    it("CiliumBgp on 1.15: one v1 peering policy, valid; bad arguments are refused by name", async () => {
        const { resources } = await run(() => new CiliumBgp("bgp", { ciliumVersion: "1.15.19", ipFamily: "ipv6", nodeGroups: [group(65100)] }, { provider: provider() }));
        assert.deepEqual(assertValid("1.15", resources), ["CiliumBGPPeeringPolicy"]);
        assert.throws(() => new CiliumBgp("x", { ciliumVersion: "1.18", ipFamily: "ipv5", nodeGroups: [group(1)] }), /ipFamily: "ipv5"/);
        assert.throws(() => new CiliumBgp("y", { ciliumVersion: "1.18", nodeGroups: [{ ...group(1), nodeSelector: { matchExpressions: [{ key: "k", operator: "Is" }] } }] }),
            /nodeGroups\[0\]\.nodeSelector\.matchExpressions\[0\]\.operator: "Is"/);
    });

    it("LoadBalancerPools: one pool per argument, valid against the 1.16 and 1.18 CRDs", async () => {
        for (const [version, line] of [["1.16.9", "1.16"], ["1.18.12", "1.18"]]) {
            const { resources } = await run(() => new LoadBalancerPools("lb", {
                ciliumVersion: version, pools: [{ name: "a", cidr: "192.0.2.0/26" }, { name: "b", cidr: "2001:db8:2::/120", serviceSelector: { matchLabels: { pool: "b" } } }],
            }, { provider: provider() }));
            assert.deepEqual(assertValid(line, resources), ["CiliumLoadBalancerIPPool"]);
            assert.equal(ciliumObjects(resources).length, 2);
        }
    });

    it("CiliumRelease: the given values reach Helm and pass the chart's schema; unusable ones are refused", async () => {
        const values = { routingMode: "native", kubeProxyReplacement: "true", k8sServiceHost: "10.0.0.10", k8sServicePort: 6443, bgpControlPlane: { enabled: true } };
        const { resources } = await run(() => new CiliumRelease("cilium", { version: "1.18.12", values }, { provider: provider() }));
        const rel = resources.find((r) => r.type === "kubernetes:helm.sh/v3:Release")!;
        assert.deepEqual(rel.inputs.values, values);
        assert.deepEqual(validateHelmValues("1.18", values) ?? [], []);
        assert.throws(() => new CiliumRelease("bad", { version: "1.18.12", values: { ...values, routingMode: "tunnel" } }), /routingMode/);
    });

    it("GatewayApiCrds: the release's install manifest; a bad channel is refused", async () => {
        const { resources } = await run(() => new GatewayApiCrds("gw", { version: "v1.3.0" }, { provider: provider() }));
        const file = resources.find((r) => r.type === "kubernetes:yaml/v2:ConfigFile")!;
        assert.match(String(file.inputs.file), /gateway-api\/releases\/download\/v1\.3\.0\/standard-install\.yaml$/);
        assert.throws(() => new GatewayApiCrds("x", { version: "v1.3.0", channel: "beta" }), /channel: "beta"/);
    });
});

describe("workload components alone, from their own Args (mock runtime)", () => {
    const smokeArgs = {
        ciliumVersion: "1.18.12", name: "echo", namespace: "smoke", namespaceLabels: { "shared-gw": "true" }, image: "ealen/echo-server:0.9.2",
        containerPort: 80, port: 8080, replicas: 2, nodes: ["n1", "n2"], address: "2001:db8:100::10", ipFamily: "ipv6",
        externalTrafficPolicy: "Local", serviceLabels: { app: "echo", pool: "smoke" },
    };

    it("SmokeWorkload: Namespace, Deployment and LoadBalancer Service from plain Args; bad enumerations refused by name", async () => {
        const { resources } = await run(() => new SmokeWorkload("smoke", smokeArgs, { provider: provider() }));
        const byType = (t: string): RecordedResource => resources.find((r) => r.type === t)!;
        assert.deepEqual(byType("kubernetes:core/v1:Namespace").inputs.metadata, { name: "smoke", labels: { "shared-gw": "true" } });
        const dep = byType("kubernetes:apps/v1:Deployment");
        const spec = dep.inputs.spec as { replicas: number; template: { spec: { tolerations?: unknown; containers: { image: string; args: string[] }[] } } };
        assert.equal(spec.replicas, 2);
        assert.equal(spec.template.spec.containers[0].image, "ealen/echo-server:0.9.2");
        assert.deepEqual(spec.template.spec.containers[0].args, []);
        assert.equal(spec.template.spec.tolerations, undefined);
        const svc = byType("kubernetes:core/v1:Service");
        assert.deepEqual(svc.inputs.metadata, { name: "echo", namespace: "smoke", labels: { app: "echo", pool: "smoke" }, annotations: { "lbipam.cilium.io/ips": "2001:db8:100::10" } });
        assert.deepEqual((svc.inputs.spec as Record<string, unknown>).ipFamilies, ["IPv6"]);
        assert.equal((svc.inputs.spec as Record<string, unknown>).externalTrafficPolicy, "Local");
        // A built-in namespace without labels is left alone; the 1.15 line uses the legacy annotation.
        const { resources: r2 } = await run(() => new SmokeWorkload("s2", { ...smokeArgs, ciliumVersion: "1.15.19", namespace: "default", namespaceLabels: undefined }, { provider: provider() }));
        assert.ok(!r2.some((r) => r.type.startsWith("kubernetes:core/v1:Namespace")));
        assert.deepEqual(Object.keys((r2.find((r) => r.type === "kubernetes:core/v1:Service")!.inputs.metadata as { annotations: object }).annotations), ["io.cilium/lb-ipam-ips"]);
        assert.throws(() => new SmokeWorkload("x", { ...smokeArgs, ipFamily: "ipx" }), /ipFamily: "ipx"/);
        assert.throws(() => new SmokeWorkload("y", { ...smokeArgs, externalTrafficPolicy: "Nearest" }), /externalTrafficPolicy: "Nearest"/);
    });

    it("GatewayApi: Gateway and HTTPRoute valid against the Gateway API v1.3.0 CRDs; bad listeners refused", async () => {
        const args = {
            ciliumVersion: "1.18.12", name: "shared", namespace: "gw", address: "192.0.2.10", serviceLabels: { pool: "gw" },
            listeners: [{ name: "web", protocol: "HTTP", port: 80, hostname: "*.example.org" }],
            allowedNamespaces: { matchLabels: { "shared-gw": "true" } },
            httpRoute: { serviceName: "echo", namespace: "smoke", port: 8080 },
        };
        let gw: GatewayApi | undefined;
        const { resources } = await run(() => { gw = new GatewayApi("gateway", args, { provider: provider() }); });
        const objs = resources.filter((r) => r.type.startsWith("kubernetes:gateway.networking.k8s.io/"));
        assert.deepEqual(objs.map((r) => r.inputs.kind).sort(), ["Gateway", "HTTPRoute"]);
        for (const o of objs) assert.deepEqual(gatewayApiValidatorFor("v1.3.0").validate(o.inputs as unknown as Parameters<ReturnType<typeof gatewayApiValidatorFor>["validate"]>[0]), [], o.name);
        const g = objs.find((r) => r.inputs.kind === "Gateway")!;
        assert.deepEqual((g.inputs.spec as { addresses: unknown }).addresses, [{ type: "IPAddress", value: "192.0.2.10" }]);
        assert.deepEqual((g.inputs.spec as { infrastructure: unknown }).infrastructure, { annotations: { "lbipam.cilium.io/ips": "192.0.2.10" }, labels: { pool: "gw" } });
        assert.ok(resources.some((r) => r.type === "kubernetes:core/v1:Namespace" && (r.inputs.metadata as { name: string }).name === "gw"));
        assert.equal(gw!.curl.includes("192.0.2.10"), true);
        assert.throws(() => new GatewayApi("x", { ...args, listeners: [{ name: "t", protocol: "TCP", port: 1 }] }), /listeners\[0\]\.protocol: "TCP"/);
        assert.throws(() => new GatewayApi("y", { ...args, listeners: [] }), /listeners: at least one/);
    });
});

describe("Cluster alone, from its own Args (mock runtime)", () => {
    const nodes = [
        { name: "cp1", role: "control-plane", address: "10.0.1.10", subnet: "nodes-rack1", gateway: "10.0.1.1", rack: "rack1" },
        { name: "w1", role: "worker", address: "10.0.2.10", subnet: "nodes-rack2", gateway: "10.0.2.1", rack: "rack2" },
    ];
    const base = { name: "lab", kubernetesVersion: "v1.32.2", podCidr: "10.244.0.0/16", serviceCidr: "10.96.0.0/16", nodes };
    const commandsOf = (rs: RecordedResource[]): Record<string, Record<string, unknown>> =>
        Object.fromEntries(rs.filter((r) => r.type === "command:local:Command").map((r) => [r.name, r.inputs]));

    it("kind: the config names the nodes and their addresses; the join script puts each on its network via its gateway", async () => {
        const { resources } = await run(() => new Cluster("c", { ...base, nodeNetworkNames: ["cbf-x-nodes-rack1", "cbf-x-nodes-rack2"] }));
        const cmds = commandsOf(resources);
        assert.deepEqual(Object.keys(cmds).sort(), ["c-create", "c-join", "c-kubeconfig"]);
        const kind = parse(String(cmds["c-create"].stdin)) as { name: string; networking: Record<string, unknown>; nodes: { role: string; image: string; kubeadmConfigPatches: string[] }[] };
        assert.equal(kind.name, "lab");
        assert.deepEqual(kind.networking, { ipFamily: "ipv4", disableDefaultCNI: true, kubeProxyMode: "none", podSubnet: "10.244.0.0/16", serviceSubnet: "10.96.0.0/16" });
        assert.deepEqual(kind.nodes.map((n) => n.role), ["control-plane", "worker"]);
        assert.equal(kind.nodes[1].image, "kindest/node:v1.32.2");
        assert.match(kind.nodes[1].kubeadmConfigPatches[0], /name: w1\n[\s\S]*node-ip: "10\.0\.2\.10"[\s\S]*node-labels: "rack=rack2"/);
        const join = String(cmds["c-join"].create);
        assert.match(join, /docker network connect --ip 10\.0\.2\.10 'cbf-x-nodes-rack2' 'lab-worker'/);
        assert.match(join, /docker exec 'lab-control-plane' ip route replace default via 10\.0\.1\.1/);
        assert.equal(cmds["c-kubeconfig"].create, "kind get kubeconfig --name 'lab'");
        assert.ok(resources.some((r) => r.type === "pulumi:providers:kubernetes"));
    });

    it("from a stack's plan (k3d): the same config and join script as the stack renderers give", async () => {
        const { config, plan } = loadFixture("dev", { patch: (raw) => { (raw.cluster as Record<string, unknown>).provider = "k3d"; } });
        const { clusterArgsFromPlan } = await import("../../lib");
        const { resources } = await run(() => new Cluster("k", { ...clusterArgsFromPlan(config, plan), nodeNetworkNames: plan.nodeSubnets.map((s) => `p-${s.name}`) }));
        const cmds = commandsOf(resources);
        const expected = clusterCommands(config, plan);
        assert.equal(cmds["k-create"].stdin, expected.configYaml);
        assert.equal(cmds["k-create"].create, expected.create);
        assert.equal(cmds["k-join"].create, renderJoinScript(config, plan, resolveNodeNetworks(plan, plan.nodeSubnets.map((s) => `p-${s.name}`))));
    });

    it("existing: only a provider, the kubeconfig kept secret; bad arguments are refused by name", async () => {
        let c: Cluster | undefined;
        const { resources } = await run(() => { c = new Cluster("e", { name: "ext", provider: "existing", kubeconfig: "apiVersion: v1" }); });
        assert.deepEqual(resources.filter((r) => r.custom).map((r) => r.type), ["pulumi:providers:kubernetes"]);
        assert.equal(c!.create, undefined);
        assert.throws(() => new Cluster("x", { name: "ext", provider: "existing" }), /kubeconfig is required/);
        assert.throws(() => new Cluster("y", { ...base, provider: "minikube" }), /provider: "minikube"/);
        assert.throws(() => new Cluster("z", { name: "lab" }), /provider kind: kubernetesVersion, podCidr, serviceCidr, nodes required/);
        assert.throws(() => new Cluster("w", { ...base, nodes: [{ ...nodes[0], role: "master" }] }), /nodes\[0\]\.role: "master"/);
    });
});

describe("RouterFleet alone, from its own Args (mock runtime)", () => {
    const PW = "Alone-pw-42";
    const args = (): ConstructorParameters<typeof RouterFleet>[1] => ({
        namePrefix: "lab", ipFamily: "ipv6",
        networks: [{ name: "nodes", subnet: "2001:db8:1::/64", gateway: "2001:db8:1::fffe", nodes: true, labels: { seg: "nodes" } },
            { name: "uplink", subnet: "2001:db8:ff::/126", gateway: "2001:db8:ff::3" }],
        routers: [{
            name: "tor1", image: "quay.io/frrouting/frr:10.2.1", asn: 65001, routerId: "10.255.0.1", loopback: "2001:db8:ffff::1",
            addresses: [{ network: "nodes", address: "2001:db8:1::1", prefixLength: 64 }, { network: "uplink", address: "2001:db8:ff::1", prefixLength: 126 }],
            files: pulumi.secret([{ file: "/etc/frr/frr.conf", content: `router bgp 65001\n neighbor x password ${PW}\n` }]),
            neighbors: [{ address: "2001:db8:1::10", asn: 65100, family: "ipv6", peer: "n1" }],
        }],
    });

    it("networks and a container from plain Args: addresses, uploads secret with the default mode, summaries and node network names", async () => {
        let fleet: RouterFleet | undefined;
        const { resources } = await run(() => { fleet = new RouterFleet("f", args()); });
        const nets = resources.filter((r) => r.type === "docker:index/network:Network").sort((a, b) => a.name.localeCompare(b.name));
        assert.deepEqual(nets.map((n) => [n.name, n.inputs.name, n.inputs.ipv6]), [["net-nodes", "lab-nodes", true], ["net-uplink", "lab-uplink", true]]);
        assert.deepEqual(nets[0].inputs.ipamConfigs, [{ subnet: "2001:db8:1::/64", gateway: "2001:db8:1::fffe" }]);
        assert.deepEqual(nets[0].inputs.labels, [{ label: "seg", value: "nodes" }]);
        const c = resources.find((r) => r.type === "docker:index/container:Container")!;
        assert.equal(c.name, "router-tor1");
        assert.equal(c.inputs.privileged, false);
        assert.deepEqual((c.inputs.networksAdvanced as unknown[]), [{ name: "lab-nodes", ipv6Address: "2001:db8:1::1" }, { name: "lab-uplink", ipv6Address: "2001:db8:ff::1" }]);
        assert.ok(c.secretPaths.includes("uploads"), `uploads secret: ${c.secretPaths.join(", ")}`);
        assert.deepEqual(c.inputs.uploads, [{ file: "/etc/frr/frr.conf", content: `router bgp 65001\n neighbor x password ${PW}\n`, permissions: "0640" }]);
        assert.equal((c.inputs.sysctls as Record<string, string>)["net.ipv4.ip_forward"], undefined);
        for (const r of resources) assert.ok(!JSON.stringify({ ...r.inputs, uploads: undefined }).includes(PW), r.name);
        const [routers, names, secret] = await new Promise<[unknown, string[], boolean]>((res) =>
            pulumi.all([fleet!.routers, fleet!.nodeNetworkNames]).apply(async ([a, b]) => res([a, b, await pulumi.isSecret(fleet!.configs)])));
        assert.deepEqual(names, ["lab-nodes"]);
        assert.equal(secret, true);
        assert.deepEqual((routers as { container: string; flavour: string; role: string }[]).map((r) => [r.container, r.flavour, r.role]), [["lab-tor1", "frr", "tor"]]);
    });

    it("VyOS: privileged, systemd; bad arguments are refused by name", async () => {
        const a = args();
        a.routers[0] = { ...a.routers[0], flavour: "vyos", image: "vyos:1.5" };
        const { resources } = await run(() => new RouterFleet("v", a));
        const c = resources.find((r) => r.type === "docker:index/container:Container")!;
        assert.equal(c.inputs.privileged, true);
        assert.deepEqual(c.inputs.command, ["/sbin/init"]);
        assert.throws(() => new RouterFleet("x", { ...args(), routers: [{ ...args().routers[0], flavour: "bird" }] }), /routers\[0\]\.flavour: "bird"/);
        assert.throws(() => new RouterFleet("y", { ...args(), routers: [{ ...args().routers[0], role: "core" }] }), /routers\[0\]\.role: "core"/);
        assert.throws(() => new RouterFleet("z", { ...args(), networks: [args().networks[0]] }), /routers\[0\]\.addresses\[1\]\.network: "uplink"/);
        assert.throws(() => new RouterFleet("w", { ...args(), ipFamily: "ip6" }), /ipFamily: "ip6"/);
    });
});

describe("examples", () => {
    it("existing-cluster (TypeScript): only CiliumBgp and LoadBalancerPools, objects valid against the CRDs, password only in the Secret", async () => {
        const { resources, outputs } = await run(existingClusterProgram, {
            "cbf-example:kubeconfig": "apiVersion: v1", "cbf-example:bgpPassword": "example-pw",
        });
        const components = resources.filter((r) => !r.custom).map((r) => r.type).sort();
        assert.deepEqual(components, ["cilium-bgp-fabric:bgp:CiliumBgp", "cilium-bgp-fabric:lbpools:LoadBalancerPools", "pulumi:pulumi:Stack"]);
        assertValid("1.18", resources);
        assert.deepEqual(outputs.pools, ["public"]);
        assert.deepEqual(outputs.bgpObjects, ["CiliumBGPClusterConfig/cilium-bgp-rack1", "CiliumBGPClusterConfig/cilium-bgp-rack2",
            "CiliumBGPPeerConfig/cilium-peer-ebgp", "CiliumBGPAdvertisement/bgp-podcidr", "CiliumBGPAdvertisement/bgp-services"]);
        for (const r of resources.filter((x) => x.type !== "kubernetes:core/v1:Secret")) assert.ok(!JSON.stringify(r.inputs).includes("example-pw"), r.name);
    });
});

type SchemaProp = { type?: string; $ref?: string; items?: SchemaProp; additionalProperties?: SchemaProp; description?: string };
interface PackageSchema {
    name: string;
    resources: Record<string, { isComponent: boolean; description?: string; inputProperties: Record<string, SchemaProp>; requiredInputs?: string[]; properties: Record<string, SchemaProp>; required?: string[] }>;
    types: Record<string, { properties: Record<string, SchemaProp>; required?: string[] }>;
}

describe("multi-language package schema (ComponentProvider.getSchema, in-process)", function () {
    this.timeout(120000);
    let schema: PackageSchema;
    before(async () => {
        const p = new ComponentProvider({ components: PACKAGE_COMPONENTS, name: PACKAGE_NAME, dirname: PROJECT_ROOT });
        schema = JSON.parse(await p.getSchema()) as PackageSchema;
    });

    it("describes every component with its inputs and outputs: types, descriptions, required", () => {
        assert.equal(schema.name, "cilium-bgp-fabric");
        assert.deepEqual(Object.keys(schema.resources).sort(), ["CiliumBgp", "CiliumRelease", "Cluster", "GatewayApi", "GatewayApiCrds", "LoadBalancerPools", "RouterFleet", "SmokeWorkload"].map((c) => `cilium-bgp-fabric:index:${c}`));
        for (const [token, r] of Object.entries(schema.resources)) {
            assert.equal(r.isComponent, true, token);
            assert.ok(r.description, `${token} description`);
            for (const [k, p] of [...Object.entries(r.inputProperties), ...Object.entries(r.properties)]) assert.ok(p.description, `${token}.${k} description`);
        }
        const bgp = schema.resources["cilium-bgp-fabric:index:CiliumBgp"];
        assert.deepEqual(bgp.requiredInputs, ["ciliumVersion", "nodeGroups"]);
        assert.equal(bgp.inputProperties.holdTimeSeconds.type, "number");
        assert.match(String(bgp.inputProperties.holdTimeSeconds.description), /Default 9/);
        assert.equal(bgp.inputProperties.nodeGroups.items?.$ref, "#/types/cilium-bgp-fabric:index:BgpNodeGroupArgs");
        assert.deepEqual(bgp.required, ["objectNames"]);
        const grp = schema.types["cilium-bgp-fabric:index:BgpNodeGroupArgs"];
        assert.deepEqual([...(grp.required ?? [])].sort(), ["localAsn", "nodeSelector", "peers"]);
        assert.deepEqual([...(schema.types["cilium-bgp-fabric:index:BgpPeerArgs"].required ?? [])].sort(), ["address", "asn", "name"]);
        assert.equal(schema.resources["cilium-bgp-fabric:index:CiliumRelease"].inputProperties.values.additionalProperties?.$ref, "pulumi.json#/Any");
        assert.deepEqual(schema.resources["cilium-bgp-fabric:index:LoadBalancerPools"].requiredInputs, ["ciliumVersion", "pools"]);
        const smoke = schema.resources["cilium-bgp-fabric:index:SmokeWorkload"];
        assert.deepEqual([...(smoke.requiredInputs ?? [])].sort(), ["address", "ciliumVersion", "containerPort", "image", "name", "namespace", "nodes", "port", "replicas"]);
        assert.match(String(smoke.inputProperties.externalTrafficPolicy.description), /Default Cluster/);
        assert.equal(smoke.inputProperties.serviceLabels.additionalProperties?.type, "string");
        assert.deepEqual([...(smoke.required ?? [])].sort(), ["address", "curl", "hostNodes"]);
        const gw = schema.resources["cilium-bgp-fabric:index:GatewayApi"];
        assert.deepEqual([...(gw.requiredInputs ?? [])].sort(), ["address", "ciliumVersion", "listeners", "name", "namespace"]);
        assert.equal(gw.inputProperties.listeners.items?.$ref, "#/types/cilium-bgp-fabric:index:GatewayListenerArgs");
        assert.equal(gw.inputProperties.httpRoute.$ref, "#/types/cilium-bgp-fabric:index:GatewayHttpRouteArgs");
        assert.deepEqual([...(schema.types["cilium-bgp-fabric:index:GatewayHttpRouteArgs"].required ?? [])].sort(), ["namespace", "port", "serviceName"]);
        const cluster = schema.resources["cilium-bgp-fabric:index:Cluster"];
        assert.deepEqual(cluster.requiredInputs, ["name"]);
        assert.match(String(cluster.inputProperties.provider.description), /kind \(default\)/);
        // Inputs from other resources are not plain: the engine resolves them (and keeps the kubeconfig secret).
        assert.equal((cluster.inputProperties.kubeconfig as { plain?: boolean }).plain, undefined);
        assert.equal(cluster.inputProperties.nodeNetworkNames.items?.type, "string");
        assert.match(String(cluster.properties.provider.$ref), /kubernetes.*#\/resources\/kubernetes$/);
        assert.deepEqual([...(schema.types["cilium-bgp-fabric:index:ClusterNodeArgs"].required ?? [])].sort(), ["address", "gateway", "name", "role", "subnet"]);
        const fleet = schema.resources["cilium-bgp-fabric:index:RouterFleet"];
        assert.deepEqual(fleet.requiredInputs, ["namePrefix", "networks", "routers"]);
        assert.deepEqual([...(fleet.required ?? [])].sort(), ["configs", "nodeNetworkNames", "routers"]);
        const router = schema.types["cilium-bgp-fabric:index:RouterArgs"];
        assert.equal(router.properties.files.items?.$ref, "#/types/cilium-bgp-fabric:index:RouterFileArgs");
        assert.match(String(router.properties.flavour.description), /frr \(default\)/);
        assert.equal(schema.types["cilium-bgp-fabric:index:RouterSummary"].properties.flavour.type, "string");
    });

    it("README's Args tables are the schema's (npm run docs:args regenerates them)", () => {
        const readme = fs.readFileSync(path.join(PROJECT_ROOT, "README.md"), "utf8");
        const section = readme.slice(readme.indexOf(BEGIN), readme.indexOf(END) + END.length);
        const expected = argsTables(JSON.stringify(schema));
        assert.ok(expected.includes("| `nodeGroups` | BgpNodeGroupArgs[] | yes |"));
        assert.equal(section, expected, "README.md Args tables are stale: run npm run docs:args");
    });

    /** Problems of a YAML value against a schema property (type, nested object properties, required ones). */
    const check = (where: string, v: unknown, p: SchemaProp, out: string[]): void => {
        if (typeof v === "string" && v.startsWith("${")) return; // an interpolation: typed by the engine
        if (p.$ref?.startsWith("#/types/")) {
            const t = schema.types[p.$ref.slice("#/types/".length)];
            if (!t) { out.push(`${where}: unknown type ${p.$ref}`); return; }
            if (typeof v !== "object" || v === null || Array.isArray(v)) { out.push(`${where}: not an object`); return; }
            checkObject(where, v as Record<string, unknown>, t.properties, t.required ?? [], out);
        } else if (p.type === "array") {
            if (!Array.isArray(v)) out.push(`${where}: not an array`);
            else v.forEach((x, i) => check(`${where}[${i}]`, x, p.items ?? {}, out));
        } else if (p.type === "object") {
            if (typeof v !== "object" || v === null) out.push(`${where}: not an object`);
            else for (const [k, x] of Object.entries(v)) check(`${where}.${k}`, x, p.additionalProperties ?? {}, out);
        } else if (p.type === "number" && typeof v !== "number") out.push(`${where}: not a number`);
        else if (p.type === "string" && typeof v !== "string") out.push(`${where}: not a string`);
        else if (p.type === "boolean" && typeof v !== "boolean") out.push(`${where}: not a boolean`);
    };
    const checkObject = (where: string, v: Record<string, unknown>, props: Record<string, SchemaProp>, required: string[], out: string[]): void => {
        for (const k of required) if (!(k in v)) out.push(`${where}.${k}: required`);
        for (const [k, x] of Object.entries(v)) {
            if (!props[k]) out.push(`${where}.${k}: no such property`);
            else check(`${where}.${k}`, x, props[k], out);
        }
    };

    it("the YAML example's resource types and properties are the schema's", () => {
        const program = parse(fs.readFileSync(path.join(PROJECT_ROOT, "examples/yaml/Pulumi.yaml"), "utf8")) as { resources: Record<string, { type: string; properties: Record<string, unknown> }> };
        const ours = Object.entries(program.resources).filter(([, r]) => r.type.startsWith("cilium-bgp-fabric:"));
        assert.deepEqual(ours.map(([, r]) => r.type).sort(), ["cilium-bgp-fabric:index:CiliumBgp", "cilium-bgp-fabric:index:LoadBalancerPools"]);
        for (const [name, r] of ours) {
            const res = schema.resources[r.type];
            const problems: string[] = [];
            checkObject(name, r.properties, res.inputProperties, res.requiredInputs ?? [], problems);
            assert.deepEqual(problems, []);
        }
        // The checker can fail: a misspelt property and a missing required one are reported.
        const bad: string[] = [];
        const bgp = schema.resources["cilium-bgp-fabric:index:CiliumBgp"];
        checkObject("bgp", { ciliumVersion: "1.18", nodeGroup: [] }, bgp.inputProperties, bgp.requiredInputs ?? [], bad);
        assert.deepEqual(bad, ["bgp.nodeGroups: required", "bgp.nodeGroup: no such property"]);
    });
});

describe("npm package: npm pack, installed into a second program", function () {
    this.timeout(180000);
    it("the tarball holds the JS and .d.ts build; a program importing it constructs CiliumBgp and LoadBalancerPools", () => {
        const tmp = fs.mkdtempSync(path.join(os.tmpdir(), "cbf-pack-"));
        try {
            const t0 = Date.now();
            execFileSync("npx", ["tsc", "-p", "tsconfig.build.json", "--outDir", path.join(tmp, "dist")], { cwd: PROJECT_ROOT, stdio: "pipe" });
            // Pack from a copy of the manifest beside the fresh build (the worktree's dist/ may be stale or absent).
            const src = path.join(tmp, "src");
            fs.mkdirSync(src);
            fs.renameSync(path.join(tmp, "dist"), path.join(src, "dist"));
            for (const f of ["package.json", "README.md", "PulumiPlugin.yaml"]) fs.copyFileSync(path.join(PROJECT_ROOT, f), path.join(src, f));
            const tgz = execFileSync("npm", ["pack", "--ignore-scripts", "--silent", "--pack-destination", tmp], { cwd: src, encoding: "utf8" }).trim().split("\n").pop() as string;
            const listing = execFileSync("tar", ["-tzf", path.join(tmp, tgz)], { encoding: "utf8" }).split("\n");
            assert.ok(listing.includes("package/dist/lib.js") && listing.includes("package/dist/lib.d.ts"));
            assert.ok(!listing.some((f) => f.endsWith(".ts") && !f.endsWith(".d.ts")), "no TypeScript sources");
            const t1 = Date.now();
            // The consumer: its own directory; the package's dependencies come from this checkout's node_modules (offline).
            const app = path.join(tmp, "app");
            fs.mkdirSync(app);
            fs.writeFileSync(path.join(app, "package.json"), JSON.stringify({ name: "consumer", version: "1.0.0", private: true }));
            // npm install of the tarball needs its dependencies' registry metadata, which an offline
            // machine lacks: unpack it where npm would put it; dependencies resolve through NODE_PATH.
            const dest = path.join(app, "node_modules", "cilium-bgp-fabric");
            fs.mkdirSync(dest, { recursive: true });
            execFileSync("tar", ["-xzf", path.join(tmp, tgz), "-C", dest, "--strip-components=1"]);
            const t2 = Date.now();
            fs.writeFileSync(path.join(app, "main.js"), `
const { runUnderMocks } = require(${JSON.stringify(path.join(PROJECT_ROOT, "cli/mock-runtime"))});
const lib = require("cilium-bgp-fabric");
runUnderMocks(() => {
  const pools = new lib.LoadBalancerPools("lb", { ciliumVersion: "1.18.12", pools: [{ name: "p", cidr: "192.0.2.0/26" }] });
  const bgp = new lib.CiliumBgp("bgp", { ciliumVersion: "1.18.12", nodeGroups: [{ nodeSelector: {}, localAsn: 65100, peers: [{ name: "r", address: "10.0.0.1", asn: 65001 }] }] });
  return { pools: pools.poolNames, bgp: bgp.objectNames, from: require.resolve("cilium-bgp-fabric") };
}, { project: "consumer", stack: "t", config: {} }).then((r) => console.log(JSON.stringify({ outputs: r.outputs, types: r.resources.map((x) => x.type) })));
`);
            const out = JSON.parse(execFileSync("node", ["-r", "ts-node/register/transpile-only", "main.js"], {
                cwd: app, encoding: "utf8", // ts-node only for the mock runtime (cli/mock-runtime.ts); the package itself is plain JS.
                env: { ...process.env, NODE_PATH: path.join(PROJECT_ROOT, "node_modules"), TS_NODE_PROJECT: path.join(PROJECT_ROOT, "tsconfig.json") },
            })) as { outputs: { pools: string[]; bgp: string[]; from: string }; types: string[] };
            const t3 = Date.now();
            assert.ok(out.outputs.from.startsWith(path.join(app, "node_modules", "cilium-bgp-fabric", "dist")), out.outputs.from);
            assert.deepEqual(out.outputs.pools, ["p"]);
            assert.deepEqual(out.outputs.bgp, ["CiliumBGPClusterConfig/cilium-bgp", "CiliumBGPPeerConfig/cilium-peer-ebgp", "CiliumBGPAdvertisement/bgp-podcidr", "CiliumBGPAdvertisement/bgp-services"]);
            assert.ok(out.types.includes("cilium-bgp-fabric:bgp:CiliumBgp") && out.types.includes("kubernetes:cilium.io/v2:CiliumLoadBalancerIPPool"));
            console.log(`      build+pack ${t1 - t0} ms, install ${t2 - t1} ms, run ${t3 - t2} ms`);
        } finally {
            fs.rmSync(tmp, { recursive: true, force: true });
        }
    });
});

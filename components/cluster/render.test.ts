import { strict as assert } from "assert";
import { parse } from "yaml";
import { SINGLE_FAMILY_STACKS, loadFixture } from "../../test/support/crd";
import { apiServerEndpoint, clusterCommands, containerNames, renderJoinScript, renderK3dConfig, renderKindConfig, resolveNodeNetworks } from "./index";
import { clusterArgsFromPlan } from "./fromPlan";
import { clusterRenderInput } from "./input";

type Obj = Record<string, unknown>;

describe("cluster renderers", () => {
    for (const stack of SINGLE_FAMILY_STACKS) {
        describe(stack, () => {
            const { config, plan } = loadFixture(stack);

            it("kind: no CNI, no kube-proxy, the family and subnets of the plan", () => {
                const kind = renderKindConfig(config, plan);
                assert.equal(kind.apiVersion, "kind.x-k8s.io/v1alpha4");
                assert.deepEqual(kind.networking, {
                    ipFamily: plan.family, disableDefaultCNI: true, kubeProxyMode: "none", podSubnet: plan.podCidr, serviceSubnet: plan.serviceCidr,
                });
            });

            it("kind: one node per plan node with its role, name, node-ip and rack label", () => {
                const nodes = renderKindConfig(config, plan).nodes as Obj[];
                assert.equal(nodes.length, plan.nodes.length);
                plan.nodes.forEach((n, i) => {
                    assert.equal(nodes[i].role, n.role);
                    const patches = (nodes[i].kubeadmConfigPatches as string[]).map((p) => parse(p) as Obj);
                    assert.equal(patches.length, 1);
                    const reg = patches[0].nodeRegistration as { name: string; kubeletExtraArgs: Record<string, string> };
                    assert.equal(patches[0].kind, i === plan.nodes.findIndex((x) => x.role === "control-plane") ? "InitConfiguration" : "JoinConfiguration");
                    assert.equal(reg.name, n.name);
                    assert.equal(reg.kubeletExtraArgs["node-ip"], n.address);
                    assert.equal(reg.kubeletExtraArgs["node-labels"], n.rack === undefined ? undefined : `rack=${n.rack}`);
                });
            });

            it("k3d: Cilium-ready k3s flags, CIDRs, node names and labels", () => {
                const k3d = renderK3dConfig(config, plan);
                assert.equal(k3d.apiVersion, "k3d.io/v1alpha5");
                assert.equal(k3d.servers, plan.nodes.filter((n) => n.role === "control-plane").length);
                assert.equal(k3d.agents, plan.nodes.filter((n) => n.role === "worker").length);
                const k3s = (k3d.options as { k3s: { extraArgs: { arg: string; nodeFilters: string[] }[]; nodeLabels: { label: string }[] } }).k3s;
                const args = k3s.extraArgs.map((a) => a.arg);
                for (const a of ["--flannel-backend=none", "--disable-network-policy", "--disable=servicelb", "--disable=traefik", "--disable-kube-proxy",
                    `--cluster-cidr=${plan.podCidr}`, `--service-cidr=${plan.serviceCidr}`]) assert.ok(args.includes(a), a);
                for (const n of plan.nodes) assert.ok(args.includes(`--node-name=${n.name}`));
                assert.equal(k3s.nodeLabels.length, plan.nodes.filter((n) => n.rack !== undefined).length);
            });

            it("join script: every node's planned address on its network, default route via its segment's VRRP address or its one router", () => {
                const networks = Object.fromEntries(plan.nodeSubnets.map((s) => [s.name, `fab-${s.name}`]));
                const script = renderJoinScript(config, plan, networks);
                const containers = containerNames(config, plan);
                const v6 = plan.family === "ipv6";
                for (const n of plan.nodes) {
                    const c = containers.get(n.name)!;
                    assert.ok(script.includes(`docker network connect ${v6 ? "--ip6" : "--ip"} ${n.address} 'fab-${n.subnet}' '${c}'`), n.name);
                    // The plan's routers on the node's subnet, read here (not from n.gateways).
                    const routers = plan.routers.filter((r) => plan.nodeSessions.some((x) => x.node === n.name && x.router === r.name))
                        .map((r) => r.interfaces.find((i) => i.network === n.subnet)!.address);
                    const vrrp = plan.vrrpGroups.find((g) => g.segment === n.subnet);
                    assert.equal(vrrp !== undefined, routers.length > 1, `${n.name}: VRRP exactly where several routers serve the segment`);
                    const hops = vrrp ? [vrrp.address] : routers;
                    const route = hops.length === 1 ? `via ${hops[0]}` : hops.map((h) => `nexthop via ${h}`).join(" ");
                    assert.ok(script.includes(`docker exec '${c}' ip ${v6 ? "-6 " : ""}route replace default ${route}\n`), `${n.name}: ${route}`);
                    if (hops.length > 1) {
                        assert.ok(script.includes(`docker exec '${c}' sysctl -w net.${v6 ? "ipv6" : "ipv4"}.fib_multipath_hash_policy=1`), n.name);
                        assert.equal(script.includes(`docker exec '${c}' sysctl -w net.ipv4.fib_multipath_use_neigh=1`), !v6, n.name);
                    }
                }
            });
        });
    }

    it("kind container names and the API server endpoint", () => {
        const { config, plan } = loadFixture("dev");
        assert.deepEqual([...containerNames(config, plan).values()], ["dev-control-plane", "dev-worker", "dev-worker2", "dev-worker3"]);
        assert.deepEqual(apiServerEndpoint(config, plan), { host: "dev-control-plane", port: 6443 });
        const k3d = loadFixture("dev", { patch: (raw) => { (raw.cluster as Obj).provider = "k3d"; } });
        assert.deepEqual([...containerNames(k3d.config, k3d.plan).values()], ["k3d-dev-server-0", "k3d-dev-agent-0", "k3d-dev-agent-1", "k3d-dev-agent-2"]);
    });

    it("network names resolve by suffix, and an ambiguous or missing one is an error", () => {
        const { plan } = loadFixture("dev");
        assert.deepEqual(resolveNodeNetworks(plan, ["x-nodes-rack2", "x-nodes-rack1", "x-link-leaf1-spine1"]), { "nodes-rack1": "x-nodes-rack1", "nodes-rack2": "x-nodes-rack2" });
        assert.deepEqual(resolveNodeNetworks(plan), { "nodes-rack1": "nodes-rack1", "nodes-rack2": "nodes-rack2" });
        assert.throws(() => resolveNodeNetworks(plan, ["x-nodes-rack1"]), /nodes-rack2/);
    });

    it("create/delete/kubeconfig commands per provider", () => {
        const { config, plan } = loadFixture("dev");
        const kind = clusterCommands(config, plan);
        assert.match(kind.create, /kind create cluster --name 'dev' --config "\$f"/);
        assert.equal(kind.delete, "kind delete cluster --name 'dev'");
        assert.equal(kind.kubeconfig, "kind get kubeconfig --name 'dev'");
        assert.deepEqual(parse(kind.configYaml), renderKindConfig(config, plan));
        const k3d = loadFixture("dev", { patch: (raw) => { (raw.cluster as Obj).provider = "k3d"; } });
        assert.match(clusterCommands(k3d.config, k3d.plan).create, /k3d cluster create 'dev' --config "\$f"/);
    });
});

describe("Cluster's Args carry the primary family (what the component renders from)", () => {
    it("a dual stack's cluster.primaryFamily survives clusterArgsFromPlan -> clusterRenderInput, and is refused on one family", () => {
        for (const primary of ["ipv4", "ipv6"]) {
            const { config, plan } = loadFixture("dual", { patch: (raw) => { raw.cluster = { ...(raw.cluster as Obj), primaryFamily: primary }; } });
            const args = clusterArgsFromPlan(config, plan);
            const input = clusterRenderInput(args);
            assert.deepEqual(renderKindConfig(input.config, input.plan).networking, renderKindConfig(config, plan).networking, primary);
        }
        const single = clusterArgsFromPlan(loadFixture("dev").config, loadFixture("dev").plan);
        assert.throws(() => clusterRenderInput({ ...single, primaryFamily: "ipv6" }), /primaryFamily: "ipv6" needs ipFamily dual/);
    });
});

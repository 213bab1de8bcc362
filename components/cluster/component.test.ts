import { strict as assert } from "assert";
import * as pulumi from "@pulumi/pulumi";
import { type RecordedResource, loadFixture, recordingMocks, valueOf } from "../../test/support/crd";
import { Cluster } from "./component";
import { clusterArgsFromPlan } from "./fromPlan";

const KUBECONFIG = "apiVersion: v1\nkind: Config\nclusters: []\n";

describe("Cluster component (mocked)", () => {
    let recorded: RecordedResource[];
    let restore: () => Promise<void>;
    before(async () => { ({ recorded, restore } = await recordingMocks((type) => (type === "command:local:Command" ? { stdout: KUBECONFIG } : {}))); });
    after(() => restore());
    beforeEach(() => { recorded.length = 0; });

    it("kind: create, join and kubeconfig commands, then a provider; kubeconfig is secret", async () => {
        const { config, plan } = loadFixture("dev");
        const cluster = new Cluster("dev", { ...clusterArgsFromPlan(config, plan), nodeNetworkNames: ["fabric-nodes-rack1", "fabric-nodes-rack2"] });
        await Promise.all([cluster.create!, cluster.join!, cluster.kubeconfigCommand!, cluster.provider].map((r) => valueOf(r.urn)));
        assert.equal(await valueOf(cluster.kubeconfig), KUBECONFIG);
        assert.equal(await pulumi.isSecret(cluster.kubeconfig), true);

        const commands = recorded.filter((r) => r.type === "command:local:Command");
        assert.deepEqual(commands.map((c) => c.name).sort(), ["dev-create", "dev-join", "dev-kubeconfig"]);
        const create = commands.find((c) => c.name === "dev-create")!.inputs;
        assert.match(String(create.create), /kind create cluster --name 'dev'/);
        assert.equal(create.delete, "kind delete cluster --name 'dev'");
        assert.equal(create.stdin, cluster.clusterConfig);
        assert.deepEqual(create.triggers, [cluster.clusterConfig]);
        const join = String(commands.find((c) => c.name === "dev-join")!.inputs.create);
        for (const n of plan.nodes) assert.ok(join.includes(n.address) && join.includes(n.gateway));
        assert.ok(join.includes("fabric-nodes-rack2"));
        assert.equal(commands.find((c) => c.name === "dev-kubeconfig")!.inputs.create, "kind get kubeconfig --name 'dev'");
        const providers = recorded.filter((r) => r.type === "pulumi:providers:kubernetes");
        assert.equal(providers.length, 1);
        assert.ok(recorded.some((r) => r.type === "cilium-bgp-fabric:cluster:Cluster"));
    });

    it("existing: no commands, the kubeconfig from the args as a secret", async () => {
        const { config, plan } = loadFixture("ipv6", { patch: (raw) => {
            (raw.cluster as Record<string, unknown>).provider = "existing";
            (raw.cilium as Record<string, unknown>).values = { k8sServiceHost: "api.example" };
        } });
        const cluster = new Cluster("ext", { ...clusterArgsFromPlan(config, plan), kubeconfig: KUBECONFIG });
        await valueOf(cluster.provider.urn);
        assert.equal(recorded.filter((r) => r.type === "command:local:Command").length, 0);
        assert.equal(await pulumi.isSecret(cluster.kubeconfig), true);
        assert.throws(() => new Cluster("ext2", clusterArgsFromPlan(config, plan)), /kubeconfig/);
    });
});

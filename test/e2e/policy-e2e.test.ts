/**
 * Each shipped stack's whole program under the mock runtime, every registered resource fed
 * through the policy pack: zero mandatory violations; then broken variants, one or more per
 * rule, each producing exactly the expected violations.
 */
import { strict as assert } from "assert";
import { readStackConfig } from "../../components/config/stackfile";
import { toPolicyResources } from "../../cli/artifacts";
import type { RecordedResource } from "../../cli/mock-runtime";
import { type OfflineRun, runFabricOffline } from "../../cli/offline";
import { runPolicies } from "../../policy/run";

const runs = new Map<string, OfflineRun>();
async function stackRun(stack: string): Promise<OfflineRun> {
    if (!runs.has(stack)) runs.set(stack, await runFabricOffline(stack, readStackConfig(".", stack), { CBF_BGP_PASSWORD: "e2e-Passw0rd" }));
    return runs.get(stack)!;
}

const clone = (rs: RecordedResource[]): RecordedResource[] => JSON.parse(JSON.stringify(rs)) as RecordedResource[];
type Obj = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any
const find = (rs: RecordedResource[], kind: string): Obj => {
    const r = rs.find((x) => x.type.endsWith(`:${kind}`));
    assert.ok(r, `no ${kind}`);
    return r.inputs as Obj;
};
const mandatory = (rs: RecordedResource[]): string[] =>
    [...new Set(runPolicies(toPolicyResources(rs)).violations.filter((v) => v.enforcementLevel === "mandatory").map((v) => v.policyName))].sort();

describe("policy pack end to end (whole program under mocks)", function () {
    this.timeout(120000);

    for (const stack of ["dev", "ipv6", "ipv6-vyos"]) {
        it(`${stack}: zero mandatory violations, all 14 policies ran`, async () => {
            const run = await stackRun(stack);
            const result = runPolicies(toPolicyResources(run.resources));
            assert.equal(result.policies.length, 14);
            assert.deepEqual(result.violations.filter((v) => v.enforcementLevel === "mandatory"), []);
        });
    }

    interface Broken { name: string; stack: string; mutate: (rs: RecordedResource[]) => void; expect: string[] }
    const broken: Broken[] = [
        // Moving the pool also leaves the Gateway's and the smoke Service's requested addresses outside every pool.
        { name: "LB pool overlapping the pod CIDR", stack: "ipv6", expect: ["lb-pools-within-plan", "lb-requested-addresses-in-pools"],
            mutate: (rs) => { find(rs, "CiliumLoadBalancerIPPool").spec.blocks = [{ cidr: "2001:db8:ae3:c2ff::/64" }]; } },
        { name: "IPv4 enabled in Cilium on an IPv6-only stack", stack: "ipv6", expect: ["ipv6-only-no-ipv4"],
            mutate: (rs) => { find(rs, "Release").values.ipv4 = { enabled: true }; } },
        { name: "Cilium peer outside the node network and loopbacks", stack: "dev", expect: ["bgp-peer-addresses-planned", "bgp-sessions-symmetric"],
            mutate: (rs) => { find(rs, "CiliumBGPClusterConfig").spec.bgpInstances[0].peers[0].peerAddress = "10.9.9.9"; } },
        { name: "public ASN on the cluster side", stack: "ipv6", expect: ["bgp-asns-private", "bgp-sessions-symmetric"],
            mutate: (rs) => { find(rs, "CiliumBGPClusterConfig").spec.bgpInstances[0].localASN = 201911; } },
        { name: "hold time below 3 s", stack: "ipv6", expect: ["bgp-timers-valid"],
            mutate: (rs) => { find(rs, "CiliumBGPPeerConfig").spec.timers = { holdTimeSeconds: 2, keepAliveTimeSeconds: 1 }; } },
        { name: "Service advertisement without a selector", stack: "dev", expect: ["bgp-service-advertisement-selector"],
            mutate: (rs) => {
                const adv = rs.filter((x) => x.type.endsWith(":CiliumBGPAdvertisement")).map((x) => x.inputs as Obj)
                    .find((a) => a.spec.advertisements.some((e: Obj) => e.advertisementType === "Service"))!;
                for (const e of adv.spec.advertisements) delete e.selector;
            } },
        { name: "PeerConfig naming a Secret the stack lacks", stack: "ipv6", expect: ["bgp-auth-secret"],
            mutate: (rs) => { find(rs, "CiliumBGPPeerConfig").spec.authSecretRef = "missing-secret"; } },
        { name: "BGP password in cleartext in a non-secret input", stack: "ipv6", expect: ["bgp-auth-secret"],
            mutate: (rs) => { find(rs, "CiliumBGPAdvertisement").metadata.annotations = { note: "e2e-Passw0rd" }; } },
        { name: "IPv6-only node without a router ID (1.16)", stack: "ipv6-vyos", expect: ["bgp-router-ids"],
            mutate: (rs) => { rs.splice(rs.findIndex((x) => x.type.endsWith(":CiliumBGPNodeConfigOverride")), 1); } },
        { name: "service CIDR larger than Kubernetes allows (and so over the LB pools)", stack: "dev", expect: ["cluster-cidr-sizes", "lb-pools-within-plan"],
            mutate: (rs) => {
                const create = rs.find((x) => x.type === "command:local:Command" && x.name.endsWith("-create"))!;
                create.inputs.stdin = String(create.inputs.stdin).replace("10.96.0.0/16", "10.96.0.0/11");
            } },
        { name: "cluster peer ASN not matching the router", stack: "ipv6", expect: ["bgp-sessions-symmetric"],
            mutate: (rs) => { find(rs, "CiliumBGPClusterConfig").spec.bgpInstances[0].peers[0].peerASN = 65067; } },
        { name: "smoke Service requesting an address outside every LB pool", stack: "dev", expect: ["lb-requested-addresses-in-pools"],
            mutate: (rs) => { find(rs, "Service").metadata.annotations["lbipam.cilium.io/ips"] = "10.200.0.1"; } },
        { name: "smoke Service without the label its pool selects", stack: "dev", expect: ["lb-requested-addresses-in-pools"],
            mutate: (rs) => { delete find(rs, "Service").metadata.labels.pool; } },
        { name: "Gateway requesting an IPv4 address on an IPv6-only stack", stack: "ipv6", expect: ["lb-requested-addresses-in-pools"],
            mutate: (rs) => {
                const spec = find(rs, "Gateway").spec;
                spec.addresses[0].value = "10.100.0.1";
                spec.infrastructure.annotations["lbipam.cilium.io/ips"] = "10.100.0.1";
            } },
        { name: "smoke Service requesting the Gateway's address", stack: "ipv6", expect: ["lb-requested-addresses-in-pools"],
            mutate: (rs) => { find(rs, "Service").metadata.annotations["lbipam.cilium.io/ips"] = find(rs, "Gateway").spec.addresses[0].value; } },
    ];

    for (const b of broken) {
        it(`broken ${b.stack}: ${b.name} -> ${b.expect.join(", ")}`, async () => {
            const rs = clone((await stackRun(b.stack)).resources);
            b.mutate(rs);
            assert.deepEqual(mandatory(rs), [...b.expect].sort());
        });
    }

    it("keepalive above a third of hold is advisory only", async () => {
        const rs = clone((await stackRun("ipv6")).resources);
        find(rs, "CiliumBGPPeerConfig").spec.timers = { holdTimeSeconds: 9, keepAliveTimeSeconds: 6, connectRetryTimeSeconds: 5 };
        const v = runPolicies(toPolicyResources(rs)).violations;
        // The shipped ipv6 stack also sets pod-CIDR localPreference 99 towards its eBGP ToRs, where GoBGP strips it (rule 12).
        assert.deepEqual(v.map((x) => `${x.enforcementLevel} ${x.policyName}`).sort(), ["advisory bgp-keepalive-third-of-hold", "advisory bgp-local-preference-ebgp", "advisory bgp-local-preference-ebgp"]);
    });
});

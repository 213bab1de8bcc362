import { strict as assert } from "assert";
import { ALL_LINES, STACKS, crdValidatorFor, loadFixture } from "../../test/support/crd";
import { renderLbPools } from "./render";

describe("LB IPAM pools", () => {
    for (const stack of STACKS) {
        for (const line of ALL_LINES) {
            it(`${stack} on ${line}: one pool per planned pool, apiVersion of the line, valid against its CRD`, () => {
                const { config, plan } = loadFixture(stack, { line });
                const pools = renderLbPools(config, plan);
                assert.deepEqual(pools.map((p) => p.metadata.name), plan.lbPools.map((p) => p.name));
                const minor = Number(line.split(".")[1]);
                for (const p of pools) {
                    assert.equal(p.kind, "CiliumLoadBalancerIPPool");
                    assert.equal(p.apiVersion, minor >= 18 ? "cilium.io/v2" : "cilium.io/v2alpha1");
                    assert.equal(p.metadata.namespace, undefined);
                    assert.deepEqual(crdValidatorFor(line).validate(p), []);
                }
            });
        }
    }

    it("dev: blocks from the plan; a service selector only where configured", () => {
        const { config, plan } = loadFixture("dev");
        const [def, smoke] = renderLbPools(config, plan);
        assert.deepEqual(def.spec, { blocks: [{ cidr: "10.100.0.0/24" }] });
        assert.deepEqual(smoke.spec, { blocks: [{ cidr: "10.100.1.0/27" }], serviceSelector: { matchLabels: { pool: "smoke" } } });
    });

    it("a v2 pool is refused on 1.17; 1.18 still serves v2alpha1 pools (not marked deprecated), 1.18+ renders v2", () => {
        const { config, plan } = loadFixture("dev", { line: "1.18" });
        const pool = renderLbPools(config, plan)[0];
        assert.ok(crdValidatorFor("1.17").validate(pool).some((e) => e.includes("not served")));
        assert.deepEqual(crdValidatorFor("1.18").validate({ ...pool, apiVersion: "cilium.io/v2alpha1" }), []);
        assert.ok(crdValidatorFor("1.18").validate({ ...pool, apiVersion: "cilium.io/v1" }).some((e) => e.includes("not served")));
    });
});

/**
 * Why the Gateway needs Cilium 1.17 (GATEWAY_API_MIN_LINE), checked in the reference CRDs: Cilium
 * 1.16 builds against Gateway API v1.1.0, whose standard Gateway declares spec.addresses (which
 * Cilium 1.16 ignores, cilium/cilium#32865) but no spec.infrastructure; v1.2.1 (Cilium 1.17) has both.
 */
import { strict as assert } from "assert";
import * as fs from "fs";
import { parseAllDocuments } from "yaml";
import { gatewayApiCrdFiles } from "../../test/support/gateway-api";
import { loadFixture } from "../../test/support/crd";

type Obj = Record<string, unknown>;
function gatewaySpecFields(release: string): string[] {
    const file = gatewayApiCrdFiles(release).find((f) => f.endsWith("gateway.networking.k8s.io_gateways.yaml"));
    assert.ok(file, `no Gateway CRD for ${release}`);
    const crd = parseAllDocuments(fs.readFileSync(file, "utf8"))[0].toJS() as { spec: { versions: { name: string; schema: { openAPIV3Schema: Obj } }[] } };
    const v1 = crd.spec.versions.find((v) => v.name === "v1");
    const spec = ((v1?.schema.openAPIV3Schema.properties as Obj).spec as Obj).properties as Obj;
    return Object.keys(spec).sort();
}

describe("Gateway API on Cilium 1.16 (GATEWAY_API_MIN_LINE 1.17)", () => {
    it("v1.1.0's standard Gateway has spec.addresses but no spec.infrastructure; v1.2.1's has both", () => {
        const v11 = gatewaySpecFields("v1.1.0");
        assert.ok(v11.includes("addresses"));
        assert.ok(!v11.includes("infrastructure"));
        const v12 = gatewaySpecFields("v1.2.1");
        assert.ok(v12.includes("addresses") && v12.includes("infrastructure"));
    });
    it("the loader refuses gatewayApi on 1.16 with that reason, and accepts it on 1.17", () => {
        const on = (raw: Obj): void => { raw.gatewayApi = { ...(raw.gatewayApi as Obj), enabled: true }; };
        assert.throws(() => loadFixture("ipv6", { line: "1.16", patch: on }),
            /gatewayApi\.enabled = true: needs Cilium 1\.17 or later .*Gateway API v1\.1\.0.*spec\.addresses is ignored by Cilium before 1\.17 \(cilium\/cilium#32865\) and it has no spec\.infrastructure/);
        assert.doesNotThrow(() => loadFixture("ipv6", { line: "1.17", patch: on }));
    });
});

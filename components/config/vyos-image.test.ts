import { strict as assert } from "assert";
import { imageTag, vyosImageProblem, vyosLineOfTag } from "./vyos-image";
import { loadFixture } from "../../test/support/crd";

describe("VyOS image tag vs the rendered syntax (1.4+)", () => {
    it("reads the tag of any image reference (registry port, digest)", () => {
        assert.equal(imageTag("vyos/vyos:1.2.8"), "1.2.8");
        assert.equal(imageTag("registry.local:5000/net/vyos:1.3.7@sha256:" + "a".repeat(64)), "1.3.7");
        assert.equal(imageTag("registry.local:5000/net/vyos"), undefined);
        assert.equal(imageTag("vyos@sha256:" + "b".repeat(64)), undefined);
    });
    it("parses release, rolling, stream and codename tags", () => {
        const cases: [string, [number, number] | undefined][] = [
            ["1.2.8", [1, 2]], ["1.3.x", [1, 3]], ["v1.3.7", [1, 3]], ["1.3-rolling-202201010000", [1, 3]],
            ["1.4-rolling-202401010000", [1, 4]], ["1.4.0", [1, 4]], ["1.5-stream-2025-Q1", [1, 5]], ["1.10.0", [1, 10]],
            ["equuleus", [1, 3]], ["crux", [1, 2]], ["sagitta", [1, 4]], ["circinus-202501", [1, 5]],
            ["rolling", undefined], ["latest", undefined], ["current", undefined], ["1", undefined], ["11.3", [11, 3]], ["build-1.2", undefined],
        ];
        for (const [tag, line] of cases) assert.deepEqual(vyosLineOfTag(tag), line, tag);
    });
    it("refuses VyOS before 1.4 with the reason, passes 1.4+, makes no claim for unknown tags", () => {
        assert.match(vyosImageProblem("vyos/vyos:1.2.8") ?? "", /^is VyOS 1\.2 \(tag 1\.2\.8\), older than 1\.4: .*system-as/);
        assert.match(vyosImageProblem("vyos/vyos:1.3.8") ?? "", /VyOS 1\.3/);
        for (const ok of ["vyos/vyos:1.4-rolling-202401010000", "local/vyos:1.5", "local/vyos:rolling", "local/vyos", "local/vyos:my-build"]) {
            assert.equal(vyosImageProblem(ok), undefined, ok);
        }
    });
    it("the loader names the router's image key (exit 2 path), for VyOS routers only", () => {
        assert.throws(() => loadFixture("ipv6-vyos", { patch: (raw) => { (raw.routers as Record<string, unknown>[])[0].image = "vyos/vyos:1.2.8"; } }),
            /routers\[0\]\.image = "vyos\/vyos:1\.2\.8": is VyOS 1\.2/);
        // An FRR router's image is not VyOS syntax: no claim.
        assert.doesNotThrow(() => loadFixture("dev", { patch: (raw) => { (raw.routers as Record<string, unknown>[])[0].image = "example/router:1.2.8"; } }));
    });
});

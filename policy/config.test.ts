/** The pack config the offline plan derives from a stack, and how a --policy-config file is laid over it. */
import { strict as assert } from "assert";
import { mergePackConfig, packConfigFor, packConfigProblems, SETTING_POLICIES } from "./config";
import { policies } from "./rules";

describe("policy pack config for a stack", () => {
    const stack = packConfigFor({ aggregates: ["2a0e:97c0:ae3::/48"], allowedPublicAsns: [201911], ipFamily: "ipv6" });

    it("gives each setting to exactly the policies whose configSchema declares it", () => {
        for (const [setting, names] of Object.entries(SETTING_POLICIES)) {
            const declaring = policies.filter((p) => p.configSchema?.properties?.[setting] !== undefined).map((p) => p.name).sort();
            assert.deepEqual([...names].sort(), declaring, setting);
        }
        assert.deepEqual(stack["bgp-asns-private"], { allowedPublicAsns: [201911] });
        assert.deepEqual(stack["lb-pools-within-plan"], { aggregates: ["2a0e:97c0:ae3::/48"] });
        assert.deepEqual(stack["bgp-router-ids"], { ipFamily: "ipv6" });
    });

    const merges: [string, Parameters<typeof mergePackConfig>[1], Record<string, unknown>][] = [
        ["a level string keeps the settings", { "bgp-asns-private": "advisory" }, { enforcementLevel: "advisory", allowedPublicAsns: [201911] }],
        ["settings override key by key", { "bgp-asns-private": { allowedPublicAsns: [] } }, { allowedPublicAsns: [] }],
        ["a level inside an object", { "bgp-asns-private": { enforcementLevel: "disabled" } }, { enforcementLevel: "disabled", allowedPublicAsns: [201911] }],
    ];
    for (const [what, over, want] of merges) {
        it(what, () => assert.deepEqual(mergePackConfig(stack, over)["bgp-asns-private"], want));
    }
    it("a policy the stack says nothing about takes the file's entry as it is", () => {
        assert.equal(mergePackConfig(stack, { "bgp-keepalive-third-of-hold": "mandatory", all: "advisory" })["bgp-keepalive-third-of-hold"], "mandatory");
    });

    const names = policies.map((p) => p.name);
    const bad: [unknown, RegExp][] = [
        [[], /JSON object/], [null, /JSON object/], ["x", /JSON object/],
        [{ nope: "advisory" }, /nope: not a policy/], [{ all: "loud" }, /all = "loud": not an enforcement level/],
        [{ "bgp-asns-private": 1 }, /must be an enforcement level or an object/],
        [{ "bgp-asns-private": { enforcementLevel: "x" } }, /enforcementLevel = "x"/],
    ];
    for (const [v, want] of bad) it(`refuses ${JSON.stringify(v)}`, () => assert.match(packConfigProblems(v, names).join("; "), want));
    it("accepts the shipped example", () => {
        // eslint-disable-next-line @typescript-eslint/no-require-imports
        assert.deepEqual(packConfigProblems(require("./config.example.json"), names), []);
    });
});

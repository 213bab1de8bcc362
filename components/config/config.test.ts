import { strict as assert } from "assert";
import { loadStack, rawConfigOfStack } from "./index";
import { readStackConfig } from "./stackfile";

describe("shipped stacks", () => {
    for (const stack of ["dev", "ipv6", "ipv6-vyos"]) {
        it(`${stack} validates and plans`, () => {
            const sc = readStackConfig(".", stack);
            const { plan } = loadStack(stack, rawConfigOfStack(sc), "pw");
            assert.ok(plan.nodes.length > 0);
        });
    }
});

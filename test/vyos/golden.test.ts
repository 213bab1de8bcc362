import { strict as assert } from "assert";
import * as fs from "fs";
import { loadStack } from "../../components/config/index";
import { familiesOf, routerIntent } from "../../components/routers/model";
import { renderFrrConfig } from "../../components/routers/frr";
import { PROJECT_ROOT, TEST_PASSWORD, loadVariant, rawStack, vtyshAvailable, vtyshDryrun } from "../../components/routers/testing";
import { renderVyosCommands, renderVyosConfigBoot } from "../../components/routers/vyos";
import { parseDaemonsFile } from "../../lab/netns";
import { STUB_MARK, vyosFrrFiles, vyosFrrFilesAll } from "../../lab/vyos/frr";
import { frrStatements } from "./frrdiff";
import { compareWithFrrFlavour, explainedDifferences } from "./golden";

/** Every shipped stack with a VyOS router, and the test variant that switches the spine-leaf stack to VyOS. */
function vyosStacks(): { name: string; load: () => ReturnType<typeof loadVariant> }[] {
    const shipped = fs.readdirSync(PROJECT_ROOT).map((f) => /^Pulumi\.(.+)\.yaml$/.exec(f)?.[1]).filter((s): s is string => !!s).sort()
        .map((name) => ({ name, load: () => loadStack(name, rawStack(name), TEST_PASSWORD) }))
        .filter((s) => s.load().plan.routers.some((r) => r.flavour === "vyos"));
    // ipFamily dual: a ToR pair (VRRP in both families) and spine-leaf, each family's sessions on their own.
    const variants = ["ipv4-leaf-vyos", "dual-vyos", "dual-leaf-vyos"];
    return [...shipped, ...variants.map((v) => ({ name: `${v} (variant)`, load: () => loadVariant(v) }))];
}

const STACKS = vyosStacks();

describe("VyOS routers' FRR: golden comparison with the FRR flavour of the same plan", () => {
    it("covers the shipped VyOS stack", () => {
        assert.ok(STACKS.some((s) => s.name === "ipv6-vyos"), STACKS.map((s) => s.name).join(", "));
    });

    for (const s of STACKS) {
        describe(s.name, () => {
            const { config, plan } = s.load();
            const routers = plan.routers.filter((r) => r.flavour === "vyos");
            // One render.py run for the stack's routers.
            const all = vyosFrrFilesAll(routers.map((router) => ({ configBoot: renderVyosConfigBoot(renderVyosCommands({ config, plan, router, password: TEST_PASSWORD })) })));
            for (const [k, router] of routers.entries()) {
                const input = { config, plan, router, password: TEST_PASSWORD };
                const files = all[k];
                const frr = renderFrrConfig({ ...input, router: { ...router, flavour: "frr" } });
                const intent = routerIntent(input);

                it(`${router.name}: every difference is explained, every explanation applies`, () => {
                    const r = compareWithFrrFlavour(files.vyosFrr, frr, explainedDifferences(intent));
                    assert.deepEqual(r, { unexplained: [], unused: [] });
                });

                it(`${router.name}: the lab's stub holds exactly what VyOS does outside FRR (host name, loopback)`, () => {
                    assert.ok(files.frrConf.includes(STUB_MARK));
                    const loopbacks = familiesOf(intent).map((f) => `interface lo / ${f.family === "ipv4" ? "ip" : "ipv6"} address ${f.loopbackPrefix}`);
                    assert.deepEqual(frrStatements(files.stub), [`hostname ${router.name}`, "interface lo", ...loopbacks]);
                });

                it(`${router.name}: FRR's profile and daemons come from VyOS's daemons file`, () => {
                    const daemons = parseDaemonsFile(files.daemons, () => true);
                    const names = daemons.map((d) => d.daemon);
                    for (const d of ["zebra", "staticd", "bgpd", "bfdd"]) assert.ok(names.includes(d), names.join(" "));
                    assert.ok(!names.includes("pimd") && !names.includes("vrrpd"), names.join(" "));
                    assert.deepEqual(daemons.find((d) => d.daemon === "bgpd")?.options.slice(0, 2), ["-F", "traditional"]);
                    assert.ok(daemons.find((d) => d.daemon === "bgpd")?.options.includes("rpki"));
                });

                it(`${router.name}: FRR's own parser accepts the generated frr.conf (vtysh --dryrun)`, function () {
                    if (!vtyshAvailable()) {
                        if (process.env.CI) throw new Error("vtysh is not installed but CI is set: install the Debian 'frr' package");
                        this.skip();
                    }
                    const r = vtyshDryrun(files.frrConf);
                    assert.ok(r.ok, r.output);
                });

                it(`${router.name}: \`no bgp default ipv4-unicast\` comes before the first neighbor (VyOS T3463), in both renderings`, () => {
                    for (const text of [files.vyosFrr, frr]) {
                        const lines = text.split("\n");
                        const noDefault = lines.findIndex((l) => l.trim() === "no bgp default ipv4-unicast");
                        const firstNeighbor = lines.findIndex((l) => /^ neighbor /.test(l));
                        assert.ok(noDefault >= 0 && noDefault < firstNeighbor, text);
                    }
                });
            }
        });
    }

    describe("the comparison can fail", () => {
        const { config, plan } = loadVariant("ipv6-vyos");
        const router = plan.routers[0];
        const input = { config, plan, router, password: TEST_PASSWORD };
        const files = vyosFrrFiles(renderVyosConfigBoot(renderVyosCommands(input)));
        const frr = renderFrrConfig({ ...input, router: { ...router, flavour: "frr" } });
        const explained = explainedDifferences(routerIntent(input));

        it("a changed line in VyOS's rendering is unexplained", () => {
            const changed = files.vyosFrr.replace(/maximum-paths (\d+)/, (_m, n: string) => `maximum-paths ${Number(n) + 1}`);
            assert.notEqual(changed, files.vyosFrr);
            const r = compareWithFrrFlavour(changed, frr, explained);
            assert.ok(r.unexplained.some((u) => /^vyos: .*maximum-paths/.test(u)), JSON.stringify(r));
            assert.ok(r.unexplained.some((u) => /^frr: .*maximum-paths/.test(u)), JSON.stringify(r));
        });

        it("a missing line is unexplained, a difference that went away leaves its explanation unused", () => {
            const dropped = files.vyosFrr.split("\n").filter((l) => !/^\s*network /.test(l)).join("\n");
            assert.ok(compareWithFrrFlavour(dropped, frr, explained).unexplained.some((u) => /^frr: .*network /.test(u)));
            const noGr = files.vyosFrr.split("\n").filter((l) => !/graceful-restart/.test(l)).join("\n");
            assert.ok(compareWithFrrFlavour(noGr, frr, explained).unused.some((u) => /graceful-restart/.test(u)));
        });
    });
});

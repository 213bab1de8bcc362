import * as assert from "node:assert/strict";
import * as path from "path";
import type { OfflineRun } from "../../cli/offline";
import { recordedRouterUploads } from "../../cli/artifacts";
import { renderFrrDaemons } from "../../components/routers/frr";
import { parseDaemonsFile } from "../netns";
import { loadLabRun } from "../run";
import { buildLabModel } from "../topology";
import { STUB_MARK, vyosFrrFiles } from "./frr";

const ROOT = path.resolve(__dirname, "../..");
const ENV = { CBF_BGP_PASSWORD: "vyos-lab-test-password" };

describe("VyOS routers in the namespace lab's topology", () => {
    let run: OfflineRun;
    before(async () => { run = await loadLabRun(ROOT, "ipv6-vyos", ENV); });

    it("run from the FRR files generated from exactly the config.boot the program uploads", () => {
        const { topology } = buildLabModel(run, { vyosAsFrr: true });
        assert.deepEqual(topology.skipped, []);
        assert.deepEqual(topology.routers.map((r) => r.name), run.plan.routers.map((r) => r.name));
        const uploads = recordedRouterUploads(run.resources);
        for (const r of topology.routers) {
            const boot = (uploads.get(r.name) ?? []).find((f) => f.file.endsWith("/config.boot"))!;
            assert.deepEqual(r.files.map((f) => f.file), ["/etc/frr/frr.conf", "/etc/frr/daemons", "/etc/frr/vtysh.conf"]);
            const conf = r.files[0].content;
            assert.equal(conf, vyosFrrFiles(boot.content).frrConf);
            assert.ok(conf.includes(`password ${ENV.CBF_BGP_PASSWORD}`) && conf.includes(STUB_MARK));
        }
    });

    it("nodes get their default route through the VyOS routers that now run", () => {
        const { topology } = buildLabModel(run, { vyosAsFrr: true });
        const addresses = new Set([...run.plan.routers.flatMap((r) => r.interfaces.map((i) => i.address)), ...run.plan.vrrpGroups.map((g) => g.address)]);
        for (const n of topology.nodes) {
            const planned = run.plan.nodes.find((x) => x.name === n.name)!;
            const hops = (n.defaultRoute?.ipArgs ?? []).filter((_a, i, all) => all[i - 1] === "via");
            assert.ok(hops.length > 0 && hops.every((h) => addresses.has(h)), `${n.name}: ${hops}`);
            assert.deepEqual(hops, planned.gateways, n.name);
        }
    });

    it("the Docker engine (no VyOS image) still skips them", () => {
        const { topology } = buildLabModel(run);
        assert.deepEqual(topology.routers, []);
        assert.ok(topology.skipped.every((s) => /VyOS/.test(s.reason)));
    });

    it("daemons files are read as frrcommon.sh reads them: zebra and staticd always, -F <profile>, missing binaries skipped", () => {
        assert.deepEqual(parseDaemonsFile(renderFrrDaemons()).map((d) => [d.daemon, d.options.slice(0, 2)]),
            [["zebra", ["-F", "traditional"]], ["staticd", ["-F", "traditional"]], ["bgpd", ["-F", "traditional"]]]);
        const vyos = vyosFrrFiles(recordedRouterUploads(run.resources).get("r01")!.find((f) => f.file.endsWith("/config.boot"))!.content).daemons;
        assert.match(vyos, /^#zebra=yes$/m);
        const names = parseDaemonsFile(vyos, (d) => d !== "pim6d").map((d) => d.daemon);
        assert.deepEqual(names.slice(0, 3), ["zebra", "staticd", "bgpd"]);
        assert.deepEqual(names.slice(3).sort(), ["babeld", "bfdd", "fabricd", "isisd", "ldpd", "ospf6d", "ospfd", "ripd", "ripngd"]);
    });
});

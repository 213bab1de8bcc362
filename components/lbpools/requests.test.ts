import { strict as assert } from "assert";
import { loadFixture } from "../../test/support/crd";
import { containsAddress, parseAddress, parsePrefix, type Prefix } from "../plan/addr";
import { selectorMatches } from "../bgp/selectors";
import { labelsSatisfying, lbRequests, usableRange } from "./requests";
import { urlHost } from "../shell";

type Obj = Record<string, unknown>;
const prefixOf = (cidr: string): Prefix => parsePrefix(cidr) as Prefix;
const valueOf = (address: string): bigint => (parseAddress(address) as { value: bigint }).value;

describe("requested LoadBalancer addresses", () => {
    it("ipv6 (both in lb-pool): the gateway takes the pool's first usable address, the smoke Service the next", () => {
        const { config, plan } = loadFixture("ipv6");
        const r = lbRequests(config, plan);
        const pool = prefixOf(plan.lbPools.find((p) => p.name === config.gatewayApi.lbPool)!.cidr);
        assert.equal(valueOf(r.gateway!.address), pool.base + 1n);
        assert.equal(valueOf(r.smoke!.address), pool.base + 2n);
        assert.equal(r.gateway!.family, "ipv6");
        assert.equal(r.gateway!.pool.name, "lb-pool");
    });

    it("dev: the smoke Service's address lies in the smoke pool, labelled so that the pool selects it", () => {
        const { config, plan } = loadFixture("dev");
        const r = lbRequests(config, plan);
        assert.equal(r.gateway, undefined);
        const pool = plan.lbPools.find((p) => p.name === "smoke")!;
        const a = parseAddress(r.smoke!.address) as { family: "ipv4"; value: bigint };
        assert.ok(containsAddress(prefixOf(pool.cidr), a.family, a.value));
        assert.ok(pool.serviceSelector && selectorMatches(pool.serviceSelector, r.smoke!.labels));
        assert.equal(r.smoke!.labels.app, config.smoke.name);
    });

    it("an explicit gateway address is kept, and the smoke default skips it", () => {
        const { config, plan } = loadFixture("ipv6", { patch: (raw) => { (raw.gatewayApi as Obj).address = "2001:db8:ae3:c401:0:0:0:1"; } });
        const r = lbRequests(config, plan);
        assert.equal(r.gateway!.address, "2001:db8:ae3:c401::1", "RFC 5952 text");
        assert.equal(r.smoke!.address, "2001:db8:ae3:c401::2");
    });

    it("requests in different pools both start at their pool's first usable address (IPv4: not the network address)", () => {
        const { config, plan } = loadFixture("dev", { patch: (raw) => { raw.gatewayApi = { enabled: true, lbPool: "default" }; } });
        const r = lbRequests(config, plan);
        for (const req of [r.gateway!, r.smoke!]) assert.equal(valueOf(req.address), prefixOf(req.pool.cidr).base + 1n, req.owner);
        assert.notEqual(r.gateway!.pool.name, r.smoke!.pool.name);
    });

    it("usable ranges: network (and IPv4 broadcast) skipped, except in /31, /32, /127 and /128 blocks", () => {
        const range = (cidr: string): [bigint, bigint] => { const p = prefixOf(cidr); const u = usableRange(p); return [u.first - p.base, u.last - p.base]; };
        assert.deepEqual(range("10.0.0.0/24"), [1n, 254n]);
        assert.deepEqual(range("10.0.0.0/31"), [0n, 1n]);
        assert.deepEqual(range("10.0.0.1/32"), [0n, 0n]);
        assert.deepEqual(range("2001:db8::/126"), [1n, 3n]);
        assert.deepEqual(range("2001:db8::/127"), [0n, 1n]);
        assert.deepEqual(range("2001:db8::1/128"), [0n, 0n]);
    });

    it("labelsSatisfying: matchLabels copied, In takes a value, Exists gets one; conflicts reported", () => {
        const ok = labelsSatisfying([
            { matchLabels: { pool: "smoke" } },
            { matchExpressions: [{ key: "tier", operator: "In", values: ["edge", "core"] }, { key: "public", operator: "Exists" }, { key: "x", operator: "NotIn", values: ["y"] }] },
        ], { app: "echo" });
        assert.deepEqual(ok.conflicts, []);
        assert.deepEqual(ok.labels, { app: "echo", pool: "smoke", public: "true", tier: "edge" });
        assert.equal(labelsSatisfying([{ matchLabels: { pool: "a" } }, { matchLabels: { pool: "b" } }]).conflicts.length, 1);
        assert.equal(labelsSatisfying([{ matchLabels: { app: "other" } }], { app: "echo" }).conflicts.length, 1);
        assert.equal(labelsSatisfying([{ matchExpressions: [{ key: "app", operator: "DoesNotExist" }] }], { app: "echo" }).conflicts.length, 1);
    });

    it("without a problems list, a bad request throws (renderers never see an unchecked configuration)", () => {
        const { config, plan } = loadFixture("ipv6");
        assert.throws(() => lbRequests({ ...config, smoke: { ...config.smoke, address: "10.0.0.1" } }, plan), /smoke.address/);
    });

    it("urlHost brackets IPv6 only", () => {
        assert.equal(urlHost("10.1.2.3", 80), "10.1.2.3:80");
        assert.equal(urlHost("2001:db8::1", 8080), "[2001:db8::1]:8080");
    });
});

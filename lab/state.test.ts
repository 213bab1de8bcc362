import * as assert from "node:assert/strict";
import * as fs from "fs";
import * as path from "path";
import { ipv4Addresses, parseFrrPrefixCommunities, parseFrrRoutes, parseFrrSummary, parseGobgpNeighbors } from "./state";

// Real daemon output captured from a dev-stack lab run with spine1 stopped (FRR 8.4, GoBGP 3.10).
const fixture = (name: string): string => fs.readFileSync(path.join(__dirname, "fixtures", name), "utf8");

describe("lab state parsers (real FRR / GoBGP / iproute2 output)", () => {
    it("FRR summary: one state per peer", () => {
        const s = parseFrrSummary(fixture("frr-summary-leaf2-spine1-stopped.json"));
        assert.deepEqual(Object.fromEntries(s.map((x) => [x.peer, x.state])),
            { "10.0.2.35": "Established", "10.0.2.36": "Established", "10.0.251.10": "Established", "10.0.251.2": "Active" });
    });

    it("FRR routes: selected next hops, graceful-restart stale paths apart", () => {
        const raw = JSON.parse(fixture("frr-routes-leaf2-spine1-stopped.json")) as { routes: Record<string, unknown[]> };
        const r = parseFrrRoutes(fixture("frr-routes-leaf2-spine1-stopped.json"), "ipv4");
        // Captured as FRR removed the stale path via the stopped spine: only the live multipath remains.
        assert.deepEqual(r["10.1.1.0/24"], { nextHops: ["10.0.251.10"], staleNextHops: [], communities: [] });
        // While graceful restart holds it, the same path is valid and stale (as `show bgp` prints it).
        const held = JSON.parse(fixture("frr-routes-leaf2-spine1-stopped.json")) as { routes: Record<string, Record<string, unknown>[]> };
        for (const p of held.routes["10.1.1.0/24"]) if (p.stale) { p.valid = true; delete p.removed; }
        assert.deepEqual(parseFrrRoutes(JSON.stringify(held), "ipv4")["10.1.1.0/24"], { nextHops: ["10.0.251.10"], staleNextHops: ["10.0.251.2"], communities: [] });
        // Paths neither best nor multipath are not next hops.
        assert.deepEqual(r["10.100.0.254/32"].nextHops, ["10.0.2.35", "10.0.2.36"]);
        assert.deepEqual(r["10.100.1.1/32"].nextHops, ["10.0.2.35"]);
        // Locally originated routes have no next-hop address.
        assert.deepEqual(r["10.0.255.12/32"].nextHops, []);
        // A prefix whose only selected path is being removed (spine1's loopback) is not held.
        assert.equal(r["10.0.255.1/32"], undefined);
        assert.ok(Object.keys(r).every((p) => p in raw.routes));
    });

    it("FRR prefix view: communities of the selected paths", () => {
        assert.deepEqual(parseFrrPrefixCommunities(fixture("frr-prefix-leaf2.json")), ["65010:100"]);
    });

    it("GoBGP neighbors: numeric session state mapped to Established", () => {
        assert.deepEqual(parseGobgpNeighbors(fixture("gobgp-neighbors-worker-3.json")), [{ peer: "10.0.2.12", state: "Established" }]);
        assert.deepEqual(parseGobgpNeighbors('[{"conf":{"neighbor_address":"2001:db8::1"},"state":{"session_state":3}}]'), [{ peer: "2001:db8::1", state: "active" }]);
    });

    it("ip -j addr: IPv4 addresses off loopback", () => {
        assert.deepEqual(ipv4Addresses(fixture("ip-addr-worker-3.json")), [{ iface: "eth0", address: "10.0.2.35/24" }]);
    });

    it("half-written output while a daemon starts is an error the caller can catch", () => {
        assert.throws(() => parseFrrSummary("{\"ipv4Unicast\": {"));
        assert.deepEqual(parseFrrSummary(""), []);
    });
});

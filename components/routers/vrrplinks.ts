/**
 * The system side of FRR's VRRP: vrrpd creates no interfaces. FRR doc/user/vrrp.rst ("System
 * Configuration") requires, per virtual router, a macvlan device on the VRRP interface in mode
 * `bridge` (a backup must still receive the master's advertisements), with the virtual MAC
 * 00:00:5e:00:01:<VRID> (IPv4) or 00:00:5e:00:02:<VRID> (IPv6), carrying the virtual address, and
 * `addrgenmode random` (IPv6 advertisements leave from the macvlan's link-local address, which must
 * differ between routers). vrrpd finds it by parent and MAC (vrrpd/vrrp.c vrrp_attach_interface),
 * and sets it protodown while backup. A dual stack's VRID carries both families, each on its own
 * macvlan (vrrp4-... and vrrp6-...: the doc's "IPv4 and IPv6 addresses must be assigned to
 * different macvlan devices, because they have different MAC addresses"). Pure: the router container runs this before FRR (spec.ts), and
 * the namespace lab runs the same lines in the router's namespace.
 */
import type { VrrpIntent } from "./model";

/** The container's start script: it runs these lines, then the image's own start (FRR's docker-start). */
export const FRR_START_SCRIPT = "/etc/frr/cbf-start.sh";
/** The upstream image's CMD (FRR docker/alpine/Dockerfile), which the script hands over to. */
export const FRR_DOCKER_START = "/usr/lib/frr/docker-start";

/** The virtual MAC of RFC 5798 section 7.3: 00-00-5E-00-01-{VRID} (IPv4), 00-00-5E-00-02-{VRID} (IPv6). */
export function vrrpMac(family: VrrpIntent["family"], vrid: number): string {
    return `00:00:5e:00:${family === "ipv4" ? "01" : "02"}:${vrid.toString(16).padStart(2, "0")}`;
}

/** The macvlan's name, as FRR's documentation names them (`vrrp4-<if>-<vrid>`); at most 15 characters. */
export const vrrpDeviceName = (v: VrrpIntent): string => `vrrp${v.family === "ipv4" ? "4" : "6"}-${v.interface}-${v.vrid}`;

/**
 * Shell lines (POSIX sh, iproute2) that: find the interface holding the router's own segment
 * address and name it as the configuration does (Docker does not promise eth0/eth1 order; renaming
 * needs the link down, and IPv6 keeps its addresses then only with keep_addr_on_down, a container
 * sysctl), then (re)create the macvlan with the virtual address as a host address, so that the
 * segment's connected route stays on the parent while the macvlan is protodown.
 */
export function vrrpLinkCommands(groups: VrrpIntent[]): string[] {
    const out: string[] = [];
    for (const v of groups) {
        const six = v.family === "ipv6";
        const dev = vrrpDeviceName(v);
        const host = six ? 128 : 32;
        out.push(
            `dev=$(ip -o ${six ? "-6" : "-4"} addr show to ${v.routerAddress}/${host} | awk '{print $2; exit}')`,
            `[ -n "$dev" ] || { echo "vrrp: no interface holds ${v.routerAddress}" >&2; exit 1; }`,
            `if [ "$dev" != ${v.interface} ]; then ip link set dev "$dev" down; ip link set dev "$dev" name ${v.interface}; ip link set dev ${v.interface} up; fi`,
            `ip link del ${dev} 2>/dev/null || true`,
            // FRR's doc passes addrgenmode to `ip link add`; Linux 6.x refuses that (EAFNOSUPPORT: no
            // IPv6 state yet), so it is set right after, before the device comes up.
            `ip link add ${dev} link ${v.interface} type macvlan mode bridge`,
            `ip link set dev ${dev} addrgenmode random`,
            `ip link set dev ${dev} address ${vrrpMac(v.family, v.vrid)}`,
            `ip ${six ? "-6 " : ""}addr add ${v.address}/${host} dev ${dev}${six ? " nodad" : ""}`,
            `ip link set dev ${dev} up`,
        );
    }
    return out;
}

/** The start script: the VRRP devices (none outside a VRRP group), then the image's start command in its place. */
export function renderFrrStartScript(groups: VrrpIntent[]): string {
    return ["#!/bin/sh", "# Rendered by cilium-bgp-fabric: the macvlan devices FRR's vrrpd needs (if any), then FRR.", "set -e",
        ...vrrpLinkCommands(groups), `exec ${FRR_DOCKER_START} "$@"`, ""].join("\n");
}

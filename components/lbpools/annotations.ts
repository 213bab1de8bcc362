/** LB IPAM annotations on Services (Cilium reads them to allocate a requested address). */
import { lineMinor } from "../cilium/api";

/** Cilium 1.16 moved the LB IPAM annotations to the lbipam.cilium.io prefix (io.cilium/ is deprecated). */
export const LBIPAM_IPS_ANNOTATION = "lbipam.cilium.io/ips";
export const LEGACY_LBIPAM_IPS_ANNOTATION = "io.cilium/lb-ipam-ips";

/** The annotation a Service requests its LoadBalancer address(es) with, on this Cilium line. */
export const lbIpamIpsAnnotation = (line: string): string => (lineMinor(line) >= 16 ? LBIPAM_IPS_ANNOTATION : LEGACY_LBIPAM_IPS_ANNOTATION);

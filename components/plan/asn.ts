/** ASN ranges, shared by the plan's validation and the policy pack (which may import only pure modules). */

/** 0 and 4294967295 are reserved (RFC 7607, RFC 7300). */
export const isValidAsn = (asn: number): boolean => Number.isInteger(asn) && asn >= 1 && asn <= 4294967294;

/** Private-use ranges (RFC 6996). */
export const isPrivateAsn = (asn: number): boolean =>
    (asn >= 64512 && asn <= 65534) || (asn >= 4200000000 && asn <= 4294967294);

/**
 * Why an ASN is reserved (IANA's registry), or undefined: no BGP speaker may use these, so they are
 * refused even when listed in asn.allowPublic.
 */
export function reservedAsn(asn: number): string | undefined {
    if (asn === 0) return "reserved (RFC 7607: AS 0 may never be used)";
    if (asn === 23456) return "reserved (AS_TRANS, RFC 6793: it stands in for 4-byte ASNs towards old speakers)";
    if (asn === 65535) return "reserved (RFC 7300: last 16-bit ASN)";
    if (asn >= 65552 && asn <= 131071) return "reserved (IANA: 65552-131071)";
    if (asn === 4294967295) return "reserved (RFC 7300: last 32-bit ASN)";
    return undefined;
}

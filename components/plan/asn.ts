/** ASN ranges, shared by the plan's validation and the policy pack (which may import only pure modules). */

/** 0 and 4294967295 are reserved (RFC 7607, RFC 7300). */
export const isValidAsn = (asn: number): boolean => Number.isInteger(asn) && asn >= 1 && asn <= 4294967294;

/** Private-use ranges (RFC 6996). */
export const isPrivateAsn = (asn: number): boolean =>
    (asn >= 64512 && asn <= 65534) || (asn >= 4200000000 && asn <= 4294967294);

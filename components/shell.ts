/** Shell text the program generates: single-quoted words, and ready-to-paste curl lines. */

/** A POSIX single-quoted word: safe for any string, quotes included. */
export const shellQuote = (s: string): string => `'${s.replace(/'/g, "'\\''")}'`;

/** `host:port` for a URL: IPv6 addresses in brackets. */
export const urlHost = (address: string, port: number): string => (address.includes(":") ? `[${address}]:${port}` : `${address}:${port}`);

/**
 * A ready-to-paste curl command for an address and port. With a host name (a listener's), the
 * request carries it (SNI and Host) while connecting to the address; IPv6 in brackets.
 */
export function curlCommand(o: { address: string; port: number; scheme?: "http" | "https"; hostname?: string; path?: string }): string {
    const scheme = o.scheme ?? "http";
    const path = o.path ?? "/";
    const parts = ["curl"];
    if (scheme === "https") parts.push("--insecure");
    if (o.hostname !== undefined) {
        // A wildcard listener matches any name below it: ask for one.
        const host = o.hostname.replace(/^\*\./, "test.");
        parts.push("--connect-to", shellQuote(`${host}:${o.port}:${urlHost(o.address, o.port)}`), shellQuote(`${scheme}://${host}:${o.port}${path}`));
    } else {
        // -g: brackets are an IPv6 literal, not a curl URL glob.
        if (o.address.includes(":")) parts.push("-g");
        parts.push(shellQuote(`${scheme}://${urlHost(o.address, o.port)}${path}`));
    }
    return parts.join(" ");
}

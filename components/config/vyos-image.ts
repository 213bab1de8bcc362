/**
 * The VyOS release a router image's tag names, when it names one. The project renders VyOS 1.4+
 * syntax (`set protocols bgp system-as N`, components/routers/vyos.ts); VyOS 1.2 and 1.3 put the
 * ASN in the path (`set protocols bgp 65005 ...`, seed 004's vyos/vyos:1.2.8) and reject it.
 * Tags that name no release (`rolling`, `latest`, a digest only) make no claim.
 */

/** VyOS release lines by their codenames (vyos.io release names). */
const CODENAMES: Record<string, [number, number]> = {
    crux: [1, 2], equuleus: [1, 3], sagitta: [1, 4], circinus: [1, 5],
};

/** The first VyOS line whose BGP syntax the project renders (`system-as`). */
export const MIN_VYOS_LINE: [number, number] = [1, 4];

/** The tag of an image reference (`registry:5000/vyos/vyos:1.2.8@sha256:...` -> `1.2.8`), if any. */
export function imageTag(ref: string): string | undefined {
    const noDigest = ref.split("@")[0];
    const lastSlash = noDigest.lastIndexOf("/");
    const colon = noDigest.indexOf(":", lastSlash + 1);
    return colon >= 0 ? noDigest.slice(colon + 1) : undefined;
}

/**
 * [major, minor] of the VyOS release a tag names: `1.2.8`, `v1.3.7`, `1.4-rolling-202401010000`,
 * `1.5-stream-2025-Q1`, `equuleus`, `1.3-rolling`; undefined for `rolling`, `current`, `latest`...
 */
export function vyosLineOfTag(tag: string): [number, number] | undefined {
    const m = /^v?(\d+)\.(\d+)(?=$|[.\-_+])/.exec(tag);
    if (m) return [Number(m[1]), Number(m[2])];
    const word = /^([a-z]+)(?=$|[.\-_+])/.exec(tag.toLowerCase());
    return word ? CODENAMES[word[1]] : undefined;
}

/** Why a VyOS router's image cannot run the rendered configuration, or undefined (no claim for unknown tags). */
export function vyosImageProblem(ref: string): string | undefined {
    const tag = imageTag(ref);
    const line = tag === undefined ? undefined : vyosLineOfTag(tag);
    if (!line) return undefined;
    const [major, minor] = line;
    if (major > MIN_VYOS_LINE[0] || (major === MIN_VYOS_LINE[0] && minor >= MIN_VYOS_LINE[1])) return undefined;
    return `is VyOS ${major}.${minor} (tag ${tag}), older than ${MIN_VYOS_LINE.join(".")}: the routers' configuration uses VyOS 1.4+ syntax (set protocols bgp system-as N), which VyOS ${major}.${minor} rejects (it wants set protocols bgp <ASN> ...); use a VyOS 1.4 or later image`;
}

/**
 * What a BGP MD5 password may contain so that every router configuration can carry it, and
 * the one place the renderers turn it into an FRR word.
 *
 * FRR has no quoting: its command-line tokenizer (FRR lib/command.c, cmd_make_strvec) splits a
 * line at space, tab, CR and LF (frrstr_split_vec(copy, "\n\r\t ")), and `neighbor X password
 * LINE` takes the one word that follows (bgpd/bgp_vty.c neighbor_password: argv[idx_line]->arg). Such a character
 * cannot be expressed at all; a NUL ends the C string; other control characters survive the
 * tokenizer but not the files around it (a VyOS set command pasted into the CLI, TOML, YAML)
 * unharmed, so they are refused too. VyOS renders the password into FRR's `neighbor X password
 * {{ password }}` (vyos-1x bgpd.frr.j2) and refuses white space in verify(), so the same rule
 * holds for both flavours. Everything else printable (quotes, `;`, `!`, `#`, `\`, `$`, braces,
 * non-ASCII) is expressible and is quoted by each target syntax.
 *
 * Messages never contain the password.
 */

/** The characters FRR's tokenizer splits words at. */
export const FRR_WORD_SEPARATORS = [" ", "\t", "\r", "\n"] as const;

// C0 controls and DEL; tab, CR and LF are among them.
// eslint-disable-next-line no-control-regex
const CONTROL = /[\u0000-\u001f\u007f]/;

/**
 * Why FRR (and so VyOS) cannot carry this password, or undefined when it can. The reason names
 * the kind of character, never the password or the character's position.
 */
export function frrPasswordProblem(password: string): string | undefined {
    if (password === "") return "is empty";
    if (password.includes(" ")) return "contains a space: FRR splits its command line into words at spaces (lib/command.c cmd_make_strvec) and VyOS refuses white space in passwords";
    if (CONTROL.test(password)) return "contains a control character (tab, line break, NUL, ...): FRR splits words at tab and line breaks (lib/command.c cmd_make_strvec) and no router configuration file can carry the others safely";
    return undefined;
}

/** Thrown when a renderer is handed a password FRR cannot carry; the message holds no password. */
export class PasswordError extends Error {}

/** The password as the one word of FRR's `neighbor X password WORD`: itself, once checked. */
export function frrPasswordWord(password: string): string {
    const problem = frrPasswordProblem(password);
    if (problem !== undefined) throw new PasswordError(`the BGP password ${problem}`);
    return password;
}

/**
 * VyOS's build-time include expansion of interface definitions, as vyos-1x's
 * scripts/transclude-template does it (Makefile rule `%.xml: %.xml.in`): a line that is only
 * `#include <path>` (leading spaces allowed) is replaced by the named file, itself expanded,
 * with paths relative to the directory of the top-level .xml.in. The one difference: the script's
 * print() appends a second final newline, which the reference copies (and so the checksums) do not
 * have; an XML parser ignores it either way.
 */
const INCLUDE = /^ *#include <(.+)>$/;

/** Lines with their line ends, as Python's readline() yields them. */
const linesOf = (text: string): string[] => text.match(/[^\n]*\n|[^\n]+$/g) ?? [];

/** The include paths a file names, in order (relative to interface-definitions/). */
export const includesOf = (text: string): string[] =>
    linesOf(text).map((l) => INCLUDE.exec(l.replace(/\n$/, ""))).filter((m): m is RegExpExecArray => m !== null).map((m) => m[1]);

/** Expands `text` (a .xml.in), reading each included file through `read` (path relative to interface-definitions/). */
export function expandIncludes(text: string, read: (includePath: string) => string): string {
    const expand = (t: string): string => linesOf(t).map((line) => {
        const m = INCLUDE.exec(line.replace(/\n$/, ""));
        return m ? expand(read(m[1])) : line;
    }).join("");
    return expand(text);
}

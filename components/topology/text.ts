/**
 * Text metrics for the topology drawing. The SVG uses a monospace font, whose every glyph has
 * the same advance (DejaVu Sans Mono, librsvg's and most browsers' monospace: 0.602 em); boxes
 * are sized from a slightly larger estimate so that text never reaches a box's edge.
 */
export const FONT_SIZE = 11;
export const TITLE_FONT_SIZE = 14;
export const CHAR_EM = 0.62;
export const LINE_HEIGHT = 14;
export const PAD_X = 8;
export const PAD_Y = 6;

export const textWidth = (text: string, fontSize = FONT_SIZE): number => [...text].length * CHAR_EM * fontSize;

/** The box a block of lines needs, padding included. */
export const blockSize = (lines: string[], fontSize = FONT_SIZE): { width: number; height: number } => ({
    width: Math.ceil(Math.max(0, ...lines.map((l) => textWidth(l, fontSize))) + 2 * PAD_X),
    height: lines.length * LINE_HEIGHT + 2 * PAD_Y,
});

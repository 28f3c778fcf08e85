/** Terminal column widths of code points: enough to count wrapped lines, not a full wcwidth. */

const WIDE: ReadonlyArray<readonly [number, number]> = [
  [0x1100, 0x115f],
  [0x2e80, 0x303e],
  [0x3041, 0x33ff],
  [0x3400, 0x4dbf],
  [0x4e00, 0x9fff],
  [0xa000, 0xa4cf],
  [0xac00, 0xd7a3],
  [0xf900, 0xfaff],
  [0xfe30, 0xfe4f],
  [0xff00, 0xff60],
  [0xffe0, 0xffe6],
  [0x1f300, 0x1f64f],
  [0x1f900, 0x1f9ff],
  [0x20000, 0x3fffd],
];

export function charWidth(code: number): 1 | 2 {
  if (code < 0x1100) return 1;
  for (const [lo, hi] of WIDE) if (code >= lo && code <= hi) return 2;
  return 1;
}

export function isZeroWidth(code: number): boolean {
  return (
    (code >= 0x0300 && code <= 0x036f) ||
    (code >= 0x200b && code <= 0x200f) ||
    (code >= 0xfe00 && code <= 0xfe0f) ||
    code === 0x200d
  );
}

const PRINTABLE_ASCII = /^[\x20-\x7e]*$/;

/** Columns a line of text takes on the terminal. */
export function displayWidth(text: string): number {
  // Most terminal text is plain ASCII, one cell a character: skip the per-character walk.
  if (PRINTABLE_ASCII.test(text)) return text.length;
  let width = 0;
  for (const ch of text) width += isZeroWidth(ch.codePointAt(0) ?? 0) ? 0 : charWidth(ch.codePointAt(0) ?? 0);
  return width;
}

/**
 * What LineAssembler needs to count plain lines without scanning them (see its skipLines): where the
 * next relay or fence marker and the next character that is not plain ASCII are, the width of a plain
 * line, and the CSI sequences it may drop (colours and the like).
 */

/** The CSI final bytes the assembler acts on (cursor movement, erasing, screen switches). */
export const CSI_FINALS_USED = 'hlABEFHfdG`CDKJXP@su';

/** The first character that is not plain text (printable ASCII, CR, LF). */
const SPECIAL = /[^\x20-\x7e\r\n]/g;
export const NOT_PLAIN_LINE = /[^\x20-\x7e\r]/;
/** Printable characters only (no C0/C1 control, DEL or lone surrogate), then carriage returns at most. */
// eslint-disable-next-line no-control-regex
export const PRINTED_LINE = /^(?:[^\x00-\x1f\x7f-\x9f\ud800-\udfff]|[\ud800-\udbff][\udc00-\udfff])*\r*$/;
/** A whole CSI sequence the assembler ignores (colours and the like): its final byte is not one it uses. */
export const HARMLESS_CSI = new RegExp(
  `\\x1b\\[[\\x20-\\x3f]*[${Array.from({ length: 0x7f - 0x40 }, (_, i) => String.fromCharCode(0x40 + i))
    .filter((ch) => !CSI_FINALS_USED.includes(ch))
    .map((ch) => `\\x${ch.charCodeAt(0).toString(16)}`)
    .join('')}]`,
  'g',
);
const MARKERS = ['->relay:', '```', '~~~'] as const;

export function nextMarker(text: string, from: number): number {
  let first = text.length;
  for (const marker of MARKERS) {
    const at = text.indexOf(marker, from);
    if (at >= 0 && at < first) first = at;
  }
  return first;
}

export function nextSpecial(text: string, from: number): number {
  SPECIAL.lastIndex = from;
  const found = SPECIAL.exec(text);
  return found ? found.index : text.length;
}

/**
 * Columns of the line the assembler would build from plain text `text[from, to)` (no line feed in it):
 * the last carriage-return segment that printed something wins, trailing spaces dropped.
 */
export function plainLineWidth(text: string, from: number, to: number): number {
  let end = to;
  let cr = end > from ? text.lastIndexOf('\r', end - 1) : -1;
  while (cr >= from && cr + 1 === end) {
    end = cr;
    cr = end > from ? text.lastIndexOf('\r', end - 1) : -1;
  }
  const start = cr >= from ? cr + 1 : from;
  while (end > start && text.charCodeAt(end - 1) === 0x20) end--;
  return end - start;
}

/** What skipLines keeps while it reads one chunk. */
export interface ChunkView {
  /** The chunk from where skipping first started, without harmless CSI sequences; undefined: not made yet. */
  view: string | undefined;
  /** The view is the chunk itself (it had no ESC): positions are the same in both. */
  same: boolean;
  /** A line start in the chunk and the same line's start in the view. */
  rawAt: number;
  viewAt: number;
  /** In the view: the next relay or fence marker, the next character that is not plain ASCII (-1: not looked yet). */
  marker: number;
  special: number;
}

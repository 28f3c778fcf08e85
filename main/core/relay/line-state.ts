/**
 * The resume point of a line assembler (LineAssembler.resumePoint / resumeLine): the line under way
 * described for a next reader, in another daemon, and read back checked.
 */

/** Characters a relay marker (`->relay:`, `>>>`) or a fence (``` or ~~~) is made of. */
export const RELAY_MATERIAL = /[->`~]/;

/**
 * Where a reader of an agent's output may stop and a next reader (another daemon) take up: at a line
 * start (`line` absent: a fresh assembler reads on exactly as this one would), or in the middle of an
 * inert line (`line`: that line and the cursor, for the next assembler's resumeLine). Without it the
 * next assembler would take the rest of the line for a line of its own: `hello world` + `->relay:Bob hi`
 * would read as a relay line, and `⏺ ` + `->relay:Bob hi` (a relay line) would be lost if it skipped it.
 */
export interface ResumePoint {
  readonly line?: string;
}

export const AT_LINE_START: ResumePoint = Object.freeze({});

/** The most cells a line under way may have to be described in a ResumePoint (a longer one waits for its line feed). */
export const MAX_RESUME_CELLS = 2048;
/** The longest description (well under the terminal host's 64 KiB for a relayAck's line). */
export const MAX_RESUME_CHARS = 32 * 1024;

/**
 * Version 1 of the state in ResumePoint.line (JSON): the line under way and the cursor, rows counted
 * from the top of the screen (absolute rows mean nothing to another assembler).
 */
export interface LineStateV1 {
  v: 1;
  /** The line's cells ('' after the first half of a wide character). */
  cells: string[];
  col: number;
  /** The cursor's row, and the lowest row written, on the screen. */
  row: number;
  max: number;
  /** A carriage return on this line: whether text was printed since, and where that rewrite ended. */
  cr?: { printed: boolean; end: number };
  /** The saved cursor (ESC 7, CSI s), clamped to the screen as restoring it would be. */
  saved: [number, number];
  /** On the alternate screen: where the cursor and the lowest row were on the main screen. */
  alt?: [number, number];
}

const isCount = (value: unknown, max: number): value is number => Number.isInteger(value) && (value as number) >= 0 && (value as number) <= max;
const MAX_COLUMN = MAX_RESUME_CELLS * 8;
const MAX_ROW = 10_000;

/**
 * A ResumePoint.line this version reads, checked (it crossed another process), or undefined. Rows are
 * kept on a screen of `rows` rows (the terminal may have shrunk since), as the cursor would be.
 */
export function parseLineState(line: string, rows: number): LineStateV1 | undefined {
  let state: Partial<LineStateV1> & { v?: unknown };
  try {
    state = JSON.parse(line) as typeof state;
  } catch {
    return undefined;
  }
  if (!state || typeof state !== 'object' || state.v !== 1) return undefined;
  const { cells, col, row, max, cr, saved, alt } = state;
  if (!Array.isArray(cells) || cells.length > MAX_RESUME_CELLS || !cells.every((cell) => typeof cell === 'string' && cell.length <= 16)) return undefined;
  // Only a line that cannot have begun a relay line, a block's end or a fence is ever described.
  if (RELAY_MATERIAL.test(cells.join(''))) return undefined;
  if (!isCount(col, MAX_COLUMN) || !isCount(row, MAX_ROW) || !isCount(max, MAX_ROW) || row > max) return undefined;
  if (!Array.isArray(saved) || saved.length !== 2 || !isCount(saved[0], MAX_ROW) || !isCount(saved[1], MAX_COLUMN)) return undefined;
  if (cr !== undefined && (!cr || typeof cr !== 'object' || typeof cr.printed !== 'boolean' || !isCount(cr.end, MAX_COLUMN))) return undefined;
  if (alt !== undefined && (!Array.isArray(alt) || alt.length !== 2 || !isCount(alt[0], MAX_ROW) || !isCount(alt[1], MAX_ROW) || alt[0] > alt[1])) return undefined;
  const fit = (n: number) => Math.min(n, rows - 1);
  return {
    v: 1,
    cells,
    col,
    row: fit(row),
    max: fit(max),
    saved: [fit(saved[0]), saved[1]],
    ...(cr ? { cr: { printed: cr.printed, end: cr.end } } : {}),
    ...(alt ? { alt: [fit(alt[0]), fit(alt[1])] as [number, number] } : {}),
  };
}

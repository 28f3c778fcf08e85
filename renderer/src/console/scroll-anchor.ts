import type { Terminal } from '@xterm/xterm';

/**
 * Where the user was reading in the scrollback when the console let go of its terminal (a hidden page
 * detaches, and attaches afresh from a snapshot when shown): the rows at the top of the view, to find
 * again in the new buffer. Undefined when the view was at the bottom (it follows output anyway) or
 * showed nothing to recognise.
 */
export interface ScrollAnchor {
  readonly rows: readonly string[];
  /** How far the view's top was from the end of the buffer, in rows. */
  readonly fromBottom: number;
}

/** Rows matched together: one row of a log repeats too often to say where the reader was. */
const ANCHOR_ROWS = 3;

export function takeScrollAnchor(term: Terminal): ScrollAnchor | undefined {
  const buffer = term.buffer.active;
  if (buffer.viewportY >= buffer.baseY) return undefined;
  const rows: string[] = [];
  for (let i = 0; i < Math.min(ANCHOR_ROWS, term.rows); i++) rows.push(buffer.getLine(buffer.viewportY + i)?.translateToString(true) ?? '');
  if (rows.every((row) => row.trim() === '')) return undefined;
  return { rows, fromBottom: buffer.length - buffer.viewportY };
}

/**
 * Scrolls so the anchor's rows are at the top of the view again: the match nearest to where they
 * were (output since then moved them up, a trimmed scrollback down). False if they are gone.
 */
export function restoreScrollAnchor(term: Terminal, anchor: ScrollAnchor): boolean {
  const buffer = term.buffer.active;
  const text = (row: number) => buffer.getLine(row)?.translateToString(true) ?? '';
  const expected = buffer.length - anchor.fromBottom;
  let best = -1;
  for (let row = 0; row + anchor.rows.length <= buffer.length; row++) {
    if (text(row) !== anchor.rows[0]) continue;
    if (!anchor.rows.every((line, i) => text(row + i) === line)) continue;
    if (best < 0 || Math.abs(row - expected) < Math.abs(best - expected)) best = row;
  }
  if (best < 0) return false;
  term.scrollToLine(best);
  return true;
}

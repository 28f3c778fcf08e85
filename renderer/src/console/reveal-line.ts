import type { Terminal } from '@xterm/xterm';

/**
 * Scrolls a console to a search hit and selects it: the row holding `text` nearest to `fromBottom`
 * rows above the end of the buffer (the daemon counts lines as printed, xterm as drawn, so the
 * nearest match wins). Returns false when the text is not in the buffer (e.g. scrolled out).
 */
export function revealLine(term: Terminal, text: string, fromBottom: number): boolean {
  const needle = text.toLowerCase();
  if (!needle) return false;
  const buffer = term.buffer.active;
  const total = buffer.length;
  const target = Math.max(0, total - fromBottom);
  let best = -1;
  let bestColumn = 0;
  let bestDistance = Infinity;
  for (let row = 0; row < total; row += 1) {
    const line = buffer.getLine(row)?.translateToString(true);
    if (!line) continue;
    const column = line.toLowerCase().indexOf(needle);
    if (column < 0) continue;
    const distance = Math.abs(row - target);
    if (distance < bestDistance) {
      best = row;
      bestColumn = column;
      bestDistance = distance;
    }
  }
  if (best < 0) return false;
  term.scrollToLine(Math.max(0, best - Math.floor(term.rows / 2)));
  term.select(bestColumn, best, Math.min(needle.length, term.cols - bestColumn));
  return true;
}

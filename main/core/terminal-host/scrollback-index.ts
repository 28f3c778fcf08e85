import type { ScrollbackHit, ScrollbackQuery, ScrollbackResult } from '../agents/agent-runtime.js';

export const DEFAULT_INDEX_LINES = 10_000;
const MAX_LINE = 4_096;
const DEFAULT_LIMIT = 500;
const MAX_CONTEXT = 10;

/** Escape sequences: CSI, OSC (to BEL or ST), DCS/SOS/PM/APC (to ST), and two-character ones. */
// eslint-disable-next-line no-control-regex
const ESCAPE = /\x1b(?:\[[0-?]*[ -/]*[@-~]|\][^\x07\x1b]*(?:\x07|\x1b\\)|[PX^_][^\x1b]*\x1b\\|[ -/]*[0-~])/y;
/** A chunk may end inside an escape sequence: keep that tail for the next chunk. */
// eslint-disable-next-line no-control-regex
const OPEN_ESCAPE = /\x1b(?:\[[0-?]*[ -/]*|\][^\x07\x1b]*|[PX^_][^\x1b]*|[ -/]*)?$/;
/** Cursor moves that start drawing elsewhere: what was on the line so far is a line of its own. */
// eslint-disable-next-line no-control-regex
const LINE_BREAKING_CSI = /\x1b\[[0-9;?]*[HfABdE]$/;

/** Lines per stored block: one string of lines joined by \n (one heap object, not 256). */
const BLOCK = 256;
/**
 * Output waits as written (no work per chunk) until this much has gathered, or a search comes: at
 * least this, and 400 characters per line kept, so a flood's piece holds several times the lines
 * that are kept and most of them are only counted.
 */
export const ASSEMBLE_CHARS = 1_000_000;
const ASSEMBLE_CHARS_PER_LINE = 400;
/** Or this many chunks (small redraws, e.g. a spinner's, are assembled into almost nothing). */
export const ASSEMBLE_CHUNKS = 1_024;

/** A line assembler's position: `current` is the unfinished line, kept while the text goes on. */
interface Scan {
  current: string;
  /** Where the unread rest begins (a \r at the very end waits for the next text). */
  end: number;
}

/** A flat copy that does not keep the (large) text it was cut from alive. */
const own = (text: string): string => (text.length === 0 ? '' : (text + ' ').slice(0, -1));

class Lines {
  /** Full blocks of BLOCK lines each, oldest first, then `pending`; the first `skip` of all those are dropped. */
  private blocks: string[] = [];
  private skip = 0;
  private pending: string[] = [];
  /** Output written but not assembled into lines yet (a search or ASSEMBLE_CHARS assembles it). */
  private raw: string[] = [];
  private rawChars = 0;
  /** Lines dropped off the top so far, so hits keep stable numbers while more output arrives. */
  private droppedLines = 0;
  /** Output written and not assembled yet. */
  get waiting(): number {
    return this.rawChars;
  }

  /** Lines counted but never assembled (they would only have scrolled off). */
  counted = 0;
  private current = '';
  /** The end of the text so far that cannot be read yet: an open escape sequence or trailing \r. */
  private tail = '';

  constructor(
    private readonly max: number,
    /** Lines certain to scroll off are counted, not assembled (false: every line assembled, for tests). */
    private readonly fastForward: boolean,
  ) {
    this.assembleAt = Math.max(ASSEMBLE_CHARS, max * ASSEMBLE_CHARS_PER_LINE);
  }

  private readonly assembleAt: number;

  write(data: string): void {
    if (data.length === 0) return;
    this.raw.push(data);
    this.rawChars += data.length;
    if (this.rawChars >= this.assembleAt || this.raw.length >= ASSEMBLE_CHUNKS) this.assemble();
  }

  get dropped(): number {
    this.assemble();
    return this.droppedLines;
  }

  get length(): number {
    this.assemble();
    return this.kept + (this.current ? 1 : 0);
  }

  private get kept(): number {
    return this.blocks.length * BLOCK - this.skip + this.pending.length;
  }

  /** Every line kept, oldest first, the current (unfinished) one last: built for a search. */
  all(): string[] {
    this.assemble();
    const lines: string[] = [];
    for (const block of this.blocks) for (const line of block.split('\n')) lines.push(line);
    for (const line of this.pending) lines.push(line);
    const kept = this.skip > 0 ? lines.slice(this.skip) : lines;
    if (this.current) kept.push(this.current);
    return kept;
  }

  private push(line: string): void {
    this.pending.push(line.length > MAX_LINE ? line.slice(0, MAX_LINE) : line);
    if (this.pending.length === BLOCK) {
      // Joined (and so flattened): sliced and concatenated line strings would keep their parents.
      this.blocks.push(this.pending.join('\n'));
      this.pending = [];
    }
    if (this.kept > this.max) {
      this.skip += 1;
      this.droppedLines += 1;
      if (this.skip === BLOCK) {
        this.blocks.shift();
        this.skip = 0;
      }
    }
  }

  /** Turns the written output into lines. */
  assemble(): void {
    if (this.rawChars === 0) return;
    let text = this.tail + (this.raw.length === 1 ? this.raw[0]! : this.raw.join(''));
    this.raw = [];
    this.rawChars = 0;
    this.tail = '';
    const open = OPEN_ESCAPE.exec(text.slice(-256));
    if (open && open[0].length > 0) {
      this.tail = open[0];
      text = text.slice(0, text.length - open[0].length);
    }
    let from = 0;
    let current = this.current;
    if (this.fastForward) {
      // Count the lines this text ends; all but the last `max` of them (and every line kept so far)
      // would only scroll off: start assembling after the last of those, at a line start.
      const starts = new Int32Array(this.max + 1);
      const total = countLines(text, current, starts);
      if (total > this.max) {
        from = starts[(total - this.max - 1) % starts.length]!;
        this.droppedLines += this.kept + (total - this.max);
        this.counted += total - this.max;
        this.blocks = [];
        this.pending = [];
        this.skip = 0;
        current = '';
      }
    }
    const scan: Scan = { current, end: text.length };
    assembleLines(text, from, text.length, scan, (line) => this.push(line));
    if (scan.end < text.length) this.tail = text.slice(scan.end) + this.tail;
    // Own copies: the lines must not keep the whole assembled text alive.
    if (this.pending.length > 0) this.pending = own(this.pending.join('\n')).split('\n');
    this.current = own(scan.current.length > MAX_LINE ? scan.current.slice(-MAX_LINE) : scan.current);
  }
}

/** Control characters (C0 and DEL): everything else is printed as is. */
// eslint-disable-next-line no-control-regex
const CONTROL = /[\x00-\x1f\x7f]/g;

/**
 * Assembles lines from `text` (which ends at a boundary: no open escape sequence), `from` to `to`,
 * with the unfinished line `scan.current`: escapes stripped, \r overwrites and backspaces applied.
 * A \r at the very end stops it (scan.end), as only the next text tells what it means.
 */
function assembleLines(text: string, from: number, to: number, scan: Scan, push: (line: string) => void): void {
  let current = scan.current;
  let i = from;
  while (i < to) {
    CONTROL.lastIndex = i;
    const found = CONTROL.exec(text);
    const at = found && found.index < to ? found.index : to;
    if (at > i) current += text.slice(i, at);
    if (at === to) break;
    i = at;
    const code = text.charCodeAt(i);
    if (code === 0x1b) {
      ESCAPE.lastIndex = i;
      const match = ESCAPE.exec(text);
      const length = match ? match[0].length : 1;
      if (match && LINE_BREAKING_CSI.test(match[0]) && current.trim()) {
        push(current.trimEnd());
        current = '';
      }
      i += length;
    } else if (code === 0x0a) {
      push(current.trimEnd());
      current = '';
      i += 1;
    } else if (code === 0x0d) {
      // \r\n (or \r\r\n, a pty's translation of \r\n) ends the line; a lone \r starts overwriting
      // it (spinners, progress bars). A text that ends in \r waits for the next one to tell.
      let next = i + 1;
      while (text.charCodeAt(next) === 0x0d) next += 1;
      if (next >= to) {
        scan.current = current;
        scan.end = i;
        return;
      }
      if (text.charCodeAt(next) !== 0x0a) current = '';
      i = next;
    } else if (code === 0x08) {
      current = current.slice(0, -1);
      i += 1;
    } else if (code === 0x09) {
      current += ' ';
      i += 1;
    } else {
      i += 1;
    }
  }
  scan.current = current;
  scan.end = to;
}

/**
 * Counts the lines assembleLines would end in `text` without building them, and keeps where each of
 * the last `starts.length` of them ends (the next line's start) in `starts`, a ring by line number.
 * The count is exact: only a cursor move can end a line without a line feed, and only when the line
 * has something on it, which is then worked out for that one line.
 */
function countLines(text: string, current: string, starts: Int32Array): number {
  let total = 0;
  /** Where the unfinished line was last empty, and what it held there (only at the text's start). */
  let lineFrom = 0;
  let lineInitial = current;
  const ended = (at: number) => {
    starts[total % starts.length] = at;
    total += 1;
    lineFrom = at;
    lineInitial = '';
  };
  // The next LF, CR and ESC from i (-1: none left), each searched again only once passed.
  let lf = -2;
  let cr = -2;
  let esc = -2;
  let i = 0;
  for (;;) {
    if (lf !== -1 && lf < i) lf = text.indexOf('\n', i);
    if (cr !== -1 && cr < i) cr = text.indexOf('\r', i);
    if (esc !== -1 && esc < i) esc = text.indexOf('\x1b', i);
    let at = lf;
    if (cr !== -1 && (at === -1 || cr < at)) at = cr;
    if (esc !== -1 && (at === -1 || esc < at)) at = esc;
    if (at === -1) break;
    i = at;
    if (at === lf) {
      ended(i + 1);
      i += 1;
    } else if (at === cr) {
      let next = i + 1;
      while (text.charCodeAt(next) === 0x0d) next += 1;
      if (next >= text.length) break;
      if (text.charCodeAt(next) !== 0x0a) {
        lineFrom = next;
        lineInitial = '';
      }
      i = next;
    } else {
      const kind = text.charCodeAt(i + 1);
      if (kind === 0x5b) {
        // CSI: printable to its end, so only a cursor move that ends the line matters here.
        let j = i + 2;
        for (let c = text.charCodeAt(j); (c >= 0x30 && c <= 0x39) || c === 0x3b || c === 0x3f; c = text.charCodeAt(j)) j += 1;
        const final = text.charCodeAt(j);
        if (final === 0x48 || final === 0x66 || final === 0x41 || final === 0x42 || final === 0x64 || final === 0x45) {
          // What the line holds here: assembled from where it was last known (it has no line end since).
          const scan: Scan = { current: lineInitial, end: i };
          assembleLines(text, lineFrom, i, scan, () => undefined);
          if (scan.current.trim()) ended(j + 1);
          i = j + 1;
        } else {
          i += 1;
        }
      } else if (kind === 0x5d || kind === 0x50 || kind === 0x58 || kind === 0x5e || kind === 0x5f) {
        // OSC, DCS, SOS, PM, APC: strings that may hold line feeds, skipped as the assembler does.
        ESCAPE.lastIndex = i;
        const match = ESCAPE.exec(text);
        i += match ? match[0].length : 1;
      } else {
        // Two-character escapes hold no line ends.
        i += 1;
      }
    }
  }
  return total;
}

/**
 * Every agent's output as plain lines (escape sequences stripped, carriage-return overwrites
 * applied), kept where the ptys live so a search never loads a console: `search` scans each agent's
 * last N lines with one regular expression. Writing costs nothing per chunk: output is assembled into
 * lines in large pieces (or when a search comes), and the lines of a piece that would only scroll off
 * the last N are counted, not assembled.
 */
export class ScrollbackIndex {
  private readonly agents = new Map<string, Lines>();

  constructor(
    private readonly maxLines: (name: string) => number = () => DEFAULT_INDEX_LINES,
    private readonly options: { readonly fastForward?: boolean } = {},
  ) {}

  write(name: string, data: string): void {
    let lines = this.agents.get(name);
    if (!lines) {
      lines = new Lines(Math.max(100, this.maxLines(name)), this.options.fastForward ?? true);
      this.agents.set(name, lines);
    }
    lines.write(data);
  }

  /**
   * Assembles what the agent printed so far (when it has gone quiet): its lines take less room than
   * its output with the escape sequences and redraws in it.
   */
  settle(name: string): void {
    this.agents.get(name)?.assemble();
  }

  /** A restarted agent keeps its old lines above a marker, as its console does. */
  forget(name: string): void {
    this.agents.delete(name);
  }

  /** Characters of output written and not assembled into lines yet. */
  waitingChars(name: string): number {
    return this.agents.get(name)?.waiting ?? 0;
  }

  /** Lines that were counted, never assembled, because more than the last N followed them at once. */
  countedLines(name: string): number {
    return this.agents.get(name)?.counted ?? 0;
  }

  names(): string[] {
    return [...this.agents.keys()];
  }

  lineCount(name: string): number {
    return this.agents.get(name)?.length ?? 0;
  }

  /** Hits in agent order, oldest line first within an agent. A bad regular expression throws. */
  search(query: ScrollbackQuery, order: ReadonlyArray<string> = this.names()): ScrollbackResult {
    const pattern = compile(query);
    const context = Math.min(MAX_CONTEXT, Math.max(0, query.context ?? 2));
    const limit = Math.max(1, query.limit ?? DEFAULT_LIMIT);
    const hits: ScrollbackHit[] = [];
    let searched = 0;
    let truncated = false;
    for (const agent of order) {
      if (query.agent && agent !== query.agent) continue;
      const lines = this.agents.get(agent);
      if (!lines) continue;
      const all = lines.all();
      const total = all.length;
      searched += total;
      for (let i = 0; i < total; i += 1) {
        const text = all[i]!;
        pattern.lastIndex = 0;
        const match = pattern.exec(text);
        if (!match) continue;
        if (hits.length >= limit) {
          truncated = true;
          break;
        }
        const before: string[] = [];
        for (let j = Math.max(0, i - context); j < i; j += 1) before.push(all[j]!);
        const after: string[] = [];
        for (let j = i + 1; j < Math.min(total, i + 1 + context); j += 1) after.push(all[j]!);
        hits.push({
          agent,
          line: lines.dropped + i,
          fromBottom: total - i,
          text,
          before,
          after,
          start: match.index,
          end: match.index + Math.max(match[0].length, 0),
        });
      }
      if (truncated) break;
    }
    return { hits, lines: searched, truncated };
  }
}

export class SearchQueryError extends Error {
  readonly code = 'invalid_search';
}

export function compile(query: ScrollbackQuery): RegExp {
  if (typeof query.text !== 'string' || query.text.length === 0) throw new SearchQueryError('Type something to search for.');
  if (query.text.length > 1_000) throw new SearchQueryError('The search text is too long (1,000 characters at most).');
  const flags = query.caseSensitive ? 'g' : 'gi';
  if (!query.regex) return new RegExp(query.text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&'), flags);
  let pattern: RegExp;
  try {
    pattern = new RegExp(query.text, flags);
  } catch (error) {
    throw new SearchQueryError(`That is not a valid regular expression: ${(error as Error).message}`);
  }
  if (pattern.test('')) throw new SearchQueryError('That regular expression matches every line; make it more specific.');
  return pattern;
}

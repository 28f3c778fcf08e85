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

class Lines {
  /** Full blocks of BLOCK lines each, oldest first, then `pending`; the first `skip` of all those are dropped. */
  private blocks: string[] = [];
  private skip = 0;
  private pending: string[] = [];
  /** Lines dropped off the top so far, so hits keep stable numbers while more output arrives. */
  dropped = 0;
  current = '';
  tail = '';

  constructor(private readonly max: number) {}

  push(line: string): void {
    this.pending.push(line.length > MAX_LINE ? line.slice(0, MAX_LINE) : line);
    if (this.pending.length === BLOCK) {
      // Joined (and so flattened): sliced and concatenated line strings would keep their parents.
      this.blocks.push(this.pending.join('\n'));
      this.pending = [];
    }
    if (this.kept > this.max) {
      this.skip += 1;
      this.dropped += 1;
      if (this.skip === BLOCK) {
        this.blocks.shift();
        this.skip = 0;
      }
    }
  }

  private get kept(): number {
    return this.blocks.length * BLOCK - this.skip + this.pending.length;
  }

  get length(): number {
    return this.kept + (this.current ? 1 : 0);
  }

  /** Every line kept, oldest first, the current (unfinished) one last: built for a search. */
  all(): string[] {
    const lines: string[] = [];
    for (const block of this.blocks) for (const line of block.split('\n')) lines.push(line);
    for (const line of this.pending) lines.push(line);
    const kept = this.skip > 0 ? lines.slice(this.skip) : lines;
    if (this.current) kept.push(this.current);
    return kept;
  }
}

/**
 * Every agent's output as plain lines (escape sequences stripped, carriage-return overwrites
 * applied), kept where the ptys live so a search never loads a console: `search` scans each agent's
 * last N lines with one regular expression.
 */
export class ScrollbackIndex {
  private readonly agents = new Map<string, Lines>();

  constructor(private readonly maxLines: (name: string) => number = () => DEFAULT_INDEX_LINES) {}

  write(name: string, data: string): void {
    let lines = this.agents.get(name);
    if (!lines) {
      lines = new Lines(Math.max(100, this.maxLines(name)));
      this.agents.set(name, lines);
    }
    let text = lines.tail + data;
    lines.tail = '';
    const open = OPEN_ESCAPE.exec(text.slice(-256));
    if (open && open[0].length > 0) {
      lines.tail = open[0];
      text = text.slice(0, text.length - open[0].length);
    }
    let current = lines.current;
    let i = 0;
    let plainFrom = 0;
    const flushPlain = (to: number) => {
      if (to > plainFrom) current += text.slice(plainFrom, to);
    };
    while (i < text.length) {
      const code = text.charCodeAt(i);
      if (code >= 0x20 && code !== 0x7f) {
        i += 1;
        continue;
      }
      flushPlain(i);
      if (code === 0x1b) {
        ESCAPE.lastIndex = i;
        const match = ESCAPE.exec(text);
        const length = match ? match[0].length : 1;
        if (match && LINE_BREAKING_CSI.test(match[0]) && current.trim()) {
          lines.push(current.trimEnd());
          current = '';
        }
        i += length;
      } else if (code === 0x0a) {
        lines.push(current.trimEnd());
        current = '';
        i += 1;
      } else if (code === 0x0d) {
        // \r\n (or \r\r\n, a pty's translation of \r\n) ends the line; a lone \r starts overwriting
        // it (spinners, progress bars). A chunk that ends in \r waits for the next one to tell.
        let next = i + 1;
        while (text.charCodeAt(next) === 0x0d) next += 1;
        if (next >= text.length) {
          lines.tail = text.slice(i) + lines.tail;
          i = text.length;
          plainFrom = i;
          break;
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
      plainFrom = i;
    }
    flushPlain(text.length);
    lines.current = current.length > MAX_LINE ? current.slice(-MAX_LINE) : current;
  }

  /** A restarted agent keeps its old lines above a marker, as its console does. */
  forget(name: string): void {
    this.agents.delete(name);
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

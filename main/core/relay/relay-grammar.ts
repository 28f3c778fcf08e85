import { displayWidth } from './char-width.js';
import type { LineSink } from './line-assembler.js';

/**
 * The relay grammar: reads the lines a LineAssembler rebuilt and finds the relay messages in them:
 *   `->relay:Name message`, `->relay:* message`, and blocks `->relay:Name <<<` … `>>>`.
 *
 * Rules (each one chosen so that a message fires once, whole, and only when the agent meant it):
 * - A line fires only when its line feed arrives. A block fires as soon as its `>>>` line is seen.
 * - Wrapped lines: a line exactly `cols` columns wide that is a relay line (or a block body line) is
 *   held; if the next line is non-empty and does not start a relay line or close a block, it is a
 *   continuation and is joined without a separator. `flush()` releases a held line (call it when the
 *   agent goes quiet); any cursor movement also releases it.
 * - A relay line may be preceded by whitespace and TUI glyphs (box drawing, bullets, ⏺ ✦ •) but not
 *   by other text, so prose that mentions the syntax does not fire. `>` is not allowed: it marks a
 *   prompt the human typed.
 * - Code fences (``` or ~~~, closed by the same character at least as long) hide relay lines.
 * - Echoes: a line starting `Relay message from X [id]:` never fires, and a relay line whose text is
 *   part of something `noteInjected` recorded in the last `echoWindowMs` is taken for the agent's
 *   echo of that injection, once per injection.
 * - Redraws: every relay line read is remembered with its virtual screen row. When the cursor moves
 *   up (or the screen is cleared), the remembered lines at or below the new cursor row are "erased"
 *   and go to a pool; a line read later whose content matches a pooled one is its reprint and does
 *   not fire (it takes that pool entry, so two identical lines erased give two silent reprints). Pool
 *   entries expire after `redrawWindowMs`. A full clear (ED 2/3, RIS) pools every line fired in the
 *   last `historyWindowMs`, because TUIs reprint their whole transcript after a clear or resize.
 *   So the same text printed twice on fresh lines fires twice; the same text repainted over an erased
 *   screen region fires once.
 */

export type RelayMessageKind = 'line' | 'block';

export interface ParsedRelayMessage {
  /** The recipient as written: a name or `*`. */
  readonly to: string;
  readonly body: string;
  readonly kind: RelayMessageKind;
}

export interface RelayGrammarOptions {
  now?: () => number;
  echoWindowMs?: number;
  redrawWindowMs?: number;
  historyWindowMs?: number;
  maxBlockLines?: number;
  maxBlockChars?: number;
  onWarning?: (message: string) => void;
}

interface ScreenItem {
  key: string;
  row: number;
  endRow: number;
  echo: boolean;
  at: number;
}

interface PendingBlock {
  to: string;
  startRow: number;
  lines: Array<{ text: string; row: number }>;
  chars: number;
  innerFence: Fence | null;
}

interface Fence {
  char: string;
  length: number;
}

interface HeldLine {
  text: string;
  row: number;
  endRow: number;
}

interface InjectedText {
  norm: string;
  expires: number;
  consumed: Set<string>;
}

const NAME_PATTERN = '(\\*|[A-Za-z0-9_-]{1,32})';
// Leading whitespace and TUI glyphs: box drawing, blocks, geometric shapes, ⏺, bullets, ✦ ✧ ✻ ✽.
const DECORATION = '[\\s\\u2500-\\u25ff\\u23fa\\u2022\\u00b7\\u2219\\u2726\\u2727\\u273b\\u273d]*';
const RELAY_LINE = new RegExp(`^${DECORATION}->relay:${NAME_PATTERN}(?=\\s|$)\\s*(.*?)[\\s\\u2502\\u2503]*$`);
const RELAY_START = new RegExp(`^${DECORATION}->relay:`);
const ECHO_HEADER = new RegExp(`^${DECORATION.slice(0, -2)}>]*Relay message from [^\\s\\[]+ \\[[^\\]]+\\]:`);
const FENCE = /^(`{3,}|~{3,})(.*)$/;
const DECORATION_PREFIX = new RegExp(`^${DECORATION}`);

const MAX_SCREEN_ITEMS = 512;
const MAX_HISTORY = 512;
const MAX_INJECTED = 64;

export class RelayGrammar implements LineSink {
  private readonly now: () => number;
  private readonly echoWindowMs: number;
  private readonly redrawWindowMs: number;
  private readonly historyWindowMs: number;
  private readonly maxBlockLines: number;
  private readonly maxBlockChars: number;
  private readonly onWarning: (message: string) => void;

  private fence: Fence | null = null;
  private block: PendingBlock | null = null;
  private held: HeldLine | null = null;

  private screen: ScreenItem[] = [];
  private pool = new Map<string, number[]>();
  private history: ScreenItem[] = [];
  private injected: InjectedText[] = [];

  private out: ParsedRelayMessage[] = [];

  /** `cols` is the terminal's width now (a relay line exactly that wide may continue on the next). */
  constructor(
    private readonly cols: () => number,
    options: RelayGrammarOptions = {},
  ) {
    this.now = options.now ?? Date.now;
    this.echoWindowMs = options.echoWindowMs ?? 5_000;
    this.redrawWindowMs = options.redrawWindowMs ?? 60_000;
    this.historyWindowMs = options.historyWindowMs ?? 10 * 60_000;
    this.maxBlockLines = options.maxBlockLines ?? 2_000;
    this.maxBlockChars = options.maxBlockChars ?? 64 * 1024;
    this.onWarning = options.onWarning ?? (() => undefined);
  }

  /** The messages completed since the last call, in order. */
  take(): ParsedRelayMessage[] {
    if (this.out.length === 0) return [];
    const result = this.out;
    this.out = [];
    return result;
  }

  /** True while a line exactly as wide as the terminal waits for a possible continuation. */
  get holding(): boolean {
    return this.held !== null;
  }

  /** True inside a block (`->relay:Name <<<` seen, `>>>` not yet) or a code fence. */
  get open(): boolean {
    return this.block !== null || this.fence !== null;
  }

  /** Records text the daemon injected into this agent, so the agent's echo of it does not fire. */
  noteInjected(text: string): void {
    const now = this.now();
    this.injected = this.injected.filter((entry) => entry.expires > now).slice(-(MAX_INJECTED - 1));
    this.injected.push({ norm: collapse(text), expires: now + this.echoWindowMs, consumed: new Set() });
  }

  // LineSink

  line(text: string, row: number, endRow: number): void {
    // Most lines are neither relay lines nor fences: nothing to read or remember (same result, no regex).
    if (this.held === null && this.block === null && !text.includes('->relay:') && !text.includes('```') && !text.includes('~~~')) return;
    if (this.held) {
      if (this.isContinuation(text)) {
        this.held.text += text;
        this.held.endRow = endRow;
        if (displayWidth(text) !== this.cols()) this.interrupt();
        return;
      }
      this.interrupt();
    }
    if ((this.block !== null || RELAY_START.test(text)) && displayWidth(text) === this.cols()) {
      this.held = { text, row, endRow };
      return;
    }
    this.processLogical(text, row, endRow);
  }

  /** Releases a held line: it is read alone. */
  interrupt(): void {
    const held = this.held;
    if (!held) return;
    this.held = null;
    this.processLogical(held.text, held.row, held.endRow);
  }

  /** The cursor went up to `fromRow`: what was read at or below it may be repainted. */
  erased(fromRow: number): void {
    if (this.block && fromRow <= this.block.startRow) this.block = null;
    else if (this.block) this.block.lines = this.block.lines.filter((line) => line.row < fromRow);
    const now = this.now();
    const keep: ScreenItem[] = [];
    for (const item of this.screen) {
      if (item.endRow >= fromRow) this.addToPool(item.key, now + (item.echo ? this.echoWindowMs : this.redrawWindowMs));
      else keep.push(item);
    }
    this.screen = keep;
  }

  cleared(): void {
    this.interrupt();
    const now = this.now();
    const onScreen = new Set(this.screen);
    this.erased(Number.NEGATIVE_INFINITY);
    for (const item of this.history) {
      if (!onScreen.has(item) && now - item.at <= this.historyWindowMs) this.addToPool(item.key, now + this.redrawWindowMs);
    }
  }

  scrolled(screenTop: number): void {
    if (this.screen.length > 0 && this.screen[0] && this.screen[0].endRow < screenTop) {
      // Lines scrolled above the screen can no longer be repainted by cursor movement.
      this.screen = this.screen.filter((item) => item.endRow >= screenTop);
    }
  }

  quiet(): boolean {
    return this.held === null && this.block === null;
  }

  wantsCloser(): boolean {
    return this.block !== null && !this.block.innerFence;
  }

  closer(row: number): void {
    this.interrupt();
    if (this.block) this.fireBlock(row);
  }

  // The grammar proper

  private isContinuation(text: string): boolean {
    const trimmed = text.trim();
    if (trimmed === '' || RELAY_START.test(text)) return false;
    if (this.block && trimmed === '>>>') return false;
    return !FENCE.test(trimmed);
  }

  private processLogical(text: string, row: number, endRow: number): void {
    if (this.block) {
      this.blockLine(this.block, text, row);
      return;
    }
    const core = text.replace(DECORATION_PREFIX, '');
    const fence = FENCE.exec(core.trimEnd());
    if (fence) {
      this.toggleFence(fence, (next) => (this.fence = next), this.fence);
      return;
    }
    if (this.fence) return;
    if (ECHO_HEADER.test(text)) return;
    const match = RELAY_LINE.exec(text);
    if (!match) return;
    const to = match[1] as string;
    const rest = (match[2] ?? '').trim();
    if (rest === '') return;
    if (rest === '<<<') {
      if (this.isEcho(core)) return;
      this.block = { to, startRow: row, lines: [], chars: 0, innerFence: null };
      return;
    }
    const key = `L\u0000${to.toLowerCase()}\u0000${collapse(rest)}`;
    if (this.isEcho(core)) {
      this.remember(key, row, endRow, true, false);
      return;
    }
    const reprint = this.takeFromPool(key);
    this.remember(key, row, endRow, false, !reprint);
    if (!reprint) this.out.push({ to, body: rest, kind: 'line' });
  }

  private blockLine(block: PendingBlock, text: string, row: number): void {
    const trimmed = text.trim();
    const core = text.replace(DECORATION_PREFIX, '').trimEnd();
    if (!block.innerFence && trimmed === '>>>') {
      this.fireBlock(row);
      return;
    }
    const fence = FENCE.exec(core);
    if (fence) this.toggleFence(fence, (next) => (block.innerFence = next), block.innerFence);
    block.lines.push({ text, row });
    block.chars += text.length + 1;
    if (block.lines.length > this.maxBlockLines || block.chars > this.maxBlockChars) {
      this.onWarning(`relay block to ${block.to} has no closing >>> within ${this.maxBlockLines} lines or ${this.maxBlockChars} characters; dropped`);
      this.block = null;
    }
  }

  private toggleFence(match: RegExpExecArray, set: (fence: Fence | null) => void, current: Fence | null): void {
    const marker = match[1] as string;
    const info = (match[2] ?? '').trim();
    if (!current) {
      set({ char: marker[0] as string, length: marker.length });
    } else if (marker[0] === current.char && marker.length >= current.length && info === '') {
      set(null);
    }
  }

  private fireBlock(endRow: number): void {
    const block = this.block;
    if (!block) return;
    this.block = null;
    const body = dedent(block.lines.map((line) => line.text));
    if (body === '') return;
    const key = `B\u0000${block.to.toLowerCase()}\u0000${body}`;
    const reprint = this.takeFromPool(key);
    this.remember(key, block.startRow, endRow, false, !reprint);
    if (!reprint) this.out.push({ to: block.to, body, kind: 'block' });
  }

  private isEcho(core: string): boolean {
    if (this.injected.length === 0) return false;
    const now = this.now();
    const norm = collapse(core);
    for (const entry of this.injected) {
      if (entry.expires <= now || entry.consumed.has(norm)) continue;
      if (entry.norm.includes(norm)) {
        entry.consumed.add(norm);
        return true;
      }
    }
    return false;
  }

  private remember(key: string, row: number, endRow: number, echo: boolean, fired: boolean): void {
    const item: ScreenItem = { key, row, endRow, echo, at: this.now() };
    this.screen.push(item);
    if (this.screen.length > MAX_SCREEN_ITEMS) this.screen.shift();
    if (fired) {
      this.history.push(item);
      if (this.history.length > MAX_HISTORY) this.history.shift();
    }
  }

  private addToPool(key: string, expires: number): void {
    const list = this.pool.get(key) ?? [];
    list.push(expires);
    this.pool.set(key, list);
  }

  private takeFromPool(key: string): boolean {
    const list = this.pool.get(key);
    if (!list) return false;
    const now = this.now();
    const live = list.filter((expires) => expires > now);
    const found = live.length > 0;
    if (found) live.shift();
    if (live.length > 0) this.pool.set(key, live);
    else this.pool.delete(key);
    return found;
  }
}

function collapse(text: string): string {
  return text.replace(/\s+/g, ' ').trim();
}

/** Removes the indentation common to all non-blank lines and blank lines at both ends. */
function dedent(lines: ReadonlyArray<string>): string {
  const trimmed = lines.map((line) => line.trimEnd());
  let start = 0;
  let end = trimmed.length;
  while (start < end && trimmed[start] === '') start++;
  while (end > start && trimmed[end - 1] === '') end--;
  const body = trimmed.slice(start, end);
  const indents = body.filter((line) => line !== '').map((line) => /^\s*/.exec(line)?.[0].length ?? 0);
  const common = indents.length ? Math.min(...indents) : 0;
  return body.map((line) => line.slice(common)).join('\n');
}

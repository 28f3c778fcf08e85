import { EscapeScanner, type ScanEvent } from './escape-scanner.js';
import { charWidth, isZeroWidth } from './char-width.js';

/**
 * The streaming relay-line parser for one agent's terminal output.
 *
 * Feed it raw pty chunks (strings or bytes, split anywhere). It rebuilds the lines the terminal shows
 * and returns the relay messages they contain:
 *   `->relay:Name message`, `->relay:* message`, and blocks `->relay:Name <<<` … `>>>`.
 *
 * Rules (each one chosen so that a message fires once, whole, and only when the agent meant it):
 * - Line assembly: escape sequences are dropped; `\r` returns to column 0 and overwrites, and if text
 *   was written after the last `\r` the line ends where that rewrite ended (the last rewrite wins);
 *   backspace moves left; tab goes to the next multiple of 8; CSI C/D/G/K/X/P/@ edit the line.
 * - A line fires only when its line feed arrives. A block fires as soon as its `>>>` line is seen.
 *   Text painted by absolute cursor positioning and never followed by a line feed is not read.
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

export interface RelayParserOptions {
  cols?: number;
  rows?: number;
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

export class RelayParser {
  private cols: number;
  private rows: number;
  private readonly now: () => number;
  private readonly echoWindowMs: number;
  private readonly redrawWindowMs: number;
  private readonly historyWindowMs: number;
  private readonly maxBlockLines: number;
  private readonly maxBlockChars: number;
  private readonly onWarning: (message: string) => void;

  private readonly scanner = new EscapeScanner();
  private readonly decoder = new TextDecoder('utf-8');
  private cells: string[] = [];
  private col = 0;
  private crSeen = false;
  private printedSinceCr = false;
  private rewriteEnd = 0;
  private lineConsumed = false;

  private row = 0;
  private maxRow = 0;
  private screenTop = 0;
  private savedRow = 0;
  private savedCol = 0;
  private altScreen: { row: number; maxRow: number; screenTop: number } | null = null;

  private fence: Fence | null = null;
  private block: PendingBlock | null = null;
  private held: HeldLine | null = null;

  private screen: ScreenItem[] = [];
  private pool = new Map<string, number[]>();
  private history: ScreenItem[] = [];
  private injected: InjectedText[] = [];

  private out: ParsedRelayMessage[] = [];
  private readonly onEvent = (event: ScanEvent): void => this.handle(event);

  constructor(options: RelayParserOptions = {}) {
    this.cols = Math.max(1, options.cols ?? 80);
    this.rows = Math.max(1, options.rows ?? 24);
    this.now = options.now ?? Date.now;
    this.echoWindowMs = options.echoWindowMs ?? 5_000;
    this.redrawWindowMs = options.redrawWindowMs ?? 60_000;
    this.historyWindowMs = options.historyWindowMs ?? 10 * 60_000;
    this.maxBlockLines = options.maxBlockLines ?? 2_000;
    this.maxBlockChars = options.maxBlockChars ?? 64 * 1024;
    this.onWarning = options.onWarning ?? (() => undefined);
  }

  /** Feeds a chunk of output; returns the messages it completed, in order. */
  push(chunk: string | Uint8Array): ParsedRelayMessage[] {
    const text = typeof chunk === 'string' ? chunk : this.decoder.decode(chunk, { stream: true });
    this.scanner.scan(text, this.onEvent);
    return this.take();
  }

  /** Releases a line held for a possible wrap continuation (call when the agent goes quiet). */
  flush(): ParsedRelayMessage[] {
    this.flushHeld();
    return this.take();
  }

  /** True while a line exactly as wide as the terminal waits for a possible continuation. */
  get holding(): boolean {
    return this.held !== null;
  }

  /** New terminal size; a held line is read first (with the old width it was wrapped at). */
  resize(cols: number, rows?: number): ParsedRelayMessage[] {
    this.flushHeld();
    this.cols = Math.max(1, cols);
    if (rows !== undefined) this.rows = Math.max(1, rows);
    return this.take();
  }

  /** Records text the daemon injected into this agent, so the agent's echo of it does not fire. */
  noteInjected(text: string): void {
    const now = this.now();
    this.injected = this.injected.filter((entry) => entry.expires > now).slice(-(MAX_INJECTED - 1));
    this.injected.push({ norm: collapse(text), expires: now + this.echoWindowMs, consumed: new Set() });
  }

  private take(): ParsedRelayMessage[] {
    if (this.out.length === 0) return [];
    const result = this.out;
    this.out = [];
    return result;
  }

  private handle(event: ScanEvent): void {
    switch (event.kind) {
      case 'print':
        this.print(event.ch);
        return;
      case 'text':
        this.printAscii(event.text);
        return;
      case 'control':
        this.control(event.code);
        return;
      case 'csi':
        this.csi(event.params, event.final);
        return;
      case 'esc':
        this.escFinal(event.final);
        return;
      default: {
        const never: never = event;
        throw new Error(`unknown scan event ${JSON.stringify(never)}`);
      }
    }
  }

  private print(ch: string): void {
    if (this.lineConsumed) return;
    const code = ch.codePointAt(0) ?? 0;
    if (isZeroWidth(code)) {
      const at = Math.max(0, Math.min(this.col, this.cells.length) - 1);
      if (this.cells.length > 0) this.cells[at] = (this.cells[at] ?? '') + ch;
      return;
    }
    const width = charWidth(code);
    while (this.cells.length < this.col) this.cells.push(' ');
    this.cells[this.col] = ch;
    if (width === 2) this.cells[this.col + 1] = '';
    this.col += width;
    if (this.crSeen) {
      this.printedSinceCr = true;
      this.rewriteEnd = Math.max(this.rewriteEnd, this.col);
    }
    if (ch === '>' && this.block && !this.block.innerFence && this.lineText().trim() === '>>>') {
      this.flushHeld();
      if (this.block) this.fireBlock(this.row);
      this.lineConsumed = true;
    }
  }

  /** print() for a run of printable ASCII: one cell each, no width lookups. */
  private printAscii(text: string): void {
    for (let i = 0; i < text.length; i++) {
      if (this.lineConsumed) return;
      const ch = text[i] as string;
      while (this.cells.length < this.col) this.cells.push(' ');
      this.cells[this.col] = ch;
      this.col += 1;
      if (this.crSeen) {
        this.printedSinceCr = true;
        this.rewriteEnd = Math.max(this.rewriteEnd, this.col);
      }
      if (ch === '>' && this.block && !this.block.innerFence && this.lineText().trim() === '>>>') {
        this.flushHeld();
        if (this.block) this.fireBlock(this.row);
        this.lineConsumed = true;
      }
    }
  }

  private control(code: number): void {
    switch (code) {
      case 0x0a:
      case 0x0b:
      case 0x0c:
        this.lineFeed();
        return;
      case 0x0d:
        // A rewrite that ended before the old text did replaced the line: drop the old tail now.
        if (this.printedSinceCr) this.cells.length = Math.min(this.cells.length, this.rewriteEnd);
        this.col = 0;
        this.crSeen = true;
        this.printedSinceCr = false;
        this.rewriteEnd = 0;
        return;
      case 0x08:
        this.col = Math.max(0, this.col - 1);
        return;
      case 0x09:
        this.col = Math.min(this.col + 8 - (this.col % 8), Math.max(this.cols - 1, this.col));
        return;
      default:
        return;
    }
  }

  private csi(params: string, final: string): void {
    const priv = /^[?<=>]/.test(params);
    const nums = (priv ? params.slice(1) : params).split(';').map((part) => {
      const n = Number.parseInt(part.split(':')[0] ?? '', 10);
      return Number.isFinite(n) ? n : 0;
    });
    const n = Math.max(1, nums[0] ?? 0);
    if (priv) {
      if ((final === 'h' || final === 'l') && nums.some((m) => m === 1049 || m === 1047 || m === 47)) {
        this.switchScreen(final === 'h');
      }
      return;
    }
    switch (final) {
      case 'A':
        this.moveToRow(this.row - n);
        return;
      case 'B':
        this.moveToRow(this.row + n);
        return;
      case 'E':
        this.moveToRow(this.row + n);
        this.col = 0;
        return;
      case 'F':
        this.moveToRow(this.row - n);
        this.col = 0;
        return;
      case 'H':
      case 'f':
        this.moveToRow(this.screenTop + Math.max(1, nums[0] ?? 1) - 1);
        this.col = Math.max(1, nums[1] ?? 1) - 1;
        return;
      case 'd':
        this.moveToRow(this.screenTop + n - 1);
        return;
      case 'G':
      case '`':
        this.col = n - 1;
        return;
      case 'C':
        this.col += n;
        return;
      case 'D':
        this.col = Math.max(0, this.col - n);
        return;
      case 'K':
        this.eraseInLine(nums[0] ?? 0);
        return;
      case 'J':
        this.eraseInDisplay(nums[0] ?? 0);
        return;
      case 'X':
        for (let i = this.col; i < Math.min(this.cells.length, this.col + n); i++) this.cells[i] = ' ';
        return;
      case 'P':
        this.cells.splice(this.col, n);
        return;
      case '@':
        if (this.col < this.cells.length) this.cells.splice(this.col, 0, ...Array<string>(n).fill(' '));
        return;
      case 's':
        this.savedRow = this.row;
        this.savedCol = this.col;
        return;
      case 'u':
        this.moveToRow(this.savedRow);
        this.col = this.savedCol;
        return;
      default:
        return;
    }
  }

  private escFinal(final: string): void {
    switch (final) {
      case '7':
        this.savedRow = this.row;
        this.savedCol = this.col;
        return;
      case '8':
        this.moveToRow(this.savedRow);
        this.col = this.savedCol;
        return;
      case 'M':
        this.moveToRow(this.row - 1);
        return;
      case 'D':
      case 'E':
        this.lineFeed();
        return;
      case 'c':
        this.clearScreen();
        this.moveToRow(this.screenTop);
        this.col = 0;
        return;
      default:
        return;
    }
  }

  private eraseInLine(mode: number): void {
    if (mode === 0) this.cells.length = Math.min(this.cells.length, this.col);
    else if (mode === 1) for (let i = 0; i <= Math.min(this.col, this.cells.length - 1); i++) this.cells[i] = ' ';
    else this.cells = [];
    if (mode !== 1) this.rewriteEnd = Math.min(this.rewriteEnd, this.col);
  }

  private eraseInDisplay(mode: number): void {
    if (mode === 0) {
      this.eraseInLine(0);
      this.eraseRowsFrom(this.row + 1);
    } else if (mode === 1) {
      this.eraseInLine(1);
    } else {
      this.cells = [];
      this.clearScreen();
    }
  }

  private switchScreen(enter: boolean): void {
    this.flushHeld();
    this.resetLine();
    if (enter && !this.altScreen) {
      this.altScreen = { row: this.row, maxRow: this.maxRow, screenTop: this.screenTop };
      this.screenTop = this.maxRow + 1;
      this.row = this.screenTop;
      this.maxRow = this.row;
    } else if (!enter && this.altScreen) {
      // The alternate screen's lines vanish with it; the main screen comes back unchanged.
      this.eraseRowsFrom(this.screenTop);
      this.row = this.altScreen.row;
      this.maxRow = Math.max(this.maxRow, this.altScreen.maxRow);
      this.screenTop = this.altScreen.screenTop;
      this.altScreen = null;
    }
  }

  private moveToRow(target: number): void {
    const clamped = Math.max(this.screenTop, Math.min(target, this.screenTop + this.rows - 1));
    if (clamped === this.row) return;
    this.flushHeld();
    this.resetLine();
    if (clamped < this.row) this.eraseRowsFrom(clamped);
    this.row = clamped;
    this.advanceMax();
  }

  private lineFeed(): void {
    const consumed = this.lineConsumed;
    const text = this.lineText();
    const used = Math.max(1, Math.ceil(displayWidth(text) / this.cols));
    const row = this.row;
    this.resetLine();
    this.row += used;
    this.advanceMax();
    if (!consumed) this.completeLine(text, row, row + used - 1);
  }

  private advanceMax(): void {
    if (this.row > this.maxRow) this.maxRow = this.row;
    if (!this.altScreen) this.screenTop = Math.max(this.screenTop, this.maxRow - this.rows + 1);
    if (this.screen.length > 0 && this.screen[0] && this.screen[0].endRow < this.screenTop) {
      // Lines scrolled above the screen can no longer be repainted by cursor movement.
      this.screen = this.screen.filter((item) => item.endRow >= this.screenTop);
    }
  }

  private resetLine(): void {
    this.cells = [];
    this.col = 0;
    this.crSeen = false;
    this.printedSinceCr = false;
    this.rewriteEnd = 0;
    this.lineConsumed = false;
  }

  private lineText(): string {
    const cells = this.printedSinceCr ? this.cells.slice(0, this.rewriteEnd) : this.cells;
    return cells.join('').trimEnd();
  }

  private completeLine(text: string, row: number, endRow: number): void {
    if (this.held) {
      if (this.isContinuation(text)) {
        this.held.text += text;
        this.held.endRow = endRow;
        if (displayWidth(text) !== this.cols) this.flushHeld();
        return;
      }
      this.flushHeld();
    }
    if ((this.block !== null || RELAY_START.test(text)) && displayWidth(text) === this.cols) {
      this.held = { text, row, endRow };
      return;
    }
    this.processLogical(text, row, endRow);
  }

  private isContinuation(text: string): boolean {
    const trimmed = text.trim();
    if (trimmed === '' || RELAY_START.test(text)) return false;
    if (this.block && trimmed === '>>>') return false;
    return !FENCE.test(trimmed);
  }

  private flushHeld(): void {
    const held = this.held;
    if (!held) return;
    this.held = null;
    this.processLogical(held.text, held.row, held.endRow);
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

  /** The cursor went up to `fromRow`: what was read at or below it may be repainted. */
  private eraseRowsFrom(fromRow: number): void {
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

  private clearScreen(): void {
    this.flushHeld();
    const now = this.now();
    const onScreen = new Set(this.screen);
    this.eraseRowsFrom(Number.NEGATIVE_INFINITY);
    for (const item of this.history) {
      if (!onScreen.has(item) && now - item.at <= this.historyWindowMs) this.addToPool(item.key, now + this.redrawWindowMs);
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

const PRINTABLE_ASCII = /^[\x20-\x7e]*$/;

function displayWidth(text: string): number {
  // Most terminal text is plain ASCII, one cell a character: skip the per-character walk.
  if (PRINTABLE_ASCII.test(text)) return text.length;
  let width = 0;
  for (const ch of text) width += isZeroWidth(ch.codePointAt(0) ?? 0) ? 0 : charWidth(ch.codePointAt(0) ?? 0);
  return width;
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

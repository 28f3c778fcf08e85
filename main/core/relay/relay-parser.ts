import { LineAssembler, type ResumePoint } from './line-assembler.js';
import { RelayGrammar, type ParsedRelayMessage, type RelayGrammarOptions } from './relay-grammar.js';

export type { ParsedRelayMessage, RelayMessageKind } from './relay-grammar.js';
export type { ResumePoint } from './line-assembler.js';

/**
 * The streaming relay-line parser for one agent's terminal output: a LineAssembler (escape sequences,
 * carriage returns, cursor movement → the lines the terminal shows) feeding the RelayGrammar (relay
 * lines, blocks, fences, echoes, redraws). Feed it raw pty chunks (strings or bytes, split anywhere);
 * each call returns the relay messages completed so far. The rules are described in the two parts.
 */

export interface RelayParserOptions extends RelayGrammarOptions {
  cols?: number;
  rows?: number;
  /** Count plain lines that hold no relay material instead of scanning them (default true; see LineAssembler). */
  skipPlainLines?: boolean;
}

export class RelayParser {
  private readonly grammar: RelayGrammar;
  private readonly lines: LineAssembler;

  constructor(options: RelayParserOptions = {}) {
    const { cols, rows, skipPlainLines, ...grammar } = options;
    this.grammar = new RelayGrammar(() => this.lines.cols, grammar);
    this.lines = new LineAssembler(this.grammar, cols ?? 80, rows ?? 24, skipPlainLines === undefined ? {} : { skipPlainLines });
  }

  /** Feeds a chunk of output; returns the messages it completed, in order. */
  push(chunk: string | Uint8Array): ParsedRelayMessage[] {
    this.lines.push(chunk);
    return this.grammar.take();
  }

  /** Releases a line held for a possible wrap continuation (call when the agent goes quiet). */
  flush(): ParsedRelayMessage[] {
    this.grammar.interrupt();
    return this.grammar.take();
  }

  /** True while a line exactly as wide as the terminal waits for a possible continuation. */
  get holding(): boolean {
    return this.grammar.holding;
  }

  /** The unfinished line holds nothing a relay line or fence could start with (see LineAssembler.lineInert). */
  get lineInert(): boolean {
    return this.lines.lineInert;
  }

  /** Where a next parser could take up after what was fed so far (LineAssembler.resumePoint); the grammar is the caller's to check (holding, open). */
  resumePoint(): ResumePoint | undefined {
    return this.lines.resumePoint();
  }

  /** Starts from a line another parser described (LineAssembler.resumeLine), before anything is fed. */
  resumeLine(line: string): boolean {
    return this.lines.resumeLine(line);
  }

  /** True inside a block (`->relay:Name <<<` seen, `>>>` not yet) or a code fence. */
  get open(): boolean {
    return this.grammar.open;
  }

  /** New terminal size; a held line is read first (with the old width it was wrapped at). */
  resize(cols: number, rows?: number): ParsedRelayMessage[] {
    this.lines.resize(cols, rows);
    return this.grammar.take();
  }

  /** The assembler's cursor in virtual rows (for tests that compare parsers). */
  get position(): { row: number; maxRow: number; screenTop: number; col: number } {
    return this.lines.position;
  }

  /** Lines counted without a scan (LineAssembler.linesSkipped). */
  get linesSkipped(): number {
    return this.lines.linesSkipped;
  }

  /** Records text the daemon injected into this agent, so the agent's echo of it does not fire. */
  noteInjected(text: string): void {
    this.grammar.noteInjected(text);
  }
}

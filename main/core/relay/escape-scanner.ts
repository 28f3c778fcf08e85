/**
 * A streaming scanner for terminal output: it walks code units through a VT500-style state machine
 * and reports printable text, the controls that matter for line assembly, and the CSI sequences that
 * move the cursor or erase. Everything else (OSC, DCS, SOS, PM, APC, charset designations, C1 codes)
 * is swallowed. State survives between chunks, so a sequence split anywhere is still recognised.
 */

export type ScanEvent =
  | { kind: 'print'; ch: string }
  /** A run of printable ASCII (one cell per character), reported at once for speed. */
  | { kind: 'text'; text: string }
  | { kind: 'control'; code: number }
  | { kind: 'csi'; params: string; final: string }
  | { kind: 'esc'; final: string };

type State = 'ground' | 'esc' | 'escInter' | 'csi' | 'string' | 'stringEsc';

const ESC = 0x1b;
const BEL = 0x07;
const CAN = 0x18;
const SUB = 0x1a;
const MAX_CSI_PARAMS = 64;

export class EscapeScanner {
  private state: State = 'ground';
  private csiParams = '';
  private highSurrogate = '';

  /** In the ground state with no half of a surrogate pair waiting: the next text starts afresh. */
  get atRest(): boolean {
    return this.state === 'ground' && this.highSurrogate === '';
  }

  /** Feeds one chunk (or `text` from `start` to `end`); `emit` is called synchronously for each event, in order. */
  scan(text: string, emit: (event: ScanEvent) => void, start = 0, stop = text.length): void {
    for (let i = start; i < stop; i++) {
      const code = text.charCodeAt(i);
      if (this.state === 'ground' && code >= 0x20 && code <= 0x7e) {
        // Most output is plain text: hand over the whole printable run in one event.
        let end = i + 1;
        while (end < stop) {
          const next = text.charCodeAt(end);
          if (next < 0x20 || next > 0x7e) break;
          end++;
        }
        this.highSurrogate = '';
        emit({ kind: 'text', text: text.slice(i, end) });
        i = end - 1;
        continue;
      }
      this.step(code, text[i] as string, emit);
    }
  }

  private step(code: number, ch: string, emit: (event: ScanEvent) => void): void {
    switch (this.state) {
      case 'ground':
        this.ground(code, ch, emit);
        return;
      case 'esc':
        this.escape(code, ch, emit);
        return;
      case 'escInter':
        if (code === ESC) this.state = 'esc';
        else if (code === CAN || code === SUB) this.state = 'ground';
        else if (code >= 0x30 && code <= 0x7e) this.state = 'ground';
        else if (code < 0x20 || code > 0x7e) this.state = 'ground';
        return;
      case 'csi':
        if (code >= 0x40 && code <= 0x7e) {
          this.state = 'ground';
          emit({ kind: 'csi', params: this.csiParams, final: ch });
        } else if (code >= 0x20 && code <= 0x3f) {
          if (this.csiParams.length < MAX_CSI_PARAMS) this.csiParams += ch;
        } else if (code === ESC) {
          this.state = 'esc';
        } else if (code === CAN || code === SUB) {
          this.state = 'ground';
        } else if (code < 0x20) {
          // C0 inside CSI executes without ending the sequence, as in xterm.
          emit({ kind: 'control', code });
        } else {
          // Anything else aborts a malformed sequence.
          this.state = 'ground';
        }
        return;
      case 'string':
        if (code === BEL || code === 0x9c) this.state = 'ground';
        else if (code === ESC) this.state = 'stringEsc';
        else if (code === CAN || code === SUB) this.state = 'ground';
        return;
      case 'stringEsc':
        if (code === 0x5c) {
          this.state = 'ground';
        } else {
          // ESC inside a string ends it and starts a new escape sequence.
          this.state = 'esc';
          this.escape(code, ch, emit);
        }
        return;
      default: {
        const never: never = this.state;
        throw new Error(`unknown scanner state ${String(never)}`);
      }
    }
  }

  private ground(code: number, ch: string, emit: (event: ScanEvent) => void): void {
    if (code === ESC) {
      this.state = 'esc';
      return;
    }
    if (code < 0x20) {
      emit({ kind: 'control', code });
      return;
    }
    if (code === 0x7f) return;
    if (code >= 0x80 && code <= 0x9f) {
      // C1 controls as code points (a UTF-8 terminal may still honour them).
      if (code === 0x9b) this.enterCsi();
      else if (code === 0x9d || code === 0x90 || code === 0x98 || code === 0x9e || code === 0x9f) this.state = 'string';
      return;
    }
    if (code >= 0xd800 && code <= 0xdbff) {
      this.highSurrogate = ch;
      return;
    }
    if (code >= 0xdc00 && code <= 0xdfff) {
      if (this.highSurrogate) emit({ kind: 'print', ch: this.highSurrogate + ch });
      this.highSurrogate = '';
      return;
    }
    this.highSurrogate = '';
    emit({ kind: 'print', ch });
  }

  private escape(code: number, ch: string, emit: (event: ScanEvent) => void): void {
    if (code === 0x5b) this.enterCsi();
    else if (code === 0x5d || code === 0x50 || code === 0x58 || code === 0x5e || code === 0x5f) this.state = 'string';
    else if (code >= 0x20 && code <= 0x2f) this.state = 'escInter';
    else if (code === ESC) this.state = 'esc';
    else if (code === CAN || code === SUB) this.state = 'ground';
    else if (code < 0x20) emit({ kind: 'control', code });
    else {
      this.state = 'ground';
      if (code >= 0x30 && code <= 0x7e) emit({ kind: 'esc', final: ch });
    }
  }

  private enterCsi(): void {
    this.state = 'csi';
    this.csiParams = '';
  }
}

/** Removes every escape sequence and C1 code from a complete string (the non-streaming use). */
export function stripEscapes(text: string): string {
  const scanner = new EscapeScanner();
  let out = '';
  scanner.scan(text, (event) => {
    if (event.kind === 'print') out += event.ch;
    else if (event.kind === 'text') out += event.text;
    else if (event.kind === 'control') out += String.fromCharCode(event.code);
  });
  return out;
}

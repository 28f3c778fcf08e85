/**
 * Whether a program turned bracketed paste on (DECSET 2004, `ESC [ ? 2004 h`) or off (DECRST,
 * `… l`), read from its output however it is cut into chunks. A new process starts with it off, and
 * a full reset (RIS, `ESC c`) turns it off. Injections are wrapped in paste markers only while it is
 * on: a program that never asked for them would read the markers as typed text.
 */

// eslint-disable-next-line no-control-regex
const MODE_SET = /(?:\x1b\[|\x9b)\?([0-9;:]*)([hl])|\x1bc/g;
// An escape sequence cut off at the end of a chunk that could still become one of the above.
// eslint-disable-next-line no-control-regex
const PARTIAL = /^(?:\x1b(?:\[(?:\?[0-9;:]*)?)?|\x9b(?:\?[0-9;:]*)?)$/;
const MAX_CARRY = 64;

export class PasteModeTracker {
  private on = false;
  private carry = '';

  get enabled(): boolean {
    return this.on;
  }

  /** A fresh process: mode off. */
  reset(): void {
    this.on = false;
    this.carry = '';
  }

  push(chunk: string): void {
    const text = this.carry ? this.carry + chunk : chunk;
    this.carry = '';
    if (text.indexOf('\x1b') < 0 && text.indexOf('\x9b') < 0) return;
    // A mode change needs a `?` (DECSET/DECRST) or a reset (ESC c): most chunks (colours) have neither.
    if (text.indexOf('?') >= 0 || text.indexOf('\x1bc') >= 0) this.read(text);
    const last = Math.max(text.lastIndexOf('\x1b'), text.lastIndexOf('\x9b'));
    if (last >= 0 && text.length - last < MAX_CARRY) {
      const tail = text.slice(last);
      if (PARTIAL.test(tail)) this.carry = tail;
    }
  }

  private read(text: string): void {
    for (const match of text.matchAll(MODE_SET)) {
      if (match[0] === '\x1bc') this.on = false;
      else if ((match[1] as string).split(/[;:]/).includes('2004')) this.on = match[2] === 'h';
    }
  }
}

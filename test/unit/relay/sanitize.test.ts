import { describe, expect, it } from 'vitest';
import { formatInjection, PASTE_END, PASTE_START, sanitizeText } from '../../../main/core/relay/sanitize.js';

const ATTACKS: ReadonlyArray<{ name: string; input: string; visible: string }> = [
  { name: 'OSC 52 clipboard write (BEL)', input: 'a\x1b]52;c;cm0gLXJmIH4=\x07b', visible: 'ab' },
  { name: 'OSC 52 clipboard write (ST)', input: 'a\x1b]52;c;cm0gLXJmIH4=\x1b\\b', visible: 'ab' },
  { name: 'bracketed paste end then a command', input: 'hi\x1b[201~rm -rf ~\r', visible: 'hirm -rf ~\n' },
  { name: 'paste end hidden behind a doubled ESC', input: 'x\x1b\x1b[201~y', visible: 'xy' },
  { name: 'C1 CSI paste end', input: 'x\u009b201~y', visible: 'xy' },
  { name: 'C1 OSC title', input: 'x\u009d0;pwned\u009cy', visible: 'xy' },
  { name: 'BEL', input: 'ding\x07dong', visible: 'dingdong' },
  { name: 'cursor movement and erase', input: '\x1b[2J\x1b[H\x1b[10;10Hmoved\x1b[Ksaid', visible: 'movedsaid' },
  { name: 'window title set', input: '\x1b]0;evil title\x07\x1b]2;evil\x1b\\ok', visible: 'ok' },
  { name: 'DCS with an embedded BEL-free payload', input: 'a\x1bP+q544e\x1b\\b', visible: 'ab' },
  { name: 'charset switch to line drawing', input: '\x1b(0lqk\x1b(B', visible: 'lqk' },
  { name: 'ESC c full reset', input: 'a\x1bcb', visible: 'ab' },
  { name: 'NUL, backspace, DEL and CAN', input: 'a\x00b\x08c\x7fd\x18e', visible: 'abcde' },
  { name: 'CRLF and lone CR become LF', input: 'one\r\ntwo\rthree', visible: 'one\ntwo\nthree' },
  { name: 'unterminated OSC swallows the rest', input: 'safe\x1b]52;c;AAAA', visible: 'safe' },
  { name: 'bidi override', input: 'abc\u202edcba', visible: 'abcdcba' },
  { name: 'keyboard-protocol push', input: 'x\x1b[>1uy', visible: 'xy' },
];

/** Every code unit below 0x20 except \n and \t, DEL, and C1. */
function controls(text: string): string[] {
  return [...text].filter((ch) => {
    const code = ch.charCodeAt(0);
    return (code < 0x20 && ch !== '\n' && ch !== '\t') || (code >= 0x7f && code <= 0x9f);
  });
}

describe('sanitizeText', () => {
  for (const attack of ATTACKS) {
    it(`strips ${attack.name}`, () => {
      const out = sanitizeText(attack.input);
      expect(out).toBe(attack.visible);
      expect(controls(out)).toEqual([]);
    });
  }

  it('keeps tabs, newlines and non-ASCII text', () => {
    expect(sanitizeText('a\tb\nc ünï 中文 🎉')).toBe('a\tb\nc ünï 中文 🎉');
  });

  it('truncates past the limit with a visible note, on a character boundary', () => {
    const out = sanitizeText('é'.repeat(10), { maxBytes: 5 });
    expect(out).toBe('éé\n[truncated 16 bytes]');
  });

  it('limits to 16 KiB by default', () => {
    const out = sanitizeText('x'.repeat(20_000));
    expect(out.startsWith('x'.repeat(16 * 1024))).toBe(true);
    expect(out.endsWith('\n[truncated 3616 bytes]')).toBe(true);
  });
});

describe('formatInjection', () => {
  it('wraps the header and body in bracketed paste and ends with Enter', () => {
    expect(formatInjection('Alice', 'abc123', 'hello\nworld')).toBe(`${PASTE_START}Relay message from Alice [abc123]: hello\nworld${PASTE_END}\r`);
  });

  it('lets no attack string leave the paste or carry a control byte', () => {
    for (const attack of ATTACKS) {
      const bytes = formatInjection('Al\x1b[31mice', 'id', attack.input);
      expect(bytes.startsWith(PASTE_START)).toBe(true);
      expect(bytes.endsWith(`${PASTE_END}\r`)).toBe(true);
      const inner = bytes.slice(PASTE_START.length, -PASTE_END.length - 1);
      expect(inner.startsWith('Relay message from Alice [id]: ')).toBe(true);
      expect(controls(inner), attack.name).toEqual([]);
      expect(Buffer.from(inner, 'utf8').some((byte) => byte === 0x1b)).toBe(false);
    }
  });

  it('writes plain text and Enter when the program has no bracketed paste', () => {
    expect(formatInjection('Alice', 'i', 'hi\x1b[201~', { bracketedPaste: false })).toBe('Relay message from Alice [i]: hi\r');
  });
});

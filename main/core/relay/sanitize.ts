import { stripEscapes } from './escape-scanner.js';

/**
 * What one agent sends must not drive another agent's terminal: the injected text keeps printable
 * characters, `\n` and `\t` only, and is bounded in size.
 */

export const DEFAULT_MAX_INJECT_BYTES = 16 * 1024;

export const PASTE_START = '\x1b[200~';
export const PASTE_END = '\x1b[201~';

// C0 except \t and \n, DEL, C1; bidi overrides could disguise text shown to the recipient's human.
// eslint-disable-next-line no-control-regex
const FORBIDDEN = /[\x00-\x08\x0b-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069]/g;
const LONE_SURROGATE = /[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/g;

export interface SanitizeOptions {
  maxBytes?: number;
}

/** Strips escape sequences and control characters, normalises newlines, and truncates visibly. */
export function sanitizeText(text: string, options: SanitizeOptions = {}): string {
  const maxBytes = options.maxBytes ?? DEFAULT_MAX_INJECT_BYTES;
  const plain = stripEscapes(text.replace(/\r\n?/g, '\n'))
    .replace(/\r/g, '\n')
    .replace(FORBIDDEN, '')
    .replace(LONE_SURROGATE, '');
  return truncateUtf8(plain, maxBytes);
}

function truncateUtf8(text: string, maxBytes: number): string {
  const bytes = Buffer.byteLength(text, 'utf8');
  if (bytes <= maxBytes) return text;
  let kept = '';
  let used = 0;
  for (const ch of text) {
    const size = Buffer.byteLength(ch, 'utf8');
    if (used + size > maxBytes) break;
    kept += ch;
    used += size;
  }
  return `${kept}\n[truncated ${bytes - used} bytes]`;
}

export interface InjectionOptions extends SanitizeOptions {
  /** Wrap in bracketed paste (default); turn off for a program that has not enabled mode 2004. */
  bracketedPaste?: boolean;
}

/** The plain text an agent sees for a relayed message (also what its echo will look like). */
export function formatRelayText(from: string, id: string, body: string, options: SanitizeOptions = {}): string {
  const safeFrom = sanitizeText(from, { maxBytes: 64 }).replace(/\s+/g, ' ');
  const safeId = sanitizeText(id, { maxBytes: 64 }).replace(/\s+/g, ' ');
  return `Relay message from ${safeFrom} [${safeId}]: ${sanitizeText(body, options)}`;
}

/** The exact bytes to write into the recipient's pty: bracketed paste of the text, then Enter. */
export function formatInjection(from: string, id: string, body: string, options: InjectionOptions = {}): string {
  return wrapInjection(formatRelayText(from, id, body, options), options.bracketedPaste !== false);
}

/** Already formatted (and sanitized) text as one paste, then Enter. */
export function wrapInjection(text: string, bracketedPaste: boolean): string {
  return bracketedPaste ? `${PASTE_START}${text}${PASTE_END}\r` : `${text}\r`;
}

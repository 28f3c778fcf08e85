/**
 * Removes anything shaped like a token or secret from text before it is logged.
 * Shapes, not known values: a secret the logger was never told about is still caught.
 */
const PATTERNS: ReadonlyArray<RegExp> = [
  /\bsk-ant-[A-Za-z0-9_-]{8,}/g, // Anthropic OAuth and API keys
  /\bsk-(?:proj-)?[A-Za-z0-9_-]{20,}/g, // OpenAI keys
  /\bgh[opsur]_[A-Za-z0-9]{20,}/g, // GitHub tokens
  /\bgithub_pat_[A-Za-z0-9_]{20,}/g,
  /\bya29\.[A-Za-z0-9_-]{10,}/g, // Google access tokens
  /\b1\/\/[A-Za-z0-9_-]{20,}/g, // Google refresh tokens
  /\bAIza[A-Za-z0-9_-]{30,}/g, // Google API keys
  /\beyJ[A-Za-z0-9_-]{5,}\.[A-Za-z0-9_-]{5,}\.[A-Za-z0-9_-]*/g, // JWTs
  /\b(Bearer|Basic)\s+[A-Za-z0-9._~+/=-]{8,}/gi,
  // key=value, key: value and "key":"value" for secret-looking keys
  /(["']?(?:[A-Za-z_]*(?:token|secret|password|passphrase|api[_-]?key|code_verifier|authorization|cookie)[A-Za-z_]*)["']?\s*[:=]\s*["']?)([^"'\s&,;}]{4,})/gi,
  /\b[A-Fa-f0-9]{40,}\b/g, // long hex strings (our dashboard tokens among them)
  /\b[A-Za-z0-9_-]{43,}\b/g, // long base64url strings
];

export const REDACTED = '[redacted]';

export function redact(text: string): string {
  let out = text;
  for (const pattern of PATTERNS) {
    out = out.replace(pattern, (match, ...groups: unknown[]) => {
      // The key=value pattern keeps its key and hides only the value.
      if (typeof groups[0] === 'string' && typeof groups[1] === 'string' && pattern.source.startsWith('(["\']?')) {
        return `${groups[0]}${REDACTED}`;
      }
      if (/^(Bearer|Basic)\s/i.test(match)) return `${match.split(/\s+/)[0]} ${REDACTED}`;
      return REDACTED;
    });
  }
  return out;
}

import { describe, expect, it } from 'vitest';
import { parsePastedCode } from '../../../main/core/auth/paste-code.js';

const STATE = 'st4te-Value_123';

describe('reading a pasted code', () => {
  it('accepts code#state', () => {
    expect(parsePastedCode(`abc123#${STATE}`, STATE, false)).toEqual({ ok: true, value: { code: 'abc123', state: STATE } });
  });

  it('strips whitespace and line breaks from a wrapped paste', () => {
    expect(parsePastedCode(`  abc\n12 3#st4te-\r\nValue_123 \n`, STATE, false)).toEqual({ ok: true, value: { code: 'abc123', state: STATE } });
  });

  it('accepts a full callback URL with code and state query parameters', () => {
    const url = `https://console.anthropic.com/oauth/code/callback?code=abc123&state=${STATE}`;
    expect(parsePastedCode(url, STATE, false)).toEqual({ ok: true, value: { code: 'abc123', state: STATE } });
  });

  it('accepts a callback URL whose code parameter carries code#state', () => {
    const url = `https://console.anthropic.com/oauth/code/callback?code=${encodeURIComponent(`abc123#${STATE}`)}`;
    expect(parsePastedCode(url, STATE, false)).toEqual({ ok: true, value: { code: 'abc123', state: STATE } });
  });

  it('refuses a wrong state', () => {
    const result = parsePastedCode('abc123#someone-elses-state', STATE, true);
    expect(result.ok ? 'ok' : result.error.code).toBe('state_mismatch');
  });

  it('refuses a URL with a wrong state', () => {
    const result = parsePastedCode('http://127.0.0.1:5555/callback?code=abc&state=other', STATE, true);
    expect(result.ok ? 'ok' : result.error.code).toBe('state_mismatch');
  });

  it('accepts the code alone only when the flow allows it', () => {
    expect(parsePastedCode(' abc123 ', STATE, true)).toEqual({ ok: true, value: { code: 'abc123' } });
    const strict = parsePastedCode('abc123', STATE, false);
    expect(strict.ok ? 'ok' : strict.error.code).toBe('state_mismatch');
  });

  it('refuses an empty paste and a pair without a code', () => {
    const empty = parsePastedCode(' \n ', STATE, true);
    expect(empty.ok ? 'ok' : empty.error.code).toBe('missing_code');
    const noCode = parsePastedCode(`#${STATE}`, STATE, true);
    expect(noCode.ok ? 'ok' : noCode.error.code).toBe('missing_code');
  });

  it('reports a denied sign-in pasted as a URL', () => {
    const result = parsePastedCode(`https://example.test/cb?error=access_denied&state=${STATE}`, STATE, true);
    expect(result.ok ? 'ok' : result.error.code).toBe('access_denied');
  });
});

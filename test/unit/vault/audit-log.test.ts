import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createAuditLog } from '../../../main/core/vault/audit-log.js';

let dir: string;
beforeEach(() => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'audit-test-'));
});
afterEach(() => {
  fs.rmSync(dir, { recursive: true, force: true });
});

describe('audit log', () => {
  it('appends one JSON line per event, 0600, and reads them back in order', () => {
    const log = createAuditLog(dir, () => new Date('2026-01-02T03:04:05.000Z'));
    log.record({ action: 'connect', provider: 'anthropic', account: 'ada@example.com', method: 'browser', outcome: 'ok' });
    log.record({ action: 'refresh', provider: 'openai', account: 'work', outcome: 'error', code: 'refresh_token_reused', detail: 'Sign in again.' });
    const lines = fs.readFileSync(log.file, 'utf8').trim().split('\n');
    expect(lines).toHaveLength(2);
    expect(JSON.parse(lines[0]!)).toEqual({ time: '2026-01-02T03:04:05.000Z', action: 'connect', provider: 'anthropic', account: 'ada@example.com', method: 'browser', outcome: 'ok' });
    expect(log.read().map((e) => [e.action, e.outcome, e.code])).toEqual([
      ['connect', 'ok', undefined],
      ['refresh', 'error', 'refresh_token_reused'],
    ]);
    expect(fs.statSync(log.file).mode & 0o777).toBe(0o600);
  });

  it('redacts anything token-shaped that slips into free text', () => {
    const log = createAuditLog(dir);
    log.record({ action: 'failure', provider: 'anthropic', outcome: 'error', detail: 'token endpoint said refresh_token=sk-ant-ort01-abcdefghijklmnop was reused' });
    const text = fs.readFileSync(log.file, 'utf8');
    expect(text).not.toContain('sk-ant-ort01-abcdefghijklmnop');
    expect(text).toContain('[redacted]');
  });

  it('skips a torn last line left by a crash', () => {
    const log = createAuditLog(dir);
    log.record({ action: 'import', provider: 'openai', account: 'a', method: 'import', outcome: 'ok' });
    fs.appendFileSync(log.file, '{"time":"2026');
    expect(log.read().map((e) => e.action)).toEqual(['import']);
  });
});

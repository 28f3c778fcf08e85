import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { redact } from '../../../main/core/logging/redact.js';
import { createLogger, LOG_FILE } from '../../../main/core/logging/logger.js';
import { makeTempDir } from '../../support/temp-dir.js';

const SECRETS = [
  'sk-ant-oat01-AbCdEfGhIjKlMnOpQrStUvWxYz0123456789',
  'sk-ant-ort01-ZyXwVuTsRqPoNmLkJiHgFeDcBa9876543210',
  'sk-proj-abcdefghijklmnopqrstuvwxyz012345',
  'gho_16C7e42F292c6912E7710c838347Ae178B4a',
  'ya29.a0AfH6SMBx3Qk-example-google-access-token',
  '1//0gLxExampleGoogleRefreshToken-abcdefghij',
  'eyJhbGciOiJSUzI1NiJ9.eyJzdWIiOiIxMjM0NTY3ODkwIn0.c2lnbmF0dXJlLXBhcnQ',
  'c074e4146bcc276c8d52fbb6198c16e3ddf8e2708c9c8eb6',
];

describe('redaction', () => {
  it.each(SECRETS)('hides %s', (secret) => {
    const out = redact(`token was ${secret} here`);
    expect(out).not.toContain(secret);
    expect(out).toContain('[redacted]');
  });

  it('hides values of secret-looking keys in key=value and JSON forms, keeping the key', () => {
    expect(redact('refresh_token=abc123xyz&x=1')).toBe('refresh_token=[redacted]&x=1');
    expect(redact('{"access_token":"shorty99"}')).toBe('{"access_token":"[redacted]"}');
    expect(redact('Authorization: Bearer abcdefghijkl')).not.toContain('abcdefghijkl');
    expect(redact('password: hunter22')).toBe('password: [redacted]');
  });

  it('leaves ordinary text alone', () => {
    const text = 'Agent Alice started in /home/me/project on port 7433 (pid 4242)';
    expect(redact(text)).toBe(text);
  });

  it('applies to everything the logger writes to its file and console', () => {
    const tmp = makeTempDir();
    try {
      const lines: string[] = [];
      const logger = createLogger({ dir: tmp.dir, level: 'debug', consoleLevel: 'debug', console: (l) => lines.push(l) });
      logger.info('refreshed', { token: SECRETS[0], error: new Error(`bad ${SECRETS[1]}`) });
      const file = fs.readFileSync(path.join(tmp.dir, LOG_FILE), 'utf8');
      for (const secret of SECRETS.slice(0, 2)) {
        expect(file).not.toContain(secret);
        expect(lines.join('\n')).not.toContain(secret);
      }
      expect(file).toContain('refreshed');
      expect(fs.statSync(path.join(tmp.dir, LOG_FILE)).mode & 0o777).toBe(0o600);
    } finally {
      tmp.cleanup();
    }
  });
});

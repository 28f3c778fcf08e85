import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import {
  codexAccountFromIdToken,
  importCodexLogin,
  readCodexAgentCredentials,
  writeCodexAgentCredentials,
} from '../../../main/core/credentials/codex-credentials.js';
import { fakeOpenAiAccessToken, fakeOpenAiIdToken } from './fake-tokens.js';
import { snapshotTree } from './file-snapshot.js';

const ID_TOKEN = fakeOpenAiIdToken({ accountId: 'acc-123', email: 'ada@example.com', plan: 'pro', nowSeconds: 1_800_000_000 });
const ACCESS = fakeOpenAiAccessToken({ accountId: 'acc-123', expSeconds: 1_800_003_600 });

let root: string;
beforeEach(() => {
  root = fs.mkdtempSync(path.join(os.tmpdir(), 'codex-cred-'));
});
afterEach(() => {
  fs.rmSync(root, { recursive: true, force: true });
});

describe('Codex credentials', () => {
  it('takes the account id and plan from the id_token claim https://api.openai.com/auth', () => {
    expect(codexAccountFromIdToken(ID_TOKEN)).toEqual({ accountId: 'acc-123', plan: 'pro', email: 'ada@example.com' });
    expect(codexAccountFromIdToken('not-a-jwt')).toEqual({});
  });

  it("writes auth.json in Codex's shape, 0600, account_id from the id_token", () => {
    const home = path.join(root, 'codex-home');
    const result = writeCodexAgentCredentials(home, { accessToken: ACCESS, refreshToken: 'rt_1', idToken: ID_TOKEN }, () => Date.parse('2026-03-04T05:06:07.000Z'));
    expect(result.ok).toBe(true);
    const file = path.join(home, 'auth.json');
    expect(JSON.parse(fs.readFileSync(file, 'utf8'))).toEqual({
      auth_mode: 'chatgpt',
      OPENAI_API_KEY: null,
      tokens: { id_token: ID_TOKEN, access_token: ACCESS, refresh_token: 'rt_1', account_id: 'acc-123' },
      last_refresh: '2026-03-04T05:06:07.000Z',
    });
    expect(fs.statSync(file).mode & 0o777).toBe(0o600);
  });

  it('refuses to write without an id_token or refresh token, which Codex cannot run without', () => {
    const home = path.join(root, 'codex-home');
    expect(writeCodexAgentCredentials(home, { accessToken: ACCESS, refreshToken: 'rt' })).toMatchObject({ ok: false, error: { code: 'invalid_tokens' } });
    expect(writeCodexAgentCredentials(home, { accessToken: ACCESS, idToken: ID_TOKEN })).toMatchObject({ ok: false, error: { code: 'invalid_tokens' } });
    expect(fs.existsSync(path.join(home, 'auth.json'))).toBe(false);
  });

  it('reads back tokens, expiry from the access token and last_refresh', () => {
    const home = path.join(root, 'codex-home');
    writeCodexAgentCredentials(home, { accessToken: ACCESS, refreshToken: 'rt_1', idToken: ID_TOKEN }, () => 1_700_000_000_000);
    const read = readCodexAgentCredentials(home);
    expect(read.ok && read.value.tokens).toEqual({
      accessToken: ACCESS,
      idToken: ID_TOKEN,
      refreshToken: 'rt_1',
      expiresAt: 1_800_003_600_000,
      accountId: 'acc-123',
      plan: 'pro',
      email: 'ada@example.com',
      lastRefresh: 1_700_000_000_000,
    });
  });

  it('imports ~/.codex/auth.json (ChatGPT or API key) without changing it', () => {
    const home = path.join(root, 'home');
    fs.mkdirSync(path.join(home, '.codex'), { recursive: true });
    const file = path.join(home, '.codex', 'auth.json');
    fs.writeFileSync(file, JSON.stringify({ auth_mode: 'chatgpt', OPENAI_API_KEY: null, tokens: { id_token: ID_TOKEN, access_token: ACCESS, refresh_token: 'rt_u', account_id: 'acc-123' }, last_refresh: '2026-01-01T00:00:00Z' }), { mode: 0o600 });
    const before = snapshotTree(home);
    const imported = importCodexLogin({ home });
    expect(imported.ok && [imported.value.provider, imported.value.source, imported.value.tokens?.refreshToken, imported.value.tokens?.accountId]).toEqual([
      'openai',
      'imported from ~/.codex/auth.json',
      'rt_u',
      'acc-123',
    ]);
    expect(snapshotTree(home)).toEqual(before);

    fs.writeFileSync(file, JSON.stringify({ auth_mode: 'apikey', OPENAI_API_KEY: 'sk-proj-userkey' }));
    const key = importCodexLogin({ home });
    expect(key.ok && [key.value.apiKey, key.value.tokens]).toEqual(['sk-proj-userkey', undefined]);
  });

  it('reports not_found and malformed naming ~/.codex/auth.json', () => {
    const home = path.join(root, 'home');
    expect(importCodexLogin({ home })).toMatchObject({ ok: false, error: { code: 'not_found', file: path.join(home, '.codex', 'auth.json') } });
    fs.mkdirSync(path.join(home, '.codex'), { recursive: true });
    fs.writeFileSync(path.join(home, '.codex', 'auth.json'), JSON.stringify({ auth_mode: 'chatgpt', tokens: { access_token: 'a' } }));
    expect(importCodexLogin({ home })).toMatchObject({ ok: false, error: { code: 'malformed', message: expect.stringContaining('id_token') } });
  });
});

import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import {
  geminiAgentEnv,
  importGeminiLogin,
  readGeminiAgentCredentials,
  writeGeminiAgentCredentials,
} from '../../../main/core/credentials/gemini-credentials.js';
import type { CliTokens } from '../../../main/core/credentials/cli-credentials.js';
import { snapshotTree } from './file-snapshot.js';

const TOKENS: CliTokens = {
  accessToken: 'ya29.access-aaaaaaaaaaaaaaaa',
  refreshToken: '1//refresh-bbbbbbbbbbbbbbbbbbbbbbbb',
  idToken: 'eyJ.id.token',
  expiresAt: 1_900_000_000_000,
  scopes: ['https://www.googleapis.com/auth/cloud-platform', 'https://www.googleapis.com/auth/userinfo.email'],
  tokenType: 'Bearer',
  email: 'ada@example.com',
};

let root: string;
beforeEach(() => {
  root = fs.mkdtempSync(path.join(os.tmpdir(), 'gemini-cred-'));
});
afterEach(() => {
  fs.rmSync(root, { recursive: true, force: true });
});

describe('Gemini CLI credentials', () => {
  it('writes .gemini/oauth_creds.json (google-auth-library shape, 0600), selects oauth-personal, names the account', () => {
    const home = path.join(root, 'gemini-home');
    expect(writeGeminiAgentCredentials(home, TOKENS).ok).toBe(true);
    const file = path.join(home, '.gemini', 'oauth_creds.json');
    expect(JSON.parse(fs.readFileSync(file, 'utf8'))).toEqual({
      access_token: TOKENS.accessToken,
      refresh_token: TOKENS.refreshToken,
      scope: 'https://www.googleapis.com/auth/cloud-platform https://www.googleapis.com/auth/userinfo.email',
      token_type: 'Bearer',
      id_token: 'eyJ.id.token',
      expiry_date: 1_900_000_000_000,
    });
    expect(fs.statSync(file).mode & 0o777).toBe(0o600);
    expect(JSON.parse(fs.readFileSync(path.join(home, '.gemini', 'settings.json'), 'utf8'))).toEqual({ security: { auth: { selectedType: 'oauth-personal' } } });
    expect(JSON.parse(fs.readFileSync(path.join(home, '.gemini', 'google_accounts.json'), 'utf8'))).toEqual({ active: 'ada@example.com', old: [] });
    expect(geminiAgentEnv(home)).toEqual({ GEMINI_CLI_HOME: home, GEMINI_FORCE_ENCRYPTED_FILE_STORAGE: 'false' });
  });

  it('keeps the other settings and moves a previous account to old', () => {
    const home = path.join(root, 'gemini-home');
    fs.mkdirSync(path.join(home, '.gemini'), { recursive: true });
    fs.writeFileSync(path.join(home, '.gemini', 'settings.json'), JSON.stringify({ ui: { theme: 'Dracula' }, security: { folderTrust: { enabled: false }, auth: { selectedType: 'gemini-api-key' } } }));
    fs.writeFileSync(path.join(home, '.gemini', 'google_accounts.json'), JSON.stringify({ active: 'old@example.com', old: [] }));
    writeGeminiAgentCredentials(home, TOKENS);
    expect(JSON.parse(fs.readFileSync(path.join(home, '.gemini', 'settings.json'), 'utf8'))).toEqual({
      ui: { theme: 'Dracula' },
      security: { folderTrust: { enabled: false }, auth: { selectedType: 'oauth-personal' } },
    });
    expect(JSON.parse(fs.readFileSync(path.join(home, '.gemini', 'google_accounts.json'), 'utf8'))).toEqual({ active: 'ada@example.com', old: ['old@example.com'] });
  });

  it('reads back what it wrote', () => {
    const home = path.join(root, 'gemini-home');
    writeGeminiAgentCredentials(home, TOKENS);
    const read = readGeminiAgentCredentials(home);
    expect(read.ok && read.value.tokens).toEqual(TOKENS);
  });

  it('imports ~/.gemini/oauth_creds.json without changing it, and names it when missing', () => {
    const home = path.join(root, 'home');
    expect(importGeminiLogin({ home })).toMatchObject({ ok: false, error: { code: 'not_found', file: path.join(home, '.gemini', 'oauth_creds.json') } });
    fs.mkdirSync(path.join(home, '.gemini'), { recursive: true });
    fs.writeFileSync(path.join(home, '.gemini', 'oauth_creds.json'), JSON.stringify({ access_token: 'ya29.u', refresh_token: '1//u', expiry_date: 7, token_type: 'Bearer', scope: 'a b' }), { mode: 0o600 });
    fs.writeFileSync(path.join(home, '.gemini', 'google_accounts.json'), JSON.stringify({ active: 'me@example.com', old: [] }));
    const before = snapshotTree(home);
    const imported = importGeminiLogin({ home });
    expect(imported).toEqual({
      ok: true,
      value: {
        provider: 'google',
        source: 'imported from ~/.gemini/oauth_creds.json',
        tokens: { accessToken: 'ya29.u', refreshToken: '1//u', expiresAt: 7, tokenType: 'Bearer', scopes: ['a', 'b'], email: 'me@example.com' },
      },
    });
    expect(snapshotTree(home)).toEqual(before);
    fs.writeFileSync(path.join(home, '.gemini', 'oauth_creds.json'), '[]');
    expect(importGeminiLogin({ home })).toMatchObject({ ok: false, error: { code: 'malformed' } });
  });
});

import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import {
  importClaudeLogin,
  readClaudeAgentCredentials,
  writeClaudeAgentCredentials,
} from '../../../main/core/credentials/claude-credentials.js';
import type { CliTokens } from '../../../main/core/credentials/cli-credentials.js';
import { snapshotTree } from './file-snapshot.js';

const TOKENS: CliTokens = {
  accessToken: 'sk-ant-oat01-access-aaaaaaaaaaaa',
  refreshToken: 'sk-ant-ort01-refresh-bbbbbbbbbbb',
  expiresAt: 1_900_000_000_000,
  scopes: ['user:inference', 'user:profile'],
  plan: 'max',
  email: 'ada@example.com',
  accountId: 'acc-uuid-1',
  profile: { organizationUuid: 'org-1', organizationName: 'Ada Org' },
};

let root: string;
beforeEach(() => {
  root = fs.mkdtempSync(path.join(os.tmpdir(), 'claude-cred-'));
});
afterEach(() => {
  fs.rmSync(root, { recursive: true, force: true });
});

describe('Claude Code credentials', () => {
  it("writes .credentials.json in Claude Code's shape, 0600, and marks onboarding done", () => {
    const dir = path.join(root, 'agent');
    const result = writeClaudeAgentCredentials(dir, TOKENS);
    expect(result).toEqual({ ok: true, value: { file: path.join(dir, '.credentials.json') } });
    expect(JSON.parse(fs.readFileSync(path.join(dir, '.credentials.json'), 'utf8'))).toEqual({
      claudeAiOauth: {
        accessToken: TOKENS.accessToken,
        refreshToken: TOKENS.refreshToken,
        expiresAt: TOKENS.expiresAt,
        scopes: ['user:inference', 'user:profile'],
        subscriptionType: 'max',
      },
    });
    expect(fs.statSync(path.join(dir, '.credentials.json')).mode & 0o777).toBe(0o600);
    const state = JSON.parse(fs.readFileSync(path.join(dir, '.claude.json'), 'utf8'));
    expect(state).toEqual({
      hasCompletedOnboarding: true,
      oauthAccount: { emailAddress: 'ada@example.com', accountUuid: 'acc-uuid-1', organizationUuid: 'org-1', organizationName: 'Ada Org' },
    });
    expect(fs.statSync(dir).mode & 0o777).toBe(0o700);
  });

  it("keeps what the CLI itself stored in both files (mcpOAuth, its own settings)", () => {
    const dir = path.join(root, 'agent');
    fs.mkdirSync(dir);
    fs.writeFileSync(path.join(dir, '.credentials.json'), JSON.stringify({ mcpOAuth: { server: { accessToken: 'x' } }, claudeAiOauth: { accessToken: 'old' } }));
    fs.writeFileSync(path.join(dir, '.claude.json'), JSON.stringify({ userID: 'u', projects: { '/w': {} }, oauthAccount: { displayName: 'Ada L.' } }));
    writeClaudeAgentCredentials(dir, TOKENS);
    const creds = JSON.parse(fs.readFileSync(path.join(dir, '.credentials.json'), 'utf8'));
    expect(creds.mcpOAuth).toEqual({ server: { accessToken: 'x' } });
    expect(creds.claudeAiOauth.accessToken).toBe(TOKENS.accessToken);
    const state = JSON.parse(fs.readFileSync(path.join(dir, '.claude.json'), 'utf8'));
    expect(state).toMatchObject({ userID: 'u', projects: { '/w': {} }, oauthAccount: { displayName: 'Ada L.', emailAddress: 'ada@example.com' } });
  });

  it('reads back what it wrote, with the account from .claude.json', () => {
    const dir = path.join(root, 'agent');
    writeClaudeAgentCredentials(dir, TOKENS);
    const read = readClaudeAgentCredentials(dir);
    expect(read.ok && read.value.tokens).toEqual(TOKENS);
  });

  it('names the file in not_found, malformed and unreadable errors', () => {
    const dir = path.join(root, 'agent');
    expect(readClaudeAgentCredentials(dir)).toMatchObject({ ok: false, error: { code: 'not_found', file: path.join(dir, '.credentials.json') } });
    fs.mkdirSync(dir);
    fs.writeFileSync(path.join(dir, '.credentials.json'), '{"claudeAiOauth": ');
    expect(readClaudeAgentCredentials(dir)).toMatchObject({ ok: false, error: { code: 'malformed', message: expect.stringContaining('.credentials.json is not valid JSON') } });
    fs.writeFileSync(path.join(dir, '.credentials.json'), '{"other": {}}');
    expect(readClaudeAgentCredentials(dir)).toMatchObject({ ok: false, error: { code: 'malformed', message: expect.stringContaining('no "claudeAiOauth"') } });
    fs.rmSync(path.join(dir, '.credentials.json'));
    fs.mkdirSync(path.join(dir, '.credentials.json'));
    expect(readClaudeAgentCredentials(dir)).toMatchObject({ ok: false, error: { code: 'unreadable', message: expect.stringContaining('cannot be read (EISDIR)') } });
  });

  it("imports ~/.claude/.credentials.json and the email from ~/.claude.json without changing anything", () => {
    const home = path.join(root, 'home');
    fs.mkdirSync(path.join(home, '.claude'), { recursive: true });
    fs.writeFileSync(path.join(home, '.claude', '.credentials.json'), JSON.stringify({ claudeAiOauth: { accessToken: 'sk-ant-oat01-u', refreshToken: 'sk-ant-ort01-u', expiresAt: 5, scopes: ['user:inference'], subscriptionType: 'pro' } }), { mode: 0o600 });
    fs.writeFileSync(path.join(home, '.claude.json'), JSON.stringify({ oauthAccount: { emailAddress: 'me@example.com', accountUuid: 'u-1' } }));
    const past = new Date('2024-01-01T00:00:00Z');
    fs.utimesSync(path.join(home, '.claude', '.credentials.json'), past, past);
    const before = snapshotTree(home);

    const imported = importClaudeLogin({ home, platform: 'linux' });
    expect(imported).toEqual({
      ok: true,
      value: {
        provider: 'anthropic',
        source: 'imported from ~/.claude/.credentials.json',
        tokens: { accessToken: 'sk-ant-oat01-u', refreshToken: 'sk-ant-ort01-u', expiresAt: 5, scopes: ['user:inference'], plan: 'pro', email: 'me@example.com', accountId: 'u-1' },
      },
    });
    expect(snapshotTree(home)).toEqual(before);
  });

  it('reports a missing login as not_found naming ~/.claude/.credentials.json', () => {
    const home = path.join(root, 'empty-home');
    fs.mkdirSync(home);
    const result = importClaudeLogin({ home, platform: 'linux' });
    expect(result).toMatchObject({ ok: false, error: { code: 'not_found', file: path.join(home, '.claude', '.credentials.json') } });
    expect(!result.ok && result.error.message).toContain('.claude/.credentials.json');
  });

  it('on macOS takes the Keychain item first and falls back to the file when there is none', () => {
    const home = path.join(root, 'home');
    fs.mkdirSync(path.join(home, '.claude'), { recursive: true });
    fs.writeFileSync(path.join(home, '.claude', '.credentials.json'), JSON.stringify({ claudeAiOauth: { accessToken: 'from-file' } }));
    const keychain = JSON.stringify({ claudeAiOauth: { accessToken: 'from-keychain', refreshToken: 'r' } });
    const fromKeychain = importClaudeLogin({ home, platform: 'darwin', readKeychain: () => keychain });
    expect(fromKeychain.ok && [fromKeychain.value.tokens?.accessToken, fromKeychain.value.source]).toEqual(['from-keychain', 'imported from the macOS Keychain item "Claude Code-credentials"']);
    const fromFile = importClaudeLogin({ home, platform: 'darwin', readKeychain: () => undefined });
    expect(fromFile.ok && fromFile.value.tokens?.accessToken).toBe('from-file');
    const notAsked = importClaudeLogin({ home, platform: 'linux', readKeychain: () => { throw new Error('must not run on Linux'); } });
    expect(notAsked.ok).toBe(true);
  });
});

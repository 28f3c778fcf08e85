import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { CLI_FORMATS, checkAgentRotation } from '../../../main/core/credentials/agent-credentials.js';
import type { CliTokens } from '../../../main/core/credentials/cli-credentials.js';
import { fakeOpenAiAccessToken, fakeOpenAiIdToken } from '../../unit/credentials/fake-tokens.js';
import { INSTALL_HINT, cliBin, listFiles, runCli } from './real-cli.js';

const CLAUDE = cliBin('claude');
const CODEX = cliBin('codex');
const GEMINI = cliBin('gemini');
const skipped = (bin: string | undefined) => (bin ? '' : ` (skipped: CLI not installed; run ${INSTALL_HINT})`);

let root: string;
let home: string;
let configHome: string;
beforeEach(() => {
  root = fs.mkdtempSync(path.join(os.tmpdir(), 'real-cli-'));
  // HOME is an empty folder: the user's own files are never read or written by these runs.
  home = path.join(root, 'home');
  configHome = path.join(root, 'config-home');
  fs.mkdirSync(home);
});
afterEach(() => {
  fs.rmSync(root, { recursive: true, force: true });
});

describe.skipIf(!CLAUDE)(`real Claude Code reads the credentials we write${skipped(CLAUDE)}`, { timeout: 120_000 }, () => {
  const tokens: CliTokens = {
    accessToken: 'sk-ant-oat01-integration-access-token-aaaaaaaa',
    refreshToken: 'sk-ant-ort01-integration-refresh-token-bbbbbbb',
    expiresAt: Date.now() + 8 * 3600_000,
    scopes: ['user:inference', 'user:profile'],
    plan: 'max',
    email: 'ada@example.com',
    accountId: '11111111-2222-3333-4444-555555555555',
    profile: { organizationUuid: '66666666-7777-8888-9999-000000000000', organizationName: 'Ada Org' },
  };

  it('is not logged in with an empty config home (the check can fail)', () => {
    const run = runCli(CLAUDE!, ['auth', 'status'], { HOME: home, ...CLI_FORMATS.claude.agentEnv(configHome) });
    expect(run.status).toBe(1);
    expect(JSON.parse(run.stdout)).toMatchObject({ loggedIn: false, authMethod: 'none' });
  });

  it('`claude auth status` reports loggedIn with our plan and account; nothing lands in HOME', () => {
    expect(CLI_FORMATS.claude.writeAgentCredentials(configHome, tokens).ok).toBe(true);
    const run = runCli(CLAUDE!, ['auth', 'status'], { HOME: home, ...CLI_FORMATS.claude.agentEnv(configHome) });
    expect(run.status, run.stderr).toBe(0);
    expect(JSON.parse(run.stdout)).toEqual({
      loggedIn: true,
      authMethod: 'claude.ai',
      apiProvider: 'firstParty',
      email: 'ada@example.com',
      orgId: '66666666-7777-8888-9999-000000000000',
      orgName: 'Ada Org',
      subscriptionType: 'max',
    });
    expect(listFiles(home)).toEqual([]);
    // The CLI adds its own keys to .claude.json; our tokens read back unchanged.
    expect(checkAgentRotation('claude', configHome, tokens)).toEqual({ change: 'unchanged' });
  });

  it('still counts as logged in with an expired access token (status is computed from the file, offline)', () => {
    CLI_FORMATS.claude.writeAgentCredentials(configHome, { ...tokens, expiresAt: 1_000 });
    const run = runCli(CLAUDE!, ['auth', 'status'], { HOME: home, ...CLI_FORMATS.claude.agentEnv(configHome) });
    expect(JSON.parse(run.stdout)).toMatchObject({ loggedIn: true, authMethod: 'claude.ai' });
  });
});

describe.skipIf(!CODEX)(`real Codex reads the credentials we write${skipped(CODEX)}`, { timeout: 120_000 }, () => {
  const now = Math.floor(Date.now() / 1000);
  const tokens: CliTokens = {
    accessToken: fakeOpenAiAccessToken({ accountId: 'acc-integration', expSeconds: now + 3600 }),
    refreshToken: 'rt_integration_refresh',
    idToken: fakeOpenAiIdToken({ accountId: 'acc-integration', email: 'ada@example.com', plan: 'plus', nowSeconds: now }),
  };

  it('is not logged in with an empty CODEX_HOME (the check can fail)', () => {
    fs.mkdirSync(configHome);
    const run = runCli(CODEX!, ['login', 'status'], { HOME: home, ...CLI_FORMATS.codex.agentEnv(configHome) });
    expect(run.status).toBe(1);
    expect(run.stdout + run.stderr).toContain('Not logged in');
  });

  it('`codex login status` exits 0 with "Logged in using ChatGPT" (unsigned id_token accepted)', () => {
    expect(CLI_FORMATS.codex.writeAgentCredentials(configHome, tokens).ok).toBe(true);
    const run = runCli(CODEX!, ['login', 'status'], { HOME: home, ...CLI_FORMATS.codex.agentEnv(configHome) });
    expect(run.status, run.stderr).toBe(0);
    expect(run.stdout + run.stderr).toContain('Logged in using ChatGPT');
    expect(listFiles(home)).toEqual([]);
    expect(checkAgentRotation('codex', configHome, tokens)).toEqual({ change: 'unchanged' });
  });

  it('refuses an id_token that is not a JWT, which is why the writer insists on one', () => {
    fs.mkdirSync(configHome);
    fs.writeFileSync(
      path.join(configHome, 'auth.json'),
      JSON.stringify({ auth_mode: 'chatgpt', OPENAI_API_KEY: null, tokens: { id_token: 'garbage', access_token: 'a', refresh_token: 'r', account_id: 'x' }, last_refresh: new Date().toISOString() }),
      { mode: 0o600 },
    );
    const run = runCli(CODEX!, ['login', 'status'], { HOME: home, ...CLI_FORMATS.codex.agentEnv(configHome) });
    expect(run.status).not.toBe(0);
    expect(CLI_FORMATS.codex.writeAgentCredentials(configHome, { ...tokens, idToken: 'garbage' })).toMatchObject({ ok: false, error: { code: 'invalid_tokens' } });
  });
});

describe.skipIf(!GEMINI)(`real Gemini CLI picks up the credentials we write${skipped(GEMINI)}`, { timeout: 120_000 }, () => {
  const tokens: CliTokens = {
    accessToken: 'ya29.integration-access-token-aaaaaaaaaaaa',
    refreshToken: '1//integration-refresh-token-bbbbbbbbbbbbbbbb',
    expiresAt: Date.now() + 3600_000,
    scopes: ['https://www.googleapis.com/auth/cloud-platform'],
    email: 'ada@example.com',
  };
  const geminiRun = () =>
    runCli(GEMINI!, ['-p', 'hi', '--debug'], { HOME: home, ...CLI_FORMATS.gemini.agentEnv(configHome) }, 90_000);

  it('without our file it finds no credentials at $GEMINI_CLI_HOME/.gemini/oauth_creds.json', () => {
    fs.mkdirSync(path.join(configHome, '.gemini'), { recursive: true });
    fs.writeFileSync(path.join(configHome, '.gemini', 'settings.json'), JSON.stringify({ security: { auth: { selectedType: 'oauth-personal' } } }));
    const run = geminiRun();
    expect(run.stdout + run.stderr).toContain(`Failed to load credentials from ${path.join(configHome, '.gemini', 'oauth_creds.json')}`);
  });

  it('loads our oauth_creds.json and validates that token with Google (network: refused offline, fake token refused online)', () => {
    expect(CLI_FORMATS.gemini.writeAgentCredentials(configHome, tokens).ok).toBe(true);
    const run = geminiRun();
    const out = run.stdout + run.stderr;
    // It got past "which auth type?" and "where are the creds?" to checking our token with Google.
    expect(out).not.toContain('Failed to load credentials from');
    expect(out).toMatch(/Cached credentials are not valid|Loaded cached credentials/);
    // The plain file stays (the encrypted-storage migration would delete it) and HOME stays empty.
    expect(fs.existsSync(path.join(configHome, '.gemini', 'oauth_creds.json'))).toBe(true);
    expect(listFiles(home)).toEqual([]);
  });
});

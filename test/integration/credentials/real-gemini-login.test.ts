import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { CLI_FORMATS, checkAgentRotation } from '../../../main/core/credentials/agent-credentials.js';
import type { CliTokens } from '../../../main/core/credentials/cli-credentials.js';
import { hasOpenssl, startTlsStub, type StubReply, type StubRequest, type TlsStub } from './tls-stub.js';
import { INSTALL_HINT, cliBin, listFiles, runCliAsync } from './real-cli.js';

const GEMINI = cliBin('gemini');
const OPENSSL = hasOpenssl();
const reason = !GEMINI ? ` (skipped: Gemini CLI not installed; run ${INSTALL_HINT})` : !OPENSSL ? ' (skipped: openssl is needed for the local TLS stub)' : '';

const TOKENS: CliTokens = {
  accessToken: 'ya29.agent-access-token-aaaaaaaaaaaaaaaa',
  refreshToken: '1//agent-refresh-token-bbbbbbbbbbbbbbbbbbbb',
  expiresAt: Date.now() + 3600_000,
  scopes: ['https://www.googleapis.com/auth/cloud-platform', 'https://www.googleapis.com/auth/userinfo.email'],
  email: 'ada@example.com',
};

/** Google as seen by the CLI: tokeninfo/userinfo accept the token, a refresh rotates both tokens. */
function google(req: StubRequest): StubReply {
  if (req.path.startsWith('/tokeninfo')) return { status: 200, json: { aud: 'cli', scope: TOKENS.scopes!.join(' '), expires_in: 3000, email: 'ada@example.com' } };
  if (req.path.includes('userinfo')) return { status: 200, json: { id: '1', email: 'ada@example.com', verified_email: true } };
  if (req.path === '/token') {
    return { status: 200, json: { access_token: 'ya29.rotated-by-cli-cccccccccc', refresh_token: '1//rotated-by-cli-dddddddddddddddddddd', expires_in: 3599, token_type: 'Bearer', scope: TOKENS.scopes!.join(' ') } };
  }
  // Code Assist itself is out of scope: the sign-in is what is being checked.
  return { status: 503, json: { error: { code: 503, message: 'stub' } } };
}

let root: string;
let home: string;
let configHome: string;
let stub: TlsStub;
beforeEach(async () => {
  root = fs.mkdtempSync(path.join(os.tmpdir(), 'real-gemini-'));
  home = path.join(root, 'home');
  configHome = path.join(root, 'config-home');
  fs.mkdirSync(home);
  if (GEMINI && OPENSSL) stub = await startTlsStub(path.join(root, 'tls'), ['*.googleapis.com', 'googleapis.com', 'accounts.google.com'], google);
});
afterEach(async () => {
  await stub?.close();
  fs.rmSync(root, { recursive: true, force: true });
});

const runGemini = () =>
  runCliAsync(GEMINI!, ['-p', 'hi', '--debug'], { HOME: home, ...CLI_FORMATS.gemini.agentEnv(configHome), ...stub.env }, 90_000);

describe.skipIf(!GEMINI || !OPENSSL)(`real Gemini CLI signs in with the credentials we write, against Google played on 127.0.0.1${reason}`, { timeout: 120_000 }, () => {
  it('loads our cached credentials and calls Google with our access token', async () => {
    expect(CLI_FORMATS.gemini.writeAgentCredentials(configHome, TOKENS).ok).toBe(true);
    const run = await runGemini();
    expect(run.stdout + run.stderr).toContain('Loaded cached credentials.');
    const tokeninfo = stub.requests.find((r) => r.host === 'oauth2.googleapis.com' && r.path.startsWith('/tokeninfo'));
    expect(tokeninfo?.body + (tokeninfo?.authorization ?? '')).toContain(TOKENS.accessToken);
    expect(stub.requests.some((r) => r.host === 'cloudcode-pa.googleapis.com' && r.authorization === `Bearer ${TOKENS.accessToken}`)).toBe(true);
    expect(listFiles(home)).toEqual([]);
  });

  it('refreshes an expired token itself; the app sees the new access token to adopt', async () => {
    CLI_FORMATS.gemini.writeAgentCredentials(configHome, { ...TOKENS, expiresAt: Date.now() - 60_000 });
    const run = await runGemini();
    const refresh = stub.requests.find((r) => r.host === 'oauth2.googleapis.com' && r.path === '/token');
    expect(refresh?.body, run.stderr).toContain(`refresh_token=${encodeURIComponent(TOKENS.refreshToken!)}`);
    const check = checkAgentRotation('gemini', configHome, TOKENS);
    // google-auth-library keeps the refresh token it had even when Google sends a new one, so the
    // CLI writes back a new access token only: the app adopts it and keeps owning the refresh token.
    expect(check).toMatchObject({ change: 'access_token', tokens: { accessToken: 'ya29.rotated-by-cli-cccccccccc', refreshToken: TOKENS.refreshToken } });
    expect(fs.statSync(path.join(configHome, '.gemini', 'oauth_creds.json')).mode & 0o777).toBe(0o600);
  });
});

import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { CLI_FORMATS, checkAgentRotation } from '../../../main/core/credentials/agent-credentials.js';
import type { CliTokens } from '../../../main/core/credentials/cli-credentials.js';
import { fakeOpenAiAccessToken, fakeOpenAiIdToken } from '../../unit/credentials/fake-tokens.js';
import { hasOpenssl, startTlsStub, type StubReply, type StubRequest, type TlsStub } from './tls-stub.js';
import { INSTALL_HINT, cliBin, runCliAsync } from './real-cli.js';

const CODEX = cliBin('codex');
const OPENSSL = hasOpenssl();
const reason = !CODEX ? ` (skipped: Codex not installed; run ${INSTALL_HINT})` : !OPENSSL ? ' (skipped: openssl is needed for the local TLS stub)' : '';
const now = Math.floor(Date.now() / 1000);
const ROTATED_ACCESS = fakeOpenAiAccessToken({ accountId: 'acc-r', expSeconds: now + 7200 });
const ROTATED_ID = fakeOpenAiIdToken({ accountId: 'acc-r', email: 'ada@example.com', plan: 'pro', nowSeconds: now });

const TOKENS: CliTokens = {
  accessToken: fakeOpenAiAccessToken({ accountId: 'acc-r', expSeconds: now - 60 }),
  refreshToken: 'rt_agent_given',
  idToken: fakeOpenAiIdToken({ accountId: 'acc-r', email: 'ada@example.com', plan: 'pro', nowSeconds: now - 3600 }),
  lastRefresh: Date.now() - 30 * 86_400_000,
};

function openai(req: StubRequest): StubReply {
  if (req.path.endsWith('/oauth/token')) {
    return { status: 200, json: { id_token: ROTATED_ID, access_token: ROTATED_ACCESS, refresh_token: 'rt_rotated_by_cli' } };
  }
  return { status: 400, json: { error: { message: 'stub: only sign-in is played here', type: 'invalid_request_error' } } };
}

let root: string;
let stub: TlsStub;
beforeEach(async () => {
  root = fs.mkdtempSync(path.join(os.tmpdir(), 'real-codex-'));
  fs.mkdirSync(path.join(root, 'home'));
  stub = await startTlsStub(path.join(root, 'tls'), ['auth.openai.com', 'api.openai.com', 'chatgpt.com', '*.chatgpt.com', '*.openai.com'], openai);
});
afterEach(async () => {
  await stub.close();
  fs.rmSync(root, { recursive: true, force: true });
});

describe.skipIf(!CODEX || !OPENSSL)(`real Codex refreshes the tokens we wrote, against OpenAI played on 127.0.0.1${reason}`, { timeout: 120_000 }, () => {
  it('refreshes the expired access token with our refresh token; the app detects the rotation and gets the new tokens', async () => {
    const configHome = path.join(root, 'codex-home');
    expect(CLI_FORMATS.codex.writeAgentCredentials(configHome, TOKENS).ok).toBe(true);
    // Codex (Rust) trusts the stub's CA through CODEX_CA_CERTIFICATE / SSL_CERT_FILE.
    const ca = stub.env.NODE_EXTRA_CA_CERTS!;
    const env = { HOME: path.join(root, 'home'), ...CLI_FORMATS.codex.agentEnv(configHome), ...stub.env, CODEX_CA_CERTIFICATE: ca, SSL_CERT_FILE: ca };
    const run = await runCliAsync(CODEX!, ['exec', '--skip-git-repo-check', 'hi'], env, 90_000);

    const refresh = stub.requests.find((r) => r.host === 'auth.openai.com' && r.path === '/oauth/token');
    expect(refresh, `no token request; stderr: ${run.stderr.slice(0, 500)}`).toBeDefined();
    expect(JSON.parse(refresh!.body)).toMatchObject({ grant_type: 'refresh_token', refresh_token: 'rt_agent_given', client_id: 'app_EMoamEEZ73f0CkXaXp7hrann' });
    expect(checkAgentRotation('codex', configHome, TOKENS)).toMatchObject({
      change: 'refresh_token',
      tokens: { accessToken: ROTATED_ACCESS, idToken: ROTATED_ID, refreshToken: 'rt_rotated_by_cli', accountId: 'acc-r', plan: 'pro' },
    });
    expect(fs.statSync(path.join(configHome, 'auth.json')).mode & 0o777).toBe(0o600);
    const backend = stub.requests.filter((r) => r.host === 'chatgpt.com' && r.authorization);
    expect(backend.length).toBeGreaterThan(0);
    expect(backend.every((r) => r.authorization === `Bearer ${ROTATED_ACCESS}`)).toBe(true);
    expect(fs.readdirSync(path.join(root, 'home'))).toEqual([]);
  });
});

import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { CLI_FORMATS, checkAgentRotation } from '../../../main/core/credentials/agent-credentials.js';
import type { CliTokens } from '../../../main/core/credentials/cli-credentials.js';
import { hasOpenssl, startTlsStub, type StubReply, type StubRequest, type TlsStub } from './tls-stub.js';
import { INSTALL_HINT, cliBin, runCliAsync } from './real-cli.js';

const CLAUDE = cliBin('claude');
const OPENSSL = hasOpenssl();
const reason = !CLAUDE ? ` (skipped: Claude Code not installed; run ${INSTALL_HINT})` : !OPENSSL ? ' (skipped: openssl is needed for the local TLS stub)' : '';

const TOKENS: CliTokens = {
  accessToken: 'sk-ant-oat01-agent-access-aaaaaaaaaaaaaaaa',
  refreshToken: 'sk-ant-ort01-agent-refresh-bbbbbbbbbbbbbbb',
  expiresAt: Date.now() - 60_000,
  scopes: ['user:inference', 'user:profile'],
  plan: 'max',
};

function anthropic(req: StubRequest): StubReply {
  if (req.path.endsWith('/oauth/token')) {
    return { status: 200, json: { access_token: 'sk-ant-oat01-rotated-cccccccccccc', refresh_token: 'sk-ant-ort01-rotated-dddddddddddd', expires_in: 28800, token_type: 'Bearer', scope: 'user:inference user:profile' } };
  }
  // Anything else is a non-retryable refusal, so the CLI stops soon after it refreshed.
  return { status: 400, json: { type: 'error', error: { type: 'invalid_request_error', message: 'stub: only sign-in is played here' } } };
}

let root: string;
let stub: TlsStub;
beforeEach(async () => {
  root = fs.mkdtempSync(path.join(os.tmpdir(), 'real-claude-'));
  fs.mkdirSync(path.join(root, 'home'));
  stub = await startTlsStub(path.join(root, 'tls'), ['platform.claude.com', 'console.anthropic.com', 'api.anthropic.com', 'claude.ai', '*.anthropic.com', '*.claude.com', 'claude.com'], anthropic);
});
afterEach(async () => {
  await stub.close();
  fs.rmSync(root, { recursive: true, force: true });
});

describe.skipIf(!CLAUDE || !OPENSSL)(`real Claude Code refreshes the tokens we wrote, against Anthropic played on 127.0.0.1${reason}`, { timeout: 120_000 }, () => {
  it('refreshes an expired access token with our refresh token; the app detects the rotation and gets the new tokens', async () => {
    const configHome = path.join(root, 'cfg');
    expect(CLI_FORMATS.claude.writeAgentCredentials(configHome, TOKENS).ok).toBe(true);
    const run = await runCliAsync(CLAUDE!, ['-p', 'hi'], { HOME: path.join(root, 'home'), ...CLI_FORMATS.claude.agentEnv(configHome), ...stub.env }, 90_000);

    const refresh = stub.requests.find((r) => r.path.endsWith('/v1/oauth/token'));
    expect(refresh, `no token request; stderr: ${run.stderr.slice(0, 500)}`).toBeDefined();
    expect(JSON.parse(refresh!.body)).toMatchObject({ grant_type: 'refresh_token', refresh_token: TOKENS.refreshToken, client_id: '9d1c250a-e61b-44d9-88ed-5944d1962f5e' });
    expect(checkAgentRotation('claude', configHome, TOKENS)).toMatchObject({
      change: 'refresh_token',
      tokens: { accessToken: 'sk-ant-oat01-rotated-cccccccccccc', refreshToken: 'sk-ant-ort01-rotated-dddddddddddd', plan: 'max' },
    });
    expect(fs.statSync(path.join(configHome, '.credentials.json')).mode & 0o777).toBe(0o600);
    // The API calls after the refresh carried the new token, never the old one.
    const apiAuth = stub.requests.filter((r) => r.path.startsWith('/v1/messages')).map((r) => r.authorization);
    expect(apiAuth.length).toBeGreaterThan(0);
    expect(apiAuth.every((a) => a === 'Bearer sk-ant-oat01-rotated-cccccccccccc')).toBe(true);
    expect(fs.readdirSync(path.join(root, 'home'))).toEqual([]);
  });
});

import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { CLI_FORMATS, checkAgentRotation, type FileCli } from '../../../main/core/credentials/agent-credentials.js';
import type { CliTokens } from '../../../main/core/credentials/cli-credentials.js';
import { fakeOpenAiAccessToken, fakeOpenAiIdToken } from './fake-tokens.js';

let root: string;
beforeEach(() => {
  root = fs.mkdtempSync(path.join(os.tmpdir(), 'agent-cred-'));
});
afterEach(() => {
  fs.rmSync(root, { recursive: true, force: true });
});

const GIVEN: Record<FileCli, CliTokens> = {
  claude: { accessToken: 'sk-ant-oat01-given', refreshToken: 'sk-ant-ort01-given', expiresAt: 1, plan: 'pro' },
  codex: {
    accessToken: fakeOpenAiAccessToken({ accountId: 'a', expSeconds: 2_000_000_000 }),
    refreshToken: 'rt_given',
    idToken: fakeOpenAiIdToken({ accountId: 'a', email: 'a@example.com' }),
  },
  gemini: { accessToken: 'ya29.given', refreshToken: '1//given', expiresAt: 1 },
};

/** What each CLI writes when it refreshed on its own (its own file layout, new values). */
function cliRefreshes(cli: FileCli, home: string, rotateRefresh: boolean): void {
  switch (cli) {
    case 'claude': {
      const file = path.join(home, '.credentials.json');
      const json = JSON.parse(fs.readFileSync(file, 'utf8'));
      json.claudeAiOauth.accessToken = 'sk-ant-oat01-new';
      if (rotateRefresh) json.claudeAiOauth.refreshToken = 'sk-ant-ort01-new';
      fs.writeFileSync(file, JSON.stringify(json));
      return;
    }
    case 'codex': {
      const file = path.join(home, 'auth.json');
      const json = JSON.parse(fs.readFileSync(file, 'utf8'));
      json.tokens.access_token = fakeOpenAiAccessToken({ accountId: 'a', expSeconds: 2_100_000_000 });
      if (rotateRefresh) json.tokens.refresh_token = 'rt_new';
      fs.writeFileSync(file, JSON.stringify(json));
      return;
    }
    case 'gemini': {
      const file = path.join(home, '.gemini', 'oauth_creds.json');
      const json = JSON.parse(fs.readFileSync(file, 'utf8'));
      json.access_token = 'ya29.new';
      if (rotateRefresh) json.refresh_token = '1//new';
      fs.writeFileSync(file, JSON.stringify(json));
      return;
    }
  }
}

describe.each(['claude', 'codex', 'gemini'] as const)('%s agent credentials', (cli) => {
  it('reads back exactly the tokens written', () => {
    const home = path.join(root, cli);
    expect(CLI_FORMATS[cli].writeAgentCredentials(home, GIVEN[cli]).ok).toBe(true);
    const read = CLI_FORMATS[cli].readAgentCredentials(home);
    expect(read.ok && read.value.tokens).toMatchObject(GIVEN[cli]);
    expect(checkAgentRotation(cli, home, GIVEN[cli])).toEqual({ change: 'unchanged' });
  });

  it('detects a rotated refresh token and returns the new tokens to adopt', () => {
    const home = path.join(root, cli);
    CLI_FORMATS[cli].writeAgentCredentials(home, GIVEN[cli]);
    cliRefreshes(cli, home, true);
    const check = checkAgentRotation(cli, home, GIVEN[cli]);
    expect(check.change).toBe('refresh_token');
    expect(check.change === 'refresh_token' && check.tokens.refreshToken).toMatch(/new$/);
  });

  it('detects a refresh that kept the refresh token (new access token only)', () => {
    const home = path.join(root, cli);
    CLI_FORMATS[cli].writeAgentCredentials(home, GIVEN[cli]);
    cliRefreshes(cli, home, false);
    const check = checkAgentRotation(cli, home, GIVEN[cli]);
    expect(check.change).toBe('access_token');
    expect(check.change === 'access_token' && check.tokens.refreshToken).toBe(GIVEN[cli].refreshToken);
  });

  it('reports a config home whose credentials vanished instead of adopting nothing silently', () => {
    const check = checkAgentRotation(cli, path.join(root, 'nothing-here'), GIVEN[cli]);
    expect(check.change).toBe('unreadable');
  });

  it('points the CLI at the config home through its env var', () => {
    const env = CLI_FORMATS[cli].agentEnv('/cfg');
    expect(Object.values(env)).toContain('/cfg');
  });
});

import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { copilotAgentEnv, copilotConfigDir, importCopilotLogin, readCopilotLogins } from '../../../main/core/credentials/copilot-credentials.js';
import { snapshotTree } from './file-snapshot.js';

let home: string;
beforeEach(() => {
  home = fs.mkdtempSync(path.join(os.tmpdir(), 'copilot-cred-'));
});
afterEach(() => {
  fs.rmSync(home, { recursive: true, force: true });
});

function writeApps(dir: string, value: unknown, name = 'apps.json'): string {
  fs.mkdirSync(dir, { recursive: true });
  const file = path.join(dir, name);
  fs.writeFileSync(file, JSON.stringify(value), { mode: 0o600 });
  return file;
}

describe('GitHub Copilot credentials', () => {
  it('finds the config folder per platform', () => {
    expect(copilotConfigDir({ home, platform: 'linux', env: {} })).toBe(path.join(home, '.config', 'github-copilot'));
    expect(copilotConfigDir({ home, platform: 'linux', env: { XDG_CONFIG_HOME: '/x' } })).toBe(path.join('/x', 'github-copilot'));
    expect(copilotConfigDir({ home, platform: 'darwin', env: {} })).toBe(path.join(home, '.config', 'github-copilot'));
    expect(copilotConfigDir({ home, platform: 'win32', env: { LOCALAPPDATA: 'C:/L' } })).toBe(path.join('C:/L', 'github-copilot'));
  });

  it('imports the github.com login from apps.json without changing it', () => {
    writeApps(path.join(home, '.config', 'github-copilot'), {
      'ghe.example.com:Iv1.other': { user: 'ent', oauth_token: 'ghu_enterprise', githubAppId: 'Iv1.other' },
      'github.com:Iv1.b507a08c87ecfe98': { user: 'ada', oauth_token: 'ghu_adaaaaaaaaaaaaaaaaaaaaaaa', githubAppId: 'Iv1.b507a08c87ecfe98' },
    });
    const before = snapshotTree(home);
    const imported = importCopilotLogin({ home, platform: 'linux', env: {} });
    expect(imported).toEqual({
      ok: true,
      value: {
        provider: 'github-copilot',
        source: 'imported from ~/.config/github-copilot/apps.json',
        tokens: { accessToken: 'ghu_adaaaaaaaaaaaaaaaaaaaaaaa', accountId: 'ada', profile: { host: 'github.com', user: 'ada', clientId: 'Iv1.b507a08c87ecfe98' } },
      },
    });
    expect(snapshotTree(home)).toEqual(before);
    const all = readCopilotLogins({ home, platform: 'linux', env: {} });
    expect(all.ok && all.value.logins.map((l) => l.host)).toEqual(['ghe.example.com', 'github.com']);
  });

  it('falls back to the older hosts.json', () => {
    writeApps(path.join(home, '.config', 'github-copilot'), { 'github.com': { user: 'old', oauth_token: 'gho_legacy' } }, 'hosts.json');
    const imported = importCopilotLogin({ home, platform: 'linux', env: {} });
    expect(imported.ok && [imported.value.tokens?.accessToken, imported.value.source]).toEqual(['gho_legacy', 'imported from ~/.config/github-copilot/hosts.json']);
  });

  it('reports not_found naming apps.json, and malformed entries', () => {
    const result = importCopilotLogin({ home, platform: 'linux', env: {} });
    expect(result).toMatchObject({ ok: false, error: { code: 'not_found', file: path.join(home, '.config', 'github-copilot', 'apps.json') } });
    writeApps(path.join(home, '.config', 'github-copilot'), { 'github.com:x': { user: 'no-token' } });
    expect(importCopilotLogin({ home, platform: 'linux', env: {} })).toMatchObject({ ok: false, error: { code: 'malformed', message: expect.stringContaining('oauth_token') } });
  });

  it('hands the agent its token through COPILOT_GITHUB_TOKEN', () => {
    expect(copilotAgentEnv('ghu_x')).toEqual({ COPILOT_GITHUB_TOKEN: 'ghu_x' });
  });
});

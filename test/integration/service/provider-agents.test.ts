import fs from 'node:fs';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createService, type RelayService } from '../../../main/core/service.js';
import { JsonFileSettingsStore } from '../../../main/core/settings/settings-store.js';
import { writeProvidersJson } from '../../support/auth-fixtures.js';
import { captureLogger } from '../../support/capture-logger.js';
import { makeTempDir } from '../../support/temp-dir.js';

const FAKE_CLAUDE = path.resolve('test/fixtures/agents/fake-claude.mjs');

/** Agents started by provider: their own config home, the account's login in the CLI's format. */
describe('provider agents', () => {
  let data: ReturnType<typeof makeTempDir>;
  let home: ReturnType<typeof makeTempDir>;
  let service: RelayService;
  const userLogin = () => path.join(home.dir, '.claude', '.credentials.json');

  const call = async (method: string, ...args: unknown[]) => {
    const reply = await service.dispatcher.dispatch(method, args);
    if (!reply.ok) throw Object.assign(new Error(reply.error.message), { code: reply.error.code });
    return reply.value as never;
  };
  const report = async (name: string) => {
    let line: string | undefined;
    await expect
      .poll(async () => (line = ((await call('terminal.screen', name)) as string[]).join('').match(/REPORT (\{.*?\})(?=rotated|claude>|$)/)?.[1]), { timeout: 10_000 })
      .toBeTruthy();
    return JSON.parse(line!) as { configDir: string; relayName: string; mode: number; accessToken?: string; args: string[] };
  };

  beforeEach(async () => {
    data = makeTempDir();
    home = makeTempDir();
    // The user's own Claude Code login, imported (read only) as the account.
    fs.mkdirSync(path.dirname(userLogin()), { recursive: true });
    fs.writeFileSync(
      userLogin(),
      JSON.stringify({ claudeAiOauth: { accessToken: 'sk-ant-oat01-user-access', refreshToken: 'sk-ant-ort01-user-refresh', expiresAt: Date.now() + 3600_000, scopes: ['user:inference'], subscriptionType: 'max' } }),
      { mode: 0o600 },
    );
    writeProvidersJson(data.dir, { anthropic: { cli: { command: FAKE_CLAUDE, skipPermissionsFlag: '--dangerously-skip-permissions', configHomeEnv: 'CLAUDE_CONFIG_DIR' } } });
    service = createService({ host: 'headless', version: 't', dataDir: data.dir, settingsStore: new JsonFileSettingsStore(data.dir), logger: captureLogger().logger, home: home.dir });
    const { flowId } = (await call('providers.connect', { provider: 'anthropic', method: 'import' })) as { flowId: string };
    await expect.poll(async () => ((await call('providers.list')) as { providers: Array<{ id: string; accounts: unknown[] }> }).providers.find((p) => p.id === 'anthropic')!.accounts.length).toBe(1);
    expect(flowId).toBeTruthy();
  });
  afterEach(async () => {
    await service.close();
    data.cleanup();
    home.cleanup();
  });

  it('start in a config home of their own with the login written in the CLI\'s format, the briefing and the chosen flag', async () => {
    await call('agents.spawn', { name: 'Bob', command: process.execPath, args: [path.resolve('test/fixtures/relay/bob.mjs')] });
    const info = (await call('agents.spawn', { name: 'Claude1', provider: 'anthropic', skipPermissions: true, args: ['--model', 'opus'] })) as { provider: string; account: string };
    expect(info).toMatchObject({ provider: 'anthropic', account: expect.any(String) });
    const seen = await report('Claude1');
    expect(seen.configDir).toBe(path.join(data.dir, 'agents', 'Claude1'));
    expect(seen.relayName).toBe('Claude1');
    expect(seen.accessToken).toBe('sk-ant-oat01-user-access');
    expect(seen.mode).toBe(0o600);
    expect(seen.args[0]).toBe('--dangerously-skip-permissions');
    expect(seen.args).toContain('--append-system-prompt');
    expect(seen.args[seen.args.indexOf('--append-system-prompt') + 1]).toContain('The other agents right now: Bob');
    expect(seen.args.slice(-2)).toEqual(['--model', 'opus']);
    // Nothing of the user's was changed.
    expect(JSON.parse(fs.readFileSync(userLogin(), 'utf8')).claudeAiOauth.accessToken).toBe('sk-ant-oat01-user-access');
  });

  it('adopt the tokens when the CLI rotated them itself', async () => {
    await call('agents.spawn', { name: 'Rotator', provider: 'anthropic', args: ['rotate'] });
    await expect.poll(async () => ((await call('agents.list')) as Array<{ status: string }>)[0]!.status, { timeout: 10_000 }).toBe('exited');
    await expect
      .poll(async () => (await service.providers.freshCredentials('anthropic')).tokens?.refreshToken, { timeout: 10_000 })
      .toBe('sk-ant-ort01-rotated-refresh');
  });

  it('refuse clearly when the provider is not connected, or its CLI is not installed', async () => {
    await expect(call('agents.spawn', { name: 'G', provider: 'google' })).rejects.toMatchObject({ code: 'provider_not_connected', message: expect.stringContaining('connect google') });
    writeProvidersJson(data.dir, {});
    await service.close();
    service = createService({ host: 'headless', version: 't', dataDir: data.dir, settingsStore: new JsonFileSettingsStore(data.dir), logger: captureLogger().logger, home: home.dir, });
    // The real `claude` is not installed on the test machine: the error says what and how.
    const error = await call('agents.spawn', { name: 'C', provider: 'anthropic', env: { PATH: '/nonexistent' } }).catch((e: unknown) => e);
    expect(error).toMatchObject({ code: 'command_not_found' });
    expect((error as Error).message).toContain('claude');
    expect((error as Error).message).toContain('npm install -g @anthropic-ai/claude-code');
  });

  it('take the same account through teams', async () => {
    const agents = (await call('teams.start', { team: 'code-review', cwd: data.dir, provider: 'anthropic' })) as Array<{ name: string; provider: string }>;
    expect(agents.map((a) => [a.name, a.provider])).toEqual([
      ['Architect', 'anthropic'],
      ['Reviewer', 'anthropic'],
      ['Auditor', 'anthropic'],
    ]);
    expect((await report('Auditor')).configDir).toBe(path.join(data.dir, 'agents', 'Auditor'));
  });
});

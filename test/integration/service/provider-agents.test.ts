import fs from 'node:fs';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createService, type RelayService } from '../../../main/core/service.js';
import { JsonFileSettingsStore } from '../../../main/core/settings/settings-store.js';
import { writeProvidersJson } from '../../support/auth-fixtures.js';
import { captureLogger } from '../../support/capture-logger.js';
import { makeTempDir } from '../../support/temp-dir.js';

const FAKE_CLAUDE = path.resolve('test/fixtures/agents/fake-claude.mjs');

/**
 * Agents started by provider. For Claude, whose CLI keeps its own login: every agent of an account
 * runs in that account's one config home (the CLI's own refresh lock serves them all), the app writes
 * no token, and takes back what the CLI rotated.
 */
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
    await expect.poll(async () => ((await call('providers.list')) as { providers: Array<{ id: string; accounts: unknown[] }> }).providers.find((p) => p.id === 'anthropic')!.accounts.length, { timeout: 15_000 }).toBe(1);
    expect(flowId).toBeTruthy();
  });
  afterEach(async () => {
    await service.close();
    data.cleanup();
    home.cleanup();
  });

  const accountHome = async (accountId?: string) => {
    const state = (await call('providers.list')) as { providers: Array<{ id: string; accounts: Array<{ accountId: string; isDefault: boolean; configHome?: string }> }> };
    const accounts = state.providers.find((p) => p.id === 'anthropic')!.accounts;
    const account = accountId ? accounts.find((a) => a.accountId === accountId) : accounts.find((a) => a.isDefault);
    return path.join(data.dir, account!.configHome!);
  };

  it('start in the account\'s config home holding the login Claude Code keeps, with the briefing and the chosen flag', async () => {
    await call('agents.spawn', { name: 'Bob', command: process.execPath, args: [path.resolve('test/fixtures/relay/bob.mjs')] });
    const info = (await call('agents.spawn', { name: 'Claude1', provider: 'anthropic', skipPermissions: true, args: ['--model', 'opus'] })) as { provider: string; account: string };
    expect(info).toMatchObject({ provider: 'anthropic', account: expect.any(String) });
    const seen = await report('Claude1');
    expect(seen.configDir).toBe(await accountHome());
    expect(seen.configDir.startsWith(path.join(data.dir, 'accounts', 'anthropic'))).toBe(true);
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

  it('keep (encrypted) what the CLI rotated itself, and put it back when the folder is lost', async () => {
    await call('agents.spawn', { name: 'Rotator', provider: 'anthropic', args: ['rotate'] });
    await expect.poll(async () => ((await call('agents.list')) as Array<{ status: string }>)[0]!.status, { timeout: 10_000 }).toBe('exited');
    const vaultCopy = async () => (await (await service.providers.openedVault()).getAccount('anthropic'))?.secrets.extra?.['file:.credentials.json'] ?? '';
    await expect.poll(vaultCopy, { timeout: 10_000 }).toContain('sk-ant-ort01-rotated-refresh');
    // The app never holds the tokens as its own: nothing for it to refresh.
    expect((await service.providers.freshCredentials('anthropic')).tokens).toBeUndefined();

    // A new device (or a wiped folder): the next agent finds the login back where Claude Code looks.
    const home = await accountHome();
    fs.rmSync(home, { recursive: true });
    await call('agents.spawn', { name: 'After', provider: 'anthropic' });
    const seen = await report('After');
    expect(seen.configDir).toBe(home);
    expect(seen.accessToken).toBe('sk-ant-oat01-rotated-access');
    expect(seen.mode).toBe(0o600);
  });

  it('share one home between two agents of one account; agents of another account get another', async () => {
    const { flowId } = (await call('providers.connect', { provider: 'anthropic', method: 'import', account: 'second' })) as { flowId: string };
    expect(flowId).toBeTruthy();
    await expect.poll(async () => ((await call('providers.list')) as { providers: Array<{ id: string; accounts: unknown[] }> }).providers.find((p) => p.id === 'anthropic')!.accounts.length, { timeout: 15_000 }).toBe(2);
    const first = ((await call('providers.list')) as { providers: Array<{ id: string; accounts: Array<{ accountId: string; isDefault: boolean }> }> }).providers
      .find((p) => p.id === 'anthropic')!
      .accounts.find((a) => a.isDefault)!.accountId;
    await call('agents.spawn', { name: 'One', provider: 'anthropic', account: first });
    await call('agents.spawn', { name: 'Two', provider: 'anthropic', account: first });
    await call('agents.spawn', { name: 'Other', provider: 'anthropic', account: 'second' });
    const [one, two, other] = [await report('One'), await report('Two'), await report('Other')];
    expect(one.configDir).toBe(two.configDir);
    expect(one.configDir).toBe(await accountHome(first));
    expect(other.configDir).toBe(await accountHome('second'));
    expect(other.configDir).not.toBe(one.configDir);
    const agents = (await call('agents.list')) as Array<{ name: string; account: string }>;
    expect(Object.fromEntries(agents.map((a) => [a.name, a.account]))).toEqual({ One: first, Two: first, Other: 'second' });
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
    // One account, one home, for the whole team.
    expect((await report('Auditor')).configDir).toBe(await accountHome());
    expect((await report('Architect')).configDir).toBe(await accountHome());
  });
});

import fs from 'node:fs';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { AgentInfo } from '../../../preload/contract.js';
import { createService, type RelayService } from '../../../main/core/service.js';
import { JsonFileSettingsStore } from '../../../main/core/settings/settings-store.js';
import { writeProvidersJson } from '../../support/auth-fixtures.js';
import { captureLogger } from '../../support/capture-logger.js';
import { makeTempDir } from '../../support/temp-dir.js';

const FAKE_CLAUDE = path.resolve('test/fixtures/agents/fake-claude.mjs');

/**
 * An agent's CLI says its account hit the usage limit: the agent and the account's card say so with
 * the reset time, and "Continue on <other account>" starts it again there with `claude --continue`,
 * its conversation carried over. Automatic only when the setting says so; never silent.
 */
describe('usage-limit failover', () => {
  let data: ReturnType<typeof makeTempDir>;
  let home: ReturnType<typeof makeTempDir>;
  let service: RelayService;
  let log: ReturnType<typeof captureLogger>;

  const call = async (method: string, ...args: unknown[]) => {
    const reply = await service.dispatcher.dispatch(method, args);
    if (!reply.ok) throw Object.assign(new Error(reply.error.message), { code: reply.error.code });
    return reply.value as never;
  };
  const agent = async (name: string) => ((await call('agents.list')) as AgentInfo[]).find((a) => a.name === name)!;
  const report = async (name: string) => {
    let line: string | undefined;
    await expect
      .poll(async () => (line = ((await call('terminal.screen', name)) as string[]).join('').match(/REPORT (\{.*?\})(?=rotated|claude>|$)/)?.[1]), { timeout: 10_000 })
      .toBeTruthy();
    return JSON.parse(line!) as { configDir: string; args: string[] };
  };
  const accounts = async () =>
    ((await call('providers.list')) as { providers: Array<{ id: string; accounts: Array<{ accountId: string; configHome?: string; usageLimit?: { message: string; resetText?: string } }> }> }).providers.find(
      (p) => p.id === 'anthropic',
    )!.accounts;
  const importAs = async (account: string) => {
    await call('providers.connect', { provider: 'anthropic', method: 'import', account });
    await expect.poll(async () => (await accounts()).some((a) => a.accountId === account), { timeout: 15_000 }).toBe(true);
  };

  beforeEach(async () => {
    data = makeTempDir();
    home = makeTempDir();
    fs.mkdirSync(path.join(home.dir, '.claude'), { recursive: true });
    fs.writeFileSync(
      path.join(home.dir, '.claude', '.credentials.json'),
      JSON.stringify({ claudeAiOauth: { accessToken: 'sk-ant-oat01-a', refreshToken: 'sk-ant-ort01-a', expiresAt: Date.now() + 3600_000, scopes: ['user:inference'], subscriptionType: 'max' } }),
      { mode: 0o600 },
    );
    writeProvidersJson(data.dir, { anthropic: { cli: { command: FAKE_CLAUDE, configHomeEnv: 'CLAUDE_CONFIG_DIR' } } });
    service = createService({ host: 'headless', version: 't', dataDir: data.dir, settingsStore: new JsonFileSettingsStore(data.dir), logger: (log = captureLogger()).logger, home: home.dir });
    await importAs('work');
    await importAs('personal');
  });
  afterEach(async () => {
    if (process.env.DEBUG_H13) console.log(log.lines.join('\n'));
    await service.close();
    data.cleanup();
    home.cleanup();
  });

  it('says so on the agent and the card, and "Continue on" restarts it on the other account with --continue and its conversation', async () => {
    await call('agents.spawn', { name: 'Worker', provider: 'anthropic', account: 'work', cwd: data.dir, args: ['limit'] });
    await expect.poll(async () => (await agent('Worker')).usageLimit?.message, { timeout: 10_000 }).toBe('5-hour limit reached ∙ resets 3pm (Europe/Berlin)');
    const notice = (await agent('Worker')).usageLimit!;
    expect(notice).toMatchObject({ resetText: '3pm (Europe/Berlin)', alternatives: ['personal'], resetsAt: expect.any(Number) });
    expect((await accounts()).find((a) => a.accountId === 'work')?.usageLimit).toMatchObject({ message: notice.message, resetText: '3pm (Europe/Berlin)' });
    // Not automatic unless the setting says so: the agent is still on its account.
    expect((await agent('Worker')).account).toBe('work');

    // A conversation Claude Code saved in the first account's home.
    const [work, personal] = [(await accounts()).find((a) => a.accountId === 'work')!, (await accounts()).find((a) => a.accountId === 'personal')!];
    const session = path.join('projects', data.dir.replace(/[/.]/g, '-'), 'c0ffee.jsonl');
    fs.mkdirSync(path.dirname(path.join(data.dir, work.configHome!, session)), { recursive: true });
    fs.writeFileSync(path.join(data.dir, work.configHome!, session), '{"type":"user","message":"hello"}\n');

    const moved = (await call('agents.continueOn', { name: 'Worker', account: 'personal' })) as AgentInfo;
    expect(moved).toMatchObject({ name: 'Worker', account: 'personal', usageLimit: { movedFrom: 'work' } });
    const seen = await report('Worker');
    expect(seen.configDir).toBe(path.join(data.dir, personal.configHome!));
    expect(seen.args[0]).toBe('--continue');
    expect(fs.readFileSync(path.join(data.dir, personal.configHome!, session), 'utf8')).toContain('hello');
  });

  it('moves by itself when the setting is on, once, and says where it came from', async () => {
    await call('app.setSettings', { continueOnOtherAccount: true });
    await call('agents.spawn', { name: 'Auto', provider: 'anthropic', account: 'work', args: ['limit'] });
    await expect.poll(async () => (await agent('Auto')).account, { timeout: 10_000 }).toBe('personal');
    expect((await report('Auto')).args[0]).toBe('--continue');
    // The other account hit its limit too: nowhere left to go, and it says so instead of looping.
    await expect.poll(async () => (await agent('Auto')).usageLimit, { timeout: 10_000 }).toMatchObject({ alternatives: [] });
    expect((await agent('Auto')).account).toBe('personal');
  });
});

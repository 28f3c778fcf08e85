import fs from 'node:fs';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { createService, type RelayService } from '../../../main/core/service.js';
import { JsonFileSettingsStore } from '../../../main/core/settings/settings-store.js';
import { writeProvidersJson } from '../../support/auth-fixtures.js';
import { captureLogger } from '../../support/capture-logger.js';
import { makeTempDir } from '../../support/temp-dir.js';
import { fakeJwt } from '../../unit/credentials/fake-tokens.js';
import { CLIS_DIR, cliBin, INSTALL_HINT } from './real-cli.js';

const claude = cliBin('claude');
const codex = cliBin('codex');
const reason = `the real CLIs are not installed in ${CLIS_DIR} (${INSTALL_HINT})`;

/**
 * End to end with the real CLIs: an account imported into the vault, an agent spawned by provider
 * the way the app does it, and the CLI itself, started in the agent's own config home, says it is
 * logged in. The user's own files are never read by the CLI nor changed.
 */
describe.skipIf(!claude || !codex)(`provider agents with the real CLIs${!claude || !codex ? ` (skipped: ${reason})` : ''}`, () => {
  let data: ReturnType<typeof makeTempDir>;
  let home: ReturnType<typeof makeTempDir>;
  let service: RelayService;
  afterEach(async () => {
    await service.close();
    data.cleanup();
    home.cleanup();
  });

  const call = async (method: string, ...args: unknown[]) => {
    const reply = await service.dispatcher.dispatch(method, args);
    if (!reply.ok) throw Object.assign(new Error(reply.error.message), { code: reply.error.code });
    return reply.value as never;
  };
  const screen = async (name: string) => ((await call('terminal.screen', name)) as string[]).join('\n');

  async function start(providers: Record<string, Record<string, unknown>>) {
    data = makeTempDir();
    home = makeTempDir();
    writeProvidersJson(data.dir, providers);
    service = createService({ host: 'headless', version: 't', dataDir: data.dir, settingsStore: new JsonFileSettingsStore(data.dir), logger: captureLogger().logger, home: home.dir });
  }
  async function importLogin(provider: string) {
    await call('providers.connect', { provider, method: 'import' });
    await expect
      .poll(async () => ((await call('providers.list')) as { providers: Array<{ id: string; accounts: unknown[] }> }).providers.find((p) => p.id === provider)!.accounts.length, { timeout: 30_000 })
      .toBe(1);
  }

  it('claude auth status says logged in, inside the account\'s own CLAUDE_CONFIG_DIR', async () => {
    await start({ anthropic: { cli: { command: claude!, skipPermissionsFlag: '--dangerously-skip-permissions', configHomeEnv: 'CLAUDE_CONFIG_DIR' } } });
    const userFile = path.join(home.dir, '.claude', '.credentials.json');
    fs.mkdirSync(path.dirname(userFile), { recursive: true });
    const userLogin = JSON.stringify({ claudeAiOauth: { accessToken: 'sk-ant-oat01-real-cli-check', refreshToken: 'sk-ant-ort01-real-cli-check', expiresAt: Date.now() + 3600_000, scopes: ['user:inference', 'user:profile'], subscriptionType: 'max' } });
    fs.writeFileSync(userFile, userLogin, { mode: 0o600 });
    await importLogin('anthropic');
    fs.rmSync(path.join(home.dir, '.claude'), { recursive: true });

    await call('agents.spawn', { name: 'RealClaude', provider: 'anthropic', args: ['auth', 'status'], env: { HOME: home.dir } });
    await expect.poll(() => screen('RealClaude'), { timeout: 30_000 }).toContain('"loggedIn": true');
    expect(await screen('RealClaude')).toContain('"subscriptionType": "max"');
    // Claude Code keeps its login: the import copied it into the account's home, which its agents share.
    const accounts = path.join(data.dir, 'accounts', 'anthropic');
    expect(fs.readdirSync(accounts).map((d) => fs.existsSync(path.join(accounts, d, '.credentials.json')))).toEqual([true]);
    expect(fs.existsSync(path.join(data.dir, 'agents', 'RealClaude', '.credentials.json'))).toBe(false);
    expect(fs.existsSync(path.join(home.dir, '.claude'))).toBe(false);
  });

  it('codex login status says logged in using ChatGPT, inside the agent\'s own CODEX_HOME', async () => {
    await start({ openai: { cli: { command: codex!, skipPermissionsFlag: '--dangerously-bypass-approvals-and-sandbox', configHomeEnv: 'CODEX_HOME' } } });
    const userFile = path.join(home.dir, '.codex', 'auth.json');
    fs.mkdirSync(path.dirname(userFile), { recursive: true });
    const idToken = fakeJwt({ email: 'ada@example.com', 'https://api.openai.com/auth': { chatgpt_account_id: 'acct-real', chatgpt_plan_type: 'pro' } });
    fs.writeFileSync(userFile, JSON.stringify({ auth_mode: 'chatgpt', OPENAI_API_KEY: null, tokens: { id_token: idToken, access_token: 'at-real-cli-check', refresh_token: 'rt-real-cli-check', account_id: 'acct-real' }, last_refresh: new Date().toISOString() }), { mode: 0o600 });
    await importLogin('openai');
    fs.rmSync(path.join(home.dir, '.codex'), { recursive: true });

    await call('agents.spawn', { name: 'RealCodex', provider: 'openai', args: ['login', 'status'], env: { HOME: home.dir } });
    await expect.poll(() => screen('RealCodex'), { timeout: 30_000 }).toContain('Logged in using ChatGPT');
    expect(fs.existsSync(path.join(data.dir, 'agents', 'RealCodex', 'auth.json'))).toBe(true);
    expect(fs.readFileSync(path.join(data.dir, 'agents', 'RealCodex', 'AGENTS.md'), 'utf8')).toContain('->relay:Name');
    expect(fs.existsSync(path.join(home.dir, '.codex'))).toBe(false);
  });
});

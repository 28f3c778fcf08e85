import fs from 'node:fs';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { SignInProgress } from '../../../preload/contract.js';
import { connectClient, type NodeClient } from '../../../main/core/transport/client.js';
import { startServer, type RunningServer } from '../../../main/core/transport/server.js';
import { createService, type RelayService } from '../../../main/core/service.js';
import { JsonFileSettingsStore } from '../../../main/core/settings/settings-store.js';
import { customOidcEntry, writeProvidersJson } from '../../support/auth-fixtures.js';
import { keyChecksAt, startKeyCheckApi, type KeyCheckApi } from '../../support/key-check-api.js';
import { startOidcServer, type OidcServer } from '../../support/oidc-server.js';
import { captureLogger } from '../../support/capture-logger.js';
import { makeTempDir } from '../../support/temp-dir.js';

const TOKEN = 'p'.repeat(48);

/** Every file under `dir`, as text. */
function allFileText(dir: string): string {
  let text = '';
  for (const entry of fs.readdirSync(dir, { withFileTypes: true, recursive: true })) {
    if (entry.isFile()) text += fs.readFileSync(path.join(entry.parentPath, entry.name), 'latin1');
  }
  return text;
}

describe('provider connections over the bridge, against a real OAuth server', () => {
  let tmp: ReturnType<typeof makeTempDir>;
  let home: ReturnType<typeof makeTempDir>;
  let oidc: OidcServer;
  let keyApi: KeyCheckApi;
  let service: RelayService;
  let server: RunningServer;
  let client: NodeClient;
  let logLines: string[];

  beforeEach(async () => {
    tmp = makeTempDir();
    home = makeTempDir();
    oidc = await startOidcServer({ deviceInterval: 1 });
    keyApi = await startKeyCheckApi();
    writeProvidersJson(tmp.dir, { ...keyChecksAt(keyApi.url), 'test-oidc': customOidcEntry(oidc.issuer, { methods: ['browser', 'device', 'paste'] }) });
    const captured = captureLogger(path.join(tmp.dir, 'logs'));
    logLines = captured.lines;
    service = createService({
      host: 'headless',
      version: 't',
      dataDir: tmp.dir,
      settingsStore: new JsonFileSettingsStore(tmp.dir),
      logger: captured.logger,
      home: home.dir,
    });
    server = await startServer({ service, token: TOKEN, host: '127.0.0.1', port: 0, fallbackToFreePort: false, logger: captured.logger });
    client = await connectClient(`http://127.0.0.1:${server.port}`, TOKEN);
  });
  afterEach(async () => {
    client.close();
    await server.close();
    await service.close();
    await oidc.close();
    await keyApi.close();
    tmp.cleanup();
    home.cleanup();
  });

  /** Collects sign-in progress from before the call that starts it (events can beat the reply). */
  const collect = () => {
    const seen: SignInProgress[] = [];
    client.on('providers.signIn', (p) => seen.push(p));
    return (flowId: string) => seen.filter((p) => p.flowId === flowId);
  };

  it('lists the built-in providers and the custom one, with weaker protection headless', async () => {
    const state = await client.call('providers.list');
    expect(state.providers.map((p) => p.id)).toEqual(expect.arrayContaining(['anthropic', 'openai', 'google', 'github-copilot', 'qwen', 'ollama', 'test-oidc']));
    expect(state.providers.find((p) => p.id === 'qwen')?.notice).toMatch(/free tier/i);
    expect(state.providers.find((p) => p.id === 'anthropic')?.cli).toEqual({ command: 'claude', skipPermissionsFlag: '--dangerously-skip-permissions' });
    expect(state.providers.find((p) => p.id === 'ollama')?.cli).toBeUndefined();
    expect(state.vault).toEqual({ protection: 'weaker', protectionDetail: expect.stringContaining('vault.key'), consentRequired: false });
    expect(state.configProblems).toEqual([]);
  });

  it('signs in with a device code: the user approves at the server, the card becomes connected, no token leaks', async () => {
    const events: SignInProgress[] = [];
    client.on('providers.signIn', (p) => events.push(p));
    const { flowId } = await client.call('providers.connect', { provider: 'test-oidc', method: 'device' });
    await expect.poll(() => events.find((e) => e.flowId === flowId && e.phase === 'device-code'), { timeout: 10_000 }).toBeTruthy();
    const code = events.find((e) => e.phase === 'device-code')!;
    expect(code.userCode).toBeTruthy();
    expect(code.expiresAt).toBeGreaterThan(Date.now());
    await oidc.user.approveDevice(code.verificationUri!, code.userCode!, { login: 'carol' });
    await expect.poll(() => events.at(-1)?.phase, { timeout: 15_000 }).toBe('connected');
    expect(events.at(-1)!.account).toMatchObject({ provider: 'test-oidc', state: 'connected', method: 'device', isDefault: true });

    const state = await client.call('providers.list');
    const card = state.providers.find((p) => p.id === 'test-oidc')!;
    expect(card.accounts).toHaveLength(1);
    const serialized = JSON.stringify(state);
    expect(serialized).not.toMatch(/accessToken|refreshToken|idToken/);

    // The tokens are in the vault, encrypted: nothing in the data dir or the log holds them in plain text.
    const creds = await service.providers.freshCredentials('test-oidc');
    expect(creds.tokens?.accessToken.length).toBeGreaterThan(10);
    const files = allFileText(tmp.dir);
    for (const secret of [creds.tokens!.accessToken, creds.tokens!.refreshToken!]) {
      expect(files).not.toContain(secret);
      expect(logLines.join('\n')).not.toContain(secret);
    }
    const audit = fs.readFileSync(path.join(tmp.dir, 'audit.jsonl'), 'utf8');
    expect(audit).toContain('"action":"connect"');

    const { revoked } = await client.call('providers.disconnect', { provider: 'test-oidc', accountId: card.accounts[0]!.accountId });
    expect(revoked).toBe(true);
    expect((await client.call('providers.list')).providers.find((p) => p.id === 'test-oidc')!.accounts).toEqual([]);
  });

  it('signs in through the browser: the test follows the authorize URL as the user would', async () => {
    const progress = collect();
    const { flowId } = await client.call('providers.connect', { provider: 'test-oidc', method: 'browser', account: 'work' });
    await expect.poll(() => progress(flowId).find((e) => e.phase === 'open-url'), { timeout: 10_000 }).toBeTruthy();
    await oidc.user.authorize(progress(flowId).find((e) => e.phase === 'open-url')!.url!, { login: 'dave' });
    await expect.poll(() => progress(flowId).at(-1)?.phase, { timeout: 10_000 }).toBe('connected');
    expect(progress(flowId).at(-1)!.account).toMatchObject({ accountId: 'work', name: 'work', method: 'browser' });
  });

  it('cancel stops a sign-in at once and stores nothing', async () => {
    const progress = collect();
    const { flowId } = await client.call('providers.connect', { provider: 'test-oidc', method: 'device' });
    await expect.poll(() => progress(flowId).find((e) => e.phase === 'device-code'), { timeout: 10_000 }).toBeTruthy();
    await client.call('providers.cancel', flowId);
    await expect.poll(() => progress(flowId).at(-1)?.phase).toBe('cancelled');
    expect((await client.call('providers.list')).providers.find((p) => p.id === 'test-oidc')!.accounts).toEqual([]);
  });

  it('refuses a method the provider does not offer and an unknown provider, with codes', async () => {
    await expect(client.call('providers.connect', { provider: 'github-copilot', method: 'browser' })).rejects.toMatchObject({ code: 'method_not_supported' });
    await expect(client.call('providers.connect', { provider: 'nope', method: 'device' })).rejects.toMatchObject({ code: 'unknown_provider' });
    await expect(client.call('providers.submitCode', { flowId: 'x', code: 'abc' })).rejects.toMatchObject({ code: 'no_such_flow' });
  });

  it('imports the login a local CLI already has, without changing the CLI\'s file', async () => {
    const file = path.join(home.dir, '.codex', 'auth.json');
    fs.mkdirSync(path.dirname(file), { recursive: true });
    const idToken = `e30.${Buffer.from(JSON.stringify({ email: 'erin@example.com', 'https://api.openai.com/auth': { chatgpt_account_id: 'acct-1', chatgpt_plan_type: 'plus' } })).toString('base64url')}.sig`;
    const original = JSON.stringify({ auth_mode: 'chatgpt', OPENAI_API_KEY: null, tokens: { id_token: idToken, access_token: 'at-imported-123456', refresh_token: 'rt-imported-123456', account_id: 'acct-1' }, last_refresh: new Date().toISOString() });
    fs.writeFileSync(file, original, { mode: 0o600 });
    const mtime = fs.statSync(file).mtimeMs;

    const before = await client.call('providers.list');
    expect(before.providers.find((p) => p.id === 'openai')!.importSource).toBe('~/.codex/auth.json');
    const progress = collect();
    const { flowId } = await client.call('providers.connect', { provider: 'openai', method: 'import' });
    await expect.poll(() => progress(flowId).at(-1)?.phase, { timeout: 10_000 }).toBe('connected');
    expect(progress(flowId).at(-1)!.account).toMatchObject({ method: 'import', source: 'imported from ~/.codex/auth.json' });
    expect(fs.readFileSync(file, 'utf8')).toBe(original);
    expect(fs.statSync(file).mtimeMs).toBe(mtime);
    expect(allFileText(tmp.dir)).not.toContain('rt-imported-123456');
  });

  it('keeps an API key like any other secret', async () => {
    const account = await client.call('providers.saveApiKey', { provider: 'anthropic', apiKey: 'sk-ant-api03-abcdefghijklmnop', account: 'ci' });
    expect(account).toMatchObject({ provider: 'anthropic', name: 'ci', method: 'api-key', state: 'connected', source: `via API key, accepted by ${keyApi.host}` });
    expect(keyApi.seen).toEqual([{ provider: 'anthropic', key: 'sk-ant-api03-abcdefghijklmnop' }]);
    expect(allFileText(tmp.dir)).not.toContain('sk-ant-api03-abcdefghijklmnop');
  });
});

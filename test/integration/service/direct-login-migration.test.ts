import fs from 'node:fs';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createService, type RelayService } from '../../../main/core/service.js';
import { JsonFileSettingsStore } from '../../../main/core/settings/settings-store.js';
import { writeProvidersJson } from '../../support/auth-fixtures.js';
import { captureLogger } from '../../support/capture-logger.js';
import { makeTempDir } from '../../support/temp-dir.js';

const FAKE_CLAUDE = path.resolve('test/fixtures/agents/fake-claude.mjs');

/**
 * A Claude login made by the app's old direct flow: it keeps working until it expires (the app never
 * refreshes it: it would have to call Anthropic with Claude Code's client), then the account asks,
 * once and with the reason, to sign in again the new way, which replaces it.
 */
describe('logins left from the old direct Claude flow', () => {
  let data: ReturnType<typeof makeTempDir>;
  let home: ReturnType<typeof makeTempDir>;
  let service: RelayService;
  let tokenServer: http.Server;
  let tokenCalls = 0;

  const call = async (method: string, ...args: unknown[]) => {
    const reply = await service.dispatcher.dispatch(method, args);
    if (!reply.ok) throw Object.assign(new Error(reply.error.message), { code: reply.error.code });
    return reply.value as never;
  };
  const account = async () =>
    ((await call('providers.list')) as { providers: Array<{ id: string; accounts: Array<Record<string, unknown>> }> }).providers.find((p) => p.id === 'anthropic')!.accounts;
  const legacy = async (expiresAt: number) =>
    (await service.providers.openedVault()).upsert({
      provider: 'anthropic',
      accountId: 'ada@example.com',
      name: 'ada@example.com',
      email: 'ada@example.com',
      method: 'paste',
      secrets: { accessToken: 'sk-ant-oat01-old', refreshToken: 'sk-ant-ort01-old', expiresAt },
    });

  beforeEach(async () => {
    data = makeTempDir();
    home = makeTempDir();
    tokenCalls = 0;
    tokenServer = http.createServer((_req, res) => {
      tokenCalls++;
      res.writeHead(500).end();
    });
    await new Promise<void>((resolve) => tokenServer.listen(0, '127.0.0.1', resolve));
    writeProvidersJson(data.dir, {
      anthropic: { tokenEndpoint: `http://127.0.0.1:${(tokenServer.address() as AddressInfo).port}/v1/oauth/token`, cli: { command: FAKE_CLAUDE, configHomeEnv: 'CLAUDE_CONFIG_DIR' } },
    });
    service = createService({ host: 'headless', version: 't', dataDir: data.dir, settingsStore: new JsonFileSettingsStore(data.dir), logger: captureLogger().logger, home: home.dir });
  });
  afterEach(async () => {
    await service.close();
    await new Promise<void>((resolve) => tokenServer.close(() => resolve()));
    data.cleanup();
    home.cleanup();
  });

  it('works until it expires without a refresh by the app, even when it expires soon', async () => {
    await legacy(Date.now() + 60_000);
    const fresh = await service.providers.freshCredentials('anthropic');
    expect(fresh.tokens?.accessToken).toBe('sk-ant-oat01-old');
    expect(tokenCalls).toBe(0);
    expect((await account())[0]).toMatchObject({ state: 'connected', method: 'paste' });
  });

  it('then asks once, with the reason, to sign in again the new way; signing in again replaces it', async () => {
    await legacy(Date.now() - 1000);
    const error = await service.providers.freshCredentials('anthropic').catch((e: unknown) => e);
    expect(error).toMatchObject({ code: 'needs_signin' });
    expect((error as Error).message).toMatch(/made by Agent Relay itself.*Claude Code will sign in itself/);
    const [before] = await account();
    expect(before).toMatchObject({ state: 'needs_signin', stateReason: expect.stringContaining('Anthropic’s terms') });
    expect(tokenCalls).toBe(0);
    // Asked once: a second start says the same, and the account is not rewritten again.
    await service.providers.freshCredentials('anthropic').catch(() => undefined);
    expect((await account())[0]!.updatedAt).toBe(before!.updatedAt);
    await expect(call('agents.spawn', { name: 'Old', provider: 'anthropic' })).rejects.toMatchObject({ code: 'needs_signin' });

    // Sign in again the new way (here: import of a Claude Code login, into the account's own home).
    fs.mkdirSync(path.join(home.dir, '.claude'), { recursive: true });
    fs.writeFileSync(
      path.join(home.dir, '.claude', '.credentials.json'),
      JSON.stringify({ claudeAiOauth: { accessToken: 'sk-ant-oat01-new', refreshToken: 'sk-ant-ort01-new', expiresAt: Date.now() + 3600_000, scopes: ['user:inference'], subscriptionType: 'pro' } }),
    );
    await call('providers.connect', { provider: 'anthropic', method: 'import', account: 'ada@example.com' });
    await expect.poll(async () => (await account())[0]?.state, { timeout: 15_000 }).toBe('connected');
    const [after] = await account();
    expect(after).toMatchObject({ accountId: 'ada@example.com', method: 'import', signedInBy: 'Claude Code', configHome: expect.stringMatching(/^accounts\/anthropic\//) });
    expect(await account()).toHaveLength(1);
    expect((await service.providers.freshCredentials('anthropic')).tokens).toBeUndefined();
  });
});

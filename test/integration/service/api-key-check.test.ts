import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { connectClient, type NodeClient } from '../../../main/core/transport/client.js';
import { startServer, type RunningServer } from '../../../main/core/transport/server.js';
import { createService, type RelayService } from '../../../main/core/service.js';
import { JsonFileSettingsStore } from '../../../main/core/settings/settings-store.js';
import { captureLogger, writeProvidersJson } from '../../support/auth-fixtures.js';
import { makeTempDir } from '../../support/temp-dir.js';
import { keyChecksAt, startKeyCheckApi } from '../../support/key-check-api.js';
import { BUILT_IN_PROVIDERS } from '../../../main/core/auth/provider-registry.js';
import { checkApiKey } from '../../../main/core/auth/api-key-check.js';

const TOKEN = 'k'.repeat(48);
const GOOD_KEY = 'sk-good-0123456789';

/** A provider API on loopback: its model list answers 200 to the good key, 401 to any other. */
async function startModelsApi(): Promise<{ url: string; seen: Array<string | undefined>; close: () => Promise<void> }> {
  const seen: Array<string | undefined> = [];
  const server = http.createServer((req, res) => {
    const key = req.headers['x-api-key'] as string | undefined;
    seen.push(key);
    const good = req.url?.startsWith('/v1/models') && key === GOOD_KEY && req.headers['anthropic-version'] === '2023-06-01';
    res.writeHead(good ? 200 : 401, { 'content-type': 'application/json' });
    res.end(good ? '{"data":[{"id":"model-1"}]}' : '{"error":{"type":"authentication_error"}}');
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}/v1/models?limit=1`,
    seen,
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}

describe('an API key is checked with the provider before it counts as connected', () => {
  let tmp: ReturnType<typeof makeTempDir>;
  let api: Awaited<ReturnType<typeof startModelsApi>>;
  let service: RelayService;
  let server: RunningServer;
  let client: NodeClient;

  beforeEach(async () => {
    tmp = makeTempDir();
    api = await startModelsApi();
    // Anthropic's check (x-api-key + anthropic-version on its model list), pointed at the loopback API.
    writeProvidersJson(tmp.dir, { anthropic: { apiKeyCheck: { url: api.url, auth: 'x-api-key', headers: { 'anthropic-version': '2023-06-01' } } } });
    const { logger } = captureLogger(tmp.dir);
    service = createService({ host: 'headless', version: 't', dataDir: tmp.dir, settingsStore: new JsonFileSettingsStore(tmp.dir), logger, home: tmp.dir });
    server = await startServer({ service, token: TOKEN, host: '127.0.0.1', port: 0, fallbackToFreePort: false, logger });
    client = await connectClient(`http://127.0.0.1:${server.port}`, TOKEN);
    await client.call('vault.consent').catch(() => undefined);
  });
  afterEach(async () => {
    client.close();
    await server.close();
    await service.close();
    await api.close();
    tmp.cleanup();
  });

  it('a key the provider accepts is saved and says where it was accepted', async () => {
    const account = await client.call('providers.saveApiKey', { provider: 'anthropic', apiKey: GOOD_KEY, account: 'work' });
    expect(account).toMatchObject({ name: 'work', method: 'api-key', state: 'connected', source: `via API key, accepted by ${new URL(api.url).host}` });
    expect(api.seen).toEqual([GOOD_KEY]);
  });

  it('a key the provider refuses is not saved, and the refusal says so', async () => {
    await expect(client.call('providers.saveApiKey', { provider: 'anthropic', apiKey: 'sk-wrong-0123456789' })).rejects.toMatchObject({
      code: 'unauthorized',
      message: `Claude Code refused this API key (HTTP 401 from ${new URL(api.url).host}). Check that it is complete and still active.`,
    });
    const state = await client.call('providers.list');
    expect(state.providers.find((p) => p.id === 'anthropic')?.accounts).toEqual([]);
  });

  it('a provider that cannot be reached leaves the key saved as not checked, with the reason', async () => {
    await api.close();
    const account = await client.call('providers.saveApiKey', { provider: 'anthropic', apiKey: GOOD_KEY });
    expect(account.state).toBe('connected');
    expect(account.source).toBe(`via API key, not checked: Could not reach ${new URL(api.url).host}: nothing answered there. Check your connection, or whether the server is running`);
  });

  it('a provider with no check in the registry says "not checked"', async () => {
    const account = await client.call('providers.saveApiKey', { provider: 'qwen', apiKey: 'sk-anything-0123456789' });
    expect(account.source).toBe('via API key, not checked');
  });

  it('each key account says whether its key was checked (keyCheck), for the card and Home to read', async () => {
    const checked = await client.call('providers.saveApiKey', { provider: 'anthropic', apiKey: GOOD_KEY, account: 'work' });
    const unchecked = await client.call('providers.saveApiKey', { provider: 'qwen', apiKey: 'sk-anything-0123456789', account: 'side' });
    expect(checked.keyCheck).toBe('accepted');
    expect(unchecked.keyCheck).toBe('not-checked');
    // The same in the list every UI reads, and kept in the vault.
    const { providers } = await client.call('providers.list');
    const accountOf = (id: string) => providers.find((p) => p.id === id)?.accounts[0];
    expect(accountOf('anthropic')).toMatchObject({ name: 'work', keyCheck: 'accepted' });
    expect(accountOf('qwen')).toMatchObject({ name: 'side', keyCheck: 'not-checked' });
  });
});

describe("the built-ins' key checks, as the registry gives them, against loopback model lists", () => {
  it('OpenAI, Anthropic and Google each carry the key the way their API expects; Google\'s 400 API_KEY_INVALID is a refusal', async () => {
    const api = await startKeyCheckApi(['refused-key-0123456789']);
    try {
      const checks = keyChecksAt(api.url);
      for (const id of ['openai', 'anthropic', 'google'] as const) {
        const builtIn = BUILT_IN_PROVIDERS.find((p) => p.id === id)!;
        // The registry's own call, moved to loopback: same path, same way of sending the key.
        expect(new URL(builtIn.apiKeyCheck!.url).pathname).toBe(new URL(checks[id]!.apiKeyCheck.url).pathname.replace(`/${id}`, ''));
        const spec = { ...builtIn.apiKeyCheck!, url: checks[id]!.apiKeyCheck.url };
        expect(await checkApiKey(spec, 'good-key-0123456789', builtIn.name)).toEqual({ ok: true, value: { host: api.host } });
        const refused = await checkApiKey(spec, 'refused-key-0123456789', builtIn.name);
        expect(refused.ok ? undefined : refused.error.code).toBe('unauthorized');
      }
      expect(api.seen).toEqual(
        ['openai', 'anthropic', 'google'].flatMap((provider) => [
          { provider, key: 'good-key-0123456789' },
          { provider, key: 'refused-key-0123456789' },
        ]),
      );
    } finally {
      await api.close();
    }
  });
});

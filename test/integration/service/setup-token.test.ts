import fs from 'node:fs';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { SignInProgress } from '../../../preload/contract.js';
import { createService, type RelayService } from '../../../main/core/service.js';
import { JsonFileSettingsStore } from '../../../main/core/settings/settings-store.js';
import { writeProvidersJson } from '../../support/auth-fixtures.js';
import { captureLogger } from '../../support/capture-logger.js';
import { makeTempDir } from '../../support/temp-dir.js';

/**
 * `claude setup-token` (the long-lived option): the token Claude Code prints is kept encrypted and
 * handed only to Claude Code agents (CLAUDE_CODE_OAUTH_TOKEN), in the account's own home.
 */
describe('long-lived token made by claude setup-token', () => {
  let data: ReturnType<typeof makeTempDir>;
  let service: RelayService;
  const progress: SignInProgress[] = [];
  const call = async (method: string, ...args: unknown[]) => {
    const reply = await service.dispatcher.dispatch(method, args);
    if (!reply.ok) throw Object.assign(new Error(reply.error.message), { code: reply.error.code });
    return reply.value as never;
  };

  beforeEach(() => {
    data = makeTempDir();
    progress.length = 0;
    writeProvidersJson(data.dir, { anthropic: { cli: { command: path.resolve('test/fixtures/agents/fake-setup-token.mjs') } } });
    service = createService({ host: 'headless', version: 't', dataDir: data.dir, settingsStore: new JsonFileSettingsStore(data.dir), logger: captureLogger().logger });
    service.events.subscribe((name, payload) => {
      if (name === 'providers.signIn') progress.push(payload as SignInProgress);
    });
  });
  afterEach(async () => {
    await service.close();
    data.cleanup();
  });

  const start = async () => {
    const { flowId } = (await call('providers.connect', { provider: 'anthropic', method: 'cli-token', account: 'ci' })) as { flowId: string };
    await expect.poll(() => progress.some((p) => p.flowId === flowId && p.phase === 'need-code')).toBe(true);
    expect(progress.find((p) => p.phase === 'open-url')?.url).toMatch(/^https:\/\/claude\.com\/cai\/oauth\/authorize\?.*scope=user%3Ainference/);
    return flowId;
  };

  it('keeps the printed token encrypted and gives it to Claude Code agents only', async () => {
    const flowId = await start();
    const account = (await call('providers.submitCode', { flowId, code: 'good-code#state' })) as { method: string; signedInBy: string; expiresAt: number };
    expect(account).toMatchObject({ method: 'cli-token', signedInBy: 'Claude Code' });
    expect(account.expiresAt).toBeGreaterThan(Date.now() + 300 * 24 * 3600_000);
    expect(fs.readFileSync(path.join(data.dir, 'vault.bin')).includes('sk-ant-oat01-longlived')).toBe(false);
    const fresh = await service.providers.freshCredentials('anthropic', 'ci');
    expect(fresh.oauthToken).toBe('sk-ant-oat01-longlived-0123456789abcdefghijklmnop');
    expect(fresh.tokens).toBeUndefined();
  });

  it('shows the CLI’s own error for a code it refuses', async () => {
    const flowId = await start();
    await expect(call('providers.submitCode', { flowId, code: 'wrong' })).rejects.toMatchObject({ code: 'cli_login_failed', message: expect.stringContaining('OAuth error: Invalid code') });
  });
});

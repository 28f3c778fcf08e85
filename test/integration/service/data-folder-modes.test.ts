import fs from 'node:fs';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createService, type RelayService } from '../../../main/core/service.js';
import { createLogger } from '../../../main/core/logging/logger.js';
import { JsonFileSettingsStore } from '../../../main/core/settings/settings-store.js';
import { writeProvidersJson } from '../../support/auth-fixtures.js';
import { runCliProcess } from '../../support/cli-process.js';
import { makeTempDir } from '../../support/temp-dir.js';

const FAKE_CLAUDE = path.resolve('test/fixtures/agents/fake-claude.mjs');
const BOB = path.resolve('test/fixtures/relay/bob.mjs');

/** Every entry under `dir` with its permission bits, files and folders apart. */
function walk(dir: string, into: Array<{ path: string; kind: 'file' | 'dir'; mode: string }> = []) {
  for (const entry of fs.readdirSync(dir, { withFileTypes: true })) {
    const full = path.join(dir, entry.name);
    const mode = (fs.lstatSync(full).mode & 0o777).toString(8);
    if (entry.isDirectory()) {
      into.push({ path: full, kind: 'dir', mode });
      walk(full, into);
    } else into.push({ path: full, kind: 'file', mode });
  }
  return into;
}

describe('the data folder after everyday use', () => {
  let data: ReturnType<typeof makeTempDir>;
  let home: ReturnType<typeof makeTempDir>;
  let service: RelayService | undefined;

  beforeEach(() => {
    data = makeTempDir();
    home = makeTempDir();
    fs.mkdirSync(path.join(home.dir, '.claude'), { recursive: true });
    fs.writeFileSync(
      path.join(home.dir, '.claude', '.credentials.json'),
      JSON.stringify({ claudeAiOauth: { accessToken: 'sk-ant-oat01-user-access', refreshToken: 'sk-ant-ort01-user-refresh', expiresAt: Date.now() + 3600_000, scopes: [] } }),
      { mode: 0o600 },
    );
    writeProvidersJson(data.dir, { anthropic: { cli: { command: FAKE_CLAUDE, configHomeEnv: 'CLAUDE_CONFIG_DIR' } } });
    // The user wrote providers.json; Agent Relay wrote everything else and must keep it owner-only.
    fs.chmodSync(path.join(data.dir, 'providers.json'), 0o600);
  });
  afterEach(async () => {
    await service?.close();
    service = undefined;
    data.cleanup();
    home.cleanup();
  });

  it('holds only owner-only files (0600) and folders (0700)', { timeout: 60_000 }, async () => {
    // The app: settings, an imported login, agents (one signed in), a relay message, a disconnect.
    service = createService({
      host: 'headless',
      version: 't',
      dataDir: data.dir,
      settingsStore: new JsonFileSettingsStore(data.dir),
      logger: createLogger({ dir: path.join(data.dir, 'logs'), console: false }),
      home: home.dir,
    });
    const call = async (method: string, ...args: unknown[]) => {
      const reply = await service!.dispatcher.dispatch(method, args);
      if (!reply.ok) throw Object.assign(new Error(reply.error.message), { code: reply.error.code });
      return reply.value as never;
    };
    await call('app.setSettings', { theme: 'dark' });
    await call('providers.connect', { provider: 'anthropic', method: 'import' });
    await expect.poll(async () => ((await call('providers.list')) as { providers: Array<{ id: string; accounts: unknown[] }> }).providers.find((p) => p.id === 'anthropic')!.accounts.length, { timeout: 15_000 }).toBe(1);
    await call('agents.spawn', { name: 'Bob', command: process.execPath, args: [BOB] });
    await call('agents.spawn', { name: 'Claude1', provider: 'anthropic' });
    const sent = (await call('relay.send', { to: 'Bob', body: 'hello' })) as { id: string };
    await expect.poll(async () => ((await call('relay.read', sent.id)) as { status: string }).status, { timeout: 10_000 }).toMatch(/^(delivered|acknowledged)$/);
    await call('agents.kill', 'Claude1');
    await service.close();
    service = undefined;

    // The CLI and the headless host, as separate processes on the same folder.
    const env = { HOME: home.dir };
    const host = runCliProcess(['up', '--port', '0', '--json', '--no-open', '--data-dir', data.dir], env);
    await host.firstLine;
    const connect = runCliProcess(['connect', 'anthropic', '--method', 'import', '--account', 'second', '--data-dir', data.dir], env);
    expect((await connect.exited).code).toBe(0);
    host.child.kill('SIGTERM');
    await host.exited;

    const entries = walk(data.dir);
    expect(entries.map((e) => path.relative(data.dir, e.path))).toEqual(
      expect.arrayContaining(['vault.bin', 'vault.key', 'settings.json', 'audit.jsonl', path.join('relay', 'messages.jsonl'), path.join('logs', 'agent-relay.log')]),
    );
    const loose = entries.filter((e) => e.mode !== (e.kind === 'file' ? '600' : '700')).map((e) => `${e.mode} ${path.relative(data.dir, e.path)}`);
    expect(loose).toEqual([]);
  });
});

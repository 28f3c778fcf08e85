/** The offer to start the team again, through the contract of an in-process daemon (no terminal host). */
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { createService, type RelayService } from '../../../main/core/service.js';
import { writeAgentRecord } from '../../../main/core/network/agent-record.js';
import { JsonFileSettingsStore } from '../../../main/core/settings/settings-store.js';
import { captureLogger } from '../../support/capture-logger.js';
import { makeTempDir } from '../../support/temp-dir.js';

const PRINTER = path.resolve('test/fixtures/terminal-host/printer.mjs');

describe('starting the team again after a restart', () => {
  const tmp = makeTempDir();
  let service: RelayService | undefined;
  const open = () => {
    service = createService({ host: 'headless', version: 't', dataDir: tmp.dir, settingsStore: new JsonFileSettingsStore(tmp.dir), logger: captureLogger().logger, defaultAgentCwd: tmp.dir });
    return service;
  };
  const call = async <T>(method: string, ...args: unknown[]): Promise<T> => {
    const reply = await service!.dispatcher.dispatch(method as never, args as never);
    if (!reply.ok) throw Object.assign(new Error(reply.error.message), { code: reply.error.code });
    return reply.value as T;
  };
  afterEach(async () => {
    await service?.close();
    service = undefined;
  });

  it('offers the agents recorded as running, keeps the offer across another daemon that did not answer it, and starts them', async () => {
    writeAgentRecord(tmp.dir, [
      { name: 'Runner', provider: null, account: null, skipPermissions: false, command: process.execPath, args: [PRINTER], cwd: tmp.dir, running: true },
      { name: 'Stopped', provider: null, account: null, skipPermissions: false, command: process.execPath, args: [PRINTER], cwd: tmp.dir, running: false },
      { name: 'Coder', provider: null, account: null, skipPermissions: false, command: '/opt/bin/claude', args: ['--model', 'opus'], cwd: tmp.dir, running: true },
    ]);
    open();
    expect(await call('agents.restorable')).toEqual([
      expect.objectContaining({ name: 'Runner', command: process.execPath, resumeArgs: null }),
      expect.objectContaining({ name: 'Coder', resumeArgs: ['--continue'] }),
    ]);
    // A CLI command's own short-lived daemon closes without touching the offer.
    await service!.close();
    open();
    expect((await call<Array<{ name: string }>>('agents.restorable')).map((a) => a.name)).toEqual(['Runner', 'Coder']);

    await expect(call('agents.restore', { names: ['Nobody'], resume: true })).rejects.toMatchObject({ code: 'not_restorable' });
    const started = await call<Array<{ name: string; pid: number; args: string[] }>>('agents.restore', { names: ['Runner'], resume: true });
    expect(started).toEqual([expect.objectContaining({ name: 'Runner', args: [PRINTER] })]);
    expect(started[0]!.pid).toBeGreaterThan(0);
    expect((await call<Array<{ name: string }>>('agents.restorable')).map((a) => a.name)).toEqual(['Coder']);
    await call('agents.dismissRestore');
    expect(await call('agents.restorable')).toEqual([]);
    // Stopped on purpose (the daemon closes and stops its agents): nothing to offer next time.
    await service!.close();
    open();
    expect(await call('agents.restorable')).toEqual([]);
    tmp.cleanup();
  });
});

import { EventEmitter } from 'node:events';
import { describe, expect, it } from 'vitest';
import { createUpdateService, describeUpdateOutcome, updatesDisabledReason, type UpdateOutcome, type UpdaterLike } from '../../../main/electron/updater.js';
import { captureLogger } from '../../support/capture-logger.js';

/** An updater with electron-updater's event surface; `next` says what the next check finds. */
class ScriptedUpdater extends EventEmitter implements UpdaterLike {
  autoDownload = false;
  autoInstallOnAppQuit = false;
  checks = 0;
  installs = 0;
  next: { version: string } | Error | 'none' = 'none';
  async checkForUpdates() {
    this.checks += 1;
    const next = this.next;
    if (next instanceof Error) throw next;
    if (next === 'none') return { isUpdateAvailable: false, updateInfo: { version: '0.1.0' } };
    return { isUpdateAvailable: true, updateInfo: next };
  }
  quitAndInstall() {
    this.installs += 1;
  }
}

function setup(options: { isPackaged?: boolean; env?: NodeJS.ProcessEnv; restart?: boolean } = {}) {
  const updater = new ScriptedUpdater();
  const shown: Array<{ outcome: UpdateOutcome; asked: boolean }> = [];
  let loads = 0;
  const log = captureLogger();
  const service = createUpdateService({
    isPackaged: options.isPackaged ?? true,
    env: options.env ?? {},
    currentVersion: '0.1.0',
    load: async () => {
      loads += 1;
      return updater;
    },
    present: {
      show: async (outcome, asked) => {
        shown.push({ outcome, asked });
        return options.restart ?? false;
      },
    },
    logger: log.logger,
  });
  return { updater, service, shown, loads: () => loads, logLines: log.lines };
}

const settle = () => new Promise((resolve) => setImmediate(resolve));

describe('updates', () => {
  it('are off when not packaged and with AGENT_RELAY_NO_UPDATE=1, and never load electron-updater then', async () => {
    expect(updatesDisabledReason({ isPackaged: false, env: {} })).toMatch(/installed app only/);
    expect(updatesDisabledReason({ isPackaged: true, env: { AGENT_RELAY_NO_UPDATE: '1' } })).toMatch(/AGENT_RELAY_NO_UPDATE=1/);
    expect(updatesDisabledReason({ isPackaged: true, env: { AGENT_RELAY_NO_UPDATE: '0' } })).toBeUndefined();

    const dev = setup({ isPackaged: false });
    dev.service.checkQuietly();
    await settle();
    expect(dev.loads()).toBe(0);
    expect(dev.shown).toEqual([]);
    // Asked from the tray, it still answers, with the reason.
    expect(await dev.service.checkNow()).toMatchObject({ kind: 'disabled' });
    expect(dev.shown[0]?.asked).toBe(true);
    expect(dev.loads()).toBe(0);
  });

  it('the start-up check returns at once and shows nothing when up to date', async () => {
    const { service, updater, shown } = setup();
    service.checkQuietly();
    expect(updater.checks).toBe(0);
    await settle();
    expect(updater.checks).toBe(1);
    expect(updater.autoDownload).toBe(true);
    expect(updater.autoInstallOnAppQuit).toBe(true);
    expect(shown).toEqual([]);
  });

  it('the start-up check logs a failure and shows nothing (offline, no release yet)', async () => {
    const { service, updater, shown, logLines } = setup();
    updater.next = new Error('net::ERR_INTERNET_DISCONNECTED');
    service.checkQuietly();
    await settle();
    await settle();
    expect(shown).toEqual([]);
    expect(logLines.join('\n')).toMatch(/update check at start.*error/);
    // An 'error' event with no listener would throw in the main process: one is attached.
    expect(() => updater.emit('error', new Error('late failure'))).not.toThrow();
  });

  it('"Check for updates…" says up to date with the version', async () => {
    const { service, shown } = setup();
    expect(await service.checkNow()).toEqual({ kind: 'up-to-date', version: '0.1.0' });
    expect(shown).toEqual([{ outcome: { kind: 'up-to-date', version: '0.1.0' }, asked: true }]);
    expect(describeUpdateOutcome(shown[0]!.outcome)).toEqual({ message: 'Agent Relay is up to date.', detail: 'You have the latest version, 0.1.0.' });
  });

  it('"Check for updates…" says downloading, then offers a restart when it is ready; Restart installs', async () => {
    const { service, updater, shown } = setup({ restart: true });
    updater.next = { version: '0.2.0' };
    expect(await service.checkNow()).toEqual({ kind: 'downloading', version: '0.2.0' });
    // A second click while downloading does not check again.
    expect(await service.checkNow()).toEqual({ kind: 'downloading', version: '0.2.0' });
    expect(updater.checks).toBe(1);
    updater.emit('update-downloaded', { version: '0.2.0' });
    await settle();
    expect(shown.map(({ outcome, asked }) => [outcome.kind, asked])).toEqual([
      ['downloading', true],
      ['downloading', true],
      ['ready', true],
    ]);
    expect(updater.installs).toBe(1);
  });

  it('an update found by the quiet check is announced without a dialog, and Later leaves it for quit', async () => {
    const { service, updater, shown } = setup({ restart: false });
    updater.next = { version: '0.2.0' };
    service.checkQuietly();
    await settle();
    updater.emit('update-downloaded', { version: '0.2.0' });
    await settle();
    expect(shown).toEqual([{ outcome: { kind: 'ready', version: '0.2.0' }, asked: false }]);
    expect(updater.installs).toBe(0);
    // Asking afterwards offers the restart again.
    expect(await service.checkNow()).toEqual({ kind: 'ready', version: '0.2.0' });
  });

  it('"Check for updates…" reports a failure as a readable error', async () => {
    const { service, updater, shown } = setup();
    updater.next = new Error('HttpError: 404 Not Found');
    expect(await service.checkNow()).toEqual({ kind: 'error', code: 'update_check_failed', message: 'HttpError: 404 Not Found' });
    expect(describeUpdateOutcome(shown[0]!.outcome).message).toBe('Could not check for updates.');
  });
});

import { afterEach, describe, expect, it } from 'vitest';
import type { LoginItemState } from '../../../preload/contract.js';
import type { HostShell } from '../../../main/core/base/host-shell.js';
import { createService, type RelayService } from '../../../main/core/service.js';
import { JsonFileSettingsStore } from '../../../main/core/settings/settings-store.js';
import { captureLogger } from '../../support/capture-logger.js';
import { makeTempDir } from '../../support/temp-dir.js';

describe('host capabilities through the contract', () => {
  let tmp: ReturnType<typeof makeTempDir>;
  let service: RelayService;
  afterEach(async () => {
    await service.close();
    tmp.cleanup();
  });
  const start = (shell?: HostShell) => {
    tmp = makeTempDir();
    service = createService({ host: 'electron', version: 't', dataDir: tmp.dir, settingsStore: new JsonFileSettingsStore(tmp.dir), logger: captureLogger().logger, ...(shell ? { shell } : {}) });
    return service;
  };

  it('headless: start at login is unsupported, updates are disabled, windows do not open', async () => {
    const s = start();
    expect(await s.dispatcher.dispatch('app.getLoginItem', [])).toMatchObject({ ok: true, value: { supported: false, openAtLogin: false } });
    expect(await s.dispatcher.dispatch('app.setLoginItem', [true])).toMatchObject({ ok: false, error: { code: 'login_item_unsupported' } });
    expect(await s.dispatcher.dispatch('app.checkForUpdates', [])).toMatchObject({ ok: true, value: { kind: 'disabled' } });
    expect(await s.dispatcher.dispatch('app.openWindow', ['#/agents/Alice/console'])).toEqual({ ok: true, value: { opened: false } });
    expect(await s.dispatcher.dispatch('app.openWindow', ['javascript:alert(1)'])).toMatchObject({ ok: false, error: { code: 'invalid_args' } });
    expect(await s.dispatcher.dispatch('app.pickFolder', [{}])).toEqual({ ok: true, value: { supported: false, path: null } });
  });

  it('desktop: start at login goes through the shell and every UI hears of the change', async () => {
    let state: LoginItemState = { supported: true, openAtLogin: false };
    const opened: string[] = [];
    const s = start({
      loginItem: {
        get: () => state,
        set: (on) => {
          state = { ...state, openAtLogin: on };
          return { ok: true, state };
        },
      },
      openWindow: (route) => {
        opened.push(route);
        return true;
      },
      pickFolder: async ({ defaultPath }) => `${defaultPath}/picked`,
    });
    expect(await s.dispatcher.dispatch('app.pickFolder', [{ defaultPath: '/home/ada' }])).toEqual({ ok: true, value: { supported: true, path: '/home/ada/picked' } });
    const heard: unknown[] = [];
    s.events.subscribe((event, payload) => event === 'app.loginItemChanged' && heard.push(payload));
    expect(await s.dispatcher.dispatch('app.setLoginItem', [true])).toEqual({ ok: true, value: { supported: true, openAtLogin: true } });
    expect(heard).toEqual([{ supported: true, openAtLogin: true }]);
    expect(await s.dispatcher.dispatch('app.openWindow', ['#/agents/Alice/console'])).toEqual({ ok: true, value: { opened: true } });
    expect(opened).toEqual(['#/agents/Alice/console']);
  });

  it('desktop: a refused login item change is a typed error', async () => {
    const s = start({
      loginItem: {
        get: () => ({ supported: true, openAtLogin: false }),
        set: () => ({ ok: false, code: 'login_item_failed', message: 'The autostart folder is read-only.', state: { supported: true, openAtLogin: false } }),
      },
    });
    expect(await s.dispatcher.dispatch('app.setLoginItem', [true])).toEqual({
      ok: false,
      error: { code: 'login_item_failed', message: 'The autostart folder is read-only.' },
    });
  });
});

import { afterEach, describe, expect, it } from 'vitest';
import { createService, type RelayService } from '../../../main/core/service.js';
import { JsonFileSettingsStore } from '../../../main/core/settings/settings-store.js';
import { createDispatcher, type Handlers } from '../../../main/core/bridge/dispatcher.js';
import { DEFAULT_SETTINGS } from '../../../preload/contract.js';
import { captureLogger } from '../../support/capture-logger.js';
import { makeTempDir } from '../../support/temp-dir.js';

describe('the dispatcher validates every call against the contract', () => {
  let service: RelayService;
  let cleanup: () => void;

  const start = () => {
    const tmp = makeTempDir();
    cleanup = tmp.cleanup;
    const { logger } = captureLogger();
    service = createService({ host: 'headless', version: '1.2.3', dataDir: tmp.dir, settingsStore: new JsonFileSettingsStore(tmp.dir), logger });
    return service;
  };
  afterEach(() => cleanup?.());

  it('answers a valid call with its result', async () => {
    const reply = await start().dispatcher.dispatch('app.info', []);
    expect(reply).toMatchObject({ ok: true, value: { name: 'Agent Relay', version: '1.2.3', host: 'headless' } });
  });

  it('treats missing arguments as an empty list', async () => {
    expect(await start().dispatcher.dispatch('app.getSettings', undefined)).toEqual({ ok: true, value: DEFAULT_SETTINGS });
  });

  it('refuses a wrongly typed argument with invalid_args naming the field', async () => {
    const reply = await start().dispatcher.dispatch('app.setSettings', [{ terminalFontSize: 'huge' }]);
    expect(reply.ok).toBe(false);
    if (reply.ok) return;
    expect(reply.error.code).toBe('invalid_args');
    expect(reply.error.message).toContain('terminalFontSize');
  });

  it('refuses an unknown settings key instead of silently ignoring it', async () => {
    const reply = await start().dispatcher.dispatch('app.setSettings', [{ colour: 'red' }]);
    expect(reply).toMatchObject({ ok: false, error: { code: 'invalid_args' } });
  });

  it('refuses arguments that are not a list, and too many arguments', async () => {
    const s = start();
    expect(await s.dispatcher.dispatch('app.info', { a: 1 })).toMatchObject({ ok: false, error: { code: 'invalid_args' } });
    expect(await s.dispatcher.dispatch('app.info', [1])).toMatchObject({ ok: false, error: { code: 'invalid_args' } });
  });

  it('refuses an unknown method, including prototype names', async () => {
    const s = start();
    expect(await s.dispatcher.dispatch('app.nope', [])).toMatchObject({ ok: false, error: { code: 'unknown_method' } });
    expect(await s.dispatcher.dispatch('constructor', [])).toMatchObject({ ok: false, error: { code: 'unknown_method' } });
    expect(await s.dispatcher.dispatch(42, [])).toMatchObject({ ok: false, error: { code: 'unknown_method' } });
  });

  it('turns a crashing handler into an internal error without the details, and logs it', async () => {
    const { logger, lines } = captureLogger();
    const handlers = {
      'app.info': () => {
        throw new Error('disk on fire');
      },
    } as unknown as Handlers;
    const reply = await createDispatcher(handlers, logger).dispatch('app.info', []);
    expect(reply).toMatchObject({ ok: false, error: { code: 'internal' } });
    expect(JSON.stringify(reply)).not.toContain('disk on fire');
    expect(lines.join('\n')).toContain('disk on fire');
  });

  it('applies a valid settings change and announces it as an event', async () => {
    const s = start();
    const seen: unknown[] = [];
    s.events.subscribe((event, payload) => seen.push({ event, payload }));
    const reply = await s.dispatcher.dispatch('app.setSettings', [{ theme: 'dark' }]);
    expect(reply).toMatchObject({ ok: true, value: { theme: 'dark' } });
    expect(seen).toEqual([{ event: 'settings.changed', payload: { ...DEFAULT_SETTINGS, theme: 'dark' } }]);
  });
});

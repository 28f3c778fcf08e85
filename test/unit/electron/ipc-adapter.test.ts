import fs from 'node:fs';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { afterEach, describe, expect, it } from 'vitest';
import type { Connection } from '../../../main/core/bridge/connection.js';
import type { Dispatcher } from '../../../main/core/bridge/dispatcher.js';
import { EventHub } from '../../../main/core/bridge/event-hub.js';
import { createService, type RelayService } from '../../../main/core/service.js';
import { JsonFileSettingsStore } from '../../../main/core/settings/settings-store.js';
import {
  attachIpc,
  createSenderCheck,
  type EventTarget,
  type IpcMainLike,
  type InvokeEventLike,
} from '../../../main/electron/ipc-adapter.js';
import { IPC_EVENT_CHANNEL, ipcChannel, methodNames, type Reply } from '../../../preload/contract.js';
import { captureLogger } from '../../support/capture-logger.js';
import { makeTempDir } from '../../support/temp-dir.js';

/** Stands in for a window's webContents: records what the daemon sends it. */
class FakeContents implements EventTarget {
  readonly sent: unknown[][] = [];
  destroyed = false;
  private goneListeners = new Set<() => void>();
  send(channel: string, ...args: unknown[]): void {
    this.sent.push([channel, ...args]);
  }
  isDestroyed(): boolean {
    return this.destroyed;
  }
  watch(onGone: () => void): () => void {
    this.goneListeners.add(onGone);
    return () => this.goneListeners.delete(onGone);
  }
  reload(): void {
    for (const listener of [...this.goneListeners]) listener();
  }
  get watchers(): number {
    return this.goneListeners.size;
  }
}

type FakeEvent = InvokeEventLike<FakeContents>;

/** Electron's ipcMain cannot run here; this keeps its handle/invoke semantics (one handler per channel). */
class FakeIpcMain implements IpcMainLike<FakeEvent> {
  readonly handlers = new Map<string, (event: FakeEvent, ...args: unknown[]) => Promise<Reply>>();
  handle(channel: string, listener: (event: FakeEvent, ...args: unknown[]) => Promise<Reply>): void {
    if (this.handlers.has(channel)) throw new Error(`Attempted to register a second handler for '${channel}'`);
    this.handlers.set(channel, listener);
  }
  removeHandler(channel: string): void {
    this.handlers.delete(channel);
  }
  invoke(channel: string, event: FakeEvent, ...args: unknown[]): Promise<Reply> {
    const handler = this.handlers.get(channel);
    if (!handler) throw new Error(`No handler registered for '${channel}'`);
    return handler(event, ...args);
  }
}

const rendererFile = path.resolve('/opt/agent-relay/dist/renderer/index.html');
const rendererUrl = pathToFileURL(rendererFile).href;

describe('Electron IPC adapter', () => {
  let tmp: ReturnType<typeof makeTempDir>;
  let detach: (() => void) | undefined;
  afterEach(() => {
    detach?.();
    detach = undefined;
    tmp.cleanup();
  });

  function setup(service?: Pick<RelayService, 'dispatcher' | 'events'>) {
    tmp = makeTempDir();
    const { logger, lines } = captureLogger();
    const relay =
      service ??
      createService({ host: 'electron', version: '1.2.3', dataDir: tmp.dir, settingsStore: new JsonFileSettingsStore(tmp.dir), logger });
    const ipcMain = new FakeIpcMain();
    const mainWindow = new FakeContents();
    const secondWindow = new FakeContents();
    const appWindows = [mainWindow, secondWindow];
    detach = attachIpc({
      ipcMain,
      service: relay,
      checkSender: createSenderCheck<FakeContents>(rendererUrl, (contents) => appWindows.includes(contents)),
      senderOf: (event) => event.sender,
      watchSender: (contents, onGone) => contents.watch(onGone),
      eventTargets: () => appWindows,
      logger,
    });
    const from = (sender: FakeContents, url = `${rendererUrl}#/settings`, parent: unknown = null): FakeEvent => ({
      sender,
      senderFrame: { url, parent },
    });
    return { ipcMain, mainWindow, secondWindow, from, lines };
  }

  it('registers exactly one handler per contract method and removes them when detached', () => {
    const { ipcMain } = setup();
    expect([...ipcMain.handlers.keys()].sort()).toEqual(methodNames.map(ipcChannel).sort());
    detach?.();
    detach = undefined;
    expect(ipcMain.handlers.size).toBe(0);
  });

  it('answers a valid call from the app page with the daemon reply', async () => {
    const { ipcMain, mainWindow, from } = setup();
    const reply = await ipcMain.invoke(ipcChannel('app.info'), from(mainWindow));
    expect(reply).toMatchObject({ ok: true, value: { name: 'Agent Relay', version: '1.2.3', host: 'electron', dataDir: tmp.dir } });

    const set = await ipcMain.invoke(ipcChannel('app.setSettings'), from(mainWindow), { terminalFontSize: 16 });
    expect(set).toMatchObject({ ok: true, value: { terminalFontSize: 16 } });
    expect(JSON.parse(fs.readFileSync(path.join(tmp.dir, 'settings.json'), 'utf8'))).toMatchObject({ terminalFontSize: 16 });
  });

  it('answers a malformed call with invalid_args and changes nothing', async () => {
    const { ipcMain, mainWindow, from } = setup();
    const reply = await ipcMain.invoke(ipcChannel('app.setSettings'), from(mainWindow), { theme: 'purple', fontSize: 3 });
    expect(reply.ok).toBe(false);
    if (reply.ok) return;
    expect(reply.error.code).toBe('invalid_args');
    expect(reply.error.message).toContain('app.setSettings');

    const tooMany = await ipcMain.invoke(ipcChannel('app.info'), from(mainWindow), 'extra');
    expect(tooMany).toMatchObject({ ok: false, error: { code: 'invalid_args' } });
    expect(fs.existsSync(path.join(tmp.dir, 'settings.json'))).toBe(false);
  });

  it.each([
    ['a frame that is gone', (f: ReturnType<typeof setup>) => ({ sender: f.mainWindow, senderFrame: null })],
    ['a foreign https page', (f: ReturnType<typeof setup>) => f.from(f.mainWindow, 'https://evil.example/index.html')],
    ['another local file', (f: ReturnType<typeof setup>) => f.from(f.mainWindow, pathToFileURL('/tmp/evil/index.html').href)],
    ['a subframe of the app page', (f: ReturnType<typeof setup>) => f.from(f.mainWindow, rendererUrl, { url: rendererUrl })],
    ['a webContents that is not an app window', (f: ReturnType<typeof setup>) => f.from(new FakeContents(), rendererUrl)],
  ])('refuses a call from %s with unauthorized, before running it', async (_name, makeEvent) => {
    const fixture = setup();
    const event = makeEvent(fixture);
    const reply = await fixture.ipcMain.invoke(ipcChannel('app.setSettings'), event, { theme: 'dark' });
    expect(reply).toMatchObject({ ok: false, error: { code: 'unauthorized' } });
    if (!reply.ok) expect(reply.error.message).toMatch(/^Refused: /);
    expect(fs.existsSync(path.join(tmp.dir, 'settings.json'))).toBe(false);
    expect(fixture.lines.some((line) => line.includes('refused IPC call'))).toBe(true);
    // The same call from the app's own page goes through.
    const ok = await fixture.ipcMain.invoke(ipcChannel('app.getSettings'), fixture.from(fixture.mainWindow));
    expect(ok).toMatchObject({ ok: true, value: { theme: 'system' } });
  });

  it('forwards contract events to every live app window', async () => {
    const { ipcMain, mainWindow, secondWindow, from } = setup();
    secondWindow.destroyed = true;
    await ipcMain.invoke(ipcChannel('app.setSettings'), from(mainWindow), { theme: 'dark' });
    const events = mainWindow.sent.filter(([channel]) => channel === IPC_EVENT_CHANNEL);
    expect(events).toHaveLength(1);
    expect(events[0]?.[1]).toBe('settings.changed');
    expect(events[0]?.[2]).toMatchObject({ theme: 'dark' });
    expect(secondWindow.sent).toEqual([]);
  });

  it('gives each window page its own connection, renewed when the page reloads', async () => {
    const seen: Connection[] = [];
    const dispatcher: Dispatcher = {
      dispatch: async (_method, _args, connection) => {
        if (connection) seen.push(connection);
        return { ok: true, value: null };
      },
    };
    const { ipcMain, mainWindow, secondWindow, from } = setup({ dispatcher, events: new EventHub() });
    await ipcMain.invoke(ipcChannel('app.info'), from(mainWindow));
    await ipcMain.invoke(ipcChannel('app.info'), from(mainWindow));
    await ipcMain.invoke(ipcChannel('app.info'), from(secondWindow));
    const [first, again, other] = seen;
    expect(first?.kind).toBe('ipc');
    expect(again?.id).toBe(first?.id);
    expect(other?.id).not.toBe(first?.id);

    // Events aimed at one connection reach that window only.
    first?.send('settings.changed', { theme: 'light' } as never);
    expect(mainWindow.sent).toEqual([[IPC_EVENT_CHANNEL, 'settings.changed', { theme: 'light' }]]);
    expect(secondWindow.sent).toEqual([]);

    let closed = false;
    first?.onClose(() => (closed = true));
    mainWindow.reload();
    expect(closed).toBe(true);
    expect(mainWindow.watchers).toBe(0);
    await ipcMain.invoke(ipcChannel('app.info'), from(mainWindow));
    expect(seen[3]?.id).not.toBe(first?.id);
  });
});

/**
 * The Electron entry: a tray app around the same daemon (main/core) the headless host runs.
 * Everything here is wiring; behaviour lives in main/core.
 */
import { app, ipcMain, session, shell, type Menu, type Tray, type WebContents } from 'electron';
import ElectronStore from 'electron-store';
import fs from 'node:fs';
import path from 'node:path';
import { resolveDataDir } from '../core/data-dir.js';
import { processAlive, readDaemonFile, removeDaemonFile, writeDaemonFile } from '../core/daemon-file.js';
import { createLogger, type Logger } from '../core/logging/logger.js';
import { createService, type RelayService } from '../core/service.js';
import { newToken } from '../core/transport/auth.js';
import { startServer, type RunningServer } from '../core/transport/server.js';
import { APP_VERSION } from '../core/version.js';
import { createExternalLinks } from './external-links.js';
import { attachIpc, createSenderCheck } from './ipc-adapter.js';
import { appLocation, dataDirFlag, startsHidden } from './renderer-location.js';
import { applySessionPolicy } from './session-policy.js';
import { ElectronSettingsStore } from './settings-store.js';
import { createTray } from './tray.js';
import { createWindowManager, hardenWebContents } from './windows.js';

// Before ready and before the single-instance lock, which is keyed on userData: one instance per data dir.
const dataDir = resolveDataDir(dataDirFlag(process.argv));
fs.mkdirSync(dataDir, { recursive: true, mode: 0o700 });
app.setPath('userData', dataDir);

if (!app.requestSingleInstanceLock()) {
  // The first instance receives 'second-instance' and shows its window.
  app.quit();
} else {
  void run().catch((error: unknown) => {
    process.stderr.write(`Agent Relay could not start: ${(error as Error).stack ?? String(error)}\n`);
    app.exit(1);
  });
}

async function run(): Promise<void> {
  const logger = createLogger({ dir: path.join(dataDir, 'logs') });
  const location = appLocation(import.meta.url, app.getAppPath());
  const links = createExternalLinks({ openExternal: (url) => shell.openExternal(url), logger });

  // A tray app: no Dock icon, and closing the last window does not quit.
  app.dock?.hide();
  app.on('window-all-closed', () => undefined);
  app.on('web-contents-created', (_event, contents) => hardenWebContents(contents, location, links, logger));

  await app.whenReady();
  applySessionPolicy(session.defaultSession, logger);

  const service = createService({
    host: 'electron',
    version: APP_VERSION,
    dataDir,
    settingsStore: new ElectronSettingsStore(dataDir, (options) => new ElectronStore<Record<string, unknown>>(options)),
    logger,
  });
  const windows = createWindowManager({ location, logger });
  const detachIpc = attachIpc({
    ipcMain,
    service,
    checkSender: createSenderCheck(location.rendererUrl, (contents) => windows.owns(contents)),
    senderOf: (event) => event.sender,
    watchSender: watchPage,
    eventTargets: () => windows.webContents(),
    logger,
  });
  app.on('second-instance', () => windows.open());

  const server = await startControlServer(service, location.distDir, logger);

  const tray = createTray({
    assetsDir: location.assetsDir,
    actions: { open: (route) => windows.open(route), quit: () => app.quit() },
    logger,
  });
  if (process.env.AGENT_RELAY_TEST === '1') {
    // Test hooks for the Playwright _electron tests; never set in normal use.
    globalThis.__agentRelayTray = tray.tray;
    globalThis.__agentRelayTrayMenu = tray.menu;
  }

  let stopped = false;
  let stopping = false;
  app.on('before-quit', (event) => {
    if (stopped) return;
    event.preventDefault();
    if (stopping) return;
    stopping = true;
    void (async () => {
      try {
        detachIpc();
        await server?.close();
        await service.close();
        removeDaemonFile(dataDir);
        tray.destroy();
        logger.info('Agent Relay stopped');
      } catch (error) {
        logger.error('shutdown failed', { error });
      } finally {
        stopped = true;
        app.quit();
      }
    })();
  });
  // From a terminal (npm start): Ctrl+C and SIGTERM quit through the same clean path.
  for (const signal of ['SIGINT', 'SIGTERM'] as const) process.on(signal, () => app.quit());

  logger.info('Agent Relay started', { dataDir, port: server?.port });
  if (!startsHidden(process.argv)) windows.open();
}

/** Calls onGone when a window's page ends: the window closes, or it loads or reloads a page. */
function watchPage(contents: WebContents, onGone: () => void): () => void {
  const onNavigation = (details: { isMainFrame: boolean; isSameDocument: boolean }) => {
    if (details.isMainFrame && !details.isSameDocument) onGone();
  };
  contents.once('destroyed', onGone);
  contents.on('did-start-navigation', onNavigation);
  return () => {
    contents.off('destroyed', onGone);
    contents.off('did-start-navigation', onNavigation);
  };
}

/**
 * The same control server the headless host runs, on loopback with a fresh token, so CLI commands
 * and the browser dashboard reach the running app. The app still works without it.
 */
async function startControlServer(
  service: RelayService,
  distDir: string,
  logger: Logger,
): Promise<RunningServer | undefined> {
  const previous = readDaemonFile(dataDir);
  if (previous && previous.pid !== process.pid && processAlive(previous.pid)) {
    logger.warn('another daemon is registered for this data dir; this app takes over daemon.json', {
      pid: previous.pid,
      host: previous.host,
    });
  }
  const token = newToken();
  const staticDir = path.join(distDir, 'renderer');
  try {
    const server = await startServer({
      service,
      token,
      host: '127.0.0.1',
      port: 0,
      fallbackToFreePort: false,
      staticDir: fs.existsSync(path.join(staticDir, 'index.html')) ? staticDir : undefined,
      logger,
    });
    writeDaemonFile(dataDir, {
      pid: process.pid,
      host: 'electron',
      url: `http://127.0.0.1:${server.port}`,
      port: server.port,
      token,
      startedAt: new Date().toISOString(),
      version: APP_VERSION,
    });
    return server;
  } catch (error) {
    logger.error('could not start the control server; CLI commands will not reach this app', { error });
    return undefined;
  }
}

declare global {
  var __agentRelayTray: Tray | undefined;
  var __agentRelayTrayMenu: Menu | undefined;
}

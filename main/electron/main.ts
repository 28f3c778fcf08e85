/**
 * The Electron entry: a tray app around the same daemon (main/core) the headless host runs.
 * Everything here is wiring; behaviour lives in main/core.
 */
import { app, dialog, ipcMain, Notification, safeStorage, session, shell, type Menu, type Tray, type WebContents } from 'electron';
import ElectronStore from 'electron-store';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { resolveDataDir } from '../core/base/data-dir.js';
import { processAlive, readDaemonFile, removeDaemonFile, writeDaemonFile } from '../core/transport/daemon-file.js';
import { createLogger, type Logger } from '../core/logging/logger.js';
import type { AgentInfo, ProvidersState, SyncStatus } from '../../preload/contract.js';
import { createService, openAgentRuntime, type RelayService } from '../core/service.js';
import { CredentialVault } from '../core/vault/credential-vault.js';
import { agentNotice } from './agent-notices.js';
import { createElectronVaultStore, createSafeStorageCipher, isWeakBackend, vaultStoreOptions } from './safe-storage-vault.js';
import { newToken } from '../core/transport/auth.js';
import { startServer, type RunningServer } from '../core/transport/server.js';
import { APP_VERSION } from '../core/base/version.js';
import { createExternalLinks } from './external-links.js';
import { observeLoginItem, type HostShell } from './host-shell.js';
import { attachIpc, createSenderCheck } from './ipc-adapter.js';
import { createLoginItem } from './login-item.js';
import { createQuitGuard, type QuitAnswer, type QuitPrompt, type RunningAgents } from './quit-guard.js';
import { appLocation, dataDirFlag, secondLaunchOpensWindow, startsHidden } from './renderer-location.js';
import { applySessionPolicy } from './session-policy.js';
import { ElectronSettingsStore } from './settings-store.js';
import { createTrayStatus, type TrayStatus } from './tray-state.js';
import { createTray, currentTray, type TrayHandle } from './tray.js';
import { createUpdateService, describeUpdateOutcome, type UpdateOutcome, type UpdaterLike } from './updater.js';
import { createWindowManager, hardenWebContents } from './windows.js';

const APP_ID = 'dev.agentrelay.desktop';
const testHooks = process.env.AGENT_RELAY_TEST === '1';

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
  const logger = createLogger({ dir: path.join(dataDir, 'logs'), sync: false });
  const location = appLocation(import.meta.url, app.getAppPath());
  const links = createExternalLinks({ openExternal: (url) => shell.openExternal(url), logger });

  // A tray app: no Dock icon, and closing the last window does not quit.
  app.dock?.hide();
  // Windows shows notifications only for an app with an AppUserModelID (the installer sets the same).
  if (process.platform === 'win32') app.setAppUserModelId(APP_ID);
  app.on('window-all-closed', () => undefined);
  app.on('web-contents-created', (_event, contents) => hardenWebContents(contents, location, links, logger));

  await app.whenReady();
  applySessionPolicy(session.defaultSession, logger);

  const windows = createWindowManager({ location, logger });
  const trayStatus: TrayStatus = createTrayStatus();

  // The tray is created after the login item it shows; until then there is nothing to refresh.
  let refreshTray = (): void => undefined;
  const loginItem = observeLoginItem(
    createLoginItem({
      app,
      launch: { platform: process.platform, isPackaged: app.isPackaged, execPath: process.execPath, appPath: app.getAppPath(), appImage: process.env.APPIMAGE },
      env: process.env,
      homeDir: os.homedir(),
    }),
    () => refreshTray(),
  );
  const updates = createUpdateService({
    isPackaged: app.isPackaged,
    env: process.env,
    currentVersion: APP_VERSION,
    load: loadAutoUpdater,
    present: { show: presentUpdate },
    logger,
  });
  // What the daemon may ask of this shell (see main/core/host-shell.ts).
  const hostShell: HostShell = {
    loginItem,
    // Sign-in pages the daemon produced: allowed for a while, then opened in the system browser.
    openExternal: (url) => {
      links.allow(url);
      return links.open(url);
    },
    checkForUpdates: () => updates.checkNow(),
    async pickFolder({ defaultPath, title }) {
      if (testHooks) return (globalThis.__agentRelayPickFolder ?? null) as string | null;
      const result = await dialog.showOpenDialog({
        title: title ?? 'Choose the working folder',
        ...(defaultPath ? { defaultPath } : {}),
        properties: ['openDirectory', 'createDirectory'],
      });
      return result.canceled ? null : (result.filePaths[0] ?? null);
    },
    openWindow(route) {
      const console = /^#\/agents\/([A-Za-z0-9_-]{1,32})\/console$/.exec(route);
      if (!console) return false;
      windows.openConsole(console[1]!);
      return true;
    },
  };

  // The agents live in the terminal host process, so quitting or updating the app can leave them running.
  const agentRuntime = await openAgentRuntime(dataDir, logger, APP_VERSION);
  const service = createService({
    ...(agentRuntime ? { agentRuntime } : {}),
    host: 'electron',
    version: APP_VERSION,
    dataDir,
    settingsStore: new ElectronSettingsStore(dataDir, (options) => new ElectronStore<Record<string, unknown>>(options)),
    logger,
    shell: hostShell,
    // Secrets are sealed by the OS key store; without one (Linux, no keyring) the user is asked first.
    openVault: () =>
      CredentialVault.open({
        cipher: createSafeStorageCipher(safeStorage, process.platform),
        store: createElectronVaultStore(new ElectronStore<Record<string, unknown>>(vaultStoreOptions(dataDir))),
      }),
    vaultConsentRequired: isWeakBackend(safeStorage, process.platform),
  });
  const detachIpc = attachIpc({
    ipcMain,
    service,
    checkSender: createSenderCheck(location.rendererUrl, (contents) => windows.owns(contents)),
    senderOf: (event) => event.sender,
    watchSender: watchPage,
    eventTargets: () => windows.webContents(),
    logger,
  });
  app.on('second-instance', (_event, argv) => {
    if (secondLaunchOpensWindow(argv)) windows.open();
  });

  const server = await startControlServer(service, location.distDir, logger);

  const runningAgents: RunningAgents = {
    runningAgentCount: () => service.agents.list().filter((agent) => agent.status !== 'exited').length,
    stopAll: () => service.agents.manager.dispose(),
    canKeep: () => service.agents.manager.release !== undefined,
  };
  let agents: AgentInfo[] = [];
  let providers: ProvidersState['providers'] = [];
  let syncStatus: SyncStatus = { state: 'off', signedIn: false };

  const tray = createTray({
    assetsDir: location.assetsDir,
    actions: {
      open: (route) => windows.open(route),
      openConsole: (name) => windows.openConsole(name),
      setCloudSync: (on) => {
        // Turning sync on needs the passphrase (and maybe a sign-in): that happens in Settings.
        if (on) windows.open('cloud-sync');
        else void service.dispatcher.dispatch('sync.disable', []);
      },
      // Through the contract, so the Settings page hears of it like any other change.
      setStartAtLogin: (openAtLogin) => {
        void service.dispatcher.dispatch('app.setLoginItem', [openAtLogin]).then((reply) => {
          if (!reply.ok) void showMessage({ type: 'warning', message: reply.error.message });
        });
      },
      checkForUpdates: () => void updates.checkNow(),
      quit: () => app.quit(),
    },
    menuModel: () => ({
      loginItem: loginItem.get(),
      providers: providers.map((p) => ({ id: p.id, name: p.name, state: providerWord(p) })),
      agents: agents.map((a) => ({ name: a.name, status: a.attention ? `needs you: ${a.attention.reason}` : a.status.replaceAll('_', ' ') })),
      sync: { on: syncStatus.state !== 'off', state: syncStatus.state.replaceAll('_', ' ') },
    }),
    initialState: trayStatus.get(),
    logger,
  });
  refreshTray = () => tray.refresh();
  trayStatus.subscribe((state) => tray.update(state));

  // The tray and desktop notifications follow the daemon's own events.
  service.events.subscribe((event, payload) => {
    if (event === 'agents.changed') {
      const next = payload as AgentInfo[];
      for (const notice of agentNotices(agents, next)) notify(notice.title, notice.body, () => windows.openConsole(notice.agent));
      agents = next;
      trayStatus.update({
        runningAgents: next.filter((a) => a.status !== 'exited').length,
        waitingForInput: next.filter((a) => a.status === 'waiting_for_input').map((a) => a.name),
        attention: next.flatMap((a) => (a.attention ? [{ name: a.name, title: a.attention.title, reason: a.attention.reason }] : [])),
      });
    } else if (event === 'providers.changed') {
      providers = (payload as ProvidersState).providers;
      trayStatus.update({ providersNeedingSignIn: providers.filter((p) => p.accounts.some((a) => a.state === 'needs_signin')).map((p) => p.name) });
    } else if (event === 'app.loginItemChanged') {
      refreshTray();
    } else if (event === 'sync.changed') {
      syncStatus = payload as SyncStatus;
      refreshTray();
    }
  });
  void service.providers.state().then(
    (state) => service.events.emit('providers.changed', state),
    (error: unknown) => logger.warn('could not read provider accounts for the tray', { error: (error as Error).message }),
  );
  const agentNotices = (before: AgentInfo[], after: AgentInfo[]) =>
    after.flatMap((agent) => {
      const notice = agentNotice(before.find((a) => a.name === agent.name), agent);
      return notice ? [{ ...notice, agent: agent.name }] : [];
    });
  const notify = (title: string, body: string, onClick: () => void) => {
    if (!service.settings.get().notifications || !Notification.isSupported()) return;
    const notification = new Notification({ title, body });
    notification.on('click', onClick);
    notification.show();
  };
  if (testHooks) {
    // Test hooks for the Playwright _electron tests; never set in normal use.
    globalThis.__agentRelayTray = tray.tray;
    globalThis.__agentRelayTrayHandle = tray;
    globalThis.__agentRelayTrayStatus = trayStatus;
    globalThis.__agentRelayShell = hostShell;
    Object.defineProperty(globalThis, '__agentRelayTrayMenu', { configurable: true, get: () => currentTray()?.menu });
  }

  const quitGuard = createQuitGuard({
    agents: runningAgents,
    confirm: confirmQuit,
    preference: () => service.settings.get().agentsOnQuit,
    remember: (choice) => {
      const next = service.settings.update({ agentsOnQuit: choice });
      service.events.emit('settings.changed', next);
    },
    async shutdown(keepAgents) {
      detachIpc();
      await server?.close();
      await service.close({ keepAgents });
      removeDaemonFile(dataDir);
      tray.destroy();
      logger.info('Agent Relay stopped');
    },
    exit: () => app.quit(),
    logger,
  });
  app.on('before-quit', (event) => {
    if (!quitGuard.onBeforeQuit()) event.preventDefault();
  });
  // From a terminal (npm start): Ctrl+C and SIGTERM quit through the same clean path, without asking.
  for (const signal of ['SIGINT', 'SIGTERM'] as const) process.on(signal, () => quitGuard.quitWithoutAsking());

  logger.info('Agent Relay started', { dataDir, port: server?.port });
  if (!startsHidden(process.argv) && !openedAtLoginOnMac()) windows.open();
  // After the window: the check must never delay or break start-up.
  setImmediate(() => updates.checkQuietly());
}

/** One word or phrase for a provider's state in the tray menu. */
function providerWord(provider: ProvidersState['providers'][number]): string {
  const account = provider.accounts.find((a) => a.isDefault) ?? provider.accounts[0];
  if (!account) return 'not connected';
  if (account.state === 'needs_signin') return 'sign in again';
  if (account.state === 'error') return 'error';
  return `connected as ${account.name}`;
}

/** macOS 13+ passes no arguments to a login item: ask the system whether this was a login launch. */
function openedAtLoginOnMac(): boolean {
  if (process.platform !== 'darwin' || !app.isPackaged) return false;
  try {
    return app.getLoginItemSettings().wasOpenedAtLogin;
  } catch {
    return false;
  }
}

/** electron-updater, loaded only when updates are on (it reads app-update.yml from the package). */
async function loadAutoUpdater(): Promise<UpdaterLike> {
  const updater = await import('electron-updater');
  return (updater.default ?? updater).autoUpdater;
}

/** A message box; in Playwright tests it is recorded instead of shown, since nobody can click it. */
async function showMessage(options: Electron.MessageBoxOptions): Promise<number> {
  if (testHooks) {
    (globalThis.__agentRelayDialogs ??= []).push({ message: options.message, detail: options.detail ?? '' });
    return options.cancelId ?? 0;
  }
  return (await dialog.showMessageBox(options)).response;
}

async function confirmQuit(prompt: QuitPrompt): Promise<QuitAnswer> {
  const options: Electron.MessageBoxOptions = {
    type: 'question',
    message: prompt.message,
    detail: prompt.detail,
    buttons: [...prompt.buttons],
    defaultId: prompt.cancelId,
    cancelId: prompt.cancelId,
    noLink: true,
    ...(prompt.checkbox ? { checkboxLabel: prompt.checkbox, checkboxChecked: false } : {}),
  };
  if (testHooks) {
    (globalThis.__agentRelayDialogs ??= []).push({ message: prompt.message, detail: prompt.detail });
    const answer = globalThis.__agentRelayQuitAnswer;
    return answer ?? { choice: 'cancel' };
  }
  const { response, checkboxChecked } = await dialog.showMessageBox(options);
  return { choice: prompt.choices[response] ?? 'cancel', remember: checkboxChecked };
}

/** A dialog when the user asked; a notification (or only the log) for the quiet check. */
async function presentUpdate(outcome: UpdateOutcome, asked: boolean): Promise<boolean> {
  const { message, detail } = describeUpdateOutcome(outcome);
  if (!asked) {
    if (outcome.kind === 'ready' && Notification.isSupported()) new Notification({ title: message, body: detail ?? '' }).show();
    return false;
  }
  if (outcome.kind === 'ready') {
    const response = await showMessage({ type: 'info', message, detail, buttons: ['Restart now', 'Later'], defaultId: 0, cancelId: 1, noLink: true });
    return response === 0;
  }
  await showMessage({ type: outcome.kind === 'error' ? 'warning' : 'info', message, detail, buttons: ['OK'] });
  return false;
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
  var __agentRelayTrayHandle: TrayHandle | undefined;
  var __agentRelayTrayStatus: TrayStatus | undefined;
  var __agentRelayShell: HostShell | undefined;
  var __agentRelayDialogs: Array<{ message: string; detail: string }> | undefined;
  /** In Playwright tests: the answer the quit prompt "gets". */
  var __agentRelayQuitAnswer: QuitAnswer | undefined;
  /** In Playwright tests: the folder the picker "chooses". */
  var __agentRelayPickFolder: string | undefined;
}

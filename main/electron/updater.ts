/**
 * Updates from GitHub releases through electron-updater: a quiet check at start that never blocks
 * or breaks start-up (problems are logged, not shown), and "Check for updates…" in the tray, which
 * always answers: up to date, downloading, ready to restart, or why it could not check.
 * Electron-free: main.ts passes electron-updater's autoUpdater (loaded only when updates are on)
 * and a presenter that shows dialogs and notifications.
 */
import type { UpdateOutcome } from '../../preload/contract.js';
import type { Logger } from '../core/logging/logger.js';

export type { UpdateOutcome };

/** The part of electron-updater's AppUpdater used here. */
export interface UpdaterLike {
  autoDownload: boolean;
  autoInstallOnAppQuit: boolean;
  checkForUpdates(): Promise<{ isUpdateAvailable: boolean; updateInfo: { version: string } } | null>;
  on(event: 'update-downloaded', listener: (info: { version: string }) => void): unknown;
  on(event: 'error', listener: (error: Error) => void): unknown;
  quitAndInstall(): void;
}


/** Shows an outcome: a dialog when the user asked, a notification for a quiet check. */
export interface UpdatePresenter {
  /** For 'ready', resolves true when the user chose to restart now. */
  show(outcome: UpdateOutcome, asked: boolean): Promise<boolean>;
}

export const NO_UPDATE_ENV = 'AGENT_RELAY_NO_UPDATE';

/** Why updates are off here, or undefined when they are on. */
export function updatesDisabledReason(options: { isPackaged: boolean; env: NodeJS.ProcessEnv }): string | undefined {
  if (!options.isPackaged) return 'Updates are checked by the installed app only, not in development.';
  if (options.env[NO_UPDATE_ENV] === '1') return `Update checks are turned off (${NO_UPDATE_ENV}=1).`;
  return undefined;
}

/** The sentence a person reads for each outcome. */
export function describeUpdateOutcome(outcome: UpdateOutcome, appName = 'Agent Relay'): { message: string; detail?: string } {
  switch (outcome.kind) {
    case 'disabled':
      return { message: 'Updates are not checked here.', detail: outcome.reason };
    case 'up-to-date':
      return { message: `${appName} is up to date.`, detail: `You have the latest version, ${outcome.version}.` };
    case 'downloading':
      return { message: `Downloading ${appName} ${outcome.version}…`, detail: 'You will be asked to restart when it is ready.' };
    case 'ready':
      return { message: `${appName} ${outcome.version} is ready.`, detail: 'Restart now to finish updating, or it installs when you quit.' };
    case 'error':
      return { message: 'Could not check for updates.', detail: outcome.message };
    default: {
      const never: never = outcome;
      throw new Error(`Unknown update outcome ${String(never)}`);
    }
  }
}

export interface UpdateServiceOptions {
  isPackaged: boolean;
  env: NodeJS.ProcessEnv;
  currentVersion: string;
  /** Loads electron-updater's autoUpdater; called only when updates are on. */
  load(): Promise<UpdaterLike>;
  present: UpdatePresenter;
  logger: Logger;
}

export interface UpdateService {
  /** The start-up check: returns at once, never throws, logs what happens. */
  checkQuietly(): void;
  /** "Check for updates…": resolves with what was shown to the user. */
  checkNow(): Promise<UpdateOutcome>;
}

export function createUpdateService(options: UpdateServiceOptions): UpdateService {
  const log = options.logger.child('updates');
  const disabled = updatesDisabledReason(options);
  let updater: Promise<UpdaterLike> | undefined;
  let downloading: string | undefined;
  let ready: string | undefined;
  // Whether the user asked during this download, so "ready" comes as a dialog rather than a notification.
  let askedDuringDownload = false;
  let inFlight: Promise<UpdateOutcome> | undefined;

  const restartIfChosen = async (outcome: UpdateOutcome, asked: boolean, instance: UpdaterLike) => {
    const restart = await options.present.show(outcome, asked).catch((error: unknown) => {
      log.warn('could not show the update result', { error });
      return false;
    });
    if (restart && outcome.kind === 'ready') instance.quitAndInstall();
  };

  const load = (): Promise<UpdaterLike> => {
    updater ??= options.load().then((instance) => {
      instance.autoDownload = true;
      instance.autoInstallOnAppQuit = true;
      // Without an 'error' listener an EventEmitter error would throw in the main process.
      instance.on('error', (error) => log.warn('update error', { error: error.message }));
      instance.on('update-downloaded', (info) => {
        downloading = undefined;
        ready = info.version;
        log.info('update downloaded', { version: info.version });
        const asked = askedDuringDownload;
        askedDuringDownload = false;
        void restartIfChosen({ kind: 'ready', version: info.version }, asked, instance);
      });
      return instance;
    });
    return updater;
  };

  const check = async (): Promise<UpdateOutcome> => {
    if (disabled) return { kind: 'disabled', reason: disabled };
    if (ready) return { kind: 'ready', version: ready };
    if (downloading) return { kind: 'downloading', version: downloading };
    try {
      const instance = await load();
      const result = await instance.checkForUpdates();
      if (!result?.isUpdateAvailable) return { kind: 'up-to-date', version: options.currentVersion };
      if (!ready) downloading = result.updateInfo.version;
      return ready ? { kind: 'ready', version: ready } : { kind: 'downloading', version: result.updateInfo.version };
    } catch (error) {
      return { kind: 'error', code: 'update_check_failed', message: (error as Error).message || String(error) };
    }
  };

  const once = () => {
    inFlight ??= check().finally(() => {
      inFlight = undefined;
    });
    return inFlight;
  };

  return {
    checkQuietly() {
      if (disabled) {
        log.debug('no update check at start', { reason: disabled });
        return;
      }
      void once().then(
        (outcome) => log.info('update check at start', { outcome: outcome.kind, ...('version' in outcome ? { version: outcome.version } : {}) }),
        (error: unknown) => log.warn('update check at start failed', { error }),
      );
    },
    async checkNow() {
      const outcome = await once();
      if (outcome.kind === 'error') log.warn('update check failed', { error: outcome.message });
      if (outcome.kind === 'downloading') askedDuringDownload = true;
      if (outcome.kind === 'ready') {
        const instance = await load();
        await restartIfChosen(outcome, true, instance);
      } else {
        await options.present.show(outcome, true).catch((error: unknown) => log.warn('could not show the update result', { error }));
      }
      return outcome;
    },
  };
}

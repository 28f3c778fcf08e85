/**
 * "Start at login": macOS and Windows through Electron's login item settings, Linux through an XDG
 * autostart entry. Either way the app starts with --hidden, in the tray without a window.
 */
import type { LoginItemState } from '../../preload/contract.js';
import type { LoginItemCapability, LoginItemResult } from '../core/base/host-shell.js';
import { createXdgAutostart } from './xdg-autostart.js';

export const HIDDEN_FLAG = '--hidden';

// The shapes are the contract's and the core's; this module implements them for each OS.
export type { LoginItemCapability, LoginItemResult, LoginItemState };

/** Where the running app is, for a command that starts it again. */
export interface LaunchInfo {
  readonly platform: NodeJS.Platform;
  readonly isPackaged: boolean;
  /** process.execPath: the app's executable, or the Electron binary in development. */
  readonly execPath: string;
  /** app.getAppPath(): passed to the Electron binary in development. */
  readonly appPath: string;
  /** $APPIMAGE: the AppImage file itself (process.execPath points into its temporary mount). */
  readonly appImage?: string | undefined;
}

/** The command that starts this app hidden at login, or why there is none. */
export function loginLaunchCommand(info: LaunchInfo): { command: ReadonlyArray<string> } | { unsupported: string } {
  if (info.platform === 'darwin' && !info.isPackaged) {
    // macOS registers the app bundle, which in development is Electron.app itself.
    return { unsupported: 'Start at login works in the installed app only.' };
  }
  const program = info.platform === 'linux' && info.appImage ? [info.appImage] : info.isPackaged ? [info.execPath] : [info.execPath, info.appPath];
  return { command: [...program, HIDDEN_FLAG] };
}

/** The part of Electron's `app` this uses. */
export interface LoginItemApp {
  getLoginItemSettings(options?: { path?: string; args?: string[] }): {
    openAtLogin: boolean;
    status?: string;
  };
  setLoginItemSettings(settings: { openAtLogin: boolean; path?: string; args?: string[] }): void;
}

const unsupported = (detail: string): LoginItemCapability => ({
  get: () => ({ supported: false, openAtLogin: false, detail }),
  set: () => ({ ok: false, code: 'login_item_unsupported', message: detail, state: { supported: false, openAtLogin: false, detail } }),
});

function guarded(get: () => LoginItemState, apply: (openAtLogin: boolean) => void): LoginItemCapability {
  return {
    get,
    set(openAtLogin) {
      try {
        apply(openAtLogin);
      } catch (error) {
        return {
          ok: false,
          code: 'login_item_failed',
          message: `Start at login could not be ${openAtLogin ? 'turned on' : 'turned off'}: ${(error as Error).message}`,
          state: get(),
        };
      }
      const state = get();
      return state.openAtLogin === openAtLogin
        ? { ok: true, state }
        : { ok: false, code: 'login_item_failed', message: 'The system did not accept the start-at-login change.', state };
    },
  };
}

export function createLoginItem(options: { app: LoginItemApp; launch: LaunchInfo; env: NodeJS.ProcessEnv; homeDir: string }): LoginItemCapability {
  const { app, launch } = options;
  const plan = loginLaunchCommand(launch);
  if ('unsupported' in plan) return unsupported(plan.unsupported);
  const [program, ...args] = plan.command as [string, ...string[]];

  switch (launch.platform) {
    case 'linux': {
      const autostart = createXdgAutostart({ env: options.env, homeDir: options.homeDir, command: plan.command });
      return guarded(() => ({ supported: true, openAtLogin: autostart.isEnabled() }), (on) => autostart.setEnabled(on));
    }
    case 'win32':
      // Windows keeps a Run key with the program and its arguments; reading it back needs the same pair.
      return guarded(
        () => ({ supported: true, openAtLogin: app.getLoginItemSettings({ path: program, args }).openAtLogin }),
        (on) => app.setLoginItemSettings({ openAtLogin: on, path: program, args }),
      );
    case 'darwin':
      // macOS 13+ registers the bundle (SMAppService) and passes no arguments: a login launch is
      // recognised by wasOpenedAtLogin instead (see startsHiddenAtLogin in main.ts).
      return guarded(
        () => {
          const settings = app.getLoginItemSettings();
          return settings.status === 'requires-approval'
            ? { supported: true, openAtLogin: true, detail: 'Allow Agent Relay in System Settings › General › Login Items.' }
            : { supported: true, openAtLogin: settings.openAtLogin };
        },
        (on) => app.setLoginItemSettings({ openAtLogin: on }),
      );
    default:
      return unsupported(`Start at login is not available on ${launch.platform}.`);
  }
}

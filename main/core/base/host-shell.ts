import type { LoginItemState, UpdateOutcome } from '../../../preload/contract.js';

export type LoginItemResult =
  | { ok: true; state: LoginItemState }
  | { ok: false; code: 'login_item_unsupported' | 'login_item_failed'; message: string; state: LoginItemState };

/** Start at login, as only a desktop host can offer it. */
export interface LoginItemCapability {
  get(): LoginItemState;
  set(openAtLogin: boolean): LoginItemResult;
}

/**
 * What the host shell lends the daemon beyond plain Node: the seam through which main/core (which
 * never imports Electron) reaches OS features. The headless host passes none, and each handler then
 * answers "not supported" or does without.
 */
export interface HostShell {
  /** Opens a route (e.g. `#/agents/Alice/console`) in a window of its own. */
  openWindow?(route: string): boolean;
  /** Opens an https page the daemon produced (sign-in and verification pages) in the system browser. */
  openExternal?(url: string): unknown;
  readonly loginItem?: LoginItemCapability;
  /** Asks the user for a folder; resolves null when they cancel. */
  pickFolder?(options: { defaultPath?: string; title?: string }): Promise<string | null>;
  /** The same check as the tray's "Check for updates…". */
  checkForUpdates?(): Promise<UpdateOutcome>;
}

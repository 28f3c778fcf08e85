import type { MenuItemConstructorOptions } from 'electron';
import type { LoginItemState } from './login-item.js';
import type { Route } from './renderer-location.js';

export interface TrayActions {
  open(route: Route): void;
  /** Opens an agent's console in a window of its own. */
  openConsole(agent: string): void;
  /** The Cloud sync checkbox: off stops syncing; on needs the passphrase, so it opens Settings. */
  setCloudSync(on: boolean): void;
  setStartAtLogin(openAtLogin: boolean): void;
  checkForUpdates(): void;
  quit(): void;
}

/** What the menu shows besides its fixed items. */
export interface TrayMenuModel {
  /** The state line at the top (Linux panels show no tooltip, so the menu says it). */
  readonly summary: string;
  readonly loginItem: LoginItemState;
  /** Each provider with a word for its state ("connected as ada@example.com", "sign in again"). */
  readonly providers?: ReadonlyArray<{ readonly id: string; readonly name: string; readonly state: string }>;
  /** Each agent with its status, for its console. */
  readonly agents?: ReadonlyArray<{ readonly name: string; readonly status: string }>;
  /** Cloud sync: whether it is on, and a word for how it is doing ("up to date", "offline"). */
  readonly sync?: { readonly on: boolean; readonly state: string };
}

/** A page item, or a submenu of the page and its entries once there are entries to list. */
function pageItem(
  id: 'providers' | 'agents',
  label: string,
  open: () => void,
  entries: ReadonlyArray<MenuItemConstructorOptions>,
): MenuItemConstructorOptions {
  if (entries.length === 0) return { id, label, click: open };
  return { id, label, submenu: [{ id: `${id}-open`, label: `Open ${label}`, click: open }, { type: 'separator' }, ...entries] };
}

export const TRAY_TOOLTIP = 'Agent Relay';

/**
 * The tray menu. On Linux (AppIndicator) it is the only way in, since there is no click or
 * right-click event, so every action lives here.
 */
export function trayMenuTemplate(actions: TrayActions, model: TrayMenuModel): MenuItemConstructorOptions[] {
  return [
    { id: 'status', label: model.summary, enabled: false },
    { type: 'separator' },
    { id: 'open', label: 'Open Agent Relay', click: () => actions.open('home') },
    pageItem(
      'providers',
      'Providers',
      () => actions.open('providers'),
      (model.providers ?? []).map((p) => ({ id: `provider-${p.id}`, label: `${p.name} — ${p.state}`, click: () => actions.open(`provider:${p.id}`) })),
    ),
    pageItem(
      'agents',
      'Agents',
      () => actions.open('agents'),
      (model.agents ?? []).map((a) => ({ id: `agent-${a.name}`, label: `${a.name} — ${a.status}`, click: () => actions.openConsole(a.name) })),
    ),
    {
      id: 'cloud-sync',
      label: model.sync?.on ? `Cloud sync — ${model.sync.state}` : 'Cloud sync',
      type: 'checkbox',
      checked: model.sync?.on ?? false,
      click: (item) => actions.setCloudSync(item.checked),
    },
    { type: 'separator' },
    {
      id: 'start-at-login',
      label: 'Start at login',
      type: 'checkbox',
      checked: model.loginItem.openAtLogin,
      enabled: model.loginItem.supported,
      toolTip: model.loginItem.detail,
      // Electron flips `checked` before the click handler runs: it is the state the user asked for.
      click: (item) => actions.setStartAtLogin(item.checked),
    },
    { id: 'check-for-updates', label: 'Check for updates…', click: () => actions.checkForUpdates() },
    { type: 'separator' },
    { id: 'quit', label: 'Quit', click: () => actions.quit() },
  ];
}

/** What a click on the icon itself does: Linux sends no click, macOS and Windows open the window. */
export const trayClickOpensWindow = (platform: NodeJS.Platform): boolean => platform === 'darwin' || platform === 'win32';

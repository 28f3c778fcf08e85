import type { MenuItemConstructorOptions } from 'electron';
import type { LoginItemState } from './login-item.js';
import type { Route } from './renderer-location.js';

export interface TrayActions {
  open(route: Route): void;
  setStartAtLogin(openAtLogin: boolean): void;
  checkForUpdates(): void;
  quit(): void;
}

/** What the menu shows besides its fixed items. */
export interface TrayMenuModel {
  /** The state line at the top (Linux panels show no tooltip, so the menu says it). */
  readonly summary: string;
  readonly loginItem: LoginItemState;
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
    { id: 'providers', label: 'Providers', click: () => actions.open('providers') },
    { id: 'agents', label: 'Agents', click: () => actions.open('agents') },
    // Shown so users know it is coming; enabled when cloud sync exists.
    { id: 'cloud-sync', label: 'Cloud sync (coming soon)', type: 'checkbox', checked: false, enabled: false },
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

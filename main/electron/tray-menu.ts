import path from 'node:path';
import type { MenuItemConstructorOptions } from 'electron';
import type { Route } from './renderer-location.js';

export interface TrayActions {
  open(route: Route): void;
  quit(): void;
}

export const TRAY_TOOLTIP = 'Agent Relay';

/**
 * The tray menu. On Linux (AppIndicator) it is the only way in, since there is no click or
 * right-click event, so every action lives here.
 */
export function trayMenuTemplate(actions: TrayActions): MenuItemConstructorOptions[] {
  return [
    { id: 'open', label: 'Open Agent Relay', click: () => actions.open('home') },
    { id: 'providers', label: 'Providers', click: () => actions.open('providers') },
    { id: 'agents', label: 'Agents', click: () => actions.open('agents') },
    // Shown so users know it is coming; enabled when cloud sync exists.
    { id: 'cloud-sync', label: 'Cloud sync (coming soon)', type: 'checkbox', checked: false, enabled: false },
    { type: 'separator' },
    { id: 'quit', label: 'Quit', click: () => actions.quit() },
  ];
}

/** The tray bitmap each OS wants: a template image on macOS, .ico on Windows, a PNG on Linux. */
export function trayIconFile(assetsDir: string, platform: NodeJS.Platform): string {
  const dir = path.join(assetsDir, 'tray');
  switch (platform) {
    case 'darwin':
      // Electron picks trayTemplate@2x.png on Retina and treats *Template as a template image.
      return path.join(dir, 'trayTemplate.png');
    case 'win32':
      return path.join(dir, 'tray.ico');
    default:
      return path.join(dir, 'tray.png');
  }
}

/** What a click on the icon itself does: Linux sends no click, macOS and Windows open the window. */
export const trayClickOpensWindow = (platform: NodeJS.Platform): boolean => platform === 'darwin' || platform === 'win32';

import { Menu, nativeImage, Tray } from 'electron';
import type { Logger } from '../core/logging/logger.js';
import { TRAY_TOOLTIP, trayClickOpensWindow, trayIconFile, trayMenuTemplate, type TrayActions } from './tray-menu.js';

// Module-level so the tray is never garbage-collected (which would remove the icon).
let tray: Tray | undefined;
let menu: Menu | undefined;

export interface TrayHandle {
  readonly tray: Tray;
  readonly menu: Menu;
  destroy(): void;
}

export function createTray(options: { assetsDir: string; actions: TrayActions; logger: Logger }): TrayHandle {
  const file = trayIconFile(options.assetsDir, process.platform);
  const image = nativeImage.createFromPath(file);
  if (image.isEmpty()) options.logger.warn('tray icon could not be loaded', { file });
  if (process.platform === 'darwin') image.setTemplateImage(true);

  const created = new Tray(image);
  const builtMenu = Menu.buildFromTemplate(trayMenuTemplate(options.actions));
  created.setToolTip(TRAY_TOOLTIP);
  if (process.platform === 'darwin') {
    // A context menu set on macOS would swallow the click; show it on right-click instead.
    created.on('right-click', () => created.popUpContextMenu(builtMenu));
  } else {
    created.setContextMenu(builtMenu);
  }
  if (trayClickOpensWindow(process.platform)) created.on('click', () => options.actions.open('home'));

  tray = created;
  menu = builtMenu;
  return {
    tray: created,
    menu: builtMenu,
    destroy() {
      tray?.destroy();
      tray = undefined;
      menu = undefined;
    },
  };
}

/** The live tray, for the test hooks. */
export const currentTray = (): { tray: Tray; menu: Menu } | undefined => (tray && menu ? { tray, menu } : undefined);

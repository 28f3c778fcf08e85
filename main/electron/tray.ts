import { Menu, nativeImage, Tray } from 'electron';
import type { Logger } from '../core/logging/logger.js';
import { trayIconFile, type TrayIconVariant } from './tray-icon.js';
import { trayClickOpensWindow, trayMenuTemplate, type TrayActions, type TrayMenuModel } from './tray-menu.js';
import { presentTrayState, type TrayState } from './tray-state.js';

// Module-level so the tray is never garbage-collected (which would remove the icon).
let tray: Tray | undefined;
let menu: Menu | undefined;

export interface TrayHandle {
  readonly tray: Tray;
  /** The current menu (rebuilt on every update). */
  readonly menu: Menu;
  /** Shows a state: icon variant, tooltip, the menu's state line and start-at-login checkbox. */
  update(state: TrayState): void;
  /** Rebuilds the menu with the last state (after start at login changed elsewhere). */
  refresh(): void;
  destroy(): void;
}

export interface TrayOptions {
  assetsDir: string;
  actions: TrayActions;
  /** The menu's live parts besides the state line. */
  menuModel: () => Omit<TrayMenuModel, 'summary'>;
  initialState: TrayState;
  logger: Logger;
}

export function createTray(options: TrayOptions): TrayHandle {
  const images = new Map<TrayIconVariant, Electron.NativeImage>();
  const imageFor = (variant: TrayIconVariant) => {
    let image = images.get(variant);
    if (!image) {
      const file = trayIconFile(options.assetsDir, process.platform, variant);
      image = nativeImage.createFromPath(file);
      if (image.isEmpty()) options.logger.warn('tray icon could not be loaded', { file });
      if (process.platform === 'darwin') image.setTemplateImage(true);
      images.set(variant, image);
    }
    return image;
  };

  let state = options.initialState;
  let shown = presentTrayState(state);
  const created = new Tray(imageFor(shown.iconVariant));

  const applyMenu = () => {
    const built = Menu.buildFromTemplate(trayMenuTemplate(options.actions, { ...options.menuModel(), summary: shown.summary }));
    // On macOS a context menu set on the tray would swallow the click: it pops up on right-click instead.
    if (process.platform !== 'darwin') created.setContextMenu(built);
    menu = built;
  };

  const apply = () => {
    const next = presentTrayState(state);
    if (next.iconVariant !== shown.iconVariant) created.setImage(imageFor(next.iconVariant));
    shown = next;
    created.setToolTip(next.tooltip);
    applyMenu();
  };

  created.setToolTip(shown.tooltip);
  applyMenu();
  if (process.platform === 'darwin') created.on('right-click', () => menu && created.popUpContextMenu(menu));
  if (trayClickOpensWindow(process.platform)) created.on('click', () => options.actions.open('home'));

  tray = created;
  return {
    tray: created,
    get menu() {
      if (!menu) throw new Error('the tray is destroyed');
      return menu;
    },
    update(next) {
      state = next;
      if (!created.isDestroyed()) apply();
    },
    refresh() {
      if (!created.isDestroyed()) applyMenu();
    },
    destroy() {
      tray?.destroy();
      tray = undefined;
      menu = undefined;
    },
  };
}

/** The live tray, for the test hooks. */
export const currentTray = (): { tray: Tray; menu: Menu } | undefined => (tray && menu ? { tray, menu } : undefined);

import { app, BrowserWindow, nativeTheme, type WebContents } from 'electron';
import path from 'node:path';
import type { Logger } from '../core/logging/logger.js';
import type { ExternalLinks } from './external-links.js';
import { isAppRendererUrl, routeHash, type AppLocation, type Route } from './renderer-location.js';

export interface WindowManager {
  /** Shows the main window (creating it if needed) at a route, and brings it to the front. */
  open(route?: Route): void;
  /** Shows an agent's console in a window of its own (one per agent), creating it if needed. */
  openConsole(agent: string): void;
  /** The webContents of every app window, for contract events. */
  webContents(): WebContents[];
  /** Whether a webContents belongs to one of the app's windows. */
  owns(webContents: unknown): boolean;
}

/**
 * Rules for every webContents the app ever creates: no new windows (https links go through the
 * external-links check), no navigation away from the app's own page, no <webview>.
 */
export function hardenWebContents(contents: WebContents, location: AppLocation, links: ExternalLinks, logger: Logger): void {
  const log = logger.child('windows');
  const openOutside = (url: string) => {
    if (url.startsWith('https:')) void links.open(url);
  };
  contents.setWindowOpenHandler(({ url }) => {
    openOutside(url);
    return { action: 'deny' };
  });
  const guardNavigation = (event: { preventDefault(): void; url: string }) => {
    if (isAppRendererUrl(event.url, location.rendererUrl)) return;
    event.preventDefault();
    log.warn('blocked navigation away from the app');
    openOutside(event.url);
  };
  contents.on('will-navigate', guardNavigation);
  contents.on('will-redirect', guardNavigation);
  contents.on('will-attach-webview', (event) => {
    event.preventDefault();
    log.warn('blocked a <webview>');
  });
}

export function createWindowManager(options: { location: AppLocation; logger: Logger }): WindowManager {
  const { location } = options;
  const log = options.logger.child('windows');
  let main: BrowserWindow | undefined;

  const bringToFront = (win: BrowserWindow) => {
    if (win.isMinimized()) win.restore();
    win.show();
    // Without a Dock icon, macOS does not activate the app when its window is shown.
    if (process.platform === 'darwin') app.focus({ steal: true });
    win.focus();
  };

  const consoles = new Map<string, BrowserWindow>();

  const create = (route: Route | { hash: string; title: string }): BrowserWindow => {
    const hash = typeof route === 'string' ? routeHash(route) : route.hash;
    const win = new BrowserWindow({
      width: typeof route === 'string' ? 1120 : 960,
      height: typeof route === 'string' ? 740 : 600,
      minWidth: typeof route === 'string' ? 720 : 480,
      minHeight: typeof route === 'string' ? 480 : 320,
      title: typeof route === 'string' ? 'Agent Relay' : route.title,
      show: false,
      autoHideMenuBar: true,
      backgroundColor: nativeTheme.shouldUseDarkColors ? '#17181c' : '#ffffff',
      icon: process.platform === 'linux' ? path.join(location.assetsDir, 'icon.png') : undefined,
      webPreferences: {
        contextIsolation: true,
        sandbox: true,
        nodeIntegration: false,
        webSecurity: true,
        preload: location.preloadFile,
      },
    });
    win.once('ready-to-show', () => bringToFront(win));
    win.on('closed', () => {
      if (main === win) main = undefined;
    });
    win.loadFile(location.rendererFile, { hash }).catch((error: unknown) => {
      log.error('could not load the app page', { error: (error as Error).message });
    });
    return win;
  };

  return {
    open(route = 'home') {
      if (!main || main.isDestroyed()) {
        main = create(route);
        return;
      }
      const contents = main.webContents;
      if (isAppRendererUrl(contents.getURL(), location.rendererUrl)) {
        // Same page: change the route without reloading (the hash is one of our fixed constants).
        void contents.executeJavaScript(`location.hash = ${JSON.stringify(routeHash(route))}`).catch(() => undefined);
      } else {
        void main.loadFile(location.rendererFile, { hash: routeHash(route) }).catch(() => undefined);
      }
      bringToFront(main);
    },
    openConsole(agent) {
      // Names are checked by the contract (letters, digits, - and _), so the hash needs no escaping.
      if (!/^[A-Za-z0-9_-]{1,32}$/.test(agent)) return;
      const existing = consoles.get(agent);
      if (existing && !existing.isDestroyed()) {
        bringToFront(existing);
        return;
      }
      const win = create({ hash: `/agents/${agent}/console`, title: `${agent} — Agent Relay` });
      consoles.set(agent, win);
      win.on('closed', () => {
        if (consoles.get(agent) === win) consoles.delete(agent);
      });
    },
    webContents() {
      return BrowserWindow.getAllWindows()
        .filter((win) => !win.isDestroyed() && isAppRendererUrl(win.webContents.getURL(), location.rendererUrl))
        .map((win) => win.webContents);
    },
    owns(webContents) {
      return BrowserWindow.getAllWindows().some((win) => !win.isDestroyed() && win.webContents === webContents);
    },
  };
}

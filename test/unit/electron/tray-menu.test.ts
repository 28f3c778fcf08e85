import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { trayClickOpensWindow, trayIconFile, trayMenuTemplate } from '../../../main/electron/tray-menu.js';
import type { Route } from '../../../main/electron/renderer-location.js';

describe('tray menu', () => {
  it('lists open, providers, agents, a disabled cloud sync checkbox, a separator and quit, in that order', () => {
    const template = trayMenuTemplate({ open: () => undefined, quit: () => undefined });
    expect(template.map((item) => item.type === 'separator' ? '---' : item.label)).toEqual([
      'Open Agent Relay',
      'Providers',
      'Agents',
      'Cloud sync (coming soon)',
      '---',
      'Quit',
    ]);
    const sync = template.find((item) => item.id === 'cloud-sync');
    expect(sync).toMatchObject({ type: 'checkbox', checked: false, enabled: false });
  });

  it('opens the window at the chosen page and quits from the menu', () => {
    const opened: Route[] = [];
    let quit = 0;
    const template = trayMenuTemplate({ open: (route) => opened.push(route), quit: () => (quit += 1) });
    const click = (id: string) => (template.find((item) => item.id === id)?.click as () => void)();
    click('open');
    click('providers');
    click('agents');
    click('quit');
    expect(opened).toEqual(['home', 'providers', 'agents']);
    expect(quit).toBe(1);
  });

  it('uses a template image on macOS, an .ico on Windows and a PNG on Linux, all present in assets/', () => {
    const assets = path.resolve('assets');
    expect(path.basename(trayIconFile(assets, 'darwin'))).toBe('trayTemplate.png');
    expect(path.basename(trayIconFile(assets, 'win32'))).toBe('tray.ico');
    expect(path.basename(trayIconFile(assets, 'linux'))).toBe('tray.png');
    for (const platform of ['darwin', 'win32', 'linux'] as const) expect(fs.existsSync(trayIconFile(assets, platform))).toBe(true);
    expect(fs.existsSync(path.join(assets, 'tray', 'trayTemplate@2x.png'))).toBe(true);
  });

  it('opens the window on a click on macOS and Windows only (Linux panels send no click)', () => {
    expect(trayClickOpensWindow('darwin')).toBe(true);
    expect(trayClickOpensWindow('win32')).toBe(true);
    expect(trayClickOpensWindow('linux')).toBe(false);
  });
});

import fs from 'node:fs';
import path from 'node:path';
import type { MenuItem, MenuItemConstructorOptions } from 'electron';
import { describe, expect, it } from 'vitest';
import { trayClickOpensWindow, trayMenuTemplate, type TrayActions, type TrayMenuModel } from '../../../main/electron/tray-menu.js';
import { trayIconFile } from '../../../main/electron/tray-icon.js';
import type { Route } from '../../../main/electron/renderer-location.js';

const noActions: TrayActions = { open: () => undefined, openConsole: () => undefined, setCloudSync: () => undefined, setStartAtLogin: () => undefined, checkForUpdates: () => undefined, quit: () => undefined };
const model: TrayMenuModel = { summary: 'No agents running', loginItem: { supported: true, openAtLogin: false } };
const labels = (template: MenuItemConstructorOptions[]) => template.map((item) => (item.type === 'separator' ? '---' : item.label));
const item = (template: MenuItemConstructorOptions[], id: string) => {
  const found = template.find((entry) => entry.id === id);
  if (!found) throw new Error(`no item ${id}`);
  return found;
};
/** Clicks an item the way Electron does: a checkbox's `checked` flips before the handler runs. */
const click = (template: MenuItemConstructorOptions[], id: string) => {
  const entry = item(template, id);
  const menuItem = { checked: entry.type === 'checkbox' ? !entry.checked : false } as MenuItem;
  (entry.click as (menuItem: MenuItem) => void)(menuItem);
};

describe('tray menu', () => {
  it('lists the state line, the pages, cloud sync, start at login, check for updates and quit, in that order', () => {
    expect(labels(trayMenuTemplate(noActions, model))).toEqual([
      'No agents running',
      '---',
      'Open Agent Relay',
      'Providers',
      'Agents',
      'Cloud sync',
      '---',
      'Start at login',
      'Check for updates…',
      '---',
      'Quit',
    ]);
    const template = trayMenuTemplate(noActions, model);
    expect(item(template, 'status')).toMatchObject({ enabled: false });
    expect(item(template, 'cloud-sync')).toMatchObject({ type: 'checkbox', checked: false });
  });

  it('opens the window at the chosen page, checks for updates and quits from the menu', () => {
    const opened: Route[] = [];
    const calls: string[] = [];
    const template = trayMenuTemplate(
      { ...noActions, open: (route) => opened.push(route), checkForUpdates: () => calls.push('updates'), quit: () => calls.push('quit') },
      model,
    );
    for (const id of ['open', 'providers', 'agents', 'check-for-updates', 'quit']) click(template, id);
    expect(opened).toEqual(['home', 'providers', 'agents']);
    expect(calls).toEqual(['updates', 'quit']);
  });

  it('shows cloud sync as a checkbox with its state, and asks for the flipped state on click', () => {
    const asked: boolean[] = [];
    const on = trayMenuTemplate({ ...noActions, setCloudSync: (value) => asked.push(value) }, { ...model, sync: { on: true, state: 'up to date' } });
    expect(item(on, 'cloud-sync')).toMatchObject({ type: 'checkbox', checked: true, label: 'Cloud sync — up to date' });
    click(on, 'cloud-sync');
    const off = trayMenuTemplate({ ...noActions, setCloudSync: (value) => asked.push(value) }, model);
    click(off, 'cloud-sync');
    expect(asked).toEqual([false, true]);
  });

  it('lists each provider and agent in submenus once there are some; an agent opens its console', () => {
    const consoles: string[] = [];
    const opened: Route[] = [];
    const template = trayMenuTemplate(
      { ...noActions, open: (route) => opened.push(route), openConsole: (name) => consoles.push(name) },
      {
        ...model,
        providers: [{ id: 'anthropic', name: 'Claude Code', state: 'connected as ada@example.com' }],
        agents: [{ name: 'Alice', status: 'waiting for input' }],
      },
    );
    const agents = item(template, 'agents').submenu as MenuItemConstructorOptions[];
    expect(labels(agents)).toEqual(['Open Agents', '---', 'Alice — waiting for input']);
    (agents[2]!.click as () => void)();
    expect(consoles).toEqual(['Alice']);
    const providers = item(template, 'providers').submenu as MenuItemConstructorOptions[];
    expect(labels(providers)).toEqual(['Open Providers', '---', 'Claude Code — connected as ada@example.com']);
    (providers[2]!.click as () => void)();
    expect(opened).toEqual(['provider:anthropic']);
  });

  it('shows start at login as a checkbox with the current state, and asks for the flipped state on click', () => {
    const asked: boolean[] = [];
    const off = trayMenuTemplate({ ...noActions, setStartAtLogin: (on) => asked.push(on) }, model);
    expect(item(off, 'start-at-login')).toMatchObject({ type: 'checkbox', checked: false, enabled: true });
    click(off, 'start-at-login');
    const on = trayMenuTemplate({ ...noActions, setStartAtLogin: (value) => asked.push(value) }, { ...model, loginItem: { supported: true, openAtLogin: true } });
    expect(item(on, 'start-at-login')).toMatchObject({ checked: true });
    click(on, 'start-at-login');
    expect(asked).toEqual([true, false]);
  });

  it('greys start at login out where it is not supported, with the reason as its tooltip', () => {
    const template = trayMenuTemplate(noActions, {
      ...model,
      loginItem: { supported: false, openAtLogin: false, detail: 'Start at login works in the installed app only.' },
    });
    expect(item(template, 'start-at-login')).toMatchObject({ enabled: false, checked: false, toolTip: 'Start at login works in the installed app only.' });
  });

  it('uses a template image on macOS, an .ico on Windows and a PNG on Linux, all present in assets/', () => {
    const assets = path.resolve('assets');
    expect(path.basename(trayIconFile(assets, 'darwin'))).toBe('trayTemplate.png');
    expect(path.basename(trayIconFile(assets, 'win32'))).toBe('tray.ico');
    expect(path.basename(trayIconFile(assets, 'linux'))).toBe('tray.png');
    expect(path.basename(trayIconFile(assets, 'darwin', 'attention'))).toBe('trayAttentionTemplate.png');
    expect(path.basename(trayIconFile(assets, 'win32', 'running'))).toBe('tray-running.ico');
    for (const platform of ['darwin', 'win32', 'linux'] as const) {
      for (const variant of ['idle', 'running', 'attention'] as const) expect(fs.existsSync(trayIconFile(assets, platform, variant))).toBe(true);
    }
    expect(fs.existsSync(path.join(assets, 'tray', 'trayTemplate@2x.png'))).toBe(true);
  });

  it('opens the window on a click on macOS and Windows only (Linux panels send no click)', () => {
    expect(trayClickOpensWindow('darwin')).toBe(true);
    expect(trayClickOpensWindow('win32')).toBe(true);
    expect(trayClickOpensWindow('linux')).toBe(false);
  });
});

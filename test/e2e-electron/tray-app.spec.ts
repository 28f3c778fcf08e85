import { _electron, expect, test, type ElectronApplication } from '@playwright/test';
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { startPlan } from '../../scripts/electron-runtime.mjs';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..');
const plan = startPlan({ root });
const skipReason = plan.mode === 'headless' ? `Electron tests skipped: ${plan.reason}.` : undefined;
if (skipReason) console.log(skipReason);
test.skip(skipReason !== undefined, skipReason);

/** The main-process test hooks the shell keeps when AGENT_RELAY_TEST=1 (see main/electron/main.ts). */
interface TrayHooks {
  __agentRelayTray?: { isDestroyed(): boolean };
  __agentRelayTrayMenu?: { items: Array<{ id: string; label: string; type: string; enabled: boolean; checked: boolean; click: () => void }> };
  __agentRelayTrayStatus?: { update(patch: Record<string, unknown>): void };
  __agentRelayShell?: { loginItem?: { get(): { supported: boolean; openAtLogin: boolean }; set(on: boolean): { ok: boolean } } };
  __agentRelayDialogs?: Array<{ message: string; detail: string }>;
}

let dataDir: string;
let configHome: string;
let app: ElectronApplication | undefined;

test.beforeEach(() => {
  dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'agent-relay-electron-'));
  // Linux start at login writes $XDG_CONFIG_HOME/autostart: keep it out of the real home.
  configHome = fs.mkdtempSync(path.join(os.tmpdir(), 'agent-relay-xdg-'));
});
test.afterEach(async () => {
  await app?.close();
  app = undefined;
  fs.rmSync(dataDir, { recursive: true, force: true });
  fs.rmSync(configHome, { recursive: true, force: true });
});

async function launch(): Promise<ElectronApplication> {
  if (plan.mode !== 'electron') throw new Error('unreachable: skipped above');
  const env = appEnv();
  app = await _electron.launch({ executablePath: plan.executable, args: [root, '--data-dir', dataDir, '--hidden'], env });
  // The tray exists once the daemon has started.
  await expect
    .poll(() => app!.evaluate(() => (globalThis as TrayHooks).__agentRelayTray?.isDestroyed() === false))
    .toBe(true);
  return app;
}

/** The test's environment, minus what would turn Electron into plain Node, plus the test hooks. */
function appEnv(): Record<string, string> {
  const env: Record<string, string> = { AGENT_RELAY_TEST: '1', XDG_CONFIG_HOME: configHome };
  for (const [key, value] of Object.entries(process.env)) {
    if (value !== undefined && key !== 'ELECTRON_RUN_AS_NODE' && key !== 'AGENT_RELAY_DATA_DIR') env[key] ??= value;
  }
  return env;
}

/** Clicks a tray item: Electron's MenuItem.click flips a checkbox, then calls the handler with the item. */
const clickTrayItem = (electronApp: ElectronApplication, id: string) =>
  electronApp.evaluate((_electron, itemId) => {
    const item = (globalThis as TrayHooks).__agentRelayTrayMenu?.items.find((entry) => entry.id === itemId);
    if (!item) throw new Error(`no tray item ${itemId}`);
    item.click();
  }, id);

const trayItem = (electronApp: ElectronApplication, id: string) =>
  electronApp.evaluate((_electron, itemId) => {
    const item = (globalThis as TrayHooks).__agentRelayTrayMenu?.items.find((entry) => entry.id === itemId);
    return item && { label: item.label, enabled: item.enabled, checked: item.checked };
  }, id);

test('the tray app: tray menu, window opened from it, bridge answering with host electron', async () => {
  const electronApp = await launch();

  const menu = await electronApp.evaluate(() =>
    (globalThis as TrayHooks).__agentRelayTrayMenu?.items.map(({ label, type, enabled, checked }) => ({ label, type, enabled, checked })),
  );
  expect(menu?.map((item) => item.label)).toEqual([
    'No agents running',
    '',
    'Open Agent Relay',
    'Providers',
    'Agents',
    'Cloud sync',
    '',
    'Start at login',
    'Check for updates…',
    '',
    'Quit',
  ]);
  expect(menu?.[5]).toMatchObject({ type: 'checkbox', enabled: false, checked: false });
  expect(menu?.[7]).toMatchObject({ type: 'checkbox', checked: false });
  // Started with --hidden: only the tray until the user asks.
  expect(electronApp.windows()).toHaveLength(0);

  await clickTrayItem(electronApp, 'open');
  const page = await electronApp.firstWindow();
  await page.waitForLoadState('domcontentloaded');
  expect(new URL(page.url()).protocol).toBe('file:');

  const info = await page.evaluate(() => (globalThis as unknown as { relay: Record<string, () => Promise<unknown>> }).relay['app.info']!());
  expect(info).toMatchObject({ ok: true, value: { name: 'Agent Relay', host: 'electron', dataDir } });
  // The page is sandboxed: no Node, and the bridge offers nothing beyond the contract.
  expect(await page.evaluate(() => [typeof (globalThis as { require?: unknown }).require, typeof (globalThis as { process?: unknown }).process])).toEqual([
    'undefined',
    'undefined',
  ]);

  await clickTrayItem(electronApp, 'providers');
  await expect.poll(() => new URL(page.url()).hash).toBe('#/providers');
  expect(electronApp.windows()).toHaveLength(1);

  // CLI commands and the browser dashboard find the running app.
  const daemon = JSON.parse(fs.readFileSync(path.join(dataDir, 'daemon.json'), 'utf8')) as { host: string; pid: number };
  expect(daemon.host).toBe('electron');

  await electronApp.close();
  app = undefined;
  expect(fs.existsSync(path.join(dataDir, 'daemon.json'))).toBe(false);
});

test('a second launch with the same data dir shows the running app instead of starting another', async () => {
  const electronApp = await launch();
  if (plan.mode !== 'electron') return;
  const second = spawn(plan.executable, [root, '--data-dir', dataDir], { stdio: 'ignore', env: appEnv() });
  const code = await new Promise<number | null>((resolve) => second.once('exit', resolve));
  expect(code).toBe(0);
  const page = await electronApp.firstWindow();
  await page.waitForLoadState('domcontentloaded');
  expect(electronApp.windows()).toHaveLength(1);
});

test('start at login toggles from the tray, and the tray follows a change made from Settings', async () => {
  const electronApp = await launch();
  const autostartFile = path.join(configHome, 'autostart', 'agent-relay.desktop');
  if (process.platform === 'darwin') {
    // macOS registers the app bundle, which in development is Electron itself: offered only when installed.
    expect(await trayItem(electronApp, 'start-at-login')).toMatchObject({ enabled: false, checked: false });
    return;
  }
  expect(await trayItem(electronApp, 'start-at-login')).toMatchObject({ enabled: true, checked: false });
  try {
    await clickTrayItem(electronApp, 'start-at-login');
    await expect.poll(async () => (await trayItem(electronApp, 'start-at-login'))?.checked).toBe(true);
    if (process.platform === 'linux') {
      const entry = fs.readFileSync(autostartFile, 'utf8');
      expect(entry).toMatch(/^Exec=.+ --hidden$/m);
    }

    // The Settings page goes through the host shell's login item; the tray checkbox follows.
    expect(await electronApp.evaluate(() => (globalThis as TrayHooks).__agentRelayShell?.loginItem?.set(false))).toMatchObject({ ok: true });
    await expect.poll(async () => (await trayItem(electronApp, 'start-at-login'))?.checked).toBe(false);
    if (process.platform === 'linux') expect(fs.existsSync(autostartFile)).toBe(false);
  } finally {
    // Never leave a development build registered to start at login.
    await electronApp.evaluate(() => (globalThis as TrayHooks).__agentRelayShell?.loginItem?.set(false));
  }
});

test('the tray shows agents waiting for input, and Check for updates… answers in development', async () => {
  const electronApp = await launch();
  await electronApp.evaluate(() => (globalThis as TrayHooks).__agentRelayTrayStatus?.update({ runningAgents: 2, waitingForInput: ['Alice'] }));
  await expect.poll(async () => (await trayItem(electronApp, 'status'))?.label).toBe('Alice is waiting for input');

  await clickTrayItem(electronApp, 'check-for-updates');
  await expect
    .poll(() => electronApp.evaluate(() => (globalThis as TrayHooks).__agentRelayDialogs ?? []))
    .toEqual([{ message: 'Updates are not checked here.', detail: 'Updates are checked by the installed app only, not in development.' }]);
});

/** The CLI against this test's data folder (it reaches the running app through its daemon file). */
function cli(args: string[]): Promise<{ code: number | null; stdout: string }> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, [path.join(root, 'bin', 'agent-relay-desktop.js'), ...args, '--data-dir', dataDir], { env: { ...process.env, AGENT_RELAY_DATA_DIR: '' } });
    let stdout = '';
    child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
    child.on('close', (code) => resolve({ code, stdout }));
  });
}

test('Quit asks whether to stop the agents or keep them running; kept agents outlive the app', async () => {
  const electronApp = await launch();
  const spawned = await cli(['spawn', '--name', 'Keeper', '--json', '--', 'sh', '-c', 'while :; do sleep 1; done']);
  expect(spawned.code).toBe(0);
  const pid = (JSON.parse(spawned.stdout.trim().split('\n').at(-1)!) as { pid: number }).pid;

  // Cancel (the default): the app stays, the question named the running agent.
  await clickTrayItem(electronApp, 'quit');
  await expect
    .poll(() => electronApp.evaluate(() => ((globalThis as TrayHooks).__agentRelayDialogs ?? []).map((d) => d.message)))
    .toContain('1 agent is running. Stop it, or keep it running in the background?');
  expect(await electronApp.evaluate(() => (globalThis as TrayHooks).__agentRelayTray?.isDestroyed())).toBe(false);

  // Keep running: the app quits and the agent goes on in the terminal host.
  const closed = new Promise<void>((resolve) => electronApp.process().once('exit', () => resolve()));
  await electronApp.evaluate(() => {
    (globalThis as { __agentRelayQuitAnswer?: unknown }).__agentRelayQuitAnswer = { choice: 'keep' };
  });
  await clickTrayItem(electronApp, 'quit');
  await closed;
  app = undefined;
  expect(() => process.kill(pid, 0)).not.toThrow();
  expect((await cli(['down'])).code).toBe(0);
  await expect.poll(() => { try { process.kill(pid, 0); return true; } catch { return false; } }).toBe(false);
});

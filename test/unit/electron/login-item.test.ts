import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { createLoginItem, loginLaunchCommand, type LoginItemApp } from '../../../main/electron/login-item.js';
import { autostartDir, createXdgAutostart, desktopEntryText, execLine } from '../../../main/electron/xdg-autostart.js';
import { makeTempDir } from '../../support/temp-dir.js';

/** Splits an Exec value back into arguments per the Desktop Entry spec, as a launcher does. */
function parseExec(value: string): string[] {
  const unescaped = value.replace(/\\(.)/g, (_m, c: string) => (c === '\\' ? '\\' : `\\${c}`));
  const args: string[] = [];
  let current = '';
  let quoted = false;
  let started = false;
  for (let i = 0; i < unescaped.length; i++) {
    const c = unescaped[i]!;
    if (quoted) {
      if (c === '\\') current += unescaped[++i] ?? '';
      else if (c === '"') quoted = false;
      else current += c;
    } else if (c === '"') {
      quoted = true;
      started = true;
    } else if (c === ' ') {
      if (started) args.push(current);
      current = '';
      started = false;
    } else {
      current += c;
      started = true;
    }
  }
  if (started) args.push(current);
  return args.map((arg) => arg.replaceAll('%%', '%'));
}

const execOf = (text: string) => text.split('\n').find((line) => line.startsWith('Exec='))!.slice('Exec='.length);

describe('XDG autostart entry (Linux start at login)', () => {
  let tmp: ReturnType<typeof makeTempDir>;
  afterEach(() => tmp.cleanup());

  it('writes ~/.config/autostart/agent-relay.desktop that starts the AppImage hidden, and removes it again', () => {
    tmp = makeTempDir();
    const appImage = path.join(tmp.dir, 'Applications', 'Agent Relay-0.1.0.AppImage');
    const autostart = createXdgAutostart({ env: {}, homeDir: tmp.dir, command: [appImage, '--hidden'] });
    expect(autostart.file).toBe(path.join(tmp.dir, '.config', 'autostart', 'agent-relay.desktop'));
    expect(autostart.isEnabled()).toBe(false);

    autostart.setEnabled(true);
    const text = fs.readFileSync(autostart.file, 'utf8');
    expect(text.startsWith('[Desktop Entry]\nType=Application\n')).toBe(true);
    expect(text).toContain('Name=Agent Relay\n');
    expect(text).toContain('Terminal=false\n');
    expect(execOf(text)).toBe(`"${appImage}" --hidden`);
    expect(parseExec(execOf(text))).toEqual([appImage, '--hidden']);
    expect(fs.statSync(autostart.file).mode & 0o777).toBe(0o644);
    expect(autostart.isEnabled()).toBe(true);

    autostart.setEnabled(false);
    expect(fs.existsSync(autostart.file)).toBe(false);
    expect(autostart.isEnabled()).toBe(false);
    // Turning off what is already off is not an error.
    autostart.setEnabled(false);
  });

  it('honours an absolute XDG_CONFIG_HOME and ignores a relative one', () => {
    tmp = makeTempDir();
    expect(autostartDir({ XDG_CONFIG_HOME: path.join(tmp.dir, 'cfg') }, tmp.dir)).toBe(path.join(tmp.dir, 'cfg', 'autostart'));
    expect(autostartDir({ XDG_CONFIG_HOME: 'relative/cfg' }, tmp.dir)).toBe(path.join(tmp.dir, '.config', 'autostart'));
  });

  it('quotes and escapes awkward paths so the desktop reads back the same arguments', () => {
    const awkward = ['/opt/My "Relay"/$HOME`x`/back\\slash/100%/agent relay', '--hidden'];
    const line = execLine(awkward);
    expect(parseExec(line)).toEqual(awkward);
    expect(execLine(['/usr/bin/agent-relay', '--hidden'])).toBe('/usr/bin/agent-relay --hidden');
    // A newline in a name cannot break out of its key.
    expect(desktopEntryText({ command: ['/a'], name: 'x\nExec=/bin/evil' })).not.toMatch(/^Exec=\/bin\/evil/m);
  });

  it('counts an entry the user switched off in their desktop settings as off', () => {
    tmp = makeTempDir();
    const autostart = createXdgAutostart({ env: {}, homeDir: tmp.dir, command: ['/usr/bin/agent-relay', '--hidden'] });
    autostart.setEnabled(true);
    fs.appendFileSync(autostart.file, 'Hidden=true\n');
    expect(autostart.isEnabled()).toBe(false);
    autostart.setEnabled(true);
    fs.writeFileSync(autostart.file, fs.readFileSync(autostart.file, 'utf8').replace('X-GNOME-Autostart-enabled=true', 'X-GNOME-Autostart-enabled=false'));
    expect(autostart.isEnabled()).toBe(false);
  });

  it('is a valid desktop entry for desktop-file-validate where that tool is installed', () => {
    let validator: string | undefined;
    try {
      validator = execFileSync('sh', ['-c', 'command -v desktop-file-validate'], { encoding: 'utf8' }).trim() || undefined;
    } catch {
      validator = undefined;
    }
    if (!validator) return;
    tmp = makeTempDir();
    const autostart = createXdgAutostart({ env: {}, homeDir: tmp.dir, command: ['/opt/Agent Relay/agent-relay', '--hidden'] });
    autostart.setEnabled(true);
    expect(execFileSync(validator, [autostart.file], { encoding: 'utf8' })).toBe('');
  });
});

describe('start at login, per platform', () => {
  let tmp: ReturnType<typeof makeTempDir>;
  afterEach(() => tmp?.cleanup());

  it('starts the AppImage itself on Linux (not its temporary mount), the executable when installed, Electron + app in development', () => {
    const base = { execPath: '/tmp/.mount_AgentX/agent-relay', appPath: '/tmp/.mount_AgentX/resources/app.asar' };
    expect(loginLaunchCommand({ ...base, platform: 'linux', isPackaged: true, appImage: '/home/u/Agent.AppImage' })).toEqual({
      command: ['/home/u/Agent.AppImage', '--hidden'],
    });
    expect(loginLaunchCommand({ ...base, platform: 'linux', isPackaged: true, execPath: '/opt/Agent Relay/agent-relay' })).toEqual({
      command: ['/opt/Agent Relay/agent-relay', '--hidden'],
    });
    expect(loginLaunchCommand({ platform: 'win32', isPackaged: false, execPath: 'C:\\electron.exe', appPath: 'C:\\src\\app' })).toEqual({
      command: ['C:\\electron.exe', 'C:\\src\\app', '--hidden'],
    });
    expect(loginLaunchCommand({ platform: 'darwin', isPackaged: false, execPath: '/x/Electron', appPath: '/src' })).toEqual({
      unsupported: 'Start at login works in the installed app only.',
    });
  });

  it('Linux: the capability writes and reads the autostart entry', () => {
    tmp = makeTempDir();
    const app: LoginItemApp = {
      getLoginItemSettings: () => {
        throw new Error('Electron login items are not used on Linux');
      },
      setLoginItemSettings: () => {
        throw new Error('Electron login items are not used on Linux');
      },
    };
    const item = createLoginItem({ app, env: {}, homeDir: tmp.dir, launch: { platform: 'linux', isPackaged: true, execPath: '/opt/ar/agent-relay', appPath: '/opt/ar/resources/app.asar' } });
    expect(item.get()).toEqual({ supported: true, openAtLogin: false });
    expect(item.set(true)).toEqual({ ok: true, state: { supported: true, openAtLogin: true } });
    expect(fs.readFileSync(path.join(tmp.dir, '.config', 'autostart', 'agent-relay.desktop'), 'utf8')).toContain('Exec=/opt/ar/agent-relay --hidden\n');
    expect(item.set(false)).toEqual({ ok: true, state: { supported: true, openAtLogin: false } });
  });

  it('Linux: an unwritable autostart folder is a readable error value, not a crash', () => {
    tmp = makeTempDir();
    fs.mkdirSync(path.join(tmp.dir, '.config'));
    fs.writeFileSync(path.join(tmp.dir, '.config', 'autostart'), 'a file where the folder should be');
    const item = createLoginItem({
      app: { getLoginItemSettings: () => ({ openAtLogin: false }), setLoginItemSettings: () => undefined },
      env: {},
      homeDir: tmp.dir,
      launch: { platform: 'linux', isPackaged: true, execPath: '/opt/ar/agent-relay', appPath: '/x' },
    });
    const result = item.set(true);
    expect(result).toMatchObject({ ok: false, code: 'login_item_failed', state: { supported: true, openAtLogin: false } });
    expect(result.ok ? '' : result.message).toMatch(/^Start at login could not be turned on: /);
  });

  it('Windows: registers the executable with --hidden and reads it back with the same path and arguments', () => {
    const calls: unknown[] = [];
    let registered: { path?: string; args?: string[] } | undefined;
    const app: LoginItemApp = {
      getLoginItemSettings: (options) => ({
        openAtLogin: registered !== undefined && registered.path === options?.path && JSON.stringify(registered.args) === JSON.stringify(options?.args),
      }),
      setLoginItemSettings: (settings) => {
        calls.push(settings);
        registered = settings.openAtLogin ? { path: settings.path, args: settings.args } : undefined;
      },
    };
    const exe = 'C:\\Program Files\\Agent Relay\\Agent Relay.exe';
    const item = createLoginItem({ app, env: {}, homeDir: 'C:\\Users\\u', launch: { platform: 'win32', isPackaged: true, execPath: exe, appPath: 'x' } });
    expect(item.set(true)).toEqual({ ok: true, state: { supported: true, openAtLogin: true } });
    expect(calls).toEqual([{ openAtLogin: true, path: exe, args: ['--hidden'] }]);
    expect(item.set(false).state.openAtLogin).toBe(false);
  });

  it('macOS: a login item awaiting approval in System Settings says so', () => {
    const app: LoginItemApp = {
      getLoginItemSettings: () => ({ openAtLogin: false, status: 'requires-approval' }),
      setLoginItemSettings: () => undefined,
    };
    const item = createLoginItem({ app, env: {}, homeDir: '/Users/u', launch: { platform: 'darwin', isPackaged: true, execPath: '/Applications/Agent Relay.app/Contents/MacOS/Agent Relay', appPath: 'x' } });
    expect(item.get()).toEqual({ supported: true, openAtLogin: true, detail: 'Allow Agent Relay in System Settings › General › Login Items.' });
  });

  it('a change the system did not take is reported, not claimed', () => {
    const item = createLoginItem({
      app: { getLoginItemSettings: () => ({ openAtLogin: false }), setLoginItemSettings: () => undefined },
      env: {},
      homeDir: '/Users/u',
      launch: { platform: 'darwin', isPackaged: true, execPath: '/A.app/Contents/MacOS/A', appPath: 'x' },
    });
    expect(item.set(true)).toMatchObject({ ok: false, code: 'login_item_failed', state: { openAtLogin: false } });
  });
});

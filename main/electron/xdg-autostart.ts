/**
 * Start at login on Linux: an XDG autostart entry (~/.config/autostart/agent-relay.desktop), which
 * GNOME, KDE, Xfce and the other desktops that follow the XDG Autostart spec run at login.
 * Plain Node (no Electron), so it is tested against a temporary HOME.
 */
import fs from 'node:fs';
import path from 'node:path';
import { writeFileAtomic } from '../core/base/atomic-file.js';

export const AUTOSTART_FILE_NAME = 'agent-relay.desktop';

/** $XDG_CONFIG_HOME/autostart, or ~/.config/autostart when XDG_CONFIG_HOME is unset or not absolute. */
export function autostartDir(env: NodeJS.ProcessEnv, homeDir: string): string {
  const configHome = env.XDG_CONFIG_HOME && path.isAbsolute(env.XDG_CONFIG_HOME) ? env.XDG_CONFIG_HOME : path.join(homeDir, '.config');
  return path.join(configHome, 'autostart');
}

// Characters that make the Desktop Entry spec require an Exec argument to be quoted.
const RESERVED = /[\s"'\\><~|&;$*?#()`]/;

/** One Exec argument, quoted and escaped per the Desktop Entry spec (field codes: % doubled). */
export function quoteExecArg(arg: string): string {
  const percent = arg.replaceAll('%', '%%');
  if (arg !== '' && !RESERVED.test(percent)) return percent;
  return `"${percent.replace(/["`$\\]/g, (c) => `\\${c}`)}"`;
}

/** The Exec value: quoted arguments, then the string-value escape of backslashes. */
export function execLine(command: ReadonlyArray<string>): string {
  return command.map(quoteExecArg).join(' ').replaceAll('\\', '\\\\');
}

export interface AutostartEntry {
  /** The program and its arguments, e.g. [the AppImage, '--hidden']. */
  readonly command: ReadonlyArray<string>;
  readonly name?: string;
  readonly comment?: string;
}

export function desktopEntryText(entry: AutostartEntry): string {
  const single = (value: string) => value.replace(/[\r\n]+/g, ' ');
  return [
    '[Desktop Entry]',
    'Type=Application',
    'Version=1.0',
    `Name=${single(entry.name ?? 'Agent Relay')}`,
    `Comment=${single(entry.comment ?? 'Start Agent Relay in the tray at login')}`,
    `Exec=${execLine(entry.command)}`,
    'Icon=agent-relay',
    'Terminal=false',
    'Categories=Development;',
    'X-GNOME-Autostart-enabled=true',
    '',
  ].join('\n');
}

/** Reads an entry's key=value lines of the [Desktop Entry] group. */
function desktopEntryKeys(text: string): Map<string, string> {
  const keys = new Map<string, string>();
  let inGroup = false;
  for (const raw of text.split(/\r?\n/)) {
    const line = raw.trim();
    if (line.startsWith('[')) {
      inGroup = line === '[Desktop Entry]';
      continue;
    }
    const eq = line.indexOf('=');
    if (!inGroup || line.startsWith('#') || eq < 0) continue;
    keys.set(line.slice(0, eq).trim(), line.slice(eq + 1).trim());
  }
  return keys;
}

export interface XdgAutostart {
  /** The entry's path. */
  readonly file: string;
  /** Whether the entry exists and is not switched off (Hidden=true or X-GNOME-Autostart-enabled=false). */
  isEnabled(): boolean;
  /** Writes the entry (with the current command, so a moved AppImage is picked up) or removes it. */
  setEnabled(enabled: boolean): void;
}

export function createXdgAutostart(options: { env: NodeJS.ProcessEnv; homeDir: string; command: ReadonlyArray<string> }): XdgAutostart {
  const file = path.join(autostartDir(options.env, options.homeDir), AUTOSTART_FILE_NAME);
  return {
    file,
    isEnabled() {
      let text: string;
      try {
        text = fs.readFileSync(file, 'utf8');
      } catch {
        return false;
      }
      const keys = desktopEntryKeys(text);
      return keys.get('Hidden') !== 'true' && keys.get('X-GNOME-Autostart-enabled') !== 'false' && Boolean(keys.get('Exec'));
    },
    setEnabled(enabled) {
      if (enabled) writeFileAtomic(file, desktopEntryText({ command: options.command }), 0o644);
      else fs.rmSync(file, { force: true });
    },
  };
}

import fs from 'node:fs';

/**
 * Which program is in the foreground of an agent's terminal: the process group the terminal
 * delivers keystrokes to. On Linux it is read from /proc (the terminal's foreground group, with its
 * arguments); elsewhere node-pty's `process` gives its name (macOS; on Windows it is the program
 * started), and the spawn command fills in the arguments when the names agree.
 */
export interface ForegroundProgram {
  /** argv of the foreground program; argv[0] may be a path. */
  readonly argv: ReadonlyArray<string>;
  readonly source: 'proc' | 'pty' | 'spawn';
}

export interface ForegroundSource {
  readonly pid: number;
  /** node-pty's idea of the foreground program's name (IPty.process). */
  ptyProcess(): string | undefined;
  readonly command: string;
  readonly args: ReadonlyArray<string>;
}

/** Reads the foreground program; never throws. */
export function readForegroundProgram(source: ForegroundSource, platform: NodeJS.Platform = process.platform): ForegroundProgram {
  if (platform === 'linux') {
    const argv = procForeground(source.pid);
    if (argv) return { argv, source: 'proc' };
  }
  const spawned = { argv: [source.command, ...source.args], source: 'spawn' as const };
  if (platform === 'win32') return spawned;
  let name: string | undefined;
  try {
    name = source.ptyProcess();
  } catch {
    name = undefined;
  }
  if (!name) return spawned;
  // The name alone: the spawn's arguments apply if the foreground program is the one started.
  return programName(name) === programName(source.command) ? { argv: [name, ...source.args], source: 'pty' } : { argv: [name], source: 'pty' };
}

function procForeground(pid: number): string[] | undefined {
  try {
    const stat = fs.readFileSync(`/proc/${pid}/stat`, 'utf8');
    // Fields after the command name (which may hold spaces and parentheses): state ppid pgrp session tty_nr tpgid …
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    const tpgid = Number(fields[5]);
    const leader = Number.isInteger(tpgid) && tpgid > 0 ? tpgid : pid;
    const argv = fs.readFileSync(`/proc/${leader}/cmdline`, 'utf8').split('\0');
    if (argv[argv.length - 1] === '') argv.pop();
    return argv.length > 0 && argv[0] !== '' ? argv : undefined;
  } catch {
    return undefined;
  }
}

/** `/usr/bin/bash` → `bash`, `-zsh` (a login shell) → `zsh`, `C:\…\PowerShell.EXE` → `powershell`. */
export function programName(argv0: string): string {
  const base = argv0.split(/[\\/]/).pop() ?? argv0;
  return base.replace(/^-/, '').replace(/\.(exe|com)$/i, '').toLowerCase();
}

const POSIX_SHELLS = new Set(['sh', 'bash', 'dash', 'ash', 'zsh', 'ksh', 'mksh', 'pdksh', 'oksh', 'yash', 'tcsh', 'csh', 'fish', 'nu', 'elvish', 'xonsh', 'rc', 'es']);
const POWERSHELLS = new Set(['pwsh', 'powershell']);
// Options that take the next argument as their value, so it is not a script name.
const POSIX_VALUE_OPTIONS = new Set(['-o', '+o', '-O', '+O', '--rcfile', '--init-file', '-C', '--init-command']);

/**
 * Whether `program` is a plain shell waiting at its prompt (interactive: not running a script or a
 * `-c` command), where typed text runs as a command.
 */
export function isInteractiveShell(program: ForegroundProgram): boolean {
  const [argv0, ...args] = program.argv;
  if (argv0 === undefined) return false;
  const name = programName(argv0);
  if (name === 'cmd') return !args.some((a) => /^\/c/i.test(a));
  if (POWERSHELLS.has(name)) {
    const lower = args.map((a) => a.toLowerCase());
    if (lower.includes('-noexit')) return true;
    return !lower.some((a) => ['-c', '-command', '-f', '-file', '-e', '-ec', '-encodedcommand'].includes(a));
  }
  if (!POSIX_SHELLS.has(name)) return false;
  if (args.includes('-i') || args.includes('--interactive')) return true;
  for (let i = 0; i < args.length; i++) {
    const arg = args[i] as string;
    if (arg === '--') return i === args.length - 1;
    if (POSIX_VALUE_OPTIONS.has(arg)) {
      i++;
      continue;
    }
    if (/^[-+]/.test(arg)) {
      // -c (also within a cluster such as -lc) runs a command string and exits.
      if (/^-[A-Za-z]*c[A-Za-z]*$/.test(arg) && !arg.startsWith('--')) return false;
      continue;
    }
    return false; // a script file
  }
  return true;
}

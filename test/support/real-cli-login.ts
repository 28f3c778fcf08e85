import { spawn, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import readline from 'node:readline';
import * as pty from 'node-pty';
import { CLI_ENTRY } from './cli-process.js';

/** The real CLIs, where CI installs them (AGENT_RELAY_CLIS_DIR); undefined with the reason to skip. */
export function realClis(): { dir: string; claude: string; gemini: string; codex: string } | { skip: string } {
  const dir = process.env.AGENT_RELAY_CLIS_DIR;
  if (!dir) return { skip: 'AGENT_RELAY_CLIS_DIR is not set (CI sets it to .tmp/clis)' };
  const bin = (name: string) => path.join(path.resolve(dir), 'node_modules', '.bin', name);
  for (const name of ['claude', 'gemini', 'codex']) if (!fs.existsSync(bin(name))) return { skip: `${bin(name)} is missing` };
  return { dir: path.resolve(dir), claude: bin('claude'), gemini: bin('gemini'), codex: bin('codex') };
}

/** `connect` as a user runs it, with a stdin the test writes the code into. */
export interface ConnectRun {
  child: ChildProcess;
  events: Array<Record<string, unknown>>;
  next(event: string): Promise<Record<string, unknown>>;
  exited: Promise<number | null>;
  stderr: string[];
}

export function runConnect(args: string[], env: NodeJS.ProcessEnv): ConnectRun {
  const child = spawn(process.execPath, [CLI_ENTRY, 'connect', ...args], {
    env: { ...process.env, AGENT_RELAY_DATA_DIR: '', AGENT_RELAY_TOKEN: '', ...env },
    stdio: ['pipe', 'pipe', 'pipe'],
  });
  const events: Array<Record<string, unknown>> = [];
  const waiters: Array<{ event: string; resolve: (e: Record<string, unknown>) => void }> = [];
  const stderr: string[] = [];
  readline.createInterface({ input: child.stdout! }).on('line', (line) => {
    const event = JSON.parse(line) as Record<string, unknown>;
    events.push(event);
    for (const w of waiters.splice(0)) {
      if (w.event === event.event) w.resolve(event);
      else waiters.push(w);
    }
  });
  readline.createInterface({ input: child.stderr! }).on('line', (line) => stderr.push(line));
  const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
  return {
    child,
    events,
    stderr,
    exited,
    next(event) {
      const seen = events.find((e) => e.event === event);
      if (seen) return Promise.resolve(seen);
      return new Promise((resolve, reject) => {
        waiters.push({ event, resolve });
        void exited.then(() => reject(new Error(`connect exited before "${event}"; events ${JSON.stringify(events)}; stderr ${stderr.join('\n')}`)));
      });
    },
  };
}

/** What the real CLI prints in a pty of the test's own: the sign-in URL it offers. */
export function urlTheCliPrints(bin: string, args: string[], env: Record<string, string>, cwd: string, pattern: RegExp): Promise<string> {
  return new Promise((resolve, reject) => {
    const term = pty.spawn(bin, args, { cols: 1000, rows: 50, cwd, env: { PATH: process.env.PATH ?? '', HOME: cwd, TERM: 'xterm-256color', ...env } });
    let text = '';
    const timer = setTimeout(() => {
      term.kill();
      reject(new Error(`no URL from ${bin}: ${text.slice(-2000)}`));
    }, 60_000);
    term.onData((data) => {
      // eslint-disable-next-line no-control-regex
      text += data.replace(/\u001b\[[0-?]*[ -/]*[@-~]|\u001b\][^\u0007]*\u0007/g, '').replace(/\r/g, '');
      const match = pattern.exec(text);
      if (match?.[1]) {
        clearTimeout(timer);
        term.kill();
        resolve(match[1]);
      }
    });
  });
}

/** A URL's shape without its per-run values (PKCE challenge, state): equal for two runs of one CLI. */
export function urlShape(url: string): string {
  const u = new URL(url);
  for (const key of ['code_challenge', 'state']) if (u.searchParams.has(key)) u.searchParams.set(key, '*');
  return u.toString();
}

/** Listening TCP sockets (ports) a process holds, from /proc (Linux). */
export function listeningPorts(pid: number): number[] {
  const inodes = new Set<string>();
  try {
    for (const fd of fs.readdirSync(`/proc/${pid}/fd`)) {
      try {
        const link = fs.readlinkSync(`/proc/${pid}/fd/${fd}`);
        const m = /^socket:\[(\d+)\]$/.exec(link);
        if (m) inodes.add(m[1]!);
      } catch {
        // closed meanwhile
      }
    }
  } catch {
    return [];
  }
  const ports: number[] = [];
  for (const table of ['/proc/net/tcp', '/proc/net/tcp6']) {
    if (!fs.existsSync(table)) continue;
    for (const line of fs.readFileSync(table, 'utf8').split('\n').slice(1)) {
      const cols = line.trim().split(/\s+/);
      if (cols.length < 10 || cols[3] !== '0A') continue;
      if (inodes.has(cols[9]!)) ports.push(parseInt(cols[1]!.split(':')[1]!, 16));
    }
  }
  return ports;
}

/** Child processes of pid whose environment sets `variable`, with its value (Linux). */
export function descendantsWithEnv(pid: number, variable: string): Array<{ pid: number; value: string; cmdline: string }> {
  const found: Array<{ pid: number; value: string; cmdline: string }> = [];
  const parents = new Map<number, number>();
  for (const entry of fs.readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      const stat = fs.readFileSync(`/proc/${entry}/stat`, 'utf8');
      const ppid = Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1]);
      parents.set(Number(entry), ppid);
    } catch {
      // gone
    }
  }
  const isDescendant = (p: number): boolean => {
    for (let cur = parents.get(p), hops = 0; cur !== undefined && hops < 20; cur = parents.get(cur), hops++) if (cur === pid) return true;
    return false;
  };
  for (const p of parents.keys()) {
    if (!isDescendant(p)) continue;
    try {
      const env = fs.readFileSync(`/proc/${p}/environ`, 'utf8').split('\0');
      const hit = env.find((e) => e.startsWith(`${variable}=`));
      if (hit) found.push({ pid: p, value: hit.slice(variable.length + 1), cmdline: fs.readFileSync(`/proc/${p}/cmdline`, 'utf8').replace(/\0/g, ' ') });
    } catch {
      // gone or not ours
    }
  }
  return found;
}

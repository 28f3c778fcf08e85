import { spawn, type ChildProcess } from 'node:child_process';
import path from 'node:path';
import readline from 'node:readline';

export const CLI_ENTRY = path.resolve('dist/headless/main.js');

export interface CliRun {
  child: ChildProcess;
  /** Resolves with the first stdout line. */
  firstLine: Promise<string>;
  stdout: string[];
  stderr: string[];
  exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
}

/** Starts the built CLI as a user would, with its own environment. */
export function runCliProcess(args: readonly string[], env: NodeJS.ProcessEnv = {}): CliRun {
  const child = spawn(process.execPath, [CLI_ENTRY, ...args], {
    env: { ...process.env, AGENT_RELAY_DATA_DIR: '', AGENT_RELAY_TOKEN: '', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const stdout: string[] = [];
  const stderr: string[] = [];
  const firstLine = new Promise<string>((resolve, reject) => {
    const rl = readline.createInterface({ input: child.stdout! });
    let first = true;
    rl.on('line', (line) => {
      stdout.push(line);
      if (first) {
        first = false;
        resolve(line);
      }
    });
    child.once('exit', () => {
      if (first) reject(new Error(`exited before printing; stderr: ${stderr.join('\n')}`));
    });
  });
  firstLine.catch(() => undefined);
  readline.createInterface({ input: child.stderr! }).on('line', (line) => stderr.push(line));
  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) =>
    child.once('exit', (code, signal) => resolve({ code, signal })),
  );
  return { child, firstLine, stdout, stderr, exited };
}

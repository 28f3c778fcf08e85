/**
 * Starts the real headless host (`dist/headless/main.js up`) as a child process for a test and stops
 * it with SIGTERM. Run `npm run build` first.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import readline from 'node:readline';
import { fileURLToPath } from 'node:url';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..');
export const HEADLESS_MAIN = path.join(ROOT, 'dist', 'headless', 'main.js');

export interface HostOptions {
  /** Reuse a data dir (for a restart); a fresh temporary one otherwise. */
  dataDir?: string;
  port?: number;
  token?: string;
}

export interface RunningHost {
  /** The dashboard link as printed: http://127.0.0.1:PORT/#token=TOKEN */
  readonly url: string;
  /** http://127.0.0.1:PORT */
  readonly origin: string;
  readonly port: number;
  readonly token: string;
  readonly dataDir: string;
  readonly child: ChildProcess;
  /** SIGTERM, then wait for the exit; resolves to the exit code. */
  stop(): Promise<number | null>;
}

interface Listening {
  event: 'listening';
  url: string;
  port: number;
  token: string;
}

export function freshDataDir(): string {
  return fs.mkdtempSync(path.join(os.tmpdir(), 'relay-e2e-'));
}

export async function startHost(options: HostOptions = {}): Promise<RunningHost> {
  if (!fs.existsSync(HEADLESS_MAIN)) throw new Error(`${HEADLESS_MAIN} is missing: run npm run build first.`);
  const dataDir = options.dataDir ?? freshDataDir();
  const args = [HEADLESS_MAIN, 'up', '--port', String(options.port ?? 0), '--json', '--no-open', '--data-dir', dataDir];
  if (options.token) args.push('--token', options.token);
  const child = spawn(process.execPath, args, {
    stdio: ['ignore', 'pipe', 'pipe'],
    env: { ...process.env, AGENT_RELAY_TOKEN: '', AGENT_RELAY_DATA_DIR: '' },
  });
  let stderr = '';
  child.stderr!.setEncoding('utf8').on('data', (chunk: string) => {
    stderr += chunk;
  });
  const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));

  const listening = await new Promise<Listening>((resolve, reject) => {
    const lines = readline.createInterface({ input: child.stdout! });
    lines.once('line', (line) => {
      try {
        const event = JSON.parse(line) as { event?: string };
        if (event.event === 'listening') resolve(event as Listening);
        else reject(new Error(`The host did not start: ${line}`));
      } catch {
        reject(new Error(`The host printed ${JSON.stringify(line)} instead of a JSON line.`));
      }
    });
    void exited.then((code) => reject(new Error(`The host exited (${code}) before listening: ${stderr.trim()}`)));
  });

  const origin = new URL(listening.url).origin;
  return {
    url: listening.url,
    origin,
    port: listening.port,
    token: listening.token,
    dataDir,
    child,
    async stop() {
      if (child.exitCode === null && child.signalCode === null) child.kill('SIGTERM');
      return exited;
    },
  };
}

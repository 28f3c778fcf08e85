import { spawn, type ChildProcess } from 'node:child_process';
import { fileURLToPath } from 'node:url';

export const CLOUD_BIN = fileURLToPath(new URL('../../bin/agent-relay-cloud.js', import.meta.url));

export interface CliResult {
  readonly code: number | null;
  readonly stdout: string;
  readonly stderr: string;
}

/** Runs one agent-relay-cloud command to completion, with optional standard input. */
export function runCloud(args: ReadonlyArray<string>, options: { input?: string; env?: Record<string, string | undefined> } = {}): Promise<CliResult> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [CLOUD_BIN, ...args], { env: { ...process.env, ...options.env }, stdio: ['pipe', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    child.on('error', reject);
    child.on('close', (code) => resolve({ code, stdout, stderr }));
    child.stdin.end(options.input ?? '');
  });
}

export interface ServerProcess {
  readonly url: string;
  readonly port: number;
  readonly issuer: string;
  /** The first line the server printed on stdout. */
  readonly firstLine: string;
  readonly child: ChildProcess;
  stderr(): string;
  /** Sends SIGTERM and resolves with the exit code. */
  stop(): Promise<number | null>;
}

/** Starts `agent-relay-cloud serve --json` and waits for its listening event. */
export function startCloud(args: ReadonlyArray<string>, env: Record<string, string | undefined> = {}): Promise<ServerProcess> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [CLOUD_BIN, 'serve', '--json', '--host', '127.0.0.1', '--port', '0', ...args], { env: { ...process.env, ...env }, stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    let settled = false;
    const exited = new Promise<number | null>((r) => child.on('exit', (code) => r(code)));
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    child.stdout.on('data', (d: Buffer) => {
      stdout += d.toString();
      const newline = stdout.indexOf('\n');
      if (settled || newline < 0) return;
      settled = true;
      const firstLine = stdout.slice(0, newline);
      const event = JSON.parse(firstLine) as { event: string; url: string; port: number; issuer: string };
      resolve({
        url: event.url,
        port: event.port,
        issuer: event.issuer,
        firstLine,
        child,
        stderr: () => stderr,
        stop: async () => {
          if (child.exitCode === null && child.signalCode === null) child.kill('SIGTERM');
          return exited;
        },
      });
    });
    child.on('exit', (code) => {
      if (!settled) {
        settled = true;
        reject(new Error(`agent-relay-cloud serve exited with ${code}: ${stderr}`));
      }
    });
  });
}

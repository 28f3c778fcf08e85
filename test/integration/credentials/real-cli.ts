import fs from 'node:fs';
import path from 'node:path';
import { spawn, spawnSync } from 'node:child_process';

/** Where the real CLIs are installed, outside the project (`npm install --prefix /tmp/clis …`). */
export const CLIS_DIR = process.env.AGENT_RELAY_CLIS_DIR ?? '/tmp/clis';
export const INSTALL_HINT = `npm install --prefix ${CLIS_DIR} @anthropic-ai/claude-code @openai/codex @google/gemini-cli`;

export function cliBin(name: 'claude' | 'codex' | 'gemini'): string | undefined {
  const bin = path.join(CLIS_DIR, 'node_modules', '.bin', name);
  return fs.existsSync(bin) ? bin : undefined;
}

export interface CliRun {
  readonly status: number | null;
  readonly stdout: string;
  readonly stderr: string;
}

/**
 * Runs a real CLI with only the env we give it (plus PATH), so the user's own ~/.claude, ~/.codex,
 * ~/.gemini and any ANTHROPIC_API_KEY / OPENAI_API_KEY / GEMINI_API_KEY in the test's env are
 * never seen or touched.
 */
export function runCli(bin: string, args: ReadonlyArray<string>, env: Record<string, string>, timeoutMs = 60_000): CliRun {
  const result = spawnSync(bin, [...args], {
    env: { PATH: process.env.PATH ?? '/usr/bin:/bin', TERM: 'dumb', NO_COLOR: '1', ...env },
    encoding: 'utf8',
    timeout: timeoutMs,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  return { status: result.status, stdout: result.stdout ?? '', stderr: result.stderr ?? '' };
}

export function listFiles(root: string): string[] {
  if (!fs.existsSync(root)) return [];
  return fs
    .readdirSync(root, { recursive: true, withFileTypes: true })
    .filter((e) => e.isFile())
    .map((e) => path.relative(root, path.join(e.parentPath, e.name)))
    .sort();
}

/** Like runCli, without blocking the event loop: needed when the test itself serves the CLI's requests. */
export function runCliAsync(bin: string, args: ReadonlyArray<string>, env: Record<string, string>, timeoutMs = 60_000): Promise<CliRun> {
  return new Promise((resolve, reject) => {
    const child = spawn(bin, [...args], {
      env: { PATH: process.env.PATH ?? '/usr/bin:/bin', TERM: 'dumb', NO_COLOR: '1', ...env },
      stdio: ['ignore', 'pipe', 'pipe'],
      timeout: timeoutMs,
    });
    let stdout = '';
    let stderr = '';
    child.stdout.setEncoding('utf8').on('data', (chunk: string) => (stdout += chunk));
    child.stderr.setEncoding('utf8').on('data', (chunk: string) => (stderr += chunk));
    child.on('error', reject);
    child.on('close', (status) => resolve({ status, stdout, stderr }));
  });
}

import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { build } from 'esbuild';
import serializeAddon from '@xterm/addon-serialize';
import xtermHeadless from '@xterm/headless';
import type { Terminal as HeadlessTerminal } from '@xterm/headless';

const here = path.dirname(fileURLToPath(import.meta.url));
export const fixturesDir = path.resolve(here, '../../fixtures/agents');

/** Command and args to run one of the fixture agents with this Node. */
export function fixture(name: string, ...args: string[]): { command: string; args: string[] } {
  return { command: process.execPath, args: [path.join(fixturesDir, name), ...args] };
}

/** Polls until `check` returns a value other than undefined/false, or fails with `what`. */
export async function waitFor<T>(check: () => T | undefined | false | Promise<T | undefined | false>, what: string, timeoutMs = 10_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await check();
    if (value !== undefined && value !== false) return value;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}

/** A fresh headless xterm, as a console would have. */
export function freshTerminal(cols: number, rows: number, scrollback = 10_000): HeadlessTerminal {
  return new xtermHeadless.Terminal({ cols, rows, scrollback, allowProposedApi: true });
}

export function writeAsync(term: HeadlessTerminal, data: string): Promise<void> {
  return new Promise((resolve) => term.write(data, resolve));
}

/** Visible rows as text, the way the mirror's screenText() reports them. */
export function visibleText(term: HeadlessTerminal): string[] {
  const buffer = term.buffer.active;
  const lines: string[] = [];
  for (let y = buffer.baseY; y < buffer.baseY + term.rows; y++) lines.push(buffer.getLine(y)?.translateToString(true) ?? '');
  return lines;
}

/** The terminal's screen, scrollback, colours and modes as escape sequences (what a snapshot carries). */
export function serialize(term: HeadlessTerminal): string {
  const addon = new serializeAddon.SerializeAddon();
  term.loadAddon(addon as unknown as Parameters<HeadlessTerminal['loadAddon']>[0]);
  const data = addon.serialize();
  addon.dispose();
  return data;
}

/** Every row, scrollback included. */
export function allText(term: HeadlessTerminal): string[] {
  const buffer = term.buffer.active;
  const lines: string[] = [];
  for (let y = 0; y < buffer.length; y++) lines.push(buffer.getLine(y)?.translateToString(true) ?? '');
  return lines;
}

/** Bundles the mirror worker the way the app's build does, so tests can run mirrors off-thread. */
export async function buildMirrorWorker(): Promise<string> {
  const root = path.resolve(here, '../../..');
  const outfile = path.join(root, '.tmp/test/mirror-worker', `${process.pid}`, 'terminal-mirror-worker.js');
  await build({
    entryPoints: [path.join(root, 'main/core/agents/terminal-mirror-worker.ts')],
    bundle: true,
    platform: 'node',
    format: 'esm',
    target: 'node20',
    packages: 'external',
    outfile,
    logLevel: 'warning',
  });
  return outfile;
}

import { spawn } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { DEFAULT_SETTINGS } from '../../../preload/contract.js';
import { LOCK_WAIT_ENV } from '../../../main/core/base/file-lock.js';
import { AUDIT_FILE, createAuditLog } from '../../../main/core/vault/audit-log.js';
import { VAULT_FILE } from '../../../main/core/vault/file-vault-store.js';
import { openHeadlessVault } from '../../../main/core/vault/headless-vault.js';
import { bundleChild } from '../../support/bundle-child.js';
import { runCliProcess } from '../../support/cli-process.js';
import { writeProvidersJson } from '../../support/auth-fixtures.js';
import { makeTempDir } from '../../support/temp-dir.js';

// Several real processes writing one data folder at once: nothing any of them wrote may be lost.

let child: Awaited<ReturnType<typeof bundleChild>>;
beforeAll(async () => {
  child = await bundleChild(fileURLToPath(new URL('./lock-child.ts', import.meta.url)));
});
afterAll(() => child.cleanup());

let tmp: ReturnType<typeof makeTempDir>;
let home: ReturnType<typeof makeTempDir>;
const running: Array<ReturnType<typeof spawn>> = [];
beforeEach(() => {
  tmp = makeTempDir();
  home = makeTempDir();
});
afterEach(() => {
  for (const p of running.splice(0)) if (p.exitCode === null && p.signalCode === null) p.kill('SIGKILL');
  tmp.cleanup();
  home.cleanup();
});

interface Ran {
  code: number | null;
  stdout: string;
  stderr: string;
}

function runChild(args: string[], env: NodeJS.ProcessEnv = {}): Promise<Ran> & { process: ReturnType<typeof spawn> } {
  const proc = spawn(process.execPath, [child.script, ...args], { env: { ...process.env, ...env }, stdio: ['ignore', 'pipe', 'pipe'] });
  running.push(proc);
  let stdout = '';
  let stderr = '';
  proc.stdout!.setEncoding('utf8').on('data', (c: string) => (stdout += c));
  proc.stderr!.setEncoding('utf8').on('data', (c: string) => (stderr += c));
  const done = new Promise<Ran>((resolve) => proc.on('exit', (code) => resolve({ code, stdout, stderr })));
  return Object.assign(done, { process: proc });
}

/** Starts a process that takes the lock on `file` and keeps it; resolves once it holds it. */
async function holdLock(file: string, staleMs = 10_000): Promise<ReturnType<typeof spawn>> {
  const run = runChild(['hold', file, String(staleMs)]);
  await new Promise<void>((resolve, reject) => {
    run.process.stdout!.on('data', (c: Buffer) => {
      if (c.toString().includes('held')) resolve();
    });
    void run.then((r) => reject(new Error(`holder exited: ${r.stderr}`)));
  });
  return run.process;
}

async function vaultNames(dataDir: string, provider: string): Promise<string[]> {
  const { vault } = await openHeadlessVault(dataDir);
  return (await vault.list(provider)).map((a) => a.name).sort();
}

const names = (n: number, prefix: string) => Array.from({ length: n }, (_, i) => `${prefix}-${String(i + 1).padStart(2, '0')}`).sort();

// Import runs Claude Code's own status check on the copied login: a stand-in CLI answers it here.
const FAKE_CLAUDE = path.resolve('test/fixtures/agents/fake-claude.mjs');

function writeClaudeLogin(): NodeJS.ProcessEnv {
  writeProvidersJson(tmp.dir, { anthropic: { cli: { command: FAKE_CLAUDE, configHomeEnv: 'CLAUDE_CONFIG_DIR' } } });
  fs.mkdirSync(path.join(home.dir, '.claude'), { recursive: true });
  fs.writeFileSync(
    path.join(home.dir, '.claude', '.credentials.json'),
    JSON.stringify({ claudeAiOauth: { accessToken: 'sk-ant-oat01-shared', refreshToken: 'sk-ant-ort01-shared', expiresAt: Date.now() + 3600_000, scopes: [] } }),
  );
  return { HOME: home.dir };
}

describe('the vault with several writers', () => {
  for (const count of [3, 10]) {
    it(`${count} processes adding an account at the same moment keep all ${count}`, { timeout: 60_000 }, async () => {
      const results = await Promise.all(names(count, 'proc').map((name) => runChild(['vault-add', tmp.dir, name])));
      for (const r of results) expect(r, r.stderr).toMatchObject({ code: 0 });
      expect(await vaultNames(tmp.dir, 'test')).toEqual(names(count, 'proc'));
    });

    it(`${count} \`connect anthropic --method import\` run at once: each login is kept`, { timeout: 60_000 }, async () => {
      const env = writeClaudeLogin();
      const runs = names(count, 'user').map((name) => runCliProcess(['connect', 'anthropic', '--method', 'import', '--account', name, '--data-dir', tmp.dir], env));
      const exits = await Promise.all(runs.map((r) => r.exited));
      runs.forEach((run, i) => expect({ exit: exits[i]!.code, stderr: run.stderr.join('\n') }).toEqual({ exit: 0, stderr: '' }));
      expect(await vaultNames(tmp.dir, 'anthropic')).toEqual(names(count, 'user'));
    });
  }

  it('a writer killed with -9 while holding the lock leaves a stale lock the next writer takes over', { timeout: 30_000 }, async () => {
    const vaultFile = path.join(tmp.dir, VAULT_FILE);
    const holder = await holdLock(vaultFile, 2000);
    holder.kill('SIGKILL');
    await new Promise((resolve) => holder.once('exit', resolve));
    expect(fs.existsSync(`${vaultFile}.lock`)).toBe(true);
    const next = await runChild(['vault-add', tmp.dir, 'after-crash']);
    expect(next, next.stderr).toMatchObject({ code: 0 });
    expect(await vaultNames(tmp.dir, 'test')).toEqual(['after-crash']);
    expect(fs.existsSync(`${vaultFile}.lock`)).toBe(false);
  });

  it('a writer that cannot get the lock in time changes nothing and says which file is busy', { timeout: 30_000 }, async () => {
    const env = { ...writeClaudeLogin(), [LOCK_WAIT_ENV]: '500' };
    const first = runCliProcess(['connect', 'anthropic', '--method', 'import', '--account', 'first', '--data-dir', tmp.dir], env);
    expect((await first.exited).code).toBe(0);
    const vaultFile = path.join(tmp.dir, VAULT_FILE);
    const before = fs.readFileSync(vaultFile);
    await holdLock(vaultFile);

    const blocked = runCliProcess(['connect', 'anthropic', '--method', 'import', '--account', 'second', '--data-dir', tmp.dir], env);
    expect((await blocked.exited).code).toBe(1);
    expect(blocked.stderr.join('\n')).toBe(
      `Claude Code: Another Agent Relay process is writing ${vaultFile} and did not finish within 0.5 s; nothing was changed. Try again in a moment.`,
    );
    const json = runCliProcess(['connect', 'anthropic', '--method', 'import', '--account', 'second', '--json', '--data-dir', tmp.dir], env);
    expect((await json.exited).code).toBe(1);
    expect(JSON.parse(json.stdout.at(-1)!)).toMatchObject({ event: 'error', code: 'data_busy' });
    expect(fs.readFileSync(vaultFile).equals(before)).toBe(true);
  });
});

describe('settings with several writers', () => {
  it('five processes each changing a different setting at once: every change is kept', { timeout: 60_000 }, async () => {
    const patches = [{ theme: 'dark' }, { terminalFontFamily: 'Iosevka' }, { terminalFontSize: 20 }, { scrollbackLines: 5000 }, { notifications: false }];
    const results = await Promise.all(patches.map((patch) => runChild(['settings', tmp.dir, JSON.stringify(patch), '25'])));
    for (const r of results) expect(r, r.stderr).toMatchObject({ code: 0 });
    const stored = JSON.parse(fs.readFileSync(path.join(tmp.dir, 'settings.json'), 'utf8')) as Record<string, unknown>;
    expect(stored).toEqual({ ...DEFAULT_SETTINGS, theme: 'dark', terminalFontFamily: 'Iosevka', terminalFontSize: 20, scrollbackLines: 5000, notifications: false });
  });

  it('a settings writer that times out changes nothing and says why', async () => {
    const file = path.join(tmp.dir, 'settings.json');
    const first = await runChild(['settings', tmp.dir, JSON.stringify({ theme: 'light' }), '1']);
    expect(first.code).toBe(0);
    const before = fs.readFileSync(file, 'utf8');
    await holdLock(file);
    const blocked = await runChild(['settings', tmp.dir, JSON.stringify({ theme: 'dark' }), '1'], { [LOCK_WAIT_ENV]: '300' });
    expect(blocked.code).toBe(1);
    expect(blocked.stderr).toContain(`data_busy: Another Agent Relay process is writing ${file}`);
    expect(blocked.stderr).toContain('nothing was changed');
    expect(fs.readFileSync(file, 'utf8')).toBe(before);
  });
});

describe('the audit log with several writers', () => {
  it('long lines from four processes never interleave', { timeout: 60_000 }, async () => {
    const results = await Promise.all(['a', 'b', 'c', 'd'].map((tag) => runChild(['audit', tmp.dir, tag, '40'])));
    for (const r of results) expect(r, r.stderr).toMatchObject({ code: 0 });
    const lines = fs.readFileSync(path.join(tmp.dir, AUDIT_FILE), 'utf8').trimEnd().split('\n');
    expect(lines).toHaveLength(160);
    for (const line of lines) expect(() => JSON.parse(line) as unknown).not.toThrow();
    expect(createAuditLog(tmp.dir).read()).toHaveLength(160);
  });
});

import { spawn } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import readline from 'node:readline';
import { build } from 'esbuild';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { makeTempDir } from '../../support/temp-dir.js';
import { addUser, api, apiToken, approveDevice, startCloud, type CloudServer } from './sync-support.js';

const PASSWORD = 'user-password-1234';
const PASSPHRASE = 'cli passphrase 2026';
// The CLI as built from the current source (the shared dist/ may be older), inside the repo so its externals resolve.
const CLI = path.resolve('.tmp/sync-cli-test/main.js');

interface Run {
  readonly stdout: string[];
  readonly stderr: string[];
  readonly firstLine: Promise<string>;
  readonly exited: Promise<number | null>;
}

function cli(args: ReadonlyArray<string>, input?: string): Run {
  const child = spawn(process.execPath, [CLI, ...args], { env: { ...process.env, AGENT_RELAY_DATA_DIR: '' }, stdio: ['pipe', 'pipe', 'pipe'] });
  const stdout: string[] = [];
  const stderr: string[] = [];
  const firstLine = new Promise<string>((resolve, reject) => {
    readline.createInterface({ input: child.stdout }).on('line', (line) => {
      stdout.push(line);
      if (stdout.length === 1) resolve(line);
    });
    child.once('exit', () => reject(new Error(`exited before printing; stderr: ${stderr.join('\n')}`)));
  });
  firstLine.catch(() => undefined);
  readline.createInterface({ input: child.stderr }).on('line', (line) => stderr.push(line));
  const exited = new Promise<number | null>((resolve) => child.once('close', (code) => resolve(code)));
  child.stdin.end(input ?? '');
  return { stdout, stderr, firstLine, exited };
}

describe('agent-relay-desktop sync …', () => {
  let cloudDir: ReturnType<typeof makeTempDir>;
  let cloud: CloudServer;
  let first: ReturnType<typeof makeTempDir>;
  let second: ReturnType<typeof makeTempDir>;

  beforeAll(async () => {
    await build({
      entryPoints: ['main/headless/main.ts'],
      outfile: CLI,
      bundle: true,
      platform: 'node',
      format: 'esm',
      target: 'node20',
      define: { __APP_VERSION__: JSON.stringify('0.0.0-test') },
      external: ['electron', 'node-pty', '@xterm/headless', '@xterm/addon-serialize', 'electron-store', 'electron-updater'],
      banner: { js: "import { createRequire as __arCreateRequire } from 'node:module'; const require = __arCreateRequire(import.meta.url);" },
      logLevel: 'warning',
    });
    cloudDir = makeTempDir('sync-cloud-');
    cloud = await startCloud(cloudDir.dir);
    await addUser(cloudDir.dir, 'cli@example.test', PASSWORD);
    first = makeTempDir('sync-cli-a-');
    second = makeTempDir('sync-cli-b-');
  }, 60_000);
  afterAll(async () => {
    await cloud?.stop();
    cloudDir?.cleanup();
    first?.cleanup();
    second?.cleanup();
    fs.rmSync(path.dirname(CLI), { recursive: true, force: true });
  });

  async function login(dataDir: string): Promise<Run> {
    const run = cli(['sync', 'login', '--server', cloud.url, '--json', '--no-open', '--data-dir', dataDir]);
    const code = JSON.parse(await run.firstLine) as { event: string; userCode: string; verificationUri: string; expiresIn: number };
    expect(code).toMatchObject({ event: 'device-code', userCode: expect.any(String), verificationUri: expect.stringContaining(cloud.url), expiresIn: expect.any(Number) });
    await approveDevice(code.verificationUri, code.userCode, 'cli@example.test', PASSWORD);
    expect(await run.exited).toBe(0);
    return run;
  }

  it('logs in with JSON events, turns sync on with the recovery code shown once, reports status, syncs, and removes the server data only with --yes', async () => {
    const before = cli(['sync', 'status', '--json', '--data-dir', first.dir]);
    expect(await before.exited).toBe(0);
    expect(JSON.parse(before.stdout[0]!)).toEqual({ state: 'off', signedIn: false });

    const signedIn = await login(first.dir);
    expect(JSON.parse(signedIn.stdout.at(-1)!)).toEqual({ event: 'connected', server: cloud.url, account: 'cli@example.test' });

    const on = cli(['sync', 'on', '--passphrase-stdin', '--data-dir', first.dir], `${PASSPHRASE}\n`);
    expect(await on.exited, on.stderr.join('\n')).toBe(0);
    const text = on.stdout.join('\n');
    expect(text).toMatch(/recovery code \(shown only this once\)/i);
    const recovery = /^\s+([A-Z2-7]{5}(?:-[A-Z2-7]{5}){5})$/m.exec(text)?.[1];
    expect(recovery).toBeDefined();
    expect(text).toMatch(/Cloud sync: Up to date/);
    expect(text).not.toContain(PASSPHRASE);

    const status = cli(['sync', 'status', '--json', '--data-dir', first.dir]);
    expect(await status.exited).toBe(0);
    expect(JSON.parse(status.stdout[0]!)).toMatchObject({ state: 'up_to_date', signedIn: true, server: cloud.url, account: 'cli@example.test' });

    // A second data dir: the wrong passphrase is refused with a sentence, the recovery code works.
    await login(second.dir);
    const wrong = cli(['sync', 'on', '--passphrase-stdin', '--data-dir', second.dir], 'not it at all\n');
    expect(await wrong.exited).toBe(1);
    expect(wrong.stderr.join('\n')).toMatch(/does not unlock your sync vault.*\(wrong_passphrase\)/);
    const unlocked = cli(['sync', 'on', '--passphrase-stdin', '--data-dir', second.dir], `${recovery}\n`);
    expect(await unlocked.exited).toBe(0);
    expect(unlocked.stdout.join('\n')).not.toMatch(/recovery code/i);

    const now = cli(['sync', 'now', '--data-dir', second.dir]);
    expect(await now.exited).toBe(0);
    expect(now.stdout[0]).toMatch(/^Cloud sync: Up to date/);

    const unconfirmed = cli(['sync', 'remove-server-data', '--data-dir', first.dir]);
    expect(await unconfirmed.exited).toBe(2);
    expect(unconfirmed.stderr.join('\n')).toMatch(/--yes/);
    const token = await apiToken(cloud.url, 'cli@example.test', PASSWORD);
    expect((await api(cloud.url, token, 'GET', '/key')).body.envelope).not.toBeNull();

    const removed = cli(['sync', 'remove-server-data', '--yes', '--data-dir', first.dir]);
    expect(await removed.exited).toBe(0);
    expect(removed.stdout.join('\n')).toMatch(/removed from the sync server/);
    expect((await api(cloud.url, token, 'GET', '/key')).body.envelope).toBeNull();

    const off = cli(['sync', 'off', '--data-dir', second.dir]);
    expect(await off.exited).toBe(0);
    expect(off.stdout[0]).toBe('Cloud sync: Off');
  }, 120_000);

  it('refuses `sync on` without a terminal or --passphrase-stdin, and plain http to another machine', async () => {
    const noTty = cli(['sync', 'on', '--data-dir', first.dir]);
    expect(await noTty.exited).toBe(2);
    expect(noTty.stderr.join('\n')).toMatch(/--passphrase-stdin/);
    const insecure = cli(['sync', 'login', '--server', 'http://sync.example.com', '--json', '--data-dir', first.dir]);
    expect(await insecure.exited).toBe(1);
    expect(JSON.parse(insecure.stdout[0]!)).toMatchObject({ event: 'error', code: 'insecure_server' });
  });
});

import { spawn, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import readline from 'node:readline';
import { afterEach, beforeAll, describe, expect, it } from 'vitest';
import { makeTempDir } from '../../support/temp-dir.js';

const START = path.resolve('scripts/start.mjs');

interface StartRun {
  child: ChildProcess;
  stdout: string[];
  /** Resolves with the first stdout line matching. */
  line(pattern: RegExp): Promise<string>;
  exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
}

function runStart(args: readonly string[], env: NodeJS.ProcessEnv): StartRun {
  const child = spawn(process.execPath, [START, ...args], {
    env: { ...process.env, AGENT_RELAY_DATA_DIR: '', AGENT_RELAY_TOKEN: '', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const stdout: string[] = [];
  const waiters: Array<{ pattern: RegExp; resolve: (line: string) => void }> = [];
  readline.createInterface({ input: child.stdout! }).on('line', (line) => {
    stdout.push(line);
    for (const waiter of waiters.filter((w) => w.pattern.test(line))) {
      waiters.splice(waiters.indexOf(waiter), 1);
      waiter.resolve(line);
    }
  });
  const stderr: string[] = [];
  readline.createInterface({ input: child.stderr! }).on('line', (line) => stderr.push(line));
  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) =>
    child.once('exit', (code, signal) => resolve({ code, signal })),
  );
  const line = (pattern: RegExp) =>
    new Promise<string>((resolve, reject) => {
      const seen = stdout.find((l) => pattern.test(l));
      if (seen) return resolve(seen);
      waiters.push({ pattern, resolve });
      void exited.then(() => reject(new Error(`exited before printing ${pattern}; stdout: ${stdout.join('\n')}; stderr: ${stderr.join('\n')}`)));
    });
  return { child, stdout, line, exited };
}

describe('npm start (scripts/start.mjs)', () => {
  const runs: StartRun[] = [];
  const temps: Array<ReturnType<typeof makeTempDir>> = [];
  const temp = () => {
    const t = makeTempDir();
    temps.push(t);
    return t.dir;
  };
  beforeAll(() => {
    if (!fs.existsSync('dist/headless/main.js')) throw new Error('Build first: npm run build (dist/headless/main.js is missing).');
  });
  afterEach(async () => {
    for (const run of runs.splice(0)) {
      if (run.child.exitCode === null && run.child.signalCode === null) run.child.kill('SIGKILL');
      await run.exited;
    }
    for (const t of temps.splice(0)) t.cleanup();
  });

  it('without an Electron runtime says why in one line, serves the dashboard headless, and stops cleanly on SIGTERM', async () => {
    const dataDir = temp();
    // An empty override folder: no Electron here, whatever this machine has installed.
    const run = runStart(['--port', '0', '--no-open', '--data-dir', dataDir], { ELECTRON_OVERRIDE_DIST_PATH: temp() });
    runs.push(run);
    const dashboard = await run.line(/^Dashboard: /);
    expect(run.stdout[0]).toMatch(/^Electron runtime not found \(ELECTRON_OVERRIDE_DIST_PATH has no electron(\.exe)?\) — starting Agent Relay headless instead\.$/);
    const url = new URL(dashboard.slice('Dashboard: '.length));
    expect(url.hostname).toBe('127.0.0.1');
    const daemon = JSON.parse(fs.readFileSync(path.join(dataDir, 'daemon.json'), 'utf8')) as { host: string; port: number };
    expect(daemon).toMatchObject({ host: 'headless', port: Number(url.port) });

    run.child.kill('SIGTERM');
    expect(await run.exited).toEqual({ code: 0, signal: null });
    expect(fs.existsSync(path.join(dataDir, 'daemon.json'))).toBe(false);
  });

  it('with this machine as it is, names the real reason first', async () => {
    const run = runStart(['--port', '0', '--no-open', '--data-dir', temp()], {});
    runs.push(run);
    const first = await run.line(/./);
    if (!first.includes('starting Agent Relay headless instead')) {
      // This machine can run Electron: the app started instead, which the _electron tests cover.
      return;
    }
    expect(first).toMatch(/^(Electron runtime not installed \(.+\)|No display found \(.+\)) — starting Agent Relay headless instead\.$/);
    await run.line(/^Dashboard: http:\/\/127\.0\.0\.1:\d+\/#token=[0-9a-f]+$/);
    run.child.kill('SIGINT');
    expect(await run.exited).toEqual({ code: 0, signal: null });
  });

  it.runIf(process.platform === 'linux')('without a display on Linux says so, even with a runtime present', async () => {
    const fakeRuntime = temp();
    fs.writeFileSync(path.join(fakeRuntime, 'electron'), '#!/bin/sh\nexit 7\n', { mode: 0o755 });
    const env: NodeJS.ProcessEnv = { ELECTRON_OVERRIDE_DIST_PATH: fakeRuntime, DISPLAY: '', WAYLAND_DISPLAY: '' };
    const run = runStart(['--port', '0', '--no-open', '--data-dir', temp()], env);
    runs.push(run);
    await run.line(/^Dashboard: /);
    expect(run.stdout[0]).toBe('No display found (neither DISPLAY nor WAYLAND_DISPLAY is set) — starting Agent Relay headless instead.');
    run.child.kill('SIGTERM');
    expect(await run.exited).toEqual({ code: 0, signal: null });
  });

  it.runIf(process.platform === 'linux')('with a runtime and a display runs it on the project with the arguments, and exits with its code', async () => {
    const fakeRuntime = temp();
    const record = path.join(temp(), 'argv.txt');
    fs.writeFileSync(path.join(fakeRuntime, 'electron'), `#!/bin/sh\nprintf '%s\\n' "$@" > '${record}'\nexit 7\n`, { mode: 0o755 });
    const run = runStart(['--data-dir', '/tmp/somewhere', '--hidden'], { ELECTRON_OVERRIDE_DIST_PATH: fakeRuntime, DISPLAY: ':99' });
    runs.push(run);
    expect(await run.exited).toEqual({ code: 7, signal: null });
    expect(run.stdout).toEqual([]);
    expect(fs.readFileSync(record, 'utf8').trim().split('\n')).toEqual([path.resolve('.'), '--data-dir', '/tmp/somewhere', '--hidden']);
  });
});

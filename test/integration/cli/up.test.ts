import fs from 'node:fs';
import net from 'node:net';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { connectClient } from '../../../main/core/transport/client.js';
import { DEFAULT_PORT } from '../../../main/headless/host.js';
import { runCliProcess, type CliRun } from '../../support/cli-process.js';
import { makeTempDir } from '../../support/temp-dir.js';
import { rawRequest } from '../../support/http.js';

interface Listening {
  event: 'listening';
  url: string;
  port: number;
  token: string;
}

function portIsFree(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const probe = net.createServer();
    probe.once('error', () => resolve(false));
    probe.listen(port, '127.0.0.1', () => probe.close(() => resolve(true)));
  });
}

describe('agent-relay-desktop up', () => {
  const runs: CliRun[] = [];
  const temps: Array<ReturnType<typeof makeTempDir>> = [];
  const temp = () => {
    const t = makeTempDir();
    temps.push(t);
    return t.dir;
  };
  const start = (args: string[], env: NodeJS.ProcessEnv = {}) => {
    const run = runCliProcess(args, env);
    runs.push(run);
    return run;
  };
  afterEach(async () => {
    for (const run of runs.splice(0)) {
      if (run.child.exitCode === null && run.child.signalCode === null) {
        run.child.kill('SIGKILL');
        await run.exited;
      }
    }
    for (const t of temps.splice(0)) t.cleanup();
  });

  it('prints one JSON line first with --json, serves the contract, and leaves a private daemon file', async () => {
    const dataDir = temp();
    const run = start(['up', '--port', '0', '--json', '--no-open', '--data-dir', dataDir]);
    const listening = JSON.parse(await run.firstLine) as Listening;
    expect(listening).toMatchObject({ event: 'listening', port: expect.any(Number), token: expect.stringMatching(/^[0-9a-f]{48}$/) });
    expect(listening.url).toBe(`http://127.0.0.1:${listening.port}/#token=${listening.token}`);

    const daemonFile = path.join(dataDir, 'daemon.json');
    expect(fs.statSync(daemonFile).mode & 0o777).toBe(0o600);
    expect(JSON.parse(fs.readFileSync(daemonFile, 'utf8'))).toMatchObject({ port: listening.port, token: listening.token, host: 'headless' });

    const client = await connectClient(`http://127.0.0.1:${listening.port}`, listening.token);
    expect(await client.call('app.info')).toMatchObject({ host: 'headless', dataDir });
    client.close();

    const page = await rawRequest(listening.port, { headers: { Host: `127.0.0.1:${listening.port}`, Authorization: `Bearer ${listening.token}` } });
    expect(page.status).toBe(200);
    expect(page.body).toContain('<div id="root">');
  });

  it.each(['SIGTERM', 'SIGINT'] as const)('shuts down cleanly on %s: exit 0, port released, daemon file removed', async (signal) => {
    const dataDir = temp();
    const run = start(['up', '--port', '0', '--json', '--no-open', '--data-dir', dataDir]);
    const { port } = JSON.parse(await run.firstLine) as Listening;
    run.child.kill(signal);
    expect(await run.exited).toEqual({ code: 0, signal: null });
    expect(await portIsFree(port)).toBe(true);
    expect(fs.existsSync(path.join(dataDir, 'daemon.json'))).toBe(false);
    expect(run.stdout.at(-1)).toBe(JSON.stringify({ event: 'stopped', signal }));
  });

  it('prints the dashboard line for people, and honours AGENT_RELAY_DATA_DIR', async () => {
    const dataDir = temp();
    const run = start(['up', '--port', '0', '--no-open'], { AGENT_RELAY_DATA_DIR: dataDir });
    await run.firstLine;
    await expect.poll(() => run.stdout.find((l) => l.startsWith('Dashboard: '))).toMatch(/^Dashboard: http:\/\/127\.0\.0\.1:\d+\/#token=[0-9a-f]{48}$/);
    expect(run.stdout[0]).toContain(dataDir);
    expect(fs.existsSync(path.join(dataDir, 'daemon.json'))).toBe(true);
  });

  it('opens the dashboard in the browser through the system opener when a display is present', async () => {
    const bin = temp();
    const seen = path.join(bin, 'opened.txt');
    // xdg-open as the desktop provides it; this one only records what it was asked to open.
    fs.writeFileSync(path.join(bin, 'xdg-open'), `#!/bin/sh\nprintf '%s\\n' "$@" > '${seen}'\n`, { mode: 0o755 });
    const run = start(['up', '--port', '0', '--json', '--data-dir', temp()], { DISPLAY: ':99', PATH: `${bin}${path.delimiter}${process.env.PATH ?? ''}` });
    const { url } = JSON.parse(await run.firstLine) as Listening;
    await expect.poll(() => (fs.existsSync(seen) ? fs.readFileSync(seen, 'utf8').trim() : '')).toBe(url);
    expect(run.stderr.join('\n')).not.toContain('Could not open a browser');
  });

  it('says so when no browser can be opened, and keeps running', async () => {
    // A display but no xdg-open anywhere on PATH.
    const run = start(['up', '--port', '0', '--json', '--data-dir', temp()], { DISPLAY: ':99', PATH: temp() });
    const { port } = JSON.parse(await run.firstLine) as Listening;
    await expect.poll(() => run.stderr.join('\n')).toContain('Could not open a browser');
    expect(run.child.exitCode).toBeNull();
    expect(port).toBeGreaterThan(0);
  });

  it('uses a pinned token from AGENT_RELAY_TOKEN', async () => {
    const run = start(['up', '--port', '0', '--json', '--no-open', '--data-dir', temp()], { AGENT_RELAY_TOKEN: 'pinned-token-123' });
    expect(JSON.parse(await run.firstLine)).toMatchObject({ token: 'pinned-token-123' });
  });

  it('falls back to a free port when the default port is taken', async () => {
    const blocker = net.createServer();
    const blocked = await new Promise<boolean>((resolve) => {
      blocker.once('error', () => resolve(false));
      blocker.listen(DEFAULT_PORT, '127.0.0.1', () => resolve(true));
    });
    try {
      const run = start(['up', '--json', '--no-open', '--data-dir', temp()]);
      const { port } = JSON.parse(await run.firstLine) as Listening;
      expect(port).not.toBe(DEFAULT_PORT);
      expect(port).toBeGreaterThan(0);
    } finally {
      if (blocked) blocker.close();
    }
  });

  it('fails with a clear message when an explicitly chosen port is taken', async () => {
    const blocker = net.createServer();
    await new Promise<void>((resolve) => blocker.listen(0, '127.0.0.1', resolve));
    const port = (blocker.address() as net.AddressInfo).port;
    try {
      const run = start(['up', '--port', String(port), '--no-open', '--data-dir', temp()]);
      expect((await run.exited).code).toBe(1);
      expect(run.stderr.join('\n')).toContain(`Port ${port} on 127.0.0.1 is already in use`);
    } finally {
      blocker.close();
    }
  });

  it('points at the running daemon instead of starting a second one on the same data dir', async () => {
    const dataDir = temp();
    const first = start(['up', '--port', '0', '--json', '--no-open', '--data-dir', dataDir]);
    const { port } = JSON.parse(await first.firstLine) as Listening;
    const second = start(['up', '--port', '0', '--json', '--no-open', '--data-dir', dataDir]);
    expect(JSON.parse(await second.firstLine)).toMatchObject({ event: 'already-running', port });
    expect((await second.exited).code).toBe(0);
  });
});

describe('agent-relay-desktop usage', () => {
  const run = async (args: string[]) => {
    const r = runCliProcess(args);
    const { code } = await r.exited;
    return { code, out: r.stdout.join('\n'), err: r.stderr.join('\n') };
  };

  it('--help lists the commands and exits 0', async () => {
    const { code, out } = await run(['--help']);
    expect(code).toBe(0);
    expect(out).toContain('Usage: agent-relay-desktop');
    expect(out).toMatch(/up \[options\]\s+run the daemon headless/);
    for (const command of ['status', 'providers', 'connect', 'disconnect', 'spawn', 'agents', 'kill', 'screen', 'send', 'read', 'history']) expect(out).toMatch(new RegExp(`^  ${command} `, 'm'));
    expect(out).toContain('--data-dir');
  });

  it('--version prints the version', async () => {
    const pkg = JSON.parse(fs.readFileSync('package.json', 'utf8')) as { version: string };
    expect(await run(['--version'])).toMatchObject({ code: 0, out: pkg.version });
  });

  it.each([
    [['bogus'], "unknown command 'bogus'"],
    [['up', '--bogus'], "unknown option '--bogus'"],
    [['up', '--port', 'abc'], 'expected a port number'],
    [['up', '--port', '70000'], 'expected a port number'],
    [[], 'Usage: agent-relay-desktop'],
  ])('%j is a usage error: exit 2 with a clear message', async (args, message) => {
    const { code, err } = await run(args);
    expect(code).toBe(2);
    expect(err).toContain(message);
  });
});

describe('agent-relay-desktop status', () => {
  it('says plainly that no daemon runs, then reports the running one', async () => {
    const tmp = makeTempDir();
    try {
      const before = runCliProcess(['status', '--data-dir', tmp.dir]);
      expect((await before.exited).code).toBe(1);
      expect(before.stderr.join('\n')).toContain('No daemon is running');
      expect(before.stderr.join('\n')).toContain('agent-relay-desktop up');

      const up = runCliProcess(['up', '--port', '0', '--json', '--no-open'], { AGENT_RELAY_DATA_DIR: tmp.dir });
      const { port } = JSON.parse(await up.firstLine) as { port: number };
      const after = runCliProcess(['status', '--json'], { AGENT_RELAY_DATA_DIR: tmp.dir });
      expect((await after.exited).code).toBe(0);
      expect(JSON.parse(after.stdout[0]!)).toMatchObject({ running: true, host: 'headless', dataDir: tmp.dir });
      expect(after.stdout[0]).toContain(`:${port}/#token=`);
      up.child.kill('SIGTERM');
      await up.exited;

      const stale = runCliProcess(['status', '--json', '--data-dir', tmp.dir]);
      expect((await stale.exited).code).toBe(1);
      expect(JSON.parse(stale.stdout[0]!)).toEqual({ running: false, dataDir: tmp.dir });
    } finally {
      tmp.cleanup();
    }
  });
});

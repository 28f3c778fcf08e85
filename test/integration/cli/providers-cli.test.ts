import fs from 'node:fs';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { customOidcEntry, writeProvidersJson } from '../../support/auth-fixtures.js';
import { startOidcServer, type OidcServer } from '../../support/oidc-server.js';
import { runCliProcess } from '../../support/cli-process.js';
import { makeTempDir } from '../../support/temp-dir.js';

describe('provider commands', () => {
  let tmp: ReturnType<typeof makeTempDir>;
  let oidc: OidcServer;

  beforeEach(async () => {
    tmp = makeTempDir();
    oidc = await startOidcServer({ deviceInterval: 1 });
    writeProvidersJson(tmp.dir, { 'test-oidc': customOidcEntry(oidc.issuer, { methods: ['browser', 'device'] }) });
  });
  afterEach(async () => {
    await oidc.close();
    tmp.cleanup();
  });

  const events = (lines: string[]) => lines.map((l) => JSON.parse(l) as Record<string, unknown>);

  async function connectWithDeviceCode(extraArgs: string[] = []) {
    const run = runCliProcess(['connect', 'test-oidc', '--method', 'device', '--json', '--no-open', '--data-dir', tmp.dir, ...extraArgs]);
    const first = JSON.parse(await run.firstLine) as { event: string; userCode: string; verificationUri: string; expiresIn: number };
    expect(first).toMatchObject({ event: 'device-code', userCode: expect.any(String), expiresIn: expect.any(Number) });
    await oidc.user.approveDevice(first.verificationUri, first.userCode, { login: 'frank' });
    return { run, exit: await run.exited };
  }

  it('connects with a device code when no app is running, then lists and disconnects it', async () => {
    const { run, exit } = await connectWithDeviceCode();
    expect(exit.code).toBe(0);
    expect(events(run.stdout).at(-1)).toMatchObject({ event: 'connected', provider: 'test-oidc' });

    const list = runCliProcess(['providers', '--json', '--data-dir', tmp.dir]);
    expect((await list.exited).code).toBe(0);
    const state = JSON.parse(list.stdout[0]!) as { providers: Array<{ id: string; state: string; accounts: unknown[] }>; vault: { protection: string } };
    expect(state.providers.find((p) => p.id === 'test-oidc')).toMatchObject({ state: 'connected', accounts: [expect.objectContaining({ method: 'device' })] });
    expect(state.vault.protection).toBe('weaker');
    expect(list.stdout[0]).not.toMatch(/accessToken|refreshToken/);

    const human = runCliProcess(['providers', '--data-dir', tmp.dir]);
    await human.exited;
    expect(human.stdout.join('\n')).toMatch(/test-oidc\s+connected\s+Test OIDC/);
    expect(human.stdout.join('\n')).toContain('Weaker protection');

    const gone = runCliProcess(['disconnect', 'test-oidc', '--data-dir', tmp.dir]);
    expect((await gone.exited).code).toBe(0);
    expect(gone.stdout[0]).toMatch(/^Disconnected .* from Test OIDC/);
  });

  it('goes through the running app when there is one, so the app sees the account at once', async () => {
    const daemon = runCliProcess(['up', '--port', '0', '--json', '--no-open', '--data-dir', tmp.dir]);
    await daemon.firstLine;
    try {
      const { exit } = await connectWithDeviceCode();
      expect(exit.code).toBe(0);
      const status = runCliProcess(['providers', '--json', '--data-dir', tmp.dir]);
      await status.exited;
      expect(JSON.parse(status.stdout[0]!).providers.find((p: { id: string }) => p.id === 'test-oidc').state).toBe('connected');
    } finally {
      daemon.child.kill('SIGTERM');
      await daemon.exited;
    }
  });

  it('exits 1 with an error event for a denied sign-in, an unknown provider or a method it lacks', async () => {
    const denied = runCliProcess(['connect', 'test-oidc', '--method', 'browser', '--json', '--no-open', '--data-dir', tmp.dir]);
    const open = JSON.parse(await denied.firstLine) as { event: string; url: string };
    expect(open.event).toBe('open-url');
    await oidc.user.authorize(open.url, { decision: 'deny' });
    expect((await denied.exited).code).toBe(1);
    expect(events(denied.stdout).at(-1)).toMatchObject({ event: 'error', code: 'access_denied' });

    const unknown = runCliProcess(['connect', 'nope', '--json', '--data-dir', tmp.dir]);
    expect((await unknown.exited).code).toBe(1);
    expect(JSON.parse(unknown.stdout[0]!)).toMatchObject({ event: 'error', code: 'unknown_provider' });

    const wrongMethod = runCliProcess(['connect', 'github-copilot', '--method', 'browser', '--json', '--data-dir', tmp.dir]);
    expect((await wrongMethod.exited).code).toBe(1);
    expect(JSON.parse(wrongMethod.stdout[0]!)).toMatchObject({ event: 'error', code: 'method_not_supported' });

    const badMethod = runCliProcess(['connect', 'test-oidc', '--method', 'carrier-pigeon', '--data-dir', tmp.dir]);
    expect((await badMethod.exited).code).toBe(2);
  });

  it('names the file, the key and what was expected for a malformed providers.json, and keeps the built-ins', async () => {
    fs.writeFileSync(path.join(tmp.dir, 'providers.json'), JSON.stringify({ providers: { anthropic: { redirectPort: 'high' } } }));
    const run = runCliProcess(['providers', '--data-dir', tmp.dir]);
    expect((await run.exited).code).toBe(0);
    expect(run.stderr.join('\n')).toContain(path.join(tmp.dir, 'providers.json'));
    expect(run.stderr.join('\n')).toContain('providers.anthropic.redirectPort');
    expect(run.stdout.join('\n')).toMatch(/anthropic\s+not connected/);
  });
});

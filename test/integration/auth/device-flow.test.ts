import fs from 'node:fs';
import { afterEach, describe, expect, it } from 'vitest';
import { signInWithDeviceCode } from '../../../main/core/auth/device-flow.js';
import type { AuthFlowEvent } from '../../../main/core/auth/flow-events.js';
import { DEVICE_GRANT, type OidcServer, type OidcServerOptions, startOidcServer } from '../../support/oidc-server.js';
import { captureLogger, customOidcEntry, expectNoSecretsLeaked, makeDataDir, providerFromConfig, secretsOf, writeProvidersJson } from '../../support/auth-fixtures.js';

type DeviceCodeEvent = Extract<AuthFlowEvent, { event: 'device-code' }>;

let oidc: OidcServer | undefined;
let dataDir: string | undefined;

afterEach(async () => {
  await oidc?.close();
  if (dataDir) fs.rmSync(dataDir, { recursive: true, force: true });
  oidc = undefined;
  dataDir = undefined;
});

async function setup(serverOptions: OidcServerOptions = {}) {
  oidc = await startOidcServer({ deviceInterval: 1, ...serverOptions });
  dataDir = makeDataDir();
  writeProvidersJson(dataDir, { 'test-oidc': customOidcEntry(oidc.issuer) });
  const provider = providerFromConfig(dataDir, 'test-oidc');
  const events: DeviceCodeEvent[] = [];
  let announce!: (event: DeviceCodeEvent) => void;
  const announced = new Promise<DeviceCodeEvent>((resolve) => (announce = resolve));
  const controller = new AbortController();
  const { logger, lines } = captureLogger(dataDir);
  const result = signInWithDeviceCode({
    provider,
    logger,
    signal: controller.signal,
    onEvent: (event) => {
      if (event.event !== 'device-code') return;
      events.push(event);
      announce(event);
    },
  });
  return { server: oidc, dir: dataDir, provider, events, announced, result, controller, lines };
}

/** Waits until the server has seen `count` polls of the device code. */
async function polls(server: OidcServer, count: number): Promise<void> {
  while (server.countGrants(DEVICE_GRANT) < count) await new Promise((r) => setTimeout(r, 50));
}

describe('device code sign-in against a real OAuth server (RFC 8628)', () => {
  it('shows the code, keeps polling while pending, and signs in once the user approves at /device', async () => {
    const { server, dir, announced, result, lines } = await setup();
    const code = await announced;
    expect(code.userCode).toMatch(/^[A-Z]{4}-?[A-Z]{4}$/);
    expect(code.verificationUri).toBe(`${server.issuer}/device`);
    expect(code.verificationUriComplete).toContain(`user_code=`);
    expect(code.interval).toBe(1);
    expect(code.expiresIn).toBeGreaterThan(0);

    await polls(server, 2);
    const page = await server.user.approveDevice(code.verificationUri, code.userCode, { login: 'bob' });
    expect(page.html).toContain('Sign-in Success');

    const outcome = await result;
    if (!outcome.ok) throw new Error(outcome.error.message);
    expect(outcome.value.account?.email).toBe('bob@example.test');
    expect(outcome.value.refreshToken).toBeTruthy();
    const errors = server.tokenRequests.filter((r) => r.grantType === DEVICE_GRANT).map((r) => r.error);
    expect(errors.slice(0, 2)).toEqual(['authorization_pending', 'authorization_pending']);
    expect(errors.at(-1)).toBeUndefined();

    expect(lines.some((l) => l.includes('device sign-in finished') && l.includes('bob@example.test'))).toBe(true);
    expectNoSecretsLeaked({ dataDir: dir, secrets: secretsOf(outcome.value), logLines: lines });
  });

  it('answers slow_down by polling 5 seconds slower from then on', async () => {
    // The server wants at least 2 s between polls while advertising 1 s: the second poll gets slow_down.
    const { server, announced, result, events } = await setup({ deviceMinimumPollGap: 2 });
    const code = await announced;
    while (!server.tokenRequests.some((r) => r.error === 'slow_down')) await new Promise((r) => setTimeout(r, 50));
    await server.user.approveDevice(code.verificationUri, code.userCode);
    const outcome = await result;
    expect(outcome.ok).toBe(true);
    const polled = server.tokenRequests.filter((r) => r.grantType === DEVICE_GRANT);
    const slowDownAt = polled.findIndex((r) => r.error === 'slow_down');
    const after = polled[slowDownAt + 1];
    expect(after).toBeDefined();
    // Not a timed assertion on speed: the gap after slow_down is at least the new 6 s interval.
    expect(after!.at - polled[slowDownAt]!.at).toBeGreaterThanOrEqual(6000);
    expect(events.map((e) => e.interval)).toEqual([1, 6]);
  }, 30_000);

  it('ends with access_denied when the user aborts at the server', async () => {
    const { server, announced, result } = await setup();
    const code = await announced;
    await server.user.approveDevice(code.verificationUri, code.userCode, { decision: 'deny' });
    const outcome = await result;
    expect(outcome).toEqual({ ok: false, error: { code: 'access_denied', message: 'Sign-in was denied — try again' } });
  });

  it('ends with expired_token when the code expires before approval', async () => {
    const { server, result } = await setup({ deviceCodeTtl: 2 });
    const outcome = await result;
    expect(outcome).toEqual({ ok: false, error: { code: 'expired_token', message: 'The code expired — get a new code' } });
    expect(server.countGrants(DEVICE_GRANT)).toBeGreaterThanOrEqual(1);
  });

  it('cancel stops polling at once: the server sees no further request', async () => {
    const { server, announced, result, controller } = await setup();
    await announced;
    await polls(server, 1);
    controller.abort();
    const outcome = await result;
    expect(outcome.ok ? 'ok' : outcome.error.code).toBe('cancelled');
    const seen = server.countGrants(DEVICE_GRANT);
    await new Promise((r) => setTimeout(r, 1500));
    expect(server.countGrants(DEVICE_GRANT)).toBe(seen);
  });
});

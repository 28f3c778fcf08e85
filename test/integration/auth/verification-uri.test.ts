import fs from 'node:fs';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { signInWithDeviceCode } from '../../../main/core/auth/device-flow.js';
import type { AuthFlowEvent } from '../../../main/core/auth/flow-events.js';
import { verificationUriProblem } from '../../../main/core/auth/oauth-client.js';
import type { Provider } from '../../../main/core/auth/provider-registry.js';
import { DEVICE_GRANT, type OidcServer, startOidcServer } from '../../support/oidc-server.js';
import { customOidcEntry, makeDataDir, providerFromConfig, writeProvidersJson } from '../../support/auth-fixtures.js';

let oidc: OidcServer | undefined;
let front: http.Server | undefined;
let dataDir: string | undefined;

afterEach(async () => {
  await oidc?.close();
  front?.closeAllConnections();
  await new Promise((resolve) => (front ? front.close(resolve) : resolve(undefined)));
  if (dataDir) fs.rmSync(dataDir, { recursive: true, force: true });
  oidc = front = dataDir = undefined;
});

/**
 * A real OAuth server behind a loopback front that forwards the device authorization request and
 * rewrites where the answer sends the user (a misconfigured or hostile provider).
 */
async function providerSendingUserTo(rewrite: (answer: Record<string, string>) => Record<string, string>): Promise<Provider> {
  oidc = await startOidcServer({ deviceInterval: 1 });
  const target = new URL(oidc.issuer);
  front = http.createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const upstream = http.request({ host: target.hostname, port: target.port, path: new URL(oidc!.issuer).pathname.replace(/\/$/, '') + req.url, method: req.method, headers: req.headers }, (answer) => {
        const body: Buffer[] = [];
        answer.on('data', (c: Buffer) => body.push(c));
        answer.on('end', () => {
          const json = JSON.parse(Buffer.concat(body).toString('utf8')) as Record<string, string>;
          const text = JSON.stringify(answer.statusCode === 200 ? rewrite(json) : json);
          res.writeHead(answer.statusCode ?? 500, { 'content-type': 'application/json', 'content-length': Buffer.byteLength(text) });
          res.end(text);
        });
      });
      upstream.end(Buffer.concat(chunks));
    });
  });
  await new Promise<void>((resolve) => front!.listen(0, '127.0.0.1', resolve));
  const port = (front.address() as AddressInfo).port;
  dataDir = makeDataDir();
  writeProvidersJson(dataDir, { 'test-oidc': customOidcEntry(oidc.issuer, { deviceAuthorizationEndpoint: `http://127.0.0.1:${port}/device/auth` }) });
  return providerFromConfig(dataDir, 'test-oidc');
}

async function run(provider: Provider) {
  const events: AuthFlowEvent[] = [];
  const result = await signInWithDeviceCode({ provider, onEvent: (event) => events.push(event) });
  return { result, events };
}

describe('the device sign-in page address', () => {
  it('a verification_uri that is plain http to another host is refused before it is shown or opened', async () => {
    const provider = await providerSendingUserTo((a) => ({ ...a, verification_uri: 'http://sign-in.example.com/device', verification_uri_complete: undefined as never }));
    const { result, events } = await run(provider);
    expect(result.ok ? 'ok' : result.error).toEqual({
      code: 'insecure_verification_uri',
      message: expect.stringContaining("Test OIDC's page for entering the code is plain http (http://sign-in.example.com), not https, so Agent Relay did not open it."),
    });
    expect(events).toEqual([]);
    expect(oidc!.countGrants(DEVICE_GRANT)).toBe(0);
  });

  it('so is a verification_uri_complete that is not https, even when verification_uri is fine', async () => {
    const provider = await providerSendingUserTo((a) => ({ ...a, verification_uri_complete: 'javascript:alert(1)' }));
    const { result, events } = await run(provider);
    expect(result.ok ? 'ok' : result.error.code).toBe('insecure_verification_uri');
    expect(events).toEqual([]);
  });

  it('the real server on this machine (http on loopback) is still used as before', async () => {
    const provider = await providerSendingUserTo((a) => a);
    const controller = new AbortController();
    const events: AuthFlowEvent[] = [];
    const done = signInWithDeviceCode({
      provider,
      signal: controller.signal,
      onEvent: (event) => {
        events.push(event);
        controller.abort();
      },
    });
    expect((await done).ok ? 'ok' : 'stopped').toBe('stopped');
    expect(events[0]).toMatchObject({ event: 'device-code', verificationUri: expect.stringMatching(/^http:\/\/127\.0\.0\.1:\d+\/device$/) });
  });

  it('the rule: https always; http only on loopback from a loopback provider, or when allowed explicitly', () => {
    const remote = { name: 'Remote', issuer: 'https://id.example.com' } as Provider;
    const local = { name: 'Local', issuer: 'http://127.0.0.1:4000' } as Provider;
    expect(verificationUriProblem('https://id.example.com/device', remote)).toBeUndefined();
    expect(verificationUriProblem('http://127.0.0.1:4000/device', remote)).toMatch(/plain http/);
    expect(verificationUriProblem('http://127.0.0.1:4000/device', local)).toBeUndefined();
    expect(verificationUriProblem('http://evil.example.com/device', local)).toMatch(/plain http/);
    expect(verificationUriProblem('http://sync.lan/device', remote, true)).toBeUndefined();
    expect(verificationUriProblem('file:///etc/passwd', remote)).toBe('a file: address');
    expect(verificationUriProblem('not a url', remote)).toMatch(/not a web address/);
  });
});

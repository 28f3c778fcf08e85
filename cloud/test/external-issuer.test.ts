import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { exportJWK, generateKeyPair, SignJWT, type CryptoKey, type JWK } from 'jose';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { api } from './support/api-client.js';
import { runCloud, startCloud, type ServerProcess } from './support/cloud-process.js';
import { makeTempDir } from './support/temp-dir.js';

/** A company SSO as the sync server sees it: a discovery document and a JWKS on loopback, keys it signs with. */
async function startIssuer() {
  const keys: Array<{ kid: string; privateKey: CryptoKey; jwk: JWK }> = [];
  const addKey = async (kid: string) => {
    const { privateKey, publicKey } = await generateKeyPair('ES256');
    keys.push({ kid, privateKey, jwk: { ...(await exportJWK(publicKey)), kid, alg: 'ES256', use: 'sig' } });
  };
  let jwksFetches = 0;
  const server = http.createServer((req, res) => {
    res.setHeader('content-type', 'application/json');
    if (req.url === '/.well-known/openid-configuration') res.end(JSON.stringify({ issuer, jwks_uri: `${issuer}/jwks` }));
    else if (req.url === '/jwks') {
      jwksFetches += 1;
      res.end(JSON.stringify({ keys: keys.map((k) => k.jwk) }));
    } else res.writeHead(404).end('{}');
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const issuer = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  await addKey('k1');
  const sign = (claims: Record<string, unknown>, options: { typ?: string; kid?: string; expiresIn?: string | number } = {}) => {
    const key = keys.find((k) => k.kid === (options.kid ?? 'k1'))!;
    return new SignJWT({ iss: issuer, aud: 'agent-relay-sync', sub: 'ada', ...claims })
      .setProtectedHeader({ alg: 'ES256', kid: key.kid, typ: options.typ ?? 'at+jwt' })
      .setIssuedAt()
      .setExpirationTime(options.expiresIn ?? '5m')
      .sign(key.privateKey);
  };
  return { issuer, sign, addKey, jwksFetches: () => jwksFetches, close: () => new Promise<void>((resolve) => server.close(() => resolve())) };
}

describe('sync server trusting an external issuer', { timeout: 60_000 }, () => {
  const dir = makeTempDir();
  let issuer: Awaited<ReturnType<typeof startIssuer>>;
  let server: ServerProcess;

  beforeAll(async () => {
    issuer = await startIssuer();
    server = await startCloud(['--data-dir', dir.path, '--issuer', issuer.issuer, '--audience', 'agent-relay-sync', '--client-id', 'sso-client']);
  }, 60_000);

  afterAll(async () => {
    expect(await server?.stop()).toBe(0);
    await issuer?.close();
    dir.remove();
  });

  test('accepts the issuer\'s RFC 9068 access tokens (typ at+jwt)', async () => {
    const info = await api(server.url, 'GET', '/info');
    expect(info.body).toMatchObject({ issuer: issuer.issuer, clientId: 'sso-client' });
    expect((await api(server.url, 'GET', '/vault', { token: await issuer.sign({}) })).status).toBe(200);
    expect((await api(server.url, 'GET', '/vault', { token: await issuer.sign({}, { typ: 'application/at+jwt' }) })).status).toBe(200);
  });

  test.each([
    ['an ID token (typ JWT)', { typ: 'JWT' }, {}],
    ['a token of another issuer', {}, { iss: 'https://elsewhere.example.test' }],
    ['a token for another audience', {}, { aud: 'someone-else' }],
    ['an expired token', { expiresIn: Math.floor(Date.now() / 1000) - 60 }, {}],
    ['a token without a subject', {}, { sub: '' }],
  ] as const)('refuses %s with 401', async (_label, options, claims) => {
    const token = await issuer.sign(claims, options);
    const response = await api(server.url, 'GET', '/vault', { token });
    expect(response.status).toBe(401);
    expect(response.body.error?.code).toBe('unauthorized');
  });

  test('refuses a token whose signature was tampered with', async () => {
    const token = await issuer.sign({});
    const [header, payload, signature] = token.split('.') as [string, string, string];
    const forged = Buffer.from(JSON.stringify({ ...JSON.parse(Buffer.from(payload, 'base64url').toString()), sub: 'bob' })).toString('base64url');
    expect((await api(server.url, 'GET', '/vault', { token: `${header}.${forged}.${signature}` })).status).toBe(401);
  });

  test('picks up a rotated signing key from the JWKS', async () => {
    const before = issuer.jwksFetches();
    await issuer.addKey('k2');
    // An unknown key makes the server fetch the JWKS again, at most once every 30 s.
    const token = await issuer.sign({}, { kid: 'k2' });
    await expect.poll(async () => (await api(server.url, 'GET', '/vault', { token })).status, { timeout: 40_000, interval: 2_000 }).toBe(200);
    expect(issuer.jwksFetches()).toBeGreaterThan(before);
  }, 60_000);

  test('fails at start, with a clear message, when the issuer cannot be read', async () => {
    const result = await runCloud(['serve', '--host', '127.0.0.1', '--port', '0', '--data-dir', dir.path, '--issuer', 'http://127.0.0.1:9/nowhere']);
    expect(result.code).not.toBe(0);
    expect(result.stderr).toContain("Could not read the issuer's discovery document");
  });
});

import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { CopilotTokenCache, fetchCopilotToken } from '../../../main/core/auth/copilot-token.js';
import { BUILT_IN_PROVIDERS, type Provider } from '../../../main/core/auth/provider-registry.js';

/** Imitates api.github.com/copilot_internal/v2/token, which cannot be reached from here. */
const servers: http.Server[] = [];
afterEach(async () => {
  await Promise.all(servers.splice(0).map((s) => new Promise<void>((resolve) => s.close(() => resolve()))));
});

async function fakeGithub(answer: (auth: string | undefined) => { status: number; body: unknown }) {
  const requests: { auth?: string; path?: string }[] = [];
  const server = http.createServer((req, res) => {
    requests.push({ auth: req.headers.authorization, path: req.url });
    const { status, body } = answer(req.headers.authorization);
    res.writeHead(status, { 'content-type': 'application/json' }).end(JSON.stringify(body));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  servers.push(server);
  const base = BUILT_IN_PROVIDERS.find((p) => p.id === 'github-copilot')!;
  const provider: Provider = { ...base, copilotTokenEndpoint: `http://127.0.0.1:${(server.address() as AddressInfo).port}/copilot_internal/v2/token` };
  return { provider, requests };
}

describe('Copilot token adapter', () => {
  it('exchanges the GitHub token for a Copilot token with its expiry and refresh hint', async () => {
    const expiresAt = Math.floor(Date.now() / 1000) + 1500;
    let issued = 0;
    const { provider, requests } = await fakeGithub(() => ({ status: 200, body: { token: `tid=copilot-${++issued}`, expires_at: expiresAt, refresh_in: 1200 } }));
    const result = await fetchCopilotToken(provider, 'gho_githubtoken');
    expect(result).toEqual({ ok: true, value: { token: 'tid=copilot-1', expiresAt: expiresAt * 1000, refreshIn: 1200 } });
    expect(requests).toEqual([{ auth: 'token gho_githubtoken', path: '/copilot_internal/v2/token' }]);
  });

  it('reports a rejected GitHub token as "sign in again" and no Copilot access as such', async () => {
    const unauthorized = await fakeGithub(() => ({ status: 401, body: { message: 'Bad credentials' } }));
    const r1 = await fetchCopilotToken(unauthorized.provider, 'gho_x');
    expect(r1.ok ? 'ok' : r1.error.code).toBe('needs_signin');
    const noSeat = await fakeGithub(() => ({ status: 403, body: { message: 'Resource not accessible' } }));
    const r2 = await fetchCopilotToken(noSeat.provider, 'gho_x');
    expect(r2.ok ? 'ok' : r2.error.code).toBe('no_subscription');
  });

  it('reuses the Copilot token until refresh_in passes, then fetches a new one from the GitHub token', async () => {
    let now = 1_800_000_000_000;
    let issued = 0;
    const { provider, requests } = await fakeGithub(() => ({
      status: 200,
      body: { token: `copilot-${++issued}`, expires_at: Math.floor(now / 1000) + 1800, refresh_in: 1500 },
    }));
    const cache = new CopilotTokenCache(provider, { now: () => now });
    const concurrent = await Promise.all([cache.get('gho_a'), cache.get('gho_a'), cache.get('gho_a')]);
    expect(concurrent.map((r) => r.ok && r.value.token)).toEqual(['copilot-1', 'copilot-1', 'copilot-1']);
    now += 1000 * 1000;
    expect((await cache.get('gho_a')).ok && 'cached').toBe('cached');
    expect(requests).toHaveLength(1);
    now += 600 * 1000;
    const renewed = await cache.get('gho_a');
    expect(renewed.ok && renewed.value.token).toBe('copilot-2');
    expect(requests).toHaveLength(2);
  });
});

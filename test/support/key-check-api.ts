/**
 * The built-in providers' API-key checks (their model lists), served on loopback so that tests
 * which save a key for OpenAI, Anthropic or Google never reach the internet. `keyChecksAt(api.url)`
 * is the providers.json entry that points each built-in's `apiKeyCheck` here; every key that is
 * not in `refuse` is accepted, and each request is recorded by provider, with the key it carried.
 */
import http from 'node:http';
import type { AddressInfo } from 'node:net';

export interface KeyCheckApi {
  readonly url: string;
  readonly host: string;
  readonly seen: Array<{ provider: string; key: string | undefined }>;
  close(): Promise<void>;
}

const keyOf = (provider: string, req: http.IncomingMessage): string | undefined => {
  if (provider === 'openai') return req.headers.authorization?.replace(/^Bearer /, '');
  if (provider === 'anthropic') return req.headers['anthropic-version'] ? (req.headers['x-api-key'] as string | undefined) : undefined;
  return req.headers['x-goog-api-key'] as string | undefined;
};

export async function startKeyCheckApi(refuse: ReadonlyArray<string> = []): Promise<KeyCheckApi> {
  const seen: KeyCheckApi['seen'] = [];
  const server = http.createServer((req, res) => {
    const provider = /^\/(openai|anthropic|google)\//.exec(req.url ?? '')?.[1] ?? 'unknown';
    const key = keyOf(provider, req);
    seen.push({ provider, key });
    const good = provider !== 'unknown' && key !== undefined && !refuse.includes(key);
    // Google refuses an unknown key with 400 API_KEY_INVALID, the others with 401.
    const status = good ? 200 : provider === 'google' ? 400 : 401;
    res.writeHead(status, { 'content-type': 'application/json' });
    res.end(good ? '{"data":[{"id":"model-1"}],"models":[{"name":"models/model-1"}]}' : provider === 'google' ? '{"error":{"status":"INVALID_ARGUMENT","details":[{"reason":"API_KEY_INVALID"}]}}' : '{"error":{"type":"authentication_error"}}');
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const host = `127.0.0.1:${(server.address() as AddressInfo).port}`;
  return {
    url: `http://${host}`,
    host,
    seen,
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}

/** providers.json entries pointing OpenAI's, Anthropic's and Google's key checks at `base`. */
export function keyChecksAt(base: string): Record<string, { apiKeyCheck: { url: string; auth: string; headers?: Record<string, string> } }> {
  return {
    openai: { apiKeyCheck: { url: `${base}/openai/v1/models`, auth: 'bearer' } },
    anthropic: { apiKeyCheck: { url: `${base}/anthropic/v1/models?limit=1`, auth: 'x-api-key', headers: { 'anthropic-version': '2023-06-01' } } },
    google: { apiKeyCheck: { url: `${base}/google/v1beta/models?pageSize=1`, auth: 'x-goog-api-key' } },
  };
}

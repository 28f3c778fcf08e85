import type { FetchFunction } from '../auth/oauth-client.js';
import { SyncError } from './sync-errors.js';

/** The sync server's HTTP API (see the sync API contract), with every failure as a SyncError. */

export interface ServerInfo {
  readonly name: string;
  readonly version: string;
  readonly issuer: string;
  readonly clientId: string;
  readonly scopes: ReadonlyArray<string>;
}

export type PutOutcome<T> = { readonly ok: true; readonly version: number } | { readonly ok: false; readonly version: number; readonly current: T };

export type LeaseOutcome = { readonly granted: true; readonly expiresAt: number } | { readonly granted: false; readonly holder: string; readonly expiresAt: number };

const LOOPBACK = /^(127\.\d+\.\d+\.\d+|localhost|\[::1\])$/;
const REQUEST_TIMEOUT_MS = 15_000;

/** The base URL as the API uses it; plain http only to this machine unless explicitly allowed. */
export function normalizeServerUrl(input: string, allowInsecureHttp = false): string {
  let url: URL;
  try {
    url = new URL(input);
  } catch {
    throw new SyncError('invalid_server', `${JSON.stringify(input)} is not a URL; give the sync server's address, e.g. https://sync.example.com.`);
  }
  if (url.protocol !== 'https:' && url.protocol !== 'http:') throw new SyncError('invalid_server', 'The sync server address must start with https://.');
  if (url.protocol === 'http:' && !LOOPBACK.test(url.hostname) && !allowInsecureHttp) {
    throw new SyncError(
      'insecure_server',
      `${url.host} is reached over plain http, which anyone on the network could read. Use https://, or allow insecure http explicitly.`,
    );
  }
  if (url.username || url.password || url.search || url.hash) throw new SyncError('invalid_server', 'The sync server address must not carry a user, query or fragment.');
  return url.href.replace(/\/+$/, '');
}

export interface SyncClientOptions {
  readonly server: string;
  readonly fetch?: FetchFunction;
  /** The current access token (refreshed by the caller when expired). */
  readonly accessToken: () => Promise<string>;
  /** Called once on a 401: refresh the sync token; false when that is impossible (sign in again). */
  readonly refreshAccessToken: (rejected: string) => Promise<boolean>;
  readonly deviceId?: () => string | undefined;
}

interface ErrorBody {
  error?: { code?: string; message?: string };
  version?: number;
  blob?: string | null;
  envelope?: unknown;
  holder?: string;
  expiresAt?: string;
  granted?: boolean;
}

export class SyncClient {
  private readonly fetch: FetchFunction;

  constructor(private readonly options: SyncClientOptions) {
    this.fetch = options.fetch ?? fetch;
  }

  get server(): string {
    return this.options.server;
  }

  /** Discovery, without auth. */
  static async info(server: string, fetchFn: FetchFunction = fetch): Promise<ServerInfo> {
    const response = await send(fetchFn, `${server}/api/v1/info`, { method: 'GET', headers: { accept: 'application/json' } }, server);
    if (!response.ok) throw new SyncError('invalid_server', `${server} did not answer like an Agent Relay sync server (HTTP ${response.status}).`);
    const body = (await response.json().catch(() => undefined)) as Partial<ServerInfo> | undefined;
    if (!body || typeof body.issuer !== 'string' || typeof body.clientId !== 'string') {
      throw new SyncError('invalid_server', `${server} did not answer like an Agent Relay sync server.`);
    }
    return { name: String(body.name ?? ''), version: String(body.version ?? ''), issuer: body.issuer, clientId: body.clientId, scopes: Array.isArray(body.scopes) ? body.scopes.map(String) : [] };
  }

  async registerDevice(name: string): Promise<{ id: string }> {
    const { body } = await this.call('POST', '/devices', { name }, [201, 200]);
    if (typeof body.id !== 'string') throw new SyncError('server_error', 'The sync server did not return a device id.');
    return { id: body.id as string };
  }

  async getVault(): Promise<{ version: number; blob: string | null }> {
    const { body } = await this.call('GET', '/vault');
    return { version: Number(body.version ?? 0), blob: typeof body.blob === 'string' ? body.blob : null };
  }

  async putVault(baseVersion: number, blob: string): Promise<PutOutcome<string | null>> {
    const { status, body } = await this.call('PUT', '/vault', { baseVersion, blob }, [200], [409]);
    if (status === 409) return { ok: false, version: Number(body.version ?? 0), current: typeof body.blob === 'string' ? body.blob : null };
    return { ok: true, version: Number(body.version) };
  }

  async deleteVault(): Promise<void> {
    await this.call('DELETE', '/vault', undefined, [204, 200]);
  }

  async getKey(): Promise<{ version: number; envelope: unknown }> {
    const { body } = await this.call('GET', '/key');
    return { version: Number(body.version ?? 0), envelope: body.envelope ?? null };
  }

  async putKey(baseVersion: number, envelope: unknown): Promise<PutOutcome<unknown>> {
    const { status, body } = await this.call('PUT', '/key', { baseVersion, envelope }, [200], [409]);
    if (status === 409) return { ok: false, version: Number(body.version ?? 0), current: body.envelope ?? null };
    return { ok: true, version: Number(body.version) };
  }

  async acquireLease(key: string, ttlSeconds: number): Promise<LeaseOutcome> {
    const { status, body } = await this.call('POST', `/leases/${encodeURIComponent(key)}`, { ttlSeconds }, [200], [409]);
    const expiresAt = Date.parse(String(body.expiresAt ?? '')) || Date.now() + ttlSeconds * 1000;
    if (status === 409) return { granted: false, holder: String(body.holder ?? ''), expiresAt };
    return { granted: true, expiresAt };
  }

  async releaseLease(key: string): Promise<void> {
    await this.call('DELETE', `/leases/${encodeURIComponent(key)}`, undefined, [204, 200], [409]);
  }

  /** One API call: a 401 refreshes the sync token once and retries; a second 401 means sign in again. */
  private async call(
    method: 'GET' | 'POST' | 'PUT' | 'DELETE',
    path: string,
    payload?: unknown,
    okStatuses: ReadonlyArray<number> = [200],
    expectedErrors: ReadonlyArray<number> = [],
  ): Promise<{ status: number; body: ErrorBody & Record<string, unknown> }> {
    for (let attempt = 0; ; attempt++) {
      const token = await this.options.accessToken();
      const deviceId = this.options.deviceId?.();
      const response = await send(
        this.fetch,
        `${this.options.server}/api/v1${path}`,
        {
          method,
          headers: {
            accept: 'application/json',
            authorization: `Bearer ${token}`,
            ...(deviceId ? { 'x-device-id': deviceId } : {}),
            ...(payload !== undefined ? { 'content-type': 'application/json' } : {}),
          },
          ...(payload !== undefined ? { body: JSON.stringify(payload) } : {}),
        },
        this.options.server,
      );
      const text = await response.text().catch(() => '');
      let body: ErrorBody & Record<string, unknown> = {};
      try {
        body = text ? (JSON.parse(text) as typeof body) : {};
      } catch {
        // A proxy's HTML error page: the status says enough.
      }
      if (okStatuses.includes(response.status) || expectedErrors.includes(response.status)) return { status: response.status, body };
      if (response.status === 401) {
        if (attempt === 0 && (await this.options.refreshAccessToken(token))) continue;
        throw new SyncError('needs_signin', 'The sync server no longer accepts this sign-in. Sign in to it again.');
      }
      throw errorFor(response.status, body, response.headers.get('retry-after'));
    }
  }
}

async function send(fetchFn: FetchFunction, url: string, init: RequestInit, server: string): Promise<Response> {
  try {
    return await fetchFn(url, { ...init, signal: AbortSignal.timeout(REQUEST_TIMEOUT_MS) });
  } catch (error) {
    const cause = (error as { cause?: { code?: string } }).cause?.code ?? (error as Error).name;
    throw new SyncError('offline', `The sync server ${server} cannot be reached (${cause}); changes are kept on this device.`);
  }
}

function errorFor(status: number, body: ErrorBody, retryAfter: string | null): SyncError {
  const said = body.error?.message ? `: ${body.error.message}` : '';
  switch (body.error?.code) {
    case 'device_revoked':
      return new SyncError('device_revoked', 'This device was removed from your sync account. Turn sync on again to re-register it.');
    case 'too_large':
      return new SyncError('too_large', 'The encrypted vault is larger than the sync server accepts.');
    case 'rate_limited':
      return new SyncError('rate_limited', `The sync server asks to slow down${retryAfter ? ` (retry in ${retryAfter} s)` : ''}.`);
    default:
      break;
  }
  if (status === 403) return new SyncError('device_revoked', `The sync server refused this device${said}.`);
  if (status === 413) return new SyncError('too_large', 'The encrypted vault is larger than the sync server accepts.');
  if (status === 429) return new SyncError('rate_limited', 'The sync server asks to slow down.');
  if (status >= 500) return new SyncError('offline', `The sync server had a problem (HTTP ${status}); changes are kept on this device and sent later.`);
  return new SyncError('server_error', `The sync server refused the request (HTTP ${status})${said}.`);
}

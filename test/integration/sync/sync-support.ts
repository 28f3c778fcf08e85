import fs from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, expect } from 'vitest';
import type { MethodArgs, MethodName, MethodResult, SignInProgress, SyncStatus } from '../../../preload/contract.js';
import { BridgeError } from '../../../main/core/bridge/errors.js';
import { createService, type RelayService, type ServiceOptions } from '../../../main/core/service.js';
import { JsonFileSettingsStore } from '../../../main/core/settings/settings-store.js';
import { captureLogger } from '../../support/capture-logger.js';
import { makeTempDir } from '../../support/temp-dir.js';
import { approveDevice } from '../../support/cloud-server.js';
import { readProvidersJson, writeProvidersJson } from '../../support/auth-fixtures.js';
import { keyChecksAt, startKeyCheckApi, type KeyCheckApi } from '../../support/key-check-api.js';

/**
 * The real sync server from cloud/ as a child process on 127.0.0.1, its users made with its own
 * CLI, and desktop "devices" (a service each, over its own data dir) that sign in to it by device
 * code while the test plays the person at the server's own pages with plain HTTP.
 */

export { addUser, runCloud, startCloud, type CloudServer } from '../../support/cloud-server.js';
export { approveDevice };

/** An access token for the API as the test's own client (to look at what the server holds). */
export async function apiToken(server: string, email: string, password: string): Promise<string> {
  const issuer = `${server}/oidc`;
  const post = async (endpoint: string, params: Record<string, string>) => {
    const response = await fetch(`${issuer}${endpoint}`, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded', accept: 'application/json' },
      body: new URLSearchParams({ client_id: 'agent-relay-desktop', ...params }).toString(),
    });
    return (await response.json()) as Record<string, string>;
  };
  const device = await post('/device/auth', { scope: 'openid email offline_access' });
  await approveDevice(device.verification_uri!, device.user_code!, email, password);
  const tokens = await post('/token', { grant_type: 'urn:ietf:params:oauth:grant-type:device_code', device_code: device.device_code! });
  if (!tokens.access_token) throw new Error(`no token: ${JSON.stringify(tokens)}`);
  return tokens.access_token;
}

export async function api(server: string, token: string, method: string, route: string, body?: unknown): Promise<{ status: number; body: Record<string, unknown> }> {
  const response = await fetch(`${server}/api/v1${route}`, {
    method,
    headers: { authorization: `Bearer ${token}`, accept: 'application/json', ...(body !== undefined ? { 'content-type': 'application/json' } : {}) },
    ...(body !== undefined ? { body: JSON.stringify(body) } : {}),
  });
  const text = await response.text();
  return { status: response.status, body: text ? (JSON.parse(text) as Record<string, unknown>) : {} };
}

// ── Desktop devices ──────────────────────────────────────────────────────────────────────────────

export interface Device {
  readonly name: string;
  readonly dir: string;
  readonly service: RelayService;
  readonly statuses: SyncStatus[];
  readonly signIns: SignInProgress[];
  /** Every contract event the daemon emitted, in order. */
  readonly events: Array<{ event: string; payload: unknown }>;
  readonly logLines: string[];
  call<M extends MethodName>(method: M, ...args: MethodArgs<M>): Promise<MethodResult<M>>;
  close(): Promise<void>;
}

/** The built-in providers' key checks, on loopback for every test file that uses these devices. */
let keyApi: KeyCheckApi | undefined;
beforeAll(async () => {
  keyApi = await startKeyCheckApi();
});
afterAll(async () => {
  await keyApi?.close();
});

export function openDevice(name: string, extra: Partial<ServiceOptions> = {}, dir?: string): Device {
  const tmp = dir ? { dir, cleanup: () => undefined } : makeTempDir(`sync-${name}-`);
  if (!keyApi) throw new Error('openDevice runs inside a test (the key-check API starts in beforeAll)');
  // A key saved for OpenAI, Anthropic or Google is checked here, never on the internet (added to
  // whatever providers.json the test already wrote).
  writeProvidersJson(tmp.dir, { ...readProvidersJson(tmp.dir), ...keyChecksAt(keyApi.url) });
  const home = makeTempDir(`sync-home-${name}-`);
  const captured = captureLogger(path.join(tmp.dir, 'logs'));
  const service = createService({
    host: 'headless',
    version: 't',
    dataDir: tmp.dir,
    settingsStore: new JsonFileSettingsStore(tmp.dir),
    logger: captured.logger,
    home: home.dir,
    sync: { deviceName: name, debounceMs: 50, periodMs: 10 * 60_000 },
    ...extra,
  });
  const statuses: SyncStatus[] = [];
  const signIns: SignInProgress[] = [];
  const events: Array<{ event: string; payload: unknown }> = [];
  service.events.subscribe((event, payload) => {
    events.push({ event, payload });
    if (event === 'sync.changed') statuses.push(payload as SyncStatus);
    if (event === 'sync.signIn') signIns.push(payload as SignInProgress);
  });
  return {
    name,
    dir: tmp.dir,
    service,
    statuses,
    signIns,
    events,
    logLines: captured.lines,
    async call<M extends MethodName>(method: M, ...args: MethodArgs<M>): Promise<MethodResult<M>> {
      const reply = await service.dispatcher.dispatch(method, args);
      if (!reply.ok) throw new BridgeError(reply.error.code, reply.error.message);
      return reply.value as MethodResult<M>;
    },
    async close() {
      await service.close();
      if (!dir) tmp.cleanup();
      home.cleanup();
    },
  };
}

/** Signs the device in to the sync server, playing the person who approves the code. */
export async function signInDevice(device: Device, server: string, email: string, password: string): Promise<void> {
  const { flowId } = await device.call('sync.login', { server });
  const code = await waitFor(() => device.signIns.find((p) => p.flowId === flowId && (p.phase === 'device-code' || p.phase === 'error')));
  if (code.phase === 'error') throw new Error(`sync sign-in failed: ${code.error?.message}`);
  await approveDevice(code.verificationUri!, code.userCode!, email, password);
  const done = await waitFor(() => device.signIns.find((p) => p.flowId === flowId && (p.phase === 'connected' || p.phase === 'error')), 20_000);
  if (done.phase !== 'connected') throw new Error(`sync sign-in failed: ${done.error?.message}`);
  await waitFor(() => device.statuses.find((s) => s.state === 'needs_passphrase' || s.state === 'up_to_date'));
}

export async function waitFor<T>(probe: () => T | undefined | false, timeout = 15_000): Promise<T> {
  let found: T | undefined | false;
  await expect.poll(() => (found = probe()), { timeout, interval: 50 }).toBeTruthy();
  return found as T;
}

export async function connectedProviders(device: Device): Promise<string[]> {
  const state = await device.call('providers.list');
  return state.providers.filter((p) => p.accounts.some((a) => a.state === 'connected')).map((p) => p.id);
}

/** Every file under `dir` as latin1 text (the SQLite database and its journal included). */
export function allFileBytes(dir: string): string {
  let text = '';
  for (const entry of fs.readdirSync(dir, { withFileTypes: true, recursive: true })) {
    if (entry.isFile()) text += fs.readFileSync(path.join(entry.parentPath, entry.name), 'latin1');
  }
  return text;
}

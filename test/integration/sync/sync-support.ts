import { spawn } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { expect } from 'vitest';
import type { MethodArgs, MethodName, MethodResult, SignInProgress, SyncStatus } from '../../../preload/contract.js';
import { BridgeError } from '../../../main/core/bridge/errors.js';
import { createService, type RelayService, type ServiceOptions } from '../../../main/core/service.js';
import { JsonFileSettingsStore } from '../../../main/core/settings/settings-store.js';
import { captureLogger } from '../../support/capture-logger.js';
import { makeTempDir } from '../../support/temp-dir.js';

/**
 * The real sync server from cloud/ as a child process on 127.0.0.1, its users made with its own
 * CLI, and desktop "devices" (a service each, over its own data dir) that sign in to it by device
 * code while the test plays the person at the server's own pages with plain HTTP.
 */

const CLOUD_BIN = fileURLToPath(new URL('../../../cloud/bin/agent-relay-cloud.js', import.meta.url));

export interface CloudServer {
  readonly url: string;
  readonly dataDir: string;
  stop(): Promise<void>;
}

export function runCloud(args: ReadonlyArray<string>, input = ''): Promise<{ code: number | null; stdout: string; stderr: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [CLOUD_BIN, ...args], { stdio: ['pipe', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    child.on('error', reject);
    child.on('close', (code) => resolve({ code, stdout, stderr }));
    child.stdin.end(input);
  });
}

export async function addUser(dataDir: string, email: string, password: string): Promise<void> {
  const result = await runCloud(['users', 'add', email, '--password-stdin', '--data-dir', dataDir], `${password}\n`);
  if (result.code !== 0) throw new Error(`users add failed: ${result.stderr}`);
}

export function startCloud(dataDir: string, port = 0): Promise<CloudServer> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [CLOUD_BIN, 'serve', '--json', '--host', '127.0.0.1', '--port', String(port), '--data-dir', dataDir], { stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    let settled = false;
    const exited = new Promise<void>((r) => child.on('exit', () => r()));
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    child.stdout.on('data', (d: Buffer) => {
      stdout += d.toString();
      const newline = stdout.indexOf('\n');
      if (settled || newline < 0) return;
      settled = true;
      const event = JSON.parse(stdout.slice(0, newline)) as { url: string };
      resolve({
        url: event.url,
        dataDir,
        stop: async () => {
          if (child.exitCode === null && child.signalCode === null) child.kill('SIGTERM');
          await exited;
        },
      });
    });
    child.on('exit', (code) => {
      if (!settled) {
        settled = true;
        reject(new Error(`agent-relay-cloud serve exited with ${code}: ${stderr}`));
      }
    });
  });
}

// ── The person at the browser ────────────────────────────────────────────────────────────────────

function decodeEntities(text: string): string {
  return text.replace(/&amp;/g, '&').replace(/&quot;/g, '"').replace(/&#39;/g, "'").replace(/&lt;/g, '<').replace(/&gt;/g, '>');
}

class Browser {
  private readonly cookies = new Map<string, string>();

  async visit(url: string, form?: Record<string, string>): Promise<{ url: string; status: number; html: string }> {
    let current = url;
    let body = form ? new URLSearchParams(form).toString() : undefined;
    for (let hops = 0; hops < 20; hops++) {
      const cookie = [...this.cookies].map(([k, v]) => `${k}=${v}`).join('; ');
      const response = await fetch(current, {
        method: body === undefined ? 'GET' : 'POST',
        redirect: 'manual',
        headers: { accept: 'text/html', ...(cookie ? { cookie } : {}), ...(body !== undefined ? { 'content-type': 'application/x-www-form-urlencoded' } : {}) },
        body,
      });
      for (const header of response.headers.getSetCookie()) {
        const pair = header.split(';')[0] ?? '';
        const eq = pair.indexOf('=');
        if (eq > 0) this.cookies.set(pair.slice(0, eq).trim(), pair.slice(eq + 1).trim());
      }
      const location = response.headers.get('location');
      if (response.status >= 300 && response.status < 400 && location) {
        await response.arrayBuffer();
        current = new URL(location, current).href;
        body = undefined;
        continue;
      }
      return { url: current, status: response.status, html: await response.text() };
    }
    throw new Error(`Too many redirects from ${url}`);
  }

  async submit(page: { url: string; html: string }, formId: string, values: Record<string, string> = {}) {
    const match = [...page.html.matchAll(/<form\b([^>]*)>([\s\S]*?)<\/form>/gi)].find((f) => (f[1] ?? '').includes(`id="${formId}"`));
    if (!match) throw new Error(`No form #${formId} on ${page.url}: ${page.html.slice(0, 400)}`);
    const action = new URL(decodeEntities(/action="([^"]*)"/i.exec(match[1] ?? '')?.[1] ?? page.url), page.url).href;
    const fields: Record<string, string> = {};
    for (const input of (match[2] ?? '').matchAll(/<input\b([^>]*)>/gi)) {
      const name = /name="([^"]*)"/i.exec(input[1] ?? '')?.[1];
      if (name) fields[name] = decodeEntities(/value="([^"]*)"/i.exec(input[1] ?? '')?.[1] ?? '');
    }
    return this.visit(action, { ...fields, ...values });
  }
}

/** Enters the code on the server's device page, confirms, signs in with email and password, allows. */
export async function approveDevice(verificationUri: string, userCode: string, email: string, password: string): Promise<void> {
  const browser = new Browser();
  const input = await browser.visit(verificationUri);
  const confirm = await browser.submit(input, 'op.deviceInputForm', { user_code: userCode });
  let page = await browser.submit(confirm, 'op.deviceConfirmForm');
  if (page.html.includes('id="login"')) page = await browser.submit(page, 'login', { login: email, password });
  if (page.html.includes('id="consent"')) page = await browser.submit(page, 'consent');
  if (page.status !== 200) throw new Error(`device approval ended with ${page.status}: ${page.html.slice(0, 300)}`);
}

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

export function openDevice(name: string, extra: Partial<ServiceOptions> = {}, dir?: string): Device {
  const tmp = dir ? { dir, cleanup: () => undefined } : makeTempDir(`sync-${name}-`);
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

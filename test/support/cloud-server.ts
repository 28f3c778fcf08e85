/**
 * The real sync server (cloud/) for the desktop's tests (integration and browser): started with its
 * own CLI on 127.0.0.1, users added with `users add --password-stdin`, and the person at its pages
 * (device code, sign-in, consent) played with fetch and a cookie jar. cloud/test/support has the same
 * for the server's own tests; that package is a separate TypeScript project and cannot be imported.
 */
import { spawn } from 'node:child_process';
import path from 'node:path';

const CLOUD_BIN = path.resolve('cloud', 'bin', 'agent-relay-cloud.js');

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

/** `agent-relay-cloud serve --json`, resolved with the URL of its listening event. */
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
      const event = JSON.parse(stdout.slice(0, newline)) as { event: string; url: string };
      if (event.event !== 'listening') {
        reject(new Error(`agent-relay-cloud printed ${stdout.slice(0, newline)} first`));
        return;
      }
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

function decodeEntities(text: string): string {
  return text.replace(/&amp;/g, '&').replace(/&quot;/g, '"').replace(/&#39;/g, "'").replace(/&lt;/g, '<').replace(/&gt;/g, '>');
}

export interface ServerPage {
  readonly url: string;
  readonly status: number;
  readonly html: string;
}

/** A browser without JavaScript: follows redirects, keeps cookies, submits forms by id. */
export class FormBrowser {
  private readonly cookies = new Map<string, string>();

  async visit(url: string, form?: Record<string, string>): Promise<ServerPage> {
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

  submit(page: ServerPage, formId: string, values: Record<string, string> = {}): Promise<ServerPage> {
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

/** Enters the code on the server's device page, confirms, signs in, allows; returns the last page. */
export async function approveDevice(verificationUri: string, userCode: string, email: string, password: string): Promise<ServerPage> {
  const browser = new FormBrowser();
  const input = await browser.visit(verificationUri);
  const confirm = await browser.submit(input, 'op.deviceInputForm', { user_code: userCode });
  let page = await browser.submit(confirm, 'op.deviceConfirmForm');
  if (page.html.includes('id="login"')) page = await browser.submit(page, 'login', { login: email, password });
  if (page.html.includes('id="consent"')) page = await browser.submit(page, 'consent');
  if (page.status !== 200) throw new Error(`device approval ended with ${page.status}: ${page.html.slice(0, 300)}`);
  return page;
}

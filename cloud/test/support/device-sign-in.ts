/**
 * The desktop app's sign-in, played over plain HTTP: the device authorization request and token
 * polling as the app does them, and the person at the browser who enters the code on the server's
 * own pages, signs in with email and password and allows access (cookies kept in a jar).
 */

export const CLIENT_ID = 'agent-relay-desktop';
export const DEVICE_GRANT = 'urn:ietf:params:oauth:grant-type:device_code';

export interface Tokens {
  readonly access_token: string;
  readonly refresh_token?: string;
  readonly id_token?: string;
  readonly expires_in: number;
  readonly scope: string;
}

class CookieJar {
  private readonly cookies = new Map<string, string>();

  store(response: Response): void {
    for (const header of response.headers.getSetCookie()) {
      const [pair, ...attributes] = header.split(';');
      const eq = pair?.indexOf('=') ?? -1;
      if (!pair || eq < 0) continue;
      const name = pair.slice(0, eq).trim();
      const value = pair.slice(eq + 1).trim();
      const expired = attributes.some((a) => /^\s*expires=/i.test(a) && Date.parse(a.split('=')[1] ?? '') < Date.now());
      if (expired || value === '') this.cookies.delete(name);
      else this.cookies.set(name, value);
    }
  }

  header(): string {
    return [...this.cookies].map(([k, v]) => `${k}=${v}`).join('; ');
  }
}

function decodeEntities(text: string): string {
  return text.replace(/&amp;/g, '&').replace(/&quot;/g, '"').replace(/&#39;/g, "'").replace(/&lt;/g, '<').replace(/&gt;/g, '>');
}

export interface Page {
  readonly url: string;
  readonly status: number;
  readonly html: string;
}

/** A form as a browser sees it: its action and the values of its inputs. */
export function parseForm(html: string, baseUrl: string, formId: string): { action: string; fields: Record<string, string> } {
  const match = [...html.matchAll(/<form\b([^>]*)>([\s\S]*?)<\/form>/gi)].find((f) => (f[1] ?? '').includes(`id="${formId}"`));
  if (!match) throw new Error(`No form #${formId} on ${baseUrl}: ${html.slice(0, 400)}`);
  const action = /action="([^"]*)"/i.exec(match[1] ?? '')?.[1] ?? baseUrl;
  const fields: Record<string, string> = {};
  for (const input of (match[2] ?? '').matchAll(/<input\b([^>]*)>/gi)) {
    const attrs = input[1] ?? '';
    const name = /name="([^"]*)"/i.exec(attrs)?.[1];
    if (name) fields[name] = decodeEntities(/value="([^"]*)"/i.exec(attrs)?.[1] ?? '');
  }
  return { action: new URL(decodeEntities(action), baseUrl).href, fields };
}

export class Browser {
  private readonly jar = new CookieJar();

  async visit(url: string, form?: Record<string, string>): Promise<Page> {
    let current = url;
    let body = form ? new URLSearchParams(form).toString() : undefined;
    for (let hops = 0; hops < 20; hops++) {
      const response = await fetch(current, {
        method: body === undefined ? 'GET' : 'POST',
        redirect: 'manual',
        headers: { accept: 'text/html', ...(this.jar.header() ? { cookie: this.jar.header() } : {}), ...(body !== undefined ? { 'content-type': 'application/x-www-form-urlencoded' } : {}) },
        body,
      });
      this.jar.store(response);
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

  async submit(page: Page, formId: string, values: Record<string, string> = {}): Promise<Page> {
    const form = parseForm(page.html, page.url, formId);
    return this.visit(form.action, { ...form.fields, ...values });
  }
}

export interface DeviceAuthorization {
  readonly device_code: string;
  readonly user_code: string;
  readonly verification_uri: string;
  readonly verification_uri_complete?: string;
  readonly expires_in: number;
  readonly interval?: number;
}

export async function startDeviceAuthorization(issuer: string, scope = 'openid email offline_access'): Promise<DeviceAuthorization> {
  const response = await fetch(`${issuer}/device/auth`, {
    method: 'POST',
    headers: { 'content-type': 'application/x-www-form-urlencoded', accept: 'application/json' },
    body: new URLSearchParams({ client_id: CLIENT_ID, scope }).toString(),
  });
  if (response.status !== 200) throw new Error(`device authorization failed: ${response.status} ${await response.text()}`);
  return (await response.json()) as DeviceAuthorization;
}

export async function tokenRequest(issuer: string, params: Record<string, string>): Promise<{ status: number; body: Record<string, unknown> }> {
  const response = await fetch(`${issuer}/token`, {
    method: 'POST',
    headers: { 'content-type': 'application/x-www-form-urlencoded', accept: 'application/json' },
    body: new URLSearchParams({ client_id: CLIENT_ID, ...params }).toString(),
  });
  return { status: response.status, body: (await response.json()) as Record<string, unknown> };
}

/** The person: opens the verification page, enters the code, confirms, signs in and allows access. */
export async function approveInBrowser(browser: Browser, authorization: DeviceAuthorization, email: string, password: string): Promise<Page> {
  const input = await browser.visit(authorization.verification_uri);
  const confirm = await browser.submit(input, 'op.deviceInputForm', { user_code: authorization.user_code });
  let page = await browser.submit(confirm, 'op.deviceConfirmForm');
  if (page.html.includes('id="login"')) page = await browser.submit(page, 'login', { login: email, password });
  if (page.html.includes('id="consent"')) page = await browser.submit(page, 'consent');
  return page;
}

/** The whole device sign-in for one user: returns the tokens the app would get. */
export async function signIn(issuer: string, email: string, password: string): Promise<Tokens> {
  const authorization = await startDeviceAuthorization(issuer);
  const pending = await tokenRequest(issuer, { grant_type: DEVICE_GRANT, device_code: authorization.device_code });
  if (pending.body.error !== 'authorization_pending') throw new Error(`expected authorization_pending, got ${JSON.stringify(pending.body)}`);
  const done = await approveInBrowser(new Browser(), authorization, email, password);
  if (!done.html.includes('Device connected')) throw new Error(`sign-in did not finish: ${done.status} ${done.html.slice(0, 500)}`);
  const tokens = await tokenRequest(issuer, { grant_type: DEVICE_GRANT, device_code: authorization.device_code });
  if (tokens.status !== 200) throw new Error(`token request failed: ${JSON.stringify(tokens.body)}`);
  return tokens.body as unknown as Tokens;
}

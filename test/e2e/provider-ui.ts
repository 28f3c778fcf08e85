import fs from 'node:fs';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { test as base, expect, type Locator, type Page } from '@playwright/test';
import { customOidcEntry, writeProvidersJson } from '../support/auth-fixtures.js';
import { freshDataDir, startHost, type RunningHost } from '../support/headless-host.js';
import { keyChecksAt, startKeyCheckApi, type KeyCheckApi } from '../support/key-check-api.js';
import { startOidcServer, type OidcServer, type OidcServerOptions } from '../support/oidc-server.js';

export { expect };

/**
 * A real OAuth server (oidc-provider on 127.0.0.1) configured through providers.json as the custom
 * provider "test-oidc", the built-ins' API-key checks on loopback (keys starting "sk-refused" are
 * refused), and a headless host started on that data dir.
 */
export const test = base.extend<{ oidcOptions: OidcServerOptions; oidc: OidcServer; codePage: string; keyApi: KeyCheckApi; host: RunningHost }>({
  oidcOptions: [{ deviceInterval: 1 }, { option: true }],
  oidc: async ({ oidcOptions }, use) => {
    const oidc = await startOidcServer(oidcOptions);
    try {
      await use(oidc);
    } finally {
      await oidc.close();
    }
  },
  // Stands in for a provider's "copy this code" page (Anthropic's code callback): shows code#state.
  // eslint-disable-next-line no-empty-pattern
  codePage: async ({}, use) => {
    const server = http.createServer((req, res) => {
      const url = new URL(req.url ?? '/', 'http://127.0.0.1');
      res.writeHead(200, { 'content-type': 'text/html' });
      res.end(`<p>Paste this code into your app:</p><code id="code">${url.searchParams.get('code')}#${url.searchParams.get('state')}</code>`);
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    try {
      await use(`http://127.0.0.1:${(server.address() as AddressInfo).port}/callback`);
    } finally {
      await new Promise<void>((resolve) => server.close(() => resolve()));
    }
  },
  // eslint-disable-next-line no-empty-pattern
  keyApi: async ({}, use) => {
    const api = await startKeyCheckApi(['sk-refused-0123456789']);
    try {
      await use(api);
    } finally {
      await api.close();
    }
  },
  host: async ({ oidc, codePage, keyApi }, use) => {
    const dataDir = freshDataDir();
    writeProvidersJson(dataDir, {
      ...keyChecksAt(keyApi.url),
      'test-oidc': customOidcEntry(oidc.issuer, { methods: ['browser', 'device', 'paste', 'api-key'], pasteRedirectUri: codePage }),
    });
    const host = await startHost({ dataDir });
    try {
      await use(host);
    } finally {
      await host.stop();
      fs.rmSync(host.dataDir, { recursive: true, force: true });
    }
  },
});

export async function gotoHash(page: Page, hash: string): Promise<void> {
  await page.evaluate((h) => {
    location.hash = h;
  }, hash);
}

/** The code#state a code page shows. */
export function shownCode(html: string): string {
  const code = /<code id="code">([^<]*)<\/code>/.exec(html)?.[1];
  if (!code) throw new Error(`no code on the page: ${html.slice(0, 200)}`);
  return code;
}

/** Opens the dashboard link and waits for the app (the link's first page trades the token for a cookie). */
export async function openApp(page: Page, host: RunningHost): Promise<void> {
  await page.goto(host.url);
  await expect(page.getByRole('navigation', { name: 'Main' })).toBeVisible();
}

/** Opens the dashboard link and goes to Providers; returns the test provider's card. */
export async function openProviders(page: Page, host: RunningHost): Promise<Locator> {
  await openApp(page, host);
  await gotoHash(page, '#/providers');
  await expect(page.getByRole('heading', { level: 1, name: 'Providers' })).toBeVisible();
  const card = page.getByTestId('provider-test-oidc');
  await expect(card.getByRole('heading', { name: 'Test OIDC' })).toBeVisible();
  return card;
}

export async function chooseOtherWay(card: Locator, item: string | RegExp): Promise<void> {
  await card.getByRole('button', { name: 'Other ways to sign in' }).click();
  await card.page().getByRole('menuitem', { name: item }).click();
}

/** Starts a device-code sign-in on the card and reads the code and address the dialog shows. */
export async function startDeviceSignIn(card: Locator): Promise<{ dialog: Locator; userCode: string; verificationUri: string }> {
  await chooseOtherWay(card, /Use a device code/);
  const dialog = card.page().getByRole('dialog', { name: 'Sign in to Test OIDC' });
  const code = dialog.getByTestId('device-code');
  await expect(code).toHaveText(/\S{4,}/);
  const userCode = (await code.textContent())!.trim();
  const verificationUri = (await dialog.getByTestId('verification-uri').textContent())!.trim();
  return { dialog, userCode, verificationUri };
}

import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { request as playwrightRequest } from '@playwright/test';
import WebSocket from 'ws';
import { expect, openDashboard, test } from './fixtures.js';

const FOREIGN_ORIGIN = 'http://evil.example';

test('opening the dashboard without its token shows the "needs its link" page (no data)', async ({ page, host }) => {
  const response = await page.goto(`${host.origin}/`);
  expect(response?.status()).toBe(200);
  await expect(page.getByRole('heading', { name: 'This Agent Relay dashboard needs its link' })).toBeVisible();
  await expect(page.getByText('#token=')).toBeVisible();
  await expect(page.getByRole('navigation')).toHaveCount(0);
  const html = await response!.text();
  expect(html).not.toContain(host.dataDir);
  expect(html).not.toContain('id="root"');
});

test('a link with a wrong token says so and never shows the app', async ({ page, context, host }) => {
  const response = await page.goto(`${host.origin}/#token=not-the-token`);
  expect(response?.status()).toBe(200);
  await expect(page.getByText('The token in this link is not the one this dashboard was started with')).toBeVisible();
  await expect(page.locator('body')).toHaveAttribute('data-state', 'wrong-token');
  await expect(page.getByRole('navigation')).toHaveCount(0);
  expect(await context.cookies()).toEqual([]);
});

test('a request with a foreign Origin gets 403 and no data, even with the right token', async ({ host }) => {
  const api = await playwrightRequest.newContext({
    extraHTTPHeaders: { Origin: FOREIGN_ORIGIN, Authorization: `Bearer ${host.token}` },
  });
  try {
    for (const target of ['/', '/index.html', '/_auth']) {
      const response = target === '/_auth' ? await api.post(`${host.origin}${target}`) : await api.get(`${host.origin}${target}`);
      expect(response.status(), target).toBe(403);
      expect(response.headers()['set-cookie'], target).toBeUndefined();
      const body = await response.text();
      expect(body).not.toContain('id="root"');
      expect(body).not.toContain(host.token);
      expect(JSON.parse(body)).toMatchObject({ error: { code: 'forbidden' } });
    }
    // The control: the same request from the dashboard's own origin is served.
    const own = await playwrightRequest.newContext({ extraHTTPHeaders: { Origin: host.origin, Authorization: `Bearer ${host.token}` } });
    const served = await own.get(`${host.origin}/`);
    expect(served.status()).toBe(200);
    await own.dispose();
  } finally {
    await api.dispose();
  }
});

test('the WebSocket refuses a foreign Origin with 403, even with the right token', async ({ host }) => {
  const attempt = (origin: string) =>
    new Promise<{ opened: boolean; status?: number; body?: string }>((resolve) => {
      const ws = new WebSocket(`${host.origin.replace('http', 'ws')}/ws`, {
        origin,
        headers: { Authorization: `Bearer ${host.token}` },
      });
      ws.once('open', () => {
        ws.close();
        resolve({ opened: true });
      });
      ws.once('unexpected-response', (_req, res) => {
        let body = '';
        res.setEncoding('utf8').on('data', (chunk: string) => (body += chunk));
        res.on('end', () => resolve({ opened: false, status: res.statusCode, body }));
      });
      ws.once('error', () => resolve({ opened: false }));
    });

  const foreign = await attempt(FOREIGN_ORIGIN);
  expect(foreign.opened).toBe(false);
  expect(foreign.status).toBe(403);
  expect(foreign.body).not.toContain('settings');
  // The control: the dashboard's own origin is let in.
  expect((await attempt(host.origin)).opened).toBe(true);
});

test('a page on another local port cannot use the dashboard session over the WebSocket', async ({ page, host }) => {
  // Another site on this machine: same host name, other port, so the browser sends the session cookie.
  const evil = http.createServer((_req, res) => {
    res.writeHead(200, { 'Content-Type': 'text/html' });
    res.end('<!doctype html><title>other site</title><p>other site</p>');
  });
  await new Promise<void>((resolve) => evil.listen(0, '127.0.0.1', resolve));
  try {
    await openDashboard(page, host);
    const wsUrl = `ws://127.0.0.1:${host.port}/ws`;
    const tryWs = () =>
      page.evaluate(
        (url) =>
          new Promise<string>((resolve) => {
            const ws = new WebSocket(url);
            ws.onopen = () => {
              ws.close();
              resolve('open');
            };
            ws.onclose = () => resolve('refused');
          }),
        wsUrl,
      );
    expect(await tryWs()).toBe('open');

    await page.goto(`http://127.0.0.1:${(evil.address() as AddressInfo).port}/`);
    expect(await tryWs()).toBe('refused');
  } finally {
    await new Promise<void>((resolve) => evil.close(() => resolve()));
  }
});

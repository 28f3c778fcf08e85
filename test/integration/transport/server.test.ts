import fs from 'node:fs';
import path from 'node:path';
import WebSocket from 'ws';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { connectClient } from '../../../main/core/transport/client.js';
import { startServer, type RunningServer } from '../../../main/core/transport/server.js';
import { createService, type RelayService } from '../../../main/core/service.js';
import { JsonFileSettingsStore } from '../../../main/core/settings/settings-store.js';
import { BridgeError } from '../../../main/core/bridge/errors.js';
import { captureLogger } from '../../support/capture-logger.js';
import { makeTempDir } from '../../support/temp-dir.js';
import { rawRequest } from '../../support/http.js';

const TOKEN = 'a'.repeat(48);

describe('the headless server', () => {
  let tmp: ReturnType<typeof makeTempDir>;
  let service: RelayService;
  let server: RunningServer;
  let staticDir: string;

  beforeEach(async () => {
    tmp = makeTempDir();
    staticDir = path.join(tmp.dir, 'renderer');
    fs.mkdirSync(path.join(staticDir, 'assets'), { recursive: true });
    fs.writeFileSync(path.join(staticDir, 'index.html'), '<!doctype html><title>Agent Relay</title><div id=root></div>');
    fs.writeFileSync(path.join(staticDir, 'assets', 'app.js'), 'console.log(1)');
    fs.writeFileSync(path.join(tmp.dir, 'secret.txt'), 'outside the renderer');
    const { logger } = captureLogger();
    service = createService({ host: 'headless', version: '9.9.9', dataDir: tmp.dir, settingsStore: new JsonFileSettingsStore(tmp.dir), logger });
    server = await startServer({ service, token: TOKEN, host: '127.0.0.1', port: 0, fallbackToFreePort: false, staticDir, logger });
  });
  afterEach(async () => {
    await server.close();
    tmp.cleanup();
  });

  const host = () => `127.0.0.1:${server.port}`;

  describe('over HTTP', () => {
    it('serves the app to a request with the token and nothing without it', async () => {
      const ok = await rawRequest(server.port, { headers: { Host: host(), Authorization: `Bearer ${TOKEN}` } });
      expect(ok.status).toBe(200);
      expect(ok.body).toContain('<div id=root>');
      expect(ok.headers['content-security-policy']).toContain("script-src 'self'");

      // A browser without the token gets the sign-in page: a page, not an error status, and no app.
      const none = await rawRequest(server.port, { headers: { Host: host(), Accept: 'text/html' } });
      expect(none.status).toBe(200);
      expect(none.body).not.toContain('<div id=root>');
      expect(none.body).toContain('needs its link');

      const asset = await rawRequest(server.port, { path: '/assets/app.js', headers: { Host: host() } });
      expect(asset.status).toBe(401);
      expect(asset.body).not.toContain('console.log');
    });

    it('refuses a wrong token with 401', async () => {
      const res = await rawRequest(server.port, { path: `/?token=${'b'.repeat(48)}`, headers: { Host: host() } });
      expect(res.status).toBe(401);
      expect(JSON.parse(res.body)).toEqual({ error: { code: 'unauthorized', message: 'The token is not valid for this dashboard.' } });
    });

    it('refuses a foreign Origin or Host with 403 even with the right token', async () => {
      const foreignOrigin = await rawRequest(server.port, {
        headers: { Host: host(), Origin: 'http://evil.example', Authorization: `Bearer ${TOKEN}` },
      });
      expect(foreignOrigin.status).toBe(403);
      expect(foreignOrigin.body).not.toContain('root');
      const rebinding = await rawRequest(server.port, { headers: { Host: `evil.example:${server.port}`, Authorization: `Bearer ${TOKEN}` } });
      expect(rebinding.status).toBe(403);
      const otherPort = await rawRequest(server.port, { headers: { Host: '127.0.0.1:1', Authorization: `Bearer ${TOKEN}` } });
      expect(otherPort.status).toBe(403);
      const sameOrigin = await rawRequest(server.port, {
        headers: { Host: `localhost:${server.port}`, Origin: `http://localhost:${server.port}`, Authorization: `Bearer ${TOKEN}` },
      });
      expect(sameOrigin.status).toBe(200);
    });

    it('trades the token for an HttpOnly same-site cookie that then authenticates', async () => {
      const res = await rawRequest(server.port, { path: '/_auth', method: 'POST', headers: { Host: host(), Authorization: `Bearer ${TOKEN}` } });
      expect(res.status).toBe(204);
      const cookie = String(res.headers['set-cookie']);
      expect(cookie).toContain(`relay_token_${server.port}=${TOKEN}`);
      expect(cookie).toContain('HttpOnly');
      expect(cookie).toContain('SameSite=Strict');
      const withCookie = await rawRequest(server.port, { headers: { Host: host(), Cookie: `relay_token_${server.port}=${TOKEN}` } });
      expect(withCookie.status).toBe(200);
      const wrong = await rawRequest(server.port, { path: '/_auth', method: 'POST', headers: { Host: host(), Authorization: 'Bearer nope' } });
      expect(wrong.status).toBe(401);
      expect(wrong.headers['set-cookie']).toBeUndefined();
    });

    it('never serves a file outside the renderer folder', async () => {
      for (const p of ['/../secret.txt', '/%2e%2e/secret.txt', '/assets/..%2f..%2fsecret.txt', '/%00']) {
        const res = await rawRequest(server.port, { path: p, headers: { Host: host(), Authorization: `Bearer ${TOKEN}` } });
        expect(res.body).not.toContain('outside the renderer');
      }
    });
  });

  describe('over WebSocket', () => {
    it('answers valid calls and typed errors for bad ones', async () => {
      const client = await connectClient(`http://${host()}`, TOKEN);
      try {
        expect(await client.call('app.info')).toMatchObject({ host: 'headless', version: '9.9.9' });
        const error = await client.call('app.setSettings', { theme: 'purple' as 'dark' }).catch((e: unknown) => e);
        expect(error).toBeInstanceOf(BridgeError);
        expect(error).toMatchObject({ code: 'invalid_args' });
        // The connection survives a bad call.
        expect((await client.call('app.getSettings')).theme).toBe('system');
      } finally {
        client.close();
      }
    });

    it('answers a malformed frame with invalid_message and stays up', async () => {
      const ws = new WebSocket(`ws://${host()}/ws`, { headers: { Authorization: `Bearer ${TOKEN}` } });
      await new Promise((resolve) => ws.once('open', resolve));
      const replies: unknown[] = [];
      ws.on('message', (data) => replies.push(JSON.parse(String(data))));
      ws.send('not json');
      ws.send(JSON.stringify({ type: 'call', id: 7, method: 'app.info' }));
      ws.send(JSON.stringify({ type: 'call', id: 8, method: 'app.info', args: [] }));
      await expect.poll(() => replies.length).toBe(3);
      expect(replies[0]).toMatchObject({ type: 'reply', id: null, ok: false, error: { code: 'invalid_message' } });
      expect(replies[1]).toMatchObject({ type: 'reply', id: 7, ok: false, error: { code: 'invalid_message' } });
      expect(replies[2]).toMatchObject({ type: 'reply', id: 8, ok: true });
      ws.close();
    });

    it('pushes events to every connected client', async () => {
      const a = await connectClient(`http://${host()}`, TOKEN);
      const b = await connectClient(`http://${host()}`, TOKEN);
      try {
        const seen: string[] = [];
        b.on('settings.changed', (settings) => seen.push(settings.theme));
        await a.call('app.setSettings', { theme: 'light' });
        await expect.poll(() => seen).toEqual(['light']);
      } finally {
        a.close();
        b.close();
      }
    });

    it('refuses an upgrade without the token, with a wrong one, or from a foreign origin', async () => {
      await expect(connectClient(`http://${host()}`, 'wrong')).rejects.toMatchObject({ code: 'unauthorized' });
      const foreign = new WebSocket(`ws://${host()}/ws`, { headers: { Authorization: `Bearer ${TOKEN}`, Origin: 'http://evil.example' } });
      const status = await new Promise<number>((resolve) => foreign.once('unexpected-response', (_req, res) => resolve(res.statusCode ?? 0)));
      expect(status).toBe(403);
    });
  });

  it('reports a busy port, or falls back to a free one when asked to', async () => {
    const { logger } = captureLogger();
    const busy = startServer({ service, token: TOKEN, host: '127.0.0.1', port: server.port, fallbackToFreePort: false, logger });
    await expect(busy).rejects.toMatchObject({ code: 'port_in_use' });
    const fallback = await startServer({ service, token: TOKEN, host: '127.0.0.1', port: server.port, fallbackToFreePort: true, logger });
    try {
      expect(fallback.fellBack).toBe(true);
      expect(fallback.port).not.toBe(server.port);
    } finally {
      await fallback.close();
    }
  });
});

import http from 'node:http';
import net from 'node:net';
import type { AddressInfo } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { checkSelfHostedEndpoint } from '../../../main/core/auth/self-hosted.js';

const servers: http.Server[] = [];
afterEach(async () => {
  await Promise.all(servers.splice(0).map((s) => new Promise<void>((resolve) => s.close(() => resolve()))));
});

async function modelServer(requireKey?: string) {
  const server = http.createServer((req, res) => {
    if (requireKey && req.headers.authorization !== `Bearer ${requireKey}`) return res.writeHead(401).end();
    if (req.url === '/v1/models') return res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify({ object: 'list', data: [{ id: 'llama3.2' }, { id: 'qwen2.5-coder' }] }));
    if (req.url === '/api/tags') return res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify({ models: [{ name: 'llama3.2:latest' }] }));
    res.writeHead(404).end();
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  servers.push(server);
  return `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
}

describe('self-hosted endpoint check', () => {
  it('lists the models of an OpenAI-compatible server', async () => {
    const baseUrl = await modelServer();
    expect(await checkSelfHostedEndpoint({ baseUrl })).toEqual({ ok: true, value: { models: ['llama3.2', 'qwen2.5-coder'] } });
  });

  it('reads Ollama’s native model list', async () => {
    const baseUrl = await modelServer();
    expect(await checkSelfHostedEndpoint({ baseUrl, modelsPath: '/api/tags' })).toEqual({ ok: true, value: { models: ['llama3.2:latest'] } });
  });

  it('sends the optional key, and says when a key is missing or wrong', async () => {
    const baseUrl = await modelServer('local-key');
    expect((await checkSelfHostedEndpoint({ baseUrl, apiKey: 'local-key' })).ok).toBe(true);
    const missing = await checkSelfHostedEndpoint({ baseUrl });
    expect(missing.ok ? '' : missing.error.message).toContain('wants an API key');
    const wrong = await checkSelfHostedEndpoint({ baseUrl, apiKey: 'nope' });
    expect(wrong.ok ? '' : wrong.error.message).toContain('refused the API key');
  });

  it('says plainly when nothing listens there', async () => {
    const probe = net.createServer();
    await new Promise<void>((resolve) => probe.listen(0, '127.0.0.1', resolve));
    const port = (probe.address() as AddressInfo).port;
    await new Promise<void>((resolve) => probe.close(() => resolve()));
    const result = await checkSelfHostedEndpoint({ baseUrl: `http://127.0.0.1:${port}` });
    expect(result).toEqual({ ok: false, error: { code: 'network_error', message: `Nothing answers at http://127.0.0.1:${port}. Is the server running?` } });
  });
});

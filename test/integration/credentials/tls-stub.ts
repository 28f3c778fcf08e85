import fs from 'node:fs';
import http from 'node:http';
import https from 'node:https';
import path from 'node:path';
import type { AddressInfo } from 'node:net';
import { execFileSync } from 'node:child_process';

export interface StubRequest {
  readonly method: string;
  readonly host: string;
  readonly path: string;
  readonly authorization?: string;
  readonly body: string;
}

export type StubReply = { readonly status: number; readonly json: unknown };

export interface TlsStub {
  /** For the CLI's env: HTTPS_PROXY and NODE_EXTRA_CA_CERTS. */
  readonly env: Record<string, string>;
  readonly requests: StubRequest[];
  close(): Promise<void>;
}

export function hasOpenssl(): boolean {
  try {
    execFileSync('openssl', ['version'], { stdio: 'ignore' });
    return true;
  } catch {
    return false;
  }
}

/**
 * Plays a provider's HTTPS endpoints on 127.0.0.1 for a real CLI: an HTTP proxy (HTTPS_PROXY) that
 * answers every CONNECT itself with TLS under a throwaway CA the CLI trusts via
 * NODE_EXTRA_CA_CERTS. Nothing leaves the machine; the CLI cannot tell it from the provider.
 */
export async function startTlsStub(dir: string, hosts: ReadonlyArray<string>, reply: (req: StubRequest) => StubReply): Promise<TlsStub> {
  fs.mkdirSync(dir, { recursive: true });
  const ssl = (args: string[]) => execFileSync('openssl', args, { cwd: dir, stdio: 'pipe' });
  const ec = ['-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:prime256v1', '-nodes'];
  ssl(['req', '-x509', ...ec, '-keyout', 'ca.key', '-out', 'ca.pem', '-days', '1', '-subj', '/CN=agent-relay-test-ca']);
  ssl(['req', ...ec, '-keyout', 'leaf.key', '-out', 'leaf.csr', '-subj', '/CN=agent-relay-test-leaf']);
  fs.writeFileSync(path.join(dir, 'leaf.ext'), `subjectAltName=${hosts.map((h) => `DNS:${h}`).join(',')}\n`);
  ssl(['x509', '-req', '-in', 'leaf.csr', '-CA', 'ca.pem', '-CAkey', 'ca.key', '-CAcreateserial', '-out', 'leaf.pem', '-days', '1', '-extfile', 'leaf.ext']);

  const requests: StubRequest[] = [];
  const tls = https.createServer({ key: fs.readFileSync(path.join(dir, 'leaf.key')), cert: fs.readFileSync(path.join(dir, 'leaf.pem')) }, (req, res) => {
    let body = '';
    req.setEncoding('utf8');
    req.on('data', (chunk: string) => (body += chunk));
    req.on('end', () => {
      const seen: StubRequest = {
        method: req.method ?? '',
        host: (req.headers.host ?? '').replace(/:443$/, ''),
        path: req.url ?? '',
        ...(req.headers.authorization && { authorization: req.headers.authorization }),
        body,
      };
      requests.push(seen);
      const out = reply(seen);
      res.writeHead(out.status, { 'content-type': 'application/json' });
      res.end(JSON.stringify(out.json));
    });
  });
  const proxy = http.createServer((_req, res) => {
    res.writeHead(502);
    res.end();
  });
  proxy.on('connect', (_req, socket) => {
    socket.write('HTTP/1.1 200 Connection Established\r\n\r\n');
    tls.emit('connection', socket);
  });
  await new Promise<void>((resolve) => proxy.listen(0, '127.0.0.1', resolve));
  const { port } = proxy.address() as AddressInfo;
  return {
    env: { HTTPS_PROXY: `http://127.0.0.1:${port}`, NODE_EXTRA_CA_CERTS: path.join(dir, 'ca.pem') },
    requests,
    close: async () => {
      proxy.closeAllConnections();
      tls.closeAllConnections();
      await new Promise<void>((resolve) => proxy.close(() => resolve()));
    },
  };
}

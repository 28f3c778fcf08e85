import http, { type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Duplex } from 'node:stream';
import { WebSocketServer, type WebSocket } from 'ws';
import { z } from 'zod';
import type { WsServerFrame } from '../../../preload/contract.js';
import type { Logger } from '../logging/logger.js';
import type { BridgeEndpoint } from '../bridge/endpoint.js';
import { AUTH_SCRIPT, CONTENT_SECURITY_POLICY, unauthorizedPage } from './auth-pages.js';
import { cookieName, originProblem, requestToken, tokensEqual } from './auth.js';
import { readStaticFile } from './static-files.js';
import { createConnection } from '../bridge/connection.js';
import { outputBytes } from '../bridge/output-bytes.js';
import { OutputFrames } from './output-frames.js';

export interface ServerOptions {
  service: BridgeEndpoint;
  token: string;
  host: string;
  port: number;
  /** When the port is taken, listen on any free one instead of failing. */
  fallbackToFreePort: boolean;
  /** The built renderer; when absent only the WebSocket API is served. */
  staticDir?: string;
  logger: Logger;
}

export interface RunningServer {
  readonly port: number;
  readonly host: string;
  /** The address a browser opens, with the token in the fragment (never sent over the wire). */
  readonly dashboardUrl: string;
  /** The requested port was taken and another was used. */
  readonly fellBack: boolean;
  close(): Promise<void>;
}

export const WS_PATH = '/ws';
const MAX_FRAME_BYTES = 1024 * 1024;

const CallFrame = z.object({
  type: z.literal('call'),
  id: z.number().int().nonnegative(),
  method: z.string(),
  args: z.array(z.unknown()),
});

export class PortInUseError extends Error {
  readonly code = 'port_in_use';
  constructor(readonly port: number, host: string) {
    super(`Port ${port} on ${host} is already in use. Choose another with --port, or --port 0 for any free port.`);
  }
}

function listen(server: http.Server, port: number, host: string): Promise<void> {
  return new Promise((resolve, reject) => {
    const onError = (error: NodeJS.ErrnoException) => {
      server.off('listening', onListening);
      reject(error);
    };
    const onListening = () => {
      server.off('error', onError);
      resolve();
    };
    server.once('error', onError);
    server.once('listening', onListening);
    server.listen(port, host);
  });
}

const urlHost = (host: string): string => (host.includes(':') ? `[${host}]` : host === '0.0.0.0' ? '127.0.0.1' : host);

/** The HTTP + WebSocket face of the daemon: serves the renderer and carries the contract. */
export async function startServer(options: ServerOptions): Promise<RunningServer> {
  const { service, token, host, logger } = options;
  const log = logger.child('http');
  let port = options.port;
  const sockets = new Set<WebSocket>();
  const wss = new WebSocketServer({ noServer: true, maxPayload: MAX_FRAME_BYTES });

  const securityHeaders = (res: ServerResponse) => {
    res.setHeader('Content-Security-Policy', CONTENT_SECURITY_POLICY);
    res.setHeader('X-Content-Type-Options', 'nosniff');
    res.setHeader('Referrer-Policy', 'no-referrer');
    res.setHeader('X-Frame-Options', 'DENY');
    res.setHeader('Cross-Origin-Opener-Policy', 'same-origin');
    res.setHeader('Cross-Origin-Resource-Policy', 'same-origin');
  };

  const refuse = (req: IncomingMessage, res: ServerResponse, status: 401 | 403, reason: string) => {
    securityHeaders(res);
    res.setHeader('Cache-Control', 'no-store');
    const wantsHtml = req.method === 'GET' && (req.headers.accept ?? '').includes('text/html');
    if (wantsHtml && status === 401) {
      // The page a person lands on from the printed link (its #token never reaches us): an ordinary
      // sign-in page, not an error, so the browser's console stays clean. It holds no data.
      res.writeHead(200, { 'Content-Type': 'text/html; charset=utf-8' });
      res.end(unauthorizedPage(reason));
    } else {
      res.writeHead(status, { 'Content-Type': 'application/json; charset=utf-8' });
      res.end(JSON.stringify({ error: { code: status === 401 ? 'unauthorized' : 'forbidden', message: reason } }));
    }
  };

  const handleRequest = (req: IncomingMessage, res: ServerResponse) => {
    const problem = originProblem(req, host, port);
    if (problem) {
      log.warn('refused request', { reason: problem, method: req.method });
      refuse(req, res, 403, `Refused: ${problem}.`);
      return;
    }
    const pathname = new URL(req.url ?? '/', 'http://placeholder').pathname;

    if (pathname === '/_auth.js' && req.method === 'GET') {
      securityHeaders(res);
      res.writeHead(200, { 'Content-Type': 'text/javascript; charset=utf-8', 'Cache-Control': 'no-store' });
      res.end(AUTH_SCRIPT);
      return;
    }

    const given = requestToken(req, port);
    if (!tokensEqual(given, token)) {
      refuse(req, res, 401, given ? 'The token is not valid for this dashboard.' : 'A token is required.');
      return;
    }

    if (pathname === '/_auth' && req.method === 'POST') {
      securityHeaders(res);
      res.writeHead(204, {
        'Set-Cookie': `${cookieName(port)}=${encodeURIComponent(token)}; Path=/; HttpOnly; SameSite=Strict`,
        'Cache-Control': 'no-store',
      });
      res.end();
      return;
    }

    if (req.method !== 'GET' && req.method !== 'HEAD') {
      securityHeaders(res);
      res.writeHead(405, { Allow: 'GET, HEAD' });
      res.end();
      return;
    }

    const file = options.staticDir ? readStaticFile(options.staticDir, pathname) : undefined;
    securityHeaders(res);
    if (!file) {
      res.writeHead(404, { 'Content-Type': 'text/plain; charset=utf-8' });
      res.end(options.staticDir ? 'Not found.' : 'This daemon serves no dashboard: the renderer is not built (run npm run build).');
      return;
    }
    res.writeHead(200, {
      'Content-Type': file.type,
      'Content-Length': file.body.length,
      'Cache-Control': file.immutable ? 'public, max-age=31536000, immutable' : 'no-store',
    });
    res.end(req.method === 'HEAD' ? undefined : file.body);
  };

  const rejectUpgrade = (socket: Duplex, status: 401 | 403, reason: string) => {
    const body = JSON.stringify({ error: { code: status === 401 ? 'unauthorized' : 'forbidden', message: reason } });
    socket.end(
      `HTTP/1.1 ${status} ${status === 401 ? 'Unauthorized' : 'Forbidden'}\r\nContent-Type: application/json\r\n` +
        `Content-Length: ${Buffer.byteLength(body)}\r\nConnection: close\r\n\r\n${body}`,
    );
  };

  const handleUpgrade = (req: IncomingMessage, socket: Duplex, head: Buffer) => {
    socket.on('error', () => socket.destroy());
    const pathname = new URL(req.url ?? '/', 'http://placeholder').pathname;
    const problem = originProblem(req, host, port);
    if (problem) {
      log.warn('refused WebSocket', { reason: problem });
      rejectUpgrade(socket, 403, `Refused: ${problem}.`);
      return;
    }
    if (pathname !== WS_PATH) {
      rejectUpgrade(socket, 403, 'Unknown WebSocket path.');
      return;
    }
    if (!tokensEqual(requestToken(req, port), token)) {
      rejectUpgrade(socket, 401, 'A valid token is required.');
      return;
    }
    wss.handleUpgrade(req, socket, head, (ws) => attach(ws));
  };

  /** Per socket: its terminal output, joined into frames (see OutputFrames). */
  const outputs = new WeakMap<WebSocket, OutputFrames>();

  const send = (ws: WebSocket, frame: WsServerFrame) => {
    if (ws.readyState !== ws.OPEN) return;
    // Output gathered for this socket goes first: nothing overtakes the terminal bytes before it.
    outputs.get(ws)?.flush();
    ws.send(JSON.stringify(frame));
  };

  const attach = (ws: WebSocket) => {
    sockets.add(ws);
    // ws keeps its socket as _socket (all versions); corked, several agents' frames leave in one write.
    const raw = (ws as unknown as { _socket?: Duplex })._socket;
    const output = new OutputFrames(
      (frame, done) => {
        if (ws.readyState === ws.OPEN) ws.send(frame, { binary: true }, done);
        else done();
      },
      {
        together: (writes) => {
          raw?.cork();
          try {
            writes();
          } finally {
            raw?.uncork();
          }
        },
      },
    );
    outputs.set(ws, output);
    const connection = createConnection('websocket', (event, payload) => {
      if (event === 'terminal.output') {
        // Terminal bytes go as a binary frame, not JSON; the host's own bytes when the daemon has them.
        const { name, seq, data } = payload as { name: string; seq: number; data: string };
        output.push(name, seq, data, outputBytes(payload));
        return;
      }
      send(ws, { type: 'event', event, payload });
    });
    ws.on('close', () => {
      sockets.delete(ws);
      output.close();
      connection.close();
    });
    ws.on('error', (error) => log.debug('socket error', { error: error.message }));
    ws.on('message', (data, isBinary) => {
      let parsed: unknown;
      try {
        parsed = isBinary ? undefined : JSON.parse(String(data));
      } catch {
        parsed = undefined;
      }
      const frame = CallFrame.safeParse(parsed);
      if (!frame.success) {
        const id = typeof (parsed as { id?: unknown })?.id === 'number' ? (parsed as { id: number }).id : null;
        send(ws, {
          type: 'reply',
          id,
          ok: false,
          error: { code: 'invalid_message', message: 'Each message must be JSON {"type":"call","id":N,"method":"…","args":[…]}.' },
        });
        return;
      }
      void service.dispatcher.dispatch(frame.data.method, frame.data.args, connection).then((reply) => {
        send(ws, { type: 'reply', id: frame.data.id, ...reply });
      });
    });
  };

  const unsubscribe = service.events.subscribe((event, payload) => {
    for (const ws of sockets) send(ws, { type: 'event', event, payload });
  });

  const server = http.createServer(handleRequest);
  server.on('upgrade', handleUpgrade);
  server.on('clientError', (_error, socket) => socket.destroy());

  let fellBack = false;
  try {
    await listen(server, port, host);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'EADDRINUSE') throw error;
    if (!options.fallbackToFreePort || port === 0) throw new PortInUseError(port, host);
    log.warn('port in use, using a free one', { port });
    fellBack = true;
    await listen(server, 0, host);
  }
  port = (server.address() as AddressInfo).port;
  const dashboardUrl = `http://${urlHost(host)}:${port}/#token=${token}`;

  return {
    port,
    host,
    dashboardUrl,
    fellBack,
    async close() {
      unsubscribe();
      for (const ws of sockets) ws.close(1001, 'daemon shutting down');
      wss.close();
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}

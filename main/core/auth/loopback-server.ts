import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { type AuthError, type AuthResult, CANCELLED_MESSAGE, fail, ok } from './auth-errors.js';
import { errorPage, notFoundPage, successPage } from './callback-pages.js';

/**
 * A one-shot HTTP server on 127.0.0.1 for one browser sign-in (RFC 8252 loopback redirect).
 * It accepts exactly one callback on the redirect path carrying the expected state, hands it to
 * `onCallback` (the code exchange), shows a page saying how that went, and closes.
 */

export const DEFAULT_CALLBACK_TIMEOUT_MS = 5 * 60 * 1000;

export interface CallbackSuccess<T> {
  readonly value: T;
  /** Shown on the success page ("Connected as …"). */
  readonly accountLabel?: string;
}

export interface LoopbackOptions<T> {
  readonly providerName: string;
  /** Host written into the redirect URI; the socket always binds 127.0.0.1. */
  readonly redirectHost: '127.0.0.1' | 'localhost';
  /** Fixed port the provider registered, or 0 for any free port. */
  readonly port: number;
  readonly fallbackPorts?: ReadonlyArray<number>;
  readonly path: string;
  readonly expectedState: string;
  readonly timeoutMs?: number;
  readonly signal?: AbortSignal;
  /** Runs for the one accepted callback; its outcome decides the page and the result. */
  readonly onCallback: (params: URLSearchParams) => Promise<AuthResult<CallbackSuccess<T>>>;
}

export interface LoopbackServer<T> {
  readonly port: number;
  readonly redirectUri: string;
  /** Settles once: the callback's outcome, or timeout / cancel / a refused callback. */
  readonly result: Promise<AuthResult<T>>;
  close(): Promise<void>;
}

function listen(server: http.Server, port: number): Promise<boolean> {
  return new Promise((resolve, reject) => {
    const onError = (error: NodeJS.ErrnoException) => {
      server.off('listening', onListening);
      if (error.code === 'EADDRINUSE' || error.code === 'EACCES') resolve(false);
      else reject(error);
    };
    const onListening = () => {
      server.off('error', onError);
      resolve(true);
    };
    server.once('error', onError);
    server.once('listening', onListening);
    server.listen({ port, host: '127.0.0.1', exclusive: true });
  });
}

function describePorts(ports: ReadonlyArray<number>): string {
  const [first, ...rest] = ports;
  if (!rest.length) return `Port ${first}`;
  return `Port ${first} (and the fallback ${rest.length > 1 ? 'ports' : 'port'} ${rest.join(', ')})`;
}

export async function startLoopbackServer<T>(options: LoopbackOptions<T>): Promise<AuthResult<LoopbackServer<T>>> {
  if (options.signal?.aborted) return fail('cancelled', CANCELLED_MESSAGE);
  let settle!: (outcome: AuthResult<T>) => void;
  const result = new Promise<AuthResult<T>>((resolve) => {
    settle = resolve;
  });
  let settled = false;
  let accepted = false;
  const deadline: { timer?: NodeJS.Timeout } = {};

  const server = http.createServer((req, res) => void handle(req, res));
  server.keepAliveTimeout = 1000;

  const finish = (outcome: AuthResult<T>) => {
    if (settled) return;
    settled = true;
    clearTimeout(deadline.timer);
    options.signal?.removeEventListener('abort', onAbort);
    settle(outcome);
    void close();
  };

  const respond = (res: http.ServerResponse, status: number, html: string) => {
    res.writeHead(status, {
      'content-type': 'text/html; charset=utf-8',
      'cache-control': 'no-store',
      'referrer-policy': 'no-referrer',
      'content-security-policy': "default-src 'none'; style-src 'unsafe-inline'; img-src data:",
      connection: 'close',
    });
    res.end(html);
  };

  const refuse = (res: http.ServerResponse, status: number, error: AuthError) => {
    respond(res, status, errorPage(options.providerName, error.message));
    finish({ ok: false, error });
  };

  async function handle(req: http.IncomingMessage, res: http.ServerResponse): Promise<void> {
    const url = new URL(req.url ?? '/', 'http://127.0.0.1');
    if (req.method !== 'GET' || url.pathname !== options.path) {
      respond(res, 404, notFoundPage());
      return;
    }
    if (accepted || settled) {
      // A replay, a second tab, or a callback after the flow ended: never a second exchange.
      const late = settled && !accepted && lastError?.code === 'timeout';
      const error: AuthError = late
        ? { code: 'timeout', message: 'This sign-in timed out. Start it again from Agent Relay.' }
        : { code: 'already_used', message: 'This sign-in link was already used. Start a new sign-in from Agent Relay.' };
      respond(res, late ? 408 : 409, errorPage(options.providerName, error.message));
      return;
    }
    const params = url.searchParams;
    if (params.get('state') !== options.expectedState) {
      refuse(res, 400, {
        code: 'state_mismatch',
        message: 'The sign-in answer did not belong to this sign-in attempt (state mismatch), so it was refused.',
      });
      return;
    }
    const oauthError = params.get('error');
    if (oauthError === 'access_denied') {
      refuse(res, 403, { code: 'access_denied', message: `Sign-in was denied at ${options.providerName} — try again.` });
      return;
    }
    if (oauthError) {
      const description = params.get('error_description');
      refuse(res, 400, {
        code: 'provider_error',
        message: `${options.providerName} returned an error: ${oauthError}${description ? ` (${description})` : ''}.`,
      });
      return;
    }
    if (!params.get('code')) {
      refuse(res, 400, { code: 'missing_code', message: 'The sign-in answer carried no authorization code.' });
      return;
    }
    accepted = true;
    clearTimeout(deadline.timer);
    let outcome: AuthResult<CallbackSuccess<T>>;
    try {
      outcome = await options.onCallback(params);
    } catch (error) {
      outcome = fail('provider_error', `Finishing the sign-in failed: ${(error as Error).message}`);
    }
    if (outcome.ok) {
      respond(res, 200, successPage(options.providerName, outcome.value.accountLabel));
      finish(ok(outcome.value.value));
    } else {
      respond(res, 400, errorPage(options.providerName, outcome.error.message));
      finish(outcome);
    }
  }

  let lastError: AuthError | undefined;
  let closing: Promise<void> | undefined;
  const close = (): Promise<void> => {
    closing ??= new Promise<void>((resolve) => {
      if (!server.listening) {
        resolve();
        return;
      }
      server.close(() => resolve());
      server.closeIdleConnections();
    });
    if (!settled) finish(fail('cancelled', CANCELLED_MESSAGE));
    return closing;
  };

  function onAbort() {
    lastError = { code: 'cancelled', message: CANCELLED_MESSAGE };
    finish({ ok: false, error: lastError });
  }

  const candidates = options.port === 0 ? [0] : [options.port, ...(options.fallbackPorts ?? [])];
  let bound = false;
  for (const candidate of candidates) {
    if (await listen(server, candidate)) {
      bound = true;
      break;
    }
  }
  if (!bound) {
    return fail(
      'port_in_use',
      `${describePorts(candidates)} on 127.0.0.1 ${candidates.length > 1 ? 'are' : 'is'} in use by another program, so the browser sign-in cannot receive its answer. Close that program, or sign in with a device code instead.`,
    );
  }
  const port = (server.address() as AddressInfo).port;

  // After the timeout the port closes: a late callback reaches nobody and no code is exchanged.
  const timeoutMs = options.timeoutMs ?? DEFAULT_CALLBACK_TIMEOUT_MS;
  deadline.timer = setTimeout(() => {
    lastError = { code: 'timeout', message: `No answer from ${options.providerName} within ${Math.round(timeoutMs / 1000)} seconds. Start the sign-in again.` };
    finish({ ok: false, error: lastError });
  }, timeoutMs);
  deadline.timer.unref();
  options.signal?.addEventListener('abort', onAbort, { once: true });

  return ok({
    port,
    redirectUri: `http://${options.redirectHost}:${port}${options.path}`,
    result,
    close,
  });
}

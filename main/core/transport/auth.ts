import crypto from 'node:crypto';
import type { IncomingMessage } from 'node:http';

export const newToken = (): string => crypto.randomBytes(24).toString('hex');

export const cookieName = (port: number): string => `relay_token_${port}`;

export function tokensEqual(given: string | undefined, expected: string): boolean {
  if (!given) return false;
  const a = Buffer.from(given);
  const b = Buffer.from(expected);
  return a.length === b.length && crypto.timingSafeEqual(a, b);
}

function cookieValue(header: string | undefined, name: string): string | undefined {
  if (!header) return undefined;
  for (const part of header.split(';')) {
    const eq = part.indexOf('=');
    if (eq > 0 && part.slice(0, eq).trim() === name) return decodeURIComponent(part.slice(eq + 1).trim());
  }
  return undefined;
}

/** The token a request carries: the session cookie, a bearer header, or `?token=`. */
export function requestToken(req: IncomingMessage, port: number): string | undefined {
  const auth = req.headers.authorization;
  if (auth?.startsWith('Bearer ')) return auth.slice('Bearer '.length).trim();
  const fromCookie = cookieValue(req.headers.cookie, cookieName(port));
  if (fromCookie) return fromCookie;
  const url = new URL(req.url ?? '/', 'http://placeholder');
  return url.searchParams.get('token') ?? undefined;
}

const LOOPBACK_NAMES = ['127.0.0.1', 'localhost', '[::1]'];
const WILDCARD_HOSTS = ['0.0.0.0', '::', '[::]'];

/**
 * Host and Origin checks against DNS rebinding and cross-site requests: the Host header must name
 * this server, and a browser's Origin must be this server's own.
 */
export function originProblem(req: IncomingMessage, bindHost: string, port: number): string | undefined {
  const hostHeader = req.headers.host;
  if (!hostHeader) return 'the request has no Host header';
  const names = WILDCARD_HOSTS.includes(bindHost) ? undefined : new Set([...LOOPBACK_NAMES, bindHost.includes(':') ? `[${bindHost}]` : bindHost]);
  const allowed = (hostPort: string): boolean => {
    const match = /^(\[[^\]]+\]|[^:]+)(?::(\d+))?$/.exec(hostPort.toLowerCase());
    if (!match) return false;
    const [, name, portText] = match;
    if (Number(portText ?? 80) !== port) return false;
    return names ? names.has(name!) : true;
  };
  if (!allowed(hostHeader)) return `the Host ${JSON.stringify(hostHeader)} is not this dashboard`;
  const origin = req.headers.origin;
  if (origin !== undefined) {
    let parsed: URL;
    try {
      parsed = new URL(origin);
    } catch {
      return `the Origin ${JSON.stringify(origin)} is not this dashboard`;
    }
    if (parsed.protocol !== 'http:' || !allowed(parsed.host)) return `the Origin ${JSON.stringify(origin)} is not this dashboard`;
  }
  return undefined;
}

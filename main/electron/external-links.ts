import type { Logger } from '../core/logging/logger.js';

/** Why a link was not opened, as a value the caller can act on. */
export type OpenLinkResult =
  | { ok: true }
  | { ok: false; code: 'link_not_allowed' | 'link_not_https' | 'open_failed'; message: string };

/**
 * The only way the app opens anything in the user's browser: https URLs that the daemon itself
 * produced (an authorize or verification URI) and registered here first. Anything else, such as a
 * link the renderer tries to open, is refused and logged.
 */
export interface ExternalLinks {
  /** Registers a URL the daemon produced, for a limited time. Refuses anything that is not https. */
  allow(url: string): OpenLinkResult;
  /** Opens a registered URL in the browser; refuses everything else. */
  open(url: string): Promise<OpenLinkResult>;
}

export interface ExternalLinksOptions {
  /** shell.openExternal in Electron. */
  openExternal: (url: string) => Promise<void>;
  logger: Logger;
  /** How long a registered URL may be opened; a login flow that old has timed out anyway. */
  ttlMs?: number;
  now?: () => number;
}

const DEFAULT_TTL_MS = 15 * 60_000;

function httpsHref(url: string): string | undefined {
  try {
    const parsed = new URL(url);
    return parsed.protocol === 'https:' && parsed.hostname !== '' && !parsed.username && !parsed.password
      ? parsed.href
      : undefined;
  } catch {
    return undefined;
  }
}

/** The origin only, so a refused URL's query (a state, a code) never reaches the log. */
function describe(url: string): string {
  try {
    const parsed = new URL(url);
    return parsed.protocol === 'file:' ? 'a file: URL' : `${parsed.protocol}//${parsed.host}`;
  } catch {
    return 'a malformed URL';
  }
}

export function createExternalLinks(options: ExternalLinksOptions): ExternalLinks {
  const log = options.logger.child('external-links');
  const ttl = options.ttlMs ?? DEFAULT_TTL_MS;
  const now = options.now ?? Date.now;
  const allowed = new Map<string, number>();

  const prune = () => {
    const t = now();
    for (const [href, expires] of allowed) if (expires <= t) allowed.delete(href);
  };

  return {
    allow(url) {
      const href = httpsHref(url);
      if (!href) {
        log.warn('refused to register a link that is not https', { link: describe(url) });
        return { ok: false, code: 'link_not_https', message: 'Only https links can be opened in the browser.' };
      }
      prune();
      allowed.set(href, now() + ttl);
      return { ok: true };
    },
    async open(url) {
      prune();
      const href = httpsHref(url);
      if (!href || !allowed.has(href)) {
        log.warn('refused to open a link the app did not produce', { link: describe(url) });
        return {
          ok: false,
          code: 'link_not_allowed',
          message: 'Agent Relay opens only the sign-in pages it started itself; this link was not opened.',
        };
      }
      try {
        await options.openExternal(href);
        return { ok: true };
      } catch (error) {
        log.error('could not open the browser', { link: describe(href), error: (error as Error).message });
        return { ok: false, code: 'open_failed', message: 'The browser could not be opened; copy the link instead.' };
      }
    },
  };
}

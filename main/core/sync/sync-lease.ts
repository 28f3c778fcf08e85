import type { RefreshLease } from '../auth/refresh.js';
import type { SyncClient } from './sync-client.js';

/** What the lease needs of the sync service. */
export interface LeaseHost {
  isActive(): boolean;
  registeredClient(): Promise<SyncClient>;
  /** A pull cycle, in turn with the others. */
  pull(): Promise<void>;
  /** Sends local changes at once (instead of after the debounce). */
  pushNow(): Promise<void>;
}

/**
 * Refresh leases across devices: before refreshing a login whose refresh token rotates, a device
 * takes a short lease from the server, so two devices never spend the same refresh token.
 */
export function syncRefreshLease(host: LeaseHost, ttlSeconds: number): RefreshLease {
  return {
    acquire: async (key) => {
      if (!host.isActive()) return { granted: true, release: async () => undefined };
      const client = await host.registeredClient();
      const outcome = await client.acquireLease(key, ttlSeconds);
      if (!outcome.granted) return { granted: false, retryAfterMs: Math.min(1000, Math.max(200, outcome.expiresAt - Date.now())) };
      // The holder before us may have pushed fresh tokens: have them before spending a refresh token.
      await host.pull();
      return {
        granted: true,
        release: async () => {
          // What was refreshed reaches the server before the lease lets the next device look.
          await host.pushNow();
          await client.releaseLease(key);
        },
      };
    },
    onDenied: async () => {
      await host.pull();
    },
  };
}

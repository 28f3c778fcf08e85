import crypto from 'node:crypto';
import type { VaultContents } from '../vault/vault-types.js';

/** What of the vault travels to the sync server, and how two copies are compared. */

const isReserved = (entry: { provider: string }) => entry.provider.startsWith('_');

/** What syncs: every provider account and tombstone, never the reserved entries. */
export function syncable(contents: VaultContents): VaultContents {
  return { accounts: contents.accounts.filter((a) => !isReserved(a)), tombstones: contents.tombstones.filter((t) => !isReserved(t)) };
}

function canonicalJson(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(canonicalJson).join(',')}]`;
  if (value && typeof value === 'object') {
    const entries = Object.entries(value as Record<string, unknown>).filter(([, v]) => v !== undefined);
    return `{${entries
      .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))
      .map(([k, v]) => `${JSON.stringify(k)}:${canonicalJson(v)}`)
      .join(',')}}`;
  }
  return JSON.stringify(value);
}

/** Same content, same digest, whatever the order of entries: decides whether a push is needed. */
export function digestOf(contents: VaultContents): string {
  const key = (e: { provider: string; accountId: string }) => `${e.provider}\u0000${e.accountId}`;
  const sorted = {
    accounts: [...contents.accounts].sort((a, b) => key(a).localeCompare(key(b))),
    tombstones: [...contents.tombstones].sort((a, b) => key(a).localeCompare(key(b))),
  };
  return crypto.createHash('sha256').update(canonicalJson(sorted)).digest('hex');
}

/** Accounts whose entry differs between two copies (added, removed or changed). */
export function changedAccounts(before: VaultContents, after: VaultContents): Array<{ provider: string; accountId: string }> {
  const index = (c: VaultContents) => new Map(c.accounts.map((a) => [JSON.stringify([a.provider, a.accountId]), a] as const));
  const a = index(before);
  const b = index(after);
  const keys = new Set([...a.keys(), ...b.keys()]);
  return [...keys]
    .filter((k) => a.get(k)?.updatedAt !== b.get(k)?.updatedAt)
    .map((k) => {
      const [provider, accountId] = JSON.parse(k) as [string, string];
      return { provider, accountId };
    });
}

import { z } from 'zod';
import { ACCOUNT_STATES, KEY_CHECKS, SIGN_IN_METHODS, type AccountSummary, type KeyCheck, type VaultAccount, type VaultContents } from './vault-types.js';

/**
 * On disk: MAGIC, one version byte, one byte of cipher-kind length, the cipher kind, then the
 * ciphertext of the JSON contents. The header is plain so a vault sealed by another cipher, or a
 * newer format, is reported as such instead of being misread as corrupt.
 */
export const VAULT_MAGIC = Buffer.from('ARVAULT', 'ascii');
export const VAULT_FORMAT_VERSION = 1;

export interface VaultHeader {
  readonly version: number;
  readonly cipherKind: string;
}

export function encodeEnvelope(header: VaultHeader, sealed: Buffer): Buffer {
  const kind = Buffer.from(header.cipherKind, 'utf8');
  if (kind.length > 255) throw new Error('cipher kind too long');
  return Buffer.concat([VAULT_MAGIC, Buffer.from([header.version, kind.length]), kind, sealed]);
}

export type EnvelopeResult = { readonly ok: true; readonly header: VaultHeader; readonly sealed: Buffer } | { readonly ok: false; readonly reason: string };

export function decodeEnvelope(data: Buffer): EnvelopeResult {
  if (data.length < VAULT_MAGIC.length + 2 || !data.subarray(0, VAULT_MAGIC.length).equals(VAULT_MAGIC)) {
    return { ok: false, reason: 'it does not start with the vault header' };
  }
  const version = data[VAULT_MAGIC.length]!;
  const kindLength = data[VAULT_MAGIC.length + 1]!;
  const start = VAULT_MAGIC.length + 2;
  if (data.length < start + kindLength) return { ok: false, reason: 'its header is cut short' };
  const cipherKind = data.subarray(start, start + kindLength).toString('utf8');
  return { ok: true, header: { version, cipherKind }, sealed: data.subarray(start + kindLength) };
}

const secretsSchema = z.object({
  accessToken: z.string().optional(),
  refreshToken: z.string().optional(),
  idToken: z.string().optional(),
  apiKey: z.string().optional(),
  expiresAt: z.number().optional(),
  scope: z.string().optional(),
  tokenType: z.string().optional(),
  extra: z.record(z.string(), z.string()).optional(),
});

const accountSchema = z.object({
  provider: z.string().min(1),
  accountId: z.string().min(1),
  name: z.string(),
  email: z.string().optional(),
  plan: z.string().optional(),
  method: z.enum(SIGN_IN_METHODS as [string, ...string[]]),
  source: z.string().optional(),
  meta: z.record(z.string(), z.string()).optional(),
  secrets: secretsSchema,
  state: z.enum(ACCOUNT_STATES as [string, ...string[]]),
  stateReason: z.string().optional(),
  updatedAt: z.number(),
  isDefault: z.boolean(),
});

const contentsSchema = z.object({
  format: z.literal(VAULT_FORMAT_VERSION),
  accounts: z.array(accountSchema),
  tombstones: z.array(z.object({ provider: z.string(), accountId: z.string(), deletedAt: z.number() })),
});

export function serializeContents(contents: VaultContents): Buffer {
  return Buffer.from(JSON.stringify({ format: VAULT_FORMAT_VERSION, accounts: contents.accounts, tombstones: contents.tombstones }), 'utf8');
}

export type ParseResult = { readonly ok: true; readonly contents: VaultContents } | { readonly ok: false; readonly reason: string };

export function parseContents(plain: Buffer): ParseResult {
  let json: unknown;
  try {
    json = JSON.parse(plain.toString('utf8'));
  } catch {
    return { ok: false, reason: 'its decrypted content is not JSON' };
  }
  const parsed = contentsSchema.safeParse(json);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    return { ok: false, reason: `its content does not match the vault format (${issue?.path.join('.') || 'root'}: ${issue?.message ?? 'invalid'})` };
  }
  return { ok: true, contents: parsed.data as VaultContents };
}

export const EMPTY_CONTENTS: VaultContents = { accounts: [], tombstones: [] };

/** The renderer's view, built field by field so a new secret field can never leak by default. */
export function toSummary(account: VaultAccount): AccountSummary {
  return {
    provider: account.provider,
    accountId: account.accountId,
    name: account.name,
    ...(account.email !== undefined && { email: account.email }),
    ...(account.plan !== undefined && { plan: account.plan }),
    method: account.method,
    ...(account.source !== undefined && { source: account.source }),
    ...(account.meta?.configHome !== undefined && { configHome: account.meta.configHome }),
    ...(account.meta?.signedInBy !== undefined && { signedInBy: account.meta.signedInBy }),
    ...(KEY_CHECKS.includes(account.meta?.keyCheck as KeyCheck) && { keyCheck: account.meta!.keyCheck as KeyCheck }),
    ...(account.secrets.expiresAt !== undefined && { expiresAt: account.secrets.expiresAt }),
    state: account.state,
    ...(account.stateReason !== undefined && { stateReason: account.stateReason }),
    updatedAt: account.updatedAt,
    isDefault: account.isDefault,
    canRefresh: Boolean(account.secrets.refreshToken),
  };
}

const sameKey = (a: { provider: string; accountId: string }, b: { provider: string; accountId: string }) =>
  a.provider === b.provider && a.accountId === b.accountId;

/**
 * Exactly one default per provider that has accounts: keep the newest-marked default, else the
 * most recently updated account. Pure, so a sync merge can reuse it.
 */
export function normalizeDefaults(accounts: ReadonlyArray<VaultAccount>): VaultAccount[] {
  const byProvider = new Map<string, VaultAccount[]>();
  for (const account of accounts) byProvider.set(account.provider, [...(byProvider.get(account.provider) ?? []), account]);
  const chosen = new Map<string, string>();
  for (const [provider, list] of byProvider) {
    const defaults = list.filter((a) => a.isDefault);
    const pool = defaults.length > 0 ? defaults : list;
    const winner = pool.reduce((best, a) => (a.updatedAt > best.updatedAt ? a : best));
    chosen.set(provider, winner.accountId);
  }
  return accounts.map((a) => {
    const isDefault = chosen.get(a.provider) === a.accountId;
    return a.isDefault === isDefault ? a : { ...a, isDefault };
  });
}

/**
 * Merges two copies of the vault per entry, newest change wins; a tombstone newer than an account
 * removes it. Meant for cloud sync.
 */
export function mergeContents(local: VaultContents, remote: VaultContents): VaultContents {
  const accounts = new Map<string, VaultAccount>();
  const keyOf = (e: { provider: string; accountId: string }) => JSON.stringify([e.provider, e.accountId]);
  for (const account of [...local.accounts, ...remote.accounts]) {
    const current = accounts.get(keyOf(account));
    if (!current || account.updatedAt > current.updatedAt) accounts.set(keyOf(account), account);
  }
  const tombstones = new Map<string, (typeof local.tombstones)[number]>();
  for (const tomb of [...local.tombstones, ...remote.tombstones]) {
    const current = tombstones.get(keyOf(tomb));
    if (!current || tomb.deletedAt > current.deletedAt) tombstones.set(keyOf(tomb), tomb);
  }
  const liveAccounts = [...accounts.values()].filter((a) => {
    const tomb = tombstones.get(keyOf(a));
    return !tomb || a.updatedAt > tomb.deletedAt;
  });
  const liveTombstones = [...tombstones.values()].filter((t) => !liveAccounts.some((a) => sameKey(a, t)));
  return { accounts: normalizeDefaults(liveAccounts), tombstones: liveTombstones };
}

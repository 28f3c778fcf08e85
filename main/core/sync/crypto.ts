import crypto from 'node:crypto';
import { z } from 'zod';
import { BLOB_TAMPERED_MESSAGE, SyncError, WRONG_PASSPHRASE_MESSAGE } from './sync-errors.js';

/**
 * End-to-end encryption of the synced vault (the format is in the sync API contract): a random
 * 32-byte vault key seals the vault with AES-256-GCM; the key travels only wrapped, under a key
 * derived with scrypt from the user's passphrase and, separately, from a recovery code.
 */

export const VAULT_KEY_BYTES = 32;
const SALT_BYTES = 16;
const IV_BYTES = 12;
const TAG_BYTES = 16;
const BLOB_VERSION = 0x01;
export const BLOB_AAD = Buffer.from('agent-relay-vault-v1', 'utf8');

/** scrypt cost; N=2^15, r=8 takes about 32 MiB and a fraction of a second. */
export const KDF_PARAMS = { N: 32768, r: 8, p: 1 } as const;
export const MIN_PASSPHRASE_LENGTH = 8;

const b64 = z.string().regex(/^[A-Za-z0-9+/]*={0,2}$/, 'base64');
const Wrapped = z.object({ salt: b64, iv: b64, wrapped: b64, tag: b64 });

export const KeyEnvelope = z.object({
  v: z.literal(1),
  kdf: z.literal('scrypt'),
  N: z.number().int().min(1024).max(1 << 20),
  r: z.number().int().min(1).max(32),
  p: z.number().int().min(1).max(16),
  salt: b64,
  iv: b64,
  wrapped: b64,
  tag: b64,
  recovery: Wrapped,
});
export type KeyEnvelope = z.infer<typeof KeyEnvelope>;
type WrappedKey = z.infer<typeof Wrapped>;

export function generateVaultKey(): Buffer {
  return crypto.randomBytes(VAULT_KEY_BYTES);
}

// RFC 4648 base32 without padding: no 0/1/8/9, so nothing reads as O, I, L or B.
const BASE32 = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ234567';
const RECOVERY_GROUPS = 6;
const RECOVERY_GROUP_LENGTH = 5;

/** 30 random base32 characters (150 bits) in 6 groups of 5: ABCDE-FGHIJ-… */
export function generateRecoveryCode(): string {
  const bytes = crypto.randomBytes(RECOVERY_GROUPS * RECOVERY_GROUP_LENGTH);
  const chars = [...bytes].map((b) => BASE32[b & 31]!);
  const groups: string[] = [];
  for (let i = 0; i < chars.length; i += RECOVERY_GROUP_LENGTH) groups.push(chars.slice(i, i + RECOVERY_GROUP_LENGTH).join(''));
  return groups.join('-');
}

/** A recovery code as typed: any case, spaces or dashes; undefined when it cannot be one. */
export function normalizeRecoveryCode(input: string): string | undefined {
  const compact = input.toUpperCase().replace(/[\s-]/g, '');
  if (compact.length !== RECOVERY_GROUPS * RECOVERY_GROUP_LENGTH || ![...compact].every((c) => BASE32.includes(c))) return undefined;
  return compact;
}

/** The same passphrase typed on two keyboards must give the same key. */
function normalizePassphrase(passphrase: string): string {
  return passphrase.normalize('NFKC');
}

function deriveKey(secret: string, salt: Buffer, params: { N: number; r: number; p: number }): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    // maxmem above 128·N·r, which is exactly Node's default limit at N=2^15, r=8.
    crypto.scrypt(secret, salt, 32, { ...params, maxmem: 256 * params.N * params.r }, (error, key) => (error ? reject(error) : resolve(key)));
  });
}

async function wrapWith(secret: string, vaultKey: Buffer, params: { N: number; r: number; p: number }): Promise<WrappedKey> {
  const salt = crypto.randomBytes(SALT_BYTES);
  const iv = crypto.randomBytes(IV_BYTES);
  const kek = await deriveKey(secret, salt, params);
  const cipher = crypto.createCipheriv('aes-256-gcm', kek, iv);
  const wrapped = Buffer.concat([cipher.update(vaultKey), cipher.final()]);
  return { salt: salt.toString('base64'), iv: iv.toString('base64'), wrapped: wrapped.toString('base64'), tag: cipher.getAuthTag().toString('base64') };
}

/** The key, or undefined when the secret is wrong (the GCM tag does not verify). */
async function unwrapWith(secret: string, part: WrappedKey, params: { N: number; r: number; p: number }): Promise<Buffer | undefined> {
  const iv = Buffer.from(part.iv, 'base64');
  const tag = Buffer.from(part.tag, 'base64');
  if (iv.length !== IV_BYTES || tag.length !== TAG_BYTES) throw new SyncError('envelope_invalid', 'The key envelope on the sync server is malformed.');
  const kek = await deriveKey(secret, Buffer.from(part.salt, 'base64'), params);
  const decipher = crypto.createDecipheriv('aes-256-gcm', kek, iv);
  decipher.setAuthTag(tag);
  try {
    const key = Buffer.concat([decipher.update(Buffer.from(part.wrapped, 'base64')), decipher.final()]);
    return key.length === VAULT_KEY_BYTES ? key : undefined;
  } catch {
    return undefined;
  }
}

/** Wraps the vault key under the passphrase and, as a second copy, under the recovery code. */
export async function createKeyEnvelope(vaultKey: Buffer, passphrase: string, recoveryCode: string): Promise<KeyEnvelope> {
  const recovery = normalizeRecoveryCode(recoveryCode);
  if (!recovery) throw new SyncError('envelope_invalid', 'The recovery code is not in the expected form.');
  const [main, spare] = await Promise.all([wrapWith(normalizePassphrase(passphrase), vaultKey, KDF_PARAMS), wrapWith(recovery, vaultKey, KDF_PARAMS)]);
  return { v: 1, kdf: 'scrypt', ...KDF_PARAMS, ...main, recovery: spare };
}

/** A new passphrase for the same key: the recovery copy and every sealed blob stay valid. */
export async function rewrapKeyEnvelope(envelope: KeyEnvelope, vaultKey: Buffer, newPassphrase: string): Promise<KeyEnvelope> {
  const main = await wrapWith(normalizePassphrase(newPassphrase), vaultKey, KDF_PARAMS);
  return { ...envelope, ...KDF_PARAMS, ...main };
}

export function parseKeyEnvelope(value: unknown): KeyEnvelope {
  const parsed = KeyEnvelope.safeParse(value);
  if (!parsed.success) throw new SyncError('envelope_invalid', 'The key envelope on the sync server is not in a format this app understands.');
  return parsed.data;
}

/**
 * Opens the envelope with the passphrase, or with the recovery code (the same field accepts
 * either). Wrong → SyncError('wrong_passphrase').
 */
export async function unwrapVaultKey(envelope: KeyEnvelope, secret: string): Promise<{ key: Buffer; via: 'passphrase' | 'recovery' }> {
  const params = { N: envelope.N, r: envelope.r, p: envelope.p };
  const key = await unwrapWith(normalizePassphrase(secret), envelope, params);
  if (key) return { key, via: 'passphrase' };
  const recovery = normalizeRecoveryCode(secret);
  if (recovery) {
    const viaRecovery = await unwrapWith(recovery, envelope.recovery, params);
    if (viaRecovery) return { key: viaRecovery, via: 'recovery' };
  }
  throw new SyncError('wrong_passphrase', WRONG_PASSPHRASE_MESSAGE);
}

/** base64( 0x01 | iv | AES-256-GCM(key, plain, aad) | tag ) */
export function sealBlob(vaultKey: Buffer, plain: Buffer): string {
  const iv = crypto.randomBytes(IV_BYTES);
  const cipher = crypto.createCipheriv('aes-256-gcm', vaultKey, iv);
  cipher.setAAD(BLOB_AAD);
  const body = Buffer.concat([cipher.update(plain), cipher.final()]);
  return Buffer.concat([Buffer.from([BLOB_VERSION]), iv, body, cipher.getAuthTag()]).toString('base64');
}

/** The plaintext, or SyncError('blob_tampered') for anything altered, cut short or sealed with another key. */
export function openBlob(vaultKey: Buffer, blob: string): Buffer {
  const data = Buffer.from(blob, 'base64');
  if (data.length < 1 + IV_BYTES + TAG_BYTES || data[0] !== BLOB_VERSION) throw new SyncError('blob_tampered', BLOB_TAMPERED_MESSAGE);
  const decipher = crypto.createDecipheriv('aes-256-gcm', vaultKey, data.subarray(1, 1 + IV_BYTES));
  decipher.setAAD(BLOB_AAD);
  decipher.setAuthTag(data.subarray(data.length - TAG_BYTES));
  try {
    return Buffer.concat([decipher.update(data.subarray(1 + IV_BYTES, data.length - TAG_BYTES)), decipher.final()]);
  } catch {
    throw new SyncError('blob_tampered', BLOB_TAMPERED_MESSAGE);
  }
}

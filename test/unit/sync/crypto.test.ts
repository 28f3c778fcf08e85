import { describe, expect, it } from 'vitest';
import {
  KDF_PARAMS,
  createKeyEnvelope,
  generateRecoveryCode,
  generateVaultKey,
  normalizeRecoveryCode,
  openBlob,
  parseKeyEnvelope,
  rewrapKeyEnvelope,
  sealBlob,
  unwrapVaultKey,
} from '../../../main/core/sync/crypto.js';
import { SyncError } from '../../../main/core/sync/sync-errors.js';

const plain = Buffer.from(JSON.stringify({ accounts: [{ provider: 'openai', secrets: { accessToken: 'at-secret-123' } }], tombstones: [] }));

async function rejection(promise: Promise<unknown>): Promise<SyncError> {
  try {
    await promise;
  } catch (error) {
    return error as SyncError;
  }
  throw new Error('expected a rejection');
}

function thrown(run: () => unknown): SyncError {
  try {
    run();
  } catch (error) {
    return error as SyncError;
  }
  throw new Error('expected an error');
}

describe('sync crypto', () => {
  it('seals and opens a blob; the blob has the contract layout and hides the plaintext', () => {
    const key = generateVaultKey();
    const blob = sealBlob(key, plain);
    const raw = Buffer.from(blob, 'base64');
    expect(raw[0]).toBe(0x01);
    expect(raw.length).toBe(1 + 12 + plain.length + 16);
    expect(raw.toString('latin1')).not.toContain('at-secret-123');
    expect(openBlob(key, blob).equals(plain)).toBe(true);
    // A fresh IV every time: the same vault never seals to the same blob.
    expect(sealBlob(key, plain)).not.toBe(blob);
  });

  it('refuses a blob with one flipped byte anywhere, a truncated blob, and a blob sealed with another key', () => {
    const key = generateVaultKey();
    const raw = Buffer.from(sealBlob(key, plain), 'base64');
    for (const at of [0, 5, 13, 20, raw.length - 1]) {
      const flipped = Buffer.from(raw);
      flipped[at] = flipped[at]! ^ 0x01;
      const error = thrown(() => openBlob(key, flipped.toString('base64')));
      expect(error).toBeInstanceOf(SyncError);
      expect(error.code).toBe('blob_tampered');
    }
    for (const length of [0, 10, 29, raw.length - 1]) {
      expect(thrown(() => openBlob(key, raw.subarray(0, length).toString('base64'))).code).toBe('blob_tampered');
    }
    expect(thrown(() => openBlob(generateVaultKey(), raw.toString('base64'))).message).toMatch(/nothing from it was applied/);
  });

  it('wraps the key under a passphrase and unwraps it; the envelope carries the contract fields and no key', async () => {
    const key = generateVaultKey();
    const code = generateRecoveryCode();
    const envelope = await createKeyEnvelope(key, 'correct horse battery', code);
    expect(envelope).toMatchObject({ v: 1, kdf: 'scrypt', ...KDF_PARAMS });
    expect(Buffer.from(envelope.salt, 'base64')).toHaveLength(16);
    expect(Buffer.from(envelope.iv, 'base64')).toHaveLength(12);
    expect(Buffer.from(envelope.tag, 'base64')).toHaveLength(16);
    expect(JSON.stringify(envelope)).not.toContain(key.toString('base64'));
    expect(JSON.stringify(envelope)).not.toContain('correct horse');
    expect(parseKeyEnvelope(JSON.parse(JSON.stringify(envelope)))).toEqual(envelope);
    const opened = await unwrapVaultKey(envelope, 'correct horse battery');
    expect(opened.via).toBe('passphrase');
    expect(opened.key.equals(key)).toBe(true);
  });

  it('refuses a wrong passphrase with wrong_passphrase and a sentence that says what to enter', async () => {
    const envelope = await createKeyEnvelope(generateVaultKey(), 'correct horse battery', generateRecoveryCode());
    const error = await rejection(unwrapVaultKey(envelope, 'Correct horse battery'));
    expect(error.code).toBe('wrong_passphrase');
    expect(error.message).toMatch(/passphrase .* first device, or your recovery code/);
  });

  it('unwraps with the recovery code typed in any case with spaces; a near miss is refused', async () => {
    const key = generateVaultKey();
    const code = generateRecoveryCode();
    expect(code).toMatch(/^[A-Z2-7]{5}(-[A-Z2-7]{5}){5}$/);
    const envelope = await createKeyEnvelope(key, 'a passphrase', code);
    const typed = code.toLowerCase().replace(/-/g, ' ');
    const opened = await unwrapVaultKey(envelope, typed);
    expect(opened).toMatchObject({ via: 'recovery' });
    expect(opened.key.equals(key)).toBe(true);
    const wrong = code.slice(0, -1) + (code.endsWith('A') ? 'B' : 'A');
    expect((await rejection(unwrapVaultKey(envelope, wrong))).code).toBe('wrong_passphrase');
    expect(normalizeRecoveryCode('too short')).toBeUndefined();
  });

  it('a passphrase change re-wraps the same key: old blobs still open, the old passphrase no longer works, the recovery code still does', async () => {
    const key = generateVaultKey();
    const code = generateRecoveryCode();
    const envelope = await createKeyEnvelope(key, 'first passphrase', code);
    const blob = sealBlob(key, plain);
    const changed = await rewrapKeyEnvelope(envelope, key, 'second passphrase');
    expect(changed.salt).not.toBe(envelope.salt);
    expect(changed.recovery).toEqual(envelope.recovery);
    const opened = await unwrapVaultKey(changed, 'second passphrase');
    expect(openBlob(opened.key, blob).equals(plain)).toBe(true);
    expect((await rejection(unwrapVaultKey(changed, 'first passphrase'))).code).toBe('wrong_passphrase');
    expect((await unwrapVaultKey(changed, code)).key.equals(key)).toBe(true);
  });

  it('refuses an envelope that is not in the format', () => {
    expect(thrown(() => parseKeyEnvelope({ v: 2 })).code).toBe('envelope_invalid');
  });
});

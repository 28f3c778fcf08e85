import { generateKeyPairSync, randomBytes, randomUUID } from 'node:crypto';
import type { Kysely } from 'kysely';
import type { Database } from '../database/schema.js';

/**
 * Stores a value generated once per deployment, the first writer wins: several instances starting
 * together against one database all end up with the same value.
 */
async function getOrCreate(db: Kysely<Database>, name: string, generate: () => string): Promise<string> {
  const existing = await db.selectFrom('server_secrets').select('value').where('name', '=', name).executeTakeFirst();
  if (existing) return existing.value;
  await db
    .insertInto('server_secrets')
    .values({ name, value: generate(), created_at: new Date().toISOString() })
    .onConflict((oc) => oc.column('name').doNothing())
    .execute();
  const row = await db.selectFrom('server_secrets').select('value').where('name', '=', name).executeTakeFirstOrThrow();
  return row.value;
}

export interface IssuerSecrets {
  /** Private JWKS for ID token signing (RS256 and ES256). */
  readonly jwks: { keys: ReadonlyArray<Record<string, unknown>> };
  /** Keys that sign oidc-provider's cookies. */
  readonly cookieKeys: ReadonlyArray<string>;
}

function generateJwks(): string {
  const rsa = generateKeyPairSync('rsa', { modulusLength: 2048 }).privateKey.export({ format: 'jwk' });
  const ec = generateKeyPairSync('ec', { namedCurve: 'P-256' }).privateKey.export({ format: 'jwk' });
  return JSON.stringify({
    keys: [
      { ...rsa, kid: randomUUID(), alg: 'RS256', use: 'sig' },
      { ...ec, kid: randomUUID(), alg: 'ES256', use: 'sig' },
    ],
  });
}

export async function loadIssuerSecrets(db: Kysely<Database>): Promise<IssuerSecrets> {
  const jwks = JSON.parse(await getOrCreate(db, 'oidc_signing_jwks', generateJwks)) as IssuerSecrets['jwks'];
  const cookieKeys = JSON.parse(await getOrCreate(db, 'oidc_cookie_keys', () => JSON.stringify([randomBytes(32).toString('base64url')]))) as string[];
  return { jwks, cookieKeys };
}

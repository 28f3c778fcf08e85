import { createHash } from 'node:crypto';
import type { Kysely } from 'kysely';
import type { Database } from '../database/schema.js';

type Payload = Record<string, unknown>;

/**
 * Models whose id is a bearer secret (a token's value is its id): stored under a hash of the id and
 * without the id in the payload, so the database holds nothing a thief could present.
 * A DeviceCode keeps its id until consumed because oidc-provider finds it by user code, and a Session
 * keeps its id because oidc-provider finds sessions by uid (both are short-lived).
 */
const SECRET_IDS = new Set(['AccessToken', 'RefreshToken', 'AuthorizationCode', 'DeviceCode', 'ClientCredentials', 'BackchannelAuthenticationRequest', 'PreAuthorizedCode']);
const FOUND_BY_SECONDARY_INDEX = new Set(['DeviceCode']);

export function sha256(value: string): string {
  return createHash('sha256').update(value).digest('base64url');
}

/** oidc-provider's storage interface over the server's database: instances behind one database share it. */
export class DatabaseOidcAdapter {
  constructor(
    private readonly db: Kysely<Database>,
    private readonly model: string,
  ) {}

  private stored(id: string, payload: Payload): string {
    if (SECRET_IDS.has(this.model) && !(FOUND_BY_SECONDARY_INDEX.has(this.model) && !payload.consumed)) {
      const { jti: _jti, ...rest } = payload;
      return JSON.stringify(rest);
    }
    return JSON.stringify(payload);
  }

  private restore(id: string, json: string): Payload {
    const payload = JSON.parse(json) as Payload;
    if (SECRET_IDS.has(this.model) && payload.jti === undefined) payload.jti = id;
    return payload;
  }

  async upsert(id: string, payload: Payload, expiresIn?: number): Promise<void> {
    const row = {
      model: this.model,
      id_hash: sha256(id),
      account_id: typeof payload.accountId === 'string' ? payload.accountId : null,
      grant_id: typeof payload.grantId === 'string' ? payload.grantId : null,
      uid: typeof payload.uid === 'string' ? payload.uid : null,
      user_code_hash: typeof payload.userCode === 'string' ? sha256(payload.userCode) : null,
      payload: this.stored(id, payload),
      expires_at: typeof expiresIn === 'number' ? Date.now() + expiresIn * 1000 : null,
    };
    await this.db
      .insertInto('oidc_models')
      .values(row)
      .onConflict((oc) =>
        oc.columns(['model', 'id_hash']).doUpdateSet({
          account_id: row.account_id,
          grant_id: row.grant_id,
          uid: row.uid,
          user_code_hash: row.user_code_hash,
          payload: row.payload,
          expires_at: row.expires_at,
        }),
      )
      .execute();
  }

  private async findRow(column: 'id_hash' | 'uid' | 'user_code_hash', value: string): Promise<{ payload: string } | undefined> {
    return this.db
      .selectFrom('oidc_models')
      .select('payload')
      .where('model', '=', this.model)
      .where(column, '=', value)
      .where((eb) => eb.or([eb('expires_at', 'is', null), eb('expires_at', '>', Date.now())]))
      .executeTakeFirst();
  }

  async find(id: string): Promise<Payload | undefined> {
    const row = await this.findRow('id_hash', sha256(id));
    return row ? this.restore(id, row.payload) : undefined;
  }

  async findByUid(uid: string): Promise<Payload | undefined> {
    const row = await this.findRow('uid', uid);
    return row ? (JSON.parse(row.payload) as Payload) : undefined;
  }

  async findByUserCode(userCode: string): Promise<Payload | undefined> {
    const row = await this.findRow('user_code_hash', sha256(userCode));
    return row ? (JSON.parse(row.payload) as Payload) : undefined;
  }

  async consume(id: string): Promise<void> {
    const row = await this.findRow('id_hash', sha256(id));
    if (!row) return;
    const payload = { ...this.restore(id, row.payload), consumed: Math.floor(Date.now() / 1000) };
    await this.db.updateTable('oidc_models').set({ payload: this.stored(id, payload) }).where('model', '=', this.model).where('id_hash', '=', sha256(id)).execute();
  }

  async destroy(id: string): Promise<void> {
    await this.db.deleteFrom('oidc_models').where('model', '=', this.model).where('id_hash', '=', sha256(id)).execute();
  }

  async revokeByGrantId(grantId: string): Promise<void> {
    await this.db.deleteFrom('oidc_models').where('grant_id', '=', grantId).execute();
  }
}

/** Deletes expired rows (tokens, sessions, codes) so the table does not grow without bound. */
export async function purgeExpiredOidcModels(db: Kysely<Database>): Promise<void> {
  await db.deleteFrom('oidc_models').where('expires_at', '<', Date.now()).execute();
}

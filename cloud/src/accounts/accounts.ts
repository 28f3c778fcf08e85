import { randomUUID } from 'node:crypto';
import type { Kysely } from 'kysely';
import type { Database } from '../database/schema.js';
import { decoyHash, hashPassword, passwordProblem, verifyPassword } from './passwords.js';

export interface Account {
  readonly id: string;
  readonly email: string;
  readonly createdAt: string;
}

export class AccountError extends Error {
  constructor(
    readonly code: 'invalid_email' | 'weak_password' | 'exists' | 'not_found',
    message: string,
  ) {
    super(message);
  }
}

const EMAIL = /^[^\s@]+@[^\s@]+$/;

export function normalizeEmail(email: string): string {
  return email.trim().toLowerCase();
}

/** Local accounts of the built-in issuer; the account id is the OpenID `sub` that keys all sync data. */
export class Accounts {
  constructor(private readonly db: Kysely<Database>) {}

  async add(emailInput: string, password: string): Promise<Account> {
    const email = normalizeEmail(emailInput);
    if (!EMAIL.test(email) || email.length > 320) throw new AccountError('invalid_email', `"${emailInput}" is not an email address.`);
    const problem = passwordProblem(password);
    if (problem) throw new AccountError('weak_password', problem);
    const account = { id: randomUUID(), email, password_hash: await hashPassword(password), created_at: new Date().toISOString() };
    const inserted = await this.db.insertInto('accounts').values(account).onConflict((oc) => oc.column('email').doNothing()).returning('id').executeTakeFirst();
    if (!inserted) throw new AccountError('exists', `An account for ${email} exists already.`);
    return { id: account.id, email, createdAt: account.created_at };
  }

  async list(): Promise<ReadonlyArray<Account>> {
    const rows = await this.db.selectFrom('accounts').select(['id', 'email', 'created_at']).orderBy('email').execute();
    return rows.map((r) => ({ id: r.id, email: r.email, createdAt: r.created_at }));
  }

  async findById(id: string): Promise<Account | undefined> {
    const row = await this.db.selectFrom('accounts').select(['id', 'email', 'created_at']).where('id', '=', id).executeTakeFirst();
    return row ? { id: row.id, email: row.email, createdAt: row.created_at } : undefined;
  }

  /** The account when email and password match; the same work is done for an unknown email. */
  async authenticate(emailInput: string, password: string): Promise<Account | undefined> {
    const email = normalizeEmail(emailInput);
    const row = await this.db.selectFrom('accounts').selectAll().where('email', '=', email).executeTakeFirst();
    const ok = await verifyPassword(password, row?.password_hash ?? (await decoyHash()));
    return row && ok ? { id: row.id, email: row.email, createdAt: row.created_at } : undefined;
  }

  /** Removes the account, its sign-ins and all of its sync data. */
  async remove(emailInput: string): Promise<Account> {
    const email = normalizeEmail(emailInput);
    return this.db.transaction().execute(async (tx) => {
      const row = await tx.selectFrom('accounts').select(['id', 'email', 'created_at']).where('email', '=', email).executeTakeFirst();
      if (!row) throw new AccountError('not_found', `There is no account for ${email}.`);
      await tx.deleteFrom('oidc_models').where('account_id', '=', row.id).execute();
      for (const table of ['devices', 'vaults', 'key_envelopes', 'leases', 'audit_events', 'rate_windows'] as const) {
        await tx.deleteFrom(table).where('subject', '=', row.id).execute();
      }
      await tx.deleteFrom('accounts').where('id', '=', row.id).execute();
      return { id: row.id, email: row.email, createdAt: row.created_at };
    });
  }
}

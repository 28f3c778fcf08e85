import { type Kysely, type Migration, type MigrationProvider, Migrator } from 'kysely';
import type { DatabaseKind } from './schema.js';

/**
 * Migrations live in code (no files to ship next to the bundle). Each one is written for both
 * dialects; the only difference is how an auto-increment key is spelled.
 */
function migrations(kind: DatabaseKind): Record<string, Migration> {
  return {
    '0001_initial': {
      async up(db: Kysely<unknown>) {
        await db.schema
          .createTable('accounts')
          .addColumn('id', 'text', (c) => c.primaryKey())
          .addColumn('email', 'text', (c) => c.notNull().unique())
          .addColumn('password_hash', 'text', (c) => c.notNull())
          .addColumn('created_at', 'text', (c) => c.notNull())
          .execute();
        await db.schema
          .createTable('devices')
          .addColumn('id', 'text', (c) => c.primaryKey())
          .addColumn('subject', 'text', (c) => c.notNull())
          .addColumn('name', 'text', (c) => c.notNull())
          .addColumn('created_at', 'text', (c) => c.notNull())
          .addColumn('last_seen', 'text')
          .addColumn('revoked_at', 'text')
          .addColumn('grant_id', 'text')
          .execute();
        await db.schema.createIndex('devices_subject').on('devices').column('subject').execute();
        await db.schema
          .createTable('vaults')
          .addColumn('subject', 'text', (c) => c.primaryKey())
          .addColumn('version', 'integer', (c) => c.notNull())
          .addColumn('blob', 'text', (c) => c.notNull())
          .addColumn('updated_at', 'text', (c) => c.notNull())
          .execute();
        await db.schema
          .createTable('key_envelopes')
          .addColumn('subject', 'text', (c) => c.primaryKey())
          .addColumn('version', 'integer', (c) => c.notNull())
          .addColumn('envelope', 'text', (c) => c.notNull())
          .addColumn('updated_at', 'text', (c) => c.notNull())
          .execute();
        await db.schema
          .createTable('leases')
          .addColumn('subject', 'text', (c) => c.notNull())
          .addColumn('lease_key', 'text', (c) => c.notNull())
          .addColumn('holder', 'text', (c) => c.notNull())
          .addColumn('expires_at', 'bigint', (c) => c.notNull())
          .addPrimaryKeyConstraint('leases_pk', ['subject', 'lease_key'])
          .execute();
        await db.schema
          .createTable('audit_events')
          .addColumn('id', kind === 'postgres' ? 'bigserial' : 'integer', (c) =>
            kind === 'postgres' ? c.primaryKey() : c.primaryKey().autoIncrement(),
          )
          .addColumn('subject', 'text', (c) => c.notNull())
          .addColumn('time', 'text', (c) => c.notNull())
          .addColumn('device_id', 'text')
          .addColumn('action', 'text', (c) => c.notNull())
          .addColumn('detail', 'text')
          .execute();
        await db.schema.createIndex('audit_events_subject').on('audit_events').columns(['subject', 'id']).execute();
        await db.schema
          .createTable('rate_windows')
          .addColumn('subject', 'text', (c) => c.notNull())
          .addColumn('window_start', 'bigint', (c) => c.notNull())
          .addColumn('count', 'integer', (c) => c.notNull())
          .addPrimaryKeyConstraint('rate_windows_pk', ['subject', 'window_start'])
          .execute();
        await db.schema
          .createTable('oidc_models')
          .addColumn('model', 'text', (c) => c.notNull())
          .addColumn('id_hash', 'text', (c) => c.notNull())
          .addColumn('account_id', 'text')
          .addColumn('grant_id', 'text')
          .addColumn('uid', 'text')
          .addColumn('user_code_hash', 'text')
          .addColumn('payload', 'text', (c) => c.notNull())
          .addColumn('expires_at', 'bigint')
          .addPrimaryKeyConstraint('oidc_models_pk', ['model', 'id_hash'])
          .execute();
        await db.schema.createIndex('oidc_models_grant').on('oidc_models').column('grant_id').execute();
        await db.schema.createIndex('oidc_models_uid').on('oidc_models').columns(['model', 'uid']).execute();
        await db.schema.createIndex('oidc_models_user_code').on('oidc_models').columns(['model', 'user_code_hash']).execute();
        await db.schema.createIndex('oidc_models_account').on('oidc_models').column('account_id').execute();
        await db.schema.createIndex('oidc_models_expiry').on('oidc_models').column('expires_at').execute();
        await db.schema
          .createTable('server_secrets')
          .addColumn('name', 'text', (c) => c.primaryKey())
          .addColumn('value', 'text', (c) => c.notNull())
          .addColumn('created_at', 'text', (c) => c.notNull())
          .execute();
      },
      async down(db: Kysely<unknown>) {
        for (const table of ['server_secrets', 'oidc_models', 'rate_windows', 'audit_events', 'leases', 'key_envelopes', 'vaults', 'devices', 'accounts']) {
          await db.schema.dropTable(table).execute();
        }
      },
    },
  };
}

class InCodeMigrations implements MigrationProvider {
  constructor(private readonly kind: DatabaseKind) {}
  getMigrations(): Promise<Record<string, Migration>> {
    return Promise.resolve(migrations(this.kind));
  }
}

export interface MigrationOutcome {
  readonly applied: ReadonlyArray<string>;
}

/**
 * Applies pending migrations. Kysely takes a lock (an advisory lock in PostgreSQL), so several
 * instances starting at once against one database apply each migration exactly once.
 */
export async function migrateToLatest<T>(db: Kysely<T>, kind: DatabaseKind): Promise<MigrationOutcome> {
  const migrator = new Migrator({ db: db as unknown as Kysely<unknown>, provider: new InCodeMigrations(kind), migrationTableName: 'schema_migrations', migrationLockTableName: 'schema_migrations_lock' });
  const { error, results } = await migrator.migrateToLatest();
  if (error) {
    const failed = results?.find((r) => r.status === 'Error');
    throw new Error(`Database migration ${failed?.migrationName ?? ''} failed: ${error instanceof Error ? error.message : String(error)}`);
  }
  return { applied: (results ?? []).filter((r) => r.status === 'Success').map((r) => r.migrationName) };
}

import fs from 'node:fs';
import path from 'node:path';
import SQLite from 'better-sqlite3';
import { Kysely, PostgresDialect, SqliteDialect } from 'kysely';
import pg from 'pg';
import { migrateToLatest } from './migrations.js';
import type { Database, DatabaseKind } from './schema.js';

export interface DatabaseHandle {
  readonly db: Kysely<Database>;
  readonly kind: DatabaseKind;
  /** Where the data is, for messages: the SQLite file or the PostgreSQL URL without its password. */
  readonly location: string;
  close(): Promise<void>;
}

export interface DatabaseOptions {
  readonly dataDir: string;
  readonly databaseUrl?: string;
}

export const SQLITE_FILE = 'agent-relay-cloud.sqlite';

// bigint columns hold milliseconds since the epoch, well inside Number's exact range.
pg.types.setTypeParser(pg.types.builtins.INT8, (value: string) => Number(value));

function redactUrl(url: string): string {
  try {
    const parsed = new URL(url);
    if (parsed.password) parsed.password = '***';
    return parsed.href;
  } catch {
    return 'postgres://…';
  }
}

/** Opens the database (SQLite in the data dir unless a postgres:// URL is given) and migrates it. */
export async function openDatabase(options: DatabaseOptions): Promise<DatabaseHandle> {
  const url = options.databaseUrl?.trim();
  let handle: DatabaseHandle;
  if (url) {
    if (!/^postgres(ql)?:\/\//i.test(url)) {
      throw Object.assign(new Error(`Unsupported database URL: only postgres:// (or postgresql://) URLs are supported; without one the server uses SQLite in the data dir.`), { code: 'bad_database_url' });
    }
    const pool = new pg.Pool({ connectionString: url, max: 10 });
    const db = new Kysely<Database>({ dialect: new PostgresDialect({ pool }) });
    handle = { db, kind: 'postgres', location: redactUrl(url), close: () => db.destroy() };
  } else {
    fs.mkdirSync(options.dataDir, { recursive: true, mode: 0o700 });
    const file = path.join(options.dataDir, SQLITE_FILE);
    const sqlite = new SQLite(file);
    // WAL lets the CLI (users add) write while a server has the file open.
    sqlite.pragma('journal_mode = WAL');
    sqlite.pragma('busy_timeout = 5000');
    sqlite.pragma('foreign_keys = ON');
    fs.chmodSync(file, 0o600);
    const db = new Kysely<Database>({ dialect: new SqliteDialect({ database: sqlite }) });
    handle = { db, kind: 'sqlite', location: file, close: () => db.destroy() };
  }
  try {
    await migrateToLatest(handle.db, handle.kind);
  } catch (error) {
    await handle.close().catch(() => undefined);
    throw error;
  }
  return handle;
}

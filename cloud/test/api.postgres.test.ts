import pg from 'pg';
import { describe, expect, test } from 'vitest';
import { apiSuite } from './api-suite.js';

const databaseUrl = process.env.AGENT_RELAY_TEST_DATABASE_URL;

if (databaseUrl) {
  apiSuite('PostgreSQL', {
    databaseUrl,
    inspect: async (_dataDir, { strings, blob }) => {
      // Every row of every table as text: what a dump of the database would hold.
      const client = new pg.Client({ connectionString: databaseUrl });
      await client.connect();
      try {
        const tables = await client.query<{ tablename: string }>("select tablename from pg_tables where schemaname = current_schema()");
        let dump = '';
        for (const { tablename } of tables.rows) {
          const rows = await client.query<{ row: string }>(`select t::text as row from "${tablename}" t`);
          dump += rows.rows.map((r) => r.row).join('\n');
        }
        expect(dump).toContain(blob.slice(0, 64));
        for (const secret of strings) expect(dump.includes(secret), `database contains ${secret.slice(0, 12)}…`).toBe(false);
      } finally {
        await client.end();
      }
    },
  });
} else {
  describe('sync API on PostgreSQL', () => {
    test.skip('skipped: set AGENT_RELAY_TEST_DATABASE_URL (cloud/scripts/test-postgres.sh start prints one)', () => undefined);
  });
}

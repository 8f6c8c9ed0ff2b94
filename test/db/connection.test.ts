import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { openDatabase } from '../../src/db/connection';
import { forEachDatabase, quietLog } from './harness';

describe('openDatabase (SQLite file handling)', () => {
  it('creates the folder of the database file and opens it lazily', async () => {
    const root = fs.mkdtempSync(path.join(os.tmpdir(), 'po-db-'));
    const filename = path.join(root, 'nested', 'dir', 'orders.sqlite');
    const db = openDatabase({ url: `sqlite:${filename}`, log: quietLog });
    try {
      assert.equal(db.dialect, 'sqlite');
      assert.ok(fs.existsSync(path.dirname(filename)));
      await db.ping();
      assert.ok(fs.existsSync(filename));
    } finally {
      await db.close();
      await db.close();
      fs.rmSync(root, { recursive: true, force: true });
    }
  });
});

forEachDatabase('connection settings', (getDb, context) => {
  it('applies the per-connection settings of the dialect', async () => {
    const db = getDb();
    const first = <T>(result: unknown): T => {
      const rows = Array.isArray(result)
        ? Array.isArray(result[0])
          ? result[0]
          : result
        : (result as { rows: unknown[] }).rows;
      return rows[0] as T;
    };
    switch (context.kind) {
      case 'sqlite': {
        const pragma = async (name: string): Promise<unknown> =>
          Object.values(first<Record<string, unknown>>(await db.knex.raw(`pragma ${name}`)))[0];
        assert.equal(await pragma('journal_mode'), 'wal');
        assert.equal(await pragma('foreign_keys'), 1);
        assert.equal(await pragma('synchronous'), 1, 'NORMAL');
        assert.equal(await pragma('busy_timeout'), 5000);
        break;
      }
      case 'postgres': {
        const row = first<{ statement_timeout: string }>(await db.knex.raw('show statement_timeout'));
        assert.equal(row.statement_timeout, '15s');
        assert.equal(typeof first<{ n: unknown }>(await db.knex.raw('select 1.10::numeric(18,2) as n')).n, 'string');
        break;
      }
      case 'mysql': {
        const row = first<Record<string, unknown>>(
          await db.knex.raw(
            'select @@session.time_zone as tz, @@session.sql_mode as mode, @@session.innodb_lock_wait_timeout as lockwait, cast(1.10 as decimal(18,2)) as n',
          ),
        );
        assert.equal(row.tz, '+00:00');
        assert.match(String(row.mode), /STRICT_ALL_TABLES/);
        assert.equal(Number(row.lockwait), 15);
        assert.equal(row.n, '1.10', 'decimals arrive as exact strings');
        // MySQL 8 and MariaDB >= 11.1 name it transaction_isolation; older MariaDB tx_isolation.
        const isolation = first<Record<string, unknown>>(
          await db.knex
            .raw('select @@session.transaction_isolation as i')
            .catch(() => db.knex.raw('select @@session.tx_isolation as i')),
        );
        assert.equal(isolation.i, 'READ-COMMITTED');
        break;
      }
      case 'mssql': {
        const row = first<Record<string, unknown>>(
          await db.knex.raw(
            'select cast(1.10 as decimal(18,2)) as n, is_read_committed_snapshot_on as rcsi from sys.databases where name = db_name()',
          ),
        );
        assert.equal(typeof row.n, 'number', 'tedious returns decimals as numbers: the stores CAST money to text');
        assert.equal(row.rcsi, true);
        break;
      }
    }
  });
});

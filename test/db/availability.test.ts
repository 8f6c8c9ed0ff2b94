/**
 * Failure behaviour: an unreachable, silent or exhausted database makes store calls fail fast with
 * ServiceUnavailable (never hang beyond the configured timeouts), and the same pool recovers by itself
 * when the database returns.
 */
import assert from 'node:assert/strict';
import { type Database, openDatabase } from '../../src/db/connection';
import type { DatabaseOptions } from '../../src/db/config';
import { migrateLatest } from '../../src/db/migrations';
import { toStoreError } from '../../src/db/errors';
import { createStores } from '../../src/db/stores';
import { ServiceUnavailable } from '../../src/service/errors';
import { addProduct, storesOf } from './fixtures';
import { type ScratchDatabase, createScratchDatabase, forEachDatabase, quietLog, testDatabaseKinds } from './harness';
import { TcpProxy, closedPort, silentServer } from './tcp-proxy';

/** Awaits `action`, expecting ServiceUnavailable; returns the elapsed milliseconds. */
async function unavailableWithin(action: () => Promise<unknown>, limitMs: number): Promise<number> {
  const started = Date.now();
  try {
    await action();
  } catch (error) {
    const elapsed = Date.now() - started;
    assert.ok(error instanceof ServiceUnavailable, `expected ServiceUnavailable, got ${String(error)}`);
    assert.ok(elapsed <= limitMs, `took ${elapsed} ms, limit ${limitMs} ms`);
    return elapsed;
  }
  assert.fail('expected ServiceUnavailable, but the call succeeded');
}

const NETWORK_URLS: Record<'postgres' | 'mysql' | 'mssql', (port: number) => string> = {
  postgres: (port) => `postgres://postgres@127.0.0.1:${port}/test`,
  mysql: (port) => `mysql://root@127.0.0.1:${port}/test`,
  mssql: (port) => `mssql://sa:secret@127.0.0.1:${port}/test`,
};

describe('database availability without a server', () => {
  for (const [kind, urlOf] of Object.entries(NETWORK_URLS)) {
    it(`${kind}: a refused connection fails at once with ServiceUnavailable`, async () => {
      const db = openDatabase({ url: urlOf(await closedPort()), acquireTimeoutMs: 3_000, log: quietLog });
      try {
        await unavailableWithin(() => createStores(db).catalog.getProduct('X'), 2_500);
        await unavailableWithin(() => createStores(db).orders.getOrderAnyPartner('X'), 2_500);
      } finally {
        await db.close();
      }
    });

    it(`${kind}: a server that never answers fails after the acquire timeout, not later`, async () => {
      const silent = await silentServer();
      const db = openDatabase({
        url: urlOf(silent.port),
        acquireTimeoutMs: 400,
        statementTimeoutMs: 400,
        log: quietLog,
      });
      try {
        const elapsed = await unavailableWithin(() => createStores(db).partners.findByUsername('acme'), 2_000);
        assert.ok(elapsed >= 350, `gave up after only ${elapsed} ms`);
      } finally {
        await db.close();
        await silent.close();
      }
    });
  }
});

forEachDatabase(
  'pool exhaustion',
  (getDb) => {
    it('fails fast with ServiceUnavailable while every connection is busy, then serves again', async function () {
      this.timeout(20_000);
      const db = getDb();
      await addProduct(storesOf(db), 'P-1', '1.00', 1);
      let release!: () => void;
      const held = new Promise<void>((resolve) => (release = resolve));
      const holding = db.knex.transaction(async (trx) => {
        await trx('products').select('sku').limit(1);
        await held;
      });
      await new Promise((resolve) => setTimeout(resolve, 50));
      try {
        const elapsed = await unavailableWithin(() => storesOf(db).catalog.getProduct('P-1'), 2_000);
        assert.ok(elapsed >= 250, `gave up after only ${elapsed} ms`);
      } finally {
        release();
        await holding;
      }
      assert.equal((await storesOf(db).catalog.getProduct('P-1'))?.sku, 'P-1');
    });
  },
  { database: { pool: { min: 0, max: 1 }, acquireTimeoutMs: 300 } },
);

forEachDatabase(
  'statement timeout',
  (getDb, context) => {
    it('a statement running past the limit is stopped by the server and reported as ServiceUnavailable', async function () {
      this.timeout(20_000);
      const db = getDb();
      const slowQuery: Record<string, (() => Promise<unknown>) | undefined> = {
        postgres: () => db.knex.raw('select pg_sleep(3)'),
        mysql: () =>
          db.knex.raw(
            'select count(*) from information_schema.columns a, information_schema.columns b, information_schema.columns c',
          ),
        mssql: () => db.knex.raw("waitfor delay '00:00:03'"),
      };
      const slow = slowQuery[context.kind];
      if (slow === undefined) {
        // SQLite has no server-side timeout; its lock waits are bounded by busy_timeout (tested below).
        const other = openDatabase(context.scratch().options);
        await other.knex.raw('select 1');
        const connection = (await other.knex.client.acquireConnection()) as { exec(sql: string): void };
        connection.exec('BEGIN IMMEDIATE');
        try {
          await unavailableWithin(
            () =>
              storesOf(db).catalog.upsertProduct({
                sku: 'LOCKED',
                name: 'n',
                category: 'c',
                unitPrice: '1.00',
                currency: 'EUR',
                active: true,
              }),
            2_500,
          );
        } finally {
          connection.exec('ROLLBACK');
          await other.knex.client.releaseConnection(connection);
          await other.close();
        }
        return;
      }
      await unavailableWithin(async () => {
        try {
          await slow();
        } catch (error) {
          throw toStoreError(error);
        }
      }, 2_500);
      await db.ping();
    });
  },
  { database: { statementTimeoutMs: 500 } },
);

const DEFAULT_PORTS = { postgres: 5432, mysql: 3306, mssql: 1433 } as const;
const networkKinds = testDatabaseKinds().filter((kind): kind is keyof typeof DEFAULT_PORTS => kind !== 'sqlite');
for (const kind of networkKinds) {
  describe(`recovery after an outage [${kind}]`, () => {
    let scratch: ScratchDatabase;
    let proxy: TcpProxy;
    let db: Database;

    before(async function () {
      this.timeout(60_000);
      scratch = await createScratchDatabase(kind);
      const direct = openDatabase(scratch.options);
      try {
        await migrateLatest(direct);
        await addProduct(storesOf(direct), 'UP-1', '1.00', 5);
      } finally {
        await direct.close();
      }
      const target = new URL(scratch.options.url!);
      proxy = new TcpProxy(target.hostname, Number(target.port || DEFAULT_PORTS[kind]));
      const port = await proxy.start();
      const viaProxy = new URL(scratch.options.url!);
      viaProxy.port = String(port);
      const options: DatabaseOptions = {
        url: viaProxy.toString(),
        acquireTimeoutMs: 1_000,
        statementTimeoutMs: 2_000,
        pool: { min: 0, max: 4 },
        log: quietLog,
      };
      db = openDatabase(options);
    });

    after(async function () {
      this.timeout(60_000);
      await db?.close();
      await proxy?.stop();
      await scratch?.drop();
    });

    it('fails fast while the database is gone and recovers on the same pool when it returns', async function () {
      this.timeout(30_000);
      const stores = storesOf(db);
      assert.equal((await stores.catalog.getProduct('UP-1'))?.sku, 'UP-1');
      await proxy.stop();
      // Connections in the pool were reset and no new one can be made: every call fails quickly.
      for (let attempt = 0; attempt < 3; attempt += 1)
        await unavailableWithin(() => stores.catalog.getProduct('UP-1'), 1_500);
      await proxy.start();
      let recovered = false;
      const deadline = Date.now() + 5_000;
      while (!recovered && Date.now() < deadline) {
        try {
          recovered = (await stores.catalog.getProduct('UP-1'))?.sku === 'UP-1';
        } catch (error) {
          assert.ok(error instanceof ServiceUnavailable, String(error));
          await new Promise((resolve) => setTimeout(resolve, 100));
        }
      }
      assert.ok(recovered, 'the pool reconnected by itself');
      // And stays healthy.
      for (let attempt = 0; attempt < 5; attempt += 1)
        assert.equal((await stores.catalog.getProduct('UP-1'))?.sku, 'UP-1');
    });
  });
}

forEachDatabase(
  'terminated backends',
  (getDb, context) => {
    it('maps a killed in-flight query to ServiceUnavailable and reconnects afterwards', async function () {
      this.timeout(30_000);
      const db = getDb();
      await addProduct(storesOf(db), 'K-1', '1.00', 1);
      const admin = openDatabase({
        url: context.scratch().options.url!.replace(`/${context.scratch().name}`, '/postgres'),
        pool: { min: 0, max: 1 },
        log: quietLog,
      });
      try {
        const inFlight = db.knex.raw('select pg_sleep(10)').then(
          () => undefined,
          (error: unknown) => toStoreError(error),
        );
        await new Promise((resolve) => setTimeout(resolve, 200));
        await admin.knex.raw(
          'select pg_terminate_backend(pid) from pg_stat_activity where datname = ? and pid <> pg_backend_pid()',
          [context.scratch().name],
        );
        assert.ok((await inFlight) instanceof ServiceUnavailable, 'the interrupted call reports ServiceUnavailable');
        let served = 0;
        for (let attempt = 0; attempt < 10 && served < 3; attempt += 1) {
          try {
            if ((await storesOf(db).catalog.getProduct('K-1'))?.sku === 'K-1') served += 1;
          } catch (error) {
            assert.ok(error instanceof ServiceUnavailable, String(error));
          }
        }
        assert.equal(served, 3, 'the pool replaced the terminated connections');
      } finally {
        await admin.close();
      }
    });
  },
  { only: ['postgres'] },
);

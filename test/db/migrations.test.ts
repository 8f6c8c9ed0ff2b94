import assert from 'node:assert/strict';
import { openDatabase } from '../../src/db/connection';
import {
  migrateDownAll,
  migrateLatest,
  migrationStatus,
  MIGRATIONS,
  releaseMigrationLock,
} from '../../src/db/migrations';
import { TABLES_CHILDREN_FIRST, forEachDatabase } from './harness';

forEachDatabase(
  'migrations',
  (getDb) => {
    it('applies every bundled migration once, reverts them all, and applies them again', async () => {
      const db = getDb();
      const names = MIGRATIONS.map((migration) => migration.name);
      assert.deepEqual((await migrationStatus(db)).pending, names);

      assert.deepEqual(await migrateLatest(db), names);
      for (const table of TABLES_CHILDREN_FIRST)
        assert.equal(await db.knex.schema.hasTable(table), true, `${table} exists`);
      assert.deepEqual(await migrateLatest(db), [], 'a second run applies nothing');
      assert.deepEqual(await migrationStatus(db), { applied: names, pending: [] });

      assert.deepEqual(await migrateDownAll(db), [...names].reverse());
      for (const table of TABLES_CHILDREN_FIRST)
        assert.equal(await db.knex.schema.hasTable(table), false, `${table} dropped`);

      assert.deepEqual(await migrateLatest(db), names);
    });

    it('enforces the stock bounds and the order status with CHECK constraints', async () => {
      const db = getDb();
      const now = new Date().toISOString();
      await db.knex('products').insert({
        sku: 'CHK-1',
        name: 'Check',
        category: 'test',
        unit_price: '1.00',
        currency: 'EUR',
        active: true,
        created_at: now,
        updated_at: now,
      });
      await db.knex('stock').insert({ sku: 'CHK-1', on_hand: 5, reserved: 5, updated_at: now });
      await assert.rejects(
        db.knex('stock').where({ sku: 'CHK-1' }).update({ reserved: 6 }),
        'reserved above on_hand is rejected',
      );
      await assert.rejects(
        db.knex('stock').where({ sku: 'CHK-1' }).update({ on_hand: -1, reserved: 0 }),
        'negative on_hand is rejected',
      );
      const [row] = await db.knex('stock').where({ sku: 'CHK-1' });
      assert.equal(Number(row.reserved), 5);
    });
  },
  { migrate: false },
);

forEachDatabase(
  'concurrent start-up migrations',
  (_getDb, context) => {
    it('several instances migrating at once: one applies, the others wait and find nothing to do', async function () {
      this.timeout(60_000);
      const instances = Array.from({ length: 4 }, () => openDatabase(context.scratch().options));
      try {
        const results = await Promise.all(instances.map((instance) => migrateLatest(instance)));
        const names = MIGRATIONS.map((migration) => migration.name);
        assert.deepEqual(
          results.filter((applied) => applied.length > 0),
          [names],
          'exactly one instance applied the migrations',
        );
        assert.deepEqual((await migrationStatus(instances[0]!)).pending, []);
      } finally {
        await Promise.all(instances.map((instance) => instance.close()));
      }
    });
  },
  { migrate: false },
);

forEachDatabase('stale migration lock', (getDb) => {
  it('a lock left by a crashed migrator makes start-up wait and fail until it is released', async () => {
    const db = getDb();
    await db.knex('knex_migrations_lock').update({ is_locked: 1 });
    await assert.rejects(migrateLatest(db, { waitForLockMs: 300 }), /already locked/);
    await releaseMigrationLock(db);
    assert.deepEqual(await migrateLatest(db, { waitForLockMs: 300 }), []);
  });
});

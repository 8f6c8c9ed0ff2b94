import type { Knex } from 'knex';
import type { Database } from '../connection';
import * as initialSchema from './0001_initial_schema';
import * as orderLinePartnerRef from './0002_order_line_partner_ref';
import * as certificateIdentity from './0003_certificate_identity';

export interface BundledMigration {
  readonly name: string;
  up(knex: Knex): Promise<void>;
  down(knex: Knex): Promise<void>;
}

/** Every migration, in order. Imported (not globbed from a directory) so they work from src/ and dist/. */
export const MIGRATIONS: readonly BundledMigration[] = [initialSchema, orderLinePartnerRef, certificateIdentity];

export const migrationSource: Knex.MigrationSource<BundledMigration> = {
  getMigrations: () => Promise.resolve([...MIGRATIONS]),
  getMigrationName: (migration) => migration.name,
  getMigration: (migration) => Promise.resolve(migration),
};

const migratorConfig: Knex.MigratorConfig = { migrationSource, tableName: 'knex_migrations' };

export interface MigrateOptions {
  /**
   * Several instances starting at once: the one holding knex's migration lock runs the migrations,
   * the others wait up to this long for it and then find nothing left to do (default 60 s).
   */
  waitForLockMs?: number;
}

/**
 * Another process is migrating right now: it holds knex's lock, or it created the bookkeeping tables
 * a moment before us (each database words the "already exists" error differently).
 */
function isConcurrentMigration(error: unknown): boolean {
  const message = error instanceof Error ? error.message : String(error);
  const code = (error as { code?: unknown; errno?: unknown; number?: unknown } | null) ?? {};
  return (
    /Migration table is already locked/i.test(message) ||
    (/knex_migrations/i.test(message) && /already exists|duplicate/i.test(message)) ||
    code.code === '42P07' ||
    code.errno === 1050 ||
    code.number === 2714
  );
}

const sleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));

/**
 * knex creates its lock row with a check-then-insert, so instances starting at once can leave two rows,
 * and its lock (an UPDATE ... WHERE is_locked = 0 that must touch exactly one row) can then never be
 * taken. Keeping the first row repairs that; a single row, locked or not, is left as it is.
 */
async function collapseDuplicateLockRows(db: Database): Promise<void> {
  if (!(await db.knex.schema.hasTable('knex_migrations_lock'))) return;
  const rows = (await db.knex('knex_migrations_lock').select('index').orderBy('index')) as Array<{ index: number }>;
  if (rows.length > 1) await db.knex('knex_migrations_lock').where('index', '>', rows[0]!.index).delete();
}

/** Applies every pending migration; returns the names applied (empty when already up to date). */
export async function migrateLatest(db: Database, options: MigrateOptions = {}): Promise<string[]> {
  const deadline = Date.now() + (options.waitForLockMs ?? 60_000);
  for (;;) {
    try {
      const [, applied] = (await db.knex.migrate.latest(migratorConfig)) as [number, string[]];
      return applied;
    } catch (error) {
      if (!isConcurrentMigration(error) || Date.now() >= deadline) throw error;
      await collapseDuplicateLockRows(db);
      await sleep(100 + Math.random() * 200);
    }
  }
}

/** Reverts every applied migration (tests and `migrate --down`). */
export async function migrateDownAll(db: Database): Promise<string[]> {
  const [, reverted] = (await db.knex.migrate.rollback(migratorConfig, true)) as [number, string[]];
  return reverted;
}

/** Names of applied and pending migrations. */
export async function migrationStatus(db: Database): Promise<{ applied: string[]; pending: string[] }> {
  const [completed, pending] = (await db.knex.migrate.list(migratorConfig)) as [
    Array<{ name: string }>,
    BundledMigration[],
  ];
  return { applied: completed.map((entry) => entry.name), pending: pending.map((migration) => migration.name) };
}

/**
 * Clears knex's migration lock left behind by a process that died while migrating (otherwise every
 * start waits for it and gives up). Only for an operator who knows no migration is running.
 */
export async function releaseMigrationLock(db: Database): Promise<void> {
  await db.knex.migrate.forceFreeMigrationsLock(migratorConfig);
}

import type { Knex } from 'knex';
import type { Database } from '../connection';
import * as initialSchema from './0001_initial_schema';

export interface BundledMigration {
  readonly name: string;
  up(knex: Knex): Promise<void>;
  down(knex: Knex): Promise<void>;
}

/** Every migration, in order. Imported (not globbed from a directory) so they work from src/ and dist/. */
export const MIGRATIONS: readonly BundledMigration[] = [initialSchema];

export const migrationSource: Knex.MigrationSource<BundledMigration> = {
  getMigrations: () => Promise.resolve([...MIGRATIONS]),
  getMigrationName: (migration) => migration.name,
  getMigration: (migration) => Promise.resolve(migration),
};

const migratorConfig: Knex.MigratorConfig = { migrationSource, tableName: 'knex_migrations' };

/** Applies every pending migration; returns the names applied (empty when already up to date). */
export async function migrateLatest(db: Database): Promise<string[]> {
  const [, applied] = (await db.knex.migrate.latest(migratorConfig)) as [number, string[]];
  return applied;
}

/** Reverts every applied migration (tests and `migrate --down`). */
export async function migrateDownAll(db: Database): Promise<string[]> {
  const [, reverted] = (await db.knex.migrate.rollback(migratorConfig, true)) as [number, string[]];
  return reverted;
}

/** Names of applied and pending migrations. */
export async function migrationStatus(db: Database): Promise<{ applied: string[]; pending: string[] }> {
  const [completed, pending] = (await db.knex.migrate.list(migratorConfig)) as [Array<{ name: string }>, BundledMigration[]];
  return { applied: completed.map((entry) => entry.name), pending: pending.map((migration) => migration.name) };
}

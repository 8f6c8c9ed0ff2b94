/**
 * `partner-orders migrate`: brings the database schema up to date (or shows its status, or reverts it).
 */
import type { Command } from 'commander';
import { migrateDownAll, migrateLatest, migrationStatus } from '../db/migrations';
import {
  describeDatabase,
  EXIT_CODES_HELP,
  runWithDatabase,
  withDatabaseOption,
  type DatabaseFlag,
} from './with-database';

interface MigrateFlags extends DatabaseFlag {
  status?: boolean;
  downAll?: boolean;
}

export function registerMigrate(program: Command): Command {
  return withDatabaseOption(
    program
      .command('migrate')
      .description('apply pending database migrations (creates the schema on a new database)')
      .option('--status', 'list applied and pending migrations without changing anything')
      .option('--down-all', 'revert every migration (drops all tables and their data)'),
  )
    .addHelpText(
      'after',
      `${EXIT_CODES_HELP}\n\nExamples:\n  partner-orders migrate\n  DATABASE_URL=postgres://user@host/db partner-orders migrate --status`,
    )
    .action(async (flags: MigrateFlags) => {
      await runWithDatabase(
        flags,
        async (db) => {
          const target = describeDatabase(db);
          if (flags.status) {
            const { applied, pending } = await migrationStatus(db);
            process.stdout.write(
              `${target}\napplied: ${applied.join(', ') || '(none)'}\npending: ${pending.join(', ') || '(none)'}\n`,
            );
            return;
          }
          if (flags.downAll) {
            const reverted = await migrateDownAll(db);
            process.stdout.write(
              `${target}: reverted ${reverted.length} migration(s)${reverted.length ? `: ${reverted.join(', ')}` : ''}\n`,
            );
            return;
          }
          const applied = await migrateLatest(db);
          process.stdout.write(
            applied.length === 0
              ? `${target}: already up to date\n`
              : `${target}: applied ${applied.length} migration(s): ${applied.join(', ')}\n`,
          );
        },
        { mayCreate: !flags.status && !flags.downAll },
      );
    });
}

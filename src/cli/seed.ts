/**
 * `partner-orders seed`: loads the demo catalog, stock and demo partners into an empty database.
 */
import type { Command } from 'commander';
import { migrateLatest } from '../db/migrations';
import { seedDemo } from '../server';
import type { SeededPartner } from '../service/seed';
import {
  describeDatabase,
  EXIT_CODES_HELP,
  runWithDatabase,
  withDatabaseOption,
  type DatabaseFlag,
} from './with-database';

interface SeedFlags extends DatabaseFlag {
  force?: boolean;
  migrate: boolean;
}

export function registerSeed(program: Command): Command {
  return withDatabaseOption(
    program
      .command('seed')
      .description(
        'load the demo catalog (products with stock) and the demo partners "demo" and "admin" into an empty database',
      )
      .option(
        '--force',
        'seed even when the database already holds data (replaces demo products, tops up their stock, keeps existing partners)',
      )
      .option('--no-migrate', 'do not apply pending migrations first'),
  )
    .addHelpText(
      'after',
      `${EXIT_CODES_HELP}\n\nOutside production the demo partners get the fixed passwords \`serve\` prints in its banner; in\nproduction (NODE_ENV=production) they are generated and printed once. Change them with\n  partner-orders partner set-password <username>`,
    )
    .action(async (flags: SeedFlags) => {
      await runWithDatabase(
        flags,
        async (db, config) => {
          if (flags.migrate) await migrateLatest(db);
          const production = (process.env.NODE_ENV ?? 'development') === 'production';
          const outcome = await seedDemo(db, config, { production, force: flags.force });
          const target = describeDatabase(db);
          if (!outcome.seeded) {
            process.stdout.write(
              `${target}: the database already holds data; nothing seeded (use --force to seed anyway)\n`,
            );
            return;
          }
          process.stdout.write(
            `${target}: seeded ${outcome.products} products with stock\n${outcome.partners.map(describePartner).join('\n')}\n`,
          );
        },
        { mayCreate: flags.migrate === true },
      );
    });
}

function describePartner(partner: SeededPartner): string {
  const roles = partner.roles.length > 0 ? ` (roles: ${partner.roles.join(', ')})` : '';
  return partner.created
    ? `partner ${partner.username}${roles}: password ${partner.password}`
    : `partner ${partner.username}${roles}: already existed, password unchanged`;
}

/**
 * Shared plumbing of the data commands (migrate, seed, partner): open the configured database, run one
 * piece of work, close it, and turn failures into a message on stderr and an exit code.
 */
import type { Command } from 'commander';
import { databaseOptionsOf, findProjectRoot } from '../app';
import type { DatabaseOptions } from '../db/config';
import { openDatabase, type Database } from '../db/connection';
export { describeDatabase } from '../db/describe';
import { DomainError, PartnerAlreadyExists, PartnerNotFound, ServiceUnavailable, ValidationError } from '../service/errors';
import { loadConfig, type AppConfig } from '../config';

/** Exit codes of the data commands (also listed in their --help). */
export const EXIT = Object.freeze({ ok: 0, failure: 1, invalidInput: 2, notFound: 3, conflict: 4 });

export const EXIT_CODES_HELP = `
Exit codes:
  0  success
  1  failure (configuration, database unreachable, unexpected error)
  2  invalid input
  3  partner not found
  4  partner already exists`;

export interface DatabaseFlag {
  database?: string;
}

/** Adds `--database <url>` (overrides DATABASE_URL and the configuration). */
export function withDatabaseOption(command: Command): Command {
  return command.option('--database <url>', 'database URL (default: DATABASE_URL or the configured database, SQLite data/partner-orders.sqlite)');
}

/**
 * The database `serve` uses (same resolution: DATABASE_URL / config, SQLite relative to the project root),
 * unless `--database` overrides it.
 */
export function configuredDatabaseOptions(flag: DatabaseFlag, config: AppConfig): DatabaseOptions {
  if (flag.database !== undefined) return { url: flag.database };
  return databaseOptionsOf(config, findProjectRoot());
}

/**
 * Opens the database, runs `work`, closes the database. Errors become a one-line message on stderr and
 * `process.exitCode` (no stack trace unless DEBUG is set); the process is never killed mid-close.
 */
export async function runWithDatabase(flag: DatabaseFlag, work: (db: Database, config: AppConfig) => Promise<void>): Promise<void> {
  let db: Database | undefined;
  try {
    const config = loadConfig();
    db = openDatabase(configuredDatabaseOptions(flag, config));
    await work(db, config);
  } catch (error) {
    reportFailure(error);
  } finally {
    await db?.close().catch(() => undefined);
  }
}

export function reportFailure(error: unknown): void {
  const { message, code } = describeFailure(error);
  process.stderr.write(`error: ${message}\n`);
  if (process.env.DEBUG && error instanceof Error && error.stack) process.stderr.write(`${error.stack}\n`);
  process.exitCode = code;
}

function describeFailure(error: unknown): { message: string; code: number } {
  if (error instanceof ValidationError) {
    return { message: error.violations.map((v) => (v.path ? `${v.path} ${v.message}` : v.message)).join('; '), code: EXIT.invalidInput };
  }
  if (error instanceof PartnerNotFound) return { message: error.message, code: EXIT.notFound };
  if (error instanceof PartnerAlreadyExists) return { message: error.message, code: EXIT.conflict };
  if (error instanceof ServiceUnavailable) {
    const cause = error.cause instanceof Error ? `: ${error.cause.message}` : '';
    return { message: `the database is unavailable${cause}`, code: EXIT.failure };
  }
  if (error instanceof DomainError) return { message: error.message, code: EXIT.failure };
  if (error instanceof Error) return { message: error.message, code: EXIT.failure };
  return { message: String(error), code: EXIT.failure };
}

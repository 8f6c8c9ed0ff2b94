/**
 * Shared plumbing of the data commands (migrate, seed, partner): open the configured database, run one
 * piece of work, close it, and turn failures into a message on stderr and an exit code.
 */
import type { Command } from 'commander';
import { databaseOptionsOf, findProjectRoot } from '../app';
import type { DatabaseOptions } from '../db/config';
import { redactUrl } from '../config/redact-url';
import { openDatabase, type Database } from '../db/connection';
import { DomainError, PartnerAlreadyExists, PartnerNotFound, ServiceUnavailable, ValidationError } from '../service/errors';
import { announceCredentialChange } from '../ops/cache';
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

export function describeDatabase(db: Database): string {
  const connection = db.options.connection as { filename?: string; connectionString?: string; host?: string; server?: string; database?: string };
  if (db.dialect === 'sqlite') return `sqlite ${connection.filename ?? ''}`;
  if (connection.connectionString) return redactUrl(connection.connectionString);
  return `${db.dialect} ${connection.host ?? connection.server ?? ''}/${connection.database ?? ''}`;
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

/**
 * After a partner's password, status or policy changed: running instances drop their verified PasswordText
 * credentials (through Redis). A Redis failure is a warning, not an error: the change is committed.
 */
export async function announceCredentialChangeOf(config: AppConfig): Promise<void> {
  if ((await announceCredentialChange(config)) === 'failed') {
    process.stderr.write(`warning: Redis unreachable: running instances keep verified PasswordText credentials up to cache.verifiedCredentials.ttlSeconds (${config.cache.verifiedCredentials.ttlSeconds} s)\n`);
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

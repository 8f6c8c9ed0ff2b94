/**
 * Shared plumbing of the data commands (migrate, seed, partner): open the configured database, run one
 * piece of work, close it, and turn failures into a message on stderr and an exit code.
 */
import type { Command } from 'commander';
import { databaseOptionsOf, findProjectRoot } from '../app';
import fs from 'node:fs';
import path from 'node:path';
import { resolveDatabaseOptions, type DatabaseOptions } from '../db/config';
import { openDatabase, type Database } from '../db/connection';
import { CliFailure, EXIT, explainFailure, UsageError, verbose } from './errors';
export { describeDatabase } from '../db/describe';
import {
  DomainError,
  PartnerAlreadyExists,
  PartnerNotFound,
  ServiceUnavailable,
  ValidationError,
} from '../service/errors';
import { announceCredentialChange } from '../ops/cache';
import { loadConfig, type AppConfig } from '../config';

export { EXIT } from './errors';

export const EXIT_CODES_HELP = `
Exit codes:
  0  success
  1  failure (configuration, database unreachable, unexpected error)
  2  usage error or invalid input (unknown command or option, missing argument, bad value)
  3  partner not found
  4  partner already exists`;

export interface DatabaseFlag {
  database?: string;
}

/** Adds `--database <url>` (overrides DATABASE_URL and the configuration). */
export function withDatabaseOption(command: Command): Command {
  return command.option(
    '--database <url>',
    'database URL (default: DATABASE_URL or the configured database, SQLite data/partner-orders.sqlite)',
  );
}

/**
 * The database `serve` uses (same resolution: DATABASE_URL / config, SQLite relative to the project root),
 * unless `--database` overrides it.
 */
export function configuredDatabaseOptions(flag: DatabaseFlag, config: AppConfig): DatabaseOptions {
  // knex's own diagnostics ("Acquire connection error" with a stack) only with --verbose / LOG_LEVEL=debug:
  // the failure itself is reported once, as one line.
  const quiet = (message: unknown): void => {
    if (verbose()) process.stderr.write(`${String(message)}\n`);
  };
  const log = { warn: quiet, error: quiet, debug: () => undefined };
  if (flag.database !== undefined) return { url: flag.database, log };
  return { ...databaseOptionsOf(config, findProjectRoot()), log };
}

/**
 * A SQLite path that does not exist is a typo far more often than a wish for a new database: only the
 * commands that create one (migrate, seed) may, and only in an existing directory. Checked before
 * opening, which would create the directories and an empty file.
 */
function checkSqliteTarget(options: DatabaseOptions, flag: DatabaseFlag, mayCreate: boolean): void {
  const resolved = resolveDatabaseOptions(options);
  if (resolved.dialect !== 'sqlite') return;
  const filename = (resolved.connection as { filename: string }).filename;
  if (filename === ':memory:' || fs.existsSync(filename)) return;
  const where = flag.database !== undefined ? '--database' : 'DATABASE_URL (config database.url)';
  const fail = (message: string): never => {
    throw flag.database !== undefined ? new UsageError(message) : new CliFailure(message);
  };
  const directory = path.dirname(path.resolve(filename));
  if (!fs.existsSync(directory)) fail(`no directory ${directory} for the SQLite database ${filename}: check ${where}`);
  if (!mayCreate) fail(`no SQLite database at ${filename}: check ${where}, or create it with partner-orders migrate`);
}

export interface RunOptions {
  /** The command may create a new SQLite database file (migrate, seed). */
  mayCreate?: boolean;
}

/**
 * Opens the database, runs `work`, closes the database. Errors become a one-line message on stderr and
 * `process.exitCode` (no stack trace unless DEBUG is set); the process is never killed mid-close.
 */
export async function runWithDatabase(
  flag: DatabaseFlag,
  work: (db: Database, config: AppConfig) => Promise<void>,
  run: RunOptions = {},
): Promise<void> {
  let db: Database | undefined;
  let target: string | undefined;
  try {
    const config = loadConfig();
    const options = configuredDatabaseOptions(flag, config);
    target = options.url ?? (options.filename === undefined ? undefined : `sqlite ${options.filename}`);
    checkSqliteTarget(options, flag, run.mayCreate === true);
    db = openDatabase(options);
    await work(db, config);
  } catch (error) {
    reportFailure(error, target);
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
    process.stderr.write(
      `warning: Redis unreachable: running instances keep verified PasswordText credentials up to cache.verifiedCredentials.ttlSeconds (${config.cache.verifiedCredentials.ttlSeconds} s)\n`,
    );
  }
}

export function reportFailure(error: unknown, database?: string): void {
  const { message, code } = describeFailure(error, database);
  process.stderr.write(`error: ${message}\n`);
  if (verbose() && error instanceof Error && error.stack) process.stderr.write(`${error.stack}\n`);
  process.exitCode = code;
}

function describeFailure(error: unknown, database: string | undefined): { message: string; code: number } {
  if (error instanceof ValidationError) {
    return {
      message: error.violations.map((v) => (v.path ? `${v.path} ${v.message}` : v.message)).join('; '),
      code: EXIT.invalidInput,
    };
  }
  if (error instanceof PartnerNotFound) return { message: error.message, code: EXIT.notFound };
  if (error instanceof PartnerAlreadyExists) return { message: error.message, code: EXIT.conflict };
  if (error instanceof ServiceUnavailable) {
    const explained = explainFailure(error.cause ?? error, { database, databaseFlag: true });
    if (explained.message !== (error.cause instanceof Error ? error.cause.message : undefined)) return explained;
    return {
      message: `the database ${database ?? ''} is unavailable: ${explained.message}; check DATABASE_URL (config database.url) or --database`,
      code: EXIT.failure,
    };
  }
  if (error instanceof DomainError) return { message: error.message, code: EXIT.failure };
  return explainFailure(error, { database, databaseFlag: true });
}

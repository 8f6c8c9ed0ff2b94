import fs from 'node:fs';
import path from 'node:path';
import knexFactory, { type Knex } from 'knex';
import {
  type DatabaseLog,
  type DatabaseOptions,
  type Dialect,
  type MysqlConnection,
  type ResolvedDatabaseOptions,
  SQLITE_BUSY_TIMEOUT_MS,
  knexClientOf,
  knexPoolConfig,
  resolveDatabaseOptions,
} from './config';
import { CachingBetterSqlite3Client } from './sqlite-client';

/** An open database: the knex instance plus the facts the stores need about it. */
export interface Database {
  readonly knex: Knex;
  readonly dialect: Dialect;
  readonly options: ResolvedDatabaseOptions;
  /** Round trip to the server; rejects when it is unreachable (used by readiness checks). */
  ping(): Promise<void>;
  /** Destroys the pool; waits for connections in use to be released. Safe to call twice. */
  close(): Promise<void>;
}

/** The part of a better-sqlite3 connection used here (the package ships no type declarations). */
interface SqliteRawConnection {
  pragma(source: string): unknown;
  function(name: string, options: { deterministic: boolean }, implementation: (value: unknown) => unknown): unknown;
  readonly memory: boolean;
}

/**
 * SQLite's built-in lower() folds ASCII only, so a case-insensitive search found 'Ölwanne' for 'ölwanne'
 * on PostgreSQL and MariaDB but not here. Redefining lower() per connection with JavaScript's Unicode case
 * mapping (the one the search pattern is lowered with) gives the same results on every database.
 */
function unicodeLower(value: unknown): unknown {
  return typeof value === 'string' ? value.toLowerCase() : value;
}

/** The part of a mysql2 callback connection used here. */
interface MysqlRawConnection {
  query(sql: string, callback: (error: Error | null, rows: unknown) => void): void;
}

type AfterCreate = (connection: unknown, done: (error: Error | null, connection: unknown) => void) => void;

function sqliteAfterCreate(busyTimeoutMs: number): AfterCreate {
  return (raw, done) => {
    try {
      const connection = raw as SqliteRawConnection;
      // WAL: readers never block the writer; NORMAL is durable across process crashes in WAL mode
      // (only an OS crash may lose the last transactions), which is the documented trade-off.
      if (!connection.memory) connection.pragma('journal_mode = WAL');
      connection.pragma('foreign_keys = ON');
      connection.pragma(`busy_timeout = ${busyTimeoutMs}`);
      connection.pragma('synchronous = NORMAL');
      connection.function('lower', { deterministic: true }, unicodeLower);
      done(null, raw);
    } catch (error) {
      done(error as Error, raw);
    }
  };
}

function runMysql(connection: MysqlRawConnection, sql: string): Promise<unknown> {
  return new Promise((resolve, reject) =>
    connection.query(sql, (error, rows) => (error ? reject(error) : resolve(rows))),
  );
}

function mysqlAfterCreate(statementTimeoutMs: number): AfterCreate {
  return (raw, done) => {
    const connection = raw as MysqlRawConnection;
    const lockWaitSeconds = Math.max(1, Math.ceil(statementTimeoutMs / 1000));
    const setup = async (): Promise<void> => {
      await runMysql(connection, "SET time_zone = '+00:00'");
      await runMysql(
        connection,
        "SET SESSION sql_mode = 'STRICT_ALL_TABLES,NO_ZERO_IN_DATE,NO_ZERO_DATE,ERROR_FOR_DIVISION_BY_ZERO,NO_ENGINE_SUBSTITUTION'",
      );
      // READ COMMITTED: no gap locks, so concurrent order inserts do not deadlock on index gaps, and
      // conditional UPDATEs always see the latest committed row (they are locking reads anyway).
      await runMysql(connection, 'SET SESSION TRANSACTION ISOLATION LEVEL READ COMMITTED');
      await runMysql(connection, `SET SESSION innodb_lock_wait_timeout = ${lockWaitSeconds}`);
      const versionRows = (await runMysql(connection, 'SELECT VERSION() AS v')) as Array<{ v: string }>;
      const isMariaDb = /mariadb/i.test(versionRows[0]?.v ?? '');
      if (statementTimeoutMs > 0) {
        await runMysql(
          connection,
          isMariaDb
            ? `SET SESSION max_statement_time = ${(statementTimeoutMs / 1000).toFixed(3)}`
            : `SET SESSION max_execution_time = ${statementTimeoutMs}`,
        );
      }
    };
    setup().then(
      () => done(null, raw),
      (error: Error) => done(error, raw),
    );
  };
}

/** Routes knex's diagnostics (connection errors, pool warnings) to the given log. */
function knexLogOf(log: DatabaseLog): Knex.Config['log'] {
  return {
    warn: (message: unknown) => log.warn(String(message)),
    error: (message: unknown) => log.error(String(message)),
    debug: (message: unknown) => log.debug?.(String(message)),
    deprecate: (method: unknown, alternative: unknown) =>
      log.warn(`${String(method)} is deprecated, use ${String(alternative)}`),
  };
}

/** Builds the knex configuration (exported so tests can check the timeouts really reach the driver). */
export function knexConfigOf(resolved: ResolvedDatabaseOptions): Knex.Config {
  const pool: Knex.PoolConfig = knexPoolConfig(resolved);
  if (resolved.dialect === 'sqlite') {
    // Waiting for another process's write lock counts against the statement timeout like any lock wait.
    const busyTimeoutMs =
      resolved.statementTimeoutMs > 0
        ? Math.min(SQLITE_BUSY_TIMEOUT_MS, resolved.statementTimeoutMs)
        : SQLITE_BUSY_TIMEOUT_MS;
    pool.afterCreate = sqliteAfterCreate(busyTimeoutMs);
  }
  if (resolved.dialect === 'mysql') pool.afterCreate = mysqlAfterCreate(resolved.statementTimeoutMs);
  return {
    ...(resolved.log ? { log: knexLogOf(resolved.log) } : {}),
    // SQLite: knex's better-sqlite3 client reusing prepared statements (sqlite-client.ts).
    client: resolved.dialect === 'sqlite' ? CachingBetterSqlite3Client : knexClientOf(resolved.dialect),
    connection:
      resolved.dialect === 'mysql' ? { ...(resolved.connection as MysqlConnection) } : { ...resolved.connection },
    pool,
    acquireConnectionTimeout: resolved.acquireTimeoutMs,
    useNullAsDefault: resolved.dialect === 'sqlite',
  };
}

/** Opens (lazily: the pool connects on first use) the database described by `options`. */
export function openDatabase(options: DatabaseOptions = {}): Database {
  const resolved = resolveDatabaseOptions(options);
  if (resolved.dialect === 'sqlite') {
    const filename = (resolved.connection as { filename: string }).filename;
    if (filename !== ':memory:') fs.mkdirSync(path.dirname(path.resolve(filename)), { recursive: true });
  }
  const knex = knexFactory(knexConfigOf(resolved));
  let closing: Promise<void> | undefined;
  return {
    knex,
    dialect: resolved.dialect,
    options: resolved,
    async ping() {
      await knex.raw('select 1 as ok');
    },
    close() {
      closing ??= knex.destroy();
      return closing;
    },
  };
}

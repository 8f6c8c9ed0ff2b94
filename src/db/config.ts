import path from 'node:path';
import type { Knex } from 'knex';
import { redactUrl } from '../config/redact-url';

/** The four database families the service supports; every dialect-specific branch switches on this. */
export type Dialect = 'sqlite' | 'postgres' | 'mysql' | 'mssql';

/** Plain options (the ops layer maps node-config / DATABASE_URL onto this shape). */
export interface DatabaseOptions {
  /**
   * `sqlite:relative/or/absolute/path`, a bare file path (SQLite), `postgres://` / `postgresql://`,
   * `mysql://` / `mariadb://`, `mssql://` / `sqlserver://`. Query parameters are passed on where they mean
   * something (see `parseDatabaseUrl`).
   */
  url?: string;
  /** Overrides the family derived from `url` (e.g. `client: 'sqlite'` with `filename`). */
  client?: Dialect;
  /** SQLite file; `:memory:` is allowed. Default `data/partner-orders.sqlite`. */
  filename?: string;
  pool?: { min?: number; max?: number };
  /** How long a request waits for a pooled connection (or for a new one to open) before failing. */
  acquireTimeoutMs?: number;
  /** Per statement limit enforced by the server (pg statement_timeout, MariaDB max_statement_time, ...). */
  statementTimeoutMs?: number;
  /**
   * Where knex's own diagnostics go (connection errors, pool warnings). Default: the console, like
   * knex. The ops layer passes its logger; tests pass a quiet one.
   */
  log?: DatabaseLog;
}

export interface DatabaseLog {
  warn(message: string): void;
  error(message: string): void;
  debug?(message: string): void;
}

export const DEFAULT_SQLITE_FILE = path.join('data', 'partner-orders.sqlite');
export const DEFAULT_ACQUIRE_TIMEOUT_MS = 5_000;
export const DEFAULT_STATEMENT_TIMEOUT_MS = 15_000;
export const DEFAULT_POOL = { min: 0, max: 10 } as const;
/** SQLite: how long a writer waits for another process holding the write lock (busy_timeout). */
export const SQLITE_BUSY_TIMEOUT_MS = 5_000;

export interface ResolvedDatabaseOptions {
  dialect: Dialect;
  /** Driver connection settings, already in the shape the knex client for `dialect` expects. */
  connection: SqliteConnection | PostgresConnection | MysqlConnection | MssqlConnection;
  pool: { min: number; max: number };
  acquireTimeoutMs: number;
  statementTimeoutMs: number;
  log?: DatabaseLog;
}

export interface SqliteConnection {
  filename: string;
}
export interface PostgresConnection {
  connectionString: string;
  statement_timeout: number;
  /** Client-side guard too: a half-open socket must not hang a request beyond the statement limit. */
  query_timeout: number;
  connectionTimeoutMillis: number;
  application_name: string;
}
export interface MysqlConnection {
  host: string;
  port: number;
  user: string;
  password?: string;
  database: string;
  timezone: 'Z';
  charset: 'utf8mb4';
  decimalNumbers: false;
  supportBigNumbers: true;
  bigNumberStrings: true;
  dateStrings: true;
  connectTimeout: number;
  ssl?: Record<string, unknown>;
}
export interface MssqlConnection {
  server: string;
  port?: number;
  user?: string;
  password?: string;
  database: string;
  requestTimeout: number;
  connectionTimeout: number;
  options: {
    useUTC: true;
    encrypt: boolean;
    trustServerCertificate: boolean;
    instanceName?: string;
    appName: string;
  };
}

const APP_NAME = 'partner-order-service';

function familyOfUrl(url: string): Dialect {
  const scheme = /^([a-z][a-z0-9+.-]*):/i.exec(url)?.[1]?.toLowerCase();
  switch (scheme) {
    case 'postgres':
    case 'postgresql':
      return 'postgres';
    case 'mysql':
    case 'mariadb':
      return 'mysql';
    case 'mssql':
    case 'sqlserver':
      return 'mssql';
    case 'sqlite':
    case 'file':
    case undefined:
      return 'sqlite';
    default:
      // A one-letter "scheme" is a Windows drive (C:\data\x.sqlite): a file path.
      if (scheme.length === 1) return 'sqlite';
      throw new Error(
        `Unsupported database URL scheme "${scheme}:" (expected sqlite:, postgres://, mysql://, mariadb://, mssql:// or sqlserver://)`,
      );
  }
}

function sqliteFileOfUrl(url: string): string {
  if (/^sqlite:\/\//i.test(url)) return url.slice('sqlite://'.length);
  if (/^sqlite:/i.test(url)) return url.slice('sqlite:'.length);
  if (/^file:/i.test(url)) return url.slice('file:'.length);
  return url;
}

function positiveInt(value: number | undefined, fallback: number, what: string): number {
  if (value === undefined) return fallback;
  if (!Number.isInteger(value) || value < 0)
    throw new Error(`${what} must be a non-negative integer, got ${String(value)}`);
  return value;
}

function flag(params: URLSearchParams, name: string, fallback: boolean): boolean {
  const raw = params.get(name);
  if (raw === null) return fallback;
  return raw === '' || raw === '1' || raw.toLowerCase() === 'true' || raw.toLowerCase() === 'yes';
}

function databaseOfUrl(parsed: URL, fallback?: string): string {
  const name = decodeURIComponent(parsed.pathname.replace(/^\//, ''));
  if (name !== '') return name;
  if (fallback !== undefined) return fallback;
  throw new Error(`The database URL ${redactUrl(parsed.toString())} names no database`);
}

/** Turns the plain options into fully defaulted, driver-shaped settings. Throws on anything invalid. */
export function resolveDatabaseOptions(options: DatabaseOptions = {}): ResolvedDatabaseOptions {
  const dialect: Dialect = options.client ?? (options.url !== undefined ? familyOfUrl(options.url) : 'sqlite');
  const acquireTimeoutMs = positiveInt(options.acquireTimeoutMs, DEFAULT_ACQUIRE_TIMEOUT_MS, 'acquireTimeoutMs');
  const statementTimeoutMs = positiveInt(
    options.statementTimeoutMs,
    DEFAULT_STATEMENT_TIMEOUT_MS,
    'statementTimeoutMs',
  );
  const poolMax = positiveInt(options.pool?.max, DEFAULT_POOL.max, 'pool.max');
  const poolMin = positiveInt(options.pool?.min, DEFAULT_POOL.min, 'pool.min');
  if (poolMax < 1) throw new Error('pool.max must be at least 1');
  if (poolMin > poolMax) throw new Error('pool.min must not exceed pool.max');
  const common = {
    acquireTimeoutMs,
    statementTimeoutMs,
    pool: { min: poolMin, max: poolMax },
    ...(options.log ? { log: options.log } : {}),
  };

  switch (dialect) {
    case 'sqlite': {
      const filename =
        options.filename ?? (options.url !== undefined ? sqliteFileOfUrl(options.url) : DEFAULT_SQLITE_FILE);
      if (filename === '') throw new Error('The SQLite database URL names no file');
      // One connection: SQLite serialises writers anyway, and a single connection makes knex
      // transactions the unit of serialisation inside this process (no SQLITE_BUSY between our own requests).
      return { ...common, dialect, pool: { min: 1, max: 1 }, connection: { filename } };
    }
    case 'postgres': {
      if (options.url === undefined) throw new Error('PostgreSQL needs a url (postgres://user:pass@host:port/db)');
      return {
        ...common,
        dialect,
        connection: {
          connectionString: options.url,
          statement_timeout: statementTimeoutMs,
          query_timeout: statementTimeoutMs + 1_000,
          connectionTimeoutMillis: acquireTimeoutMs,
          application_name: APP_NAME,
        },
      };
    }
    case 'mysql': {
      if (options.url === undefined) throw new Error('MySQL/MariaDB needs a url (mysql://user:pass@host:port/db)');
      const parsed = new URL(options.url);
      const connection: MysqlConnection = {
        host: parsed.hostname || '127.0.0.1',
        port: parsed.port ? Number(parsed.port) : 3306,
        user: decodeURIComponent(parsed.username || 'root'),
        database: databaseOfUrl(parsed),
        // Sessions run in UTC; DECIMAL and BIGINT come back as exact strings, never floats.
        timezone: 'Z',
        charset: 'utf8mb4',
        decimalNumbers: false,
        supportBigNumbers: true,
        bigNumberStrings: true,
        dateStrings: true,
        connectTimeout: acquireTimeoutMs,
      };
      if (parsed.password !== '') connection.password = decodeURIComponent(parsed.password);
      if (flag(parsed.searchParams, 'ssl', false))
        connection.ssl = { rejectUnauthorized: flag(parsed.searchParams, 'sslVerify', true) };
      return { ...common, dialect, connection };
    }
    case 'mssql': {
      if (options.url === undefined)
        throw new Error('SQL Server needs a url (mssql://user:pass@host:port/db?encrypt=true)');
      const parsed = new URL(options.url);
      const params = parsed.searchParams;
      const connection: MssqlConnection = {
        server: parsed.hostname || '127.0.0.1',
        database: databaseOfUrl(parsed),
        requestTimeout: statementTimeoutMs,
        connectionTimeout: acquireTimeoutMs,
        options: {
          useUTC: true,
          encrypt: flag(params, 'encrypt', false),
          trustServerCertificate: flag(params, 'trustServerCertificate', false),
          appName: APP_NAME,
        },
      };
      if (parsed.port) connection.port = Number(parsed.port);
      if (parsed.username !== '') connection.user = decodeURIComponent(parsed.username);
      if (parsed.password !== '') connection.password = decodeURIComponent(parsed.password);
      const instanceName = params.get('instanceName');
      if (instanceName) connection.options.instanceName = instanceName;
      return { ...common, dialect, connection };
    }
  }
}

/** The knex client name for a dialect (better-sqlite3, pg, mysql2, mssql/tedious). */
export function knexClientOf(dialect: Dialect): string {
  switch (dialect) {
    case 'sqlite':
      return 'better-sqlite3';
    case 'postgres':
      return 'pg';
    case 'mysql':
      return 'mysql2';
    case 'mssql':
      return 'mssql';
  }
}

/** Knex pool/timeout settings shared by all dialects (afterCreate is added by connection.ts). */
export function knexPoolConfig(resolved: ResolvedDatabaseOptions): Knex.PoolConfig {
  return {
    min: resolved.pool.min,
    max: resolved.pool.max,
    acquireTimeoutMillis: resolved.acquireTimeoutMs,
    createTimeoutMillis: resolved.acquireTimeoutMs,
    idleTimeoutMillis: 30_000,
    // A failing connect rejects waiting requests at once instead of retrying until the acquire timeout.
    propagateCreateError: true,
  };
}

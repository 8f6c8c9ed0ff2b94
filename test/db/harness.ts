/**
 * Runs database-backed suites once per database listed in TEST_DATABASES (default `sqlite`), each in its
 * own freshly created database that is dropped afterwards, so concurrent runs never collide.
 *
 *   TEST_DATABASES=sqlite,postgres,mysql,mssql
 *   PG_URL    admin URL used to CREATE/DROP DATABASE (default postgres://postgres@127.0.0.1:5432/test)
 *   MYSQL_URL admin URL for MySQL/MariaDB (default mysql://root@127.0.0.1:3306/test)
 *   MSSQL_URL admin URL for SQL Server (no default: listing mssql without it is an error)
 *
 * A database that is listed but unreachable fails the suite's `before` hook: it is never skipped.
 */
import crypto from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import knexFactory, { type Knex } from 'knex';
import type { DatabaseLog, DatabaseOptions, Dialect } from '../../src/db/config';
import { type Database, openDatabase } from '../../src/db/connection';
import { migrateLatest } from '../../src/db/migrations';

export type TestDatabaseKind = Dialect;

/**
 * knex diagnostics collected instead of printed: tests provoke connection errors on purpose. Set
 * DB_TEST_VERBOSE=1 to see them.
 */
export const quietLog: DatabaseLog & { messages: string[] } = {
  messages: [],
  warn(message) {
    quietLog.messages.push(message);
    if (process.env.DB_TEST_VERBOSE === '1') process.stderr.write(`[knex warn] ${message}\n`);
  },
  error(message) {
    quietLog.messages.push(message);
    if (process.env.DB_TEST_VERBOSE === '1') process.stderr.write(`[knex error] ${message}\n`);
  },
};

const DEFAULT_URLS: Partial<Record<TestDatabaseKind, string>> = {
  postgres: 'postgres://postgres@127.0.0.1:5432/test',
  mysql: 'mysql://root@127.0.0.1:3306/test',
};
const URL_VARIABLES: Record<Exclude<TestDatabaseKind, 'sqlite'>, string> = {
  postgres: 'PG_URL',
  mysql: 'MYSQL_URL',
  mssql: 'MSSQL_URL',
};
const ALIASES: Record<string, TestDatabaseKind> = {
  sqlite: 'sqlite',
  sqlite3: 'sqlite',
  postgres: 'postgres',
  postgresql: 'postgres',
  pg: 'postgres',
  mysql: 'mysql',
  mariadb: 'mysql',
  mssql: 'mssql',
  sqlserver: 'mssql',
};

/** The databases to test, from TEST_DATABASES (comma separated; unknown names are an error). */
export function testDatabaseKinds(): TestDatabaseKind[] {
  const raw = process.env.TEST_DATABASES?.trim() || 'sqlite';
  const kinds: TestDatabaseKind[] = [];
  for (const name of raw
    .split(',')
    .map((part) => part.trim().toLowerCase())
    .filter(Boolean)) {
    const kind = ALIASES[name];
    if (kind === undefined)
      throw new Error(`TEST_DATABASES names an unknown database "${name}" (use sqlite, postgres, mysql, mssql)`);
    if (!kinds.includes(kind)) kinds.push(kind);
  }
  return kinds;
}

export function adminUrlOf(kind: Exclude<TestDatabaseKind, 'sqlite'>): string {
  const variable = URL_VARIABLES[kind];
  const url = process.env[variable] ?? DEFAULT_URLS[kind];
  if (url === undefined) throw new Error(`TEST_DATABASES lists ${kind} but ${variable} is not set`);
  return url;
}

function withDatabaseName(url: string, database: string): string {
  const parsed = new URL(url);
  parsed.pathname = `/${database}`;
  return parsed.toString();
}

/** A scratch database: options to open it (as often as a test wants) and a way to drop it. */
export interface ScratchDatabase {
  readonly kind: TestDatabaseKind;
  readonly name: string;
  readonly options: DatabaseOptions;
  drop(): Promise<void>;
}

async function withAdmin<T>(kind: Exclude<TestDatabaseKind, 'sqlite'>, work: (admin: Knex) => Promise<T>): Promise<T> {
  const url = adminUrlOf(kind);
  const database = openDatabase({ url, pool: { min: 0, max: 1 }, acquireTimeoutMs: 10_000, log: quietLog });
  try {
    return await work(database.knex);
  } finally {
    await database.close();
  }
}

/** Creates an empty database named po_t_<pid>_<random> (a temp file for SQLite). */
export async function createScratchDatabase(
  kind: TestDatabaseKind,
  overrides: Partial<DatabaseOptions> = {},
): Promise<ScratchDatabase> {
  const name = `po_t_${process.pid}_${crypto.randomBytes(4).toString('hex')}`;
  if (kind === 'sqlite') {
    const filename = path.join(os.tmpdir(), `${name}.sqlite`);
    return {
      kind,
      name,
      options: { log: quietLog, ...overrides, client: 'sqlite', filename },
      async drop() {
        for (const suffix of ['', '-wal', '-shm']) fs.rmSync(`${filename}${suffix}`, { force: true });
      },
    };
  }
  const adminUrl = adminUrlOf(kind);
  await withAdmin(kind, async (admin) => {
    if (kind === 'postgres') await admin.raw('CREATE DATABASE ??', [name]);
    if (kind === 'mysql') await admin.raw('CREATE DATABASE ?? CHARACTER SET utf8mb4 COLLATE utf8mb4_bin', [name]);
    if (kind === 'mssql') {
      // Case-sensitive keys like the other databases (the server default collation is usually CI).
      await admin.raw('CREATE DATABASE ?? COLLATE Latin1_General_100_CS_AS_SC', [name]);
      // The configuration docs/databases.md recommends for production: readers do not block writers.
      await admin.raw('ALTER DATABASE ?? SET READ_COMMITTED_SNAPSHOT ON WITH ROLLBACK IMMEDIATE', [name]);
    }
  });
  return {
    kind,
    name,
    options: { log: quietLog, ...overrides, url: withDatabaseName(adminUrl, name) },
    async drop() {
      await withAdmin(kind, async (admin) => {
        if (kind === 'postgres') await admin.raw('DROP DATABASE IF EXISTS ?? WITH (FORCE)', [name]);
        if (kind === 'mysql') await admin.raw('DROP DATABASE IF EXISTS ??', [name]);
        if (kind === 'mssql') {
          await admin.raw('ALTER DATABASE ?? SET SINGLE_USER WITH ROLLBACK IMMEDIATE', [name]);
          await admin.raw('DROP DATABASE ??', [name]);
        }
      });
    },
  };
}

export interface DatabaseSuiteOptions {
  /** Run the migrations in `before` (default true). */
  migrate?: boolean;
  /** Extra options for the opened database (pool size, timeouts). */
  database?: Partial<DatabaseOptions>;
  /** Only these kinds (among those listed in TEST_DATABASES), for dialect-specific behaviour. */
  only?: readonly TestDatabaseKind[];
}

export interface DatabaseSuiteContext {
  readonly kind: TestDatabaseKind;
  /** The open (and, unless disabled, migrated) database of the current suite. */
  db(): Database;
  /** The scratch database, e.g. to open a second pool on it. */
  scratch(): ScratchDatabase;
}

/**
 * Declares `describe(`${title} [kind]`)` once per listed database. `define` receives `getDb`, valid inside
 * hooks and tests (not while the suite is being declared), and a context with more details.
 */
export function forEachDatabase(
  title: string,
  define: (getDb: () => Database, context: DatabaseSuiteContext) => void,
  options: DatabaseSuiteOptions = {},
): void {
  for (const kind of testDatabaseKinds().filter(
    (candidate) => options.only === undefined || options.only.includes(candidate),
  )) {
    describe(`${title} [${kind}]`, function () {
      let scratch: ScratchDatabase | undefined;
      let database: Database | undefined;
      const getDb = (): Database => {
        if (database === undefined)
          throw new Error(`The ${kind} test database is not open (use getDb() inside hooks and tests)`);
        return database;
      };
      const context: DatabaseSuiteContext = {
        kind,
        db: getDb,
        scratch: () => {
          if (scratch === undefined) throw new Error('The scratch database does not exist yet');
          return scratch;
        },
      };

      before(async function () {
        this.timeout(60_000);
        scratch = await createScratchDatabase(kind, options.database);
        database = openDatabase(scratch.options);
        await database.ping();
        if (options.migrate !== false) await migrateLatest(database);
      });

      after(async function () {
        this.timeout(60_000);
        try {
          await database?.close();
        } finally {
          await scratch?.drop();
        }
      });

      define(getDb, context);
    });
  }
}

/** Tables in dependency order (children first), for cleaning between tests. */
export const TABLES_CHILDREN_FIRST = [
  'order_history',
  'order_lines',
  'orders',
  'stock_adjustments',
  'stock',
  'products',
  'partner_limits',
  'partner_certificates',
  'partners',
] as const;

/** Deletes every row (keeps the schema): a cheap reset between tests in one suite. */
export async function deleteAllRows(db: Database): Promise<void> {
  for (const table of TABLES_CHILDREN_FIRST) await db.knex(table).del();
}

/** Opens a connection-less knex for compiling SQL of a dialect. */
export function compilerFor(kind: TestDatabaseKind): Knex {
  const clients: Record<TestDatabaseKind, string> = {
    sqlite: 'better-sqlite3',
    postgres: 'pg',
    mysql: 'mysql2',
    mssql: 'mssql',
  };
  return knexFactory({ client: clients[kind], useNullAsDefault: true });
}

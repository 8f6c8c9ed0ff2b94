import assert from 'node:assert/strict';
import path from 'node:path';
import { knexConfigOf } from '../../src/db/connection';
import { CachingBetterSqlite3Client } from '../../src/db/sqlite-client';
import { DEFAULT_SQLITE_FILE, resolveDatabaseOptions } from '../../src/db/config';

describe('database options', () => {
  it('defaults to SQLite at data/partner-orders.sqlite with one connection', () => {
    const resolved = resolveDatabaseOptions();
    assert.equal(resolved.dialect, 'sqlite');
    assert.deepEqual(resolved.connection, { filename: DEFAULT_SQLITE_FILE });
    assert.equal(DEFAULT_SQLITE_FILE, path.join('data', 'partner-orders.sqlite'));
    assert.deepEqual(resolved.pool, { min: 1, max: 1 });
    assert.equal(knexConfigOf(resolved).client, CachingBetterSqlite3Client);
  });

  it('accepts sqlite: URLs and bare file paths', () => {
    assert.deepEqual(resolveDatabaseOptions({ url: 'sqlite:var/db.sqlite' }).connection, { filename: 'var/db.sqlite' });
    assert.deepEqual(resolveDatabaseOptions({ url: 'sqlite:///abs/db.sqlite' }).connection, {
      filename: '/abs/db.sqlite',
    });
    assert.deepEqual(resolveDatabaseOptions({ url: '/tmp/x.sqlite' }).connection, { filename: '/tmp/x.sqlite' });
    assert.deepEqual(resolveDatabaseOptions({ url: 'sqlite::memory:' }).connection, { filename: ':memory:' });
    assert.deepEqual(resolveDatabaseOptions({ client: 'sqlite', filename: 'a.db' }).connection, { filename: 'a.db' });
  });

  it('passes the statement and acquire timeouts to PostgreSQL', () => {
    const resolved = resolveDatabaseOptions({
      url: 'postgresql://u:p@db:5433/orders',
      statementTimeoutMs: 1234,
      acquireTimeoutMs: 800,
      pool: { min: 2, max: 20 },
    });
    assert.equal(resolved.dialect, 'postgres');
    assert.deepEqual(resolved.connection, {
      connectionString: 'postgresql://u:p@db:5433/orders',
      statement_timeout: 1234,
      query_timeout: 2234,
      connectionTimeoutMillis: 800,
      application_name: 'partner-order-service',
    });
    const config = knexConfigOf(resolved);
    assert.equal(config.client, 'pg');
    assert.equal(config.acquireConnectionTimeout, 800);
    assert.deepEqual(
      { min: config.pool?.min, max: config.pool?.max, acquire: config.pool?.acquireTimeoutMillis },
      { min: 2, max: 20, acquire: 800 },
    );
  });

  it('configures MySQL/MariaDB for UTC, exact decimals and a session setup hook', () => {
    const resolved = resolveDatabaseOptions({ url: 'mariadb://app:s%40cret@db.example:3307/orders?ssl=true' });
    assert.deepEqual(resolved.connection, {
      host: 'db.example',
      port: 3307,
      user: 'app',
      password: 's@cret',
      database: 'orders',
      timezone: 'Z',
      charset: 'utf8mb4',
      decimalNumbers: false,
      supportBigNumbers: true,
      bigNumberStrings: true,
      dateStrings: true,
      connectTimeout: 5000,
      ssl: { rejectUnauthorized: true },
    });
    const config = knexConfigOf(resolved);
    assert.equal(config.client, 'mysql2');
    assert.equal(typeof config.pool?.afterCreate, 'function');
  });

  it('configures SQL Server with useUTC and the statement timeout as requestTimeout', () => {
    const resolved = resolveDatabaseOptions({
      url: 'sqlserver://sa:pw@sql:1444/orders?encrypt=true&trustServerCertificate=true',
      statementTimeoutMs: 9000,
      acquireTimeoutMs: 3000,
    });
    assert.equal(resolved.dialect, 'mssql');
    assert.deepEqual(resolved.connection, {
      server: 'sql',
      port: 1444,
      user: 'sa',
      password: 'pw',
      database: 'orders',
      requestTimeout: 9000,
      connectionTimeout: 3000,
      options: { useUTC: true, encrypt: true, trustServerCertificate: true, appName: 'partner-order-service' },
    });
    assert.equal(knexConfigOf(resolved).client, 'mssql');
  });

  it('rejects unknown schemes, missing database names and bad numbers with clear messages', () => {
    assert.throws(() => resolveDatabaseOptions({ url: 'oracle://x/y' }), /Unsupported database URL scheme "oracle:"/);
    assert.throws(
      () => resolveDatabaseOptions({ url: 'mysql://root:secret@h:3306' }),
      (error: Error) => /names no database/.test(error.message) && !error.message.includes('secret'),
    );
    assert.throws(
      () => resolveDatabaseOptions({ url: 'postgres://h/db', statementTimeoutMs: -1 }),
      /statementTimeoutMs must be a non-negative integer/,
    );
    assert.throws(
      () => resolveDatabaseOptions({ url: 'postgres://h/db', pool: { min: 5, max: 2 } }),
      /pool.min must not exceed pool.max/,
    );
    assert.throws(
      () => resolveDatabaseOptions({ url: 'postgres://h/db', pool: { max: 0 } }),
      /pool.max must be at least 1/,
    );
  });
});

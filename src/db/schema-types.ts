import type { Knex } from 'knex';
import type { Dialect } from './config';

/**
 * Column types shared by every migration, chosen to mean the same on the four databases.
 *
 * Money: DECIMAL(18,2) on PostgreSQL (numeric), MySQL/MariaDB and SQL Server: exact, 16 integer digits.
 * SQLite has no exact decimal type (knex maps `decimal` to FLOAT, i.e. REAL affinity, which would turn
 * 0.10 into a binary fraction), so there the same values are stored as their canonical decimal text
 * ("1234.50"). The stores never do money arithmetic in SQL: totals are computed exactly in TypeScript.
 *
 * Instants: fixed-width ISO-8601 UTC text with milliseconds, `YYYY-MM-DDTHH:mm:ss.sssZ` (24 chars, the
 * output of Date#toISOString). Because every value has the same width and the same separators at the
 * same positions, string order is chronological order under every collation, so range filters and
 * keyset paging compare correctly on all four databases; and no driver or session time zone can shift
 * the value (pg `timestamp` is parsed as local time by node-postgres, MySQL TIMESTAMP depends on the
 * session zone and ends in 2038, SQLite has no date type at all, tedious rounds to datetime precision
 * unless told otherwise). The contract carries xs:dateTime lexical strings, so no conversion is lost.
 */
export const TIMESTAMP_LENGTH = 24;
/** xs:date `YYYY-MM-DD`. */
export const DATE_LENGTH = 10;
/** Canonical decimal text on SQLite: sign, 16 integer digits, point, 2 fraction digits. */
export const SQLITE_MONEY_TEXT_LENGTH = 20;

export function moneyColumn(table: Knex.CreateTableBuilder, name: string, dialect: Dialect): Knex.ColumnBuilder {
  return dialect === 'sqlite' ? table.string(name, SQLITE_MONEY_TEXT_LENGTH) : table.decimal(name, 18, 2);
}

export function timestampColumn(table: Knex.CreateTableBuilder, name: string): Knex.ColumnBuilder {
  return table.string(name, TIMESTAMP_LENGTH);
}

export function dateColumn(table: Knex.CreateTableBuilder, name: string): Knex.ColumnBuilder {
  return table.string(name, DATE_LENGTH);
}

/**
 * MySQL/MariaDB tables use utf8mb4 with a binary collation: equality and uniqueness are exact like on
 * PostgreSQL and SQLite (not case- or accent-insensitive), so 'abc' and 'ABC' are distinct usernames and
 * index keys stay within InnoDB's 3072-byte limit at 4 bytes per character.
 */
export function tableDefaults(table: Knex.CreateTableBuilder, dialect: Dialect): void {
  if (dialect === 'mysql') {
    table.engine('InnoDB');
    table.charset('utf8mb4');
    table.collate('utf8mb4_bin');
  }
}

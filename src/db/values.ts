import type { Knex } from 'knex';
import { canonicalMoney } from '../service/money';
import type { MoneyString } from '../service/store';
import type { Dialect } from './config';

/** Date -> the stored instant text (see schema-types.ts for why instants are fixed-width ISO text). */
export function instantToDb(instant: Date): string {
  const text = instant.toISOString();
  if (text.length !== 24) throw new RangeError(`Instant ${text} is outside the storable years 0000-9999`);
  return text;
}

export function instantFromDb(value: unknown, column: string): Date {
  if (typeof value !== 'string') throw new TypeError(`Column ${column}: expected instant text, got ${typeof value}`);
  const instant = new Date(value);
  if (Number.isNaN(instant.getTime())) throw new TypeError(`Column ${column}: invalid instant "${value}"`);
  return instant;
}

export function optionalInstantFromDb(value: unknown, column: string): Date | undefined {
  return value === null || value === undefined ? undefined : instantFromDb(value, column);
}

/** Canonical money text to store; validated so a bad value fails here, not as a driver coercion. */
export function moneyToDb(amount: MoneyString): string {
  const canonical = canonicalMoney(amount);
  if (canonical === undefined || canonical !== amount)
    throw new RangeError(`Not a canonical decimal(18,2) amount: "${amount}"`);
  return canonical;
}

/**
 * Stored money -> canonical text. Every driver hands it over as text (pg NUMERIC, mysql2 with
 * decimalNumbers=false, SQLite TEXT column, SQL Server through the CAST in `moneyColumn`); a number here
 * would mean a query forgot that cast and could have lost digits, so it is refused.
 */
export function moneyFromDb(value: unknown, column: string): MoneyString {
  if (typeof value !== 'string')
    throw new TypeError(`Column ${column}: money must arrive as text, got ${typeof value}`);
  const canonical = canonicalMoney(value);
  if (canonical === undefined) throw new TypeError(`Column ${column}: invalid money value "${value}"`);
  return canonical;
}

/**
 * Select expression for a money column. tedious converts DECIMAL to a JS number (inexact beyond 15
 * significant digits), so on SQL Server the column is read as its exact decimal text instead.
 */
export function moneySelect(knex: Knex, dialect: Dialect, column: string, alias: string): Knex.Raw | string {
  return dialect === 'mssql' ? knex.raw('CAST(?? AS varchar(24)) as ??', [column, alias]) : `${column} as ${alias}`;
}

/** pg/SQL Server booleans, MySQL TINYINT(1) and SQLite integers, all to boolean. */
export function booleanFromDb(value: unknown): boolean {
  return value === true || value === 1 || value === '1' || value === 't';
}

/** Integers (COUNT(*) arrives as a bigint string on pg and mysql2 with bigNumberStrings). */
export function integerFromDb(value: unknown, column: string): number {
  const number = typeof value === 'number' ? value : typeof value === 'string' ? Number(value) : Number.NaN;
  if (!Number.isSafeInteger(number)) throw new TypeError(`Column ${column}: expected an integer, got ${String(value)}`);
  return number;
}

export function stringFromDb(value: unknown, column: string): string {
  if (typeof value !== 'string') throw new TypeError(`Column ${column}: expected text, got ${typeof value}`);
  return value;
}

export function optionalStringFromDb(value: unknown, column: string): string | undefined {
  return value === null || value === undefined ? undefined : stringFromDb(value, column);
}

/** undefined -> NULL for inserts and updates (knex would otherwise drop or default the column). */
export function nullable<T>(value: T | undefined): T | null {
  return value === undefined ? null : value;
}

/** Escapes LIKE wildcards so user text matches literally (ESCAPE '!'; SQL Server also treats [ as a wildcard). */
export function likeContains(text: string, dialect: Dialect): string {
  const special = dialect === 'mssql' ? /[!%_[]/g : /[!%_]/g;
  return `%${text.toLowerCase().replace(special, (character) => `!${character}`)}%`;
}

/** Splits rows for multi-row inserts: SQL Server accepts at most 2100 parameters per statement. */
export function chunk<T>(items: readonly T[], size: number): T[][] {
  const chunks: T[][] = [];
  for (let index = 0; index < items.length; index += size) chunks.push(items.slice(index, index + size));
  return chunks;
}

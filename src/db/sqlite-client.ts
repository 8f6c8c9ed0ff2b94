/**
 * knex's better-sqlite3 client with prepared statements reused per connection. knex prepares every query
 * afresh (connection.prepare(sql) on each call): under load that was 11% of the service's busy CPU on
 * SQLite (profile of GetOrder/SubmitOrder with PasswordDigest). Statements are kept per connection in a
 * bounded map keyed by the SQL text, which knex compiles identically for identical query shapes; varying
 * shapes (IN lists of different lengths) just take more entries, the oldest dropped past the bound.
 *
 * Reuse is safe with better-sqlite3: all()/run() are synchronous, so a statement is never in use by two
 * queries at once, and SQLite re-prepares a statement itself when the schema changed (migrations).
 * Everything else is knex's own _query (bindings formatting, safe integers, the response shape).
 */
import type { Knex } from 'knex';

/** The part of a better-sqlite3 statement used here (the package ships no type declarations). */
interface Statement {
  readonly reader: boolean;
  safeIntegers(on: boolean): Statement;
  all(bindings: unknown[]): unknown[];
  run(bindings: unknown[]): { changes: number; lastInsertRowid: number | bigint };
}

interface Connection {
  prepare(sql: string): Statement;
}

interface QueryObject {
  sql?: string;
  bindings?: unknown[];
  options?: unknown;
  response?: unknown;
  context?: { lastID: number | bigint; changes: number };
}

interface BetterSqlite3ClientInternals {
  _optSafeIntegers(options: unknown): boolean | undefined;
  _formatBindings(bindings: unknown[] | undefined): unknown[];
}

/** Statements kept per connection; the service's queries have a few dozen shapes. */
export const STATEMENTS_PER_CONNECTION = 500;

// knex's dialect classes are not part of its typed API; this is the documented way to extend a client
// (config.client may be a Client subclass).
// eslint-disable-next-line @typescript-eslint/no-require-imports
const BetterSqlite3Client = require('knex/lib/dialects/better-sqlite3') as typeof Knex.Client;

const statementsOf = new WeakMap<Connection, Map<string, Statement>>();

/** `safeIntegers` undefined: the connection's default, as knex leaves it. Part of the key, so a mode set once sticks to its entry only. */
function preparedStatement(connection: Connection, sql: string, safeIntegers: boolean | undefined): Statement {
  let statements = statementsOf.get(connection);
  if (statements === undefined) {
    statements = new Map();
    statementsOf.set(connection, statements);
  }
  const key = safeIntegers === undefined ? sql : `${safeIntegers ? 'safe' : 'unsafe'}\u0000${sql}`;
  let statement = statements.get(key);
  if (statement === undefined) {
    statement = connection.prepare(sql);
    if (safeIntegers !== undefined) statement.safeIntegers(safeIntegers);
    if (statements.size >= STATEMENTS_PER_CONNECTION) statements.delete(statements.keys().next().value!);
    statements.set(key, statement);
  }
  return statement;
}

export class CachingBetterSqlite3Client extends BetterSqlite3Client {
  async _query(connection: Connection, obj: QueryObject): Promise<QueryObject> {
    if (!obj.sql) throw new Error('The query is empty');
    if (!connection) throw new Error('No connection provided');
    const self = this as unknown as BetterSqlite3ClientInternals;
    const statement = preparedStatement(connection, obj.sql, self._optSafeIntegers(obj.options));
    const bindings = self._formatBindings(obj.bindings);
    if (statement.reader) {
      obj.response = statement.all(bindings);
      return obj;
    }
    const response = statement.run(bindings);
    obj.response = response;
    obj.context = { lastID: response.lastInsertRowid, changes: response.changes };
    return obj;
  }
}

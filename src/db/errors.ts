import { DomainError, ServiceUnavailable } from '../service/errors';

/**
 * What a driver error means for the caller, independent of the database family:
 * - `unique`: a UNIQUE / PRIMARY KEY constraint rejected the write (idempotency, duplicate names).
 * - `conflict`: deadlock, serialization failure, lock wait timeout or SQLite busy: the same transaction
 *   may succeed if simply run again.
 * - `unavailable`: the database cannot be reached or does not answer in time (pool acquire timeout,
 *   refused/reset connections, server shutting down, statement timeout).
 * - `other`: a bug or a constraint the code should have prevented: propagate as is.
 */
export type DatabaseErrorKind = 'unique' | 'conflict' | 'unavailable' | 'other';

interface DriverErrorFields {
  name?: unknown;
  code?: unknown;
  errno?: unknown;
  number?: unknown;
  sqlState?: unknown;
  message?: unknown;
  originalError?: unknown;
  cause?: unknown;
}

const PG_UNIQUE = new Set(['23505']);
const PG_CONFLICT = new Set(['40001', '40P01', '55P03']);
// 57P01-03: admin/crash shutdown, cannot connect now; 57014: statement_timeout; 53300: too many connections.
const PG_UNAVAILABLE = new Set(['57P01', '57P02', '57P03', '57014', '53300']);

const MYSQL_UNIQUE = new Set([1062, 1586]);
// 1213 deadlock, 1205 lock wait timeout (innodb_lock_wait_timeout, set from the statement timeout).
const MYSQL_CONFLICT = new Set([1213, 1205]);
// 1040 too many connections, 1053 server shutdown, 1317 query interrupted, 1969 MariaDB max_statement_time,
// 3024 MySQL max_execution_time, 2002/2003/2006/2013 client-side connection failures, 4031 idle disconnect.
const MYSQL_UNAVAILABLE = new Set([1040, 1053, 1317, 1969, 3024, 2002, 2003, 2006, 2013, 4031]);
const MYSQL_UNAVAILABLE_CODES = new Set([
  'PROTOCOL_CONNECTION_LOST',
  'PROTOCOL_SEQUENCE_TIMEOUT',
  'ER_CON_COUNT_ERROR',
]);

const MSSQL_UNIQUE = new Set([2627, 2601]);
// 1205 deadlock victim, 1222 lock request timeout, 3960 snapshot update conflict.
const MSSQL_CONFLICT = new Set([1205, 1222, 3960]);
// tedious: ESOCKET (connect/IO failure), ETIMEOUT (connect or request timeout), ECLOSE/ECONNCLOSED.
const TEDIOUS_UNAVAILABLE_CODES = new Set(['ESOCKET', 'ETIMEOUT', 'ECLOSE', 'ECONNCLOSED', 'ELOGIN', 'EINSTLOOKUP']);

const SQLITE_UNIQUE = new Set(['SQLITE_CONSTRAINT_UNIQUE', 'SQLITE_CONSTRAINT_PRIMARYKEY']);
const SQLITE_CONFLICT = /^SQLITE_(BUSY|LOCKED)/;
const SQLITE_UNAVAILABLE = /^SQLITE_(CANTOPEN|IOERR|FULL|READONLY|NOTADB|CORRUPT)/;

const SOCKET_CODES = new Set([
  'ECONNREFUSED',
  'ECONNRESET',
  'ETIMEDOUT',
  'EPIPE',
  'ENOTFOUND',
  'EHOSTUNREACH',
  'ENETUNREACH',
  'EAI_AGAIN',
  'ECONNABORTED',
]);

const UNAVAILABLE_MESSAGES = [
  /Timeout acquiring a connection/i,
  /Connection terminated/i,
  /Connection ended unexpectedly/i,
  /Query read timeout/i,
  /timeout exceeded when trying to connect/i,
  /Client has encountered a connection error/i,
  /Can't add new command when connection is in closed state/i,
  /connection is in closed state/i,
  /Connection lost/i,
];

function fieldsOf(error: unknown): DriverErrorFields | undefined {
  return typeof error === 'object' && error !== null ? (error as DriverErrorFields) : undefined;
}

function classifyOne(fields: DriverErrorFields): DatabaseErrorKind {
  const code = typeof fields.code === 'string' ? fields.code : undefined;
  const errno = typeof fields.errno === 'number' ? fields.errno : undefined;
  const number = typeof fields.number === 'number' ? fields.number : undefined;
  const message = typeof fields.message === 'string' ? fields.message : '';

  if (fields.name === 'KnexTimeoutError') return 'unavailable';
  if (code !== undefined) {
    if (PG_UNIQUE.has(code) || SQLITE_UNIQUE.has(code) || code === 'ER_DUP_ENTRY') return 'unique';
    if (PG_CONFLICT.has(code) || SQLITE_CONFLICT.test(code)) return 'conflict';
    if (code === 'ER_LOCK_DEADLOCK' || code === 'ER_LOCK_WAIT_TIMEOUT') return 'conflict';
    if (PG_UNAVAILABLE.has(code) || /^08[0-9A-Z]{3}$/.test(code)) return 'unavailable';
    if (SQLITE_UNAVAILABLE.test(code)) return 'unavailable';
    if (SOCKET_CODES.has(code) || MYSQL_UNAVAILABLE_CODES.has(code)) return 'unavailable';
  }
  // mysql2 sets errno to the server error number; tedious sets `number`.
  if (errno !== undefined) {
    if (MYSQL_UNIQUE.has(errno)) return 'unique';
    if (MYSQL_CONFLICT.has(errno)) return 'conflict';
    if (MYSQL_UNAVAILABLE.has(errno)) return 'unavailable';
  }
  if (number !== undefined) {
    if (MSSQL_UNIQUE.has(number)) return 'unique';
    if (MSSQL_CONFLICT.has(number)) return 'conflict';
  }
  if (code !== undefined && TEDIOUS_UNAVAILABLE_CODES.has(code)) return 'unavailable';
  if (UNAVAILABLE_MESSAGES.some((pattern) => pattern.test(message))) return 'unavailable';
  return 'other';
}

/** Classifies a driver/knex error (looking through `originalError` / `cause` wrappers). */
export function classifyDatabaseError(error: unknown): DatabaseErrorKind {
  const seen = new Set<unknown>();
  let current: unknown = error;
  while (current !== undefined && current !== null && !seen.has(current)) {
    seen.add(current);
    const fields = fieldsOf(current);
    if (fields === undefined) return 'other';
    const kind = classifyOne(fields);
    if (kind !== 'other') return kind;
    current = fields.originalError ?? fields.cause;
  }
  return 'other';
}

export const isUniqueViolation = (error: unknown): boolean => classifyDatabaseError(error) === 'unique';
export const isTransientConflict = (error: unknown): boolean => classifyDatabaseError(error) === 'conflict';
export const isUnavailable = (error: unknown): boolean => classifyDatabaseError(error) === 'unavailable';

/**
 * The error a store lets escape: domain errors unchanged; unreachable databases and conflicts that
 * survived their retries become `ServiceUnavailable` (with the driver error as `cause`, for the log);
 * anything else propagates unchanged so bugs stay visible.
 */
export function toStoreError(error: unknown): unknown {
  if (error instanceof DomainError) return error;
  const kind = classifyDatabaseError(error);
  if (kind === 'unavailable')
    return new ServiceUnavailable('The database is temporarily unavailable', { cause: error });
  if (kind === 'conflict')
    return new ServiceUnavailable('The database is too busy to complete the request; retry later', { cause: error });
  return error;
}

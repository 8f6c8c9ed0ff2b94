/**
 * How the `partner-orders` command reports failure: one line on stderr naming what to change (the
 * environment variable, configuration key or option), and a documented exit code. A stack trace only
 * with --verbose or LOG_LEVEL=debug (or DEBUG set), for the cases the line does not explain.
 *
 * Exit codes (also in every command's --help):
 *   0 success · 1 failure (configuration, database, network, unexpected) · 2 usage or invalid input
 *   (unknown command or option, missing argument, bad value) · 3 not found · 4 conflict
 */
import { redactUrl } from '../config/redact-url';

export const EXIT = Object.freeze({ ok: 0, failure: 1, invalidInput: 2, notFound: 3, conflict: 4 });

/** A bad command line or input value: exit code 2. */
export class UsageError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'UsageError';
  }
}

/** A failure whose message already says what to change: exit code 1 unless given. */
export class CliFailure extends Error {
  constructor(
    message: string,
    readonly exitCode: number = EXIT.failure,
    options?: { cause?: unknown },
  ) {
    super(message, options);
    this.name = 'CliFailure';
  }
}

let verboseFlag = false;

/** Set by the program from its command line (--verbose may follow any subcommand). */
export function setVerbose(argv: readonly string[]): void {
  verboseFlag = argv.includes('--verbose');
}

export function verbose(): boolean {
  return verboseFlag || process.env.LOG_LEVEL === 'debug' || (process.env.DEBUG ?? '') !== '';
}

interface SystemError extends Error {
  code?: string;
  errno?: number;
  syscall?: string;
  address?: string;
  port?: number;
  hostname?: string;
}

const CONNECT_CODES = new Set([
  'ECONNREFUSED',
  'ENOTFOUND',
  'EAI_AGAIN',
  'ETIMEDOUT',
  'EHOSTUNREACH',
  'ENETUNREACH',
  'ECONNRESET',
  'ESOCKET',
  'ELOGIN',
]);
/** Driver codes meaning "this database cannot be used as configured" (PostgreSQL SQLSTATE, MySQL, SQLite). */
const DATABASE_CODES: Record<string, string> = {
  '3D000': 'the database does not exist',
  '28P01': 'the password was refused',
  '28000': 'the user may not log in',
  ER_BAD_DB_ERROR: 'the database does not exist',
  ER_ACCESS_DENIED_ERROR: 'the user or password was refused',
  ER_DBACCESS_DENIED_ERROR: 'the user may not use this database',
  SQLITE_CANTOPEN: 'the SQLite file cannot be opened',
};

function causes(error: unknown): SystemError[] {
  const chain: SystemError[] = [];
  for (let e: unknown = error; e instanceof Error && chain.length < 5; e = (e as { cause?: unknown }).cause)
    chain.push(e as SystemError);
  return chain;
}

/** "what is wrong" for an error on the way to the database, or undefined when it is no such error. */
export function databaseProblem(error: unknown): string | undefined {
  for (const e of causes(error)) {
    const text = e.message.replace(/^Acquire connection error: /, '');
    if (e.code !== undefined && DATABASE_CODES[e.code] !== undefined) return `${DATABASE_CODES[e.code]} (${text})`;
    if (e.code !== undefined && CONNECT_CODES.has(e.code) && e.syscall !== 'listen') return `cannot connect (${text})`;
    if (e.name === 'KnexTimeoutError') return `no connection within the acquire timeout (${text})`;
    if (/no such table|relation "[^"]+" does not exist|Table '[^']+' doesn't exist|Invalid object name/i.test(text)) {
      return 'the database has no schema yet: run partner-orders migrate against it (or point at the right database)';
    }
  }
  return undefined;
}

export interface FailureContext {
  /** The database the command used, as people read it (redacted). */
  database?: string;
  /** The command takes --database. */
  databaseFlag?: boolean;
}

/** The one line and exit code for any error the command ends with. */
export function explainFailure(error: unknown, context: FailureContext = {}): { message: string; code: number } {
  if (error instanceof UsageError) return { message: error.message, code: EXIT.invalidInput };
  if (error instanceof CliFailure) return { message: error.message, code: error.exitCode };
  if (error instanceof Error && error.name === 'ListenError')
    return { message: listenMessage(error as ListenFailure), code: EXIT.failure };
  const problem = databaseProblem(error);
  if (problem !== undefined) {
    const where =
      context.database === undefined ? 'the configured database' : `the database ${redactUrl(context.database)}`;
    const change = `check DATABASE_URL (config database.url)${context.databaseFlag ? ' or --database' : ''}`;
    return { message: `cannot use ${where}: ${problem}; ${change}`, code: EXIT.failure };
  }
  return { message: error instanceof Error ? error.message : String(error), code: EXIT.failure };
}

/** What startServer throws when it cannot bind (src/server.ts ListenError), described structurally. */
interface ListenFailure extends Error {
  host: string;
  port: number;
}

function listenMessage(error: ListenFailure): string {
  const cause = (error.cause instanceof Error ? error.cause : error) as SystemError;
  if (cause.code === 'EADDRINUSE') {
    return `port ${error.port} is already in use on ${error.host}: set PORT (config server.port) or --port to a free port, or stop the other process`;
  }
  if (cause.code === 'EACCES')
    return `no permission to listen on port ${error.port}: use a port above 1023 (PORT, config server.port or --port)`;
  return `cannot listen on host "${error.host}" (${cause.code ?? cause.message}): set HOST (config server.host) or --host to an address of this machine, e.g. 127.0.0.1 or 0.0.0.0`;
}

/** Writes the line (and the stack when verbose) and sets process.exitCode. */
export function reportCliFailure(error: unknown, context: FailureContext = {}): void {
  const { message, code } = explainFailure(error, context);
  process.stderr.write(`error: ${message}\n`);
  if (verbose() && error instanceof Error && error.stack) process.stderr.write(`${error.stack}\n`);
  process.exitCode = code;
}

import type { Knex } from 'knex';
import type { Dialect } from './config';

/** The dialect family of a knex instance (also works for connection-less instances used to compile SQL). */
export function dialectOfKnex(knex: Knex): Dialect {
  const client = (knex.client as { config?: { client?: unknown } }).config?.client;
  switch (client) {
    case 'better-sqlite3':
    case 'sqlite3':
    case 'sqlite':
      return 'sqlite';
    case 'pg':
    case 'postgres':
    case 'postgresql':
      return 'postgres';
    case 'mysql':
    case 'mysql2':
    case 'mariadb':
      return 'mysql';
    case 'mssql':
      return 'mssql';
    default:
      throw new Error(`Unsupported knex client ${String(client)}`);
  }
}

import type { Knex } from 'knex';
import type { Dialect } from './config';

/** The dialect family of a knex instance (also works for connection-less instances used to compile SQL). */
export function dialectOfKnex(knex: Knex): Dialect {
  const configured = (knex.client as { config?: { client?: unknown } }).config?.client;
  // A Client subclass (sqlite-client.ts) names its family in `dialect` ('sqlite3', 'postgresql', ...).
  const client = typeof configured === 'function' ? (knex.client as { dialect?: unknown }).dialect : configured;
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

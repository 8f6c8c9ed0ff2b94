/**
 * Which database a message is about, for people: "sqlite /srv/po/data/partner-orders.sqlite" or the URL
 * with its password masked. Used by the CLI's data commands and the start-up banner.
 */
import { redactUrl } from '../config/redact-url';
import type { Database } from './connection';

export function describeDatabase(db: Database): string {
  const connection = db.options.connection as {
    filename?: string;
    connectionString?: string;
    host?: string;
    server?: string;
    database?: string;
  };
  if (db.dialect === 'sqlite') return `sqlite ${connection.filename ?? ''}`;
  if (connection.connectionString) return redactUrl(connection.connectionString);
  return `${db.dialect} ${connection.host ?? connection.server ?? ''}/${connection.database ?? ''}`;
}

/**
 * Starts the real service in-process for end-to-end tests: a scratch database of the given kind
 * (SQLite temp file by default), migrations, demo data (partners `demo` and `admin` with the fixed
 * development passwords), and an HTTP server on 127.0.0.1 with an ephemeral port.
 */
import type { DatabaseOptions } from '../../src/db/config';
import type { AppConfig } from '../../src/config';
import { DEV_DEMO_PASSWORDS, prepareDatabase, startServer, type RunningServer } from '../../src/server';
import { createScratchDatabase, type ScratchDatabase, type TestDatabaseKind } from '../db/harness';
import { merge, testConfig } from '../ops/test-config';

export interface TestApp {
  readonly running: RunningServer;
  readonly baseUrl: string;
  readonly ordersUrl: string;
  readonly adminUrl: string;
  readonly config: AppConfig;
  readonly database: ScratchDatabase;
  readonly demo: { username: string; password: string };
  readonly admin: { username: string; password: string };
  close(): Promise<void>;
}

function databasePatch(options: DatabaseOptions): unknown {
  if (options.url !== undefined) return { database: { url: options.url } };
  return { database: { url: null, sqlite: { filename: options.filename } } };
}

export interface StartTestAppOptions {
  /** Database kind (default sqlite); a scratch database is created and dropped on close. */
  kind?: TestDatabaseKind;
  /** Raw configuration patch merged over default.json + test.json (node-config semantics). */
  config?: unknown;
  /** Seed demo data (default true). */
  seed?: boolean;
}

export async function startTestApp(options: StartTestAppOptions = {}): Promise<TestApp> {
  const database = await createScratchDatabase(options.kind ?? 'sqlite');
  try {
    const config = testConfig(merge(databasePatch(database.options), options.config ?? {}));
    if (options.seed !== false) await prepareDatabase(config, process.cwd(), 'test');
    const running = await startServer(config, { port: 0, host: '127.0.0.1', exitOnShutdown: false });
    const baseUrl = `http://127.0.0.1:${running.address.port}`;
    return {
      running,
      baseUrl,
      config,
      database,
      ordersUrl: `${baseUrl}/soap/v1/orders`,
      adminUrl: `${baseUrl}/soap/v1/admin`,
      demo: { username: 'demo', password: DEV_DEMO_PASSWORDS.demo },
      admin: { username: 'admin', password: DEV_DEMO_PASSWORDS.admin },
      async close() {
        await running.stop();
        await database.drop();
      },
    };
  } catch (error) {
    await database.drop();
    throw error;
  }
}

/** A SOAP 1.1 envelope carrying a PasswordText UsernameToken and the given body XML. */
export function soap11(body: string, credentials?: { username: string; password: string }): string {
  const security =
    credentials === undefined
      ? ''
      : '<soapenv:Header><wsse:Security soapenv:mustUnderstand="1" xmlns:wsse="http://docs.oasis-open.org/wss/2004/01/oasis-200401-wss-wssecurity-secext-1.0.xsd">' +
        `<wsse:UsernameToken><wsse:Username>${credentials.username}</wsse:Username>` +
        '<wsse:Password Type="http://docs.oasis-open.org/wss/2004/01/oasis-200401-wss-username-token-profile-1.0#PasswordText">' +
        `${credentials.password}</wsse:Password></wsse:UsernameToken></wsse:Security></soapenv:Header>`;
  return `<soapenv:Envelope xmlns:soapenv="http://schemas.xmlsoap.org/soap/envelope/" xmlns:po="urn:partner-orders:v1">${security}<soapenv:Body>${body}</soapenv:Body></soapenv:Envelope>`;
}

export async function postSoap11(
  url: string,
  action: string,
  envelope: string,
): Promise<{ status: number; body: string; headers: Headers }> {
  const response = await fetch(url, {
    method: 'POST',
    headers: { 'Content-Type': 'text/xml; charset=utf-8', SOAPAction: `"urn:partner-orders:v1/${action}"` },
    body: envelope,
  });
  return { status: response.status, body: await response.text(), headers: response.headers };
}

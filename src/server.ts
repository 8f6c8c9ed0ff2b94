/**
 * Starting the service: prepare the database (migrate, seed an empty one), build the app, listen, and
 * shut down gracefully. Used by `partner-orders serve`, by `npm start`, and by tests that need a real
 * server process.
 */
import type { AddressInfo } from 'node:net';
import { workingAccounts, type PublishedAccount } from './demo-accounts';
import { describeDatabase } from './db/describe';
import { createApp, databaseOptionsOf, digestSecretBox, findProjectRoot, type App } from './app';
import { openDatabase, type Database } from './db/connection';
import { migrateLatest } from './db/migrations';
import { createStores } from './db/stores';
import { KnexCredentialStore } from './db/stores/credential-store';
import type { AppConfig } from './config';
import { createHttpServer, gracefulShutdown, listen, type AppServer, type ShutdownController } from './ops/http-server';
import {
  DEMO_ADMIN_USERNAME,
  DEMO_PARTNER_USERNAME,
  seedDemoData,
  type SeededPartner,
  type SeedOutcome,
} from './service/seed';

/**
 * Fixed demo passwords outside production, so the start-up banner, the README and the portal can show
 * working credentials on every start; in production the seed generates random ones, printed once.
 */
export const DEV_DEMO_PASSWORDS = Object.freeze({ demo: 'demo-password-2026', admin: 'admin-password-2026' });

export interface PreparedDatabase {
  /** The database prepared, for people (SQLite file or URL without its password). */
  database?: string;
  /** Migrations applied by this start-up (empty: the schema was up to date). */
  migrationsApplied?: string[];
  /** The demo partners seeded into an empty database by this start-up; undefined when nothing was seeded. */
  seeded: SeededPartner[] | undefined;
}

/**
 * The demo catalog and partners, for `serve` on an empty database and for `partner-orders seed`. Outside
 * production the partners get DEV_DEMO_PASSWORDS and accept requests without a wsu:Timestamp, so the
 * banner's curl example works as pasted; in production their passwords are random, returned once.
 */
export async function seedDemo(
  db: Database,
  config: AppConfig,
  options: { production: boolean; force?: boolean },
): Promise<SeedOutcome> {
  const passwords = options.production
    ? {}
    : { demoPassword: DEV_DEMO_PASSWORDS.demo, adminPassword: DEV_DEMO_PASSWORDS.admin };
  const outcome = await seedDemoData(createStores(db), { force: options.force, ...passwords });
  if (!outcome.seeded) return outcome;
  const credentials = new KnexCredentialStore(db, digestSecretBox(config));
  for (const partner of outcome.partners.filter((p) => p.created)) {
    // The same secret serves PasswordText (scrypt hash) and PasswordDigest (sealed), so both token types work.
    await credentials.setDigestSecret(partner.username, partner.password);
    if (!options.production) await credentials.setPolicy(partner.username, { requireTimestamp: false });
  }
  return outcome;
}

/** Migrations and, on an empty database, the demo catalog and partners. Runs once (in the cluster primary). */
export async function prepareDatabase(config: AppConfig, projectRoot: string, env: string): Promise<PreparedDatabase> {
  // knex's connection warnings carry stacks; the failure itself reaches the caller (and its one-line report).
  const quiet = (message: unknown): void => {
    if (process.env.LOG_LEVEL === 'debug') process.stderr.write(`${String(message)}\n`);
  };
  const db = openDatabase({
    ...databaseOptionsOf(config, projectRoot),
    log: { warn: quiet, error: quiet, debug: () => undefined },
  });
  try {
    const migrationsApplied = await migrateLatest(db);
    const outcome = await seedDemo(db, config, { production: env === 'production' });
    return { database: describeDatabase(db), migrationsApplied, seeded: outcome.seeded ? outcome.partners : undefined };
  } finally {
    await db.close();
  }
}

/** The server could not bind host:port (address in use, no such interface, no permission); `cause` says why. */
export class ListenError extends Error {
  constructor(
    readonly host: string,
    readonly port: number,
    cause: unknown,
  ) {
    super(`cannot listen on ${host}:${port}: ${cause instanceof Error ? cause.message : String(cause)}`, { cause });
    this.name = 'ListenError';
  }
}

export interface RunningServer {
  readonly app: App;
  readonly server: AppServer;
  readonly address: AddressInfo;
  readonly baseUrl: string;
  readonly shutdown: ShutdownController;
  /** Stops without signals or exit (tests, embedding): no new connections, open ones cut, then the app closed. */
  stop(): Promise<void>;
}

/** The credentials outside production are published (banner, portal, docs); in production nothing is. */
export function publishedDemoAccounts(env: string): PublishedAccount[] {
  if (env === 'production') return [];
  return [
    { username: DEMO_PARTNER_USERNAME, password: DEV_DEMO_PASSWORDS.demo },
    { username: DEMO_ADMIN_USERNAME, password: DEV_DEMO_PASSWORDS.admin },
  ];
}

export async function startServer(
  config: AppConfig,
  options: { port?: number; host?: string; projectRoot?: string; exitOnShutdown?: boolean; env?: string } = {},
): Promise<RunningServer> {
  const projectRoot = options.projectRoot ?? findProjectRoot();
  const env = options.env ?? process.env.NODE_ENV ?? 'development';
  const app = await createApp({
    config,
    projectRoot,
    migrate: false,
    publishedDemoAccounts: publishedDemoAccounts(env),
  });
  const server = createHttpServer(app.requestListener, config.server);
  let address: AddressInfo;
  const host = options.host ?? config.server.host;
  const port = options.port ?? config.server.port;
  try {
    address = await listen(server, port, host);
  } catch (error) {
    await app.close();
    throw new ListenError(host, port, error);
  }
  const shutdown = gracefulShutdown(server, {
    graceMs: config.server.shutdownGraceMs,
    drainDelayMs: config.server.drainDelayMs,
    onDrainStart: () => app.ops.health.startDraining(),
    closers: [() => app.close()],
    logger: app.logger,
    exit: options.exitOnShutdown === false ? () => undefined : undefined,
  });
  const shownHost = address.address === '0.0.0.0' || address.address === '::' ? 'localhost' : address.address;
  const scheme = config.server.https.certFile !== null ? 'https' : 'http';
  const stop = async (): Promise<void> => {
    shutdown.dispose();
    await new Promise<void>((resolve) => {
      server.close(() => resolve());
      server.closeAllConnections();
    });
    await app.close();
  };
  return { app, server, address, baseUrl: `${scheme}://${shownHost}:${address.port}`, shutdown, stop };
}

/**
 * What start-up did and where everything is. Demo credentials appear only while they still work (an
 * operator may have changed them with `partner set-password`): outside production the published ones,
 * in production the random ones of the start-up that seeded them.
 */
export async function startupBanner(running: RunningServer, prepared: PreparedDatabase, env: string): Promise<string> {
  const { baseUrl, app } = running;
  const lines = [`Partner Order Service listening on ${baseUrl} (${env})`, ''];
  const applied = prepared.migrationsApplied;
  const migrations =
    applied === undefined
      ? ''
      : applied.length === 0
        ? 'schema up to date, no migration applied'
        : `applied ${applied.length} migration(s): ${applied.join(', ')}`;
  lines.push(
    `Database: ${prepared.database ?? describeDatabase(app.db)}${migrations === '' ? '' : ` (${migrations})`}`,
  );
  lines.push(
    prepared.seeded === undefined
      ? 'Demo data: not seeded (the database already holds partners or products)'
      : `Demo data: seeded the empty database with the demo catalog and partners ${prepared.seeded.map((p) => p.username).join(', ')}`,
  );
  lines.push('', 'SOAP endpoints (SOAP 1.1 text/xml and SOAP 1.2 application/soap+xml):');
  for (const e of app.endpoints)
    lines.push(`  ${e.service.padEnd(26)} ${baseUrl}${e.path}    WSDL: ${baseUrl}${e.path}?wsdl`);
  lines.push('', `Service portal (operations, samples, a form to try them): ${baseUrl}/`);
  lines.push(`Health: ${baseUrl}/healthz  ${baseUrl}/readyz   Metrics: ${baseUrl}${app.config.metrics.path}`, '');
  const published =
    env === 'production'
      ? (prepared.seeded ?? []).map((p) => ({ username: p.username, password: p.password }))
      : publishedDemoAccounts(env);
  const working = published.length === 0 ? [] : await workingAccounts(app.credentials, published);
  const demo = working.find((a) => a.username === DEMO_PARTNER_USERNAME);
  if (working.length > 0) {
    lines.push('Demo partners (WS-Security UsernameToken, PasswordText or PasswordDigest):');
    for (const account of working)
      lines.push(
        `  ${account.username === DEMO_ADMIN_USERNAME ? 'admin:  ' : 'partner:'} ${account.username} / ${account.password}`,
      );
    lines.push('');
  } else if (published.length > 0) {
    lines.push(
      'Demo partners: their published passwords no longer work (changed with partner set-password, or disabled); use your own partner credentials.',
      '',
    );
  }
  if (demo !== undefined) lines.push('Try it:', curlExample(baseUrl, demo.username, demo.password), '');
  return lines.join('\n');
}

export function curlExample(baseUrl: string, username: string, password: string): string {
  const envelope =
    '<soapenv:Envelope xmlns:soapenv="http://schemas.xmlsoap.org/soap/envelope/" xmlns:po="urn:partner-orders:v1">' +
    '<soapenv:Header><wsse:Security soapenv:mustUnderstand="1" xmlns:wsse="http://docs.oasis-open.org/wss/2004/01/oasis-200401-wss-wssecurity-secext-1.0.xsd">' +
    `<wsse:UsernameToken><wsse:Username>${username}</wsse:Username>` +
    '<wsse:Password Type="http://docs.oasis-open.org/wss/2004/01/oasis-200401-wss-username-token-profile-1.0#PasswordText">' +
    `${password}</wsse:Password></wsse:UsernameToken></wsse:Security></soapenv:Header>` +
    '<soapenv:Body><po:GetProductRequest><po:sku>FAS-SCR-4X40</po:sku></po:GetProductRequest></soapenv:Body></soapenv:Envelope>';
  return [
    `  curl -s ${baseUrl}/soap/v1/orders \\`,
    `    -H 'Content-Type: text/xml; charset=utf-8' -H 'SOAPAction: "urn:partner-orders:v1/GetProduct"' \\`,
    `    --data '${envelope}'`,
  ].join('\n');
}

/**
 * The composition root: configuration -> database -> domain -> typed handlers -> SOAP endpoints with
 * their interceptors -> one request listener. Nothing else in the code base knows how the parts fit: the
 * server, the CLI and the tests all build the service through `createApp` (or, for the domain alone,
 * `createDomain`), so tests exercise the wiring that runs in production.
 *
 * SOAP traffic goes straight from node:http to the engine (Express costs about two thirds of the
 * throughput on small messages); everything else (portal, health, metrics) goes through Express.
 */
import { existsSync, readFileSync } from 'node:fs';
import { hkdfSync } from 'node:crypto';
import type { RequestListener } from 'node:http';
import * as path from 'node:path';
import express, { type Application } from 'express';
import { openDatabase, type Database } from './db/connection';
import type { DatabaseOptions } from './db/config';
import { migrateLatest } from './db/migrations';
import { createStores } from './db/stores';
import { KnexCredentialStore } from './db/stores/credential-store';
import { KnexLimitsStore } from './db/stores/limits-store';
import { contract as v1Contract } from './generated/v1';
import { contract as v2Contract } from './generated/v2';
import { createOperations, type Operations } from './ops';
import { cachedCatalog, type CatalogCaches } from './ops/cache';
import type { AppConfig } from './config';
import { createLogger, type AppLogger } from './ops/logging';
import { cachedWorkingAccount, type PublishedAccount } from './demo-accounts';
import { createJsonApi } from './json-api';
import { portalRouter } from './portal';
import {
  createSoapEndpoint,
  soapRequestListener,
  type ContractModel,
  type ExceptionResolver,
  type HandlerSet,
  type SoapEndpoint,
  type SoapInterceptor,
} from './soap';
import {
  InMemoryReplayCache,
  type ReplayCache,
  wsSecurityInterceptor,
  type ServiceKey,
  SecretBox,
  cachedPasswordCheck,
} from './soap/security';
import { DEMO_PARTNER_USERNAME } from './service/seed';
import { sharedReplayCache } from './ops/replay-cache';
import type { SpanExporter } from '@opentelemetry/sdk-trace-node';
import { CatalogService } from './service/catalog';
import type { PartnerOrderAdminPortHandlers, PartnerOrderPortHandlers } from './generated/v1';
import type {
  PartnerOrderAdminPortHandlers as PartnerOrderAdminPortHandlersV2,
  PartnerOrderPortHandlers as PartnerOrderPortHandlersV2,
} from './generated/v2';
import { partnerOrderAdminHandlers, partnerOrderHandlers, v1DomainFaults } from './service/handlers';
import { unavailableAsFault } from './service/handlers/faults';
import {
  partnerNamesOf,
  partnerOrderAdminHandlersV2,
  partnerOrderHandlersV2,
  v2DomainFaults,
} from './service/handlers/v2';
import { OrderService } from './service/orders';
import { PageTokens } from './service/page-token';
import { PartnerService } from './service/partners';
import type { Stores } from './service/store';

/** The folder holding package.json, wsdl/ and config/, from src/ (tsx) or dist/src/ (compiled). */
export function findProjectRoot(start: string = __dirname): string {
  let dir = start;
  for (;;) {
    if (existsSync(path.join(dir, 'package.json')) && existsSync(path.join(dir, 'wsdl'))) return dir;
    const parent = path.dirname(dir);
    if (parent === dir) throw new Error(`Cannot find the project root (package.json next to wsdl/) above ${start}`);
    dir = parent;
  }
}

export function databaseOptionsOf(config: AppConfig, projectRoot: string, log?: AppLogger): DatabaseOptions {
  const { database } = config;
  const url = database.url ?? undefined;
  return {
    url,
    client: url === undefined ? 'sqlite' : undefined,
    filename: url === undefined ? path.resolve(projectRoot, database.sqlite.filename) : undefined,
    pool: database.pool,
    acquireTimeoutMs: database.acquireTimeoutMs,
    statementTimeoutMs: database.statementTimeoutMs,
    log:
      log === undefined
        ? undefined
        : { warn: (m) => log.warn(m), error: (m) => log.error(m), debug: (m) => log.debug(m) },
  };
}

/**
 * The key that seals PasswordDigest secrets at rest, derived with HKDF from the configured secret so an
 * operator can use any long random string (SECRETS_KEY) and the key is bound to this one purpose.
 */
export function digestSecretBox(config: AppConfig): SecretBox {
  const key = Buffer.from(
    hkdfSync('sha256', config.security.secretKey, 'partner-orders', 'ws-security digest secrets', 32),
  );
  return new SecretBox(key);
}

function serviceKeyOf(config: AppConfig, projectRoot: string): ServiceKey | undefined {
  const { keyFile, certFile } = config.security.signing;
  if (keyFile === null || certFile === null) return undefined;
  return {
    privateKeyPem: readFileSync(path.resolve(projectRoot, keyFile), 'utf8'),
    certificatePem: readFileSync(path.resolve(projectRoot, certFile), 'utf8'),
  };
}

/** One SOAP service mounted at a path. */
export interface MountedEndpoint {
  readonly path: string;
  readonly version: string;
  readonly contract: ContractModel;
  readonly service: string;
  readonly endpoint: SoapEndpoint;
}

export interface DomainServices {
  readonly catalog: CatalogService;
  readonly orders: OrderService;
  readonly partners: PartnerService;
}

/** The typed handlers behind each mounted endpoint, by contract version and port. */
export interface ServiceHandlers {
  readonly v1: { readonly orders: PartnerOrderPortHandlers; readonly admin: PartnerOrderAdminPortHandlers };
  readonly v2: { readonly orders: PartnerOrderPortHandlersV2; readonly admin: PartnerOrderAdminPortHandlersV2 };
}

export interface Domain {
  readonly services: DomainServices;
  readonly handlers: ServiceHandlers;
}

export interface DomainOptions {
  /** Secret (>= 32 bytes) that signs page tokens; the same on every instance (config `pagingTokenKey`). */
  readonly pagingTokenKey: string | Buffer;
  readonly now?: () => Date;
  /** Read caches in front of the catalog the handlers use (the services themselves stay uncached). */
  readonly caches?: CatalogCaches;
}

/** Stores -> domain services -> typed handlers for every contract version. */
export function createDomain(stores: Stores, options: DomainOptions): Domain {
  const now = options.now ?? (() => new Date());
  const pageTokens = new PageTokens(options.pagingTokenKey);
  const catalog = new CatalogService(stores.catalog, pageTokens, now);
  const orders = new OrderService(stores.orders, stores.catalog, pageTokens, now);
  const partners = new PartnerService(stores.partners, now);
  const handlerDeps = {
    catalog: options.caches === undefined ? catalog : cachedCatalog(catalog, options.caches),
    orders,
  };
  const v2HandlerDeps = { ...handlerDeps, partnerNames: partnerNamesOf(partners) };
  return {
    services: { catalog, orders, partners },
    handlers: {
      v1: { orders: partnerOrderHandlers(handlerDeps), admin: partnerOrderAdminHandlers(handlerDeps) },
      v2: { orders: partnerOrderHandlersV2(v2HandlerDeps), admin: partnerOrderAdminHandlersV2(v2HandlerDeps) },
    },
  };
}

export interface App {
  readonly config: AppConfig;
  readonly projectRoot: string;
  readonly logger: AppLogger;
  readonly db: Database;
  readonly stores: Stores;
  readonly services: DomainServices;
  readonly handlers: ServiceHandlers;
  readonly credentials: KnexCredentialStore;
  readonly ops: Operations;
  readonly endpoints: readonly MountedEndpoint[];
  /** Express application for everything that is not a SOAP endpoint (portal, health, metrics). */
  readonly express: Application;
  /** The listener to give to http(s).createServer: SOAP endpoints first, Express for the rest. */
  readonly requestListener: RequestListener;
  close(): Promise<void>;
}

export interface AppOptions {
  config: AppConfig;
  projectRoot?: string;
  logger?: AppLogger;
  /** Run pending migrations at start (default true). */
  migrate?: boolean;
  now?: () => Date;
  /**
   * An open database to use instead of opening `config.database` (tests over a scratch or unreachable
   * database); it stays open when the app closes, since its owner opened it.
   */
  database?: Database;
  /** Demo credentials shown to visitors (portal) while they still work; none in production. */
  publishedDemoAccounts?: readonly PublishedAccount[];
  /** With tracing.enabled: where spans go instead of OTLP (tests: an InMemorySpanExporter). */
  tracingExporter?: SpanExporter;
}

export async function createApp(options: AppOptions): Promise<App> {
  const { config } = options;
  const projectRoot = options.projectRoot ?? findProjectRoot();
  const now = options.now ?? (() => new Date());

  // One logger for everything, knex's own diagnostics included (they would otherwise go to the console).
  const logger = options.logger ?? createLogger(config.logging, { fields: { pid: process.pid } });
  const ownsDatabase = options.database === undefined;
  const db = options.database ?? openDatabase(databaseOptionsOf(config, projectRoot, logger));
  try {
    if (options.migrate !== false) await migrateLatest(db);
  } catch (error) {
    if (ownsDatabase) await db.close();
    throw error;
  }
  const stores = createStores(db, now);
  const limits = new KnexLimitsStore(db, now);
  const ops = createOperations({
    config,
    logger,
    database: db,
    limitsFor: (partnerId) => limits.limitsFor(partnerId),
    tracingExporter: options.tracingExporter,
  });
  ops.tracing.observeQueries(db.knex, db.dialect);

  const { services, handlers } = createDomain(stores, {
    pagingTokenKey: config.pagingTokenKey,
    now,
    caches: ops.caches,
  });

  const credentials = new KnexCredentialStore(db, digestSecretBox(config), now, (message) => logger.warn(message));
  const replayStore = config.security.replayCache.store;
  const replayCache: ReplayCache =
    replayStore === 'redis' || (replayStore === 'auto' && ops.redis !== undefined)
      ? redisReplayCache(ops, config)
      : new InMemoryReplayCache({ maxEntries: config.security.replayCache.maxEntries });
  const security: SoapInterceptor = wsSecurityInterceptor({
    store: unavailableAsFault(credentials),
    replayCache,
    clock: now,
    maxAgeSeconds: config.security.timestamp.maxAgeSeconds,
    futureSkewSeconds: config.security.timestamp.futureSkewSeconds,
    serviceKey: serviceKeyOf(config, projectRoot),
    logger,
    checkPassword: cachedPasswordCheck({ store: ops.verifiedCredentials }),
  });

  // Each contract version answers the domain's errors with its own declared faults.
  const domainFaults: Readonly<Record<string, ExceptionResolver>> = { v1: v1DomainFaults, v2: v2DomainFaults };
  const endpointOf = <H extends HandlerSet<H>>(
    version: string,
    contract: ContractModel,
    service: string,
    handlers: H,
  ): SoapEndpoint =>
    createSoapEndpoint({
      contract,
      service,
      handlers: ops.tracing.instrumentHandlers(handlers, service),
      exceptionResolver: domainFaults[version],
      addressing: true,
      interceptors: ops.interceptors({ service, version, security: [security] }),
      limits: config.soap.limits,
      trustedProxies: config.server.trustedProxies,
      logger,
      documentRoot: projectRoot,
      requestTimeoutMs: config.server.requestTimeoutMs,
    });

  const ports = [
    {
      path: '/soap/v1/orders',
      version: 'v1',
      contract: v1Contract,
      service: 'PartnerOrderService',
      handlers: handlers.v1.orders,
    },
    {
      path: '/soap/v1/admin',
      version: 'v1',
      contract: v1Contract,
      service: 'PartnerOrderAdminService',
      handlers: handlers.v1.admin,
    },
    {
      path: '/soap/v2/orders',
      version: 'v2',
      contract: v2Contract,
      service: 'PartnerOrderService',
      handlers: handlers.v2.orders,
    },
    {
      path: '/soap/v2/admin',
      version: 'v2',
      contract: v2Contract,
      service: 'PartnerOrderAdminService',
      handlers: handlers.v2.admin,
    },
  ] as const;
  const endpoints: MountedEndpoint[] = ports.map((p) => ({
    path: p.path,
    version: p.version,
    contract: p.contract,
    service: p.service,
    endpoint: endpointOf(p.version, p.contract, p.service, p.handlers),
  }));
  // The same ports as JSON under /api/<version>/<port>/<Operation> (docs/json-binding.md).
  const jsonApi = config.json.enabled
    ? createJsonApi({
        sources: ports.map((p) => ({ ...p, exceptionResolver: domainFaults[p.version] })),
        ops,
        credentials: unavailableAsFault(credentials),
        allowBasicOverHttp: config.json.basicOverPlainHttp,
        limits: config.soap.limits,
        trustedProxies: config.server.trustedProxies,
        requestTimeoutMs: config.server.requestTimeoutMs,
        logger,
        deprecatedVersions: new Set(
          Object.entries(config.versions)
            .filter(([, policy]) => policy.deprecated)
            .map(([version]) => version),
        ),
      })
    : undefined;

  const app = express();
  app.disable('x-powered-by');
  ops.mountRoutes(app);
  const demoAccount = options.publishedDemoAccounts?.find((a) => a.username === DEMO_PARTNER_USERNAME);
  const portalEndpoints = endpoints.map((e) =>
    jsonApi === undefined ? e : { ...e, openApi: `/api/${e.version}/openapi.json` },
  );
  app.use(
    portalRouter({
      endpoints: portalEndpoints,
      versions: config.versions,
      soapUiProject: path.join(projectRoot, 'soapui', 'partner-orders-soapui-project.xml'),
      ...(demoAccount === undefined ? {} : { demoAccount: cachedWorkingAccount(credentials, demoAccount) }),
    }),
  );
  app.use((_req, res) => {
    res
      .status(404)
      .type('text/plain')
      .send('Not found. SOAP endpoints: ' + endpoints.map((e) => e.path).join(', ') + '\n');
  });

  const soapListener = soapRequestListener(Object.fromEntries(endpoints.map((e) => [e.path, e.endpoint])), app);
  const requestListener = ops.tracing.instrumentListener(
    jsonApi === undefined ? soapListener : jsonApi.listener(soapListener),
  );

  let closed = false;
  return {
    config,
    projectRoot,
    logger,
    db,
    stores,
    credentials,
    ops,
    endpoints,
    requestListener,
    services,
    handlers,
    express: app,
    async close() {
      if (closed) return;
      closed = true;
      await ops.close();
      if (ownsDatabase) await db.close();
    },
  };
}

function redisReplayCache(ops: Operations, config: AppConfig): ReplayCache {
  if (ops.redis === undefined)
    throw new Error('security.replayCache.store is "redis" but redis.url (REDIS_URL) is not set');
  return sharedReplayCache({
    circuit: ops.redis,
    prefix: `${config.redis.keyPrefix}replay:`,
    maxEntries: config.security.replayCache.maxEntries,
    whenUnavailable: config.security.replayCache.whenRedisUnavailable,
    onFallback: () => ops.metrics.recordRedisFallback('replay-cache'),
  });
}

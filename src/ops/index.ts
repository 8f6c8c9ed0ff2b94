/**
 * The ops layer assembled from configuration, for the composition root: one call builds the logger, Redis
 * client and its circuit, metrics, rate limiter, caches and health, and hands back the interceptors per
 * endpoint (in the order they must run), the Express routes, and what to close at shutdown. Nothing here is
 * global. Redis is never a readiness check: while it is unavailable the instance stays ready, degraded.
 */
import type { Application } from 'express';
import type Redis from 'ioredis';
import type { SoapInterceptor } from '../soap';
import type { AppConfig } from '../config';
import { authFailureLimitInterceptor } from './auth-failure-limit';
import {
  VERIFIED_CREDENTIALS_CACHE,
  createCatalogCaches,
  createReadCache,
  type CatalogCaches,
  type ReadCache,
} from './cache';
import { deprecationInterceptor } from './deprecation';
import { createHealth, type DegradationCheck, type Health, type ReadinessCheck } from './health';
import { accessLogInterceptor, createLogger, type AppLogger } from './logging';
import { createMetrics, metricsHandler, metricsInterceptor, type KnexPoolSource, type Metrics } from './metrics';
import { createRateLimiter, type LimitsLookup, type RateLimiter } from './rate-limit';
import { closeRedisClient, createRedisCircuit, createRedisClient, type RedisCircuit } from './redis';
import { createTracing, type Tracing } from './tracing';
import type { SpanExporter } from '@opentelemetry/sdk-trace-node';

export interface OperationsDependencies {
  config: AppConfig;
  /** Defaults to a logger built from config.logging. */
  logger?: AppLogger;
  /** For /readyz and the pool gauges (src/db's openDatabase result fits). */
  database?: { ping(): Promise<unknown>; knex?: KnexPoolSource };
  /** Per-partner rate-limit overrides (the database implements it). */
  limitsFor?: LimitsLookup;
  /** Overrides the client built from config.redis.url (null: no Redis even if configured). */
  redis?: Redis | null;
  /** Replaces the OTLP exporter when tracing is enabled (tests: an InMemorySpanExporter). */
  tracingExporter?: SpanExporter;
  /** More readiness checks, by name. */
  readinessChecks?: Readonly<Record<string, ReadinessCheck>>;
}

export interface Operations {
  readonly config: AppConfig;
  readonly logger: AppLogger;
  /** The shared client behind its circuit when Redis is configured (also for the replay cache). */
  readonly redis: RedisCircuit | undefined;
  readonly metrics: Metrics;
  readonly rateLimiter: RateLimiter;
  /** Wrap the catalog with cachedCatalog(catalog, caches). */
  readonly caches: CatalogCaches;
  /**
   * PasswordText credentials proven by scrypt (give it to cachedPasswordCheck); dropped on every instance
   * when a partner's password, status or policy changes (announceCredentialChange).
   */
  readonly verifiedCredentials: ReadCache;
  readonly health: Health;
  /** OpenTelemetry spans (a no-op unless tracing.enabled); interceptors() already wraps each interceptor. */
  readonly tracing: Tracing;
  /**
   * The interceptor list of one endpoint: metrics, access log, deprecation (when configured for `version`),
   * the authentication-failure limiter, then the given security interceptors, then the rate limiter (it
   * needs the authenticated partner).
   */
  interceptors(options: { service: string; version: string; security?: readonly SoapInterceptor[] }): SoapInterceptor[];
  /** GET /healthz, /readyz and (when enabled) the metrics path. */
  mountRoutes(app: Application): void;
  /** Closes what the ops layer opened (cache subscriptions, then Redis); pass it to gracefulShutdown. */
  close(): Promise<void>;
}

export function createOperations(deps: OperationsDependencies): Operations {
  const { config } = deps;
  const logger = deps.logger ?? createLogger(config.logging, { fields: { pid: process.pid } });
  const redisClient = deps.redis === null ? undefined : (deps.redis ?? createRedisClient(config.redis));
  const ownsRedis = deps.redis === undefined && redisClient !== undefined;
  const redis =
    redisClient === undefined
      ? undefined
      : createRedisCircuit(redisClient, {
          ...config.redis.circuit,
          commandTimeoutMs: config.redis.commandTimeoutMs,
          logger,
        });

  const tracing = createTracing(config.tracing, { exporter: deps.tracingExporter });
  const metrics = createMetrics({ collectDefaultMetrics: config.metrics.collectDefaultMetrics });
  if (deps.database?.knex !== undefined) metrics.observeDatabasePool(deps.database.knex);

  const rateLimitStore =
    config.rateLimits.store === 'auto' ? (redis === undefined ? 'memory' : 'redis') : config.rateLimits.store;
  const rateLimiter = createRateLimiter({
    limits: config.rateLimits,
    redis: rateLimitStore === 'redis' ? redis : undefined,
    keyPrefix: `${config.redis.keyPrefix}rl`,
    inFlight: redis === undefined ? 'memory' : config.rateLimits.inFlightStore,
    inFlightLeaseMs: config.rateLimits.inFlightLeaseSeconds * 1000,
    limitsFor: deps.limitsFor,
    overrideCacheMs: config.rateLimits.overrideCacheSeconds * 1000,
    onReject: (throttle) => metrics.recordRateLimitRejection(throttle),
    onFallback: () => metrics.recordRedisFallback('rate-limit'),
    logger,
    trustedProxies: config.server.trustedProxies,
  });
  const authFailureLimit = authFailureLimitInterceptor({
    ...config.rateLimits.authFailures,
    redis: rateLimitStore === 'redis' ? redis : undefined,
    keyPrefix: `${config.redis.keyPrefix}rl`,
    trustedProxies: config.server.trustedProxies,
    onReject: (limiter) => metrics.recordRateLimitRejection(limiter),
    onFallback: () => metrics.recordRedisFallback('auth-failure-limit'),
    logger,
  });

  const caches = createCatalogCaches({
    catalog: config.cache.catalog,
    stock: config.cache.stock,
    redis,
    channel: config.cache.invalidationChannel,
    onLookup: (cache, result) => metrics.recordCacheLookup(cache, result),
    logger,
  });

  const verifiedCredentials = createReadCache({
    name: VERIFIED_CREDENTIALS_CACHE,
    ...config.cache.verifiedCredentials,
    bus: redis === undefined ? undefined : { redis, channel: config.cache.invalidationChannel },
    onLookup: (cache, result) => metrics.recordCacheLookup(cache, result),
    logger,
  });

  const checks: Record<string, ReadinessCheck> = { ...deps.readinessChecks };
  if (deps.database !== undefined) {
    const database = deps.database;
    checks.database = () => database.ping();
  }
  const degradations: Record<string, DegradationCheck> = {};
  if (redis !== undefined)
    degradations.redis = () => (redis.available ? undefined : (redis.status().reason ?? 'circuit open'));
  const health = createHealth({ checks, degradations, timeoutMs: config.health.checkTimeoutMs });
  if (redis !== undefined) {
    metrics.observeDegradation(['redis'], () => {
      const reason = degradations.redis?.();
      return reason === undefined ? undefined : { redis: reason };
    });
  }

  return {
    config,
    logger,
    redis,
    metrics,
    rateLimiter,
    caches,
    verifiedCredentials,
    health,
    tracing,
    interceptors({ service, version, security = [] }) {
      const list: SoapInterceptor[] = [metricsInterceptor(metrics, { service })];
      if (config.logging.accessLog)
        list.push(
          accessLogInterceptor(logger, {
            service,
            maskFields: config.logging.maskFields,
            trustedProxies: config.server.trustedProxies,
          }),
        );
      const policy = config.versions[version];
      if (policy?.deprecated === true) list.push(deprecationInterceptor({ version, policy, logger }));
      list.push(authFailureLimit, ...security, rateLimiter.interceptor);
      return list.map((interceptor) => tracing.instrumentInterceptor(interceptor));
    },
    mountRoutes(app) {
      app.get('/healthz', health.healthz);
      app.get('/readyz', health.readyz);
      if (config.metrics.enabled) app.get(config.metrics.path, metricsHandler(metrics));
    },
    async close() {
      await caches.catalog.close();
      await caches.stock.close();
      await verifiedCredentials.close();
      redis?.dispose();
      if (ownsRedis && redisClient !== undefined) await closeRedisClient(redisClient);
      await tracing.shutdown();
    },
  };
}

export type { AppConfig } from '../config';
export { ConfigError, loadConfig, parseConfig } from '../config';
export { authFailureLimitInterceptor } from './auth-failure-limit';
export { cachedCatalog, createCatalogCache, createCatalogCaches, createReadCache } from './cache';
export { clientAddressResolver } from './client-address';
export { runClustered } from './cluster';
export { deprecationHeaders, deprecationInterceptor, deprecationMiddleware } from './deprecation';
export { createHealth } from './health';
export { createHttpServer, gracefulShutdown, listen } from './http-server';
export { accessLogInterceptor, createLogger, createXmlMasker } from './logging';
export { createMetrics, metricsHandler, metricsInterceptor } from './metrics';
export { createRateLimiter } from './rate-limit';
export { closeRedisClient, createRedisCircuit, createRedisClient, RedisUnavailable } from './redis';
export { sharedReplayCache } from './replay-cache';

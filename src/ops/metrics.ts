/**
 * Prometheus metrics with prom-client on a registry of our own (never the global one), the interceptor that
 * feeds the request metrics, and the `/metrics` Express handler.
 */
import type { Request, Response } from 'express';
import { Counter, Gauge, Histogram, Registry, collectDefaultMetrics } from 'prom-client';
import type { SoapExchange, SoapInterceptor } from '../soap';
import { outcomeOf } from './logging';

/** WS-Security secext (1.0, 1.1) and utility namespaces: a fault subcode in any is a WS-Security failure. */
const WSSE_NAMESPACES = new Set([
  'http://docs.oasis-open.org/wss/2004/01/oasis-200401-wss-wssecurity-secext-1.0.xsd',
  'http://docs.oasis-open.org/wss/oasis-wss-wssecurity-secext-1.1.xsd',
  'http://docs.oasis-open.org/wss/2004/01/oasis-200401-wss-wssecurity-utility-1.0.xsd',
]);

/** The slice of a knex instance read for pool gauges (tarn.js pool behind knex.client.pool). */
export interface KnexPoolSource {
  client: {
    pool?: {
      numUsed(): number;
      numFree(): number;
      numPendingAcquires(): number;
      numPendingCreates(): number;
    } | null;
  };
}

export interface MetricsOptions {
  /** Defaults to a new Registry. */
  registry?: Registry;
  /** Node.js process metrics (CPU, memory, event loop lag, GC). */
  collectDefaultMetrics?: boolean;
  /** Latency buckets in seconds. */
  durationBuckets?: number[];
  /** Labels on every series, e.g. { instance: 'a' } (Prometheus usually adds these itself). */
  defaultLabels?: Record<string, string>;
}

export type CacheResult = 'hit' | 'miss';

export interface Metrics {
  readonly registry: Registry;
  readonly requestsTotal: Counter<'service' | 'operation' | 'outcome' | 'binding'>;
  readonly requestDuration: Histogram<'service' | 'operation' | 'outcome' | 'binding'>;
  readonly requestsInFlight: Gauge<'service'>;
  readonly faultsTotal: Counter<'code' | 'subcode'>;
  readonly wsSecurityFailures: Counter<'reason'>;
  readonly rateLimitRejections: Counter<'limiter'>;
  readonly cacheRequests: Counter<'cache' | 'result'>;
  readonly redisFallbacks: Counter<'concern'>;
  recordWsSecurityFailure(reason: string): void;
  recordRateLimitRejection(limiter: string): void;
  recordCacheLookup(cache: string, result: CacheResult): void;
  /** Counts one use of a concern's in-memory fallback because Redis was unavailable. */
  recordRedisFallback(concern: 'rate-limit' | 'auth-failure-limit' | 'replay-cache'): void;
  /**
   * Reports `degraded{dependency}` on every scrape: 1 while `source` (dependency -> reason) names it, else 0.
   */
  observeDegradation(dependencies: readonly string[], source: () => Readonly<Record<string, string>> | undefined): void;
  /** Reports the pool of this knex instance as `db_pool_connections{state}` on every scrape. */
  observeDatabasePool(knex: KnexPoolSource, name?: string): void;
  /** The Prometheus text exposition of everything registered. */
  render(): Promise<string>;
}

const DEFAULT_BUCKETS = [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10];

export function createMetrics(options: MetricsOptions = {}): Metrics {
  const registry = options.registry ?? new Registry();
  if (options.defaultLabels) registry.setDefaultLabels(options.defaultLabels);
  if (options.collectDefaultMetrics ?? true) collectDefaultMetrics({ register: registry });
  const registers = [registry];

  const requestsTotal = new Counter({
    name: 'soap_requests_total',
    help: 'SOAP requests completed, by service (contract version), operation and outcome (ok|fault|aborted); binding="json" for the JSON binding',
    labelNames: ['service', 'operation', 'outcome', 'binding'] as const,
    registers,
  });
  const requestDuration = new Histogram({
    name: 'soap_request_duration_seconds',
    help: 'Time from arrival to response sent, by service, operation and outcome; binding="json" for the JSON binding',
    labelNames: ['service', 'operation', 'outcome', 'binding'] as const,
    buckets: options.durationBuckets ?? DEFAULT_BUCKETS,
    registers,
  });
  const requestsInFlight = new Gauge({
    name: 'soap_requests_in_flight',
    help: 'SOAP requests currently being processed',
    labelNames: ['service'] as const,
    registers,
  });
  const faultsTotal = new Counter({
    name: 'soap_faults_total',
    help: 'SOAP faults sent, by top-level code (SOAP 1.2 names) and subcode local name',
    labelNames: ['code', 'subcode'] as const,
    registers,
  });
  const wsSecurityFailures = new Counter({
    name: 'wssec_failures_total',
    help: 'Requests refused by WS-Security processing, by reason (fault subcode)',
    labelNames: ['reason'] as const,
    registers,
  });
  const rateLimitRejections = new Counter({
    name: 'rate_limit_rejections_total',
    help: 'Requests refused by a rate limiter, by limiter',
    labelNames: ['limiter'] as const,
    registers,
  });
  const cacheRequests = new Counter({
    name: 'cache_requests_total',
    help: 'Cache lookups, by cache and result (hit|miss)',
    labelNames: ['cache', 'result'] as const,
    registers,
  });

  const redisFallbacks = new Counter({
    name: 'redis_fallbacks_total',
    help: 'Checks answered by a per-instance fallback because Redis was unavailable, by concern',
    labelNames: ['concern'] as const,
    registers,
  });
  let degradation:
    { dependencies: readonly string[]; source: () => Readonly<Record<string, string>> | undefined } | undefined;
  new Gauge({
    name: 'degraded',
    help: '1 while the instance runs on per-instance fallbacks because this dependency is unavailable (it stays ready), else 0',
    labelNames: ['dependency'] as const,
    registers,
    collect() {
      if (degradation === undefined) return;
      const now = degradation.source() ?? {};
      for (const dependency of degradation.dependencies)
        this.set({ dependency }, now[dependency] === undefined ? 0 : 1);
    },
  });

  const pools = new Map<string, KnexPoolSource>();
  new Gauge({
    name: 'db_pool_connections',
    help: 'Database pool connections by state: used, free, pending (acquires waiting) and creating',
    labelNames: ['pool', 'state'] as const,
    registers,
    collect() {
      this.reset();
      for (const [name, knex] of pools) {
        const pool = knex.client.pool;
        if (!pool) continue;
        this.set({ pool: name, state: 'used' }, pool.numUsed());
        this.set({ pool: name, state: 'free' }, pool.numFree());
        this.set({ pool: name, state: 'pending' }, pool.numPendingAcquires());
        this.set({ pool: name, state: 'creating' }, pool.numPendingCreates());
      }
    },
  });

  return {
    registry,
    requestsTotal,
    requestDuration,
    requestsInFlight,
    faultsTotal,
    wsSecurityFailures,
    rateLimitRejections,
    cacheRequests,
    recordWsSecurityFailure: (reason) => wsSecurityFailures.inc({ reason }),
    recordRateLimitRejection: (limiter) => rateLimitRejections.inc({ limiter }),
    recordCacheLookup: (cache, result) => cacheRequests.inc({ cache, result }),
    redisFallbacks,
    recordRedisFallback: (concern) => redisFallbacks.inc({ concern }),
    observeDegradation(dependencies, source) {
      degradation = { dependencies, source };
    },
    observeDatabasePool(knex, name = 'default') {
      pools.set(name, knex);
    },
    render: () => registry.metrics(),
  };
}

export interface MetricsInterceptorOptions {
  /** The `service` label, e.g. 'v1' or 'partner-orders-v1'. */
  service: string;
}

const IN_FLIGHT = 'metrics.inFlight';

/**
 * Counts requests, latency, in-flight requests and faults. Place it first in the interceptor list so the
 * in-flight gauge covers the rest of the pipeline. Faults raised before routing are still counted (under
 * operation "unknown") because afterCompletion always runs.
 */
export function metricsInterceptor(metrics: Metrics, options: MetricsInterceptorOptions): SoapInterceptor {
  const { service } = options;
  return {
    name: 'metrics',
    handleRequest(exchange: SoapExchange): void {
      metrics.requestsInFlight.inc({ service });
      exchange.attributes.set(IN_FLIGHT, true);
    },
    afterCompletion(exchange: SoapExchange): void {
      if (exchange.attributes.get(IN_FLIGHT) === true) {
        exchange.attributes.delete(IN_FLIGHT);
        metrics.requestsInFlight.dec({ service });
      }
      const fault = exchange.fault;
      const outcome = outcomeOf(exchange);
      // SOAP series keep the label set they always had; the JSON binding's carry binding="json".
      const labels =
        exchange.request.binding === 'json'
          ? { service, operation: exchange.operation?.name ?? 'unknown', outcome, binding: 'json' }
          : { service, operation: exchange.operation?.name ?? 'unknown', outcome };
      metrics.requestsTotal.inc(labels);
      metrics.requestDuration.observe(labels, Number(process.hrtime.bigint() - exchange.startedAt) / 1e9);
      if (fault !== undefined) {
        metrics.faultsTotal.inc({ code: fault.code, subcode: fault.subcode?.local ?? '' });
        if (fault.subcode !== undefined && WSSE_NAMESPACES.has(fault.subcode.ns)) {
          metrics.recordWsSecurityFailure(fault.subcode.local);
        }
      }
    },
  };
}

/** Express handler for GET /metrics (Prometheus text format). */
export function metricsHandler(metrics: Metrics): (req: Request, res: Response) => Promise<void> {
  return async (_req, res) => {
    try {
      const body = await metrics.render();
      res.setHeader('Content-Type', metrics.registry.contentType);
      res.status(200).send(body);
    } catch (error) {
      res
        .status(500)
        .type('text/plain')
        .send(`metrics collection failed: ${error instanceof Error ? error.message : String(error)}`);
    }
  };
}

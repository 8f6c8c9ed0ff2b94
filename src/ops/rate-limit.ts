/**
 * Rate limiting and throttling with rate-limiter-flexible, as a SOAP interceptor placed after authentication.
 *
 * Three independent limits per request:
 *  - requests per window per partner (all operations together),
 *  - requests per window per partner and operation,
 *  - requests in flight per partner.
 * Unauthenticated traffic is limited per remote address with its own limits.
 *
 * Windows are counted in Redis when a circuit is given (so the limit holds across instances; per instance
 * while Redis is unavailable, see shared-limiter.ts) and in memory otherwise.
 *
 * In-flight requests are counted per instance by default (`maxInFlight` is then a per-instance bulkhead).
 * With `inFlight: 'redis'` they are counted across instances as leases in a sorted set per partner: each
 * request adds a member scored with its lease expiry (Redis server time) and removes it when done, so a
 * slot held by an instance that died mid-request frees itself when its lease runs out instead of leaking.
 * While Redis is unavailable (src/ops/redis.ts's circuit), the per-instance counter takes over.
 */
import { randomUUID } from 'node:crypto';
import { RateLimiterRes } from 'rate-limiter-flexible';
import { SoapFault, type QName, type EngineLogger, type SoapExchange, type SoapInterceptor } from '../soap';
import { clientAddressResolver } from './client-address';
import type { PartnerLimit, RateLimitsConfig, WindowLimit } from '../config';
import type { RedisCircuit } from './redis';
import { sharedLimiter, type SharedLimiter } from './shared-limiter';

export const OPS_NAMESPACE = 'urn:partner-orders:ops';
export const REQUEST_RATE_EXCEEDED: QName = { ns: OPS_NAMESPACE, local: 'RequestRateExceeded', prefix: 'ops' };
export const CONCURRENCY_LIMIT_EXCEEDED: QName = {
  ns: OPS_NAMESPACE,
  local: 'ConcurrencyLimitExceeded',
  prefix: 'ops',
};

/** Which limit refused a request; the `limiter` label of rate_limit_rejections_total. */
export type Throttle = 'partner' | 'operation' | 'partner-in-flight' | 'unauthenticated' | 'unauthenticated-in-flight';

/** A partner's overrides (from the database); absent fields keep the configured defaults. */
export interface PartnerLimitOverrides {
  partner?: Partial<PartnerLimit>;
  /** Per-operation windows by operation name. */
  operations?: Readonly<Record<string, WindowLimit>>;
}

export type LimitsLookup = (partnerId: string) => Promise<PartnerLimitOverrides | null | undefined>;

export interface RateLimitOptions {
  limits: Pick<RateLimitsConfig, 'partner' | 'operation' | 'operations' | 'unauthenticated'>;
  /** Count windows in Redis (shared by every instance using the same keyPrefix). */
  redis?: RedisCircuit;
  /** Prefix of every counter key; instances sharing a limit must share it. */
  keyPrefix?: string;
  /** Where in-flight requests are counted: per instance (default) or across instances in `redis`. */
  inFlight?: 'memory' | 'redis';
  /** Longest a Redis in-flight lease lives (a crashed instance's slots free after this); default 60 s. */
  inFlightLeaseMs?: number;
  limitsFor?: LimitsLookup;
  /** How long a looked-up override is reused (default 30 s). */
  overrideCacheMs?: number;
  onReject?: (throttle: Throttle) => void;
  /** Called each time a count falls back to this instance because Redis is unavailable. */
  onFallback?: () => void;
  logger?: EngineLogger;
  /** Proxies whose X-Forwarded-For names the client for per-address limits (server.trustedProxies). */
  trustedProxies?: readonly string[];
}

interface Window {
  readonly key: string;
  readonly limit: WindowLimit;
  readonly throttle: Throttle;
}

interface EffectiveLimits {
  readonly partner: PartnerLimit;
  readonly operations: Readonly<Record<string, WindowLimit>>;
}

const SLOT_ATTRIBUTE = 'rate-limit.slot';

interface Slot {
  readonly subject: string;
  /** The lease member when the slot is held in Redis. */
  readonly lease?: string;
}

/** Lua: drop expired leases, refuse at the cap, else add this lease. Server time, so clocks need not agree. */
const ACQUIRE_LEASE = `
local now = redis.call('TIME')
local nowMs = tonumber(now[1]) * 1000 + math.floor(tonumber(now[2]) / 1000)
redis.call('ZREMRANGEBYSCORE', KEYS[1], '-inf', nowMs)
if redis.call('ZCARD', KEYS[1]) >= tonumber(ARGV[2]) then return 0 end
redis.call('ZADD', KEYS[1], nowMs + tonumber(ARGV[3]), ARGV[1])
redis.call('PEXPIRE', KEYS[1], tonumber(ARGV[3]))
return 1`;

/** In-flight leases shared by every instance through Redis. */
class RedisInFlight {
  constructor(
    private readonly redis: RedisCircuit,
    private readonly keyPrefix: string,
    private readonly leaseMs: number,
  ) {}

  private key(subject: string): string {
    return `${this.keyPrefix}:inflight:${subject}`;
  }

  /** The lease id when a slot was free, undefined at the cap. */
  async tryAcquire(subject: string, max: number): Promise<string | undefined> {
    const lease = randomUUID();
    const granted = await this.redis.call((client) =>
      client.eval(ACQUIRE_LEASE, 1, this.key(subject), lease, max, this.leaseMs),
    );
    return granted === 1 ? lease : undefined;
  }

  async release(subject: string, lease: string): Promise<void> {
    await this.redis.call((client) => client.zrem(this.key(subject), lease));
  }

  async count(subject: string): Promise<number> {
    return this.redis.call(async (client) => {
      const [seconds, micros] = await client.time();
      return client.zcount(this.key(subject), `(${Number(seconds) * 1000 + Math.floor(Number(micros) / 1000)}`, '+inf');
    });
  }
}

/** Per-instance counters of requests in flight, by subject key. */
class InFlightCounter {
  private readonly counts = new Map<string, number>();

  tryAcquire(key: string, max: number): boolean {
    const current = this.counts.get(key) ?? 0;
    if (current >= max) return false;
    this.counts.set(key, current + 1);
    return true;
  }

  release(key: string): void {
    const current = this.counts.get(key) ?? 0;
    if (current <= 1) this.counts.delete(key);
    else this.counts.set(key, current - 1);
  }

  count(key: string): number {
    return this.counts.get(key) ?? 0;
  }
}

/** Accepts a bare partner id or a full subject key. */
function subjectKey(subject: string): string {
  return subject.startsWith('anon:') || subject.startsWith('partner:') ? subject : `partner:${subject}`;
}

function retryAfterSeconds(msBeforeNext: number): number {
  return Math.max(1, Math.ceil(msBeforeNext / 1000));
}

function throttleFault(subcode: QName, reason: string, retryAfter: number): SoapFault<never> {
  return new SoapFault<never>({
    code: 'Sender',
    reason,
    subcode,
    httpStatus: 429,
    httpHeaders: { 'Retry-After': String(retryAfter) },
  });
}

export interface RateLimiter {
  readonly interceptor: SoapInterceptor;
  /** Requests currently in flight on this instance for a partner id (or `anon:<address>`). */
  inFlight(subject: string): number;
  /** With `inFlight: 'redis'`: requests in flight on all instances. */
  sharedInFlight(subject: string): Promise<number>;
  /** Forgets cached per-partner overrides (e.g. after an admin changed them). */
  clearOverrides(partnerId?: string): void;
}

export function createRateLimiter(options: RateLimitOptions): RateLimiter {
  const keyPrefix = options.keyPrefix ?? 'partner-orders:rl';
  const overrideCacheMs = options.overrideCacheMs ?? 30_000;
  const inFlight = new InFlightCounter();
  const clientAddress = clientAddressResolver(options.trustedProxies ?? []);
  if (options.inFlight === 'redis' && options.redis === undefined)
    throw new Error("rate limiter: inFlight 'redis' needs a Redis client");
  const sharedInFlight =
    options.inFlight === 'redis' && options.redis !== undefined
      ? new RedisInFlight(options.redis, keyPrefix, options.inFlightLeaseMs ?? 60_000)
      : undefined;

  /**
   * A slot for `subject`, or undefined at the cap. Counted on this instance while Redis is unavailable (the
   * circuit logs that once; a log line per request would flood the log in an outage).
   */
  async function acquireSlot(subject: string, max: number): Promise<Slot | undefined> {
    if (sharedInFlight !== undefined && options.redis?.available === true) {
      try {
        const lease = await sharedInFlight.tryAcquire(subject, max);
        return lease === undefined ? undefined : { subject, lease };
      } catch {
        // fall through to this instance's counter
      }
    }
    if (sharedInFlight !== undefined) options.onFallback?.();
    return inFlight.tryAcquire(subject, max) ? { subject } : undefined;
  }

  function releaseSlot(slot: Slot): void {
    if (slot.lease === undefined || sharedInFlight === undefined) {
      inFlight.release(slot.subject);
      return;
    }
    // afterCompletion cannot wait; an unreleased lease frees itself when it expires.
    sharedInFlight.release(slot.subject, slot.lease).catch(() => undefined);
  }

  // One counter store per window length; each limiter counts without refusing (points = MAX) and the limit
  // is compared here, so partners with different overrides share counters and stores.
  const limiters = new Map<number, SharedLimiter>();
  function limiterFor(durationSeconds: number): SharedLimiter {
    let limiter = limiters.get(durationSeconds);
    if (limiter === undefined) {
      const settings = {
        points: Number.MAX_SAFE_INTEGER,
        duration: durationSeconds,
        keyPrefix: `${keyPrefix}:${durationSeconds}s`,
      };
      limiter = sharedLimiter(settings, options.redis, options.onFallback);
      limiters.set(durationSeconds, limiter);
    }
    return limiter;
  }

  const overrides = new Map<string, { expiresAt: number; value: Promise<PartnerLimitOverrides | null | undefined> }>();
  async function limitsOf(partnerId: string): Promise<EffectiveLimits> {
    const defaults: EffectiveLimits = { partner: options.limits.partner, operations: options.limits.operations };
    if (options.limitsFor === undefined) return defaults;
    const now = Date.now();
    let cached = overrides.get(partnerId);
    if (cached === undefined || cached.expiresAt <= now) {
      cached = { expiresAt: now + overrideCacheMs, value: options.limitsFor(partnerId) };
      overrides.set(partnerId, cached);
    }
    let found: PartnerLimitOverrides | null | undefined;
    try {
      found = await cached.value;
    } catch (error) {
      // A failing lookup must not turn into a denial of service; defaults apply until it works again.
      overrides.delete(partnerId);
      options.logger?.warn('rate limit override lookup failed; using defaults', {
        partnerId,
        error: error instanceof Error ? error.message : String(error),
      });
      return defaults;
    }
    if (!found) return defaults;
    return {
      partner: { ...defaults.partner, ...found.partner },
      operations: { ...defaults.operations, ...found.operations },
    };
  }

  async function consume(window: Window): Promise<RateLimiterRes> {
    try {
      return await limiterFor(window.limit.durationSeconds).consume(window.key);
    } catch (rejection) {
      // With points = MAX the library only rejects with an Error (store failure without insurance).
      if (rejection instanceof RateLimiterRes) return rejection;
      throw rejection;
    }
  }

  function reject(throttle: Throttle, fault: SoapFault<never>, exchange: SoapExchange): never {
    options.onReject?.(throttle);
    const retryAfter = fault.httpHeaders?.['Retry-After'];
    if (retryAfter !== undefined) exchange.httpHeaders['Retry-After'] = retryAfter;
    throw fault;
  }

  const interceptor: SoapInterceptor = {
    name: 'rate-limit',
    async handleRequest(exchange: SoapExchange): Promise<void> {
      const operation = exchange.operation?.name ?? 'unknown';
      const principal = exchange.principal;
      let subject: string;
      let concurrency: { max: number; throttle: Throttle };
      let windows: Window[];
      const address = principal === undefined ? clientAddress(exchange.request) : '';
      if (principal === undefined) {
        subject = `anon:${address}`;
        const limit = options.limits.unauthenticated;
        concurrency = { max: limit.maxInFlight, throttle: 'unauthenticated-in-flight' };
        windows = [{ key: subject, limit, throttle: 'unauthenticated' }];
      } else {
        subject = `partner:${principal.id}`;
        const limits = await limitsOf(principal.id);
        concurrency = { max: limits.partner.maxInFlight, throttle: 'partner-in-flight' };
        windows = [
          { key: subject, limit: limits.partner, throttle: 'partner' },
          {
            key: `${subject}:op:${operation}`,
            limit: limits.operations[operation] ?? options.limits.operation,
            throttle: 'operation',
          },
        ];
      }
      const who = principal === undefined ? `address ${address}` : `partner ${principal.name}`;

      const slot = await acquireSlot(subject, concurrency.max);
      if (slot === undefined) {
        reject(
          concurrency.throttle,
          throttleFault(
            CONCURRENCY_LIMIT_EXCEEDED,
            `Too many concurrent requests for ${who} (limit ${concurrency.max}); retry after 1 s`,
            1,
          ),
          exchange,
        );
      }
      exchange.attributes.set(SLOT_ATTRIBUTE, slot);

      let results: RateLimiterRes[];
      try {
        results = await Promise.all(windows.map(consume));
      } catch (error) {
        options.logger?.error('rate limiter store failed; request allowed', {
          error: error instanceof Error ? error.message : String(error),
        });
        return;
      }
      for (let i = 0; i < windows.length; i++) {
        const { limit, throttle } = windows[i];
        const result = results[i];
        if (result.consumedPoints > limit.points) {
          const retryAfter = retryAfterSeconds(result.msBeforeNext);
          const scope = throttle === 'operation' ? `operation ${operation} for ${who}` : who;
          reject(
            throttle,
            throttleFault(
              REQUEST_RATE_EXCEEDED,
              `Request rate limit exceeded for ${scope} (${limit.points} per ${limit.durationSeconds} s); retry after ${retryAfter} s`,
              retryAfter,
            ),
            exchange,
          );
        }
      }
    },
    afterCompletion(exchange: SoapExchange): void {
      const slot = exchange.attributes.get(SLOT_ATTRIBUTE) as Slot | undefined;
      if (slot !== undefined) {
        exchange.attributes.delete(SLOT_ATTRIBUTE);
        releaseSlot(slot);
      }
    },
  };

  return {
    interceptor,
    inFlight: (subject) => inFlight.count(subjectKey(subject)),
    sharedInFlight: (subject) =>
      sharedInFlight === undefined
        ? Promise.resolve(inFlight.count(subjectKey(subject)))
        : sharedInFlight.count(subjectKey(subject)),
    clearOverrides(partnerId) {
      if (partnerId === undefined) overrides.clear();
      else overrides.delete(partnerId);
    },
  };
}

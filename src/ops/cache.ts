/**
 * Read caches with lru-cache and a TTL, invalidated on every instance through Redis pub/sub when Redis is
 * configured, and `cachedCatalog`, a decorator that caches catalog reads and invalidates on catalog writes.
 *
 * Staleness is bounded two ways: writes through the decorator invalidate at once (here and, via pub/sub,
 * everywhere), and every entry expires after its TTL, which also covers changes made elsewhere (stock moved
 * by orders) and lost pub/sub messages. A TTL of 0 disables a cache entirely. While Redis is unavailable
 * (its circuit is open) invalidations are not published: other instances drop changed entries when their TTL
 * ends, and each subscriber drops everything when its subscription comes back.
 */
import { randomUUID } from 'node:crypto';
import type Redis from 'ioredis';
import { LRUCache } from 'lru-cache';
import type { EngineLogger } from '../soap';
import type { AppConfig } from '../config';
import { closeRedisClient, createRedisClient, duplicateForSubscription, type RedisCircuit } from './redis';

export interface CacheInvalidationBus {
  /** The circuit whose client PUBLISHes; a dedicated subscriber connection is duplicated from that client. */
  redis: RedisCircuit;
  channel: string;
}

export interface ReadCacheOptions {
  /** Label for metrics and for invalidation messages; caches sharing a channel must have distinct names. */
  name: string;
  /** 0 disables caching (every read goes to the loader). */
  ttlSeconds: number;
  maxEntries: number;
  bus?: CacheInvalidationBus;
  onLookup?: (cache: string, result: 'hit' | 'miss') => void;
  logger?: EngineLogger;
}

export interface ReadCache {
  readonly name: string;
  readonly enabled: boolean;
  /**
   * The cached value for `key`, or the loader's result (stored unless an invalidation happened while it ran).
   * Concurrent misses for one key share one load. Stored values are deep-frozen: treat them as read-only.
   */
  getOrLoad<V>(key: string, loader: () => Promise<V>): Promise<V>;
  /** Drops the keys (or everything) here and, with a bus, on every instance. */
  invalidate(keys: readonly string[] | 'all'): Promise<void>;
  /** Resolves once the invalidation subscription is active (immediately without a bus). */
  ready(): Promise<void>;
  readonly size: number;
  close(): Promise<void>;
}

interface InvalidationMessage {
  origin: string;
  cache: string;
  keys: string[] | 'all';
}

function deepFreeze<V>(value: V): V {
  if (typeof value !== 'object' || value === null || Object.isFrozen(value) || ArrayBuffer.isView(value)) return value;
  Object.freeze(value);
  for (const child of Object.values(value)) deepFreeze(child);
  return value;
}

function isInvalidationMessage(value: unknown): value is InvalidationMessage {
  if (typeof value !== 'object' || value === null) return false;
  const message = value as Record<string, unknown>;
  return (
    typeof message.origin === 'string' &&
    typeof message.cache === 'string' &&
    (message.keys === 'all' || (Array.isArray(message.keys) && message.keys.every((k) => typeof k === 'string')))
  );
}

export function createReadCache(options: ReadCacheOptions): ReadCache {
  const { name, bus, logger } = options;
  const enabled = options.ttlSeconds > 0;
  const origin = randomUUID();
  // Boxed so that undefined/null results can be cached too (lru-cache values must be objects or primitives).
  const entries = new LRUCache<string, { value: unknown }>({
    max: Math.max(1, options.maxEntries),
    ttl: Math.max(1, options.ttlSeconds) * 1000,
  });
  const loading = new Map<string, Promise<unknown>>();
  // Bumped by every invalidation; a load that started before one must not store what it read.
  let generation = 0;

  function dropLocal(keys: readonly string[] | 'all'): void {
    generation++;
    if (keys === 'all') {
      entries.clear();
      loading.clear();
      return;
    }
    for (const key of keys) {
      entries.delete(key);
      loading.delete(key);
    }
  }

  let subscriber: Redis | undefined;
  let subscribed: Promise<void> = Promise.resolve();
  if (enabled && bus !== undefined) {
    const connection = duplicateForSubscription(bus.redis.client);
    subscriber = connection;
    connection.on('message', (channel: string, text: string) => {
      if (channel !== bus.channel) return;
      let message: unknown;
      try {
        message = JSON.parse(text);
      } catch {
        logger?.warn('ignoring malformed cache invalidation message', { cache: name });
        return;
      }
      if (!isInvalidationMessage(message) || message.cache !== name || message.origin === origin) return;
      dropLocal(message.keys);
    });
    let everReady = false;
    let down = false;
    connection.on('ready', () => {
      // Messages published while the subscription was down are lost: start over after a reconnect.
      if (everReady) dropLocal('all');
      if (down) logger?.info('cache invalidation subscription restored; cache emptied', { cache: name });
      everReady = true;
      down = false;
    });
    // Reconnect attempts repeat the error; it is logged once per outage.
    connection.on('error', (error: Error) => {
      if (!down)
        logger?.warn('cache invalidation subscription lost; entries expire by TTL until it returns', {
          cache: name,
          error: error.message,
        });
      down = true;
    });
    subscribed = connection.subscribe(bus.channel).then(() => undefined);
  }

  return {
    name,
    enabled,
    async getOrLoad<V>(key: string, loader: () => Promise<V>): Promise<V> {
      if (!enabled) return loader();
      const entry = entries.get(key);
      if (entry !== undefined) {
        options.onLookup?.(name, 'hit');
        return entry.value as V;
      }
      options.onLookup?.(name, 'miss');
      const pending = loading.get(key);
      if (pending !== undefined) return pending as Promise<V>;
      const startedAt = generation;
      const load = loader().then(
        (value) => {
          if (loading.get(key) === load) loading.delete(key);
          if (generation === startedAt) entries.set(key, { value: deepFreeze(value) });
          return value;
        },
        (error: unknown) => {
          if (loading.get(key) === load) loading.delete(key);
          throw error;
        },
      );
      loading.set(key, load);
      return load;
    },
    async invalidate(keys) {
      if (!enabled) return;
      dropLocal(keys);
      if (bus === undefined || !bus.redis.available) return;
      try {
        await bus.redis.call((client) => publishInvalidation(client, bus.channel, name, keys, origin));
      } catch {
        // Other instances then keep their entries until the TTL expires; that bound still holds (the
        // circuit logs the outage once).
      }
    },
    ready: () => subscribed,
    get size() {
      return entries.size;
    },
    async close() {
      entries.clear();
      loading.clear();
      if (subscriber !== undefined) {
        const connection = subscriber;
        subscriber = undefined;
        await closeRedisClient(connection);
      }
    },
  };
}

/**
 * Tells cache `cache` on every instance to drop `keys`; also for processes that hold no such cache (the
 * CLI after it changed a partner's credentials). Rejects when Redis does.
 */
export async function publishInvalidation(
  redis: Redis,
  channel: string,
  cache: string,
  keys: readonly string[] | 'all',
  origin: string = randomUUID(),
): Promise<void> {
  const message: InvalidationMessage = { origin, cache, keys: keys === 'all' ? 'all' : [...keys] };
  await redis.publish(channel, JSON.stringify(message));
}

/** Name of the cache of PasswordText credentials proven by scrypt (src/soap/security/verified-passwords.ts). */
export const VERIFIED_CREDENTIALS_CACHE = 'verified-credentials';

/** Creates the catalog and stock caches from config, sharing one invalidation channel. */
export function createCatalogCaches(options: {
  catalog: { ttlSeconds: number; maxEntries: number };
  stock: { ttlSeconds: number; maxEntries: number };
  redis?: RedisCircuit;
  channel: string;
  onLookup?: (cache: string, result: 'hit' | 'miss') => void;
  logger?: EngineLogger;
}): CatalogCaches {
  const bus = options.redis === undefined ? undefined : { redis: options.redis, channel: options.channel };
  const common = { bus, onLookup: options.onLookup, logger: options.logger };
  return {
    catalog: createReadCache({
      name: 'catalog',
      ttlSeconds: options.catalog.ttlSeconds,
      maxEntries: options.catalog.maxEntries,
      ...common,
    }),
    stock: createReadCache({
      name: 'stock',
      ttlSeconds: options.stock.ttlSeconds,
      maxEntries: options.stock.maxEntries,
      ...common,
    }),
  };
}

export interface CatalogCaches {
  /** Products and searches. */
  catalog: ReadCache;
  /** Stock levels (TTL 0 by default: never cached). */
  stock: ReadCache;
}

/** The names of T's methods that return a promise: the only ones a cache can stand in front of. */
export type AsyncMethodName<T> = {
  [K in keyof T]-?: T[K] extends (...args: never[]) => Promise<unknown> ? K : never;
}[keyof T];

/**
 * Which cache serves each read method and which caches each write method clears. Keys are checked against
 * T's async methods, so renaming a method without renaming its wiring is a type error, not a cache that
 * silently stops caching.
 */
export interface CacheWiring<T> {
  readonly reads: { readonly [K in AsyncMethodName<T>]?: ReadCache };
  readonly writes: { readonly [K in AsyncMethodName<T>]?: readonly ReadCache[] };
}

/** A deterministic key for method arguments (object keys sorted; bigint and Buffer supported). */
export function argumentsKey(args: readonly unknown[]): string {
  const normalize = (value: unknown): unknown => {
    if (typeof value === 'bigint') return { $bigint: value.toString() };
    if (value === undefined) return { $undefined: true };
    if (Buffer.isBuffer(value)) return { $base64: value.toString('base64') };
    if (value instanceof Date) return { $date: value.toISOString() };
    if (Array.isArray(value)) return value.map(normalize);
    if (typeof value === 'object' && value !== null) {
      return Object.fromEntries(
        Object.keys(value)
          .sort()
          .map((k) => [k, normalize((value as Record<string, unknown>)[k])]),
      );
    }
    return value;
  };
  return JSON.stringify(args.map(normalize));
}

type Invocable = (...args: unknown[]) => Promise<unknown>;

/** Every method on the object's prototype chain (Object.prototype's aside), by name. */
function methodNames(target: object): Set<PropertyKey> {
  const names = new Set<PropertyKey>();
  for (
    let level: object | null = target;
    level !== null && level !== Object.prototype;
    level = Object.getPrototypeOf(level) as object | null
  ) {
    for (const name of Reflect.ownKeys(level)) {
      if (name !== 'constructor' && typeof (target as Record<PropertyKey, unknown>)[name] === 'function')
        names.add(name);
    }
  }
  return names;
}

/**
 * Decorates `service` per `wiring`: a read is served from its cache under `<method>:<arguments key>`; a write
 * runs, then clears its caches on every instance whether it succeeded or not (a failed write may still have
 * committed). Every other method runs on `service` itself; other properties read through to it.
 */
export function withCaching<T extends object>(service: T, wiring: CacheWiring<T>): T {
  const target = service as unknown as Record<PropertyKey, Invocable>;
  const decorated = Object.create(service) as Record<PropertyKey, Invocable>;
  const methods = methodNames(service);
  for (const name of methods) decorated[name] = target[name].bind(service);
  // The types already refuse unknown names; this catches wiring that reached here through a cast.
  for (const method of [...Object.keys(wiring.reads), ...Object.keys(wiring.writes)]) {
    if (!methods.has(method)) throw new TypeError(`Cannot cache ${method}: the service has no such method`);
  }
  for (const [method, cache] of Object.entries(wiring.reads) as [string, ReadCache][]) {
    const original = target[method];
    decorated[method] = (...args) =>
      cache.getOrLoad(`${method}:${argumentsKey(args)}`, () => original.apply(service, args));
  }
  for (const [method, caches] of Object.entries(wiring.writes) as [string, readonly ReadCache[]][]) {
    const original = target[method];
    decorated[method] = async (...args) => {
      try {
        return await original.apply(service, args);
      } finally {
        await Promise.all(caches.map((cache) => cache.invalidate('all')));
      }
    };
  }
  return decorated as unknown as T;
}

/** The catalog methods the cache stands in front of; the domain's CatalogService satisfies it. */
export interface CatalogOperations {
  getProduct(...args: never[]): Promise<unknown>;
  searchProducts(...args: never[]): Promise<unknown>;
  getStockLevels(...args: never[]): Promise<unknown>;
  upsertProduct(...args: never[]): Promise<unknown>;
  adjustStock(...args: never[]): Promise<unknown>;
}

/**
 * The catalog with products and searches served from `caches.catalog` and stock levels from `caches.stock`;
 * upsertProduct clears the catalog cache, adjustStock both (stock changes what a product shows).
 */
export function cachedCatalog<T extends CatalogOperations>(service: T, caches: CatalogCaches): T {
  const wiring: CacheWiring<CatalogOperations> = {
    reads: { getProduct: caches.catalog, searchProducts: caches.catalog, getStockLevels: caches.stock },
    writes: { upsertProduct: [caches.catalog], adjustStock: [caches.stock, caches.catalog] },
  };
  return withCaching<T>(service, wiring as CacheWiring<T>);
}

/** The catalog read cache alone (name 'catalog'), for callers that need just one. */
export function createCatalogCache(options: {
  ttlSeconds: number;
  max: number;
  redis?: RedisCircuit;
  channel?: string;
  onLookup?: (cache: string, result: 'hit' | 'miss') => void;
  logger?: EngineLogger;
}): ReadCache {
  return createReadCache({
    name: 'catalog',
    ttlSeconds: options.ttlSeconds,
    maxEntries: options.max,
    bus:
      options.redis === undefined
        ? undefined
        : { redis: options.redis, channel: options.channel ?? 'partner-orders:cache-invalidation' },
    onLookup: options.onLookup,
    logger: options.logger,
  });
}

/**
 * After a partner's password, status or policy changed (from the CLI): drops the verified PasswordText
 * credentials on every running instance. Without Redis there is nothing to tell (each instance's entries
 * expire after their TTL); an unreachable Redis does not undo the change, which is already committed.
 * The stored hash is part of each entry's key, so an old password stops working at once in any case.
 */
export async function announceCredentialChange(
  config: Pick<AppConfig, 'redis' | 'cache'>,
): Promise<'published' | 'no-redis' | 'failed'> {
  const redis = createRedisClient(config.redis);
  if (redis === undefined) return 'no-redis';
  try {
    await publishInvalidation(redis, config.cache.invalidationChannel, VERIFIED_CREDENTIALS_CACHE, 'all');
    return 'published';
  } catch {
    return 'failed';
  } finally {
    await closeRedisClient(redis);
  }
}

/**
 * Read caches with lru-cache and a TTL, invalidated on every instance through Redis pub/sub when Redis is
 * configured, and `cachedCatalog`, a decorator that caches catalog reads and invalidates on catalog writes.
 *
 * Staleness is bounded two ways: writes through the decorator invalidate at once (here and, via pub/sub,
 * everywhere), and every entry expires after its TTL, which also covers changes made elsewhere (stock moved
 * by orders) and lost pub/sub messages. A TTL of 0 disables a cache entirely.
 */
import { randomUUID } from 'node:crypto';
import type Redis from 'ioredis';
import { LRUCache } from 'lru-cache';
import type { EngineLogger } from '../soap/pipeline';

export interface CacheInvalidationBus {
  /** A client used to PUBLISH; a dedicated subscriber connection is duplicated from it. */
  redis: Redis;
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
  const entries = new LRUCache<string, { value: unknown }>({ max: Math.max(1, options.maxEntries), ttl: Math.max(1, options.ttlSeconds) * 1000 });
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
    const connection = bus.redis.duplicate();
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
    connection.on('ready', () => {
      // Messages published while the subscription was down are lost: start over after a reconnect.
      if (everReady) dropLocal('all');
      everReady = true;
    });
    connection.on('error', (error: Error) => logger?.warn('cache invalidation subscriber error', { cache: name, error: error.message }));
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
      if (bus === undefined) return;
      const message: InvalidationMessage = { origin, cache: name, keys: keys === 'all' ? 'all' : [...keys] };
      try {
        await bus.redis.publish(bus.channel, JSON.stringify(message));
      } catch (error) {
        // Other instances then keep their entries until the TTL expires; that bound still holds.
        logger?.error('cache invalidation publish failed', { cache: name, error: error instanceof Error ? error.message : String(error) });
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
        await connection.quit().catch(() => connection.disconnect());
      }
    },
  };
}

/** Creates the catalog and stock caches from config, sharing one invalidation channel. */
export function createCatalogCaches(options: {
  catalog: { ttlSeconds: number; maxEntries: number };
  stock: { ttlSeconds: number; maxEntries: number };
  redis?: Redis;
  channel: string;
  onLookup?: (cache: string, result: 'hit' | 'miss') => void;
  logger?: EngineLogger;
}): CatalogCaches {
  const bus = options.redis === undefined ? undefined : { redis: options.redis, channel: options.channel };
  const common = { bus, onLookup: options.onLookup, logger: options.logger };
  return {
    catalog: createReadCache({ name: 'catalog', ttlSeconds: options.catalog.ttlSeconds, maxEntries: options.catalog.maxEntries, ...common }),
    stock: createReadCache({ name: 'stock', ttlSeconds: options.stock.ttlSeconds, maxEntries: options.stock.maxEntries, ...common }),
  };
}

export interface CatalogCaches {
  /** Products and searches. */
  catalog: ReadCache;
  /** Stock levels (TTL 0 by default: never cached). */
  stock: ReadCache;
}

type AsyncMethod = (...args: never[]) => Promise<unknown>;

/** The catalog shape the decorator understands; the domain's catalog service or store satisfies it. */
export interface CatalogOperations {
  getProduct: AsyncMethod;
  searchProducts: AsyncMethod;
  upsertProduct: AsyncMethod;
  adjustStock: AsyncMethod;
  getStockLevels?: AsyncMethod;
  getProducts?: AsyncMethod;
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

const CATALOG_READS = ['getProduct', 'getProducts', 'searchProducts'] as const;

/**
 * Wraps a catalog: getProduct/getProducts/searchProducts are served from `caches.catalog`, getStockLevels from
 * `caches.stock`; upsertProduct invalidates the catalog cache and adjustStock both caches, on every instance,
 * once the write has finished (whether it succeeded or not, since a failed write may still have committed).
 * Every other property passes through untouched.
 */
export function cachedCatalog<T extends CatalogOperations>(service: T, caches: CatalogCaches): T {
  const read = (cache: ReadCache, method: string) => {
    const original = (service as unknown as Record<string, (...args: unknown[]) => Promise<unknown>>)[method];
    return (...args: unknown[]) => cache.getOrLoad(`${method}:${argumentsKey(args)}`, () => original.apply(service, args));
  };
  const write = (method: string, invalidate: () => Promise<unknown>) => {
    const original = (service as unknown as Record<string, (...args: unknown[]) => Promise<unknown>>)[method];
    return async (...args: unknown[]) => {
      try {
        return await original.apply(service, args);
      } finally {
        await invalidate();
      }
    };
  };
  const overrides = new Map<PropertyKey, unknown>();
  for (const method of CATALOG_READS) if (typeof service[method] === 'function') overrides.set(method, read(caches.catalog, method));
  if (typeof service.getStockLevels === 'function') overrides.set('getStockLevels', read(caches.stock, 'getStockLevels'));
  overrides.set('upsertProduct', write('upsertProduct', () => caches.catalog.invalidate('all')));
  overrides.set('adjustStock', write('adjustStock', () => Promise.all([caches.stock.invalidate('all'), caches.catalog.invalidate('all')])));

  return new Proxy(service, {
    get(target, property) {
      if (overrides.has(property)) return overrides.get(property);
      const value: unknown = Reflect.get(target, property, target);
      return typeof value === 'function' ? (value as (...args: unknown[]) => unknown).bind(target) : value;
    },
  });
}

/** The catalog read cache alone (name 'catalog'), for callers that need just one. */
export function createCatalogCache(options: {
  ttlSeconds: number;
  max: number;
  redis?: Redis;
  channel?: string;
  onLookup?: (cache: string, result: 'hit' | 'miss') => void;
  logger?: EngineLogger;
}): ReadCache {
  return createReadCache({
    name: 'catalog',
    ttlSeconds: options.ttlSeconds,
    maxEntries: options.max,
    bus: options.redis === undefined ? undefined : { redis: options.redis, channel: options.channel ?? 'partner-orders:cache-invalidation' },
    onLookup: options.onLookup,
    logger: options.logger,
  });
}

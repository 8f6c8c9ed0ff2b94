import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import Redis from 'ioredis';
import {
  argumentsKey,
  cachedCatalog,
  createCatalogCache,
  createCatalogCaches,
  createReadCache,
  withCaching,
  type CacheWiring,
  type ReadCache,
} from '../../src/ops/cache';
import { circuitOf } from '../support/redis';

interface Product {
  sku: string;
  name: string;
  price: string;
}

/** An in-memory catalog that counts calls, standing in for the domain's catalog service. */
class FakeCatalog {
  readonly products = new Map<string, Product>();
  readonly stock = new Map<string, number>();
  calls = { getProduct: 0, searchProducts: 0, getStockLevels: 0 };
  private readonly secret = 'bound';

  async getProduct(sku: string): Promise<Product | undefined> {
    this.calls.getProduct++;
    const product = this.products.get(sku);
    return product === undefined ? undefined : { ...product };
  }
  async searchProducts(query: { text: string; limit: number }): Promise<Product[]> {
    this.calls.searchProducts++;
    return [...this.products.values()].filter((p) => p.name.includes(query.text)).slice(0, query.limit);
  }
  async upsertProduct(product: Product): Promise<Product> {
    this.products.set(product.sku, { ...product });
    return product;
  }
  async adjustStock(adjustment: { sku: string; delta: number }): Promise<{ sku: string; onHand: number }> {
    const onHand = (this.stock.get(adjustment.sku) ?? 0) + adjustment.delta;
    this.stock.set(adjustment.sku, onHand);
    return { sku: adjustment.sku, onHand };
  }
  async getStockLevels(skus: readonly string[]): Promise<{ sku: string; onHand: number }[]> {
    this.calls.getStockLevels++;
    return skus.map((sku) => ({ sku, onHand: this.stock.get(sku) ?? 0 }));
  }
  whoAmI(): string {
    return this.secret;
  }
}

const until = async (condition: () => boolean, what: string): Promise<void> => {
  const deadline = Date.now() + 3000;
  while (!condition()) {
    if (Date.now() > deadline) assert.fail(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
};

describe('ops/cache', () => {
  it('serves hits from memory and counts hits and misses', async () => {
    const lookups: string[] = [];
    const cache = createCatalogCache({
      ttlSeconds: 60,
      max: 10,
      onLookup: (name, result) => lookups.push(`${name}:${result}`),
    });
    let loads = 0;
    const load = async () => ({ n: ++loads });
    assert.deepEqual(await cache.getOrLoad('a', load), { n: 1 });
    assert.deepEqual(await cache.getOrLoad('a', load), { n: 1 });
    assert.equal(loads, 1);
    assert.deepEqual(lookups, ['catalog:miss', 'catalog:hit']);
  });

  it('invalidates single keys and everything', async () => {
    const cache = createReadCache({ name: 'c', ttlSeconds: 60, maxEntries: 10 });
    let version = 1;
    const load = async () => version;
    await cache.getOrLoad('a', load);
    await cache.getOrLoad('b', load);
    version = 2;
    await cache.invalidate(['a']);
    assert.equal(await cache.getOrLoad('a', load), 2);
    assert.equal(await cache.getOrLoad('b', load), 1);
    await cache.invalidate('all');
    assert.equal(await cache.getOrLoad('b', load), 2);
  });

  it('expires entries after the TTL', async function () {
    this.timeout(5000);
    const cache = createReadCache({ name: 'c', ttlSeconds: 1, maxEntries: 10 });
    let version = 1;
    await cache.getOrLoad('a', async () => version);
    version = 2;
    assert.equal(await cache.getOrLoad('a', async () => version), 1);
    await new Promise((resolve) => setTimeout(resolve, 1100));
    assert.equal(await cache.getOrLoad('a', async () => version), 2);
  });

  it('TTL 0 never caches', async () => {
    const cache = createReadCache({ name: 'stock', ttlSeconds: 0, maxEntries: 10 });
    let loads = 0;
    await cache.getOrLoad('a', async () => ++loads);
    await cache.getOrLoad('a', async () => ++loads);
    assert.equal(loads, 2);
    assert.equal(cache.enabled, false);
  });

  it('shares one load between concurrent misses, and does not cache failures', async () => {
    const cache = createReadCache({ name: 'c', ttlSeconds: 60, maxEntries: 10 });
    let loads = 0;
    const slow = () => new Promise<number>((resolve) => setTimeout(() => resolve(++loads), 20));
    const [a, b] = await Promise.all([cache.getOrLoad('k', slow), cache.getOrLoad('k', slow)]);
    assert.deepEqual([a, b, loads], [1, 1, 1]);
    await assert.rejects(
      cache.getOrLoad('bad', async () => Promise.reject(new Error('db down'))),
      /db down/,
    );
    assert.equal(await cache.getOrLoad('bad', async () => 'ok'), 'ok');
  });

  it('does not store a value loaded across an invalidation', async () => {
    const cache = createReadCache({ name: 'c', ttlSeconds: 60, maxEntries: 10 });
    let release!: () => void;
    const gate = new Promise<void>((resolve) => (release = resolve));
    const stale = cache.getOrLoad('k', async () => {
      await gate;
      return 'old';
    });
    await cache.invalidate(['k']);
    release();
    assert.equal(await stale, 'old');
    assert.equal(await cache.getOrLoad('k', async () => 'new'), 'new');
  });

  it('freezes cached values so callers cannot corrupt them', async () => {
    const cache = createReadCache({ name: 'c', ttlSeconds: 60, maxEntries: 10 });
    const value = await cache.getOrLoad('k', async () => ({ nested: { price: '1.00' }, raw: Buffer.from('x') }));
    assert.throws(() => {
      (value.nested as { price: string }).price = '0.01';
    }, TypeError);
  });

  it('builds stable keys from arguments', () => {
    assert.equal(argumentsKey([{ b: 1, a: 2n }]), argumentsKey([{ a: 2n, b: 1 }]));
    assert.notEqual(argumentsKey([{ a: 1 }]), argumentsKey([{ a: '1' }]));
  });

  describe('cachedCatalog', () => {
    it('caches reads, never caches stock at TTL 0, and invalidates on writes', async () => {
      const catalog = new FakeCatalog();
      const caches = createCatalogCaches({
        catalog: { ttlSeconds: 60, maxEntries: 100 },
        stock: { ttlSeconds: 0, maxEntries: 100 },
        channel: 'unused',
      });
      const cached = cachedCatalog(catalog, caches);
      await cached.upsertProduct({ sku: 'A-1', name: 'Anvil', price: '10.00' });
      assert.equal((await cached.getProduct('A-1'))?.price, '10.00');
      assert.equal((await cached.getProduct('A-1'))?.price, '10.00');
      assert.equal(catalog.calls.getProduct, 1);
      await cached.searchProducts({ text: 'Anv', limit: 10 });
      await cached.searchProducts({ limit: 10, text: 'Anv' });
      assert.equal(catalog.calls.searchProducts, 1);

      await cached.upsertProduct({ sku: 'A-1', name: 'Anvil', price: '12.50' });
      assert.equal((await cached.getProduct('A-1'))?.price, '12.50');
      assert.equal((await cached.searchProducts({ text: 'Anv', limit: 10 }))[0].price, '12.50');

      await cached.adjustStock({ sku: 'A-1', delta: 5 });
      assert.deepEqual(await cached.getStockLevels(['A-1']), [{ sku: 'A-1', onHand: 5 }]);
      await cached.adjustStock({ sku: 'A-1', delta: -2 });
      assert.deepEqual(await cached.getStockLevels(['A-1']), [{ sku: 'A-1', onHand: 3 }]);
      assert.equal(catalog.calls.getStockLevels, 2);
      assert.equal(cached.whoAmI(), 'bound', 'other methods pass through with their receiver');
    });
  });

  describe('withCaching', () => {
    it('wires methods by checked name: a renamed or misspelled method is a type error and a start-up error, never a silent miss', async () => {
      const catalog = new FakeCatalog();
      const cache = createReadCache({ name: 'catalog', ttlSeconds: 60, maxEntries: 10 });
      // @ts-expect-error getProdcut is not a method of FakeCatalog: the type checker must refuse the wiring.
      const misspelled: CacheWiring<FakeCatalog> = { reads: { getProdcut: cache }, writes: {} };
      assert.throws(() => withCaching(catalog, misspelled), /Cannot cache getProdcut: the service has no such method/);

      const cached = withCaching(catalog, { reads: { getProduct: cache }, writes: { upsertProduct: [cache] } });
      await cached.getProduct('X');
      await cached.getProduct('X');
      assert.equal(catalog.calls.getProduct, 1);
      await cached.upsertProduct({ sku: 'X', name: 'x', price: '1.00' });
      await cached.getProduct('X');
      assert.equal(catalog.calls.getProduct, 2);
    });
  });

  describe('across instances over Redis pub/sub (127.0.0.1:6379)', () => {
    const closers: (() => Promise<unknown>)[] = [];
    after(async () => {
      for (const close of closers.reverse()) await close();
    });

    function instance(channel: string): { redis: Redis; cache: ReadCache } {
      const redis = new Redis('redis://127.0.0.1:6379');
      const cache = createCatalogCache({ ttlSeconds: 60, max: 100, redis: circuitOf(redis), channel });
      closers.push(
        () => redis.quit(),
        () => cache.close(),
      );
      return { redis, cache };
    }

    it('an invalidation on one instance drops the entry on the other', async () => {
      const channel = `test:cache:${randomUUID()}`;
      const a = instance(channel);
      const b = instance(channel);
      await Promise.all([a.cache.ready(), b.cache.ready()]);
      let version = 1;
      const load = async () => version;
      assert.equal(await a.cache.getOrLoad('product:A-1', load), 1);
      assert.equal(await b.cache.getOrLoad('product:A-1', load), 1);
      version = 2;
      await a.cache.invalidate(['product:A-1']);
      assert.equal(await a.cache.getOrLoad('product:A-1', load), 2);
      await until(() => b.cache.size === 0, 'instance b to drop its entry');
      assert.equal(await b.cache.getOrLoad('product:A-1', load), 2);

      version = 3;
      await b.cache.invalidate('all');
      await until(() => a.cache.size === 0, 'instance a to drop everything');
      assert.equal(await a.cache.getOrLoad('product:A-1', load), 3);
    });

    it('a product update through one decorated catalog is seen through the other', async () => {
      const channel = `test:cache:${randomUUID()}`;
      const shared = new FakeCatalog();
      const make = () => {
        const redis = new Redis('redis://127.0.0.1:6379');
        const caches = createCatalogCaches({
          catalog: { ttlSeconds: 60, maxEntries: 100 },
          stock: { ttlSeconds: 0, maxEntries: 100 },
          redis: circuitOf(redis),
          channel,
        });
        closers.push(
          () => redis.quit(),
          () => caches.catalog.close(),
          () => caches.stock.close(),
        );
        return { caches, catalog: cachedCatalog(shared, caches) };
      };
      const one = make();
      const two = make();
      await Promise.all([one.caches.catalog.ready(), two.caches.catalog.ready()]);
      await one.catalog.upsertProduct({ sku: 'B-2', name: 'Bolt', price: '1.00' });
      assert.equal((await two.catalog.getProduct('B-2'))?.price, '1.00');
      await one.catalog.upsertProduct({ sku: 'B-2', name: 'Bolt', price: '2.00' });
      await until(() => two.caches.catalog.size === 0, 'the other instance to invalidate');
      assert.equal((await two.catalog.getProduct('B-2'))?.price, '2.00');
    });
  });
});

// The ops decorators and lookups wired to the real domain and database code (SQLite scratch file):
// cachedCatalog over CatalogService across two "instances" sharing Redis, and per-partner rate-limit
// overrides from the partner_limits table.
import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import Redis from 'ioredis';
import { openDatabase, type Database } from '../../src/db/connection';
import { migrateLatest } from '../../src/db/migrations';
import { KnexLimitsStore } from '../../src/db/stores/limits-store';
import { cachedCatalog, createCatalogCaches, type CatalogCaches } from '../../src/ops/cache';
import { createRateLimiter } from '../../src/ops/rate-limit';
import { SoapFault } from '../../src/soap';
import { createScratchDatabase, type ScratchDatabase } from '../db/harness';
import { serviceFixture, type ServiceFixture } from '../service/support';
import { makeExchange, partner } from './exchange';
import { circuitOf } from '../support/redis';

describe('ops wired to the domain and database', () => {
  let scratch: ScratchDatabase;
  let db: Database;
  let fixture: ServiceFixture;
  const closers: (() => Promise<unknown>)[] = [];

  before(async () => {
    scratch = await createScratchDatabase('sqlite');
    db = openDatabase(scratch.options);
    await migrateLatest(db);
    fixture = serviceFixture(db);
  });
  after(async () => {
    for (const close of closers.reverse()) await close();
    await db.close();
    await scratch.drop();
  });

  function instance(channel: string): { caches: CatalogCaches; catalog: ServiceFixture['catalog'] } {
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
    return { caches, catalog: cachedCatalog(fixture.catalog, caches) };
  }

  it('a product update through one instance is served fresh by the other; stock is never cached', async () => {
    const channel = `test:cache:${randomUUID()}`;
    const a = instance(channel);
    const b = instance(channel);
    await Promise.all([a.caches.catalog.ready(), b.caches.catalog.ready()]);
    await fixture.product('CACHE-1', '10.00', 5);

    assert.equal((await b.catalog.getProduct('CACHE-1')).unitPrice, '10.00');
    assert.equal(b.caches.catalog.size, 1);
    const product = await a.catalog.getProduct('CACHE-1');
    await a.catalog.upsertProduct({ ...product, unitPrice: '12.50' });
    const deadline = Date.now() + 3000;
    while (b.caches.catalog.size > 0 && Date.now() < deadline) await new Promise((resolve) => setTimeout(resolve, 10));
    assert.equal((await b.catalog.getProduct('CACHE-1')).unitPrice, '12.50');

    const page = await b.catalog.searchProducts({ text: 'CACHE' });
    assert.equal(page.items[0]?.unitPrice, '12.50');

    assert.equal((await b.catalog.getStockLevels(['CACHE-1']))[0]?.onHand, 5);
    await a.catalog.adjustStock({ sku: 'CACHE-1', delta: -2, reason: 'test' }, { partnerId: 'seed', messageId: 'm-1' });
    assert.equal((await b.catalog.getStockLevels(['CACHE-1']))[0]?.onHand, 3, 'stock is read fresh');
  });

  it('applies per-partner overrides stored in partner_limits', async () => {
    const acme = await fixture.partner(`acme-${randomUUID().slice(0, 8)}`);
    const limits = new KnexLimitsStore(db);
    await limits.setLimit(acme.partnerId, { operation: '*', points: 2, durationSeconds: 60, maxInFlight: null });
    const { interceptor } = createRateLimiter({
      limits: {
        partner: { points: 100, durationSeconds: 60, maxInFlight: 10 },
        operation: { points: 100, durationSeconds: 60 },
        operations: {},
        unauthenticated: { points: 100, durationSeconds: 60, maxInFlight: 10 },
      },
      keyPrefix: `test:${randomUUID()}`,
      limitsFor: (id) => limits.limitsFor(id),
    });
    const outcomes: string[] = [];
    for (let i = 0; i < 4; i++) {
      const exchange = makeExchange({ operation: 'GetOrder', principal: partner(acme.partnerId) });
      try {
        await interceptor.handleRequest?.(exchange);
        outcomes.push('ok');
      } catch (error) {
        assert.ok(error instanceof SoapFault);
        outcomes.push(String(error.httpStatus));
      } finally {
        interceptor.afterCompletion?.(exchange);
      }
    }
    assert.deepEqual(outcomes, ['ok', 'ok', '429', '429']);
  });
});

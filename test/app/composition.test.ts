/**
 * The composition root as the server builds it: the handlers it mounts read the catalog through the
 * read cache (a wiring that stopped caching, e.g. after a method rename, fails here), and writes clear it.
 */
import assert from 'node:assert/strict';
import { PassThrough } from 'node:stream';
import { createApp, type App } from '../../src/app';
import { openDatabase, type Database } from '../../src/db/connection';
import { migrateLatest } from '../../src/db/migrations';
import { createLogger } from '../../src/ops/logging';
import type { Principal, SoapContext } from '../../src/soap';
import { createScratchDatabase, type ScratchDatabase } from '../db/harness';
import { testConfig } from '../ops/test-config';

const log = createLogger({ level: 'error' }, { stream: new PassThrough() });
const admin: Principal = { id: 'ops', name: 'ops', roles: ['admin'], authenticatedBy: 'UsernameToken/PasswordText' };
const as = (operation: string): SoapContext => ({
  messageId: `urn:uuid:${operation}`,
  operation,
  soapVersion: '1.1',
  headers: [],
  requestHeaders: {},
  responseHeaders: {},
  principal: admin,
  log,
});

describe('app composition root', () => {
  let scratch: ScratchDatabase;
  let db: Database;
  let app: App;

  before(async () => {
    scratch = await createScratchDatabase('sqlite');
    db = openDatabase(scratch.options);
    await migrateLatest(db);
    app = await createApp({ config: testConfig(), database: db, migrate: false, logger: log });
  });
  after(async () => {
    await app?.close();
    await db?.close();
    await scratch?.drop();
  });

  it('serves v1 and v2 product reads from the catalog cache and clears it on writes', async () => {
    const { v1, v2 } = app.handlers;
    const product = {
      sku: 'CACHED-1',
      name: 'Cached',
      category: 'Hardware',
      unitPrice: '1.00',
      currency: 'EUR',
      active: true,
    };
    await v1.admin.upsertProduct({ product }, as('UpsertProduct'));
    assert.equal(app.ops.caches.catalog.size, 0);

    assert.equal((await v1.orders.getProduct({ sku: 'CACHED-1' }, as('GetProduct'))).product.unitPrice, '1.00');
    assert.equal(app.ops.caches.catalog.size, 1, 'v1 GetProduct stored its read in the catalog cache');
    await v2.orders.getProduct({ sku: 'CACHED-1' }, as('GetProduct'));
    assert.equal(app.ops.caches.catalog.size, 1, 'v2 GetProduct was served from the same entry');

    await v1.admin.upsertProduct({ product: { ...product, unitPrice: '2.00' } }, as('UpsertProduct'));
    assert.equal(app.ops.caches.catalog.size, 0, 'UpsertProduct cleared the catalog cache');
    assert.equal((await v1.orders.getProduct({ sku: 'CACHED-1' }, as('GetProduct'))).product.unitPrice, '2.00');
  });

  it('leaves a database it was given open when it closes', async () => {
    const other = await createApp({ config: testConfig(), database: db, migrate: false, logger: log });
    await other.close();
    assert.deepEqual(await db.knex.raw('select 1 as one').then(() => 'open'), 'open');
  });
});

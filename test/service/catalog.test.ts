import assert from 'node:assert/strict';
import { deleteAllRows, forEachDatabase } from '../db/harness';
import { InsufficientStock, ProductNotFound, ValidationError } from '../../src/service/errors';
import type { Actor } from '../../src/service/catalog';
import { rejection, serviceFixture, submission, type ServiceFixture } from './support';

forEachDatabase('service/catalog', (getDb) => {
  let fx: ServiceFixture;
  let admin: Actor;

  beforeEach(async () => {
    await deleteAllRows(getDb());
    fx = serviceFixture(getDb());
    admin = await fx.partner('ops', { admin: true });
  });

  it('returns a product by sku and ProductNotFound for an unknown one', async () => {
    await fx.product('HAMMER-1', '12.5', 3, { name: 'Claw hammer' });
    const product = await fx.catalog.getProduct('HAMMER-1');
    assert.deepEqual(product, {
      sku: 'HAMMER-1',
      name: 'Claw hammer',
      category: 'Hardware',
      unitPrice: '12.50',
      currency: 'EUR',
      active: true,
    });
    const error = await rejection(fx.catalog.getProduct('HAMMER-2'));
    assert.ok(error instanceof ProductNotFound);
    assert.equal(error.sku, 'HAMMER-2');
  });

  it('replaces a product on upsert without touching its stock', async () => {
    await fx.product('SAW-1', '20.00', 7);
    await fx.catalog.upsertProduct({
      sku: 'SAW-1',
      name: 'Hand saw',
      description: 'Fine teeth',
      category: 'Tools',
      unitPrice: '22',
      currency: 'EUR',
      active: false,
    });
    assert.deepEqual(await fx.catalog.getProduct('SAW-1'), {
      sku: 'SAW-1',
      name: 'Hand saw',
      description: 'Fine teeth',
      category: 'Tools',
      unitPrice: '22.00',
      currency: 'EUR',
      active: false,
    });
    assert.equal((await fx.catalog.getStockLevels(['SAW-1']))[0]!.onHand, 7);
  });

  it('rejects invalid product data with one violation per problem', async () => {
    const error = await rejection(
      fx.catalog.upsertProduct({
        sku: 'bad sku',
        name: ' ',
        category: 'Tools',
        unitPrice: '1.005',
        currency: 'eur',
        active: true,
      }),
    );
    assert.ok(error instanceof ValidationError);
    assert.deepEqual(error.violations.map((v) => v.path).sort(), [
      'product/currency',
      'product/name',
      'product/sku',
      'product/unitPrice',
    ]);
  });

  it('searches by text (case-insensitive, across sku, name and description) and category, paging by sku', async () => {
    await fx.product('SCREW-3', '0.05', 1, { name: 'Wood screw 3mm', category: 'Fasteners' });
    await fx.product('SCREW-4', '0.06', 1, { name: 'Wood screw 4mm', category: 'Fasteners' });
    await fx.product('SCREW-5', '0.07', 1, { name: 'Wood Screw 5mm', category: 'Fasteners' });
    await fx.product('DRILL-1', '89.00', 1, { name: 'Cordless drill', category: 'Tools' });
    await fx.catalog.upsertProduct({
      sku: 'BIT-SET',
      name: 'Bit set',
      description: 'For every SCREW head',
      category: 'Tools',
      unitPrice: '9.90',
      currency: 'EUR',
      active: true,
    });
    await fx.product('PCT-1', '1.00', 1, { name: '100% cotton rag', category: 'Cleaning' });

    const first = await fx.catalog.searchProducts({ text: 'screw', pageSize: 2 });
    assert.deepEqual(
      first.items.map((p) => p.sku),
      ['BIT-SET', 'SCREW-3'],
    );
    assert.ok(first.nextPageToken);
    const second = await fx.catalog.searchProducts({ text: 'screw', pageSize: 2, pageToken: first.nextPageToken });
    assert.deepEqual(
      second.items.map((p) => p.sku),
      ['SCREW-4', 'SCREW-5'],
    );
    assert.equal(second.nextPageToken, undefined);

    assert.deepEqual(
      (await fx.catalog.searchProducts({ category: 'Tools' })).items.map((p) => p.sku),
      ['BIT-SET', 'DRILL-1'],
    );
    assert.deepEqual(
      (await fx.catalog.searchProducts({ text: 'screw', category: 'Tools' })).items.map((p) => p.sku),
      ['BIT-SET'],
    );
    // LIKE wildcards in the text are literal characters.
    assert.deepEqual(
      (await fx.catalog.searchProducts({ text: '%' })).items.map((p) => p.sku),
      ['PCT-1'],
    );
    assert.deepEqual(
      (await fx.catalog.searchProducts({ text: '_' })).items.map((p) => p.sku),
      [],
    );

    const tampered = await rejection(
      fx.catalog.searchProducts({ text: 'screw', pageSize: 2, pageToken: `${first.nextPageToken!}x` }),
    );
    assert.ok(tampered instanceof ValidationError);
    const otherQuery = await rejection(
      fx.catalog.searchProducts({ text: 'drill', pageSize: 2, pageToken: first.nextPageToken }),
    );
    assert.ok(otherQuery instanceof ValidationError);
    const badSize = await rejection(fx.catalog.searchProducts({ pageSize: 101 }));
    assert.ok(badSize instanceof ValidationError);
  });

  it('reports stock levels in request order, leaving unknown skus out', async () => {
    await fx.product('A-1', '1.00', 5);
    await fx.product('B-1', '1.00', 9);
    await fx.orders.submitOrder(submission('PO-1', [['B-1', 4]]), admin);
    assert.deepEqual(await fx.catalog.getStockLevels(['B-1', 'NOPE', 'A-1', 'B-1']), [
      { sku: 'B-1', onHand: 9, reserved: 4, available: 5 },
      { sku: 'A-1', onHand: 5, reserved: 0, available: 5 },
    ]);
  });

  it('adjusts stock but never below the reserved quantity', async () => {
    await fx.product('C-1', '1.00', 10);
    await fx.orders.submitOrder(submission('PO-2', [['C-1', 6]]), admin);
    assert.deepEqual(await fx.catalog.adjustStock({ sku: 'C-1', delta: -4, reason: 'damaged' }, admin), {
      sku: 'C-1',
      onHand: 6,
      reserved: 6,
      available: 0,
    });
    const error = await rejection(fx.catalog.adjustStock({ sku: 'C-1', delta: -1, reason: 'damaged' }, admin));
    assert.ok(error instanceof InsufficientStock, String(error));
    assert.equal(error.requested, 1);
    assert.equal(error.available, 0);
    assert.deepEqual(await fx.catalog.adjustStock({ sku: 'C-1', delta: 5, reason: 'delivery' }, admin), {
      sku: 'C-1',
      onHand: 11,
      reserved: 6,
      available: 5,
    });

    const unknown = await rejection(fx.catalog.adjustStock({ sku: 'NOPE', delta: 1, reason: 'x' }, admin));
    assert.ok(unknown instanceof ProductNotFound);
    const zero = await rejection(fx.catalog.adjustStock({ sku: 'C-1', delta: 0, reason: 'x' }, admin));
    assert.ok(zero instanceof ValidationError);
  });
});

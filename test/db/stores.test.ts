import assert from 'node:assert/strict';
import {
  InsufficientStock,
  InvalidOrderState,
  OrderNotFound,
  PartnerAlreadyExists,
  PartnerNotFound,
  ProductNotFound,
} from '../../src/service/errors';
import type { OrderRecord, Stores } from '../../src/service/store';
import {
  T0,
  addPartner,
  addProduct,
  orderRecord,
  partnerRecord,
  reservationMismatches,
  storesOf,
  submittedEntry,
} from './fixtures';
import { deleteAllRows, forEachDatabase } from './harness';

async function rejectsWith<T>(action: Promise<unknown>, type: new (...args: never[]) => T): Promise<T> {
  try {
    await action;
  } catch (error) {
    assert.ok(error instanceof type, `expected ${type.name}, got ${String(error)}`);
    return error;
  }
  assert.fail(`expected ${type.name}, but the call succeeded`);
}

forEachDatabase('stores', (getDb) => {
  let stores: Stores;
  beforeEach(async () => {
    await deleteAllRows(getDb());
    stores = storesOf(getDb());
  });

  describe('catalog', () => {
    it('inserts a product with an empty stock row, updates it without touching stock', async () => {
      const created = await stores.catalog.upsertProduct({
        sku: 'P-1',
        name: 'Bolt',
        category: 'Hardware',
        unitPrice: '0.10',
        currency: 'EUR',
        active: true,
      });
      assert.deepEqual(created, {
        sku: 'P-1',
        name: 'Bolt',
        category: 'Hardware',
        unitPrice: '0.10',
        currency: 'EUR',
        active: true,
      });
      assert.deepEqual(await stores.catalog.getStockLevels(['P-1']), [
        { sku: 'P-1', onHand: 0, reserved: 0, available: 0 },
      ]);
      await stores.catalog.adjustStock({
        sku: 'P-1',
        delta: 7,
        reason: 'delivery',
        actor: 'admin',
        messageId: 'm1',
        at: T0,
      });

      const updated = await stores.catalog.upsertProduct({
        sku: 'P-1',
        name: 'Bolt M8',
        description: 'zinc plated',
        category: 'Fasteners',
        unitPrice: '12.50',
        currency: 'USD',
        active: false,
      });
      assert.deepEqual(updated, {
        sku: 'P-1',
        name: 'Bolt M8',
        description: 'zinc plated',
        category: 'Fasteners',
        unitPrice: '12.50',
        currency: 'USD',
        active: false,
      });
      assert.deepEqual(await stores.catalog.getProduct('P-1'), updated);
      assert.deepEqual(await stores.catalog.getStockLevels(['P-1']), [
        { sku: 'P-1', onHand: 7, reserved: 0, available: 7 },
      ]);
      assert.equal(await stores.catalog.getProduct('NOPE'), undefined);
      assert.equal(await stores.catalog.countProducts(), 1);
    });

    it('keeps the largest decimal(18,2) price exactly', async () => {
      await addProduct(stores, 'BIG', '9999999999999999.99', 0);
      await addProduct(stores, 'CENT', '0.01', 0);
      assert.equal((await stores.catalog.getProduct('BIG'))?.unitPrice, '9999999999999999.99');
      assert.equal((await stores.catalog.getProduct('CENT'))?.unitPrice, '0.01');
    });

    it('gets several products and stock levels, ignoring unknown skus and duplicates', async () => {
      await addProduct(stores, 'A-1', '1.00', 3);
      await addProduct(stores, 'B-2', '2.00', 0);
      const products = await stores.catalog.getProducts(['B-2', 'A-1', 'ZZZ', 'A-1']);
      assert.deepEqual(products.map((product) => product.sku).sort(), ['A-1', 'B-2']);
      const levels = await stores.catalog.getStockLevels(['A-1', 'B-2', 'ZZZ']);
      assert.deepEqual(
        levels.sort((a, b) => a.sku.localeCompare(b.sku)),
        [
          { sku: 'A-1', onHand: 3, reserved: 0, available: 3 },
          { sku: 'B-2', onHand: 0, reserved: 0, available: 0 },
        ],
      );
      assert.deepEqual(await stores.catalog.getProducts([]), []);
    });

    it('searches by case-insensitive text in sku, name or description, by category, with keyset paging', async () => {
      const catalog = stores.catalog;
      await catalog.upsertProduct({
        sku: 'DRILL-1',
        name: 'Cordless Drill',
        category: 'Tools',
        unitPrice: '99.00',
        currency: 'EUR',
        active: true,
      });
      await catalog.upsertProduct({
        sku: 'DRILL-2',
        name: 'Hammer drill',
        category: 'Tools',
        unitPrice: '149.00',
        currency: 'EUR',
        active: false,
      });
      await catalog.upsertProduct({
        sku: 'BIT-10',
        name: 'Bit set',
        description: 'for any DRILL, 100% steel',
        category: 'Accessories',
        unitPrice: '9.90',
        currency: 'EUR',
        active: true,
      });
      await catalog.upsertProduct({
        sku: 'SAW-1',
        name: 'Saw_blade',
        category: 'Tools',
        unitPrice: '5.00',
        currency: 'EUR',
        active: true,
      });

      const skus = async (search: Parameters<typeof catalog.searchProducts>[0]): Promise<string[]> =>
        (await catalog.searchProducts(search)).map((product) => product.sku);
      assert.deepEqual(await skus({ text: 'drill', limit: 10 }), ['BIT-10', 'DRILL-1', 'DRILL-2']);
      assert.deepEqual(await skus({ text: 'DRILL', category: 'Tools', limit: 10 }), ['DRILL-1', 'DRILL-2']);
      assert.deepEqual(await skus({ category: 'Tools', limit: 2 }), ['DRILL-1', 'DRILL-2']);
      assert.deepEqual(await skus({ category: 'Tools', afterSku: 'DRILL-2', limit: 2 }), ['SAW-1']);
      assert.deepEqual(await skus({ limit: 100 }), ['BIT-10', 'DRILL-1', 'DRILL-2', 'SAW-1']);
      // LIKE wildcards in the text are literal.
      assert.deepEqual(await skus({ text: '100%', limit: 10 }), ['BIT-10']);
      assert.deepEqual(await skus({ text: '%', limit: 10 }), ['BIT-10']);
      assert.deepEqual(await skus({ text: 'w_b', limit: 10 }), ['SAW-1']);
      assert.deepEqual(await skus({ text: '_', limit: 10 }), ['SAW-1']);
      assert.deepEqual(await skus({ text: '[a-z]', limit: 10 }), []);
      assert.deepEqual(await skus({ text: '!', limit: 10 }), []);
    });

    it('finds non-ASCII text case-insensitively, with the same results on every database (issue 14, finding 7)', async () => {
      const catalog = stores.catalog;
      await catalog.upsertProduct({
        sku: 'OEL-1',
        name: 'Ölwanne',
        category: 'Motor',
        unitPrice: '30.00',
        currency: 'EUR',
        active: true,
      });
      await catalog.upsertProduct({
        sku: 'CAF-1',
        name: 'Crème brûlée torch',
        description: 'ÉCLAIR series',
        category: 'Küche',
        unitPrice: '30.00',
        currency: 'EUR',
        active: true,
      });
      await catalog.upsertProduct({
        sku: 'GRK-1',
        name: 'ΣΦΑΙΡΑ',
        category: 'Toys',
        unitPrice: '3.00',
        currency: 'EUR',
        active: true,
      });
      await catalog.upsertProduct({
        sku: 'ASC-1',
        name: 'Oil pan',
        category: 'Motor',
        unitPrice: '30.00',
        currency: 'EUR',
        active: true,
      });
      const skus = async (text: string): Promise<string[]> =>
        (await catalog.searchProducts({ text, limit: 10 })).map((product) => product.sku);
      for (const text of ['Ölwanne', 'ölwanne', 'ÖLWANNE', 'öLwAnNe', 'ÖL'])
        assert.deepEqual(await skus(text), ['OEL-1'], text);
      for (const text of ['CRÈME', 'crème brûlée', 'éclair', 'BRÛLÉE'])
        assert.deepEqual(await skus(text), ['CAF-1'], text);
      assert.deepEqual(await skus('σφαιρα'), ['GRK-1']);
      assert.deepEqual(await skus('oil'), ['ASC-1']);
      assert.deepEqual(await skus('olwanne'), [], 'case folding, not accent folding');
    });

    it('adjusts stock atomically and refuses to drop on-hand below reserved', async () => {
      await addProduct(stores, 'S-1', '1.00', 10);
      const partner = await addPartner(stores, 'acme');
      const order = orderRecord(partner.id, 'R1', [{ sku: 'S-1', quantity: 4, unitPrice: '1.00' }]);
      await stores.orders.createOrderReservingStock(order, submittedEntry(order));

      assert.deepEqual(
        await stores.catalog.adjustStock({
          sku: 'S-1',
          delta: -6,
          reason: 'damaged',
          actor: 'admin',
          messageId: 'm2',
          at: T0,
        }),
        {
          sku: 'S-1',
          onHand: 4,
          reserved: 4,
          available: 0,
        },
      );
      const refused = await rejectsWith(
        stores.catalog.adjustStock({ sku: 'S-1', delta: -1, reason: 'lost', actor: 'admin', messageId: 'm3', at: T0 }),
        InsufficientStock,
      );
      assert.deepEqual([refused.sku, refused.requested, refused.available], ['S-1', 1, 0]);
      await rejectsWith(
        stores.catalog.adjustStock({ sku: 'NOPE', delta: 5, reason: 'x', actor: 'admin', messageId: 'm4', at: T0 }),
        ProductNotFound,
      );
      assert.deepEqual(await stores.catalog.getStockLevels(['S-1']), [
        { sku: 'S-1', onHand: 4, reserved: 4, available: 0 },
      ]);
      const audit = await getDb()
        .knex('stock_adjustments')
        .where('sku', 'S-1')
        .orderBy('id')
        .select('delta', 'reason', 'actor', 'message_id');
      assert.deepEqual(
        audit.map((row) => [Number(row.delta), row.reason, row.actor, row.message_id]),
        [
          [10, 'initial stock', 'test', 'urn:test:stock'],
          [-6, 'damaged', 'admin', 'm2'],
        ],
      );
    });
  });

  describe('orders', () => {
    let partnerId: string;
    beforeEach(async () => {
      partnerId = (await addPartner(stores, 'acme')).id;
      await addProduct(stores, 'A', '0.10', 100);
      await addProduct(stores, 'B', '9999999.99', 5000);
      await addProduct(stores, 'C', '3.33', 2);
    });

    it('stores an order with exact money and reads it back unchanged, optional fields absent', async () => {
      const order = orderRecord(partnerId, 'PO-1', [
        { sku: 'A', quantity: 3, unitPrice: '0.10' },
        { sku: 'B', quantity: 1000, unitPrice: '9999999.99' },
      ]);
      assert.equal(order.lines[0]?.lineTotal, '0.30');
      assert.equal(order.lines[1]?.lineTotal, '9999999990.00');
      assert.equal(order.total, '9999999990.30');
      const outcome = await stores.orders.createOrderReservingStock(order, submittedEntry(order));
      assert.equal(outcome.kind, 'created');

      const stored = await stores.orders.getOrder(partnerId, order.orderId);
      assert.deepEqual(stored, order);
      assert.ok(stored && !('note' in stored) && !('shipment' in stored) && !('line2' in stored.shipTo));
      assert.equal(stored?.createdAt.toISOString(), '2026-01-15T09:00:00.123Z');
      assert.deepEqual(await stores.catalog.getStockLevels(['A']), [
        { sku: 'A', onHand: 100, reserved: 3, available: 97 },
      ]);
    });

    it('keeps every optional field', async () => {
      const order = orderRecord(partnerId, 'PO-OPT', [{ sku: 'A', quantity: 1, unitPrice: '0.10' }], {
        shipTo: {
          name: 'Ünïcødé GmbH',
          line1: 'Straße 1',
          line2: 'Hinterhaus',
          city: 'Köln',
          region: 'NRW',
          postalCode: '50667',
          countryCode: 'DE',
        },
        requestedDeliveryDate: '2026-02-01',
        note: 'Ring twice — 日本語 ok',
      });
      await stores.orders.createOrderReservingStock(order, submittedEntry(order));
      assert.deepEqual(await stores.orders.getOrderAnyPartner(order.orderId), order);
      assert.deepEqual(await stores.orders.findByPartnerRef(partnerId, 'PO-OPT'), order);
    });

    it('stores 500 lines (inserted in chunks under SQL Server parameter limits)', async () => {
      const skus = Array.from({ length: 500 }, (_, index) => `L-${String(index).padStart(3, '0')}`);
      await getDb().knex.batchInsert(
        'products',
        skus.map((sku) => ({
          sku,
          name: sku,
          category: 'Bulk',
          unit_price: '0.01',
          currency: 'EUR',
          active: true,
          created_at: T0.toISOString(),
          updated_at: T0.toISOString(),
        })),
        100,
      );
      await getDb().knex.batchInsert(
        'stock',
        skus.map((sku) => ({ sku, on_hand: 1, reserved: 0, updated_at: T0.toISOString() })),
        100,
      );
      const order = orderRecord(
        partnerId,
        'BULK',
        skus.map((sku) => ({ sku, quantity: 1, unitPrice: '0.01' })),
      );
      assert.equal((await stores.orders.createOrderReservingStock(order, submittedEntry(order))).kind, 'created');
      const stored = await stores.orders.getOrder(partnerId, order.orderId);
      assert.equal(stored?.lines.length, 500);
      assert.equal(stored?.total, '5.00');
      assert.deepEqual(
        stored?.lines.map((line) => line.lineNumber),
        skus.map((_, index) => index + 1),
      );
    });

    it('returns the existing order when the partnerOrderRef is used again', async () => {
      const first = orderRecord(partnerId, 'PO-2', [{ sku: 'A', quantity: 5, unitPrice: '0.10' }]);
      await stores.orders.createOrderReservingStock(first, submittedEntry(first));
      const again = orderRecord(partnerId, 'PO-2', [{ sku: 'A', quantity: 7, unitPrice: '0.10' }]);
      const outcome = await stores.orders.createOrderReservingStock(again, submittedEntry(again));
      assert.equal(outcome.kind, 'existing');
      assert.deepEqual(outcome.order, first);
      assert.deepEqual(
        await stores.catalog.getStockLevels(['A']),
        [{ sku: 'A', onHand: 100, reserved: 5, available: 95 }],
        'the retry reserved nothing',
      );
      // The same reference from another partner is a different order.
      const other = (await addPartner(stores, 'globex')).id;
      const foreign = orderRecord(other, 'PO-2', [{ sku: 'A', quantity: 1, unitPrice: '0.10' }]);
      assert.equal((await stores.orders.createOrderReservingStock(foreign, submittedEntry(foreign))).kind, 'created');
    });

    it('reserves all lines or none', async () => {
      const order = orderRecord(partnerId, 'PO-3', [
        { sku: 'A', quantity: 10, unitPrice: '0.10' },
        { sku: 'C', quantity: 3, unitPrice: '3.33' },
      ]);
      const error = await rejectsWith(
        stores.orders.createOrderReservingStock(order, submittedEntry(order)),
        InsufficientStock,
      );
      assert.deepEqual([error.sku, error.requested, error.available], ['C', 3, 2]);
      assert.deepEqual(await stores.catalog.getStockLevels(['A']), [
        { sku: 'A', onHand: 100, reserved: 0, available: 100 },
      ]);
      assert.equal(await stores.orders.findByPartnerRef(partnerId, 'PO-3'), undefined);

      const missing = orderRecord(partnerId, 'PO-4', [
        { sku: 'A', quantity: 1, unitPrice: '0.10' },
        { sku: 'GHOST', quantity: 1, unitPrice: '1.00' },
      ]);
      const notFound = await rejectsWith(
        stores.orders.createOrderReservingStock(missing, submittedEntry(missing)),
        ProductNotFound,
      );
      assert.equal(notFound.sku, 'GHOST');
      assert.equal(await stores.orders.findByPartnerRef(partnerId, 'PO-4'), undefined);
      assert.deepEqual(await reservationMismatches(getDb()), []);
    });

    it("hides other partners' orders", async () => {
      const order = orderRecord(partnerId, 'PO-5', [{ sku: 'A', quantity: 1, unitPrice: '0.10' }]);
      await stores.orders.createOrderReservingStock(order, submittedEntry(order));
      const other = (await addPartner(stores, 'globex')).id;
      assert.equal(await stores.orders.getOrder(other, order.orderId), undefined);
      assert.equal(await stores.orders.getOrder(partnerId, 'no-such-order'), undefined);
      assert.deepEqual(await stores.orders.listOrders(other, { limit: 10 }), []);
      await rejectsWith(
        stores.orders.transitionOrder({
          orderId: order.orderId,
          partnerId: other,
          from: 'ACCEPTED',
          to: 'CANCELLED',
          at: T0,
          actor: other,
          messageId: 'm',
          cancellation: {},
        }),
        OrderNotFound,
      );
      await rejectsWith(
        stores.orders.transitionOrder({
          orderId: 'no-such-order',
          from: 'ACCEPTED',
          to: 'SHIPPED',
          at: T0,
          actor: 'admin',
          messageId: 'm',
          shipment: { carrier: 'UPS', trackingNumber: '1Z' },
        }),
        OrderNotFound,
      );
    });

    it('lists newest first with keyset paging, ties broken by orderId, and filters', async () => {
      const created: OrderRecord[] = [];
      for (let index = 0; index < 7; index += 1) {
        // Pairs share a createdAt to exercise the (createdAt, orderId) tie-break.
        const at = new Date(T0.getTime() + Math.floor(index / 2) * 1000);
        const order = orderRecord(partnerId, `L-${index}`, [{ sku: 'A', quantity: 1, unitPrice: '0.10' }], {
          createdAt: at,
          updatedAt: at,
        });
        await stores.orders.createOrderReservingStock(order, submittedEntry(order));
        created.push(order);
      }
      const cancelled = created[2]!;
      await stores.orders.transitionOrder({
        orderId: cancelled.orderId,
        partnerId,
        from: 'ACCEPTED',
        to: 'CANCELLED',
        at: T0,
        actor: partnerId,
        messageId: 'm',
        cancellation: {},
      });

      const expected = [...created].sort(
        (a, b) => b.createdAt.getTime() - a.createdAt.getTime() || (a.orderId < b.orderId ? 1 : -1),
      );
      const seen: string[] = [];
      let after: { createdAt: Date; orderId: string } | undefined;
      for (;;) {
        const page = await stores.orders.listOrders(partnerId, after ? { limit: 3, after } : { limit: 3 });
        seen.push(...page.map((summary) => summary.orderId));
        if (page.length < 3) break;
        const last = page[page.length - 1]!;
        after = { createdAt: last.createdAt, orderId: last.orderId };
      }
      assert.deepEqual(
        seen,
        expected.map((order) => order.orderId),
      );

      const [summary] = await stores.orders.listOrders(partnerId, { limit: 1 });
      const newest = expected[0]!;
      assert.deepEqual(summary, {
        orderId: newest.orderId,
        partnerOrderRef: newest.partnerOrderRef,
        status: 'ACCEPTED',
        createdAt: newest.createdAt,
        total: '0.10',
        currency: 'EUR',
        lineCount: 1,
      });

      const onlyCancelled = await stores.orders.listOrders(partnerId, { status: 'CANCELLED', limit: 10 });
      assert.deepEqual(
        onlyCancelled.map((row) => row.orderId),
        [cancelled.orderId],
      );
      const window = await stores.orders.listOrders(partnerId, {
        createdFrom: new Date(T0.getTime() + 1000),
        createdTo: new Date(T0.getTime() + 3000),
        limit: 10,
      });
      assert.deepEqual(window.map((row) => row.partnerOrderRef).sort(), ['L-2', 'L-3', 'L-4', 'L-5']);
    });

    it('cancels: releases the reservation, records history, refuses a second transition', async () => {
      const order = orderRecord(partnerId, 'PO-6', [
        { sku: 'C', quantity: 2, unitPrice: '3.33' },
        { sku: 'A', quantity: 4, unitPrice: '0.10' },
      ]);
      await stores.orders.createOrderReservingStock(order, submittedEntry(order, 'msg-submit'));
      const at = new Date(T0.getTime() + 60_000);
      const cancelled = await stores.orders.transitionOrder({
        orderId: order.orderId,
        partnerId,
        from: 'ACCEPTED',
        to: 'CANCELLED',
        at,
        actor: partnerId,
        messageId: 'msg-cancel',
        cancellation: { reason: 'changed our mind' },
      });
      assert.equal(cancelled.status, 'CANCELLED');
      assert.deepEqual(cancelled.cancellation, { reason: 'changed our mind', cancelledAt: at });
      assert.deepEqual(cancelled.updatedAt, at);
      assert.deepEqual(cancelled.lines, order.lines);
      assert.deepEqual(
        (await stores.catalog.getStockLevels(['A', 'C'])).sort((a, b) => a.sku.localeCompare(b.sku)),
        [
          { sku: 'A', onHand: 100, reserved: 0, available: 100 },
          { sku: 'C', onHand: 2, reserved: 0, available: 2 },
        ],
      );
      const again = await rejectsWith(
        stores.orders.transitionOrder({
          orderId: order.orderId,
          from: 'ACCEPTED',
          to: 'SHIPPED',
          at,
          actor: 'admin',
          messageId: 'm',
          shipment: { carrier: 'UPS', trackingNumber: '1Z' },
        }),
        InvalidOrderState,
      );
      assert.equal(again.currentStatus, 'CANCELLED');
      assert.deepEqual(await stores.orders.getHistory(order.orderId), [
        {
          orderId: order.orderId,
          at: T0,
          actor: partnerId,
          action: 'SUBMITTED',
          toStatus: 'ACCEPTED',
          messageId: 'msg-submit',
        },
        {
          orderId: order.orderId,
          at,
          actor: partnerId,
          action: 'CANCELLED',
          fromStatus: 'ACCEPTED',
          toStatus: 'CANCELLED',
          messageId: 'msg-cancel',
          detail: 'changed our mind',
        },
      ]);
      const noReason = orderRecord(partnerId, 'PO-6b', [{ sku: 'A', quantity: 1, unitPrice: '0.10' }]);
      await stores.orders.createOrderReservingStock(noReason, submittedEntry(noReason));
      const plain = await stores.orders.transitionOrder({
        orderId: noReason.orderId,
        partnerId,
        from: 'ACCEPTED',
        to: 'CANCELLED',
        at,
        actor: partnerId,
        messageId: 'm',
        cancellation: {},
      });
      assert.deepEqual(plain.cancellation, { cancelledAt: at });
    });

    it("ships (any partner's order, as admin): consumes the reservation", async () => {
      const order = orderRecord(partnerId, 'PO-7', [{ sku: 'C', quantity: 2, unitPrice: '3.33' }]);
      await stores.orders.createOrderReservingStock(order, submittedEntry(order));
      const at = new Date(T0.getTime() + 5_000);
      const shipped = await stores.orders.transitionOrder({
        orderId: order.orderId,
        from: 'ACCEPTED',
        to: 'SHIPPED',
        at,
        actor: 'admin-id',
        messageId: 'msg-ship',
        shipment: { carrier: 'DHL', trackingNumber: 'JD0002' },
      });
      assert.equal(shipped.status, 'SHIPPED');
      assert.deepEqual(shipped.shipment, { carrier: 'DHL', trackingNumber: 'JD0002', shippedAt: at });
      assert.deepEqual(await stores.catalog.getStockLevels(['C']), [
        { sku: 'C', onHand: 0, reserved: 0, available: 0 },
      ]);
      const history = await stores.orders.getHistory(order.orderId);
      assert.deepEqual(history[1], {
        orderId: order.orderId,
        at,
        actor: 'admin-id',
        action: 'SHIPPED',
        fromStatus: 'ACCEPTED',
        toStatus: 'SHIPPED',
        messageId: 'msg-ship',
        detail: 'DHL JD0002',
      });
      await rejectsWith(
        stores.orders.transitionOrder({
          orderId: order.orderId,
          partnerId,
          from: 'ACCEPTED',
          to: 'CANCELLED',
          at,
          actor: partnerId,
          messageId: 'm',
          cancellation: {},
        }),
        InvalidOrderState,
      );
      assert.deepEqual(await reservationMismatches(getDb()), []);
    });
  });

  describe('partners', () => {
    it('creates, finds, lists, and refuses duplicate usernames', async () => {
      const acme = await stores.partners.create(partnerRecord('acme', { roles: ['admin'] }));
      assert.deepEqual(acme.roles, ['admin']);
      const globex = await stores.partners.create(partnerRecord('Globex'));
      await rejectsWith(stores.partners.create(partnerRecord('acme')), PartnerAlreadyExists);
      // Usernames are case-sensitive on every database.
      await stores.partners.create(partnerRecord('ACME'));
      assert.deepEqual(await stores.partners.findByUsername('acme'), acme);
      assert.deepEqual(await stores.partners.findById(globex.id), globex);
      assert.equal(await stores.partners.findByUsername('nobody'), undefined);
      assert.equal(await stores.partners.findById('nobody'), undefined);
      assert.deepEqual(
        (await stores.partners.list()).map((partner) => partner.username),
        ['ACME', 'Globex', 'acme'],
      );
      assert.equal(await stores.partners.count(), 3);
      assert.deepEqual(globex.roles, []);
      assert.deepEqual(globex.createdAt, T0);
    });

    it('disables, changes the password hash and grants roles idempotently', async () => {
      await stores.partners.create(partnerRecord('acme'));
      assert.equal((await stores.partners.setDisabled('acme', true)).disabled, true);
      assert.equal(
        (await stores.partners.setDisabled('acme', true)).disabled,
        true,
        'setting the same value again still finds the partner',
      );
      assert.equal((await stores.partners.setDisabled('acme', false)).disabled, false);
      assert.equal((await stores.partners.setPasswordHash('acme', 'scrypt$new')).passwordHash, 'scrypt$new');
      assert.deepEqual((await stores.partners.grantRole('acme', 'admin')).roles, ['admin']);
      assert.deepEqual((await stores.partners.grantRole('acme', 'admin')).roles, ['admin']);
      assert.deepEqual((await stores.partners.grantRole('acme', 'auditor')).roles, ['admin', 'auditor']);
      await rejectsWith(stores.partners.setDisabled('nobody', true), PartnerNotFound);
      await rejectsWith(stores.partners.setPasswordHash('nobody', 'x'), PartnerNotFound);
      await rejectsWith(stores.partners.grantRole('nobody', 'admin'), PartnerNotFound);
    });
  });
});

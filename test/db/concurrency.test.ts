/**
 * Store-level concurrency invariants, on every listed database: no oversell, one order per reference,
 * exactly one winner between cancel and ship, and reserved == quantities of ACCEPTED orders afterwards.
 */
import assert from 'node:assert/strict';
import { InsufficientStock, InvalidOrderState } from '../../src/service/errors';
import type { OrderRecord, Stores } from '../../src/service/store';
import { T0, addPartner, addProduct, orderRecord, reservationMismatches, storesOf, submittedEntry } from './fixtures';
import { deleteAllRows, forEachDatabase } from './harness';

/** Splits settled results into values and errors; any error that is not `expected` fails the test. */
function partition<T>(
  results: PromiseSettledResult<T>[],
  expected: Array<new (...args: never[]) => Error>,
): { values: T[]; errors: Error[] } {
  const values: T[] = [];
  const errors: Error[] = [];
  for (const result of results) {
    if (result.status === 'fulfilled') {
      values.push(result.value);
      continue;
    }
    const error = result.reason as Error;
    if (!expected.some((type) => error instanceof type)) throw error;
    errors.push(error);
  }
  return { values, errors };
}

/** Samples the stock table while `work` runs; returns the smallest `available` ever seen. */
async function watchAvailable<T>(
  stores: Stores,
  skus: string[],
  work: Promise<T>,
): Promise<{ result: T; minimum: number }> {
  let minimum = Number.POSITIVE_INFINITY;
  let done = false;
  const watcher = (async () => {
    while (!done) {
      for (const level of await stores.catalog.getStockLevels(skus)) minimum = Math.min(minimum, level.available);
      await new Promise((resolve) => setTimeout(resolve, 2));
    }
  })();
  try {
    return { result: await work, minimum };
  } finally {
    done = true;
    await watcher;
  }
}

forEachDatabase('concurrency invariants', (getDb) => {
  let stores: Stores;
  let partnerIds: string[];
  beforeEach(async function () {
    this.timeout(60_000);
    await deleteAllRows(getDb());
    stores = storesOf(getDb());
    partnerIds = [];
    for (const name of ['acme', 'globex', 'initech', 'umbrella', 'hooli'])
      partnerIds.push((await addPartner(stores, name)).id);
  });

  it('200 concurrent orders from 5 partners for a stock of 50 reserve exactly 50', async function () {
    this.timeout(120_000);
    await addProduct(stores, 'HOT', '19.99', 50);
    const orders = Array.from({ length: 200 }, (_, index) =>
      orderRecord(partnerIds[index % partnerIds.length]!, `HOT-${index}`, [
        { sku: 'HOT', quantity: 1, unitPrice: '19.99' },
      ]),
    );
    const { result, minimum } = await watchAvailable(
      stores,
      ['HOT'],
      Promise.allSettled(orders.map((order) => stores.orders.createOrderReservingStock(order, submittedEntry(order)))),
    );
    const { values, errors } = partition(result, [InsufficientStock]);
    assert.equal(values.filter((outcome) => outcome.kind === 'created').length, 50);
    assert.equal(errors.length, 150);
    assert.ok(minimum >= 0, `available went down to ${minimum}`);
    assert.deepEqual(await stores.catalog.getStockLevels(['HOT']), [
      { sku: 'HOT', onHand: 50, reserved: 50, available: 0 },
    ]);
    assert.equal(Number((await getDb().knex('orders').count({ n: '*' }))[0]?.n), 50);
    assert.equal(
      Number((await getDb().knex('order_lines').count({ n: '*' }))[0]?.n),
      50,
      'every order has its line, no line without order',
    );
    assert.deepEqual(await reservationMismatches(getDb()), []);
  });

  it('multi-line orders listing the same products in different orders neither deadlock nor oversell', async function () {
    this.timeout(120_000);
    const skus = ['X-1', 'X-2', 'X-3', 'X-4'];
    for (const sku of skus) await addProduct(stores, sku, '1.25', 60);
    const orders = Array.from({ length: 120 }, (_, index) => {
      // Rotate and reverse the line order so that naive lock ordering would deadlock.
      const rotated = [...skus.slice(index % 4), ...skus.slice(0, index % 4)];
      const lines = (index % 2 === 0 ? rotated : rotated.reverse())
        .slice(0, 2 + (index % 3))
        .map((sku, position) => ({ sku, quantity: 1 + ((index + position) % 3), unitPrice: '1.25' }));
      return orderRecord(partnerIds[index % partnerIds.length]!, `MIX-${index}`, lines);
    });
    const settled = await Promise.allSettled(
      orders.map((order) => stores.orders.createOrderReservingStock(order, submittedEntry(order))),
    );
    const { values } = partition(settled, [InsufficientStock]);
    assert.ok(values.length > 0, 'some orders succeed');
    const levels = await stores.catalog.getStockLevels(skus);
    for (const level of levels) assert.ok(level.available >= 0 && level.reserved <= 60, JSON.stringify(level));
    const createdIds = new Set(values.map((outcome) => outcome.order.orderId));
    const reservedBySku = new Map<string, number>();
    for (const order of orders.filter((candidate) => createdIds.has(candidate.orderId))) {
      for (const line of order.lines) reservedBySku.set(line.sku, (reservedBySku.get(line.sku) ?? 0) + line.quantity);
    }
    for (const level of levels)
      assert.equal(level.reserved, reservedBySku.get(level.sku) ?? 0, `reserved of ${level.sku}`);
    assert.deepEqual(await reservationMismatches(getDb()), []);
  });

  it('the same partnerOrderRef sent 20 times at once yields one order and 20 identical orderIds', async function () {
    this.timeout(60_000);
    await addProduct(stores, 'ONE', '5.00', 3);
    const attempts = Array.from({ length: 20 }, () =>
      orderRecord(partnerIds[0]!, 'DUP-REF', [{ sku: 'ONE', quantity: 3, unitPrice: '5.00' }]),
    );
    const outcomes = await Promise.all(
      attempts.map((order) => stores.orders.createOrderReservingStock(order, submittedEntry(order))),
    );
    assert.equal(outcomes.filter((outcome) => outcome.kind === 'created').length, 1);
    const ids = new Set(outcomes.map((outcome) => outcome.order.orderId));
    assert.equal(ids.size, 1);
    assert.equal(Number((await getDb().knex('orders').count({ n: '*' }))[0]?.n), 1);
    // The stock allowed exactly one order of 3: no attempt saw InsufficientStock, none reserved twice.
    assert.deepEqual(await stores.catalog.getStockLevels(['ONE']), [
      { sku: 'ONE', onHand: 3, reserved: 3, available: 0 },
    ]);
  });

  it('concurrent cancel and ship of one order: exactly one wins', async function () {
    this.timeout(60_000);
    await addProduct(stores, 'RACE', '2.00', 100);
    const orders: OrderRecord[] = [];
    for (let index = 0; index < 20; index += 1) {
      const order = orderRecord(partnerIds[index % partnerIds.length]!, `RACE-${index}`, [
        { sku: 'RACE', quantity: 1 + (index % 4), unitPrice: '2.00' },
      ]);
      await stores.orders.createOrderReservingStock(order, submittedEntry(order));
      orders.push(order);
    }
    const at = new Date(T0.getTime() + 1000);
    const races = await Promise.all(
      orders.map(async (order) => {
        const [cancel, ship] = await Promise.allSettled([
          stores.orders.transitionOrder({
            orderId: order.orderId,
            partnerId: order.partnerId,
            from: 'ACCEPTED',
            to: 'CANCELLED',
            at,
            actor: order.partnerId,
            messageId: 'c',
            cancellation: { reason: 'race' },
          }),
          stores.orders.transitionOrder({
            orderId: order.orderId,
            from: 'ACCEPTED',
            to: 'SHIPPED',
            at,
            actor: 'admin',
            messageId: 's',
            shipment: { carrier: 'UPS', trackingNumber: 'T' },
          }),
        ]);
        const { values, errors } = partition([cancel!, ship!], [InvalidOrderState]);
        assert.equal(values.length, 1, 'exactly one transition succeeds');
        assert.equal(errors.length, 1);
        return { order, winner: values[0]!.status };
      }),
    );
    const shippedUnits = races
      .filter((race) => race.winner === 'SHIPPED')
      .reduce((sum, race) => sum + race.order.lines[0]!.quantity, 0);
    for (const race of races) {
      const stored = await stores.orders.getOrderAnyPartner(race.order.orderId);
      assert.equal(stored?.status, race.winner);
      assert.equal(
        (await stores.orders.getHistory(race.order.orderId)).length,
        2,
        'one SUBMITTED and one winning transition',
      );
    }
    assert.deepEqual(await stores.catalog.getStockLevels(['RACE']), [
      { sku: 'RACE', onHand: 100 - shippedUnits, reserved: 0, available: 100 - shippedUnits },
    ]);
    assert.deepEqual(await reservationMismatches(getDb()), []);
  });

  it('a mixed load of submissions, cancellations, shipments and stock adjustments keeps reserved == accepted quantities', async function () {
    this.timeout(120_000);
    const skus = ['M-1', 'M-2', 'M-3'];
    for (const sku of skus) await addProduct(stores, sku, '0.10', 40);
    const accepted: OrderRecord[] = [];
    for (let index = 0; index < 15; index += 1) {
      const order = orderRecord(partnerIds[index % 5]!, `PRE-${index}`, [
        { sku: skus[index % 3]!, quantity: 2, unitPrice: '0.10' },
      ]);
      await stores.orders.createOrderReservingStock(order, submittedEntry(order));
      accepted.push(order);
    }
    const work: Array<Promise<unknown>> = [];
    for (let index = 0; index < 60; index += 1) {
      const order = orderRecord(partnerIds[index % 5]!, `NEW-${index}`, [
        { sku: skus[index % 3]!, quantity: 1 + (index % 5), unitPrice: '0.10' },
        { sku: skus[(index + 1) % 3]!, quantity: 1, unitPrice: '0.10' },
      ]);
      work.push(stores.orders.createOrderReservingStock(order, submittedEntry(order)));
      if (index < accepted.length) {
        const target = accepted[index]!;
        work.push(
          index % 2 === 0
            ? stores.orders.transitionOrder({
                orderId: target.orderId,
                from: 'ACCEPTED',
                to: 'SHIPPED',
                at: T0,
                actor: 'admin',
                messageId: 'x',
                shipment: { carrier: 'UPS', trackingNumber: 'T' },
              })
            : stores.orders.transitionOrder({
                orderId: target.orderId,
                partnerId: target.partnerId,
                from: 'ACCEPTED',
                to: 'CANCELLED',
                at: T0,
                actor: target.partnerId,
                messageId: 'x',
                cancellation: {},
              }),
        );
      }
      if (index % 6 === 0)
        work.push(
          stores.catalog.adjustStock({
            sku: skus[index % 3]!,
            delta: index % 12 === 0 ? 5 : -3,
            reason: 'count',
            actor: 'admin',
            messageId: 'x',
            at: T0,
          }),
        );
    }
    partition(await Promise.allSettled(work), [InsufficientStock]);
    for (const level of await stores.catalog.getStockLevels(skus))
      assert.ok(level.available >= 0, JSON.stringify(level));
    assert.deepEqual(await reservationMismatches(getDb()), []);
    const orphanLines = await getDb()
      .knex('order_lines')
      .leftJoin('orders', 'orders.id', 'order_lines.order_id')
      .whereNull('orders.id')
      .count({ n: '*' });
    assert.equal(Number(orphanLines[0]?.n), 0);
    const linelessOrders = await getDb()
      .knex('orders')
      .leftJoin('order_lines', 'order_lines.order_id', 'orders.id')
      .whereNull('order_lines.order_id')
      .count({ n: '*' });
    assert.equal(Number(linelessOrders[0]?.n), 0);
  });
});

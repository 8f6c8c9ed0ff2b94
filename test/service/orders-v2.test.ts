/**
 * What the domain gained for contract v2: an optional partnerLineRef per line (stored, returned, part of
 * the submitted content only when given, so v1 submissions hash exactly as before), the partnerOrderRef
 * filter of listings (bound into page tokens), and read access to an order's history.
 */
import assert from 'node:assert/strict';
import { forEachDatabase } from '../db/harness';
import { OrderConflict, OrderNotFound, ValidationError } from '../../src/service/errors';
import { submissionHash } from '../../src/service/orders';
import type { Actor } from '../../src/service/catalog';
import { orderSuiteFixture, rejection, submission, type ServiceFixture } from './support';

describe('service/orders: submission hash of v1 content', () => {
  it('is unchanged by the v2 additions (value computed with the code before partnerLineRef existed)', () => {
    const input = {
      partnerOrderRef: 'PO-1',
      shipTo: { name: 'ACME', line1: 'Dock 4', city: 'Hamburg', postalCode: '20095', countryCode: 'DE' },
      lines: [
        { sku: 'A-1', quantity: 3 },
        { sku: 'B-2', quantity: 1 },
      ],
      requestedDeliveryDate: '2026-03-20',
      note: 'n',
    };
    assert.equal(submissionHash(input), '75a6a9dec4c7626221ced3ae38177857204b3b578f223aa56f5bb739bf15f083');
    const withRef = {
      ...input,
      lines: [
        { sku: 'A-1', quantity: 3, partnerLineRef: 'L1' },
        { sku: 'B-2', quantity: 1 },
      ],
    };
    assert.notEqual(submissionHash(withRef), submissionHash(input));
  });
});

forEachDatabase('service/orders v2 additions', (getDb) => {
  let fx: ServiceFixture;
  let acme: Actor;
  let globex: Actor;
  let admin: Actor;

  beforeEach(async () => {
    ({ fx, acme, globex, admin } = await orderSuiteFixture(getDb()));
    await fx.product('BOLT-10', '1.25', 100);
    await fx.product('NUT-10', '0.40', 100);
  });

  it('stores partnerLineRef per line and returns it from every read; lines without one have none', async () => {
    const input = submission('REF-1', [
      ['BOLT-10', 2],
      ['NUT-10', 3],
    ]);
    input.lines[0]!.partnerLineRef = 'PO-7/10';
    const order = await fx.orders.submitOrder(input, acme);
    assert.equal(order.lines[0]!.partnerLineRef, 'PO-7/10');
    assert.equal('partnerLineRef' in order.lines[1]!, false);
    const read = await fx.orders.getOrder(order.orderId, acme);
    assert.deepEqual(read.lines, order.lines);
    const cancelled = await fx.orders.cancelOrder({ orderId: order.orderId }, acme);
    assert.deepEqual(cancelled.lines, order.lines);
  });

  it('treats the line reference as content: same ref retries, another ref conflicts', async () => {
    const first = submission('REF-2', [['BOLT-10', 1]]);
    first.lines[0]!.partnerLineRef = 'L-1';
    const order = await fx.orders.submitOrder(first, acme);
    const retry = submission('REF-2', [['BOLT-10', 1]]);
    retry.lines[0]!.partnerLineRef = 'L-1';
    assert.equal((await fx.orders.submitOrder(retry, acme)).orderId, order.orderId);
    const other = submission('REF-2', [['BOLT-10', 1]]);
    other.lines[0]!.partnerLineRef = 'L-2';
    assert.ok((await rejection(fx.orders.submitOrder(other, acme))) instanceof OrderConflict);
  });

  it('refuses a blank or over-long partnerLineRef with a violation on that line', async () => {
    const input = submission('REF-3', [
      ['BOLT-10', 1],
      ['NUT-10', 1],
    ]);
    input.lines[0]!.partnerLineRef = '  ';
    input.lines[1]!.partnerLineRef = 'x'.repeat(65);
    const error = await rejection(fx.orders.submitOrder(input, acme));
    assert.ok(error instanceof ValidationError);
    assert.deepEqual(
      error.violations.map((v) => v.path),
      ['line[1]/partnerLineRef', 'line[2]/partnerLineRef'],
    );
  });

  it('filters a listing by partnerOrderRef, and a page token only continues the list it came from', async () => {
    for (const ref of ['A', 'B', 'C']) {
      await fx.orders.submitOrder(submission(`REF-${ref}`, [['BOLT-10', 1]]), acme);
      fx.clock.advance();
    }
    await fx.orders.submitOrder(submission('REF-B', [['BOLT-10', 1]]), globex);
    const onlyB = await fx.orders.listOrders({ partnerOrderRef: 'REF-B' }, acme);
    assert.deepEqual(
      onlyB.items.map((s) => s.partnerOrderRef),
      ['REF-B'],
    );
    assert.equal(onlyB.nextPageToken, undefined);
    assert.deepEqual((await fx.orders.listOrders({ partnerOrderRef: 'REF-NONE' }, acme)).items, []);

    const page1 = await fx.orders.listOrders({ pageSize: 1 }, acme);
    assert.ok(page1.nextPageToken !== undefined);
    const misuse = await rejection(
      fx.orders.listOrders({ pageSize: 1, pageToken: page1.nextPageToken, partnerOrderRef: 'REF-A' }, acme),
    );
    assert.ok(misuse instanceof ValidationError, 'a token of the unfiltered list does not continue a filtered one');
  });

  it("reads the history of the caller's own orders only, oldest first", async () => {
    const order = await fx.orders.submitOrder(submission('REF-H', [['BOLT-10', 1]]), acme);
    fx.clock.advance();
    await fx.orders.shipOrder({ orderId: order.orderId, carrier: 'UPS', trackingNumber: '1Z' }, admin);
    const history = await fx.orders.getOrderHistory(order.orderId, acme);
    assert.deepEqual(
      history.map((h) => [h.toStatus, h.actor]),
      [
        ['ACCEPTED', acme.partnerId],
        ['SHIPPED', admin.partnerId],
      ],
    );
    assert.ok((await rejection(fx.orders.getOrderHistory(order.orderId, globex))) instanceof OrderNotFound);
    assert.ok((await rejection(fx.orders.getOrderHistory('no-such-order', acme))) instanceof OrderNotFound);
    assert.equal(await fx.partners.usernameOf(admin.partnerId), 'ops');
    assert.equal(await fx.partners.usernameOf('no-such-id'), undefined);
  });
});

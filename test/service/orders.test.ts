import assert from 'node:assert/strict';
import { forEachDatabase } from '../db/harness';
import {
  InsufficientStock,
  InvalidOrderState,
  OrderConflict,
  OrderNotFound,
  ProductNotFound,
  ValidationError,
} from '../../src/service/errors';
import { nextMessageId, orderSuiteFixture, rejection, submission, type ServiceFixture } from './support';
import type { Actor } from '../../src/service/catalog';

forEachDatabase('service/orders', (getDb) => {
  let fx: ServiceFixture;
  let acme: Actor;
  let globex: Actor;
  let admin: Actor;

  beforeEach(async () => {
    ({ fx, acme, globex, admin } = await orderSuiteFixture(getDb()));
    await fx.product('DIME', '0.10', 1000);
    await fx.product('YACHT', '9999999.99', 5000);
    await fx.product('BOLT-10', '1.25', 10);
    await fx.product('NUT-10', '0.40', 3);
    await fx.product('USD-ONLY', '5.00', 100, { currency: 'USD' });
    await fx.product('RETIRED', '2.00', 100, { active: false });
  });

  const stockOf = async (sku: string) => {
    const [level] = await fx.catalog.getStockLevels([sku]);
    assert.ok(level, `stock of ${sku}`);
    return level;
  };

  describe('pricing', () => {
    it('computes exact line totals and totals from catalog prices (3 x 0.10 = 0.30, 9999999.99 x 1000)', async () => {
      const order = await fx.orders.submitOrder(
        submission('PO-EXACT', [
          ['DIME', 3],
          ['YACHT', 1000],
        ]),
        acme,
      );
      assert.deepEqual(
        order.lines.map((line) => [line.lineNumber, line.sku, line.quantity, line.unitPrice, line.lineTotal]),
        [
          [1, 'DIME', 3, '0.10', '0.30'],
          [2, 'YACHT', 1000, '9999999.99', '9999999990.00'],
        ],
      );
      assert.equal(order.total, '9999999990.30');
      assert.equal(order.currency, 'EUR');
      assert.equal(order.status, 'ACCEPTED');

      const stored = await fx.orders.getOrder(order.orderId, acme);
      assert.equal(stored.total, '9999999990.30');
      assert.deepEqual(
        stored.lines.map((line) => line.lineTotal),
        ['0.30', '9999999990.00'],
      );
    });

    it('takes the price at submission; later price changes do not touch the order', async () => {
      const first = await fx.orders.submitOrder(submission('PO-P1', [['BOLT-10', 2]]), acme);
      await fx.product('BOLT-10', '1.30', 10);
      const second = await fx.orders.submitOrder(submission('PO-P2', [['BOLT-10', 2]]), acme);
      assert.equal((await fx.orders.getOrder(first.orderId, acme)).total, '2.50');
      assert.equal(second.total, '2.60');
    });

    it('refuses lines in different currencies with a violation naming the line', async () => {
      const error = await rejection(
        fx.orders.submitOrder(
          submission('PO-CUR', [
            ['DIME', 1],
            ['USD-ONLY', 1],
          ]),
          acme,
        ),
      );
      assert.ok(error instanceof ValidationError);
      assert.deepEqual(
        error.violations.map((v) => v.path),
        ['line[2]/sku'],
      );
      assert.match(error.violations[0]!.message, /USD.*EUR/);
      assert.equal((await stockOf('DIME')).reserved, 0);
    });

    it('refuses a sku repeated on several lines, naming every repetition', async () => {
      const error = await rejection(
        fx.orders.submitOrder(
          submission('PO-DUP', [
            ['DIME', 1],
            ['BOLT-10', 1],
            ['DIME', 2],
            ['DIME', 1],
          ]),
          acme,
        ),
      );
      assert.ok(error instanceof ValidationError);
      assert.deepEqual(
        error.violations.map((v) => v.path),
        ['line[3]/sku', 'line[4]/sku'],
      );
      assert.equal((await stockOf('DIME')).reserved, 0);
    });

    it('answers ProductNotFound for unknown and inactive products and reserves nothing', async () => {
      for (const sku of ['NOPE-1', 'RETIRED']) {
        const error = await rejection(
          fx.orders.submitOrder(
            submission(`PO-${sku}`, [
              ['DIME', 1],
              [sku, 1],
            ]),
            acme,
          ),
        );
        assert.ok(error instanceof ProductNotFound, String(error));
        assert.equal(error.sku, sku);
      }
      assert.equal((await stockOf('DIME')).reserved, 0);
    });
  });

  describe('stock reservation', () => {
    it('reserves every line on acceptance', async () => {
      await fx.orders.submitOrder(
        submission('PO-R1', [
          ['BOLT-10', 4],
          ['NUT-10', 3],
        ]),
        acme,
      );
      assert.deepEqual(await stockOf('BOLT-10'), { sku: 'BOLT-10', onHand: 10, reserved: 4, available: 6 });
      assert.deepEqual(await stockOf('NUT-10'), { sku: 'NUT-10', onHand: 3, reserved: 3, available: 0 });
    });

    it('reserves all lines or none: a short line leaves no order and no reservation behind', async () => {
      const error = await rejection(
        fx.orders.submitOrder(
          submission('PO-SHORT', [
            ['BOLT-10', 4],
            ['NUT-10', 4],
          ]),
          acme,
        ),
      );
      assert.ok(error instanceof InsufficientStock, String(error));
      assert.equal(error.sku, 'NUT-10');
      assert.equal(error.requested, 4);
      assert.equal(error.available, 3);
      assert.equal((await stockOf('BOLT-10')).reserved, 0);
      assert.equal((await stockOf('NUT-10')).reserved, 0);
      assert.equal(await fx.stores.orders.findByPartnerRef(acme.partnerId, 'PO-SHORT'), undefined);
      assert.deepEqual((await fx.orders.listOrders({}, acme)).items, []);
      // The reference stays usable once stock allows.
      const order = await fx.orders.submitOrder(
        submission('PO-SHORT', [
          ['BOLT-10', 4],
          ['NUT-10', 3],
        ]),
        acme,
      );
      assert.equal(order.status, 'ACCEPTED');
    });

    it('never reserves more than is available across many concurrent submissions', async () => {
      const attempts = Array.from({ length: 12 }, (_, i) =>
        fx.orders.submitOrder(submission(`PO-RACE-${i}`, [['BOLT-10', 1]]), i % 2 === 0 ? acme : globex).then(
          () => 'ok' as const,
          (error: unknown) => {
            if (error instanceof InsufficientStock) return 'short' as const;
            throw error;
          },
        ),
      );
      const results = await Promise.all(attempts);
      assert.equal(results.filter((r) => r === 'ok').length, 10);
      assert.deepEqual(await stockOf('BOLT-10'), { sku: 'BOLT-10', onHand: 10, reserved: 10, available: 0 });
    });
  });

  describe('idempotent submission', () => {
    it('returns the original order for the same partnerOrderRef and content, reserving once', async () => {
      const request = submission('PO-IDEM', [['BOLT-10', 2]], { note: 'gate 3', requestedDeliveryDate: '2026-02-01' });
      const first = await fx.orders.submitOrder(request, acme);
      fx.clock.advance(60_000);
      const again = await fx.orders.submitOrder(structuredClone(request), { ...acme, messageId: nextMessageId() });
      assert.equal(again.orderId, first.orderId);
      assert.equal(again.createdAt.getTime(), first.createdAt.getTime());
      assert.equal((await stockOf('BOLT-10')).reserved, 2);
      assert.equal((await fx.orders.listOrders({}, acme)).items.length, 1);
    });

    it('keeps the requested delivery day whatever zone the client attached, and refuses impossible dates', async () => {
      const first = await fx.orders.submitOrder(
        submission('PO-DATE', [['DIME', 1]], { requestedDeliveryDate: '2026-03-01+01:00' }),
        acme,
      );
      assert.equal(first.requestedDeliveryDate, '2026-03-01');
      assert.equal((await fx.orders.getOrder(first.orderId, acme)).requestedDeliveryDate, '2026-03-01');
      const again = await fx.orders.submitOrder(
        submission('PO-DATE', [['DIME', 1]], { requestedDeliveryDate: '2026-03-01' }),
        acme,
      );
      assert.equal(again.orderId, first.orderId);
      const impossible = await rejection(
        fx.orders.submitOrder(submission('PO-DATE-2', [['DIME', 1]], { requestedDeliveryDate: '2026-02-30' }), acme),
      );
      assert.ok(impossible instanceof ValidationError);
      assert.equal(impossible.violations[0]!.path, 'requestedDeliveryDate');
    });

    it('treats an empty optional field like an absent one', async () => {
      const first = await fx.orders.submitOrder(submission('PO-EMPTY', [['DIME', 1]]), acme);
      const again = await fx.orders.submitOrder(
        submission('PO-EMPTY', [['DIME', 1]], { note: '', shipTo: { ...first.shipTo, region: '' } }),
        acme,
      );
      assert.equal(again.orderId, first.orderId);
    });

    it('answers OrderConflict with the existing orderId when the content differs', async () => {
      const first = await fx.orders.submitOrder(submission('PO-CONFLICT', [['BOLT-10', 2]]), acme);
      for (const changed of [
        submission('PO-CONFLICT', [['BOLT-10', 3]]),
        submission('PO-CONFLICT', [
          ['BOLT-10', 2],
          ['DIME', 1],
        ]),
        submission('PO-CONFLICT', [['BOLT-10', 2]], { note: 'different' }),
        { ...submission('PO-CONFLICT', [['BOLT-10', 2]]), shipTo: { ...submission('x', []).shipTo, city: 'Bremen' } },
      ]) {
        const error = await rejection(fx.orders.submitOrder(changed, acme));
        assert.ok(error instanceof OrderConflict, String(error));
        assert.equal(error.existingOrderId, first.orderId);
        assert.equal(error.partnerOrderRef, 'PO-CONFLICT');
      }
      assert.equal((await stockOf('BOLT-10')).reserved, 2);
    });

    it('keeps references per partner: the same ref from another partner is another order', async () => {
      const mine = await fx.orders.submitOrder(submission('PO-SHARED', [['DIME', 1]]), acme);
      const theirs = await fx.orders.submitOrder(submission('PO-SHARED', [['DIME', 2]]), globex);
      assert.notEqual(mine.orderId, theirs.orderId);
    });

    it('yields one order for the same ref sent many times at once', async () => {
      const request = submission('PO-BURST', [['DIME', 5]]);
      const orders = await Promise.all(
        Array.from({ length: 10 }, () => fx.orders.submitOrder(structuredClone(request), acme)),
      );
      assert.equal(new Set(orders.map((order) => order.orderId)).size, 1);
      assert.equal((await stockOf('DIME')).reserved, 5);
    });
    it('answers concurrent copies of a submission that takes all the stock with the order, not InsufficientStock', async () => {
      const request = submission('PO-ALL', [['BOLT-10', 10]]);
      const orders = await Promise.all(
        Array.from({ length: 8 }, () => fx.orders.submitOrder(structuredClone(request), acme)),
      );
      assert.equal(new Set(orders.map((order) => order.orderId)).size, 1);
      assert.deepEqual(await stockOf('BOLT-10'), { sku: 'BOLT-10', onHand: 10, reserved: 10, available: 0 });
    });
  });

  describe('isolation between partners', () => {
    it("answers another partner's order exactly like an unknown one", async () => {
      const order = await fx.orders.submitOrder(submission('PO-ISO', [['DIME', 1]]), acme);
      const foreign = await rejection(fx.orders.getOrder(order.orderId, globex));
      const unknown = await rejection(fx.orders.getOrder('0b8f2a4e-0000-4000-8000-000000000000', globex));
      assert.ok(foreign instanceof OrderNotFound && unknown instanceof OrderNotFound);
      assert.equal(foreign.orderId, order.orderId);
      assert.equal(
        foreign.message.replace(order.orderId, 'ID'),
        unknown.message.replace('0b8f2a4e-0000-4000-8000-000000000000', 'ID'),
      );

      const cancel = await rejection(fx.orders.cancelOrder({ orderId: order.orderId }, globex));
      assert.ok(cancel instanceof OrderNotFound);
      assert.equal((await fx.orders.getOrder(order.orderId, acme)).status, 'ACCEPTED');
      assert.deepEqual((await fx.orders.listOrders({}, globex)).items, []);
    });
  });

  describe('state transitions', () => {
    it('cancels an ACCEPTED order, releasing its reservation, and refuses to cancel twice', async () => {
      const order = await fx.orders.submitOrder(submission('PO-C1', [['BOLT-10', 4]]), acme);
      fx.clock.advance(5_000);
      const cancelled = await fx.orders.cancelOrder({ orderId: order.orderId, reason: 'customer withdrew' }, acme);
      assert.equal(cancelled.status, 'CANCELLED');
      assert.equal(cancelled.cancellation?.reason, 'customer withdrew');
      assert.equal(cancelled.cancellation?.cancelledAt.getTime(), fx.clock.now().getTime());
      assert.equal(cancelled.updatedAt.getTime(), fx.clock.now().getTime());
      assert.deepEqual(await stockOf('BOLT-10'), { sku: 'BOLT-10', onHand: 10, reserved: 0, available: 10 });

      const again = await rejection(fx.orders.cancelOrder({ orderId: order.orderId }, acme));
      assert.ok(again instanceof InvalidOrderState);
      assert.equal(again.currentStatus, 'CANCELLED');
      const ship = await rejection(
        fx.orders.shipOrder({ orderId: order.orderId, carrier: 'UPS', trackingNumber: '1Z999' }, admin),
      );
      assert.ok(ship instanceof InvalidOrderState);
      assert.equal((await stockOf('BOLT-10')).reserved, 0);
    });

    it("ships any partner's ACCEPTED order, consuming the reservation, and then refuses cancel and re-ship", async () => {
      const order = await fx.orders.submitOrder(
        submission('PO-S1', [
          ['BOLT-10', 4],
          ['NUT-10', 1],
        ]),
        acme,
      );
      fx.clock.advance(1_000);
      const shipped = await fx.orders.shipOrder(
        { orderId: order.orderId, carrier: 'DHL', trackingNumber: 'JD0146' },
        admin,
      );
      assert.equal(shipped.status, 'SHIPPED');
      assert.deepEqual(shipped.shipment && { ...shipped.shipment, shippedAt: shipped.shipment.shippedAt.getTime() }, {
        carrier: 'DHL',
        trackingNumber: 'JD0146',
        shippedAt: fx.clock.now().getTime(),
      });
      assert.deepEqual(await stockOf('BOLT-10'), { sku: 'BOLT-10', onHand: 6, reserved: 0, available: 6 });
      assert.deepEqual(await stockOf('NUT-10'), { sku: 'NUT-10', onHand: 2, reserved: 0, available: 2 });

      const cancel = await rejection(fx.orders.cancelOrder({ orderId: order.orderId }, acme));
      assert.ok(cancel instanceof InvalidOrderState);
      assert.equal(cancel.currentStatus, 'SHIPPED');
      const reship = await rejection(
        fx.orders.shipOrder({ orderId: order.orderId, carrier: 'DHL', trackingNumber: 'X' }, admin),
      );
      assert.ok(reship instanceof InvalidOrderState);
      assert.equal((await stockOf('BOLT-10')).onHand, 6);
    });

    it('answers OrderNotFound when shipping an unknown order', async () => {
      const error = await rejection(
        fx.orders.shipOrder({ orderId: 'no-such-order', carrier: 'DHL', trackingNumber: 'X' }, admin),
      );
      assert.ok(error instanceof OrderNotFound);
    });

    it('records who did what, when, in which message', async () => {
      const order = await fx.orders.submitOrder(submission('PO-H1', [['DIME', 1]]), acme);
      const cancelMessage = { ...acme, messageId: 'urn:uuid:cancel-1' };
      fx.clock.advance(2_000);
      await fx.orders.cancelOrder({ orderId: order.orderId, reason: 'duplicate' }, cancelMessage);
      const history = await fx.stores.orders.getHistory(order.orderId);
      assert.deepEqual(
        history.map((entry) => [entry.action, entry.toStatus, entry.actor, entry.messageId]),
        [
          ['SUBMITTED', 'ACCEPTED', acme.partnerId, acme.messageId],
          ['CANCELLED', 'CANCELLED', acme.partnerId, 'urn:uuid:cancel-1'],
        ],
      );
      assert.equal(history[1]!.at.getTime(), fx.clock.now().getTime());
    });

    it('lets exactly one of a concurrent cancel and ship win', async () => {
      const order = await fx.orders.submitOrder(submission('PO-RACE', [['BOLT-10', 3]]), acme);
      const outcomes = await Promise.allSettled([
        fx.orders.cancelOrder({ orderId: order.orderId }, acme),
        fx.orders.shipOrder({ orderId: order.orderId, carrier: 'UPS', trackingNumber: '1Z' }, admin),
      ]);
      assert.equal(outcomes.filter((o) => o.status === 'fulfilled').length, 1);
      const loser = outcomes.find((o) => o.status === 'rejected');
      assert.ok(loser && loser.status === 'rejected' && loser.reason instanceof InvalidOrderState, String(loser));
      const final = await fx.orders.getOrder(order.orderId, acme);
      const level = await stockOf('BOLT-10');
      assert.equal(level.reserved, 0);
      assert.equal(level.onHand, final.status === 'SHIPPED' ? 7 : 10);
    });
  });

  describe('listing', () => {
    async function submitSeries(actor: Actor, count: number): Promise<string[]> {
      const ids: string[] = [];
      for (let i = 1; i <= count; i++) {
        fx.clock.advance(60_000);
        ids.push((await fx.orders.submitOrder(submission(`PO-L${i}`, [['DIME', i]]), actor)).orderId);
      }
      return ids;
    }

    it('pages newest first with opaque tokens until the end', async () => {
      const ids = await submitSeries(acme, 5);
      await submitSeries(globex, 2);
      const seen: string[] = [];
      let pageToken: string | undefined;
      let pages = 0;
      do {
        const page = await fx.orders.listOrders({ pageSize: 2, pageToken }, acme);
        seen.push(...page.items.map((summary) => summary.orderId));
        pageToken = page.nextPageToken;
        pages++;
      } while (pageToken !== undefined);
      assert.equal(pages, 3);
      assert.deepEqual(seen, [...ids].reverse());
    });

    it('pages through orders created in the same millisecond without skipping or repeating', async () => {
      const ids: string[] = [];
      for (let i = 1; i <= 5; i++)
        ids.push((await fx.orders.submitOrder(submission(`PO-SAME-${i}`, [['DIME', 1]]), acme)).orderId);
      const seen: string[] = [];
      let pageToken: string | undefined;
      do {
        const page = await fx.orders.listOrders({ pageSize: 2, pageToken }, acme);
        seen.push(...page.items.map((summary) => summary.orderId));
        pageToken = page.nextPageToken;
      } while (pageToken !== undefined);
      assert.deepEqual([...seen].sort(), [...ids].sort());
      assert.equal(seen.length, 5);
    });

    it('summarises orders and filters by status and creation time', async () => {
      const ids = await submitSeries(acme, 4);
      await fx.orders.cancelOrder({ orderId: ids[1]! }, acme);
      const cancelled = await fx.orders.listOrders({ status: 'CANCELLED' }, acme);
      assert.deepEqual(
        cancelled.items.map((s) => s.orderId),
        [ids[1]],
      );
      assert.equal(cancelled.items[0]!.lineCount, 1);
      assert.equal(cancelled.items[0]!.total, '0.20');
      assert.equal(cancelled.nextPageToken, undefined);

      const all = (await fx.orders.listOrders({}, acme)).items;
      const second = all.find((s) => s.orderId === ids[1])!.createdAt;
      const fourth = all.find((s) => s.orderId === ids[3])!.createdAt;
      const window = await fx.orders.listOrders(
        { createdFrom: second.toISOString(), createdTo: fourth.toISOString() },
        acme,
      );
      assert.deepEqual(
        window.items.map((s) => s.orderId),
        [ids[2], ids[1]],
      );
      // The same instant written with an offset selects the same orders.
      const fromWithOffset = new Date(second.getTime() + 2 * 3600_000).toISOString().replace('Z', '+02:00');
      const sameWindow = await fx.orders.listOrders(
        { createdFrom: fromWithOffset, createdTo: fourth.toISOString() },
        acme,
      );
      assert.deepEqual(
        sameWindow.items.map((s) => s.orderId),
        [ids[2], ids[1]],
      );
    });

    it('refuses a tampered token, a token of another partner or other filters, and an inverted window', async () => {
      await submitSeries(acme, 3);
      await submitSeries(globex, 3);
      const page = await fx.orders.listOrders({ pageSize: 1 }, acme);
      const token = page.nextPageToken!;
      const [version, payload, mac] = token.split('.') as [string, string, string];
      const decoded = JSON.parse(Buffer.from(payload, 'base64url').toString('utf8')) as { c: { t: number } };
      decoded.c.t += 1;
      const forged = `${version}.${Buffer.from(JSON.stringify(decoded)).toString('base64url')}.${mac}`;
      for (const [request, actor] of [
        [{ pageToken: forged }, acme],
        [{ pageToken: token }, globex],
        [{ pageToken: token, status: 'SHIPPED' as const }, acme],
      ] as const) {
        const error = await rejection(fx.orders.listOrders(request, actor));
        assert.ok(error instanceof ValidationError, String(error));
        assert.equal(error.violations[0]!.path, 'pageToken');
      }
      const inverted = await rejection(
        fx.orders.listOrders({ createdFrom: '2026-02-01T00:00:00Z', createdTo: '2026-01-01T00:00:00Z' }, acme),
      );
      assert.ok(inverted instanceof ValidationError);
      assert.equal(inverted.violations[0]!.path, 'createdTo');
      const zoneless = await rejection(fx.orders.listOrders({ createdFrom: '2026-02-01T00:00:00' }, acme));
      assert.ok(zoneless instanceof ValidationError);
    });
  });
});

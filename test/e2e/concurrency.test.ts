/**
 * Issue 5's concurrency invariants, through SOAP over HTTP against the real service (WS-Security,
 * handlers, domain, stores) on every database in TEST_DATABASES:
 *  - 200 concurrent SubmitOrder calls from several partners for a product with stock 50 reserve exactly
 *    50 units; the rest get InsufficientStock; available never goes negative (sampled during the burst);
 *  - one partnerOrderRef sent 20 times at once yields one order and 20 identical orderIds;
 *  - CancelOrder and ShipOrder racing on one order: exactly one wins, the other gets InvalidOrderState;
 *  - afterwards reserved equals the quantities of ACCEPTED orders for every product (read through the stores);
 *  - money is exact (0.10 x 3, 9999999.99 x 1000).
 */
import assert from 'node:assert/strict';
import { openDatabase } from '../../src/db/connection';
import { createStores } from '../../src/db/stores';
import type { Stores } from '../../src/service/store';
import { quietLog, testDatabaseKinds } from '../db/harness';
import { startTestApp, type TestApp } from '../support/app-server';
import { addPartners, allOrders, allSkus, stockMismatches, UNTHROTTLED } from './support/service';
import {
  bodies,
  call,
  envelope,
  orderOf,
  stockLevelsOf,
  type Credentials,
  type Reply,
  type StockView,
} from './support/soap';

const LIMITED = 'E2E-LIMITED';
const DIME = 'E2E-DIME';
const BIG = 'E2E-BIG';
const RACE = 'E2E-RACE';
const SKUS = [LIMITED, DIME, BIG, RACE];

for (const kind of testDatabaseKinds()) {
  describe(`SOAP concurrency invariants [${kind}]`, function () {
    this.timeout(60_000);
    let app: TestApp;
    let stores: Stores;
    let partners: Credentials[];

    const submit = (
      partner: Credentials,
      ref: string,
      lines: Array<{ sku: string; quantity: number }>,
    ): Promise<Reply> =>
      call(app.ordersUrl, 'SubmitOrder', envelope(bodies.submitOrder(ref, lines), partner, 'digest'));
    const stockOf = async (sku: string): Promise<StockView> =>
      stockLevelsOf(
        await call(app.ordersUrl, 'GetStockLevels', envelope(bodies.getStockLevels([sku]), partners[0]!, 'digest')),
      )[0]!;
    const admin = (action: string, body: string): Promise<Reply> =>
      call(app.adminUrl, action, envelope(body, app.admin));

    before(async () => {
      app = await startTestApp({ kind, config: UNTHROTTLED });
      stores = app.running.app.stores;
      partners = await addPartners(app.running.app.db, app.config, ['north', 'south', 'east', 'west', 'centre']);
      for (const [sku, price, stock] of [
        [LIMITED, '1.00', 50],
        [DIME, '0.10', 1000],
        [BIG, '9999999.99', 5000],
        [RACE, '5.00', 100],
      ] as const) {
        assert.equal((await admin('UpsertProduct', bodies.upsertProduct(sku, price))).status, 200);
        const adjusted = await admin('AdjustStock', bodies.adjustStock(sku, stock));
        assert.deepEqual(stockLevelsOf(adjusted)[0], { sku, onHand: stock, reserved: 0, available: stock });
      }
      const catalog = await allSkus(stores);
      assert.ok(
        SKUS.every((sku) => catalog.includes(sku)) && catalog.length > SKUS.length,
        'the invariant checks cover the demo catalog and the test products',
      );
    });

    after(async () => {
      await app?.close();
    });

    afterEach(async function () {
      if (this.currentTest?.state !== 'passed') return;
      assert.deepEqual(await stockMismatches(stores), [], 'reserved equals the ACCEPTED quantities after every test');
    });

    it('200 concurrent SubmitOrder calls from 5 partners for a product with stock 50 reserve exactly 50 units', async () => {
      let burstDone = false;
      // Two samplers: GetStockLevels over SOAP (queued behind the burst like any client), and the stock row
      // read on a connection of its own, which sees the intermediate states while the burst runs.
      const samples: StockView[] = [];
      const rowSamples: StockView[] = [];
      const observer = openDatabase({ ...app.database.options, log: quietLog });
      const sampler = (async () => {
        while (!burstDone) samples.push(await stockOf(LIMITED));
      })();
      const rowSampler = (async () => {
        const observed = createStores(observer);
        while (!burstDone) {
          rowSamples.push(...(await observed.catalog.getStockLevels([LIMITED])));
          await new Promise((resolve) => setTimeout(resolve, 5));
        }
      })().finally(() => observer.close());
      const started = Date.now();
      const replies = await Promise.all(
        Array.from({ length: 200 }, (_, index) =>
          submit(partners[index % partners.length]!, `burst-${index}`, [{ sku: LIMITED, quantity: 1 }]),
        ),
      ).finally(() => {
        burstDone = true;
      });
      const elapsed = Date.now() - started;
      await Promise.all([sampler, rowSampler]);

      const accepted = replies.filter((reply) => reply.status === 200);
      const refused = replies.filter((reply) => reply.fault?.detailName === 'InsufficientStock');
      const other = replies.filter((reply) => reply.status !== 200 && reply.fault?.detailName !== 'InsufficientStock');
      assert.deepEqual(
        other.map((reply) => `${reply.status} ${reply.fault?.code} ${reply.fault?.reason}`),
        [],
        'only orders and InsufficientStock faults',
      );
      assert.equal(accepted.length, 50, `exactly 50 orders accepted (in ${elapsed} ms)`);
      assert.equal(refused.length, 150);
      for (const reply of refused) {
        assert.equal(reply.status, 500);
        assert.equal(reply.fault?.code, 'Client');
        assert.deepEqual(reply.fault?.detail, { sku: LIMITED, requested: '1', available: '0' });
      }
      const orderIds = new Set(accepted.map((reply) => orderOf(reply).orderId));
      assert.equal(orderIds.size, 50, 'fifty distinct orders');
      for (const reply of accepted) assert.equal(orderOf(reply).status, 'ACCEPTED');

      assert.ok(samples.length >= 1 && rowSamples.length >= 1, 'stock was sampled during the burst');
      for (const sample of [...samples, ...rowSamples]) {
        assert.ok(
          sample.available >= 0 &&
            sample.reserved <= 50 &&
            sample.onHand === 50 &&
            sample.available === sample.onHand - sample.reserved,
          JSON.stringify(sample),
        );
      }
      assert.deepEqual(await stockOf(LIMITED), { sku: LIMITED, onHand: 50, reserved: 50, available: 0 });
      const stored = (await allOrders(stores)).filter(({ order }) => order.lines.some((line) => line.sku === LIMITED));
      assert.deepEqual(
        new Set(stored.map(({ order }) => order.orderId)),
        orderIds,
        'the stored orders are exactly the acknowledged ones',
      );
      const seen = (list: StockView[]) => [...new Set(list.map((sample) => sample.reserved))].join(',');
      process.stdout.write(
        `      [${kind}] 200 submissions in ${elapsed} ms; reserved seen by ${samples.length} GetStockLevels: ${seen(samples)}; by ${rowSamples.length} row reads: ${seen(rowSamples)}\n`,
      );
    });

    it('the same partnerOrderRef sent 20 times at once yields one order and 20 identical orderIds (per partner)', async () => {
      const before = await stockOf(DIME);
      const senders = partners.slice(0, 3);
      const replies = await Promise.all(
        senders.flatMap((partner) =>
          Array.from({ length: 20 }, () =>
            submit(partner, 'PO-SAME-REF', [{ sku: DIME, quantity: 2 }]).then((reply) => ({ partner, reply })),
          ),
        ),
      );
      for (const partner of senders) {
        const mine = replies.filter((entry) => entry.partner === partner).map((entry) => entry.reply);
        assert.deepEqual(
          mine.map((reply) => reply.status),
          Array(20).fill(200),
          mine.find((reply) => reply.status !== 200)?.text,
        );
        const ids = new Set(mine.map((reply) => orderOf(reply).orderId));
        assert.equal(ids.size, 1, `${partner.username}: 20 identical orderIds`);
        const owner = (await stores.partners.findByUsername(partner.username))!;
        const listed = await stores.orders.listOrders(owner.id, { partnerOrderRef: 'PO-SAME-REF', limit: 10 });
        assert.deepEqual(
          listed.map((summary) => summary.orderId),
          [...ids],
          `${partner.username}: one stored order`,
        );
      }
      assert.equal(new Set(replies.map((entry) => orderOf(entry.reply).orderId)).size, 3, 'one order per partner');
      assert.equal((await stockOf(DIME)).reserved, before.reserved + 3 * 2, 'stock reserved once per order');
    });

    it('CancelOrder racing ShipOrder on one order: exactly one wins, the other gets InvalidOrderState', async () => {
      const before = await stockOf(RACE);
      const orders = await Promise.all(
        Array.from({ length: 12 }, async (_, index) => {
          const owner = partners[index % partners.length]!;
          const reply = await submit(owner, `race-${index}`, [{ sku: RACE, quantity: 1 }]);
          return { owner, orderId: orderOf(reply).orderId };
        }),
      );
      const outcomes = await Promise.all(
        orders.map(async ({ owner, orderId }, index) => {
          // Alternate who is sent first so both orders of arrival are exercised.
          const cancel = () =>
            call(app.ordersUrl, 'CancelOrder', envelope(bodies.cancelOrder(orderId), owner, 'digest'));
          const ship = () => admin('ShipOrder', bodies.shipOrder(orderId));
          const [cancelled, shipped] =
            index % 2 === 0
              ? await Promise.all([cancel(), ship()])
              : await Promise.all([ship(), cancel()]).then(([s, c]) => [c, s] as const);
          return { owner, orderId, cancelled, shipped };
        }),
      );
      let shippedCount = 0;
      for (const { owner, orderId, cancelled, shipped } of outcomes) {
        const winners = [cancelled, shipped].filter((reply) => reply.status === 200);
        assert.equal(
          winners.length,
          1,
          `order ${orderId}: cancel ${cancelled.status} ${cancelled.fault?.reason ?? ''}, ship ${shipped.status} ${shipped.fault?.reason ?? ''}`,
        );
        const winner = winners[0]!;
        const loser = winner === cancelled ? shipped : cancelled;
        const finalStatus = winner === cancelled ? 'CANCELLED' : 'SHIPPED';
        if (finalStatus === 'SHIPPED') shippedCount += 1;
        assert.equal(orderOf(winner).status, finalStatus);
        assert.equal(loser.fault?.detailName, 'InvalidOrderState', loser.text);
        assert.deepEqual(loser.fault?.detail, { orderId, currentStatus: finalStatus });
        const readBack = orderOf(
          await call(app.ordersUrl, 'GetOrder', envelope(bodies.getOrder(orderId), owner, 'digest')),
        );
        assert.equal(readBack.status, finalStatus);
        const history = await stores.orders.getHistory(orderId);
        assert.deepEqual(
          history.map((entry) => entry.action),
          ['SUBMITTED', finalStatus],
          `order ${orderId}: one transition recorded`,
        );
      }
      const after = await stockOf(RACE);
      assert.equal(after.reserved, before.reserved, 'every reservation was released or consumed once');
      assert.equal(after.onHand, before.onHand - shippedCount, 'shipping consumed exactly the shipped units');
    });

    it('keeps money exact: 0.10 x 3 and 9999999.99 x 1000', async () => {
      const owner = partners[1]!;
      const small = orderOf(await submit(owner, 'money-dimes', [{ sku: DIME, quantity: 3 }]));
      assert.deepEqual(
        small.lines.map((line) => [line.unitPrice, line.lineTotal]),
        [['0.10', '0.30']],
      );
      assert.equal(small.total, '0.30');
      const large = orderOf(
        await submit(owner, 'money-mixed', [
          { sku: DIME, quantity: 3 },
          { sku: BIG, quantity: 1000 },
        ]),
      );
      assert.deepEqual(
        large.lines.map((line) => [line.sku, line.unitPrice, line.lineTotal]),
        [
          [DIME, '0.10', '0.30'],
          [BIG, '9999999.99', '9999999990.00'],
        ],
      );
      assert.equal(large.total, '9999999990.30');

      // Read back over SOAP and through the store: the database kept every cent.
      const readBack = orderOf(
        await call(app.ordersUrl, 'GetOrder', envelope(bodies.getOrder(large.orderId), owner, 'digest')),
      );
      assert.equal(readBack.total, '9999999990.30');
      assert.deepEqual(
        readBack.lines.map((line) => line.lineTotal),
        ['0.30', '9999999990.00'],
      );
      const partnerId = (await stores.partners.findByUsername(owner.username))!.id;
      const stored = await stores.orders.getOrder(partnerId, large.orderId);
      assert.equal(stored?.total, '9999999990.30');
      assert.deepEqual(
        stored?.lines.map((line) => [line.unitPrice, line.lineTotal]),
        [
          ['0.10', '0.30'],
          ['9999999.99', '9999999990.00'],
        ],
      );
      const listed = await stores.orders.listOrders(partnerId, { partnerOrderRef: 'money-mixed', limit: 1 });
      assert.equal(listed[0]?.total, '9999999990.30');
    });
  });
}

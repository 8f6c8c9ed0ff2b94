/**
 * Durability through the whole stack, on every database: the service runs as a child process, 8 clients
 * submit orders over SOAP, the server is SIGKILLed in the middle of the load and restarted on the same
 * database. Then:
 *  - every order a client got a response for exists, with all its lines (GetOrder over SOAP);
 *  - no order exists without its lines or without its SUBMITTED history entry (through the stores);
 *  - no order exists that no client sent; reserved equals the ACCEPTED quantities for every product;
 *  - requests in flight at the kill may or may not have committed: resubmitting each of them (twice at
 *    once) with the same partnerOrderRef gives one order, and acknowledged orders resubmitted give their
 *    original orderId.
 */
import assert from 'node:assert/strict';
import { openDatabase, type Database } from '../../src/db/connection';
import { createStores } from '../../src/db/stores';
import { createScratchDatabase, testDatabaseKinds, type ScratchDatabase } from '../db/harness';
import { testConfig } from '../ops/test-config';
import { addPartners, allOrders, allSkus, incompleteOrders, stockMismatches, UNTHROTTLED } from './support/service';
import { databaseUrlOf, startServerProcess, type ServerProcess } from './support/serve';
import { bodies, call, envelope, orderOf, type Credentials, type LineRequest, type Reply } from './support/soap';

const CLIENTS = 8;
/** Kill once this many orders were acknowledged: the load is well under way, with requests in flight. */
const ACKNOWLEDGED_BEFORE_KILL = 150;
const MAX_REQUESTS = 2_000;
const PRODUCTS = [
  { sku: 'DUR-DIME', price: '0.10', stock: 1_000_000 },
  { sku: 'DUR-TOOL', price: '12.34', stock: 1_000_000 },
  { sku: 'DUR-BIG', price: '9999999.99', stock: 1_000_000 },
  // Runs out during the load, so refusals and rollbacks happen while the server dies.
  { sku: 'DUR-SCARCE', price: '3.00', stock: 80 },
];
const SKUS = PRODUCTS.map((product) => product.sku);

interface Submission {
  readonly partner: Credentials;
  readonly ref: string;
  readonly lines: LineRequest[];
  outcome?:
    | { kind: 'acknowledged'; orderId: string }
    | { kind: 'refused'; reason: string }
    | { kind: 'in-flight'; error: string };
}

/** Deterministic variety: 1 to 3 distinct products per order, small quantities. */
function linesFor(client: number, sequence: number): LineRequest[] {
  const count = 1 + ((client + sequence) % 3);
  return Array.from({ length: count }, (_, index) => ({
    sku: SKUS[(client + sequence + index) % SKUS.length]!,
    quantity: 1 + ((sequence + index) % 4),
  }));
}

for (const kind of testDatabaseKinds()) {
  describe(`durability: SIGKILL of the server under SubmitOrder load [${kind}]`, function () {
    this.timeout(120_000);
    let scratch: ScratchDatabase;
    let server: ServerProcess | undefined;
    let db: Database | undefined;

    before(async () => {
      scratch = await createScratchDatabase(kind);
    });

    after(async () => {
      await server?.stop();
      await db?.close();
      await scratch?.drop();
    });

    it('keeps every acknowledged order whole, loses nothing half-written, and stays idempotent across the restart', async () => {
      const url = databaseUrlOf(scratch);
      server = await startServerProcess(url, UNTHROTTLED);
      db = openDatabase(scratch.options);
      const stores = createStores(db);
      const partners = await addPartners(db, testConfig(), ['dur-a', 'dur-b', 'dur-c', 'dur-d']);
      const admin = { username: 'admin', password: 'admin-password-2026' };
      for (const product of PRODUCTS) {
        const upsert = await call(
          server.adminUrl,
          'UpsertProduct',
          envelope(bodies.upsertProduct(product.sku, product.price), admin),
        );
        assert.equal(upsert.status, 200, upsert.text);
        assert.equal(
          (await call(server.adminUrl, 'AdjustStock', envelope(bodies.adjustStock(product.sku, product.stock), admin)))
            .status,
          200,
        );
      }

      const catalog = await allSkus(stores);
      assert.ok(
        SKUS.every((sku) => catalog.includes(sku)),
        'the invariant checks cover the load products',
      );

      // ---- load, then SIGKILL in the middle of it ----
      const running = server;
      const submissions: Submission[] = [];
      let acknowledged = 0;
      let killed: Promise<NodeJS.Signals | null> | undefined;
      const client = async (index: number): Promise<void> => {
        for (let sequence = 0; killed === undefined && submissions.length < MAX_REQUESTS; sequence += 1) {
          const submission: Submission = {
            partner: partners[index % partners.length]!,
            ref: `load-${index}-${sequence}`,
            lines: linesFor(index, sequence),
          };
          submissions.push(submission);
          let reply: Reply;
          try {
            reply = await call(
              running.ordersUrl,
              'SubmitOrder',
              envelope(bodies.submitOrder(submission.ref, submission.lines), submission.partner, 'digest'),
              20_000,
            );
          } catch (error) {
            submission.outcome = { kind: 'in-flight', error: String((error as Error).cause ?? error) };
            return;
          }
          if (reply.status === 200) {
            submission.outcome = { kind: 'acknowledged', orderId: orderOf(reply).orderId };
            acknowledged += 1;
            if (acknowledged >= ACKNOWLEDGED_BEFORE_KILL && killed === undefined) killed = running.kill();
          } else if (reply.fault?.detailName === 'InsufficientStock') {
            submission.outcome = { kind: 'refused', reason: reply.fault.reason };
          } else {
            throw new Error(
              `unexpected reply to ${submission.ref}: HTTP ${reply.status} ${reply.text.slice(0, 300)}\n${running.output()}`,
            );
          }
        }
      };
      const loadStarted = Date.now();
      await Promise.all(Array.from({ length: CLIENTS }, (_, index) => client(index)));
      assert.ok(
        killed !== undefined,
        `the load reached ${ACKNOWLEDGED_BEFORE_KILL} acknowledged orders before ${MAX_REQUESTS} requests`,
      );
      assert.equal(await killed, 'SIGKILL');
      const loadMs = Date.now() - loadStarted;
      // Replies that were already on their way when the kill was decided still count as acknowledged.
      const acked = submissions.filter((s) => s.outcome?.kind === 'acknowledged');
      const inFlight = submissions.filter((s) => s.outcome?.kind === 'in-flight');
      // Usually the other clients' requests are cut (reported below); if all of them happened to be answered
      // before the process died, they are acknowledged orders and checked as such.
      assert.ok(
        submissions.every((s) => s.outcome !== undefined),
        'every client saw an outcome',
      );

      // ---- restart on the same database ----
      server = await startServerProcess(url, UNTHROTTLED);
      const restarted = server;

      const bySubmission = new Map(submissions.map((s) => [`${s.partner.username}/${s.ref}`, s]));
      for (const submission of acked) {
        const orderId = (submission.outcome as { orderId: string }).orderId;
        const reply = await call(
          restarted.ordersUrl,
          'GetOrder',
          envelope(bodies.getOrder(orderId), submission.partner, 'digest'),
        );
        assert.equal(
          reply.status,
          200,
          `acknowledged order ${orderId} (${submission.ref}) is readable after the restart: ${reply.text.slice(0, 300)}`,
        );
        const order = orderOf(reply);
        assert.equal(order.partnerOrderRef, submission.ref);
        assert.equal(order.status, 'ACCEPTED');
        assert.deepEqual(
          order.lines.map((line) => ({ sku: line.sku, quantity: line.quantity })),
          submission.lines,
          `${submission.ref}: all its lines`,
        );
      }

      const stored = await allOrders(stores);
      assert.deepEqual(await incompleteOrders(stores, stored), [], 'no order without its lines or its history');
      const owners = new Map((await stores.partners.list()).map((partner) => [partner.id, partner.username]));
      for (const { order } of stored) {
        const sent = bySubmission.get(`${owners.get(order.partnerId)}/${order.partnerOrderRef}`);
        assert.ok(sent !== undefined, `stored order ${order.partnerOrderRef} was sent by a client`);
        assert.notEqual(sent.outcome?.kind, 'refused', `${order.partnerOrderRef} was refused, yet stored`);
        assert.deepEqual(
          order.lines.map((line) => ({ sku: line.sku, quantity: line.quantity })),
          sent.lines,
        );
      }
      assert.deepEqual(await stockMismatches(stores), [], 'reserved equals the ACCEPTED quantities after the crash');
      const committedInFlight = inFlight.filter((s) =>
        stored.some(
          ({ order }) => order.partnerOrderRef === s.ref && owners.get(order.partnerId) === s.partner.username,
        ),
      );

      // ---- resubmission: in-flight ones (twice at once) and a few acknowledged ones ----
      const resubmit = (s: Submission) =>
        call(restarted.ordersUrl, 'SubmitOrder', envelope(bodies.submitOrder(s.ref, s.lines), s.partner, 'digest'));
      for (const submission of inFlight) {
        const partnerId = (await stores.partners.findByUsername(submission.partner.username))!.id;
        const before = await stores.orders.findByPartnerRef(partnerId, submission.ref);
        const replies = await Promise.all([resubmit(submission), resubmit(submission)]);
        if (replies.every((reply) => reply.fault?.detailName === 'InsufficientStock')) {
          assert.equal(before, undefined, `${submission.ref} refused on resubmission although it was stored`);
          continue;
        }
        assert.deepEqual(
          replies.map((reply) => reply.status),
          [200, 200],
          replies.map((reply) => reply.text.slice(0, 300)).join('\n'),
        );
        const ids = new Set(replies.map((reply) => orderOf(reply).orderId));
        assert.equal(ids.size, 1, `${submission.ref}: one order`);
        if (before !== undefined)
          assert.deepEqual(
            [...ids],
            [before.orderId],
            `${submission.ref} had committed before the kill: the same order comes back`,
          );
        assert.equal(
          (await stores.orders.listOrders(partnerId, { partnerOrderRef: submission.ref, limit: 5 })).length,
          1,
        );
      }
      for (const submission of acked.slice(0, 10)) {
        const reply = await resubmit(submission);
        assert.equal(
          orderOf(reply).orderId,
          (submission.outcome as { orderId: string }).orderId,
          `${submission.ref}: resubmitting an acknowledged order returns it`,
        );
      }
      assert.deepEqual(await incompleteOrders(stores, await allOrders(stores)), []);
      assert.deepEqual(await stockMismatches(stores), [], 'the invariant still holds after the resubmissions');
      // For the report: how the run went.
      process.stdout.write(
        `      [${kind}] load ${loadMs} ms: ${submissions.length} sent, ${acked.length} acknowledged, ` +
          `${submissions.filter((s) => s.outcome?.kind === 'refused').length} refused, ${inFlight.length} in flight at the kill (${committedInFlight.length} had committed)\n`,
      );
    });
  });
}

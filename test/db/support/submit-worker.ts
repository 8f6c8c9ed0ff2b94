/**
 * Child process for the durability test: submits orders through the real store as fast as it can and
 * prints each orderId only after its transaction committed, until it is killed.
 * Input (env): DURABILITY_DB = JSON DatabaseOptions, DURABILITY_PARTNERS = JSON partner ids,
 * DURABILITY_SKUS = JSON skus.
 */
import crypto from 'node:crypto';
import { openDatabase } from '../../../src/db/connection';
import { createStores } from '../../../src/db/stores';
import { InsufficientStock } from '../../../src/service/errors';
import { orderRecord, submittedEntry } from '../fixtures';

const options = JSON.parse(process.env.DURABILITY_DB ?? '{}');
const partners = JSON.parse(process.env.DURABILITY_PARTNERS ?? '[]') as string[];
const skus = JSON.parse(process.env.DURABILITY_SKUS ?? '[]') as string[];
const db = openDatabase({ ...options, log: { warn() {}, error() {} } });
const stores = createStores(db);

async function loop(worker: number): Promise<void> {
  for (let index = 0; ; index += 1) {
    const partnerId = partners[(worker + index) % partners.length]!;
    const lines = [skus[index % skus.length]!, skus[(index + 1 + worker) % skus.length]!]
      .filter((sku, position, all) => all.indexOf(sku) === position)
      .map((sku, position) => ({ sku, quantity: 1 + ((index + position) % 3), unitPrice: '0.10' }));
    const order = orderRecord(partnerId, `D-${worker}-${index}-${crypto.randomBytes(3).toString('hex')}`, lines);
    try {
      const outcome = await stores.orders.createOrderReservingStock(order, submittedEntry(order));
      process.stdout.write(`${outcome.order.orderId} ${outcome.order.lines.length}\n`);
    } catch (error) {
      if (!(error instanceof InsufficientStock)) throw error;
    }
  }
}

Promise.all(Array.from({ length: 6 }, (_, worker) => loop(worker))).catch((error: unknown) => {
  process.stderr.write(`worker failed: ${String(error)}\n`);
  process.exit(2);
});

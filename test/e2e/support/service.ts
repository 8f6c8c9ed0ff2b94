/**
 * Server-side helpers of the end-to-end suites: partners created the way an operator creates them, and
 * the stock and order invariants read back through the stores (never by asserting on the replies alone).
 */
import { digestSecretBox } from '../../../src/app';
import type { Database } from '../../../src/db/connection';
import { createStores } from '../../../src/db/stores';
import { KnexCredentialStore } from '../../../src/db/stores/credential-store';
import type { AppConfig } from '../../../src/config';
import { PartnerService } from '../../../src/service/partners';
import type { OrderRecord, Stores } from '../../../src/service/store';
import type { Credentials } from './soap';

/** Rate limits far above what the suites send: they test the database, not the limiter. */
export const UNTHROTTLED = {
  rateLimits: {
    partner: { points: 1_000_000, durationSeconds: 1, maxInFlight: 10_000 },
    operation: { points: 1_000_000, durationSeconds: 1 },
    unauthenticated: { points: 1_000_000, durationSeconds: 1, maxInFlight: 10_000 },
  },
};

/**
 * Adds partners with PartnerService (as `partner add` does), each with its PasswordDigest secret sealed,
 * under the default security policy (Timestamp required).
 */
export async function addPartners(
  db: Database,
  config: AppConfig,
  usernames: readonly string[],
): Promise<Credentials[]> {
  const partners = new PartnerService(createStores(db).partners);
  const credentials = new KnexCredentialStore(db, digestSecretBox(config));
  const added: Credentials[] = [];
  for (const username of usernames) {
    const { password } = await partners.addPartner({ username, displayName: `${username} GmbH` });
    await credentials.setDigestSecret(username, password);
    added.push({ username, password });
  }
  return added;
}

export interface ListedOrder {
  readonly order: OrderRecord;
  /** The line count the order list reports (stored with the order row). */
  readonly listedLineCount: number;
}

/** Every order of every partner, read through the order store (keyset pages of 100). */
export async function allOrders(stores: Stores): Promise<ListedOrder[]> {
  const orders: ListedOrder[] = [];
  for (const partner of await stores.partners.list()) {
    let after: { createdAt: Date; orderId: string } | undefined;
    for (;;) {
      const page = await stores.orders.listOrders(partner.id, { limit: 100, after });
      for (const summary of page) {
        const order = await stores.orders.getOrder(partner.id, summary.orderId);
        if (order === undefined) throw new Error(`order ${summary.orderId} is listed but cannot be read`);
        orders.push({ order, listedLineCount: summary.lineCount });
      }
      if (page.length < 100) break;
      const last = page[page.length - 1]!;
      after = { createdAt: last.createdAt, orderId: last.orderId };
    }
  }
  return orders;
}

/** The sku of every product in the catalog (keyset pages of 200). */
export async function allSkus(stores: Stores): Promise<string[]> {
  const skus: string[] = [];
  for (;;) {
    const page = await stores.catalog.searchProducts({ limit: 200, afterSku: skus[skus.length - 1] });
    skus.push(...page.map((product) => product.sku));
    if (page.length < 200) return skus;
  }
}

export interface StockMismatch {
  sku: string;
  onHand: number;
  reserved: number;
  acceptedQuantity: number;
}

/**
 * reserved must equal the summed quantities of ACCEPTED orders for every product (or the given ones), and
 * never exceed onHand. Returns the products where it does not (empty when the invariant holds).
 */
export async function stockMismatches(stores: Stores, only?: readonly string[]): Promise<StockMismatch[]> {
  const skus = only ?? (await allSkus(stores));
  if (skus.length === 0) throw new Error('no products to check');
  const accepted = new Map<string, number>();
  for (const { order } of await allOrders(stores)) {
    if (order.status !== 'ACCEPTED') continue;
    for (const line of order.lines) accepted.set(line.sku, (accepted.get(line.sku) ?? 0) + line.quantity);
  }
  const mismatches: StockMismatch[] = [];
  for (const level of await stores.catalog.getStockLevels(skus)) {
    const acceptedQuantity = accepted.get(level.sku) ?? 0;
    if (
      level.reserved !== acceptedQuantity ||
      level.reserved > level.onHand ||
      level.available !== level.onHand - level.reserved
    ) {
      mismatches.push({ sku: level.sku, onHand: level.onHand, reserved: level.reserved, acceptedQuantity });
    }
  }
  return mismatches;
}

/** Orders that lack their lines (lineCount says how many) or their SUBMITTED history entry. */
export async function incompleteOrders(stores: Stores, orders: readonly ListedOrder[]): Promise<string[]> {
  const problems: string[] = [];
  for (const { order, listedLineCount } of orders) {
    if (order.lines.length === 0) problems.push(`${order.orderId}: no lines`);
    if (order.lines.length !== listedLineCount)
      problems.push(`${order.orderId}: ${order.lines.length} lines, the order says ${listedLineCount}`);
    const numbers = order.lines.map((line) => line.lineNumber).sort((a, b) => a - b);
    if (numbers.some((value, index) => value !== index + 1))
      problems.push(`${order.orderId}: line numbers ${numbers.join(',')}`);
    const history = await stores.orders.getHistory(order.orderId);
    if (!history.some((entry) => entry.action === 'SUBMITTED' && entry.toStatus === 'ACCEPTED'))
      problems.push(`${order.orderId}: no SUBMITTED history`);
  }
  return problems;
}

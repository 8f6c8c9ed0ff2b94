/** Records for store-level tests (the domain builds these in production; here they are built by hand). */
import crypto from 'node:crypto';
import type { Database } from '../../src/db/connection';
import { createStores } from '../../src/db/stores';
import type { OrderHistoryEntry, OrderLineRecord, OrderRecord, PartnerRecord, Stores } from '../../src/service/store';
import { formatMoney, parseMoney } from '../../src/service/money';

export const T0 = new Date(Date.UTC(2026, 0, 15, 9, 0, 0, 123));

export function partnerRecord(username: string, overrides: Partial<PartnerRecord> = {}): PartnerRecord {
  return {
    id: crypto.randomUUID(),
    username,
    displayName: `${username} Ltd`,
    passwordHash: `scrypt$test$${username}`,
    roles: [],
    disabled: false,
    createdAt: T0,
    ...overrides,
  };
}

export async function addPartner(stores: Stores, username: string): Promise<PartnerRecord> {
  return stores.partners.create(partnerRecord(username));
}

export async function addProduct(
  stores: Stores,
  sku: string,
  unitPrice: string,
  onHand: number,
  currency = 'EUR',
): Promise<void> {
  await stores.catalog.upsertProduct({
    sku,
    name: `Product ${sku}`,
    category: 'Hardware',
    unitPrice,
    currency,
    active: true,
  });
  if (onHand !== 0) {
    await stores.catalog.adjustStock({
      sku,
      delta: onHand,
      reason: 'initial stock',
      actor: 'test',
      messageId: 'urn:test:stock',
      at: T0,
    });
  }
}

/** An order as the domain would hand it to the store: prices given, totals computed exactly. */
export function orderRecord(
  partnerId: string,
  partnerOrderRef: string,
  lines: Array<{ sku: string; quantity: number; unitPrice: string }>,
  overrides: Partial<OrderRecord> = {},
): OrderRecord {
  const orderLines: OrderLineRecord[] = lines.map((line, index) => {
    const cents = parseMoney(line.unitPrice);
    if (cents === undefined) throw new Error(`bad price ${line.unitPrice}`);
    return {
      lineNumber: index + 1,
      sku: line.sku,
      quantity: line.quantity,
      unitPrice: line.unitPrice,
      lineTotal: formatMoney(cents * BigInt(line.quantity)),
    };
  });
  const total = formatMoney(orderLines.reduce((sum, line) => sum + (parseMoney(line.lineTotal) ?? 0n), 0n));
  const content = JSON.stringify({ partnerOrderRef, lines: lines.map((line) => [line.sku, line.quantity]) });
  return {
    orderId: crypto.randomUUID(),
    partnerId,
    partnerOrderRef,
    status: 'ACCEPTED',
    createdAt: T0,
    updatedAt: T0,
    shipTo: { name: 'ACME Receiving', line1: 'Dock 4', city: 'Hamburg', postalCode: '20095', countryCode: 'DE' },
    lines: orderLines,
    total,
    currency: 'EUR',
    contentHash: crypto.createHash('sha256').update(content).digest('hex'),
    ...overrides,
  };
}

export function submittedEntry(order: OrderRecord, messageId = `urn:uuid:${crypto.randomUUID()}`): OrderHistoryEntry {
  return {
    orderId: order.orderId,
    at: order.createdAt,
    actor: order.partnerId,
    action: 'SUBMITTED',
    toStatus: 'ACCEPTED',
    messageId,
  };
}

export function storesOf(db: Database): Stores {
  return createStores(db, () => T0);
}

/** reserved must equal the quantities of ACCEPTED orders, per product; returns the mismatches. */
export async function reservationMismatches(
  db: Database,
): Promise<Array<{ sku: string; reserved: number; accepted: number }>> {
  const stock = (await db.knex('stock').select('sku', 'reserved', 'on_hand')) as Array<{
    sku: string;
    reserved: unknown;
    on_hand: unknown;
  }>;
  const accepted = (await db
    .knex('order_lines')
    .join('orders', 'orders.id', 'order_lines.order_id')
    .where('orders.status', 'ACCEPTED')
    .groupBy('order_lines.sku')
    .select('order_lines.sku as sku')
    .sum({ quantity: 'order_lines.quantity' })) as Array<{ sku: string; quantity: unknown }>;
  const acceptedBySku = new Map(accepted.map((row) => [row.sku, Number(row.quantity)]));
  const mismatches: Array<{ sku: string; reserved: number; accepted: number }> = [];
  for (const row of stock) {
    const reserved = Number(row.reserved);
    const expected = acceptedBySku.get(row.sku) ?? 0;
    if (reserved !== expected || Number(row.on_hand) < reserved)
      mismatches.push({ sku: row.sku, reserved, accepted: expected });
  }
  return mismatches;
}

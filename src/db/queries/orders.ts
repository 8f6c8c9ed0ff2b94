/**
 * Every SQL statement the order store issues (see queries/catalog.ts for why they are plain functions).
 */
import type { Knex } from 'knex';
import type { OrderHistoryEntry, OrderListQuery, OrderRecord, OrderTransition } from '../../service/store';
import type { Dialect } from '../config';
import { chunk, instantToDb, moneySelect, moneyToDb, nullable } from '../values';

/** 250 rows x 7 columns stays well under SQL Server's 2100 parameters per statement. */
export const ORDER_LINE_INSERT_CHUNK = 250;

export interface OrderRow {
  id: unknown;
  partner_id: unknown;
  partner_order_ref: unknown;
  content_hash: unknown;
  status: unknown;
  currency: unknown;
  total: unknown;
  line_count: unknown;
  ship_to_name: unknown;
  ship_to_line1: unknown;
  ship_to_line2: unknown;
  ship_to_city: unknown;
  ship_to_region: unknown;
  ship_to_postal_code: unknown;
  ship_to_country_code: unknown;
  requested_delivery_date: unknown;
  note: unknown;
  shipment_carrier: unknown;
  shipment_tracking_number: unknown;
  shipped_at: unknown;
  cancellation_reason: unknown;
  cancelled_at: unknown;
  created_at: unknown;
  updated_at: unknown;
}

export interface OrderLineRow {
  order_id: unknown;
  line_number: unknown;
  sku: unknown;
  quantity: unknown;
  unit_price: unknown;
  line_total: unknown;
  partner_line_ref: unknown;
}

export interface OrderHistoryRow {
  order_id: unknown;
  seq: unknown;
  action: unknown;
  from_status: unknown;
  to_status: unknown;
  at: unknown;
  actor: unknown;
  message_id: unknown;
  detail: unknown;
}

const PLAIN_ORDER_COLUMNS = [
  'id',
  'partner_id',
  'partner_order_ref',
  'content_hash',
  'status',
  'currency',
  'line_count',
  'ship_to_name',
  'ship_to_line1',
  'ship_to_line2',
  'ship_to_city',
  'ship_to_region',
  'ship_to_postal_code',
  'ship_to_country_code',
  'requested_delivery_date',
  'note',
  'shipment_carrier',
  'shipment_tracking_number',
  'shipped_at',
  'cancellation_reason',
  'cancelled_at',
  'created_at',
  'updated_at',
] as const;

function orderColumns(knex: Knex, dialect: Dialect): Array<string | Knex.Raw> {
  return [...PLAIN_ORDER_COLUMNS, moneySelect(knex, dialect, 'total', 'total')];
}

export function insertOrder(knex: Knex, order: OrderRecord): Knex.QueryBuilder {
  return knex('orders').insert({
    id: order.orderId,
    partner_id: order.partnerId,
    partner_order_ref: order.partnerOrderRef,
    content_hash: order.contentHash,
    status: order.status,
    currency: order.currency,
    total: moneyToDb(order.total),
    line_count: order.lines.length,
    ship_to_name: order.shipTo.name,
    ship_to_line1: order.shipTo.line1,
    ship_to_line2: nullable(order.shipTo.line2),
    ship_to_city: order.shipTo.city,
    ship_to_region: nullable(order.shipTo.region),
    ship_to_postal_code: order.shipTo.postalCode,
    ship_to_country_code: order.shipTo.countryCode,
    requested_delivery_date: nullable(order.requestedDeliveryDate),
    note: nullable(order.note),
    shipment_carrier: nullable(order.shipment?.carrier),
    shipment_tracking_number: nullable(order.shipment?.trackingNumber),
    shipped_at: order.shipment ? instantToDb(order.shipment.shippedAt) : null,
    cancellation_reason: nullable(order.cancellation?.reason),
    cancelled_at: order.cancellation ? instantToDb(order.cancellation.cancelledAt) : null,
    created_at: instantToDb(order.createdAt),
    updated_at: instantToDb(order.updatedAt),
  });
}

/** Multi-row inserts of the order's lines, chunked for SQL Server's parameter limit. */
export function insertOrderLines(knex: Knex, order: OrderRecord): Knex.QueryBuilder[] {
  const rows = order.lines.map((line) => ({
    order_id: order.orderId,
    line_number: line.lineNumber,
    sku: line.sku,
    quantity: line.quantity,
    unit_price: moneyToDb(line.unitPrice),
    line_total: moneyToDb(line.lineTotal),
    partner_line_ref: nullable(line.partnerLineRef),
  }));
  return chunk(rows, ORDER_LINE_INSERT_CHUNK).map((part) => knex('order_lines').insert(part));
}

/**
 * reserved += quantity, only while onHand - reserved >= quantity. A single UPDATE is atomic: it takes the
 * row's write lock and evaluates the condition on the latest committed version (PostgreSQL re-checks it
 * after waiting for a concurrent writer; InnoDB and SQL Server updates are locking reads), so concurrent
 * reservations can never oversell. 0 rows affected = refused (or no stock row).
 */
export function reserveStockIfAvailable(knex: Knex, sku: string, quantity: number, now: Date): Knex.QueryBuilder {
  return knex('stock')
    .where('sku', sku)
    .whereRaw('?? - ?? >= ?', ['on_hand', 'reserved', quantity])
    .update({ reserved: knex.raw('?? + ?', ['reserved', quantity]), updated_at: instantToDb(now) });
}

/** Cancel: give the reservation back. Guarded so a bookkeeping bug fails loudly instead of going negative. */
export function releaseReservation(knex: Knex, sku: string, quantity: number, now: Date): Knex.QueryBuilder {
  return knex('stock')
    .where('sku', sku)
    .where('reserved', '>=', quantity)
    .update({ reserved: knex.raw('?? - ?', ['reserved', quantity]), updated_at: instantToDb(now) });
}

/** Ship: the reserved units leave the warehouse (onHand and reserved both drop). */
export function consumeReservation(knex: Knex, sku: string, quantity: number, now: Date): Knex.QueryBuilder {
  return knex('stock')
    .where('sku', sku)
    .where('reserved', '>=', quantity)
    .where('on_hand', '>=', quantity)
    .update({
      on_hand: knex.raw('?? - ?', ['on_hand', quantity]),
      reserved: knex.raw('?? - ?', ['reserved', quantity]),
      updated_at: instantToDb(now),
    });
}

export function insertHistory(knex: Knex, entry: OrderHistoryEntry, seq: number): Knex.QueryBuilder {
  return knex('order_history').insert({
    order_id: entry.orderId,
    seq,
    action: entry.action,
    from_status: nullable(entry.fromStatus),
    to_status: entry.toStatus,
    at: instantToDb(entry.at),
    actor: entry.actor,
    message_id: entry.messageId,
    detail: nullable(entry.detail),
  });
}

export function nextHistorySeq(knex: Knex, orderId: string): Knex.QueryBuilder {
  return knex('order_history').max({ last: 'seq' }).where('order_id', orderId);
}

export function selectOrder(knex: Knex, dialect: Dialect, orderId: string, partnerId?: string): Knex.QueryBuilder {
  const query = knex('orders').select(orderColumns(knex, dialect)).where('id', orderId);
  if (partnerId !== undefined) query.where('partner_id', partnerId);
  return query;
}

export function selectOrderByRef(
  knex: Knex,
  dialect: Dialect,
  partnerId: string,
  partnerOrderRef: string,
): Knex.QueryBuilder {
  return knex('orders')
    .select(orderColumns(knex, dialect))
    .where({ partner_id: partnerId, partner_order_ref: partnerOrderRef });
}

/**
 * The order row, locked for the rest of the transaction so a concurrent cancel and ship serialise on it:
 * FOR UPDATE on PostgreSQL and MySQL; on SQL Server knex's forUpdate emits only WITH (UPDLOCK), which may
 * escalate to a page lock, so the hint is written as WITH (UPDLOCK, ROWLOCK). SQLite has no row locks:
 * its single writer (and our one-connection pool) already serialises the whole transaction.
 */
export function selectOrderForUpdate(knex: Knex, dialect: Dialect, orderId: string): Knex.QueryBuilder {
  if (dialect === 'mssql') {
    return knex
      .select(orderColumns(knex, dialect))
      .from(knex.raw('?? with (UPDLOCK, ROWLOCK)', ['orders']))
      .where('id', orderId);
  }
  const query = knex('orders').select(orderColumns(knex, dialect)).where('id', orderId);
  return dialect === 'sqlite' ? query : query.forUpdate();
}

/** Lines of one order, in line order. */
export function selectOrderLines(knex: Knex, dialect: Dialect, orderId: string): Knex.QueryBuilder {
  return knex('order_lines')
    .select([
      'order_id',
      'line_number',
      'sku',
      'quantity',
      moneySelect(knex, dialect, 'unit_price', 'unit_price'),
      moneySelect(knex, dialect, 'line_total', 'line_total'),
      'partner_line_ref',
    ])
    .where('order_id', orderId)
    .orderBy('line_number', 'asc');
}

/** Moves the (locked) order from ACCEPTED; the status guard keeps the update safe even without the lock. */
export function updateOrderTransition(knex: Knex, transition: OrderTransition): Knex.QueryBuilder {
  const at = instantToDb(transition.at);
  const changes: Record<string, string | null> = { status: transition.to, updated_at: at };
  if (transition.to === 'CANCELLED') {
    changes.cancellation_reason = nullable(transition.cancellation?.reason);
    changes.cancelled_at = at;
  } else {
    if (transition.shipment === undefined) throw new TypeError('A SHIPPED transition needs its shipment');
    changes.shipment_carrier = transition.shipment.carrier;
    changes.shipment_tracking_number = transition.shipment.trackingNumber;
    changes.shipped_at = at;
  }
  return knex('orders').where({ id: transition.orderId, status: transition.from }).update(changes);
}

/**
 * A page of the partner's orders, newest first, ORDER BY created_at DESC, id DESC, after the keyset cursor.
 * The cursor condition is spelled out with OR (SQL Server has no row-value comparison); it is served by
 * the (partner_id, created_at, id) index scanned backwards.
 */
export function selectOrderPage(
  knex: Knex,
  dialect: Dialect,
  partnerId: string,
  query: OrderListQuery,
): Knex.QueryBuilder {
  const builder = knex('orders')
    .select([
      'id',
      'partner_order_ref',
      'status',
      'created_at',
      moneySelect(knex, dialect, 'total', 'total'),
      'currency',
      'line_count',
    ])
    .where('partner_id', partnerId);
  if (query.status !== undefined) builder.where('status', query.status);
  if (query.partnerOrderRef !== undefined) builder.where('partner_order_ref', query.partnerOrderRef);
  if (query.createdFrom !== undefined) builder.where('created_at', '>=', instantToDb(query.createdFrom));
  if (query.createdTo !== undefined) builder.where('created_at', '<', instantToDb(query.createdTo));
  const after = query.after;
  if (after !== undefined) {
    const afterCreatedAt = instantToDb(after.createdAt);
    builder.where((cursor) => {
      cursor.where('created_at', '<', afterCreatedAt).orWhere((same) => {
        same.where('created_at', '=', afterCreatedAt).andWhere('id', '<', after.orderId);
      });
    });
  }
  return builder
    .orderBy([
      { column: 'created_at', order: 'desc' },
      { column: 'id', order: 'desc' },
    ])
    .limit(query.limit);
}

export function selectHistory(knex: Knex, orderId: string): Knex.QueryBuilder {
  return knex('order_history')
    .select('order_id', 'seq', 'action', 'from_status', 'to_status', 'at', 'actor', 'message_id', 'detail')
    .where('order_id', orderId)
    .orderBy('seq', 'asc');
}

/** The stock row of one sku (read to report `available` when a reservation is refused). */
export function selectStockRow(knex: Knex, sku: string): Knex.QueryBuilder {
  return knex('stock').select('sku', 'on_hand', 'reserved').where('sku', sku);
}

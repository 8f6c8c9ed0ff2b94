import type { OrderStatus } from '../../service/errors';
import type {
  OrderHistoryEntry,
  OrderLineRecord,
  OrderRecord,
  OrderSummaryRecord,
  ProductRecord,
  StockRecord,
} from '../../service/store';
import type { ProductRow, StockRow } from '../queries/catalog';
import type { OrderHistoryRow, OrderLineRow, OrderRow } from '../queries/orders';
import {
  booleanFromDb,
  instantFromDb,
  integerFromDb,
  moneyFromDb,
  optionalInstantFromDb,
  optionalStringFromDb,
  stringFromDb,
} from '../values';

const ORDER_STATUSES: readonly OrderStatus[] = ['ACCEPTED', 'CANCELLED', 'SHIPPED'];
const HISTORY_ACTIONS: ReadonlyArray<OrderHistoryEntry['action']> = ['SUBMITTED', 'CANCELLED', 'SHIPPED'];

export function statusFromDb(value: unknown, column: string): OrderStatus {
  const text = stringFromDb(value, column);
  const status = ORDER_STATUSES.find((candidate) => candidate === text);
  if (status === undefined) throw new TypeError(`Column ${column}: unknown order status "${text}"`);
  return status;
}

export function productFromRow(row: ProductRow): ProductRecord {
  const product: ProductRecord = {
    sku: stringFromDb(row.sku, 'products.sku'),
    name: stringFromDb(row.name, 'products.name'),
    category: stringFromDb(row.category, 'products.category'),
    unitPrice: moneyFromDb(row.unit_price, 'products.unit_price'),
    currency: stringFromDb(row.currency, 'products.currency'),
    active: booleanFromDb(row.active),
  };
  const description = optionalStringFromDb(row.description, 'products.description');
  if (description !== undefined) product.description = description;
  return product;
}

export function stockFromRow(row: StockRow): StockRecord {
  const onHand = integerFromDb(row.on_hand, 'stock.on_hand');
  const reserved = integerFromDb(row.reserved, 'stock.reserved');
  return { sku: stringFromDb(row.sku, 'stock.sku'), onHand, reserved, available: onHand - reserved };
}

export function lineFromRow(row: OrderLineRow): OrderLineRecord {
  const line: OrderLineRecord = {
    lineNumber: integerFromDb(row.line_number, 'order_lines.line_number'),
    sku: stringFromDb(row.sku, 'order_lines.sku'),
    quantity: integerFromDb(row.quantity, 'order_lines.quantity'),
    unitPrice: moneyFromDb(row.unit_price, 'order_lines.unit_price'),
    lineTotal: moneyFromDb(row.line_total, 'order_lines.line_total'),
  };
  const partnerLineRef = optionalStringFromDb(row.partner_line_ref, 'order_lines.partner_line_ref');
  if (partnerLineRef !== undefined) line.partnerLineRef = partnerLineRef;
  return line;
}

export function orderFromRows(row: OrderRow, lines: OrderLineRow[]): OrderRecord {
  const order: OrderRecord = {
    orderId: stringFromDb(row.id, 'orders.id'),
    partnerId: stringFromDb(row.partner_id, 'orders.partner_id'),
    partnerOrderRef: stringFromDb(row.partner_order_ref, 'orders.partner_order_ref'),
    status: statusFromDb(row.status, 'orders.status'),
    createdAt: instantFromDb(row.created_at, 'orders.created_at'),
    updatedAt: instantFromDb(row.updated_at, 'orders.updated_at'),
    shipTo: {
      name: stringFromDb(row.ship_to_name, 'orders.ship_to_name'),
      line1: stringFromDb(row.ship_to_line1, 'orders.ship_to_line1'),
      city: stringFromDb(row.ship_to_city, 'orders.ship_to_city'),
      postalCode: stringFromDb(row.ship_to_postal_code, 'orders.ship_to_postal_code'),
      countryCode: stringFromDb(row.ship_to_country_code, 'orders.ship_to_country_code'),
    },
    lines: lines.map(lineFromRow),
    total: moneyFromDb(row.total, 'orders.total'),
    currency: stringFromDb(row.currency, 'orders.currency'),
    contentHash: stringFromDb(row.content_hash, 'orders.content_hash'),
  };
  const line2 = optionalStringFromDb(row.ship_to_line2, 'orders.ship_to_line2');
  if (line2 !== undefined) order.shipTo.line2 = line2;
  const region = optionalStringFromDb(row.ship_to_region, 'orders.ship_to_region');
  if (region !== undefined) order.shipTo.region = region;
  const requestedDeliveryDate = optionalStringFromDb(row.requested_delivery_date, 'orders.requested_delivery_date');
  if (requestedDeliveryDate !== undefined) order.requestedDeliveryDate = requestedDeliveryDate;
  const note = optionalStringFromDb(row.note, 'orders.note');
  if (note !== undefined) order.note = note;
  const shippedAt = optionalInstantFromDb(row.shipped_at, 'orders.shipped_at');
  if (shippedAt !== undefined) {
    order.shipment = {
      carrier: stringFromDb(row.shipment_carrier, 'orders.shipment_carrier'),
      trackingNumber: stringFromDb(row.shipment_tracking_number, 'orders.shipment_tracking_number'),
      shippedAt,
    };
  }
  const cancelledAt = optionalInstantFromDb(row.cancelled_at, 'orders.cancelled_at');
  if (cancelledAt !== undefined) {
    order.cancellation = { cancelledAt };
    const reason = optionalStringFromDb(row.cancellation_reason, 'orders.cancellation_reason');
    if (reason !== undefined) order.cancellation.reason = reason;
  }
  return order;
}

export function summaryFromRow(
  row: Pick<OrderRow, 'id' | 'partner_order_ref' | 'status' | 'created_at' | 'total' | 'currency' | 'line_count'>,
): OrderSummaryRecord {
  return {
    orderId: stringFromDb(row.id, 'orders.id'),
    partnerOrderRef: stringFromDb(row.partner_order_ref, 'orders.partner_order_ref'),
    status: statusFromDb(row.status, 'orders.status'),
    createdAt: instantFromDb(row.created_at, 'orders.created_at'),
    total: moneyFromDb(row.total, 'orders.total'),
    currency: stringFromDb(row.currency, 'orders.currency'),
    lineCount: integerFromDb(row.line_count, 'orders.line_count'),
  };
}

export function historyFromRow(row: OrderHistoryRow): OrderHistoryEntry {
  const actionText = stringFromDb(row.action, 'order_history.action');
  const action = HISTORY_ACTIONS.find((candidate) => candidate === actionText);
  if (action === undefined) throw new TypeError(`Column order_history.action: unknown action "${actionText}"`);
  const entry: OrderHistoryEntry = {
    orderId: stringFromDb(row.order_id, 'order_history.order_id'),
    at: instantFromDb(row.at, 'order_history.at'),
    actor: stringFromDb(row.actor, 'order_history.actor'),
    action,
    toStatus: statusFromDb(row.to_status, 'order_history.to_status'),
    messageId: stringFromDb(row.message_id, 'order_history.message_id'),
  };
  if (row.from_status !== null && row.from_status !== undefined)
    entry.fromStatus = statusFromDb(row.from_status, 'order_history.from_status');
  const detail = optionalStringFromDb(row.detail, 'order_history.detail');
  if (detail !== undefined) entry.detail = detail;
  return entry;
}

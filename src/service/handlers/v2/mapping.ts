/**
 * Domain records <-> contract v2 types. What differs from v1: money travels as one value with its
 * currency (`{ $value, currency }`), orders carry their status history, lines their partnerLineRef.
 */
import type { Money, Order, OrderSummary, Product, StatusChange, UnitPrice } from '../../../generated/v2';
import type { OrderHistoryEntry, OrderRecord, OrderSummaryRecord, ProductRecord } from '../../store';
import { addressIn, orderOptionalsOut } from '../mapping';

/** Turns partner ids (what the history records) into user names (what v2 shows as `by`). */
export type PartnerNames = (partnerId: string) => Promise<string>;

const money = (amount: string, currency: string): Money => ({ $value: amount, currency });
const unitPrice = (amount: string, currency: string): UnitPrice => ({ $value: amount, currency });

export function productOutV2(product: ProductRecord): Product {
  return {
    sku: product.sku,
    name: product.name,
    ...(product.description !== undefined ? { description: product.description } : {}),
    category: product.category,
    unitPrice: unitPrice(product.unitPrice, product.currency),
    active: product.active,
  };
}

export function productInV2(product: Product): ProductRecord {
  return {
    sku: product.sku,
    name: product.name,
    ...(product.description !== undefined ? { description: product.description } : {}),
    category: product.category,
    unitPrice: product.unitPrice.$value,
    currency: product.unitPrice.currency,
    active: product.active,
  };
}

export async function historyOutV2(
  history: readonly OrderHistoryEntry[],
  names: PartnerNames,
): Promise<StatusChange[]> {
  return Promise.all(
    history.map(async (entry) => ({
      status: entry.toStatus,
      at: entry.at.toISOString(),
      by: await names(entry.actor),
      ...(entry.detail !== undefined ? { detail: entry.detail } : {}),
    })),
  );
}

export function orderOutV2(order: OrderRecord, history: StatusChange[]): Order {
  return {
    orderId: order.orderId,
    partnerOrderRef: order.partnerOrderRef,
    status: order.status,
    createdAt: order.createdAt.toISOString(),
    updatedAt: order.updatedAt.toISOString(),
    shipTo: addressIn(order.shipTo),
    line: order.lines.map((line) => ({
      lineNumber: line.lineNumber,
      sku: line.sku,
      quantity: line.quantity,
      ...(line.partnerLineRef !== undefined ? { partnerLineRef: line.partnerLineRef } : {}),
      unitPrice: unitPrice(line.unitPrice, order.currency),
      lineTotal: money(line.lineTotal, order.currency),
    })),
    total: money(order.total, order.currency),
    ...orderOptionalsOut(order),
    history,
  };
}

export function summaryOutV2(summary: OrderSummaryRecord): OrderSummary {
  return {
    orderId: summary.orderId,
    partnerOrderRef: summary.partnerOrderRef,
    status: summary.status,
    createdAt: summary.createdAt.toISOString(),
    total: money(summary.total, summary.currency),
    lineCount: summary.lineCount,
  };
}

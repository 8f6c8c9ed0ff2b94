/**
 * Domain records <-> contract types. Instants go out as UTC xs:dateTime with milliseconds ("...T09:00:00.000Z").
 */
import type { Address, Order, OrderSummary, Product, StockLevel } from '../../generated/v1';
import type { AddressRecord, OrderRecord, OrderSummaryRecord, ProductRecord, StockRecord } from '../store';

/** v1's product carries the record's fields as they are, so both directions copy the same fields. */
export function productOut(product: ProductRecord): Product {
  return productIn(product);
}

export function productIn(product: Product): ProductRecord {
  return {
    sku: product.sku,
    name: product.name,
    ...(product.description !== undefined ? { description: product.description } : {}),
    category: product.category,
    unitPrice: product.unitPrice,
    currency: product.currency,
    active: product.active,
  };
}

export function stockOut(level: StockRecord): StockLevel {
  return { sku: level.sku, onHand: level.onHand, reserved: level.reserved, available: level.available };
}

export function addressIn(address: Address): AddressRecord {
  return {
    name: address.name,
    line1: address.line1,
    ...(address.line2 !== undefined ? { line2: address.line2 } : {}),
    city: address.city,
    ...(address.region !== undefined ? { region: address.region } : {}),
    postalCode: address.postalCode,
    countryCode: address.countryCode,
  };
}

function addressOut(address: AddressRecord): Address {
  return addressIn(address);
}

export function orderOut(order: OrderRecord): Order {
  return {
    orderId: order.orderId,
    partnerOrderRef: order.partnerOrderRef,
    status: order.status,
    createdAt: order.createdAt.toISOString(),
    updatedAt: order.updatedAt.toISOString(),
    shipTo: addressOut(order.shipTo),
    line: order.lines.map((line) => ({
      lineNumber: line.lineNumber,
      sku: line.sku,
      quantity: line.quantity,
      unitPrice: line.unitPrice,
      lineTotal: line.lineTotal,
    })),
    total: order.total,
    currency: order.currency,
    ...orderOptionalsOut(order),
  };
}

/** The order's optional parts, alike in every contract version: delivery date, note, shipment, cancellation. */
export function orderOptionalsOut(
  order: OrderRecord,
): Pick<Order, 'requestedDeliveryDate' | 'note' | 'shipment' | 'cancellation'> {
  return {
    ...(order.requestedDeliveryDate !== undefined ? { requestedDeliveryDate: order.requestedDeliveryDate } : {}),
    ...(order.note !== undefined ? { note: order.note } : {}),
    ...(order.shipment
      ? {
          shipment: {
            carrier: order.shipment.carrier,
            trackingNumber: order.shipment.trackingNumber,
            shippedAt: order.shipment.shippedAt.toISOString(),
          },
        }
      : {}),
    ...(order.cancellation
      ? {
          cancellation: {
            ...(order.cancellation.reason !== undefined ? { reason: order.cancellation.reason } : {}),
            cancelledAt: order.cancellation.cancelledAt.toISOString(),
          },
        }
      : {}),
  };
}

export function summaryOut(summary: OrderSummaryRecord): OrderSummary {
  return {
    orderId: summary.orderId,
    partnerOrderRef: summary.partnerOrderRef,
    status: summary.status,
    createdAt: summary.createdAt.toISOString(),
    total: summary.total,
    currency: summary.currency,
    lineCount: summary.lineCount,
  };
}

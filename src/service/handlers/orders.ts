/**
 * PartnerOrderPort: typed requests -> domain calls -> typed responses. No XML, no SQL.
 */
import type { PartnerOrderPortHandlers } from '../../generated/v1';
import type { CatalogService } from '../catalog';
import type { OrderService } from '../orders';
import { actorOf, requireAuthenticated } from './caller';
import { addressIn, orderOut, productOut, stockOut, summaryOut } from './mapping';

export function partnerOrderHandlers(services: {
  catalog: CatalogService;
  orders: OrderService;
}): PartnerOrderPortHandlers {
  const { catalog, orders } = services;
  return {
    getProduct: async (request, context) => {
      requireAuthenticated(context);
      return { product: productOut(await catalog.getProduct(request.sku)) };
    },

    searchProducts: async (request, context) => {
      requireAuthenticated(context);
      const page = await catalog.searchProducts(request);
      return {
        product: page.items.map(productOut),
        ...(page.nextPageToken ? { nextPageToken: page.nextPageToken } : {}),
      };
    },

    getStockLevels: async (request, context) => {
      requireAuthenticated(context);
      return { stockLevel: (await catalog.getStockLevels(request.sku)).map(stockOut) };
    },

    submitOrder: async (request, context) => {
      const order = await orders.submitOrder(
        {
          partnerOrderRef: request.partnerOrderRef,
          shipTo: addressIn(request.shipTo),
          lines: request.line.map((line) => ({ sku: line.sku, quantity: line.quantity })),
          requestedDeliveryDate: request.requestedDeliveryDate,
          note: request.note,
        },
        actorOf(context),
      );
      return { order: orderOut(order) };
    },

    getOrder: async (request, context) => ({
      order: orderOut(await orders.getOrder(request.orderId, actorOf(context))),
    }),

    listOrders: async (request, context) => {
      const page = await orders.listOrders(request, actorOf(context));
      return {
        orderSummary: page.items.map(summaryOut),
        ...(page.nextPageToken ? { nextPageToken: page.nextPageToken } : {}),
      };
    },

    cancelOrder: async (request, context) => ({
      order: orderOut(await orders.cancelOrder({ orderId: request.orderId, reason: request.reason }, actorOf(context))),
    }),
  };
}

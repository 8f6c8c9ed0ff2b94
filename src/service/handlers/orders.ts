/**
 * PartnerOrderPort: typed requests -> domain calls -> typed responses. No XML, no SQL.
 */
import type { PartnerOrderPortHandlers } from '../../generated/v1';
import type { CatalogService } from '../catalog';
import type { OrderService } from '../orders';
import { actorOf } from './caller';
import { withFaults } from './faults';
import { addressIn, orderOut, productOut, stockOut, summaryOut } from './mapping';

export function partnerOrderHandlers(services: { catalog: CatalogService; orders: OrderService }): PartnerOrderPortHandlers {
  const { catalog, orders } = services;
  return {
    getProduct: (request, context) =>
      withFaults('GetProductRequest', async () => {
        actorOf(context);
        return { product: productOut(await catalog.getProduct(request.sku)) };
      }),

    searchProducts: (request, context) =>
      withFaults('SearchProductsRequest', async () => {
        actorOf(context);
        const page = await catalog.searchProducts(request);
        return { product: page.items.map(productOut), ...(page.nextPageToken ? { nextPageToken: page.nextPageToken } : {}) };
      }),

    getStockLevels: (request, context) =>
      withFaults('GetStockLevelsRequest', async () => {
        actorOf(context);
        return { stockLevel: (await catalog.getStockLevels(request.sku)).map(stockOut) };
      }),

    submitOrder: (request, context) =>
      withFaults('SubmitOrderRequest', async () => {
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
      }),

    getOrder: (request, context) =>
      withFaults('GetOrderRequest', async () => ({ order: orderOut(await orders.getOrder(request.orderId, actorOf(context))) })),

    listOrders: (request, context) =>
      withFaults('ListOrdersRequest', async () => {
        const page = await orders.listOrders(request, actorOf(context));
        return { orderSummary: page.items.map(summaryOut), ...(page.nextPageToken ? { nextPageToken: page.nextPageToken } : {}) };
      }),

    cancelOrder: (request, context) =>
      withFaults('CancelOrderRequest', async () => ({
        order: orderOut(await orders.cancelOrder({ orderId: request.orderId, reason: request.reason }, actorOf(context))),
      })),
  };
}

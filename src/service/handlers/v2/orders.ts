/**
 * PartnerOrderPort, contract v2: the same domain calls as v1 with v2 shapes on the wire.
 */
import type { PartnerOrderPortHandlers } from '../../../generated/v2';
import { actorOf, requireAuthenticated } from '../caller';
import { addressIn, stockOut } from '../mapping';
import type { V2Dependencies } from './dependencies';
import { historyOutV2, orderOutV2, productOutV2, summaryOutV2 } from './mapping';
import type { OrderRecord } from '../../store';

export function partnerOrderHandlersV2(deps: V2Dependencies): PartnerOrderPortHandlers {
  const { catalog, orders, partnerNames } = deps;
  const withHistory = async (order: OrderRecord) =>
    orderOutV2(order, await historyOutV2(await orders.historyOf(order), partnerNames));
  return {
    getProduct: async (request, context) => {
      requireAuthenticated(context);
      return { product: productOutV2(await catalog.getProduct(request.sku)) };
    },

    searchProducts: async (request, context) => {
      requireAuthenticated(context);
      const page = await catalog.searchProducts(request);
      return {
        product: page.items.map(productOutV2),
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
          lines: request.line.map((line) => ({
            sku: line.sku,
            quantity: line.quantity,
            ...(line.partnerLineRef !== undefined ? { partnerLineRef: line.partnerLineRef } : {}),
          })),
          requestedDeliveryDate: request.requestedDeliveryDate,
          note: request.note,
        },
        actorOf(context),
      );
      return { order: await withHistory(order) };
    },

    getOrder: async (request, context) => ({
      order: await withHistory(await orders.getOrder(request.orderId, actorOf(context))),
    }),

    listOrders: async (request, context) => {
      const page = await orders.listOrders(request, actorOf(context));
      return {
        orderSummary: page.items.map(summaryOutV2),
        ...(page.nextPageToken ? { nextPageToken: page.nextPageToken } : {}),
      };
    },

    getOrderHistory: async (request, context) => {
      const history = await orders.getOrderHistory(request.orderId, actorOf(context));
      return { orderId: request.orderId, history: await historyOutV2(history, partnerNames) };
    },

    cancelOrder: async (request, context) => ({
      order: await withHistory(
        await orders.cancelOrder({ orderId: request.orderId, reason: request.reason }, actorOf(context)),
      ),
    }),
  };
}

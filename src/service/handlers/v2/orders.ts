/**
 * PartnerOrderPort, contract v2: the same domain calls as v1 with v2 shapes on the wire.
 */
import type { PartnerOrderPortHandlers } from '../../../generated/v2';
import { actorOf } from '../caller';
import { addressIn, stockOut } from '../mapping';
import type { V2Dependencies } from './dependencies';
import { withFaultsV2 } from './faults';
import { historyOutV2, orderOutV2, productOutV2, summaryOutV2 } from './mapping';
import type { OrderRecord } from '../../store';

export function partnerOrderHandlersV2(deps: V2Dependencies): PartnerOrderPortHandlers {
  const { catalog, orders, partnerNames } = deps;
  const withHistory = async (order: OrderRecord) => orderOutV2(order, await historyOutV2(await orders.historyOf(order), partnerNames));
  return {
    getProduct: (request, context) =>
      withFaultsV2('GetProductRequest', async () => {
        actorOf(context);
        return { product: productOutV2(await catalog.getProduct(request.sku)) };
      }),

    searchProducts: (request, context) =>
      withFaultsV2('SearchProductsRequest', async () => {
        actorOf(context);
        const page = await catalog.searchProducts(request);
        return { product: page.items.map(productOutV2), ...(page.nextPageToken ? { nextPageToken: page.nextPageToken } : {}) };
      }),

    getStockLevels: (request, context) =>
      withFaultsV2('GetStockLevelsRequest', async () => {
        actorOf(context);
        return { stockLevel: (await catalog.getStockLevels(request.sku)).map(stockOut) };
      }),

    submitOrder: (request, context) =>
      withFaultsV2('SubmitOrderRequest', async () => {
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
      }),

    getOrder: (request, context) =>
      withFaultsV2('GetOrderRequest', async () => ({ order: await withHistory(await orders.getOrder(request.orderId, actorOf(context))) })),

    listOrders: (request, context) =>
      withFaultsV2('ListOrdersRequest', async () => {
        const page = await orders.listOrders(request, actorOf(context));
        return { orderSummary: page.items.map(summaryOutV2), ...(page.nextPageToken ? { nextPageToken: page.nextPageToken } : {}) };
      }),

    getOrderHistory: (request, context) =>
      withFaultsV2('GetOrderHistoryRequest', async () => {
        const history = await orders.getOrderHistory(request.orderId, actorOf(context));
        return { orderId: request.orderId, history: await historyOutV2(history, partnerNames) };
      }),

    cancelOrder: (request, context) =>
      withFaultsV2('CancelOrderRequest', async () => ({
        order: await withHistory(await orders.cancelOrder({ orderId: request.orderId, reason: request.reason }, actorOf(context))),
      })),
  };
}

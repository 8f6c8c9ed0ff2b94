/**
 * PartnerOrderAdminPort, contract v2. The role is checked first, before any input is looked at.
 */
import type { PartnerOrderAdminPortHandlers } from '../../../generated/v2';
import { adminOf, requireAdmin } from '../caller';
import { stockOut } from '../mapping';
import type { V2Dependencies } from './dependencies';
import { historyOutV2, orderOutV2, productInV2, productOutV2 } from './mapping';

export function partnerOrderAdminHandlersV2(deps: V2Dependencies): PartnerOrderAdminPortHandlers {
  const { catalog, orders, partnerNames } = deps;
  return {
    upsertProduct: async (request, context) => {
      requireAdmin(context);
      return { product: productOutV2(await catalog.upsertProduct(productInV2(request.product))) };
    },

    adjustStock: async (request, context) => {
      const admin = adminOf(context);
      return {
        stockLevel: stockOut(
          await catalog.adjustStock({ sku: request.sku, delta: request.delta, reason: request.reason }, admin),
        ),
      };
    },

    shipOrder: async (request, context) => {
      const admin = adminOf(context);
      const order = await orders.shipOrder(
        { orderId: request.orderId, carrier: request.carrier, trackingNumber: request.trackingNumber },
        admin,
      );
      return { order: orderOutV2(order, await historyOutV2(await orders.historyOf(order), partnerNames)) };
    },
  };
}

/**
 * PartnerOrderAdminPort: catalog, stock and shipping for partners holding the admin role.
 * The role is checked first, before any input is looked at.
 */
import type { PartnerOrderAdminPortHandlers } from '../../generated/v1';
import type { CatalogService } from '../catalog';
import type { OrderService } from '../orders';
import { adminOf, requireAdmin } from './caller';
import { orderOut, productIn, productOut, stockOut } from './mapping';

export function partnerOrderAdminHandlers(services: {
  catalog: CatalogService;
  orders: OrderService;
}): PartnerOrderAdminPortHandlers {
  const { catalog, orders } = services;
  return {
    upsertProduct: async (request, context) => {
      requireAdmin(context);
      return { product: productOut(await catalog.upsertProduct(productIn(request.product))) };
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
      return { order: orderOut(order) };
    },
  };
}

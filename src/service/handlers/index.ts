/**
 * Wires the v1 service: stores -> domain services -> typed handlers for both ports.
 * The server mounts `orders` at /soap/v1/orders and `admin` at /soap/v1/admin.
 */
import type { PartnerOrderAdminPortHandlers, PartnerOrderPortHandlers } from '../../generated/v1';
import { CatalogService } from '../catalog';
import { OrderService } from '../orders';
import { PageTokens } from '../page-token';
import { PartnerService } from '../partners';
import type { Stores } from '../store';
import { partnerOrderAdminHandlers } from './admin';
import { partnerOrderHandlers } from './orders';

export { partnerOrderAdminHandlers } from './admin';
export { partnerOrderHandlers } from './orders';
export { toSoapFault } from './faults';

export interface V1ServiceOptions {
  /** Secret (>= 32 bytes) that signs page tokens; the same on every instance (config `pagingTokenKey`). */
  pagingTokenKey: string | Buffer;
  now?: () => Date;
}

export interface V1Service {
  catalog: CatalogService;
  orders: OrderService;
  partners: PartnerService;
  handlers: { orders: PartnerOrderPortHandlers; admin: PartnerOrderAdminPortHandlers };
}

export function createV1Service(stores: Stores, options: V1ServiceOptions): V1Service {
  const now = options.now ?? (() => new Date());
  const pageTokens = new PageTokens(options.pagingTokenKey);
  const catalog = new CatalogService(stores.catalog, pageTokens, now);
  const orders = new OrderService(stores.orders, stores.catalog, pageTokens, now);
  const partners = new PartnerService(stores.partners, now);
  return {
    catalog,
    orders,
    partners,
    handlers: { orders: partnerOrderHandlers({ catalog, orders }), admin: partnerOrderAdminHandlers({ catalog, orders }) },
  };
}

import type { CatalogService } from '../../catalog';
import type { OrderService } from '../../orders';
import type { PartnerService } from '../../partners';
import type { PartnerNames } from './mapping';

/** What the v2 adapters call: the same domain services as v1, plus partner names for the history. */
export interface V2Dependencies {
  catalog: CatalogService;
  orders: OrderService;
  partnerNames: PartnerNames;
}

/**
 * Partner id -> user name, remembered per process: a user name never changes (the store has no rename),
 * and the history of every order response needs it. An id without a partner shows as itself.
 */
export function partnerNamesOf(partners: PartnerService): PartnerNames {
  const known = new Map<string, string>();
  return async (partnerId) => {
    const cached = known.get(partnerId);
    if (cached !== undefined) return cached;
    const username = await partners.usernameOf(partnerId);
    if (username === undefined) return partnerId;
    known.set(partnerId, username);
    return username;
  };
}

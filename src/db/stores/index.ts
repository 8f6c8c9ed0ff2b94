import type { Stores } from '../../service/store';
import type { Database } from '../connection';
import { KnexCatalogStore } from './catalog-store';
import { KnexOrderStore } from './order-store';
import { KnexPartnerStore } from './partner-store';

export { KnexCatalogStore } from './catalog-store';
export { KnexOrderStore } from './order-store';
export { KnexPartnerStore } from './partner-store';

/** The knex-backed implementations of the domain's store interfaces over one open database. */
export function createStores(db: Database, now: () => Date = () => new Date()): Stores {
  return {
    catalog: new KnexCatalogStore(db, now),
    orders: new KnexOrderStore(db),
    partners: new KnexPartnerStore(db, now),
  };
}

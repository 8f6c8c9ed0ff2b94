import { InsufficientStock, ProductNotFound } from '../../service/errors';
import type { CatalogStore, ProductRecord, ProductSearch, StockAdjustment, StockRecord } from '../../service/store';
import type { Database } from '../connection';
import { isTransientConflict, isUniqueViolation } from '../errors';
import * as q from '../queries/catalog';
import { integerFromDb } from '../values';
import { productFromRow, stockFromRow } from './mappers';
import { storeCall } from './run';

export class KnexCatalogStore implements CatalogStore {
  constructor(
    private readonly db: Database,
    private readonly now: () => Date = () => new Date(),
  ) {}

  getProduct(sku: string): Promise<ProductRecord | undefined> {
    return storeCall(this.db, async () => {
      const rows = (await q.selectProduct(this.db.knex, this.db.dialect, sku)) as q.ProductRow[];
      return rows[0] === undefined ? undefined : productFromRow(rows[0]);
    });
  }

  getProducts(skus: readonly string[]): Promise<ProductRecord[]> {
    if (skus.length === 0) return Promise.resolve([]);
    return storeCall(this.db, async () => {
      const rows = (await q.selectProducts(this.db.knex, this.db.dialect, unique(skus))) as q.ProductRow[];
      return rows.map(productFromRow);
    });
  }

  searchProducts(search: ProductSearch): Promise<ProductRecord[]> {
    return storeCall(this.db, async () => {
      const rows = (await q.searchProducts(this.db.knex, this.db.dialect, search)) as q.ProductRow[];
      return rows.map(productFromRow);
    });
  }

  /**
   * UPDATE first, INSERT (with its empty stock row) when nothing matched. Two concurrent first inserts
   * of one sku: the loser hits the primary key, and the retry takes the UPDATE path, so both succeed and
   * the last write wins, as for any upsert.
   */
  upsertProduct(product: ProductRecord): Promise<ProductRecord> {
    return storeCall(
      this.db,
      async () => {
        const now = this.now();
        await this.db.knex.transaction(async (trx) => {
          const updated = (await q.updateProduct(trx, product, now)) as unknown as number;
          if (updated === 0) {
            await q.insertProduct(trx, product, now);
            await q.insertEmptyStock(trx, product.sku, now);
          }
        });
        const rows = (await q.selectProduct(this.db.knex, this.db.dialect, product.sku)) as q.ProductRow[];
        if (rows[0] === undefined) throw new ProductNotFound(product.sku);
        return productFromRow(rows[0]);
      },
      { isRetryable: (error) => isUniqueViolation(error) || isTransientConflict(error), attempts: 6 },
    );
  }

  getStockLevels(skus: readonly string[]): Promise<StockRecord[]> {
    if (skus.length === 0) return Promise.resolve([]);
    return storeCall(this.db, async () => {
      const rows = (await q.selectStock(this.db.knex, unique(skus))) as q.StockRow[];
      return rows.map(stockFromRow);
    });
  }

  adjustStock(adjustment: StockAdjustment): Promise<StockRecord> {
    if (!Number.isSafeInteger(adjustment.delta) || adjustment.delta === 0) {
      return Promise.reject(new RangeError(`Stock delta must be a non-zero integer, got ${adjustment.delta}`));
    }
    return storeCall(this.db, () =>
      this.db.knex.transaction(async (trx) => {
        const changed = (await q.adjustStockIfCovered(
          trx,
          adjustment.sku,
          adjustment.delta,
          adjustment.at,
        )) as unknown as number;
        if (changed === 0) {
          const rows = (await q.selectStock(trx, [adjustment.sku])) as q.StockRow[];
          if (rows[0] === undefined) throw new ProductNotFound(adjustment.sku);
          const stock = stockFromRow(rows[0]);
          throw new InsufficientStock(adjustment.sku, -adjustment.delta, stock.available);
        }
        await q.insertStockAdjustment(trx, adjustment);
        const rows = (await q.selectStock(trx, [adjustment.sku])) as q.StockRow[];
        if (rows[0] === undefined) throw new ProductNotFound(adjustment.sku);
        return stockFromRow(rows[0]);
      }),
    );
  }

  countProducts(): Promise<number> {
    return storeCall(this.db, async () => {
      const rows = (await q.countProducts(this.db.knex)) as Array<{ count: unknown }>;
      return integerFromDb(rows[0]?.count, 'count(*)');
    });
  }
}

function unique(values: readonly string[]): string[] {
  return [...new Set(values)];
}

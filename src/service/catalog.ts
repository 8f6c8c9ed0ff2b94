/**
 * The catalog: products, their prices and their stock. Reads for every partner; writes for administrators.
 */
import { ProductNotFound, ValidationError, type DomainViolation } from './errors';
import { canonicalMoney } from './money';
import type { PageTokens } from './page-token';
import type { CatalogStore, ProductRecord, StockRecord } from './store';

export const DEFAULT_PAGE_SIZE = 20;
export const MAX_PAGE_SIZE = 100;
export const MAX_STOCK_SKUS = 100;

export interface ProductSearchRequest {
  text?: string;
  category?: string;
  pageSize?: number;
  pageToken?: string;
}

export interface Page<T> {
  items: T[];
  nextPageToken?: string;
}

export interface Actor {
  /** Partner id of the caller. */
  partnerId: string;
  /** Correlation id of the request, recorded in audit trails. */
  messageId: string;
}

interface ProductCursor {
  sku: string;
}

const isProductCursor = (value: unknown): value is ProductCursor =>
  typeof value === 'object' && value !== null && typeof (value as { sku?: unknown }).sku === 'string';

const SKU = /^[A-Z0-9][A-Z0-9-]{0,31}$/;
const CURRENCY = /^[A-Z]{3}$/;

export class CatalogService {
  constructor(
    private readonly store: CatalogStore,
    private readonly pageTokens: PageTokens,
    private readonly now: () => Date = () => new Date(),
  ) {}

  async getProduct(sku: string): Promise<ProductRecord> {
    const product = await this.store.getProduct(sku);
    if (!product) throw new ProductNotFound(sku);
    return product;
  }

  /** Sorted by sku; `text` matches sku, name or description case-insensitively. */
  async searchProducts(request: ProductSearchRequest): Promise<Page<ProductRecord>> {
    const pageSize = checkPageSize(request.pageSize);
    const query = { text: request.text, category: request.category };
    const cursor =
      request.pageToken === undefined
        ? undefined
        : this.pageTokens.decode(request.pageToken, 'products', query, isProductCursor);
    const rows = await this.store.searchProducts({ ...query, afterSku: cursor?.sku, limit: pageSize + 1 });
    const items = rows.slice(0, pageSize);
    const last = items[items.length - 1];
    const nextPageToken =
      rows.length > pageSize && last
        ? this.pageTokens.encode('products', query, { sku: last.sku } satisfies ProductCursor)
        : undefined;
    return { items, nextPageToken };
  }

  /** Stock for the requested skus in request order (duplicates once); unknown skus are left out. */
  async getStockLevels(skus: readonly string[]): Promise<StockRecord[]> {
    const unique = [...new Set(skus)];
    if (unique.length === 0 || unique.length > MAX_STOCK_SKUS) {
      throw ValidationError.single('sku', `Between 1 and ${MAX_STOCK_SKUS} skus are required, got ${unique.length}`);
    }
    const levels = new Map((await this.store.getStockLevels(unique)).map((level) => [level.sku, level]));
    return unique.flatMap((sku) => {
      const level = levels.get(sku);
      return level ? [level] : [];
    });
  }

  /** Creates or replaces a product; the price is stored in canonical form ("10" -> "10.00"). */
  async upsertProduct(product: ProductRecord): Promise<ProductRecord> {
    const violations: DomainViolation[] = [];
    if (!SKU.test(product.sku)) violations.push({ path: 'product/sku', message: 'must match [A-Z0-9][A-Z0-9-]{0,31}' });
    if (product.name.trim() === '') violations.push({ path: 'product/name', message: 'must not be blank' });
    if (product.category.trim() === '') violations.push({ path: 'product/category', message: 'must not be blank' });
    if (!CURRENCY.test(product.currency))
      violations.push({ path: 'product/currency', message: 'must be an ISO 4217 code of three upper-case letters' });
    const unitPrice = canonicalMoney(product.unitPrice);
    if (unitPrice === undefined)
      violations.push({
        path: 'product/unitPrice',
        message: 'must be a non-negative amount with at most two fraction digits',
      });
    if (violations.length > 0 || unitPrice === undefined) throw new ValidationError(violations);
    return this.store.upsertProduct({
      ...product,
      unitPrice,
      description: product.description === '' ? undefined : product.description,
    });
  }

  /** onHand += delta, atomically refusing to go below the reserved quantity (InsufficientStock). */
  async adjustStock(request: { sku: string; delta: number; reason: string }, actor: Actor): Promise<StockRecord> {
    if (!Number.isSafeInteger(request.delta) || request.delta === 0) {
      throw ValidationError.single('delta', 'must be a non-zero whole number');
    }
    if (request.reason.trim() === '') throw ValidationError.single('reason', 'must not be blank');
    return this.store.adjustStock({
      sku: request.sku,
      delta: request.delta,
      reason: request.reason,
      actor: actor.partnerId,
      messageId: actor.messageId,
      at: this.now(),
    });
  }
}

export function checkPageSize(pageSize: number | undefined): number {
  if (pageSize === undefined) return DEFAULT_PAGE_SIZE;
  if (!Number.isInteger(pageSize) || pageSize < 1 || pageSize > MAX_PAGE_SIZE) {
    throw ValidationError.single('pageSize', `must be between 1 and ${MAX_PAGE_SIZE}`);
  }
  return pageSize;
}

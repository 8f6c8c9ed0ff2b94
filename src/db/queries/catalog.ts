/**
 * Every SQL statement the catalog store issues, built by plain functions of a knex instance so the same
 * code runs the queries and compiles them for review (test/db/mssql-compile.test.ts).
 */
import type { Knex } from 'knex';
import type { ProductRecord, ProductSearch, StockAdjustment } from '../../service/store';
import type { Dialect } from '../config';
import { instantToDb, likeContains, moneySelect, moneyToDb, nullable } from '../values';

export interface ProductRow {
  sku: unknown;
  name: unknown;
  description: unknown;
  category: unknown;
  unit_price: unknown;
  currency: unknown;
  active: unknown;
}

export interface StockRow {
  sku: unknown;
  on_hand: unknown;
  reserved: unknown;
}

function productColumns(knex: Knex, dialect: Dialect): Array<string | Knex.Raw> {
  return [
    'sku',
    'name',
    'description',
    'category',
    moneySelect(knex, dialect, 'unit_price', 'unit_price'),
    'currency',
    'active',
  ];
}

export function selectProduct(knex: Knex, dialect: Dialect, sku: string): Knex.QueryBuilder {
  return knex('products').select(productColumns(knex, dialect)).where('sku', sku);
}

export function selectProducts(knex: Knex, dialect: Dialect, skus: readonly string[]): Knex.QueryBuilder {
  return knex('products')
    .select(productColumns(knex, dialect))
    .whereIn('sku', [...skus]);
}

export function searchProducts(knex: Knex, dialect: Dialect, search: ProductSearch): Knex.QueryBuilder {
  const query = knex('products').select(productColumns(knex, dialect));
  if (search.category !== undefined) query.where('category', search.category);
  if (search.afterSku !== undefined) query.where('sku', '>', search.afterSku);
  if (search.text !== undefined && search.text !== '') {
    const pattern = likeContains(search.text, dialect);
    query.where((inner) => {
      for (const column of ['sku', 'name', 'description']) {
        inner.orWhereRaw("lower(??) like ? escape '!'", [column, pattern]);
      }
    });
  }
  return query.orderBy('sku', 'asc').limit(search.limit);
}

export function updateProduct(knex: Knex, product: ProductRecord, now: Date): Knex.QueryBuilder {
  return knex('products')
    .where('sku', product.sku)
    .update({
      name: product.name,
      description: nullable(product.description),
      category: product.category,
      unit_price: moneyToDb(product.unitPrice),
      currency: product.currency,
      active: product.active,
      updated_at: instantToDb(now),
    });
}

export function insertProduct(knex: Knex, product: ProductRecord, now: Date): Knex.QueryBuilder {
  const at = instantToDb(now);
  return knex('products').insert({
    sku: product.sku,
    name: product.name,
    description: nullable(product.description),
    category: product.category,
    unit_price: moneyToDb(product.unitPrice),
    currency: product.currency,
    active: product.active,
    created_at: at,
    updated_at: at,
  });
}

export function insertEmptyStock(knex: Knex, sku: string, now: Date): Knex.QueryBuilder {
  return knex('stock').insert({ sku, on_hand: 0, reserved: 0, updated_at: instantToDb(now) });
}

export function selectStock(knex: Knex, skus: readonly string[]): Knex.QueryBuilder {
  return knex('stock')
    .select('sku', 'on_hand', 'reserved')
    .whereIn('sku', [...skus]);
}

/**
 * onHand += delta in one statement that only matches while the result stays >= reserved: the database
 * evaluates the condition on the latest committed row under the row's write lock, so two concurrent
 * adjustments or an adjustment racing a reservation can never push available below zero.
 */
export function adjustStockIfCovered(knex: Knex, sku: string, delta: number, now: Date): Knex.QueryBuilder {
  return knex('stock')
    .where('sku', sku)
    .whereRaw('?? + ? >= ??', ['on_hand', delta, 'reserved'])
    .update({ on_hand: knex.raw('?? + ?', ['on_hand', delta]), updated_at: instantToDb(now) });
}

export function insertStockAdjustment(knex: Knex, adjustment: StockAdjustment): Knex.QueryBuilder {
  return knex('stock_adjustments').insert({
    sku: adjustment.sku,
    delta: adjustment.delta,
    reason: adjustment.reason,
    actor: adjustment.actor,
    message_id: adjustment.messageId,
    at: instantToDb(adjustment.at),
  });
}

export function countProducts(knex: Knex): Knex.QueryBuilder {
  return knex('products').count({ count: '*' });
}

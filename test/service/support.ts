/**
 * Builds the real domain services over a real (scratch) database for the service suites, through the
 * composition root's createDomain, with a controllable clock so ordering and time filters are deterministic.
 */
import crypto from 'node:crypto';
import type { Database } from '../../src/db/connection';
import { deleteAllRows } from '../db/harness';
import { createStores } from '../../src/db/stores';
import { createDomain } from '../../src/app';
import type { Actor, CatalogService } from '../../src/service/catalog';
import type { OrderService, SubmitOrderInput } from '../../src/service/orders';
import type { PartnerService } from '../../src/service/partners';
import type { Stores } from '../../src/service/store';

/** A clock that only moves when told to (whole milliseconds, as stored). */
export class TestClock {
  private millis = Date.UTC(2026, 0, 15, 9, 0, 0);
  now = (): Date => new Date(this.millis);
  advance(ms = 1000): void {
    this.millis += ms;
  }
  set(date: Date): void {
    this.millis = date.getTime();
  }
}

export interface ServiceFixture {
  stores: Stores;
  clock: TestClock;
  catalog: CatalogService;
  orders: OrderService;
  partners: PartnerService;
  /** Creates a partner and returns the actor the services take. */
  partner(username: string, options?: { admin?: boolean }): Promise<Actor & { username: string }>;
  /** Upserts a product and sets its on-hand stock. */
  product(
    sku: string,
    unitPrice: string,
    onHand: number,
    options?: { currency?: string; active?: boolean; category?: string; name?: string },
  ): Promise<void>;
}

let messageCounter = 0;
export const nextMessageId = (): string => `urn:uuid:test-${++messageCounter}`;

export function serviceFixture(db: Database): ServiceFixture {
  const stores = createStores(db);
  const clock = new TestClock();
  const { catalog, orders, partners } = createDomain(stores, {
    pagingTokenKey: crypto.randomBytes(32),
    now: clock.now,
  }).services;
  const admin = { partnerId: 'seed', messageId: 'seed' };
  return {
    stores,
    clock,
    catalog,
    orders,
    partners,
    async partner(username, options = {}) {
      const { partner } = await partners.addPartner({
        username,
        password: 'correct horse battery',
        admin: options.admin,
      });
      return { partnerId: partner.id, username, messageId: nextMessageId() };
    },
    async product(sku, unitPrice, onHand, options = {}) {
      await catalog.upsertProduct({
        sku,
        name: options.name ?? `Product ${sku}`,
        category: options.category ?? 'Hardware',
        unitPrice,
        currency: options.currency ?? 'EUR',
        active: options.active ?? true,
      });
      const [level] = await catalog.getStockLevels([sku]);
      const delta = onHand - (level?.onHand ?? 0);
      if (delta !== 0) await catalog.adjustStock({ sku, delta, reason: 'test stock' }, admin);
    },
  };
}

/** A fixture over `db`, emptied first, with the partners the order suites act as: acme, globex and the admin ops. */
export async function orderSuiteFixture(
  db: Database,
): Promise<{ fx: ServiceFixture; acme: Actor; globex: Actor; admin: Actor }> {
  await deleteAllRows(db);
  const fx = serviceFixture(db);
  const acme = await fx.partner('acme');
  const globex = await fx.partner('globex');
  const admin = await fx.partner('ops', { admin: true });
  return { fx, acme, globex, admin };
}

export const SHIP_TO = Object.freeze({
  name: 'ACME Receiving',
  line1: 'Dock 4, Industriestrasse 12',
  city: 'Hamburg',
  postalCode: '20095',
  countryCode: 'DE',
});

export function submission(
  partnerOrderRef: string,
  lines: Array<[sku: string, quantity: number]>,
  extra: Partial<SubmitOrderInput> = {},
): SubmitOrderInput {
  return {
    partnerOrderRef,
    shipTo: { ...SHIP_TO },
    lines: lines.map(([sku, quantity]) => ({ sku, quantity })),
    ...extra,
  };
}

/** Runs `action` and returns the error it rejects with (fails the test when it resolves). */
export async function rejection(action: Promise<unknown>): Promise<unknown> {
  try {
    await action;
  } catch (error) {
    return error;
  }
  throw new Error('expected a rejection, but the call succeeded');
}

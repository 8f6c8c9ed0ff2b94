/**
 * Purchase orders: submission with exact pricing and all-or-nothing stock reservation, idempotent retry,
 * partner isolation, and the ACCEPTED -> CANCELLED | SHIPPED life cycle.
 *
 * Rules decided here:
 * - Prices come from the catalog at submission; a retry returns the original order with its original prices.
 * - A sku may appear on one line only: duplicates are a ValidationError naming every repeated line
 *   (partners combine quantities), so each line maps to one reservation and one lineNumber.
 * - Inactive products cannot be ordered: ProductNotFound, as for unknown skus.
 * - Idempotency compares a SHA-256 of the canonical submitted content (ref, shipTo, lines in order,
 *   requestedDeliveryDate, note): same hash -> the original order, different -> OrderConflict. The original
 *   is returned whatever happened to it since (cancelled, shipped, repriced catalog): a retry never
 *   creates, reserves or reprices anything.
 * - Another partner's order is indistinguishable from an unknown one (OrderNotFound).
 */
import { createHash, randomUUID } from 'node:crypto';
import { checkPageSize, type Actor, type Page } from './catalog';
import { OrderConflict, OrderNotFound, ProductNotFound, ValidationError, type DomainViolation } from './errors';
import { formatMoney, MAX_MONEY_CENTS, parseMoney } from './money';
import { canonicalJson, type PageTokens } from './page-token';
import type {
  AddressRecord,
  CatalogStore,
  OrderHistoryEntry,
  OrderLineRecord,
  OrderRecord,
  OrderStatus,
  OrderStore,
  OrderSummaryRecord,
  ProductRecord,
} from './store';

export const MAX_ORDER_LINES = 500;
export const MAX_QUANTITY = 100_000;
export const MAX_PARTNER_LINE_REF = 64;

export interface SubmitOrderLineInput {
  sku: string;
  quantity: number;
  /** The partner's own line reference (contract v2); part of the submitted content. */
  partnerLineRef?: string;
}

export interface SubmitOrderInput {
  partnerOrderRef: string;
  shipTo: AddressRecord;
  lines: SubmitOrderLineInput[];
  /** "YYYY-MM-DD" */
  requestedDeliveryDate?: string;
  note?: string;
}

export interface ListOrdersInput {
  status?: OrderStatus;
  /** Only the order with this partnerOrderRef (contract v2). */
  partnerOrderRef?: string;
  /** xs:dateTime lexical with a time zone. */
  createdFrom?: string;
  createdTo?: string;
  pageSize?: number;
  pageToken?: string;
}

interface OrderCursor {
  /** createdAt in epoch milliseconds. */
  t: number;
  id: string;
}

const isOrderCursor = (value: unknown): value is OrderCursor =>
  typeof value === 'object' &&
  value !== null &&
  Number.isSafeInteger((value as { t?: unknown }).t) &&
  typeof (value as { id?: unknown }).id === 'string';

/** xs:date: the calendar day, optionally followed by a zone (which does not change the day asked for). */
const XSD_DATE = /^(\d{4})-(\d{2})-(\d{2})(?:Z|[+-]\d{2}:\d{2})?$/;

export class OrderService {
  constructor(
    private readonly orders: OrderStore,
    private readonly catalog: CatalogStore,
    private readonly pageTokens: PageTokens,
    private readonly now: () => Date = () => new Date(),
    private readonly newOrderId: () => string = randomUUID,
  ) {}

  async submitOrder(input: SubmitOrderInput, actor: Actor): Promise<OrderRecord> {
    validateSubmission(input);
    const contentHash = submissionHash(input);

    const previous = await this.orders.findByPartnerRef(actor.partnerId, input.partnerOrderRef);
    if (previous) return sameSubmissionOrConflict(previous, contentHash);

    const products = new Map(
      (await this.catalog.getProducts(input.lines.map((line) => line.sku))).map((p) => [p.sku, p]),
    );
    const priced = priceLines(input.lines, products);

    const createdAt = this.now();
    const order: OrderRecord = {
      orderId: this.newOrderId(),
      partnerId: actor.partnerId,
      partnerOrderRef: input.partnerOrderRef,
      status: 'ACCEPTED',
      createdAt,
      updatedAt: createdAt,
      shipTo: withoutEmptyOptionals(input.shipTo),
      lines: priced.lines,
      total: priced.total,
      currency: priced.currency,
      requestedDeliveryDate: calendarDay(input.requestedDeliveryDate),
      note: input.note === '' ? undefined : input.note,
      contentHash,
    };
    const outcome = await this.orders.createOrderReservingStock(order, {
      orderId: order.orderId,
      at: createdAt,
      actor: actor.partnerId,
      action: 'SUBMITTED',
      toStatus: 'ACCEPTED',
      messageId: actor.messageId,
    });
    return outcome.kind === 'created' ? outcome.order : sameSubmissionOrConflict(outcome.order, contentHash);
  }

  async getOrder(orderId: string, actor: Actor): Promise<OrderRecord> {
    const order = await this.orders.getOrder(actor.partnerId, orderId);
    if (!order) throw new OrderNotFound(orderId);
    return order;
  }

  /** The caller's orders, newest first. */
  async listOrders(input: ListOrdersInput, actor: Actor): Promise<Page<OrderSummaryRecord>> {
    const pageSize = checkPageSize(input.pageSize);
    const createdFrom = parseInstant(input.createdFrom, 'createdFrom');
    const createdTo = parseInstant(input.createdTo, 'createdTo');
    if (createdFrom && createdTo && createdFrom.getTime() > createdTo.getTime()) {
      throw ValidationError.single('createdTo', 'must not be before createdFrom');
    }
    // Bound to the partner and the filters, so a token only continues the list it came from.
    const query = {
      partner: actor.partnerId,
      status: input.status,
      ref: input.partnerOrderRef,
      from: createdFrom?.toISOString(),
      to: createdTo?.toISOString(),
    };
    const cursor =
      input.pageToken === undefined
        ? undefined
        : this.pageTokens.decode(input.pageToken, 'orders', query, isOrderCursor);
    const rows = await this.orders.listOrders(actor.partnerId, {
      status: input.status,
      partnerOrderRef: input.partnerOrderRef,
      createdFrom,
      createdTo,
      after: cursor ? { createdAt: new Date(cursor.t), orderId: cursor.id } : undefined,
      limit: pageSize + 1,
    });
    const items = rows.slice(0, pageSize);
    const last = items[items.length - 1];
    const nextPageToken =
      rows.length > pageSize && last
        ? this.pageTokens.encode('orders', query, {
            t: last.createdAt.getTime(),
            id: last.orderId,
          } satisfies OrderCursor)
        : undefined;
    return { items, nextPageToken };
  }

  /** The status changes of one of the caller's orders, oldest first. */
  async getOrderHistory(orderId: string, actor: Actor): Promise<OrderHistoryEntry[]> {
    return this.historyOf(await this.getOrder(orderId, actor));
  }

  /**
   * The history of an order the caller already obtained through an authorised call (submit, get, cancel,
   * ship): contract versions that return the history with the order read it here.
   */
  async historyOf(order: OrderRecord): Promise<OrderHistoryEntry[]> {
    return this.orders.getHistory(order.orderId);
  }

  /** ACCEPTED -> CANCELLED, releasing the reservation. */
  async cancelOrder(input: { orderId: string; reason?: string }, actor: Actor): Promise<OrderRecord> {
    return this.orders.transitionOrder({
      orderId: input.orderId,
      partnerId: actor.partnerId,
      from: 'ACCEPTED',
      to: 'CANCELLED',
      at: this.now(),
      actor: actor.partnerId,
      messageId: actor.messageId,
      cancellation: { reason: input.reason },
    });
  }

  /** ACCEPTED -> SHIPPED for any partner's order (administrators; the caller checks the role). */
  async shipOrder(
    input: { orderId: string; carrier: string; trackingNumber: string },
    actor: Actor,
  ): Promise<OrderRecord> {
    const violations: DomainViolation[] = [];
    if (input.carrier.trim() === '') violations.push({ path: 'carrier', message: 'must not be blank' });
    if (input.trackingNumber.trim() === '') violations.push({ path: 'trackingNumber', message: 'must not be blank' });
    if (violations.length > 0) throw new ValidationError(violations);
    return this.orders.transitionOrder({
      orderId: input.orderId,
      from: 'ACCEPTED',
      to: 'SHIPPED',
      at: this.now(),
      actor: actor.partnerId,
      messageId: actor.messageId,
      shipment: { carrier: input.carrier, trackingNumber: input.trackingNumber },
    });
  }
}

function validateSubmission(input: SubmitOrderInput): void {
  const violations: DomainViolation[] = [];
  if (input.partnerOrderRef.trim() === '' || input.partnerOrderRef.length > 64) {
    violations.push({ path: 'partnerOrderRef', message: 'must have 1 to 64 characters' });
  }
  if (input.lines.length === 0 || input.lines.length > MAX_ORDER_LINES) {
    violations.push({ path: 'line', message: `an order has 1 to ${MAX_ORDER_LINES} lines` });
  }
  const firstLineOfSku = new Map<string, number>();
  input.lines.forEach((line, index) => {
    const lineNo = index + 1;
    if (!Number.isInteger(line.quantity) || line.quantity < 1 || line.quantity > MAX_QUANTITY) {
      violations.push({ path: `line[${lineNo}]/quantity`, message: `must be between 1 and ${MAX_QUANTITY}` });
    }
    if (
      line.partnerLineRef !== undefined &&
      (line.partnerLineRef.trim() === '' || line.partnerLineRef.length > MAX_PARTNER_LINE_REF)
    ) {
      violations.push({
        path: `line[${lineNo}]/partnerLineRef`,
        message: `must have 1 to ${MAX_PARTNER_LINE_REF} characters`,
      });
    }
    const first = firstLineOfSku.get(line.sku);
    if (first === undefined) firstLineOfSku.set(line.sku, lineNo);
    else
      violations.push({
        path: `line[${lineNo}]/sku`,
        message: `sku ${line.sku} is already on line ${first}; put its whole quantity on one line`,
      });
  });
  if (input.requestedDeliveryDate !== undefined && !isCalendarDate(input.requestedDeliveryDate)) {
    violations.push({ path: 'requestedDeliveryDate', message: 'must be a date YYYY-MM-DD' });
  }
  if (violations.length > 0) throw new ValidationError(violations);
}

function isCalendarDate(text: string): boolean {
  const match = XSD_DATE.exec(text);
  if (!match) return false;
  const [year, month, day] = [Number(match[1]), Number(match[2]), Number(match[3])];
  const date = new Date(Date.UTC(year, month - 1, day));
  return date.getUTCFullYear() === year && date.getUTCMonth() === month - 1 && date.getUTCDate() === day;
}

/**
 * "YYYY-MM-DD" of an xs:date. Java clients often send the zone of a GregorianCalendar ("2026-03-01+01:00");
 * a delivery day is a calendar day, so the zone is dropped rather than shifting the date.
 */
function calendarDay(date: string | undefined): string | undefined {
  return date === undefined ? undefined : date.slice(0, 10);
}

/** Prices every line from the catalog; one currency for the whole order; exact cents throughout. */
function priceLines(
  lines: readonly SubmitOrderLineInput[],
  products: ReadonlyMap<string, ProductRecord>,
): { lines: OrderLineRecord[]; total: string; currency: string } {
  for (const line of lines) {
    const product = products.get(line.sku);
    if (!product || !product.active) throw new ProductNotFound(line.sku);
  }
  const currency = products.get(lines[0]!.sku)!.currency;
  const violations: DomainViolation[] = [];
  let total = 0n;
  const priced = lines.map((line, index) => {
    const product = products.get(line.sku)!;
    if (product.currency !== currency) {
      violations.push({
        path: `line[${index + 1}]/sku`,
        message: `${line.sku} is priced in ${product.currency} but line 1 in ${currency}; an order has one currency`,
      });
    }
    const unitCents = parseMoney(product.unitPrice);
    if (unitCents === undefined)
      throw new Error(`The catalog holds an invalid price for ${product.sku}: ${product.unitPrice}`);
    const lineCents = unitCents * BigInt(line.quantity);
    total += lineCents;
    return {
      lineNumber: index + 1,
      sku: line.sku,
      quantity: line.quantity,
      unitPrice: formatMoney(unitCents),
      lineTotal: formatMoney(lineCents),
      ...(line.partnerLineRef !== undefined ? { partnerLineRef: line.partnerLineRef } : {}),
    };
  });
  if (total > MAX_MONEY_CENTS)
    violations.push({ path: 'line', message: 'the order total exceeds 9999999999999999.99' });
  if (violations.length > 0) throw new ValidationError(violations);
  return { lines: priced, total: formatMoney(total), currency };
}

/** Empty optional strings mean absent, so "region" absent and "" hash and store alike. */
function withoutEmptyOptionals(address: AddressRecord): AddressRecord {
  const { line2, region, ...required } = address;
  return {
    ...required,
    ...(line2 !== undefined && line2 !== '' ? { line2 } : {}),
    ...(region !== undefined && region !== '' ? { region } : {}),
  };
}

/** SHA-256 hex of the canonical submitted content; line order is part of the content. */
export function submissionHash(input: SubmitOrderInput): string {
  const canonical = canonicalJson({
    partnerOrderRef: input.partnerOrderRef,
    shipTo: withoutEmptyOptionals(input.shipTo),
    // A line reference joins the content only when given, so v1 submissions hash exactly as before.
    lines: input.lines.map((line) =>
      line.partnerLineRef === undefined ? [line.sku, line.quantity] : [line.sku, line.quantity, line.partnerLineRef],
    ),
    requestedDeliveryDate: calendarDay(input.requestedDeliveryDate),
    note: input.note === '' ? undefined : input.note,
  });
  return createHash('sha256').update(canonical).digest('hex');
}

function sameSubmissionOrConflict(existing: OrderRecord, contentHash: string): OrderRecord {
  if (existing.contentHash === contentHash) return existing;
  throw new OrderConflict(existing.partnerOrderRef, existing.orderId);
}

/** An xs:dateTime with a zone -> Date; a ValidationError at `path` when it is not a usable instant. */
function parseInstant(lexical: string | undefined, path: string): Date | undefined {
  if (lexical === undefined) return undefined;
  const hasZone = /(Z|[+-]\d{2}:\d{2})$/.test(lexical);
  const millis = Date.parse(lexical);
  if (!hasZone || Number.isNaN(millis))
    throw ValidationError.single(path, 'must be a dateTime with a time zone, e.g. 2025-01-31T00:00:00Z');
  return new Date(millis);
}

/**
 * The benchmark's data and its one piece of business logic, shared by every Node.js server so that
 * they all answer with the same values (the Java server builds the same orders in BenchServer.java,
 * and the preflight check in run.ts compares every server's answers before any load is applied).
 */

export const BENCH_NS = 'urn:bench:orders';
export const BENCH_PATH = '/soap/bench';
export const SOAP11_NS = 'http://schemas.xmlsoap.org/soap/envelope/';
export const GET_ORDER_ACTION = 'urn:bench:orders:GetOrder';
export const SUBMIT_ORDER_ACTION = 'urn:bench:orders:SubmitOrder';

/** Order ids the servers know, each with its number of lines (`ORD-<lines>`). */
export const ORDER_LINE_COUNTS = [1, 5, 200] as const;
export const orderIdFor = (lines: number): string => `ORD-${lines}`;

export interface BenchAddress {
  name: string;
  line1: string;
  line2?: string;
  city: string;
  postalCode: string;
  countryCode: string;
}

export interface BenchOrderLine {
  lineNumber: number;
  sku: string;
  quantity: number;
  unitPrice: string;
  lineTotal: string;
}

export interface BenchOrder {
  orderId: string;
  partnerOrderRef: string;
  status: 'ACCEPTED' | 'CANCELLED' | 'SHIPPED';
  createdAt: string;
  updatedAt: string;
  shipTo: BenchAddress;
  line: BenchOrderLine[];
  total: string;
  currency: string;
  requestedDeliveryDate?: string;
}

export const SHIP_TO: BenchAddress = {
  name: 'Example Trading GmbH',
  line1: 'Hafenstrasse 12',
  city: 'Hamburg',
  postalCode: '20457',
  countryCode: 'DE',
};

/** Exact money in cents: the values are decimal strings with at most two fraction digits. */
export function centsOf(decimal: string): bigint {
  const match = /^(\d+)(?:\.(\d{1,2}))?$/.exec(decimal.trim());
  if (match === null) throw new Error(`not a money amount: ${decimal}`);
  return BigInt(match[1]!) * 100n + BigInt((match[2] ?? '').padEnd(2, '0'));
}

export function moneyOf(cents: bigint): string {
  const fraction = (cents % 100n).toString().padStart(2, '0');
  return `${cents / 100n}.${fraction}`;
}

/** Line n: SKU-000n, quantity 1 + n % 7, unit price 10.00 + n * 0.25. */
export function lineValues(n: number): { sku: string; quantity: number; unitPrice: string } {
  return {
    sku: `SKU-${String(n).padStart(5, '0')}`,
    quantity: 1 + (n % 7),
    unitPrice: moneyOf(1000n + BigInt(n) * 25n),
  };
}

export function buildOrder(lineCount: number): BenchOrder {
  const line: BenchOrderLine[] = [];
  let total = 0n;
  for (let n = 1; n <= lineCount; n++) {
    const { sku, quantity, unitPrice } = lineValues(n);
    const lineTotal = centsOf(unitPrice) * BigInt(quantity);
    total += lineTotal;
    line.push({ lineNumber: n, sku, quantity, unitPrice, lineTotal: moneyOf(lineTotal) });
  }
  return {
    orderId: orderIdFor(lineCount),
    partnerOrderRef: `PO-2026-${String(lineCount).padStart(4, '0')}`,
    status: 'ACCEPTED',
    createdAt: '2026-11-20T09:15:00Z',
    updatedAt: '2026-11-20T09:15:00Z',
    shipTo: SHIP_TO,
    line,
    total: moneyOf(total),
    currency: 'EUR',
    requestedDeliveryDate: '2026-12-01',
  };
}

/** The in-memory "database" every server reads from. */
export const ORDERS: ReadonlyMap<string, BenchOrder> = new Map(
  ORDER_LINE_COUNTS.map((n) => [orderIdFor(n), buildOrder(n)]),
);

export interface SubmittedLine {
  quantity: number;
  unitPrice: string;
}

export interface SubmitOutcome {
  orderId: string;
  status: 'ACCEPTED';
  lineCount: number;
  total: string;
}

/** SubmitOrder's logic: the order id derives from the partner's reference; the total is exact. */
export function submitOrder(partnerOrderRef: string, lines: readonly SubmittedLine[]): SubmitOutcome {
  let total = 0n;
  for (const line of lines) total += centsOf(line.unitPrice) * BigInt(line.quantity);
  return { orderId: `ORD-${partnerOrderRef}`, status: 'ACCEPTED', lineCount: lines.length, total: moneyOf(total) };
}

// ---------------------------------------------------------------------------------------------------
// Request messages (what the load generator sends)
// ---------------------------------------------------------------------------------------------------

export const envelope = (payload: string, header = ''): string =>
  `<?xml version="1.0" encoding="UTF-8"?>\n<soap:Envelope xmlns:soap="${SOAP11_NS}">${header}<soap:Body>${payload}</soap:Body></soap:Envelope>`;

export const getOrderPayload = (orderId: string): string =>
  `<b:GetOrderRequest xmlns:b="${BENCH_NS}"><b:orderId>${orderId}</b:orderId></b:GetOrderRequest>`;

export function submitOrderPayload(lineCount: number, partnerOrderRef = 'PO-BENCH-1'): string {
  const lines: string[] = [];
  for (let n = 1; n <= lineCount; n++) {
    const { sku, quantity, unitPrice } = lineValues(n);
    lines.push(
      `<b:line><b:sku>${sku}</b:sku><b:quantity>${quantity}</b:quantity><b:unitPrice>${unitPrice}</b:unitPrice></b:line>`,
    );
  }
  const a = SHIP_TO;
  return (
    `<b:SubmitOrderRequest xmlns:b="${BENCH_NS}"><b:partnerOrderRef>${partnerOrderRef}</b:partnerOrderRef>` +
    `<b:shipTo><b:name>${a.name}</b:name><b:line1>${a.line1}</b:line1><b:city>${a.city}</b:city>` +
    `<b:postalCode>${a.postalCode}</b:postalCode><b:countryCode>${a.countryCode}</b:countryCode></b:shipTo>` +
    `${lines.join('')}<b:requestedDeliveryDate>2026-12-01</b:requestedDeliveryDate></b:SubmitOrderRequest>`
  );
}

/** What SubmitOrder must answer for submitOrderPayload(lineCount). */
export function expectedSubmitOutcome(lineCount: number, partnerOrderRef = 'PO-BENCH-1'): SubmitOutcome {
  const lines: SubmittedLine[] = [];
  for (let n = 1; n <= lineCount; n++) lines.push(lineValues(n));
  return submitOrder(partnerOrderRef, lines);
}

/**
 * A small SOAP 1.1 client for the end-to-end suites: v1 request bodies, WS-Security headers (PasswordText
 * with a wsu:Timestamp, or PasswordDigest with a fresh nonce) and replies parsed into plain objects, so
 * the tests read like a partner's integration code.
 */
import { createHash, randomBytes } from 'node:crypto';
import { XMLParser } from 'fast-xml-parser';

export interface Credentials {
  readonly username: string;
  readonly password: string;
}

const SOAP11_NS = 'http://schemas.xmlsoap.org/soap/envelope/';
const WSSE_NS = 'http://docs.oasis-open.org/wss/2004/01/oasis-200401-wss-wssecurity-secext-1.0.xsd';
const WSU_NS = 'http://docs.oasis-open.org/wss/2004/01/oasis-200401-wss-wssecurity-utility-1.0.xsd';
const TOKEN_PROFILE = 'http://docs.oasis-open.org/wss/2004/01/oasis-200401-wss-username-token-profile-1.0';
const BASE64_BINARY = 'http://docs.oasis-open.org/wss/2004/01/oasis-200401-wss-soap-message-security-1.0#Base64Binary';

const escapeXml = (text: string): string => text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');

function timestamp(): string {
  const created = new Date();
  const expires = new Date(created.getTime() + 300_000);
  return `<wsu:Timestamp><wsu:Created>${created.toISOString()}</wsu:Created><wsu:Expires>${expires.toISOString()}</wsu:Expires></wsu:Timestamp>`;
}

function usernameToken(credentials: Credentials, mode: 'text' | 'digest'): string {
  const username = `<wsse:Username>${escapeXml(credentials.username)}</wsse:Username>`;
  if (mode === 'text') {
    return `<wsse:UsernameToken>${username}<wsse:Password Type="${TOKEN_PROFILE}#PasswordText">${escapeXml(credentials.password)}</wsse:Password></wsse:UsernameToken>`;
  }
  const nonce = randomBytes(16);
  const created = new Date().toISOString();
  const digest = createHash('sha1')
    .update(Buffer.concat([nonce, Buffer.from(created + credentials.password, 'utf8')]))
    .digest('base64');
  return (
    `<wsse:UsernameToken>${username}<wsse:Password Type="${TOKEN_PROFILE}#PasswordDigest">${digest}</wsse:Password>` +
    `<wsse:Nonce EncodingType="${BASE64_BINARY}">${nonce.toString('base64')}</wsse:Nonce><wsu:Created>${created}</wsu:Created></wsse:UsernameToken>`
  );
}

/**
 * A SOAP 1.1 envelope with a wsu:Timestamp (the default policy requires one) and a UsernameToken.
 * Digest mode builds a new nonce on every call, so a resent request must be built again.
 */
export function envelope(body: string, credentials: Credentials, mode: 'text' | 'digest' = 'text'): string {
  return (
    `<soapenv:Envelope xmlns:soapenv="${SOAP11_NS}" xmlns:po="urn:partner-orders:v1">` +
    `<soapenv:Header><wsse:Security soapenv:mustUnderstand="1" xmlns:wsse="${WSSE_NS}" xmlns:wsu="${WSU_NS}">` +
    `${timestamp()}${usernameToken(credentials, mode)}</wsse:Security></soapenv:Header>` +
    `<soapenv:Body>${body}</soapenv:Body></soapenv:Envelope>`
  );
}

// ---- request bodies (v1) ---------------------------------------------------------------------

export interface LineRequest {
  readonly sku: string;
  readonly quantity: number;
}

const SHIP_TO =
  '<po:shipTo><po:name>ACME Receiving</po:name><po:line1>Dock 4</po:line1><po:city>Hamburg</po:city>' +
  '<po:postalCode>20095</po:postalCode><po:countryCode>DE</po:countryCode></po:shipTo>';

export const bodies = {
  submitOrder: (partnerOrderRef: string, lines: readonly LineRequest[]): string =>
    `<po:SubmitOrderRequest><po:partnerOrderRef>${escapeXml(partnerOrderRef)}</po:partnerOrderRef>${SHIP_TO}` +
    lines
      .map((line) => `<po:line><po:sku>${line.sku}</po:sku><po:quantity>${line.quantity}</po:quantity></po:line>`)
      .join('') +
    '</po:SubmitOrderRequest>',
  getOrder: (orderId: string): string => `<po:GetOrderRequest><po:orderId>${orderId}</po:orderId></po:GetOrderRequest>`,
  cancelOrder: (orderId: string, reason = 'changed our mind'): string =>
    `<po:CancelOrderRequest><po:orderId>${orderId}</po:orderId><po:reason>${escapeXml(reason)}</po:reason></po:CancelOrderRequest>`,
  shipOrder: (orderId: string): string =>
    `<po:ShipOrderRequest><po:orderId>${orderId}</po:orderId><po:carrier>UPS</po:carrier><po:trackingNumber>1Z999AA10123456784</po:trackingNumber></po:ShipOrderRequest>`,
  getStockLevels: (skus: readonly string[]): string =>
    `<po:GetStockLevelsRequest>${skus.map((sku) => `<po:sku>${sku}</po:sku>`).join('')}</po:GetStockLevelsRequest>`,
  adjustStock: (sku: string, delta: number): string =>
    `<po:AdjustStockRequest><po:sku>${sku}</po:sku><po:delta>${delta}</po:delta><po:reason>e2e stock</po:reason></po:AdjustStockRequest>`,
  upsertProduct: (sku: string, unitPrice: string): string =>
    `<po:UpsertProductRequest><po:product><po:sku>${sku}</po:sku><po:name>Product ${sku}</po:name><po:category>E2E</po:category>` +
    `<po:unitPrice>${unitPrice}</po:unitPrice><po:currency>EUR</po:currency><po:active>true</po:active></po:product></po:UpsertProductRequest>`,
};

// ---- replies ---------------------------------------------------------------------------------

export interface Fault {
  /** The local part of faultcode, e.g. Client, Server, FailedAuthentication. */
  readonly code: string;
  readonly reason: string;
  /** The local name of the detail's first child, e.g. InsufficientStockFault. */
  readonly detailName?: string;
  readonly detail?: Record<string, unknown>;
}

export interface Reply {
  readonly status: number;
  readonly headers: Headers;
  readonly text: string;
  /** The payload (the Body's first child), when not a fault. */
  readonly payload?: Record<string, unknown>;
  readonly fault?: Fault;
}

const ARRAYS = new Set(['line', 'stockLevel', 'orderSummary', 'violation']);
const parser = new XMLParser({
  removeNSPrefix: true,
  ignoreAttributes: true,
  parseTagValue: false,
  isArray: (name) => ARRAYS.has(name),
});

export function parseReply(status: number, headers: Headers, text: string): Reply {
  const parsed = parser.parse(text) as { Envelope?: { Body?: Record<string, Record<string, unknown>> } };
  const body = parsed.Envelope?.Body;
  if (body === undefined) return { status, headers, text };
  const [name, content] = Object.entries(body)[0] ?? [];
  if (name === 'Fault') {
    const fault = content as {
      faultcode?: string;
      faultstring?: string;
      detail?: Record<string, Record<string, unknown>>;
    };
    const [detailName, detail] = Object.entries(fault.detail ?? {})[0] ?? [];
    return {
      status,
      headers,
      text,
      fault: {
        code: String(fault.faultcode ?? '').replace(/^.*:/, ''),
        reason: String(fault.faultstring ?? ''),
        detailName,
        detail,
      },
    };
  }
  return { status, headers, text, payload: content };
}

export async function call(url: string, action: string, soapEnvelope: string, timeoutMs = 30_000): Promise<Reply> {
  const response = await fetch(url, {
    method: 'POST',
    headers: { 'Content-Type': 'text/xml; charset=utf-8', SOAPAction: `"urn:partner-orders:v1/${action}"` },
    body: soapEnvelope,
    signal: AbortSignal.timeout(timeoutMs),
  });
  return parseReply(response.status, response.headers, await response.text());
}

// ---- typed views of payloads -----------------------------------------------------------------

export interface OrderView {
  orderId: string;
  partnerOrderRef: string;
  status: string;
  total: string;
  lines: Array<{ lineNumber: number; sku: string; quantity: number; unitPrice: string; lineTotal: string }>;
}

export function orderOf(reply: Reply): OrderView {
  const order = reply.payload?.order as Record<string, unknown> | undefined;
  if (order === undefined) throw new Error(`no order in the reply (HTTP ${reply.status}): ${reply.text.slice(0, 500)}`);
  const lines = (order.line as Array<Record<string, string>>).map((line) => ({
    lineNumber: Number(line.lineNumber),
    sku: line.sku!,
    quantity: Number(line.quantity),
    unitPrice: line.unitPrice!,
    lineTotal: line.lineTotal!,
  }));
  return {
    orderId: String(order.orderId),
    partnerOrderRef: String(order.partnerOrderRef),
    status: String(order.status),
    total: String(order.total),
    lines,
  };
}

export interface StockView {
  sku: string;
  onHand: number;
  reserved: number;
  available: number;
}

export function stockLevelsOf(reply: Reply): StockView[] {
  const levels = reply.payload?.stockLevel as Array<Record<string, string>> | undefined;
  if (levels === undefined)
    throw new Error(`no stock levels in the reply (HTTP ${reply.status}): ${reply.text.slice(0, 500)}`);
  return levels.map((level) => ({
    sku: level.sku!,
    onHand: Number(level.onHand),
    reserved: Number(level.reserved),
    available: Number(level.available),
  }));
}

/**
 * Request bodies and reply parsing for the end-to-end ops suites (v1 contract, SOAP 1.1 unless said).
 */
import { createHash, randomBytes } from 'node:crypto';
import { soap11 } from '../../support/app-server';

export interface Credentials {
  username: string;
  password: string;
}

export interface Reply {
  status: number;
  body: string;
  headers: Headers;
}

export const WSU_NS = 'http://docs.oasis-open.org/wss/2004/01/oasis-200401-wss-wssecurity-utility-1.0.xsd';

export async function post(
  url: string,
  action: string,
  envelope: string | Buffer,
  headers: Record<string, string> = {},
): Promise<Reply> {
  const response = await fetch(url, {
    method: 'POST',
    headers: { 'Content-Type': 'text/xml; charset=utf-8', SOAPAction: `"urn:partner-orders:v1/${action}"`, ...headers },
    body: typeof envelope === 'string' ? envelope : new Uint8Array(envelope),
  });
  return { status: response.status, body: await response.text(), headers: response.headers };
}

/** soap11 with a wsu:Timestamp next to the UsernameToken, for partners whose policy requires one. */
export function soap11WithTimestamp(body: string, credentials: Credentials): string {
  const created = new Date().toISOString();
  const expires = new Date(Date.now() + 300_000).toISOString();
  return soap11(body, credentials).replace(
    '<wsse:UsernameToken>',
    `<wsu:Timestamp xmlns:wsu="${WSU_NS}"><wsu:Created>${created}</wsu:Created><wsu:Expires>${expires}</wsu:Expires></wsu:Timestamp><wsse:UsernameToken>`,
  );
}

const TOKEN_PROFILE = 'http://docs.oasis-open.org/wss/2004/01/oasis-200401-wss-username-token-profile-1.0';
const BASE64_BINARY = 'http://docs.oasis-open.org/wss/2004/01/oasis-200401-wss-soap-message-security-1.0#Base64Binary';

/**
 * A UsernameToken PasswordDigest envelope with a fresh nonce on every call, as a client library builds it:
 * Base64(SHA-1(nonce + created + password)) per the token profile. Cheap for the server to check (no
 * scrypt), and a resent request must be built again, since its nonce is burnt once an instance saw it.
 */
export function soap11Digest(body: string, credentials: Credentials): string {
  const nonce = randomBytes(16);
  const created = new Date().toISOString();
  const digest = createHash('sha1')
    .update(Buffer.concat([nonce, Buffer.from(created + credentials.password, 'utf8')]))
    .digest('base64');
  return soap11(body, credentials).replace(
    /<wsse:Password [^>]*>[^<]*<\/wsse:Password>/,
    `<wsse:Password Type="${TOKEN_PROFILE}#PasswordDigest">${digest}</wsse:Password>` +
      `<wsse:Nonce EncodingType="${BASE64_BINARY}">${nonce.toString('base64')}</wsse:Nonce>` +
      `<wsu:Created xmlns:wsu="${WSU_NS}">${created}</wsu:Created>`,
  );
}

/** A SOAP 1.2 envelope with a PasswordText UsernameToken. */
export function soap12(body: string, credentials: Credentials): string {
  return soap11(body, credentials).replace(
    'http://schemas.xmlsoap.org/soap/envelope/',
    'http://www.w3.org/2003/05/soap-envelope',
  );
}

/** A bare envelope (no header), for the independent signers to add WS-Security to. */
export function bareEnvelope(body: string): string {
  return `<soapenv:Envelope xmlns:soapenv="http://schemas.xmlsoap.org/soap/envelope/" xmlns:po="urn:partner-orders:v1"><soapenv:Header/><soapenv:Body>${body}</soapenv:Body></soapenv:Envelope>`;
}

export const getProduct = (sku: string) => `<po:GetProductRequest><po:sku>${sku}</po:sku></po:GetProductRequest>`;
export const searchProducts = (text: string) =>
  `<po:SearchProductsRequest><po:text>${text}</po:text></po:SearchProductsRequest>`;
export const getStockLevels = (sku: string) =>
  `<po:GetStockLevelsRequest><po:sku>${sku}</po:sku></po:GetStockLevelsRequest>`;
export const getOrder = (orderId: string) =>
  `<po:GetOrderRequest><po:orderId>${orderId}</po:orderId></po:GetOrderRequest>`;
export const adjustStock = (sku: string, delta: number) =>
  `<po:AdjustStockRequest><po:sku>${sku}</po:sku><po:delta>${delta}</po:delta><po:reason>e2e test</po:reason></po:AdjustStockRequest>`;

export const upsertProduct = (sku: string, name: string, category: string, price: string) =>
  `<po:UpsertProductRequest><po:product><po:sku>${sku}</po:sku><po:name>${name}</po:name><po:category>${category}</po:category>` +
  `<po:unitPrice>${price}</po:unitPrice><po:currency>EUR</po:currency><po:active>true</po:active></po:product></po:UpsertProductRequest>`;

export interface OrderLineInput {
  sku: string;
  quantity: number;
}

export const submitOrder = (partnerOrderRef: string, lines: readonly OrderLineInput[]) =>
  `<po:SubmitOrderRequest><po:partnerOrderRef>${partnerOrderRef}</po:partnerOrderRef>` +
  '<po:shipTo><po:name>ACME Receiving</po:name><po:line1>Dock 4</po:line1><po:city>Hamburg</po:city><po:postalCode>20095</po:postalCode><po:countryCode>DE</po:countryCode></po:shipTo>' +
  lines.map((l) => `<po:line><po:sku>${l.sku}</po:sku><po:quantity>${l.quantity}</po:quantity></po:line>`).join('') +
  '</po:SubmitOrderRequest>';

/** Text of the first element with this local name (any prefix). */
export function textOf(xml: string, localName: string): string | undefined {
  return new RegExp(`<(?:[\\w.-]+:)?${localName}(?:\\s[^>]*)?>([^<]*)</(?:[\\w.-]+:)?${localName}>`).exec(xml)?.[1];
}

/** Text of every element with this local name. */
export function textsOf(xml: string, localName: string): string[] {
  const pattern = new RegExp(`<(?:[\\w.-]+:)?${localName}(?:\\s[^>]*)?>([^<]*)</(?:[\\w.-]+:)?${localName}>`, 'g');
  return [...xml.matchAll(pattern)].map((m) => m[1]);
}

/** SOAP 1.1 faultcode text (e.g. "soap:Client", "wsse:InvalidSecurity"), undefined when no fault. */
export const faultcode11 = (xml: string) => /<faultcode>([^<]+)<\/faultcode>/.exec(xml)?.[1];

/** Markers of a leaked stack trace or internal detail in a response. */
export const STACK_TRACE =
  /\bat [\w.<>$]+ \(|\bat (?:async )?[^\s]+:\d+:\d+|node:internal|\/src\/[\w/-]+\.ts|TypeError|ReferenceError|Error: /;

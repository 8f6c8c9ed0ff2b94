/**
 * The correlation id of an exchange: the WS-Addressing MessageID when the envelope carries one, else the
 * X-Request-Id HTTP header, else a fresh UUID. It is echoed as X-Request-Id and quoted in generic faults,
 * so only ids made of safe characters are taken from the client.
 */
import { randomUUID } from 'node:crypto';
import type { IncomingHttpHeaders } from 'node:http';
import type { SoapHeaderBlock } from './pipeline';

export const WSA_NS = 'http://www.w3.org/2005/08/addressing';
/** The 2004/08 submission namespace older WCF and Axis2 clients send (see src/soap/addressing/versions.ts). */
const WSA_SUBMISSION_NS = 'http://schemas.xmlsoap.org/ws/2004/08/addressing';
export const REQUEST_ID_HEADER = 'x-request-id';

const SAFE_ID = /^[A-Za-z0-9._:@/+=-]{1,200}$/;

export function isSafeCorrelationId(id: string): boolean {
  return SAFE_ID.test(id);
}

/** X-Request-Id when present and safe, else a generated UUID. */
export function transportCorrelationId(headers: IncomingHttpHeaders): string {
  const header = headers[REQUEST_ID_HEADER];
  const value = (Array.isArray(header) ? header[0] : header)?.trim();
  return value !== undefined && SAFE_ID.test(value) ? value : randomUUID();
}

/** The WS-Addressing MessageID header's value when present and safe. */
export function addressingMessageId(headers: readonly SoapHeaderBlock[]): string | undefined {
  for (const block of headers) {
    const el = block.element;
    if (el.local === 'MessageID' && (el.ns === WSA_NS || el.ns === WSA_SUBMISSION_NS)) {
      const value = el.text.trim();
      return SAFE_ID.test(value) ? value : undefined;
    }
  }
  return undefined;
}

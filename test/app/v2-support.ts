/**
 * Requests to the v2 endpoints: SOAP 1.1 envelopes binding the `po` prefix to urn:partner-orders:v2.
 */
import { soap11 } from '../support/app-server';

export const V2_NS = 'urn:partner-orders:v2';

export function soap11v2(body: string, credentials?: { username: string; password: string }): string {
  return soap11(body, credentials).replace('xmlns:po="urn:partner-orders:v1"', `xmlns:po="${V2_NS}"`);
}

export async function postV2(
  url: string,
  action: string,
  envelope: string,
): Promise<{ status: number; body: string; headers: Headers }> {
  const response = await fetch(url, {
    method: 'POST',
    headers: { 'Content-Type': 'text/xml; charset=utf-8', SOAPAction: `"${V2_NS}/${action}"` },
    body: envelope,
  });
  return { status: response.status, body: await response.text(), headers: response.headers };
}

/** The text of the first element with this local name (any prefix), or undefined. */
export function textOf(xml: string, localName: string): string | undefined {
  const match = new RegExp(`<(?:[A-Za-z0-9_]+:)?${localName}(?:\\s[^>]*)?>([^<]*)</`).exec(xml);
  return match?.[1];
}

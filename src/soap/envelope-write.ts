/**
 * Writing SOAP envelopes around already-serialized content. Plain string concatenation of
 * precomputed pieces: the response path builds no DOM and no per-request templates.
 */
import { SOAP11_CONTENT_TYPE, SOAP11_ENVELOPE_NS, SOAP12_CONTENT_TYPE, SOAP12_ENVELOPE_NS } from './constants';
import type { SoapVersion } from './schema/model';

/** The prefix the engine writes for the envelope namespace, in both versions. */
export const ENVELOPE_PREFIX = 'soap';

export function envelopeNamespace(version: SoapVersion): string {
  return version === '1.1' ? SOAP11_ENVELOPE_NS : SOAP12_ENVELOPE_NS;
}

export function soapContentType(version: SoapVersion): string {
  return version === '1.1' ? SOAP11_CONTENT_TYPE : SOAP12_CONTENT_TYPE;
}

const OPEN_11 = `<?xml version="1.0" encoding="utf-8"?><soap:Envelope xmlns:soap="${SOAP11_ENVELOPE_NS}">`;
const OPEN_12 = `<?xml version="1.0" encoding="utf-8"?><soap:Envelope xmlns:soap="${SOAP12_ENVELOPE_NS}">`;
const CLOSE = '</soap:Body></soap:Envelope>';

/**
 * `<soap:Envelope>[<soap:Header>blocks</soap:Header>]<soap:Body>content</soap:Body></soap:Envelope>`.
 * Header blocks and body content must be complete elements declaring their own namespaces.
 */
export function wrapEnvelope(version: SoapVersion, headerBlocks: readonly string[], bodyContent: string): string {
  const open = version === '1.1' ? OPEN_11 : OPEN_12;
  if (headerBlocks.length === 0) return open + '<soap:Body>' + bodyContent + CLOSE;
  return open + '<soap:Header>' + headerBlocks.join('') + '</soap:Header><soap:Body>' + bodyContent + CLOSE;
}

const XML_ESCAPES: Record<string, string> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&apos;' };
const NEEDS_ESCAPE = /[&<>"']/;
const ESCAPE_ALL = /[&<>"']/g;

/** Escapes text for element content and (double- or single-quoted) attribute values. */
export function escapeXml(text: string): string {
  if (!NEEDS_ESCAPE.test(text)) return text;
  return text.replace(ESCAPE_ALL, (c) => XML_ESCAPES[c] ?? c);
}

/**
 * Characters XML 1.0 cannot carry at all (most C0 controls, lone surrogates, U+FFFE/U+FFFF). Fault reasons
 * may quote client input, so they are replaced rather than producing a response no client can parse.
 */
const NOT_XML_CHAR =
  /[\u0000-\u0008\u000B\u000C\u000E-\u001F\uFFFE\uFFFF]|[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/g;

const TEXT_ESCAPE = /[&<>]/g;

/** Escapes character data (no quotes needed) after replacing characters XML cannot carry. */
export function escapeXmlText(text: string): string {
  return text.replace(NOT_XML_CHAR, '\uFFFD').replace(TEXT_ESCAPE, (c) => XML_ESCAPES[c] ?? c);
}

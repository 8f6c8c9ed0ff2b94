/**
 * Strict parsing of a SOAP 1.1 / 1.2 envelope: Envelope, optional Header, Body, nothing else; header
 * blocks with mustUnderstand and actor/role; the single document/literal payload element of Body.
 *
 * Unsigned traffic goes through the fast parser; signed traffic (options.dom) through the DOM so the
 * security layer can verify the very nodes the codec will decode.
 */
import { SoapFault } from './fault';
import type { ParsedEnvelope, SoapHeaderBlock } from './pipeline';
import { SOAP11_ENVELOPE_NS, SOAP12_ENVELOPE_NS } from './constants';
import type { SoapVersion } from './schema/model';
import type { XmlElement } from './xml/element';
import { domElementView, parseXmlDom } from './xml/dom';
import { parseXmlFast } from './xml/fast';
import type { XmlLimits } from './xml/guard';

export const XMLDSIG_NS = 'http://www.w3.org/2000/09/xmldsig#';

export interface ParseEnvelopeOptions {
  limits?: Partial<XmlLimits>;
  /**
   * Parse into a namespace-aware DOM (for signature verification); `ParsedEnvelope.dom` is then the Document.
   * When false, a header block that is or directly holds an XML-DSig element still switches to the DOM.
   */
  dom: boolean;
}

/**
 * Parses and checks a SOAP envelope. Throws XmlRejectedError (not well-formed or refused XML) or
 * SoapFault (VersionMismatch for an unknown envelope namespace, Sender for a structural problem).
 */
export function parseEnvelope(raw: Buffer, options: ParseEnvelopeOptions): ParsedEnvelope {
  let envelope: XmlElement;
  let dom: Document | undefined;
  if (options.dom) {
    dom = parseXmlDom(raw, { limits: options.limits });
    envelope = domElementView(dom.documentElement);
  } else {
    envelope = parseXmlFast(raw, { limits: options.limits });
    const parsed = checkEnvelope(envelope, undefined);
    // looksSigned() is a byte search a sender can dodge (e.g. a character reference in the namespace URI):
    // a signature found after resolving namespaces still gets the DOM, so it can be verified.
    if (parsed.headers.some(carriesSignature)) return parseEnvelope(raw, { ...options, dom: true });
    return parsed;
  }
  return checkEnvelope(envelope, dom);
}

function carriesSignature(block: SoapHeaderBlock): boolean {
  if (block.element.ns === XMLDSIG_NS) return true;
  for (const child of block.element.children) if (child.ns === XMLDSIG_NS) return true;
  return false;
}

/** A cheap byte search: does the message mention the XML-DSig namespace (and so need the DOM path)? */
export function looksSigned(raw: Buffer): boolean {
  return raw.indexOf(XMLDSIG_NS, 0, 'latin1') >= 0;
}

function versionOf(ns: string): SoapVersion | undefined {
  if (ns === SOAP11_ENVELOPE_NS) return '1.1';
  if (ns === SOAP12_ENVELOPE_NS) return '1.2';
  return undefined;
}

function sender(reason: string): SoapFault<never> {
  return SoapFault.sender(reason);
}

function hasText(el: XmlElement): boolean {
  const t = el.text;
  for (let i = 0; i < t.length; i++) {
    const c = t.charCodeAt(i);
    if (c !== 0x20 && c !== 0x9 && c !== 0xa && c !== 0xd) return true;
  }
  return false;
}

function checkEnvelope(envelope: XmlElement, dom: Document | undefined): ParsedEnvelope {
  if (envelope.local !== 'Envelope') {
    throw sender(`the root element must be a SOAP Envelope, not ${describe(envelope)}`);
  }
  const version = versionOf(envelope.ns);
  if (!version) {
    throw new SoapFault<never>({
      code: 'VersionMismatch',
      reason: `unsupported SOAP envelope namespace '${envelope.ns}' (expected ${SOAP11_ENVELOPE_NS} or ${SOAP12_ENVELOPE_NS})`,
    });
  }
  const envNs = envelope.ns;
  if (hasText(envelope)) throw sender('text is not allowed directly inside Envelope');

  const parts = envelope.children;
  let index = 0;
  let header: XmlElement | undefined;
  if (parts.length > 0 && parts[0].local === 'Header' && parts[0].ns === envNs) {
    header = parts[0];
    index = 1;
  }
  const body = parts[index];
  if (!body || body.local !== 'Body' || body.ns !== envNs) {
    throw sender(body ? `expected the SOAP Body, found ${describe(body)}` : 'the SOAP Body is missing');
  }
  if (index + 1 < parts.length) throw sender(`nothing may follow the SOAP Body (found ${describe(parts[index + 1])})`);

  const headers: SoapHeaderBlock[] = header ? readHeaderBlocks(header, version, envNs) : [];

  if (hasText(body)) throw sender('text is not allowed directly inside the SOAP Body');
  if (body.children.length > 1) {
    throw sender(`the SOAP Body must contain exactly one element (document/literal), found ${body.children.length}`);
  }
  const payload = body.children.length === 1 ? body.children[0] : undefined;
  return dom ? { version, envelope, headers, body, payload, dom } : { version, envelope, headers, body, payload };
}

function readHeaderBlocks(header: XmlElement, version: SoapVersion, envNs: string): SoapHeaderBlock[] {
  if (hasText(header)) throw sender('text is not allowed directly inside the SOAP Header');
  const blocks: SoapHeaderBlock[] = [];
  for (const element of header.children) {
    if (element.ns === '') throw sender(`header block ${element.local} must be namespace-qualified`);
    const mu = element.attr(envNs, 'mustUnderstand');
    let mustUnderstand = false;
    if (mu !== undefined) {
      const v = mu.trim();
      if (v === '1' || (version === '1.2' && v === 'true')) mustUnderstand = true;
      else if (v === '0' || (version === '1.2' && v === 'false')) mustUnderstand = false;
      else throw sender(`invalid mustUnderstand value '${mu}' on header block ${element.local}`);
    }
    const role = element.attr(envNs, version === '1.1' ? 'actor' : 'role');
    blocks.push(role === undefined ? { element, mustUnderstand } : { element, mustUnderstand, role: role.trim() });
  }
  return blocks;
}

function describe(el: XmlElement): string {
  return el.ns ? `{${el.ns}}${el.local}` : el.local;
}

/**
 * Strict parsing of a SOAP 1.1 / 1.2 envelope: Envelope, optional Header, Body, nothing else; header
 * blocks with mustUnderstand and actor/role; the single document/literal payload element of Body.
 *
 * Every message goes through the fast parser; one whose wsse:Security header holds a ds:Signature is
 * parsed again into the DOM, so the security layer can verify the very nodes the codec will decode.
 * Only that placement counts: a signature anywhere else is never verified, so it buys no second parse.
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
const WSSE_NS = 'http://docs.oasis-open.org/wss/2004/01/oasis-200401-wss-wssecurity-secext-1.0.xsd';

export interface ParseEnvelopeOptions {
  limits?: Partial<XmlLimits>;
  /**
   * Always parse into a namespace-aware DOM; `ParsedEnvelope.dom` is then the Document. When false, only
   * a wsse:Security header block directly holding a ds:Signature switches to the DOM.
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
    if (!parsed.headers.some(holdsSignature)) return parsed;
    // Decided on resolved namespaces, not on bytes: a namespace URI spelled with character references
    // still gets the DOM. The fast parse just passed the strict checks, so the DOM parse skips them.
    dom = parseXmlDom(raw, { limits: options.limits, strictChecksDone: true });
    envelope = domElementView(dom.documentElement);
  }
  return checkEnvelope(envelope, dom);
}

function holdsSignature(block: SoapHeaderBlock): boolean {
  if (block.element.ns !== WSSE_NS || block.element.local !== 'Security') return false;
  for (const child of block.element.children) if (child.ns === XMLDSIG_NS && child.local === 'Signature') return true;
  return false;
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

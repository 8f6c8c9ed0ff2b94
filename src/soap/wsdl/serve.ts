/**
 * `?wsdl` and `?xsd=<name>`: the contract's own documents, read once at start-up, with every
 * soap:address / soap12:address location pointing at the endpoint URL the client used and every
 * schemaLocation / location pointing at `<endpoint>?xsd=<name>` (or `?wsdl` for the main WSDL).
 *
 * Each document is split at start-up into literal text and slots (endpoint URL, document link), so a
 * request only concatenates strings.
 */
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import type { ContractDocument, ContractModel } from '../schema/model';
import { escapeXml } from '../envelope-write';
import { singleWsdlText } from './single-wsdl';
import { WSP_NS, type EndpointPolicy } from '../policy';

const WSDL_SOAP11_NS = 'http://schemas.xmlsoap.org/wsdl/soap/';
const WSDL_SOAP12_NS = 'http://schemas.xmlsoap.org/wsdl/soap12/';
const WSDL_NS = 'http://schemas.xmlsoap.org/wsdl/';
export const MAIN_WSDL_NAME = 'wsdl';

type TemplatePart =
  | string
  | { readonly slot: 'endpoint' }
  /** A port of another service of the same WSDL: its own path, on the scheme and host the client used. */
  | { readonly slot: 'origin'; readonly path: string }
  | { readonly slot: 'document'; readonly name: string };

/** Comments, CDATA, processing instructions and start tags; only start tags are rewritten. */
const MARKUP = /<!--[\s\S]*?-->|<!\[CDATA\[[\s\S]*?\]\]>|<\?[\s\S]*?\?>|<([A-Za-z_][\w.-]*:)?([A-Za-z_][\w.-]*)((?:\s+[^\s=/>]+\s*=\s*(?:"[^"]*"|'[^']*'))*)\s*\/?>/g;
const ATTRIBUTE = /([^\s=/>]+)(\s*=\s*)("([^"]*)"|'([^']*)')/g;
const NS_DECL = /\sxmlns:([A-Za-z_][\w.-]*)\s*=\s*(?:"([^"]*)"|'([^']*)')/g;

function soapBindingPrefixes(text: string, namespaces: readonly string[] = [WSDL_SOAP11_NS, WSDL_SOAP12_NS]): Set<string> {
  const prefixes = new Set<string>();
  for (const m of text.matchAll(NS_DECL)) {
    const ns = m[2] ?? m[3];
    if (namespaces.includes(ns ?? '')) prefixes.add(`${m[1]}:`);
  }
  return prefixes;
}

/**
 * Where the endpoint's WS-Policy goes: the policy itself at the end of wsdl:definitions, a
 * wsp:PolicyReference as the first child of each named wsdl:binding (WS-Policy 1.5 Attachment).
 */
export interface PolicyPlacement {
  readonly policy: EndpointPolicy;
  /** Local names of the wsdl:bindings that reference it (the served service's). */
  readonly bindings: ReadonlySet<string>;
}

function decodeAttr(value: string): string {
  return value.replace(/&(amp|lt|gt|quot|apos);/g, (_, e: string) => ({ amp: '&', lt: '<', gt: '>', quot: '"', apos: "'" })[e] ?? _);
}

const NAME_ATTRIBUTE = /\sname\s*=\s*(?:"([^"]*)"|'([^']*)')/;

function pathOfUrl(url: string): string | undefined {
  try {
    const parsed = new URL(url);
    return parsed.pathname + parsed.search;
  } catch {
    return undefined;
  }
}

/**
 * Splits one document into literal text and slots. The addresses of `service`'s ports become the
 * endpoint URL; those of other services keep their path on the client's scheme and host (they are served
 * by sibling endpoints of the same deployment). Without `service`, every SOAP address is the endpoint.
 */
export function compileTemplate(
  text: string, references: Readonly<Record<string, string>>, service?: string, placement?: PolicyPlacement,
): TemplatePart[] {
  const soapPrefixes = soapBindingPrefixes(text);
  const wsdlPrefixes = soapBindingPrefixes(text, [WSDL_NS]);
  if (text.includes(`xmlns="${WSDL_NS}"`)) wsdlPrefixes.add('');
  const parts: TemplatePart[] = [];
  let literal = '';
  let last = 0;
  let currentService: string | undefined;
  for (const tag of text.matchAll(MARKUP)) {
    const attrs = tag[3];
    if (attrs === undefined || attrs === '') continue;
    const prefix = tag[1] ?? '';
    const local = tag[2] ?? '';
    if (placement !== undefined && local === 'binding' && wsdlPrefixes.has(prefix) && !tag[0].endsWith('/>')) {
      const name = NAME_ATTRIBUTE.exec(attrs);
      if (name !== null && placement.bindings.has(name[1] ?? name[2] ?? '')) {
        const end = (tag.index ?? 0) + tag[0].length;
        literal += text.slice(last, end) + `<wsp:PolicyReference xmlns:wsp="${WSP_NS}" URI="#${placement.policy.id}"/>`;
        last = end;
      }
      continue;
    }
    if (local === 'service') {
      const name = NAME_ATTRIBUTE.exec(attrs);
      currentService = name === null ? undefined : name[1] ?? name[2];
      continue;
    }
    const isSoapAddress = local === 'address' && soapPrefixes.has(prefix);
    const attrsStart = (tag.index ?? 0) + 1 + prefix.length + local.length;
    for (const attr of attrs.matchAll(ATTRIBUTE)) {
      const name = attr[1];
      if (name !== 'location' && name !== 'schemaLocation') continue;
      const quoted = attr[3] ?? '';
      const valueStart = attrsStart + (attr.index ?? 0) + (attr[1] ?? '').length + (attr[2] ?? '').length + 1;
      const valueEnd = valueStart + quoted.length - 2;
      let slot: TemplatePart | undefined;
      if (isSoapAddress && name === 'location') {
        if (service === undefined || currentService === service) {
          slot = { slot: 'endpoint' };
        } else {
          const path = pathOfUrl(decodeAttr(attr[4] ?? attr[5] ?? ''));
          if (path !== undefined) slot = { slot: 'origin', path };
        }
      } else if (!isSoapAddress) {
        const target = references[decodeAttr(attr[4] ?? attr[5] ?? '')];
        if (target !== undefined) slot = { slot: 'document', name: target };
      }
      if (slot === undefined) continue;
      literal += text.slice(last, valueStart);
      parts.push(literal, slot);
      literal = '';
      last = valueEnd;
    }
  }
  if (placement !== undefined) {
    const close = text.lastIndexOf('definitions>');
    const open = close < 0 ? -1 : text.lastIndexOf('</', close);
    if (open >= last) {
      literal += text.slice(last, open) + placement.policy.xml;
      last = open;
    }
  }
  literal += text.slice(last);
  parts.push(literal);
  return parts;
}

interface CompiledDocument {
  readonly doc: ContractDocument;
  readonly parts: readonly TemplatePart[];
}

export class ContractDocuments {
  private readonly byName = new Map<string, CompiledDocument>();
  private readonly main: CompiledDocument | undefined;
  /** `?singleWsdl`: the main WSDL with every schema inline (single-wsdl.ts). */
  private readonly single: CompiledDocument | undefined;

  /**
   * Reads every document of the contract from `documentRoot` (ContractDocument.path is relative to it).
   * `service` is the wsdl:service this endpoint serves (see compileTemplate).
   */
  constructor(contract: ContractModel, documentRoot: string, service?: string, policy?: EndpointPolicy) {
    const placement = policy === undefined ? undefined : { policy, bindings: bindingsOf(contract, service) };
    const texts = new Map<string, string>();
    for (const doc of contract.documents) {
      const file = resolve(documentRoot, doc.path);
      let text: string;
      try {
        text = readFileSync(file, 'utf8');
      } catch (err) {
        throw new Error(`contract '${contract.id}': cannot read document '${doc.name}' at ${file}: ${(err as Error).message}`);
      }
      if (text.charCodeAt(0) === 0xfeff) text = text.slice(1);
      texts.set(doc.name, text);
      this.byName.set(doc.name, { doc, parts: compileTemplate(text, doc.references, service, doc.kind === 'wsdl' ? placement : undefined) });
    }
    this.main = this.byName.get(MAIN_WSDL_NAME) ?? [...this.byName.values()].find((d) => d.doc.kind === 'wsdl');
    const single = this.main === undefined ? undefined : singleWsdlText(contract.documents, texts, this.main.doc);
    this.single = single === undefined || this.main === undefined ? undefined : { doc: this.main.doc, parts: compileTemplate(single, {}, service, placement) };
  }

  /** The main WSDL with every schema inline, for a client at `endpointUrl`; undefined when there is none. */
  singleWsdl(endpointUrl: string): string | undefined {
    return this.single === undefined ? undefined : this.render(this.single, endpointUrl);
  }

  /** The main WSDL for a client that reached us at `endpointUrl`; undefined when the contract has none. */
  wsdl(endpointUrl: string): string | undefined {
    return this.main === undefined ? undefined : this.render(this.main, endpointUrl);
  }

  /** A document by its `?xsd=` name; undefined for unknown names. */
  document(name: string, endpointUrl: string): string | undefined {
    const compiled = this.byName.get(name);
    return compiled === undefined ? undefined : this.render(compiled, endpointUrl);
  }

  private render(compiled: CompiledDocument, endpointUrl: string): string {
    const endpoint = escapeXml(endpointUrl);
    let out = '';
    for (const part of compiled.parts) {
      if (typeof part === 'string') out += part;
      else if (part.slot === 'endpoint') out += endpoint;
      else if (part.slot === 'origin') out += escapeXml(originOf(endpointUrl) + part.path);
      else if (this.main !== undefined && part.name === this.main.doc.name) out += `${endpoint}?wsdl`;
      else out += `${endpoint}?xsd=${escapeXml(encodeURIComponent(part.name))}`;
    }
    return out;
  }
}

/** Local names of the bindings of the service's ports (of every port when no service is named). */
function bindingsOf(contract: ContractModel, service: string | undefined): Set<string> {
  const ports = contract.services.filter((s) => service === undefined || s.name === service).flatMap((s) => s.ports);
  return new Set(ports.map((p) => p.binding.slice(p.binding.indexOf('}') + 1)));
}

/** `https://host:port` of an absolute URL. */
function originOf(url: string): string {
  const slash = url.indexOf('/', url.indexOf('//') + 2);
  return slash < 0 ? url : url.slice(0, slash);
}

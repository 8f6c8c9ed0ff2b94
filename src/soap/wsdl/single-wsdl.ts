/**
 * `?singleWsdl` (WCF's name for it): the main WSDL with every XSD it reaches through xs:import /
 * xs:include inlined into wsdl:types, one xs:schema per document, so a client needs one GET and no
 * schemaLocation. Built once at start-up from the texts ContractDocuments already read.
 *
 * - xs:include elements go (the included document becomes a sibling xs:schema of the same namespace); a
 *   chameleon include (no targetNamespace) gets the includer's, and its unprefixed names resolve there.
 * - xs:import elements stay, without schemaLocation: the imported namespace is inline in the same wsdl:types.
 * - each document is inlined once per target namespace; a location that is no document of the contract
 *   is left as written.
 */
import { DOMParser, XMLSerializer } from '@xmldom/xmldom';
import type { ContractDocument } from '../schema/model';

const WSDL_NS = 'http://schemas.xmlsoap.org/wsdl/';
const XSD_NS = 'http://www.w3.org/2001/XMLSchema';
const XMLNS_NS = 'http://www.w3.org/2000/xmlns/';
const ELEMENT_NODE = 1;

function parse(text: string, name: string): Document {
  const problems: string[] = [];
  const parser = new DOMParser({
    errorHandler: { warning: () => undefined, error: (m: string) => problems.push(m), fatalError: (m: string) => problems.push(m) },
  });
  const doc = parser.parseFromString(text, 'text/xml') as unknown as Document;
  if (problems.length > 0 || doc.documentElement === null) throw new Error(`?singleWsdl: cannot parse contract document '${name}': ${problems[0] ?? 'no root element'}`);
  return doc;
}

function childElements(parent: Element): Element[] {
  const out: Element[] = [];
  for (let node = parent.firstChild; node !== null; node = node.nextSibling) {
    if (node.nodeType === ELEMENT_NODE) out.push(node as Element);
  }
  return out;
}

interface Pending {
  readonly name: string;
  /** The includer's namespace, for a chameleon include. */
  readonly includedInto: string | undefined;
}

/** The single-document WSDL text, or undefined when the contract has no WSDL with wsdl:types. */
export function singleWsdlText(documents: readonly ContractDocument[], texts: ReadonlyMap<string, string>, main: ContractDocument): string | undefined {
  const byName = new Map(documents.map((d) => [d.name, d]));
  const mainText = texts.get(main.name);
  if (mainText === undefined) return undefined;
  const wsdl = parse(mainText, main.name);
  const types = childElements(wsdl.documentElement).find((e) => e.namespaceURI === WSDL_NS && e.localName === 'types');
  if (types === undefined) return undefined;

  const queue: Pending[] = [];
  const detachReferences = (schema: Element, doc: ContractDocument, namespace: string | undefined): void => {
    for (const child of childElements(schema)) {
      if (child.namespaceURI !== XSD_NS || (child.localName !== 'include' && child.localName !== 'import')) continue;
      const location = child.getAttribute('schemaLocation');
      if (location === null || location === '') continue;
      const target = doc.references[location];
      // Not a document of this contract (e.g. a remote location the loader left alone): kept as written.
      if (target === undefined) continue;
      if (child.localName === 'include') {
        schema.removeChild(child);
        queue.push({ name: target, includedInto: namespace });
      } else {
        child.removeAttribute('schemaLocation');
        queue.push({ name: target, includedInto: undefined });
      }
    }
  };

  for (const schema of childElements(types)) {
    if (schema.namespaceURI === XSD_NS && schema.localName === 'schema') detachReferences(schema, main, schema.getAttribute('targetNamespace') ?? undefined);
  }
  const inlined = new Set<string>();
  for (let pending = queue.shift(); pending !== undefined; pending = queue.shift()) {
    const doc = byName.get(pending.name);
    const text = texts.get(pending.name);
    if (doc === undefined || text === undefined) throw new Error(`?singleWsdl: contract document '${pending.name}' was not read`);
    const root = parse(text, doc.name).documentElement;
    const own = root.getAttribute('targetNamespace');
    const chameleon = (own === null || own === '') && pending.includedInto !== undefined;
    const namespace = chameleon ? pending.includedInto : own ?? undefined;
    const key = `${doc.name}\u0000${namespace ?? ''}`;
    if (inlined.has(key)) continue;
    inlined.add(key);
    if (chameleon && namespace !== undefined) {
      root.setAttribute('targetNamespace', namespace);
      if (!root.hasAttribute('xmlns')) root.setAttributeNS(XMLNS_NS, 'xmlns', namespace);
    } else if (!root.hasAttribute('xmlns')) {
      // Inside the WSDL it would inherit the WSDL's default namespace; keep the document's meaning.
      root.setAttributeNS(XMLNS_NS, 'xmlns', '');
    }
    detachReferences(root, doc, namespace);
    types.appendChild(wsdl.importNode(root, true));
  }
  const body = new XMLSerializer().serializeToString(wsdl.documentElement);
  return `<?xml version="1.0" encoding="UTF-8"?>\n${body}\n`;
}

/**
 * The DOM path for signed traffic: a strict parse into an @xmldom/xmldom Document (what xml-crypto
 * verifies) and an XmlElement view over its nodes, so the codec decodes the very nodes whose
 * signature was checked.
 */
import { DOMParser } from '@xmldom/xmldom';
import type { XmlAttribute, XmlElement } from './element';
import { escapeAttribute, escapeText } from './escape';
import { parseXmlFast, XML_NS } from './fast';
import { XmlRejectedError, decodeXmlText, type XmlLimits } from './guard';

const ELEMENT_NODE = 1;
const TEXT_NODE = 3;
const CDATA_SECTION_NODE = 4;
const XMLNS_ATTR_NS = 'http://www.w3.org/2000/xmlns/';

export interface DomParseOptions {
  limits?: Partial<XmlLimits>;
  /** The same text already passed parseXmlFast with these limits (the envelope parser's case). */
  strictChecksDone?: boolean;
}

/**
 * Parses bytes into a namespace-aware DOM. The same strict checks as the fast path run first (DOCTYPE,
 * PIs, depth, element count, well-formedness, namespaces); any xmldom warning or error is a rejection too.
 */
export function parseXmlDom(input: Buffer | Uint8Array | string, options: DomParseOptions = {}): Document {
  const text = typeof input === 'string' ? input : decodeXmlText(input);
  if (!options.strictChecksDone) parseXmlFast(text, { limits: options.limits });
  const complaints: string[] = [];
  const parser = new DOMParser({
    errorHandler: {
      warning: (msg: string) => {
        complaints.push(msg);
      },
      error: (msg: string) => {
        complaints.push(msg);
      },
      fatalError: (msg: string) => {
        complaints.push(msg);
      },
    },
  });
  let doc: Document;
  try {
    doc = parser.parseFromString(text, 'text/xml') as unknown as Document;
  } catch (err) {
    throw new XmlRejectedError('malformed', `XML rejected: ${(err as Error).message}`);
  }
  if (complaints.length > 0) throw new XmlRejectedError('malformed', `XML rejected: ${complaints[0].split('\n')[0]}`);
  if (!doc || !doc.documentElement) throw new XmlRejectedError('malformed', 'no root element');
  return doc;
}

// The view lives on the node itself: a WeakMap entry per element of every signed message showed as 4.4%
// of a signed request's CPU (plus ephemeron work in the GC). The documents are ours and die with the request.
const VIEW = Symbol('XmlElement view');
type ViewedElement = Element & { [VIEW]?: DomElementView };

/** The (cached, hence identity-stable) XmlElement view of a DOM element. */
export function domElementView(el: Element): XmlElement {
  const node = el as ViewedElement;
  let view = node[VIEW];
  if (view === undefined) {
    view = new DomElementView(el);
    node[VIEW] = view;
  }
  return view;
}

/** The DOM element behind a view, or undefined when the view came from the fast parser. */
export function domNodeOf(view: XmlElement): Element | undefined {
  return view instanceof DomElementView ? view.node : undefined;
}

function isNamespaceDeclaration(a: Attr): boolean {
  return a.namespaceURI === XMLNS_ATTR_NS || a.name === 'xmlns' || a.name.startsWith('xmlns:');
}

class DomAttribute implements XmlAttribute {
  constructor(
    readonly ns: string,
    readonly local: string,
    readonly value: string,
  ) {}
}

class DomElementView implements XmlElement {
  readonly ns: string;
  readonly local: string;
  readonly prefix: string;
  private cachedAttributes: readonly XmlAttribute[] | undefined;
  private cachedChildren: readonly XmlElement[] | undefined;
  private cachedText: string | undefined;
  private cachedMixed: boolean | undefined;

  constructor(readonly node: Element) {
    this.ns = node.namespaceURI ?? '';
    this.local = node.localName ?? node.nodeName;
    this.prefix = node.prefix ?? '';
  }

  get attributes(): readonly XmlAttribute[] {
    if (!this.cachedAttributes) {
      const out: XmlAttribute[] = [];
      const attrs = this.node.attributes;
      for (let i = 0; i < attrs.length; i++) {
        const a = attrs.item(i) as Attr;
        if (isNamespaceDeclaration(a)) continue;
        out.push(new DomAttribute(a.namespaceURI ?? '', a.localName ?? a.name, a.value));
      }
      this.cachedAttributes = out;
    }
    return this.cachedAttributes;
  }

  get children(): readonly XmlElement[] {
    if (!this.cachedChildren) {
      const out: XmlElement[] = [];
      for (let n = this.node.firstChild; n; n = n.nextSibling) {
        if (n.nodeType === ELEMENT_NODE) out.push(domElementView(n as Element));
      }
      this.cachedChildren = out;
    }
    return this.cachedChildren;
  }

  get text(): string {
    if (this.cachedText === undefined) {
      let t = '';
      for (let n = this.node.firstChild; n; n = n.nextSibling) {
        if (n.nodeType === TEXT_NODE || n.nodeType === CDATA_SECTION_NODE) t += (n as CharacterData).data;
      }
      this.cachedText = t;
    }
    return this.cachedText;
  }

  get hasMixedText(): boolean {
    if (this.cachedMixed === undefined) {
      this.cachedMixed = this.children.length > 0 && /[^ \t\r\n]/.test(this.text);
    }
    return this.cachedMixed;
  }

  lookupNamespace(prefix: string): string | undefined {
    if (prefix === 'xml') return XML_NS;
    const attrName = prefix === '' ? 'xmlns' : `xmlns:${prefix}`;
    for (let n: Node | null = this.node; n && n.nodeType === ELEMENT_NODE; n = n.parentNode) {
      const el = n as Element;
      if (el.hasAttribute(attrName)) return el.getAttribute(attrName) ?? '';
    }
    return prefix === '' ? '' : undefined;
  }

  attr(ns: string, local: string): string | undefined {
    for (const a of this.attributes) if (a.local === local && a.ns === ns) return a.value;
    return undefined;
  }

  toXml(): string {
    // Same output as FastElement.toXml: bindings in scope, nearest first, then the attributes.
    const seen = new Set<string>();
    let decls = '';
    for (let n: Node | null = this.node; n && n.nodeType === ELEMENT_NODE; n = n.parentNode) {
      const attrs = (n as Element).attributes;
      for (let i = 0; i < attrs.length; i++) {
        const a = attrs.item(i) as Attr;
        if (!isNamespaceDeclaration(a)) continue;
        const prefix = a.name === 'xmlns' ? '' : a.name.slice(6);
        if (seen.has(prefix)) continue;
        seen.add(prefix);
        decls += ` ${a.name}="${escapeAttribute(a.value)}"`;
      }
    }
    if (!seen.has('') && this.prefix === '') decls += ' xmlns=""';
    return serializeDom(this.node, decls);
  }
}

function serializeDom(el: Element, declarations: string | undefined): string {
  let out = '<' + el.nodeName;
  const attrs = el.attributes;
  if (declarations !== undefined) out += declarations;
  else {
    for (let i = 0; i < attrs.length; i++) {
      const a = attrs.item(i) as Attr;
      if (isNamespaceDeclaration(a)) out += ` ${a.name}="${escapeAttribute(a.value)}"`;
    }
  }
  for (let i = 0; i < attrs.length; i++) {
    const a = attrs.item(i) as Attr;
    if (!isNamespaceDeclaration(a)) out += ` ${a.name}="${escapeAttribute(a.value)}"`;
  }
  let inner = '';
  for (let n = el.firstChild; n; n = n.nextSibling) {
    if (n.nodeType === ELEMENT_NODE) inner += serializeDom(n as Element, undefined);
    else if (n.nodeType === TEXT_NODE || n.nodeType === CDATA_SECTION_NODE)
      inner += escapeText((n as CharacterData).data);
  }
  return inner === '' ? out + '/>' : out + '>' + inner + '</' + el.nodeName + '>';
}

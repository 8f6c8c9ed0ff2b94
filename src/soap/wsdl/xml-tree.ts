/**
 * A namespace-resolved, read-only element tree of a WSDL or XSD file, built from fast-xml-parser's
 * preserveOrder output. Contract files are read once at start-up or codegen time, so simplicity beats speed.
 */
import { XMLParser, XMLValidator } from 'fast-xml-parser';
import { ContractLoadError } from './errors';

const XML_NS = 'http://www.w3.org/XML/1998/namespace';
const XMLNS_NS = 'http://www.w3.org/2000/xmlns/';

export interface XNode {
  readonly ns: string;
  readonly local: string;
  /** Qualified name as written, for messages. */
  readonly qname: string;
  /** Attributes by name as written (prefix included), namespace declarations excluded. */
  readonly attrs: ReadonlyMap<string, string>;
  readonly children: readonly XNode[];
  /** Concatenated direct text content. */
  readonly text: string;
  /** Prefix -> namespace URI in scope at this element ('' = default namespace). */
  readonly scope: ReadonlyMap<string, string>;
}

/** fast-xml-parser's preserveOrder node: one tag key plus the optional ':@' attribute map. */
type OrderedNode = Record<string, unknown>;

const parser = new XMLParser({
  preserveOrder: true,
  ignoreAttributes: false,
  attributeNamePrefix: '',
  parseTagValue: false,
  parseAttributeValue: false,
  trimValues: false,
  processEntities: true,
  ignoreDeclaration: true,
  ignorePiTags: true,
});

/** Parse `text` (the content of `file`) into a namespace-resolved tree of its root element. */
export function parseXmlTree(text: string, file: string): XNode {
  const valid = XMLValidator.validate(text);
  if (valid !== true) {
    throw new ContractLoadError(file, 'XML', `not well-formed at line ${valid.err.line}: ${valid.err.msg}`);
  }
  if (/<!DOCTYPE/i.test(text)) {
    throw new ContractLoadError(file, 'DOCTYPE', 'document type declarations are not allowed in contract files');
  }
  let nodes: OrderedNode[];
  try {
    nodes = parser.parse(text) as OrderedNode[];
  } catch (err) {
    throw new ContractLoadError(file, 'XML', (err as Error).message);
  }
  const rootScope = new Map<string, string>([['xml', XML_NS]]);
  const roots = nodes.filter((n) => elementName(n) !== undefined);
  if (roots.length !== 1) throw new ContractLoadError(file, 'XML', 'expected exactly one root element');
  return buildNode(roots[0], rootScope, file, 0);
}

/** Contract documents nest a few dozen levels; deeper input is refused rather than risking the stack. */
const MAX_DEPTH = 1000;

function elementName(node: OrderedNode): string | undefined {
  for (const key of Object.keys(node)) {
    if (key !== ':@' && key !== '#text' && key !== '#comment' && !key.startsWith('?')) return key;
  }
  return undefined;
}

function buildNode(node: OrderedNode, parentScope: ReadonlyMap<string, string>, file: string, depth: number): XNode {
  const qname = elementName(node) as string;
  if (depth >= MAX_DEPTH) throw new ContractLoadError(file, `element <${qname}>`, `nests deeper than ${MAX_DEPTH} levels`);
  const rawAttrs = (node[':@'] ?? {}) as Record<string, string>;
  let scope = parentScope;
  const attrs = new Map<string, string>();
  for (const [name, value] of Object.entries(rawAttrs)) {
    if (name === 'xmlns' || name.startsWith('xmlns:')) {
      if (scope === parentScope) scope = new Map(parentScope);
      (scope as Map<string, string>).set(name === 'xmlns' ? '' : name.slice(6), value);
    } else {
      attrs.set(name, value);
    }
  }
  const colon = qname.indexOf(':');
  const prefix = colon < 0 ? '' : qname.slice(0, colon);
  const local = colon < 0 ? qname : qname.slice(colon + 1);
  const ns = scope.get(prefix);
  if (ns === undefined && prefix !== '') {
    throw new ContractLoadError(file, `element <${qname}>`, `namespace prefix "${prefix}" is not declared`);
  }
  const children: XNode[] = [];
  let text = '';
  for (const child of (node[qname] ?? []) as OrderedNode[]) {
    if ('#text' in child) text += String(child['#text']);
    else if (elementName(child) !== undefined) children.push(buildNode(child, scope, file, depth + 1));
  }
  return { ns: ns ?? '', local, qname, attrs, children, text, scope };
}

/** Child elements in namespace `ns` named `local` (any local name when omitted). */
export function childrenOf(node: XNode, ns: string, local?: string): XNode[] {
  return node.children.filter((c) => c.ns === ns && (local === undefined || c.local === local));
}

export function firstChild(node: XNode, ns: string, local: string): XNode | undefined {
  return node.children.find((c) => c.ns === ns && c.local === local);
}

/** Resolve a QName-valued attribute (e.g. type="tns:Foo") against the scope of `node`. */
export function resolveQName(node: XNode, value: string, file: string): { ns: string; local: string } {
  const trimmed = value.trim();
  const colon = trimmed.indexOf(':');
  const prefix = colon < 0 ? '' : trimmed.slice(0, colon);
  const local = colon < 0 ? trimmed : trimmed.slice(colon + 1);
  const ns = node.scope.get(prefix);
  if (ns === undefined) {
    if (prefix === '') return { ns: '', local };
    throw new ContractLoadError(file, `<${node.qname}>`, `namespace prefix "${prefix}" of "${trimmed}" is not declared`);
  }
  return { ns, local };
}

export { XML_NS, XMLNS_NS };

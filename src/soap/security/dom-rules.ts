/**
 * Structural rules checked on the one namespace-aware DOM before any signature is believed:
 * no DOCTYPE, Ids unique across the whole document, no comments or processing instructions inside
 * the security header, and small helpers to walk elements by namespace.
 */
import { wssFault } from './faults';

const ELEMENT_NODE = 1;
const COMMENT_NODE = 8;
const PROCESSING_INSTRUCTION_NODE = 7;
const DOCUMENT_TYPE_NODE = 10;

/** Attributes treated as element identifiers: the ones xml-crypto resolves (any namespace, e.g. wsu:Id). */
const ID_ATTRIBUTE_NAMES = new Set(['Id', 'ID', 'id']);

export function childElements(parent: Node): Element[] {
  const result: Element[] = [];
  for (let child = parent.firstChild; child; child = child.nextSibling) {
    if (child.nodeType === ELEMENT_NODE) result.push(child as Element);
  }
  return result;
}

export function childElementsNamed(parent: Node, ns: string, local: string): Element[] {
  return childElements(parent).filter((el) => el.namespaceURI === ns && el.localName === local);
}

/** Every element below (and including) `root`, depth-first, without recursion. */
export function descendantElements(root: Element): Element[] {
  const result: Element[] = [];
  const stack: Element[] = [root];
  while (stack.length) {
    const element = stack.pop()!;
    result.push(element);
    const kids = childElements(element);
    for (let i = kids.length - 1; i >= 0; i--) stack.push(kids[i]!);
  }
  return result;
}

export function descendantsNamed(root: Element, ns: string, local: string): Element[] {
  return descendantElements(root).filter((el) => el.namespaceURI === ns && el.localName === local);
}

/** Concatenated text of direct text and CDATA children. */
export function directText(element: Element): string {
  let text = '';
  for (let child = element.firstChild; child; child = child.nextSibling) {
    if (child.nodeType === 3 || child.nodeType === 4) text += (child as CharacterData).data;
  }
  return text;
}

/** Map from Id value to its element; any duplicate (across Id, ID, id, wsu:Id) is a wrapping attempt. */
export function indexIds(document: Document): Map<string, Element> {
  const ids = new Map<string, Element>();
  const root = document.documentElement;
  if (!root) throw wssFault('InvalidSecurity', 'empty document');
  for (const element of descendantElements(root)) {
    const attributes = element.attributes;
    for (let i = 0; i < attributes.length; i++) {
      const attribute = attributes.item(i)!;
      const local = attribute.localName ?? attribute.name;
      if (!ID_ATTRIBUTE_NAMES.has(local) || attribute.name.startsWith('xmlns')) continue;
      if (ids.has(attribute.value)) throw wssFault('InvalidSecurity', `duplicate Id "${attribute.value}"`);
      ids.set(attribute.value, element);
    }
  }
  return ids;
}

export function rejectDoctype(document: Document): void {
  for (let child = document.firstChild; child; child = child.nextSibling) {
    if (child.nodeType === DOCUMENT_TYPE_NODE) throw wssFault('InvalidSecurity', 'DOCTYPE in a secured message');
  }
}

/** Comments inside DigestValue or SignatureValue have been used to make two parsers see different values. */
export function rejectCommentsAndInstructions(root: Element, what: string): void {
  const stack: Node[] = [root];
  while (stack.length) {
    const node = stack.pop()!;
    if (node.nodeType === COMMENT_NODE || node.nodeType === PROCESSING_INSTRUCTION_NODE) {
      throw wssFault('InvalidSecurity', `comment or processing instruction inside ${what}`);
    }
    for (let child = node.firstChild; child; child = child.nextSibling) stack.push(child);
  }
}

/**
 * A tiny, neutral, read-only view of an XML element with namespaces resolved.
 *
 * The codec reads only this interface. Two adapters implement it:
 *  - src/soap/xml/fast.ts over fast-xml-parser output (unsigned traffic, the fast path);
 *  - src/soap/xml/dom.ts over an @xmldom/xmldom Element (signed traffic: the codec decodes the very
 *    nodes whose signature was verified).
 */
export interface XmlAttribute {
  /** Namespace URI; '' for unprefixed attributes. */
  readonly ns: string;
  readonly local: string;
  readonly value: string;
}

export interface XmlElement {
  /** Namespace URI; '' when the element is in no namespace. */
  readonly ns: string;
  readonly local: string;
  /** Prefix as written ('' for default namespace); for error messages and passthrough only. */
  readonly prefix: string;
  /** Attributes, excluding namespace declarations (xmlns, xmlns:*). */
  readonly attributes: readonly XmlAttribute[];
  /** Child elements in document order (text, comments and CDATA boundaries excluded). */
  readonly children: readonly XmlElement[];
  /** Concatenated character data of direct text/CDATA children, entity references already expanded. */
  readonly text: string;
  /** True when the element has non-whitespace text and child elements (mixed content). */
  readonly hasMixedText: boolean;
  /** Resolve a prefix in scope at this element ('' = default namespace); undefined when unbound. Needed for QName-valued content such as xsi:type. */
  lookupNamespace(prefix: string): string | undefined;
  /** Attribute value by namespace and local name. */
  attr(ns: string, local: string): string | undefined;
  /** Serialize this element (with the namespace declarations it needs) back to XML text; used for xs:any and header passthrough. */
  toXml(): string;
}

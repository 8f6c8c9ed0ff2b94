/**
 * The compiled contract: a plain, JSON-serialisable description of a WSDL and its schemas.
 *
 * The loader (src/soap/wsdl/load.ts) produces it from WSDL/XSD files; codegen writes it into
 * src/generated/<name>/contract.ts; the runtime hydrates it once at start-up (src/soap/schema/compile.ts)
 * into linked lookup tables, so nothing is parsed or resolved per request.
 *
 * Type references are strings "{namespace}localName" (Clark notation). Anonymous types get a
 * synthesized, stable key "{namespace}Outer/inner" chosen by the loader.
 */

export type TypeKey = string;

/** XSD built-in simple types the engine understands. */
export type BuiltinName =
  | 'string'
  | 'normalizedString'
  | 'token'
  | 'language'
  | 'Name'
  | 'NCName'
  | 'ID'
  | 'IDREF'
  | 'NMTOKEN'
  | 'anyURI'
  | 'QName'
  | 'boolean'
  | 'decimal'
  | 'integer'
  | 'long'
  | 'int'
  | 'short'
  | 'byte'
  | 'nonNegativeInteger'
  | 'positiveInteger'
  | 'nonPositiveInteger'
  | 'negativeInteger'
  | 'unsignedLong'
  | 'unsignedInt'
  | 'unsignedShort'
  | 'unsignedByte'
  | 'float'
  | 'double'
  | 'date'
  | 'dateTime'
  | 'time'
  | 'duration'
  | 'gYear'
  | 'gYearMonth'
  | 'gMonth'
  | 'gMonthDay'
  | 'gDay'
  | 'base64Binary'
  | 'hexBinary'
  | 'anyType'
  | 'anySimpleType';

/**
 * How a built-in is represented in TypeScript. Chosen so that no value loses meaning:
 * - 'string': string (also decimal: exact lexical form, date/time/duration: lexical form, no invented zone)
 * - 'number': JS number, only for types whose whole value space fits exactly (int and narrower, float, double)
 * - 'bigint': 64-bit and unbounded integers
 * - 'boolean'
 * - 'bytes': Buffer (base64Binary, hexBinary)
 */
export type JsRepr = 'string' | 'number' | 'bigint' | 'boolean' | 'bytes';

export interface Facets {
  enumeration?: string[];
  /**
   * XSD regular expressions, already translated to JS RegExp source for the `v` (unicodeSets) flag by
   * src/soap/wsdl/xsd-regex.ts (anchored by the runtime). Several = all must match (one per derivation step).
   */
  pattern?: string[];
  length?: number;
  minLength?: number;
  maxLength?: number;
  /** Bounds kept as lexical strings so decimal/long bounds stay exact. */
  minInclusive?: string;
  maxInclusive?: string;
  minExclusive?: string;
  maxExclusive?: string;
  totalDigits?: number;
  fractionDigits?: number;
  whiteSpace?: 'preserve' | 'replace' | 'collapse';
}

export interface SimpleTypeDef {
  kind: 'simple';
  /** Clark name of a named type; absent for anonymous types. */
  name?: TypeKey;
  /** The built-in at the root of the restriction chain. */
  builtin: BuiltinName;
  /** Facets merged down the restriction chain (most restrictive wins; patterns accumulate). */
  facets: Facets;
  /** xs:list of this item type (value is an array). `builtin` is then the item's built-in and the facets apply to the list (length = item count). */
  listOf?: TypeKey;
  /**
   * xs:union of these member types, tried in order (the first that accepts a text gives its value; the first
   * that can write a value writes it). `builtin` is then anySimpleType; pattern and enumeration facets apply to
   * the lexical form.
   */
  unionOf?: TypeKey[];
  documentation?: string;
}

export interface ElementDecl {
  kind: 'element';
  /** Local name on the wire. */
  name: string;
  /** Namespace URI on the wire; '' when unqualified. */
  ns: string;
  /** Property name in the generated TypeScript type. */
  prop: string;
  type: TypeKey;
  minOccurs: number;
  /** -1 means unbounded. */
  maxOccurs: number;
  nillable: boolean;
  /** Default/fixed values, lexical. */
  default?: string;
  fixed?: string;
  documentation?: string;
}

export interface ModelGroup {
  kind: 'sequence' | 'choice' | 'all';
  minOccurs: number;
  /** -1 means unbounded. */
  maxOccurs: number;
  particles: Particle[];
}

/** xs:any: accepted and kept as raw XML elements (lax/skip processing). */
export interface AnyParticle {
  kind: 'any';
  prop: string;
  minOccurs: number;
  maxOccurs: number;
  /** '##any', '##other', '##local', '##targetNamespace' or a space-separated list of URIs, as written. */
  namespace: string;
  processContents: 'strict' | 'lax' | 'skip';
}

export type Particle = ElementDecl | ModelGroup | AnyParticle;

export interface AttributeDecl {
  name: string;
  /** '' when unqualified (the usual case for attributes). */
  ns: string;
  prop: string;
  type: TypeKey;
  required: boolean;
  default?: string;
  fixed?: string;
}

/** xs:anyAttribute: attributes no declaration names, kept as lexical strings (the `$attributes` property). */
export interface AttributeWildcard {
  /** '##any', '##other', '##local', '##targetNamespace' or a space-separated list of URIs, as written. */
  namespace: string;
  processContents: 'strict' | 'lax' | 'skip';
}

export interface ComplexTypeDef {
  kind: 'complex';
  name?: TypeKey;
  /** Base type when derived by extension; the content below is already flattened (base first). */
  base?: TypeKey;
  abstract?: boolean;
  /** Element content; null for empty content or simple content. */
  content: ModelGroup | null;
  attributes: AttributeDecl[];
  /** xs:anyAttribute (own or inherited by extension). */
  anyAttribute?: AttributeWildcard;
  /** simpleContent: the text value's type, held in the `$value` property. */
  simpleContent?: TypeKey;
  mixed?: boolean;
  documentation?: string;
}

export type TypeDef = SimpleTypeDef | ComplexTypeDef;

/** A global element declaration. */
export interface GlobalElement {
  name: string;
  ns: string;
  type: TypeKey;
  nillable: boolean;
  documentation?: string;
}

export interface SchemaModel {
  /** Every type by key, including built-ins actually referenced as "{http://www.w3.org/2001/XMLSchema}int". */
  types: Record<TypeKey, TypeDef>;
  /** Global elements by Clark name. */
  elements: Record<TypeKey, GlobalElement>;
}

// ---------------------------------------------------------------------------------------------
// WSDL part
// ---------------------------------------------------------------------------------------------

export type SoapVersion = '1.1' | '1.2';

export interface FaultDecl {
  /** wsdl:fault name. */
  name: string;
  /** Clark name of the detail element. */
  element: TypeKey;
  /** Explicit WS-Addressing action (wsam:Action / wsaw:Action on the portType's wsdl:fault); absent when not declared. */
  action?: string;
}

/** A SOAP header block the binding declares (soap:header), typed in the handler's context. */
export interface HeaderDecl {
  /** Clark name of the header element. */
  element: TypeKey;
  /** Property name in the typed headers object (the element's local name, made unique). */
  prop: string;
}

export interface OperationDecl {
  name: string;
  documentation?: string;
  /** Clark name of the input body element (document/literal wrapped: one part, an element). */
  input: TypeKey;
  /** Clark name of the output body element; absent for one-way operations. */
  output?: TypeKey;
  faults: FaultDecl[];
  /** Declared request headers (soap:header of the binding's input). */
  inputHeaders?: HeaderDecl[];
  /** Declared response headers (soap:header of the binding's output), set by the handler. */
  outputHeaders?: HeaderDecl[];
  /** The `name` of the portType's wsdl:input / wsdl:output, when written (WS-Addressing default actions use it). */
  inputName?: string;
  outputName?: string;
  /** Explicit WS-Addressing actions (wsam:Action / wsaw:Action) of the input and output; absent when not declared. */
  inputAction?: string;
  outputAction?: string;
}

export interface PortTypeDecl {
  name: string;
  ns: string;
  documentation?: string;
  operations: OperationDecl[];
}

export interface BindingOperation {
  name: string;
  /** soapAction (SOAP 1.1) / action (SOAP 1.2); '' when absent. */
  soapAction: string;
}

export interface BindingDecl {
  name: string;
  ns: string;
  portType: string;
  soapVersion: SoapVersion;
  operations: BindingOperation[];
}

export interface PortDecl {
  name: string;
  binding: string;
  /** soap:address location as written in the WSDL. */
  address: string;
}

export interface ServiceDecl {
  name: string;
  documentation?: string;
  ports: PortDecl[];
}

/** One WSDL or XSD document of the contract, for ?wsdl / ?xsd serving. */
export interface ContractDocument {
  /** Stable short name used in `?xsd=<name>` (the WSDL itself is named 'wsdl'). */
  name: string;
  /** Path relative to the project root, e.g. "wsdl/v1/xsd/orders.xsd". */
  path: string;
  kind: 'wsdl' | 'xsd';
  /** Every schemaLocation/location attribute value in this document, mapped to the referenced document's name. */
  references: Record<string, string>;
}

export interface ContractModel {
  /** Identifier of the contract, e.g. "v1" or "echo". */
  id: string;
  targetNamespace: string;
  documentation?: string;
  schema: SchemaModel;
  portTypes: PortTypeDecl[];
  bindings: BindingDecl[];
  services: ServiceDecl[];
  documents: ContractDocument[];
}

export const XSD_NS = 'http://www.w3.org/2001/XMLSchema';
export const XSI_NS = 'http://www.w3.org/2001/XMLSchema-instance';

/** "{ns}local" */
export function clark(ns: string, local: string): TypeKey {
  return `{${ns}}${local}`;
}

export function splitClark(key: TypeKey): { ns: string; local: string } {
  const close = key.indexOf('}');
  if (key[0] !== '{' || close < 0) return { ns: '', local: key };
  return { ns: key.slice(1, close), local: key.slice(close + 1) };
}

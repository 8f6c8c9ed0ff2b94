/**
 * The codec tables: the linked, start-up form of a SchemaModel that the decoder and encoder walk. Built by
 * compile.ts (with the fast readers and writers of readers.ts / writers.ts); only types live here, so every
 * codec module can name them without importing the code that builds them.
 */
import type { BuiltinName, JsRepr } from './model';
import type { DecimalParts, DurationValue, Instant, IntegerRange, WhiteSpace } from './lexical';

/** Typed value of a raw text proven valid, or undefined: take the general path (see readers.ts). */
export type FastReader = (raw: string) => unknown;

/** Escaped text of a value proven valid, or undefined: take the general path (see writers.ts). */
export type FastWriter = (value: unknown) => string | undefined;

export type OrderKind = 'decimal' | 'bigint' | 'number' | 'instant' | 'duration';

export interface CompiledBound {
  readonly lexical: string;
  readonly inclusive: boolean;
  readonly decimal?: DecimalParts;
  readonly bigint?: bigint;
  readonly number?: number;
  readonly instant?: Instant;
  readonly duration?: DurationValue;
}

export interface CompiledSimpleType {
  readonly kind: 'simple';
  readonly key: string;
  readonly builtin: BuiltinName;
  readonly repr: JsRepr;
  readonly whiteSpace: WhiteSpace;
  /** No facets and any (whitespace-processed) string is valid: nothing to check beyond whitespace. */
  readonly plain: boolean;
  /** xs:list item type (the value is an array). */
  readonly item?: CompiledSimpleType;
  /** xs:union member types, in the order they are tried. */
  members?: readonly CompiledSimpleType[];
  /** Integer value range of the built-in (int, long, unsignedByte...). */
  readonly integerRange?: IntegerRange;
  /** The same range as JS numbers (±Infinity when open), for the number-typed integers. */
  readonly numberMin: number;
  readonly numberMax: number;
  readonly order?: OrderKind;
  /** Enumeration values as comparison keys (see enumerationKey in decode.ts). */
  readonly enumeration?: ReadonlySet<string>;
  readonly enumerationText?: string;
  readonly patterns?: readonly RegExp[];
  readonly patternSources?: readonly string[];
  readonly length?: number;
  readonly minLength?: number;
  readonly maxLength?: number;
  readonly lower?: CompiledBound;
  readonly upper?: CompiledBound;
  readonly totalDigits?: number;
  readonly fractionDigits?: number;
  /** The encoder's fast writers for element content and attribute values (see writers.ts); undefined: general path only. */
  readonly textWriter: FastWriter | undefined;
  readonly attributeWriter: FastWriter | undefined;
  /** The decoder's fast reader (see readers.ts); undefined: general path only. */
  readonly textReader: FastReader | undefined;
}

export interface CompiledAttribute {
  readonly name: string;
  readonly ns: string;
  readonly prop: string;
  type: CompiledSimpleType;
  readonly required: boolean;
  readonly default?: string;
  readonly fixed?: string;
  /** Qualified name as written by the encoder. */
  qname: string;
  /** The type's attribute writer (see writers.ts). */
  fastText: FastWriter | undefined;
}

export interface CompiledElement {
  readonly kind: 'element';
  readonly name: string;
  readonly ns: string;
  readonly prop: string;
  type: CompiledType;
  readonly minOccurs: number;
  /** Infinity when unbounded. */
  readonly maxOccurs: number;
  readonly nillable: boolean;
  /** Effective repetition (own maxOccurs or a repeating enclosing group): the value is always an array. */
  repeated: boolean;
  readonly default?: string;
  readonly fixed?: string;
  /** Tag as written by the encoder ('tns:name' or 'name'), and its ready-made forms. */
  tag: string;
  openTag: string;
  closeTag: string;
  emptyTag: string;
  /** The simple type's text writer (see writers.ts); undefined for complex types. */
  fastText: FastWriter | undefined;
  /**
   * In a plain sequence (CompiledComplexType.sequence): closeThenOpen[j] is this element's close tag followed
   * by the open tag of the sequence's element j, for the next few j (one piece of output instead of two).
   */
  closeThenOpen: readonly (string | undefined)[];
  /** The simple type's fast reader when the element has no default or fixed value (see readers.ts). */
  fastRead: FastReader | undefined;
  /** Name used in violation paths (the local name, as in "SubmitOrderRequest/line[3]/quantity"). */
  readonly display: string;
}

/** The namespaces a wildcard (xs:any, xs:anyAttribute) accepts. */
export interface CompiledWildcard {
  /** 'any': every namespace; 'not': every namespace except `excluded` and no-namespace; 'list': only `allowed`. */
  readonly mode: 'any' | 'not' | 'list';
  readonly allowed: ReadonlySet<string>;
  readonly excluded: string;
  readonly processContents: 'strict' | 'lax' | 'skip';
}

export interface CompiledAny extends CompiledWildcard {
  readonly kind: 'any';
  readonly prop: string;
  readonly minOccurs: number;
  readonly maxOccurs: number;
}

export interface CompiledGroup {
  readonly kind: 'sequence' | 'choice' | 'all';
  readonly minOccurs: number;
  readonly maxOccurs: number;
  readonly particles: readonly CompiledParticle[];
  /** Can an occurrence of this group match no element at all? */
  emptiable: boolean;
}

export type CompiledParticle = CompiledElement | CompiledGroup | CompiledAny;

export interface CompiledComplexType {
  readonly kind: 'complex';
  readonly key: string;
  /** Namespace of the type's key: the target namespace ##other/##targetNamespace wildcards refer to. */
  readonly targetNamespace: string;
  abstract: boolean;
  content: CompiledGroup | null;
  attributes: readonly CompiledAttribute[];
  simpleContent?: CompiledSimpleType;
  mixed: boolean;
  /** Properties that always hold arrays (repeated elements and xs:any), in schema order. */
  arrayProps: readonly string[];
  /** Every element particle of the content model, for diagnostics. */
  elements: readonly CompiledElement[];
  /** When the content is one sequence (or all) occurring once and holding only elements: those elements. */
  sequence: readonly CompiledElement[] | undefined;
  /** Types derived from this one by extension (transitively), by key, for xsi:type. */
  readonly derived: Map<string, CompiledComplexType>;
  /** xs:anyAttribute: undeclared attributes it accepts go to `$attributes` ({ '{ns}local' or 'local': text }). */
  anyAttribute: CompiledWildcard | undefined;
  /** The type declares attributes or an attribute wildcard (when false, the decoder only has to rule out stray ones). */
  hasAttributes: boolean;
}

export type CompiledType = CompiledSimpleType | CompiledComplexType;

export interface CompiledGlobalElement extends CompiledElement {
  readonly key: string;
  /** Namespace declarations written on the encoded top element (' xmlns:tns="..."'...). */
  declarations: string;
}

export interface CompiledSchema {
  readonly types: ReadonlyMap<string, CompiledType>;
  readonly elements: ReadonlyMap<string, CompiledGlobalElement>;
  /** Namespace URI -> prefix used by the encoder. */
  readonly prefixes: ReadonlyMap<string, string>;
}

/**
 * The JSON form of the typed values (docs/json-binding.md states the mapping): the codec's typed values
 * <-> JSON, through the same compiled schema tables as the XML codec.
 *
 * JSON -> typed value goes through the XML decoder itself: the JSON is laid out, guided by the schema, as
 * the element tree it stands for (properties in schema order, arrays as repeated elements, null as
 * xsi:nil, scalars as their lexical text) and decoded by decodeElement, so the checks, the messages and
 * the limits are the SOAP binding's, word for word. Only what has no XML counterpart is checked here: the
 * JSON kind of each value (a decimal must be a string, a quantity a number), unknown properties, and an
 * array where one value belongs (or the reverse).
 *
 * Typed value -> JSON walks the same tables and checks each simple value with the encoder's writeSimple,
 * so we never send what we would refuse to read.
 *
 * Conventions: property names are the typed values' (`prop`), attributes included; simple content is
 * `$value`; violation paths keep the decoder's 1-based indexes and read `line[3].quantity`.
 */
import { SchemaViolationError, type Violation } from '../fault';
import type { CompiledSchema } from '../schema/compile';
import type {
  CompiledAny,
  CompiledAttribute,
  CompiledComplexType,
  CompiledElement,
  CompiledSimpleType,
  CompiledType,
} from '../schema/tables';
import { decodeElement } from '../schema/decode';
import { INVALID } from '../schema/lexical';
import { XSI_NS } from '../schema/model';
import { writeSimple } from '../schema/simple';
import type { XmlAttribute, XmlElement } from '../xml/element';
import { parseXmlFast } from '../xml/fast';
import type { XmlLimits } from '../xml/guard';

/** JSON as JSON.parse returns it. */
export type JsonValue = null | boolean | number | string | JsonValue[] | { [key: string]: JsonValue };

/** Special float/double values, which JSON numbers cannot hold, travel as their XSD lexical strings. */
const SPECIAL_FLOATS: ReadonlyMap<string, number> = new Map([
  ['NaN', NaN],
  ['INF', Infinity],
  ['-INF', -Infinity],
  ['-0', -0],
]);

/** The JSON exceeds the binding's limits (the XML parser's maxDepth / maxElements, counted the same way). */
export class JsonRejectedError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'JsonRejectedError';
  }
}

/** A built element tree node; only what the decoder reads. */
class JsonElement implements XmlElement {
  readonly prefix = '';
  readonly hasMixedText = false;
  constructor(
    readonly ns: string,
    readonly local: string,
    readonly attributes: readonly XmlAttribute[],
    readonly children: readonly XmlElement[],
    readonly text: string,
  ) {}
  lookupNamespace(): string | undefined {
    return undefined;
  }
  attr(ns: string, local: string): string | undefined {
    for (const a of this.attributes) if (a.ns === ns && a.local === local) return a.value;
    return undefined;
  }
  toXml(): string {
    throw new Error('a JSON-built element is never serialized');
  }
}

const NIL: readonly XmlAttribute[] = Object.freeze([{ ns: XSI_NS, local: 'nil', value: 'true' }]);

function jsonKind(v: unknown): string {
  if (v === null) return 'null';
  if (Array.isArray(v)) return 'an array';
  if (typeof v === 'object') return 'an object';
  return `a ${typeof v}`;
}

function isObject(v: unknown): v is Record<string, JsonValue> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

/** Lays a JSON value out as the element tree the schema gives it; what cannot be laid out is a violation. */
class Layout {
  readonly violations: Violation[] = [];
  constructor(private readonly limits: XmlLimits) {}
  private elementCount = 0;

  element(decl: CompiledElement, value: JsonValue, path: string, depth: number): XmlElement | undefined {
    if (++this.elementCount > this.limits.maxElements)
      throw this.limit(`more than ${this.limits.maxElements} elements`);
    if (depth > this.limits.maxDepth) throw this.limit(`nesting deeper than ${this.limits.maxDepth}`);
    if (value === null) return new JsonElement(decl.ns, decl.name, NIL, [], '');
    return this.typed(decl.ns, decl.name, decl.type, value, path, depth);
  }

  private limit(what: string): JsonRejectedError {
    return new JsonRejectedError(what);
  }

  private typed(
    ns: string,
    name: string,
    type: CompiledType,
    value: JsonValue,
    path: string,
    depth: number,
  ): XmlElement | undefined {
    if (type.kind === 'simple') {
      const text = this.scalar(type, value, path);
      return text === undefined ? undefined : new JsonElement(ns, name, [], [], text);
    }
    if (!isObject(value)) {
      this.report(path, `must be a JSON object, not ${jsonKind(value)}`);
      return undefined;
    }
    return this.complex(ns, name, type, value, path, depth);
  }

  private complex(
    ns: string,
    name: string,
    type: CompiledComplexType,
    value: Record<string, JsonValue>,
    path: string,
    depth: number,
  ): XmlElement | undefined {
    const attributes: XmlAttribute[] = [];
    const children: XmlElement[] = [];
    let text = '';
    const used = new Set<string>();
    for (const a of type.attributes) {
      const v = value[a.prop];
      if (v === undefined) continue;
      used.add(a.prop);
      const t = this.scalar(a.type, v, join(path, a.prop));
      if (t !== undefined) attributes.push({ ns: a.ns, local: a.name, value: t });
    }
    if (type.simpleContent !== undefined) {
      const v = value.$value;
      used.add('$value');
      if (v !== undefined) text = this.scalar(type.simpleContent, v, join(path, '$value')) ?? '';
    }
    for (const e of type.elements) {
      if (used.has(e.prop)) continue;
      const v = value[e.prop];
      if (v === undefined) continue;
      used.add(e.prop);
      if (e.repeated) {
        if (!Array.isArray(v)) {
          this.report(join(path, e.prop), `must be a JSON array (${e.display} may repeat), not ${jsonKind(v)}`);
          continue;
        }
        for (let i = 0; i < v.length; i++) {
          const child = this.element(e, v[i], `${join(path, e.prop)}[${i + 1}]`, depth + 1);
          if (child !== undefined) children.push(child);
        }
      } else {
        if (Array.isArray(v)) {
          this.report(join(path, e.prop), 'must be a single value, not a JSON array');
          continue;
        }
        const child = this.element(e, v, join(path, e.prop), depth + 1);
        if (child !== undefined) children.push(child);
      }
    }
    for (const w of wildcardsOf(type)) {
      const v = value[w.prop];
      if (v === undefined || used.has(w.prop)) continue;
      used.add(w.prop);
      if (!Array.isArray(v) || v.some((x) => typeof x !== 'string')) {
        this.report(join(path, w.prop), 'must be a JSON array of XML element strings (wildcard content)');
        continue;
      }
      v.forEach((xml, i) => {
        try {
          children.push(parseXmlFast(xml as string, { limits: this.limits }));
        } catch (err) {
          this.report(
            `${join(path, w.prop)}[${i + 1}]`,
            `is not one well-formed XML element: ${err instanceof Error ? err.message : String(err)}`,
          );
        }
      });
    }
    for (const key of Object.keys(value)) {
      if (!used.has(key)) this.report(join(path, key), 'unknown property');
    }
    return new JsonElement(ns, name, attributes, children, text);
  }

  /** The lexical text of a simple value, or undefined (reported) when its JSON kind is wrong. */
  private scalar(type: CompiledSimpleType, value: JsonValue, path: string): string | undefined {
    if (type.item !== undefined) {
      if (!Array.isArray(value)) {
        this.report(path, `must be a JSON array (a list of ${type.item.builtin}), not ${jsonKind(value)}`);
        return undefined;
      }
      const parts: string[] = [];
      for (let i = 0; i < value.length; i++) {
        const part = this.scalar(type.item, value[i], `${path}[${i + 1}]`);
        if (part === undefined) return undefined;
        parts.push(part);
      }
      return parts.join(' ');
    }
    switch (type.repr) {
      case 'boolean':
        if (typeof value === 'boolean') return value ? 'true' : 'false';
        this.report(path, `must be a JSON boolean, not ${jsonKind(value)}`);
        return undefined;
      case 'number':
        if (typeof value === 'number') return String(value);
        if (type.integerRange === undefined && typeof value === 'string' && SPECIAL_FLOATS.has(value)) return value;
        this.report(path, `must be a JSON number (${type.builtin}), not ${jsonKind(value)}`);
        return undefined;
      default:
        if (typeof value === 'string') return value;
        this.report(
          path,
          `must be a JSON string (${type.builtin}${type.repr === 'bigint' || type.builtin === 'decimal' ? ', written as text so no digit is lost' : ''}), not ${jsonKind(value)}`,
        );
        return undefined;
    }
  }

  private report(path: string, message: string): void {
    this.violations.push({ path, message });
  }
}

function join(path: string, prop: string): string {
  return path === '' ? prop : `${path}.${prop}`;
}

const wildcardCache = new WeakMap<CompiledComplexType, readonly CompiledAny[]>();

function wildcardsOf(type: CompiledComplexType): readonly CompiledAny[] {
  let found = wildcardCache.get(type);
  if (found === undefined) {
    const list: CompiledAny[] = [];
    const walk = (g: CompiledComplexType['content']): void => {
      for (const p of g?.particles ?? []) {
        if (p.kind === 'any') list.push(p);
        else if (p.kind !== 'element') walk(p);
      }
    };
    walk(type.content);
    wildcardCache.set(type, (found = list));
  }
  return found;
}

/**
 * The decoder's path ("SubmitOrderRequest/line[3]/quantity", "X/@currency") in JSON terms
 * ("line[3].quantity", "currency"): element and attribute names become the properties that hold them.
 */
export function jsonPathOf(schema: CompiledSchema, elementKey: string, xmlPath: string): string {
  const root = schema.elements.get(elementKey);
  if (root === undefined) return xmlPath;
  const segments = xmlPath.split('/');
  if (segments[0] !== root.display) return xmlPath;
  let type: CompiledType | undefined = root.type;
  const out: string[] = [];
  for (const segment of segments.slice(1)) {
    const match = /^(@?)([^[\]]+)(\[\d+\])?$/.exec(segment);
    if (match === null || type === undefined || type.kind !== 'complex') {
      out.push(segment);
      type = undefined;
      continue;
    }
    const [, at, name, index = ''] = match;
    if (at === '@') {
      const attribute: CompiledAttribute | undefined = type.attributes.find((a) => a.name === name);
      out.push(attribute?.prop ?? name);
      type = undefined;
      continue;
    }
    const decl: CompiledElement | undefined = type.elements.find((e) => e.display === name);
    out.push(`${decl?.prop ?? name}${index}`);
    type = decl?.type;
  }
  return out.join('.');
}

/** The element's typed value from its JSON form; SchemaViolationError (JSON paths) when it does not fit. */
export function decodeJson(schema: CompiledSchema, elementKey: string, json: JsonValue, limits: XmlLimits): unknown {
  const decl = schema.elements.get(elementKey);
  if (decl === undefined) throw new Error(`schema: no global element ${elementKey}`);
  const layout = new Layout(limits);
  const el = layout.element(decl, json, '', 1);
  if (layout.violations.length > 0 || el === undefined) throw new SchemaViolationError(layout.violations);
  try {
    return decodeElement(schema, elementKey, el);
  } catch (err) {
    if (!(err instanceof SchemaViolationError)) throw err;
    throw new SchemaViolationError(
      err.violations.map((v) => ({ path: jsonPathOf(schema, elementKey, v.path), message: v.message })),
    );
  }
}

/** Thrown when a typed value does not fit its schema type (a handler bug, as for the XML encoder). */
export class JsonEncodeError extends Error {
  constructor(readonly problems: readonly string[]) {
    super(`cannot encode as JSON: ${problems.join('; ')}`);
    this.name = 'JsonEncodeError';
  }
}

/** The JSON form of an element's typed value. */
export function encodeJson(schema: CompiledSchema, elementKey: string, value: unknown): JsonValue {
  const decl = schema.elements.get(elementKey);
  if (decl === undefined) throw new Error(`schema: no global element ${elementKey}`);
  const problems: string[] = [];
  const json = elementValue(decl, value, decl.display, problems);
  if (problems.length > 0) throw new JsonEncodeError(problems);
  return json;
}

function elementValue(decl: CompiledElement, value: unknown, path: string, problems: string[]): JsonValue {
  if (value === null) {
    if (!decl.nillable) problems.push(`${path}: is not nillable`);
    return null;
  }
  return typedValue(decl.type, value, path, problems);
}

function typedValue(type: CompiledType, value: unknown, path: string, problems: string[]): JsonValue {
  if (type.kind === 'simple') return simpleValue(type, value, path, problems);
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    problems.push(`${path}: must be an object (${type.key})`);
    return null;
  }
  const v = value as Record<string, unknown>;
  const out: Record<string, JsonValue> = {};
  for (const a of type.attributes) {
    const x = v[a.prop];
    if (x === undefined) {
      if (a.required) problems.push(`${path}/@${a.name}: required attribute missing`);
      continue;
    }
    out[a.prop] = simpleValue(a.type, x, `${path}/@${a.name}`, problems);
  }
  if (type.simpleContent !== undefined && v.$value !== undefined)
    out.$value = simpleValue(type.simpleContent, v.$value, path, problems);
  for (const e of type.elements) {
    const x = v[e.prop];
    if (x === undefined || out[e.prop] !== undefined) continue;
    if (e.repeated) {
      if (!Array.isArray(x)) {
        problems.push(`${path}/${e.display}: must be an array`);
        continue;
      }
      out[e.prop] = x.map((item, i) => elementValue(e, item, `${path}/${e.display}[${i + 1}]`, problems));
    } else {
      out[e.prop] = elementValue(e, x, `${path}/${e.display}`, problems);
    }
  }
  for (const w of wildcardsOf(type)) {
    const x = v[w.prop];
    if (x === undefined) continue;
    if (!Array.isArray(x) || x.some((s) => typeof s !== 'string'))
      problems.push(`${path}: wildcard ${w.prop} must be an array of XML strings`);
    else out[w.prop] = x as string[];
  }
  return out;
}

function simpleValue(type: CompiledSimpleType, value: unknown, path: string, problems: string[]): JsonValue {
  const found: string[] = [];
  const lexical = writeSimple(type, value, found);
  if (lexical === INVALID) {
    for (const p of found) problems.push(`${path}: ${p}`);
    return null;
  }
  if (type.item !== undefined)
    return (value as unknown[]).map((item) => simpleValue(type.item as CompiledSimpleType, item, path, problems));
  switch (type.repr) {
    case 'boolean':
      return value as boolean;
    case 'number': {
      const n = value as number;
      if (type.integerRange !== undefined) return n === 0 ? 0 : n;
      return Number.isFinite(n) && !Object.is(n, -0) ? n : lexical;
    }
    default:
      return lexical;
  }
}

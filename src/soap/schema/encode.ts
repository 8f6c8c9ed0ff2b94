/**
 * Typed value -> XML text through the compiled schema: elements in schema order, qualified as declared
 * (every namespace declared once on the top element with the schema-wide prefixes), text and attributes
 * escaped, xsi:nil for nillable nulls, canonical lexical forms. The value is checked as it is written,
 * so we never emit XML our own schema would reject; problems are collected and thrown together.
 *
 * Hot path: simple values go through the writer compiled for their type (writers.ts), which accepts a valid
 * value with a few cheap checks and otherwise defers to the general path that finds the problems; the
 * text is appended piece by piece to one string, so the rope stays a left-deep chain, which V8 flattens
 * (once, when the response's length is taken) without recursing (Node 20's Array#join('') of a few
 * thousand pieces measured slower); the path of the element being written is a stack of names turned
 * into a string only when a problem is reported.
 */
import type { Violation } from '../fault';
import { parseXmlFast } from '../xml/fast';
import type {
  CompiledAny,
  CompiledAttribute,
  CompiledComplexType,
  CompiledElement,
  CompiledGroup,
  CompiledParticle,
  CompiledSchema,
  CompiledSimpleType,
  CompiledWildcard,
} from './tables';
import { anyAccepts } from './compile';
import { UnknownElementError } from './decode';
import { splitClark } from './model';
import { escapeAttribute } from '../xml/escape';
import * as writers from './writers';

// Local bindings for the hot path (CommonJS transpilers may turn every imported-binding use into a getter call).
const generalText = writers.generalText;

/** The value given to the encoder does not fit the schema; the runtime reports it as a Server/Receiver fault. */
export class SchemaEncodeError extends Error {
  constructor(readonly violations: Violation[]) {
    super(`cannot encode: ${violations.map((v) => `${v.path}: ${v.message}`).join('; ')}`);
    this.name = 'SchemaEncodeError';
  }
}

type Obj = Record<string, unknown>;

/** Occurrence markers for group writing: not inside a repeating group / inside a repeating choice (write every item). */
const SINGLE = -1;
// eslint-disable-next-line no-misleading-character-class -- XML name characters include combining marks by definition
const NCNAME = /^[\p{L}_][\p{L}\p{N}._\-\u00B7\u0300-\u036F\u203F-\u2040]*$/u;
const XML_NAMESPACE = 'http://www.w3.org/XML/1998/namespace';
const XMLNS_NAMESPACE = 'http://www.w3.org/2000/xmlns/';
const EVERY = -2;

class Encoder {
  readonly violations: Violation[] = [];
  private readonly problems: string[] = [];
  /** The XML written so far. */
  out = '';
  /** Path of the element being written: names and 0-based repetition indexes (-1: not repeated). */
  private readonly names: string[] = [];
  private readonly indexes: number[] = [];
  private depth = 0;

  enter(decl: CompiledElement, index: number): void {
    this.names[this.depth] = decl.display;
    this.indexes[this.depth] = index;
    this.depth++;
  }

  leave(): void {
    this.depth--;
  }

  /** The current element's path ("SubmitOrderRequest/line[3]"). */
  private path(): string {
    let path = '';
    for (let i = 0; i < this.depth; i++) {
      if (i > 0) path += '/';
      path += this.names[i];
      if (this.indexes[i] >= 0) path += `[${this.indexes[i] + 1}]`;
    }
    return path;
  }

  /** Reports a problem at the current element's path followed by `suffix` ('', '/@attr', '/child'...). */
  report(suffix: string, message: string): void {
    this.violations.push({ path: this.path() + suffix, message });
  }

  /** Reports the collected `problems` at the current path + suffix. */
  private reportProblems(suffix: string): void {
    const problems = this.problems;
    for (let i = 0; i < problems.length; i++) this.report(suffix, problems[i]);
    problems.length = 0;
  }

  /** `index`: 0-based repetition (-1 when not repeated). */
  element(decl: CompiledElement, value: unknown, index: number): void {
    if (value !== null && value !== undefined && decl.type.kind === 'simple') {
      const fast = decl.fastText;
      let text = fast === undefined ? undefined : fast(value);
      if (text === undefined) {
        text = generalText(decl.type, value, this.problems, false);
        if (text === undefined) {
          this.enter(decl, index);
          this.reportProblems('');
          this.leave();
          return;
        }
      }
      if (text === '') this.out += decl.emptyTag;
      else {
        this.out += decl.openTag;
        this.out += text;
        this.out += decl.closeTag;
      }
      return;
    }
    this.enter(decl, index);
    this.elementInFull(decl, value, '');
    this.leave();
  }

  /** Writes the element at the current path (entered by the caller). */
  elementInFull(decl: CompiledElement, value: unknown, declarations: string): void {
    if (value === null) {
      if (!decl.nillable) this.report('', 'is not nillable (null given)');
      else this.out += `<${decl.tag}${declarations} xsi:nil="true"/>`;
      return;
    }
    const type = decl.type;
    if (type.kind === 'simple') {
      const text = this.simple(type, value, '', false);
      if (text === undefined) return;
      this.out += text === '' ? `<${decl.tag}${declarations}/>` : `<${decl.tag}${declarations}>${text}</${decl.tag}>`;
      return;
    }
    if (typeof value !== 'object' || value === undefined || Array.isArray(value) || Buffer.isBuffer(value)) {
      this.report('', `must be an object (${type.key}), got ${Array.isArray(value) ? 'an array' : typeof value}`);
      return;
    }
    this.complex(decl, type, value as Obj, declarations);
  }

  private complex(decl: CompiledElement, type: CompiledComplexType, obj: Obj, declarations: string): void {
    const before = this.out;
    const attrs = type.attributes;
    /** The text up to the open tag's '>' (undefined: the plain open tag follows `before`). */
    let head: string | undefined;
    if (declarations === '' && attrs.length === 0 && type.anyAttribute === undefined) this.out += decl.openTag;
    else {
      this.out += '<' + decl.tag + declarations;
      for (let i = 0; i < attrs.length; i++) this.attribute(attrs[i], obj);
      if (type.anyAttribute !== undefined && obj.$attributes !== undefined)
        this.wildcardAttributes(type.anyAttribute, type, obj.$attributes);
      head = this.out;
      this.out += '>';
    }
    // Nothing appended after this (the same string) means empty content: '/>' instead.
    const opened = this.out;
    if (type.simpleContent) {
      const v = obj.$value;
      if (v === undefined || v === null) this.report('', 'the simple content ($value) is missing');
      else {
        const text = this.simple(type.simpleContent, v, '', false);
        if (text !== undefined) this.out += text;
      }
    } else if (type.sequence !== undefined) {
      const ps = type.sequence;
      // The last simple child written by its fast writer, its close tag not written yet.
      let pending: CompiledElement | undefined;
      for (let i = 0; i < ps.length; i++) {
        const p = ps[i];
        const v = obj[p.prop];
        if (!p.repeated && v !== undefined && v !== null) {
          const fast = p.fastText;
          const text = fast === undefined ? undefined : fast(v);
          if (text !== undefined && text !== '') {
            if (pending === undefined) this.out += p.openTag;
            else {
              const joined = pending.closeThenOpen[i];
              if (joined !== undefined) this.out += joined;
              else {
                this.out += pending.closeTag;
                this.out += p.openTag;
              }
            }
            this.out += text;
            pending = p;
            continue;
          }
        }
        if (pending !== undefined) {
          this.out += pending.closeTag;
          pending = undefined;
        }
        if (!p.repeated && v !== undefined) this.element(p, v, -1);
        else this.elementParticle(p, obj, SINGLE);
      }
      if (pending !== undefined) this.out += pending.closeTag;
    } else if (type.content) {
      this.group(type.content, obj, SINGLE);
    }
    if (this.out !== opened) this.out += decl.closeTag;
    else this.out = head === undefined ? before + decl.emptyTag : head + '/>';
  }

  private attribute(a: CompiledAttribute, obj: Obj): void {
    const v = obj[a.prop];
    if (v === undefined || v === null) {
      if (a.required) this.report(`/@${a.name}`, 'required attribute missing');
      return;
    }
    const fast = a.fastText;
    let text = fast === undefined ? undefined : fast(v);
    if (text === undefined) text = this.simple(a.type, v, `/@${a.name}`, true);
    if (text !== undefined) this.out += ` ${a.qname}="${text}"`;
  }

  /** xs:anyAttribute values ({ 'local' or '{ns}local': text }), each namespace declared on the element itself. */
  private wildcardAttributes(wildcard: CompiledWildcard, type: CompiledComplexType, value: unknown): void {
    if (typeof value !== 'object' || value === null || Array.isArray(value)) {
      this.report('/$attributes', 'must be an object of attribute texts (xs:anyAttribute)');
      return;
    }
    let n = 0;
    for (const [key, text] of Object.entries(value as Record<string, unknown>)) {
      const { ns, local } = splitClark(key);
      if (typeof text !== 'string') {
        this.report(`/@${local}`, 'must be a string (xs:anyAttribute)');
        continue;
      }
      if (
        !NCNAME.test(local) ||
        !anyAccepts(wildcard, ns) ||
        type.attributes.some((a) => a.name === local && a.ns === ns) ||
        ns === XMLNS_NAMESPACE
      ) {
        this.report(`/@${local}`, `attribute ${key} is not allowed by the attribute wildcard`);
        continue;
      }
      let escaped: string;
      try {
        escaped = escapeAttribute(text);
      } catch (err) {
        this.report(`/@${local}`, (err as Error).message);
        continue;
      }
      if (ns === '') this.out += ` ${local}="${escaped}"`;
      else if (ns === XML_NAMESPACE) this.out += ` xml:${local}="${escaped}"`;
      else {
        n++;
        this.out += ` xmlns:wc${n}="${escapeAttribute(ns)}" wc${n}:${local}="${escaped}"`;
      }
    }
  }

  /**
   * Writes a group. `occurrence` >= 0 means we are inside a repeating group writing its n-th occurrence:
   * elements repeated only through that group take their n-th array item.
   */
  private group(g: CompiledGroup, obj: Obj, occurrence: number): void {
    if (g.kind === 'choice' && g.maxOccurs > 1 && occurrence === SINGLE) {
      // A repeating choice: the value holds one array per branch element; write each branch's items.
      const n = choiceItems(g, obj);
      if (n < g.minOccurs && !g.emptiable) this.report('', `at least ${g.minOccurs} of (${describe(g)}) required`);
      if (n > g.maxOccurs) this.report('', `at most ${g.maxOccurs} of (${describe(g)}) allowed`);
      for (const p of g.particles) this.particle(p, obj, EVERY);
      return;
    }
    if (occurrence === EVERY) {
      for (const p of g.particles) this.particle(p, obj, EVERY);
      return;
    }
    if (g.maxOccurs > 1 && occurrence < 0) {
      const n = occurrencesOf(g, obj);
      if (n < g.minOccurs && !g.emptiable)
        this.report('', `at least ${g.minOccurs} occurrence(s) of (${describe(g)}) required`);
      if (n > g.maxOccurs) this.report('', `at most ${g.maxOccurs} occurrence(s) of (${describe(g)}) allowed`);
      for (let i = 0; i < n; i++) this.groupOnce(g, obj, i);
      return;
    }
    this.groupOnce(g, obj, occurrence);
  }

  private groupOnce(g: CompiledGroup, obj: Obj, occurrence: number): void {
    const ps = g.particles;
    if (g.kind === 'choice') {
      let chosen: CompiledParticle | undefined;
      for (let i = 0; i < ps.length; i++) {
        if (!isPresent(ps[i], obj, occurrence)) continue;
        if (chosen) {
          this.report('', `only one of (${describe(g)}) may be given`);
          break;
        }
        chosen = ps[i];
      }
      if (!chosen) {
        if (g.minOccurs > 0 && !g.emptiable) this.report('', `one of (${describe(g)}) is required`);
        return;
      }
      this.particle(chosen, obj, occurrence);
      return;
    }
    for (let i = 0; i < ps.length; i++) this.particle(ps[i], obj, occurrence);
  }

  private particle(p: CompiledParticle, obj: Obj, occurrence: number): void {
    if (p.kind === 'element') this.elementParticle(p, obj, occurrence);
    else if (p.kind === 'any') this.any(p, obj);
    else this.group(p, obj, occurrence);
  }

  private elementParticle(p: CompiledElement, obj: Obj, occurrence: number): void {
    const v = obj[p.prop];
    if (!p.repeated) {
      if (v === undefined) {
        if (p.minOccurs > 0) this.report(`/${p.display}`, 'required element missing');
        return;
      }
      this.element(p, v, -1);
      return;
    }
    if (v !== undefined && !Array.isArray(v)) {
      this.report(`/${p.display}`, 'must be an array (repeated element)');
      return;
    }
    const items = (v ?? []) as unknown[];
    if (occurrence === EVERY) {
      for (let i = 0; i < items.length; i++) this.element(p, items[i], i);
      return;
    }
    if (occurrence >= 0 && p.maxOccurs <= 1) {
      // Repeated only through the enclosing group: one item per group occurrence.
      const item = items[occurrence];
      if (item === undefined) {
        if (p.minOccurs > 0) this.report(`/${p.display}[${occurrence + 1}]`, 'required element missing');
        return;
      }
      this.element(p, item, occurrence);
      return;
    }
    if (occurrence > 0) return; // an element repeating inside a repeating group is written with the first occurrence
    if (items.length < p.minOccurs)
      this.report(`/${p.display}`, `at least ${p.minOccurs} required (given ${items.length})`);
    if (items.length > p.maxOccurs)
      this.report(`/${p.display}`, `at most ${p.maxOccurs} allowed (given ${items.length})`);
    for (let i = 0; i < items.length; i++) this.element(p, items[i], i);
  }

  private any(p: CompiledAny, obj: Obj): void {
    const v = obj[p.prop];
    const items = v === undefined ? [] : v;
    if (!Array.isArray(items)) {
      this.report(`/${p.prop}`, 'must be an array of XML strings (xs:any)');
      return;
    }
    if (items.length < p.minOccurs) this.report('', `at least ${p.minOccurs} wildcard element(s) required`);
    for (let i = 0; i < items.length; i++) {
      const xml = items[i];
      if (typeof xml !== 'string') {
        this.report(`/${p.prop}[${i + 1}]`, 'must be an XML string (xs:any)');
        continue;
      }
      try {
        parseXmlFast(xml);
      } catch (err) {
        this.report(`/${p.prop}[${i + 1}]`, `is not a well-formed XML element: ${(err as Error).message}`);
        continue;
      }
      this.out += xml;
    }
  }

  /** Escaped lexical form by the general path, or undefined (reported at the current path + suffix) when the value does not fit. */
  private simple(type: CompiledSimpleType, value: unknown, suffix: string, attribute: boolean): string | undefined {
    const text = generalText(type, value, this.problems, attribute);
    if (text === undefined) this.reportProblems(suffix);
    return text;
  }
}

function isPresent(p: CompiledParticle, obj: Obj, occurrence: number): boolean {
  if (p.kind === 'element') {
    const v = obj[p.prop];
    if (p.repeated)
      return Array.isArray(v) && (occurrence >= 0 && p.maxOccurs <= 1 ? v[occurrence] !== undefined : v.length > 0);
    return v !== undefined;
  }
  if (p.kind === 'any') {
    const v = obj[p.prop];
    return Array.isArray(v) && v.length > 0;
  }
  return p.particles.some((q) => isPresent(q, obj, occurrence));
}

/** Items of a repeating choice: the sum of its branches' arrays. */
function choiceItems(g: CompiledGroup, obj: Obj): number {
  let n = 0;
  const visit = (p: CompiledParticle): void => {
    if (p.kind === 'element') {
      const v = obj[p.prop];
      if (Array.isArray(v)) n += v.length;
    } else if (p.kind !== 'any') p.particles.forEach(visit);
  };
  g.particles.forEach(visit);
  return n;
}

/** Occurrences of a repeating group: the longest array among the elements it repeats. */
function occurrencesOf(g: CompiledGroup, obj: Obj): number {
  let n = 0;
  const visit = (p: CompiledParticle): void => {
    if (p.kind === 'element') {
      const v = obj[p.prop];
      if (Array.isArray(v)) n = Math.max(n, p.maxOccurs <= 1 ? v.length : v.length > 0 ? 1 : 0);
    } else if (p.kind !== 'any') p.particles.forEach(visit);
  };
  g.particles.forEach(visit);
  return n;
}

function describe(g: CompiledGroup): string {
  return g.particles
    .map((p) => (p.kind === 'element' ? p.display : p.kind === 'any' ? '*' : `(${p.kind})`))
    .join(g.kind === 'choice' ? ' | ' : ', ');
}

/**
 * Encodes `value` as the global element `elementKey` ("{ns}local") and returns the XML text of that
 * element (no XML declaration), namespaces declared on it. Throws SchemaEncodeError listing every problem.
 */
export function encodeElement(schema: CompiledSchema, elementKey: string, value: unknown): string {
  const decl = schema.elements.get(elementKey);
  if (!decl) throw new UnknownElementError(elementKey);
  const e = new Encoder();
  e.enter(decl, -1);
  if (value === undefined) e.report('', 'no value given');
  else e.elementInFull(decl, value, decl.declarations);
  if (e.violations.length > 0) throw new SchemaEncodeError(e.violations);
  return e.out;
}

/**
 * Typed value -> XML text through the compiled schema: elements in schema order, qualified as declared
 * (every namespace declared once on the top element with the schema-wide prefixes), text and attributes
 * escaped, xsi:nil for nillable nulls, canonical lexical forms. The value is checked as it is written,
 * so we never emit XML our own schema would reject; problems are collected and thrown together.
 */
import type { Violation } from '../fault';
import * as escaping from '../xml/escape';
import { parseXmlFast } from '../xml/fast';
import type {
  CompiledAny, CompiledComplexType, CompiledElement, CompiledGroup, CompiledParticle, CompiledSchema, CompiledSimpleType,
} from './compile';
import * as lexical from './lexical';
import { UnknownElementError } from './decode';
import * as simpleValues from './simple';

// Local bindings for the hot path (CommonJS transpilers may turn every imported-binding use into a getter call).
const INVALID: lexical.Invalid = lexical.INVALID;
const writeSimple = simpleValues.writeSimple;
const { XmlCharacterError, escapeAttribute, escapeText } = escaping;

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
const EVERY = -2;

class Encoder {
  readonly violations: Violation[] = [];
  private readonly problems: string[] = [];

  report(path: string, message: string): void {
    this.violations.push({ path, message });
  }

  /** `index`: 0-based repetition (-1 when not repeated); the path is only built when needed. */
  element(decl: CompiledElement, value: unknown, parent: string, index: number): string {
    const type = decl.type;
    if (type.kind === 'simple' && value !== null && value !== undefined) {
      const problems = this.problems;
      const text = this.simpleText(type, value, problems, false);
      if (text === undefined) {
        const path = pathOf(parent, decl, index);
        for (const m of problems) this.report(path, m);
        problems.length = 0;
        return '';
      }
      return text === '' ? decl.emptyTag : decl.openTag + text + decl.closeTag;
    }
    return this.elementInFull(decl, value, pathOf(parent, decl, index), '');
  }

  elementInFull(decl: CompiledElement, value: unknown, path: string, declarations: string): string {
    if (value === null) {
      if (!decl.nillable) {
        this.report(path, 'is not nillable (null given)');
        return '';
      }
      return `<${decl.tag}${declarations} xsi:nil="true"/>`;
    }
    const type = decl.type;
    if (type.kind === 'simple') {
      const text = this.simple(type, value, path);
      if (text === undefined) return '';
      return text === '' ? `<${decl.tag}${declarations}/>` : `<${decl.tag}${declarations}>${text}</${decl.tag}>`;
    }
    if (typeof value !== 'object' || value === undefined || Array.isArray(value) || Buffer.isBuffer(value)) {
      this.report(path, `must be an object (${type.key}), got ${Array.isArray(value) ? 'an array' : typeof value}`);
      return '';
    }
    return this.complex(decl.tag, type, value as Obj, path, declarations);
  }

  private complex(tag: string, type: CompiledComplexType, obj: Obj, path: string, declarations: string): string {
    let open = `<${tag}${declarations}`;
    const attrs = type.attributes;
    for (let i = 0; i < attrs.length; i++) {
      const a = attrs[i];
      const v = obj[a.prop];
      if (v === undefined || v === null) {
        if (a.required) this.report(`${path}/@${a.name}`, 'required attribute missing');
        continue;
      }
      const text = this.simple(a.type, v, `${path}/@${a.name}`, true);
      if (text !== undefined) open += ` ${a.qname}="${text}"`;
    }
    let inner = '';
    if (type.simpleContent) {
      const v = obj.$value;
      if (v === undefined || v === null) this.report(`${path}`, 'the simple content ($value) is missing');
      else inner = this.simple(type.simpleContent, v, path) ?? '';
    } else if (type.content) {
      inner = this.group(type.content, obj, path, SINGLE);
    }
    return inner === '' ? open + '/>' : `${open}>${inner}</${tag}>`;
  }

  /**
   * Writes a group. `occurrence` >= 0 means we are inside a repeating group writing its n-th occurrence:
   * elements repeated only through that group take their n-th array item.
   */
  private group(g: CompiledGroup, obj: Obj, path: string, occurrence: number): string {
    if (g.kind === 'choice' && g.maxOccurs > 1 && occurrence === SINGLE) {
      // A repeating choice: the value holds one array per branch element; write each branch's items.
      const n = choiceItems(g, obj);
      if (n < g.minOccurs && !g.emptiable) this.report(path, `at least ${g.minOccurs} of (${describe(g)}) required`);
      if (n > g.maxOccurs) this.report(path, `at most ${g.maxOccurs} of (${describe(g)}) allowed`);
      let out = '';
      for (const p of g.particles) out += this.particle(p, obj, path, EVERY);
      return out;
    }
    if (occurrence === EVERY) {
      let out = '';
      for (const p of g.particles) out += this.particle(p, obj, path, EVERY);
      return out;
    }
    if (g.maxOccurs > 1 && occurrence < 0) {
      const n = occurrencesOf(g, obj);
      if (n < g.minOccurs && !g.emptiable) this.report(path, `at least ${g.minOccurs} occurrence(s) of (${describe(g)}) required`);
      if (n > g.maxOccurs) this.report(path, `at most ${g.maxOccurs} occurrence(s) of (${describe(g)}) allowed`);
      let out = '';
      for (let i = 0; i < n; i++) out += this.groupOnce(g, obj, path, i);
      return out;
    }
    return this.groupOnce(g, obj, path, occurrence);
  }

  private groupOnce(g: CompiledGroup, obj: Obj, path: string, occurrence: number): string {
    const ps = g.particles;
    if (g.kind === 'choice') {
      let chosen: CompiledParticle | undefined;
      for (let i = 0; i < ps.length; i++) {
        if (!isPresent(ps[i], obj, occurrence)) continue;
        if (chosen) {
          this.report(path, `only one of (${describe(g)}) may be given`);
          break;
        }
        chosen = ps[i];
      }
      if (!chosen) {
        if (g.minOccurs > 0 && !g.emptiable) this.report(path, `one of (${describe(g)}) is required`);
        return '';
      }
      return this.particle(chosen, obj, path, occurrence);
    }
    let out = '';
    for (let i = 0; i < ps.length; i++) out += this.particle(ps[i], obj, path, occurrence);
    return out;
  }

  private particle(p: CompiledParticle, obj: Obj, path: string, occurrence: number): string {
    if (p.kind === 'element') return this.elementParticle(p, obj, path, occurrence);
    if (p.kind === 'any') return this.any(p, obj, path);
    return this.group(p, obj, path, occurrence);
  }

  private elementParticle(p: CompiledElement, obj: Obj, path: string, occurrence: number): string {
    const v = obj[p.prop];
    if (!p.repeated) {
      if (v === undefined) {
        if (p.minOccurs > 0) this.report(`${path}/${p.display}`, 'required element missing');
        return '';
      }
      return this.element(p, v, path, -1);
    }
    if (v !== undefined && !Array.isArray(v)) {
      this.report(`${path}/${p.display}`, 'must be an array (repeated element)');
      return '';
    }
    const items = (v ?? []) as unknown[];
    if (occurrence === EVERY) {
      let out = '';
      for (let i = 0; i < items.length; i++) out += this.element(p, items[i], path, i);
      return out;
    }
    if (occurrence >= 0 && p.maxOccurs <= 1) {
      // Repeated only through the enclosing group: one item per group occurrence.
      const item = items[occurrence];
      if (item === undefined) {
        if (p.minOccurs > 0) this.report(`${path}/${p.display}[${occurrence + 1}]`, 'required element missing');
        return '';
      }
      return this.element(p, item, path, occurrence);
    }
    if (occurrence > 0) return ''; // an element repeating inside a repeating group is written with the first occurrence
    if (items.length < p.minOccurs) this.report(`${path}/${p.display}`, `at least ${p.minOccurs} required (given ${items.length})`);
    if (items.length > p.maxOccurs) this.report(`${path}/${p.display}`, `at most ${p.maxOccurs} allowed (given ${items.length})`);
    let out = '';
    for (let i = 0; i < items.length; i++) out += this.element(p, items[i], path, i);
    return out;
  }

  private any(p: CompiledAny, obj: Obj, path: string): string {
    const v = obj[p.prop];
    const items = v === undefined ? [] : v;
    if (!Array.isArray(items)) {
      this.report(`${path}/${p.prop}`, 'must be an array of XML strings (xs:any)');
      return '';
    }
    if (items.length < p.minOccurs) this.report(path, `at least ${p.minOccurs} wildcard element(s) required`);
    let out = '';
    for (let i = 0; i < items.length; i++) {
      const xml = items[i];
      if (typeof xml !== 'string') {
        this.report(`${path}/${p.prop}[${i + 1}]`, 'must be an XML string (xs:any)');
        continue;
      }
      try {
        parseXmlFast(xml);
      } catch (err) {
        this.report(`${path}/${p.prop}[${i + 1}]`, `is not a well-formed XML element: ${(err as Error).message}`);
        continue;
      }
      out += xml;
    }
    return out;
  }

  /** Escaped lexical form, or undefined (reported) when the value does not fit. */
  simple(type: CompiledSimpleType, value: unknown, path: string, attribute = false): string | undefined {
    const problems = this.problems;
    const text = this.simpleText(type, value, problems, attribute);
    if (text === undefined) {
      for (const m of problems) this.report(path, m);
      problems.length = 0;
    }
    return text;
  }

  /** Escaped lexical form, or undefined with the reasons in `problems`. */
  private simpleText(type: CompiledSimpleType, value: unknown, problems: string[], attribute: boolean): string | undefined {
    const s = writeSimple(type, value, problems);
    if (s === INVALID) return undefined;
    // Setting length is a runtime call even on an empty array; once per value it showed as ~4% of encoding.
    if (problems.length !== 0) problems.length = 0;
    if (type.repr !== 'string') return s;
    try {
      return attribute ? escapeAttribute(s) : escapeText(s);
    } catch (err) {
      if (err instanceof XmlCharacterError) {
        problems.push(err.message);
        return undefined;
      }
      throw err;
    }
  }
}

function pathOf(parent: string, decl: CompiledElement, index: number): string {
  return index < 0 ? `${parent}/${decl.display}` : `${parent}/${decl.display}[${index + 1}]`;
}

function isPresent(p: CompiledParticle, obj: Obj, occurrence: number): boolean {
  if (p.kind === 'element') {
    const v = obj[p.prop];
    if (p.repeated) return Array.isArray(v) && (occurrence >= 0 && p.maxOccurs <= 1 ? v[occurrence] !== undefined : v.length > 0);
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
  return g.particles.map((p) => (p.kind === 'element' ? p.display : p.kind === 'any' ? '*' : `(${p.kind})`)).join(g.kind === 'choice' ? ' | ' : ', ');
}

/**
 * Encodes `value` as the global element `elementKey` ("{ns}local") and returns the XML text of that
 * element (no XML declaration), namespaces declared on it. Throws SchemaEncodeError listing every problem.
 */
export function encodeElement(schema: CompiledSchema, elementKey: string, value: unknown): string {
  const decl = schema.elements.get(elementKey);
  if (!decl) throw new UnknownElementError(elementKey);
  const e = new Encoder();
  if (value === undefined) e.report(decl.display, 'no value given');
  const xml = value === undefined ? '' : e.elementInFull(decl, value, decl.display, decl.declarations);
  if (e.violations.length > 0) throw new SchemaEncodeError(e.violations);
  return xml;
}

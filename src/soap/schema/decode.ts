/**
 * XmlElement -> typed value through the compiled schema, collecting every violation with its path
 * (e.g. "SubmitOrderRequest/line[3]/quantity: must be >= 1").
 *
 * Content models are matched greedily, which is exact for schemas obeying the Unique Particle
 * Attribution rule. The hot path makes one pass; only when something is wrong does a second,
 * diagnostic pass run to tell unknown, misplaced and surplus elements apart.
 */
import { SchemaViolationError, type Violation } from '../fault';
import type { XmlElement } from '../xml/element';
import * as compiled from './compile';
import {
  type CompiledAny,
  type CompiledComplexType,
  type CompiledElement,
  type CompiledGroup,
  type CompiledParticle,
  type CompiledSchema,
  type CompiledSimpleType,
  type CompiledType,
} from './tables';
import * as lexical from './lexical';
import { XSI_NS, clark } from './model';
import * as simpleValues from './simple';

// Local bindings for the hot path (CommonJS transpilers may turn every imported-binding use into a getter call).
const INVALID: lexical.Invalid = lexical.INVALID;
const readSimple = simpleValues.readSimple;
const anyAccepts = compiled.anyAccepts;

export class UnknownElementError extends Error {
  constructor(readonly elementKey: string) {
    super(`schema: no global element ${elementKey}`);
    this.name = 'UnknownElementError';
  }
}

type Out = Record<string, unknown>;

class Decoder {
  readonly violations: Violation[] = [];
  private readonly problems: string[] = [];
  /** Set for the second pass over faulty content: misplaced elements are reported and skipped. */
  private diagnostic = false;
  private currentType: CompiledComplexType | undefined;

  report(path: string, message: string): void {
    this.violations.push({ path, message });
  }

  /**
   * Decodes one element. `index` is its 0-based position among repetitions (-1 when not repeated); the
   * path string is only built when it is needed (a violation, or descending into complex content).
   */
  element(decl: CompiledElement, el: XmlElement, parent: string, index: number): unknown {
    const fast = decl.fastRead;
    if (fast !== undefined && el.attributes.length === 0 && el.children.length === 0) {
      // A text the type's fast reader can prove valid (readers.ts); anything else takes the full path below.
      const v = fast(el.text);
      if (v !== undefined) return v;
    }
    const type0 = decl.type;
    if (
      type0.kind === 'simple' &&
      el.attributes.length === 0 &&
      el.children.length === 0 &&
      decl.default === undefined &&
      decl.fixed === undefined
    ) {
      const problems = this.problems;
      const v = readSimple(type0, el.text, problems);
      if (problems.length > 0) {
        const path = pathOf(parent, decl, index);
        for (const m of problems) this.report(path, m);
        problems.length = 0;
      }
      return v === INVALID ? undefined : v;
    }
    return this.elementInFull(decl, el, pathOf(parent, decl, index));
  }

  elementInFull(decl: CompiledElement, el: XmlElement, path: string): unknown {
    let type: CompiledType = decl.type;
    let nilled = false;
    if (el.attributes.length > 0) {
      const xsiType = el.attr(XSI_NS, 'type');
      if (xsiType !== undefined) {
        const resolved = this.resolveXsiType(type, xsiType, el, path);
        if (resolved === undefined) return undefined;
        type = resolved;
      }
      const nil = el.attr(XSI_NS, 'nil');
      if (nil !== undefined) {
        const v = nil.trim();
        if (v === 'true' || v === '1') nilled = true;
        else if (v !== 'false' && v !== '0') this.report(path, `xsi:nil must be true or false, not '${nil}'`);
        if (nilled && !decl.nillable) {
          this.report(path, 'is not nillable (xsi:nil not allowed)');
          return undefined;
        }
      }
    }
    if (nilled) {
      if (el.children.length > 0 || el.text !== '') this.report(path, 'must be empty when xsi:nil is true');
      if (type.kind === 'complex') this.attributes(type, el, path, {});
      else this.onlyXsiAttributes(el, path);
      return null;
    }
    if (type.kind === 'simple') {
      this.onlyXsiAttributes(el, path);
      if (el.children.length > 0) {
        this.report(path, `must not contain elements (found ${el.children[0].local})`);
        return undefined;
      }
      let text = el.text;
      if (text === '' && decl.default !== undefined) text = decl.default;
      const v = this.simple(type, text, path);
      if (v !== INVALID && decl.fixed !== undefined && text !== decl.fixed && !sameValue(type, text, decl.fixed)) {
        this.report(path, `must be the fixed value '${decl.fixed}'`);
      }
      return v === INVALID ? undefined : v;
    }
    if (type.abstract) {
      this.report(path, `type ${type.key} is abstract: an xsi:type naming a derived type is required`);
      return undefined;
    }
    return this.complex(type, el, path);
  }

  private resolveXsiType(
    declared: CompiledType,
    value: string,
    el: XmlElement,
    path: string,
  ): CompiledType | undefined {
    const v = value.trim();
    const colon = v.indexOf(':');
    const prefix = colon < 0 ? '' : v.slice(0, colon);
    const ns = el.lookupNamespace(prefix);
    if (ns === undefined) {
      this.report(path, `xsi:type '${value}' uses an undeclared prefix`);
      return undefined;
    }
    const key = clark(ns, colon < 0 ? v : v.slice(colon + 1));
    if (key === declared.key) return declared;
    if (declared.kind === 'complex') {
      const derived = declared.derived.get(key);
      if (derived) return derived;
    }
    this.report(path, `xsi:type ${key} is not ${declared.key} or a type derived from it by extension`);
    return undefined;
  }

  private onlyXsiAttributes(el: XmlElement, path: string): void {
    for (const a of el.attributes) {
      if (a.ns !== XSI_NS) this.report(`${path}/@${a.local}`, 'attribute not allowed');
    }
  }

  simple(type: CompiledSimpleType, text: string, path: string): unknown {
    const problems = this.problems;
    const v = readSimple(type, text, problems);
    if (problems.length > 0) {
      for (const m of problems) this.report(path, m);
      problems.length = 0;
    }
    return v;
  }

  private attributes(type: CompiledComplexType, el: XmlElement, path: string, out: Out): void {
    const declared = type.attributes;
    const attrs = el.attributes;
    for (let i = 0; i < attrs.length; i++) {
      const a = attrs[i];
      if (a.ns === XSI_NS) continue;
      let decl;
      for (let j = 0; j < declared.length; j++) {
        if (declared[j].name === a.local && declared[j].ns === a.ns) {
          decl = declared[j];
          break;
        }
      }
      if (!decl) {
        const wildcard = type.anyAttribute;
        if (wildcard !== undefined && anyAccepts(wildcard, a.ns)) {
          const extra = (out.$attributes ??= {}) as Record<string, string>;
          extra[a.ns === '' ? a.local : clark(a.ns, a.local)] = a.value;
          continue;
        }
        this.report(`${path}/@${a.local}`, a.ns === '' ? 'unknown attribute' : `unknown attribute {${a.ns}}${a.local}`);
        continue;
      }
      const v = this.simple(decl.type, a.value, `${path}/@${a.local}`);
      if (v === INVALID) continue;
      if (decl.fixed !== undefined && !sameValue(decl.type, a.value, decl.fixed)) {
        this.report(`${path}/@${a.local}`, `must be the fixed value '${decl.fixed}'`);
      }
      out[decl.prop] = v;
    }
    for (let j = 0; j < declared.length; j++) {
      const d = declared[j];
      if (out[d.prop] !== undefined) continue;
      if (d.required) this.report(`${path}/@${d.name}`, 'required attribute missing');
      else if (d.default !== undefined || d.fixed !== undefined) {
        const v = this.simple(d.type, (d.default ?? d.fixed) as string, `${path}/@${d.name}`);
        if (v !== INVALID) out[d.prop] = v;
      }
    }
  }

  private complex(type: CompiledComplexType, el: XmlElement, path: string): Out {
    const out: Out = {};
    const arrays = type.arrayProps;
    for (let i = 0; i < arrays.length; i++) out[arrays[i]] = [];
    if (type.hasAttributes) this.attributes(type, el, path, out);
    else if (el.attributes.length > 0) this.onlyXsiAttributes(el, path);

    const kids = el.children;
    if (type.simpleContent) {
      if (kids.length > 0) this.report(path, `must not contain elements (found ${kids[0].local})`);
      else {
        const v = this.simple(type.simpleContent, el.text, path);
        if (v !== INVALID) out.$value = v;
      }
      return out;
    }
    if (!type.mixed && (el.hasMixedText || (kids.length === 0 && hasNonSpace(el.text)))) {
      this.report(path, 'text content is not allowed here');
    }
    const content = type.content;
    if (!content) {
      if (kids.length > 0) {
        for (const k of kids) this.report(`${path}/${k.local}`, 'unknown element (this element must be empty)');
      }
      return out;
    }
    const mark = this.violations.length;
    const outerType = this.currentType;
    this.currentType = type;
    const end = this.group(content, kids, 0, out, path);
    this.currentType = outerType;
    if (end === kids.length && this.violations.length === mark) return out;
    return this.diagnose(type, kids, path, mark, out);
  }

  /**
   * Second pass over a faulty content model: drop unknown elements (reporting them), match again,
   * then explain what is left over.
   */
  private diagnose(type: CompiledComplexType, kids: readonly XmlElement[], path: string, mark: number, out: Out): Out {
    this.violations.length = mark;
    // Attribute values (and their reports, before `mark`) stay; element values are matched again.
    for (const e of type.elements) delete out[e.prop];
    for (const p of type.arrayProps) out[p] = [];
    const known: XmlElement[] = [];
    for (const k of kids) {
      if (isKnown(type, k)) known.push(k);
      else this.report(`${path}/${k.local}`, k.ns === '' ? 'unknown element' : `unknown element {${k.ns}}${k.local}`);
    }
    const wasDiagnostic = this.diagnostic;
    const outerType = this.currentType;
    this.diagnostic = true;
    this.currentType = type;
    let pos = this.group(type.content as CompiledGroup, known, 0, out, path);
    this.diagnostic = wasDiagnostic;
    this.currentType = outerType;
    while (pos < known.length) {
      const k = known[pos++];
      const decl = type.elements.find((e) => e.name === k.local && e.ns === k.ns);
      this.report(`${path}/${k.local}`, misplacedMessage(type, decl, out));
    }
    return out;
  }

  /** Matches occurrences of a group from `pos`; returns the position after them. */
  group(g: CompiledGroup, kids: readonly XmlElement[], pos: number, out: Out, path: string): number {
    let occurrences = 0;
    while (occurrences < g.maxOccurs) {
      const before = pos;
      const mark = this.violations.length;
      pos = this.groupOnce(g, kids, pos, out, path, occurrences < g.minOccurs);
      if (pos === before) {
        // An occurrence that matched nothing does not exist: drop its "missing" reports unless it was required.
        if (occurrences >= g.minOccurs) this.violations.length = mark;
        break;
      }
      occurrences++;
    }
    return pos;
  }

  private groupOnce(
    g: CompiledGroup,
    kids: readonly XmlElement[],
    pos: number,
    out: Out,
    path: string,
    required: boolean,
  ): number {
    const ps = g.particles;
    if (g.kind === 'sequence') {
      for (let i = 0; i < ps.length; i++) {
        if (this.diagnostic) pos = this.skipMisplaced(ps, i, kids, pos, out, path);
        pos = this.particle(ps[i], kids, pos, out, path);
      }
      if (this.diagnostic) pos = this.skipMisplaced(ps, ps.length, kids, pos, out, path);
      return pos;
    }
    if (g.kind === 'choice') {
      if (pos < kids.length) {
        const k = kids[pos];
        for (let i = 0; i < ps.length; i++) {
          if (startsWith(ps[i], k)) return this.particle(ps[i], kids, pos, out, path);
        }
      }
      if (required && !g.emptiable) this.report(path, `one of (${describeChoice(g)}) is required`);
      return pos;
    }
    // xs:all: each element at most once, any order.
    const seen = new Array<boolean>(ps.length).fill(false);
    while (pos < kids.length) {
      const k = kids[pos];
      let index = -1;
      for (let i = 0; i < ps.length; i++) {
        const e = ps[i] as CompiledElement;
        if (e.name === k.local && e.ns === k.ns) {
          index = i;
          break;
        }
      }
      if (index < 0) break;
      if (seen[index]) {
        if (!this.diagnostic) break;
        this.report(`${path}/${k.local}`, 'appears more than once (at most once allowed)');
        pos++;
        continue;
      }
      seen[index] = true;
      const e = ps[index] as CompiledElement;
      this.store(e, this.element(e, k, path, -1), out);
      pos++;
    }
    if (required || seen.some(Boolean)) {
      for (let i = 0; i < ps.length; i++) {
        const e = ps[i] as CompiledElement;
        if (!seen[i] && e.minOccurs > 0) this.report(`${path}/${e.display}`, 'required element missing');
      }
    }
    return pos;
  }

  /**
   * Diagnostic pass, in a sequence before particle `from`: an element only an earlier particle could take
   * is out of order or surplus; report it and move on so the rest is still checked.
   */
  private skipMisplaced(
    ps: readonly CompiledParticle[],
    from: number,
    kids: readonly XmlElement[],
    pos: number,
    out: Out,
    path: string,
  ): number {
    const type = this.currentType as CompiledComplexType;
    while (pos < kids.length) {
      const k = kids[pos];
      let later = false;
      for (let j = from; j < ps.length && !later; j++) later = startsWith(ps[j], k);
      if (later) break;
      let earlier = false;
      for (let j = 0; j < from && !earlier; j++) earlier = startsWith(ps[j], k);
      if (!earlier) break;
      const decl = type.elements.find((e) => e.name === k.local && e.ns === k.ns);
      this.report(`${path}/${k.local}`, misplacedMessage(type, decl, out));
      pos++;
    }
    return pos;
  }

  private particle(p: CompiledParticle, kids: readonly XmlElement[], pos: number, out: Out, path: string): number {
    if (p.kind === 'element') {
      let count = 0;
      const n = kids.length;
      while (pos < n && count < p.maxOccurs) {
        const k = kids[pos];
        if (k.local !== p.name || k.ns !== p.ns) break;
        this.store(p, this.element(p, k, path, p.repeated ? indexIn(out, p) : -1), out);
        count++;
        pos++;
      }
      if (count < p.minOccurs) {
        this.report(
          `${path}/${p.display}`,
          count === 0 && p.minOccurs === 1
            ? 'required element missing'
            : `at least ${p.minOccurs} required (found ${count})`,
        );
      }
      return pos;
    }
    if (p.kind === 'any') return this.any(p, kids, pos, out, path);
    return this.group(p, kids, pos, out, path);
  }

  private any(p: CompiledAny, kids: readonly XmlElement[], pos: number, out: Out, path: string): number {
    let count = 0;
    const list = out[p.prop] as string[];
    while (pos < kids.length && count < p.maxOccurs && anyAccepts(p, kids[pos].ns)) {
      list.push(kids[pos].toXml());
      count++;
      pos++;
    }
    if (count < p.minOccurs) this.report(path, `at least ${p.minOccurs} wildcard element(s) required (found ${count})`);
    return pos;
  }

  private store(decl: CompiledElement, value: unknown, out: Out): void {
    if (decl.repeated) (out[decl.prop] as unknown[]).push(value);
    else out[decl.prop] = value;
  }
}

function pathOf(parent: string, decl: CompiledElement, index: number): string {
  return index < 0 ? `${parent}/${decl.display}` : `${parent}/${decl.display}[${index + 1}]`;
}

function indexIn(out: Out, p: CompiledElement): number {
  return (out[p.prop] as unknown[]).length;
}

function hasNonSpace(t: string): boolean {
  for (let i = 0; i < t.length; i++) {
    const c = t.charCodeAt(i);
    if (c !== 0x20 && c !== 0x9 && c !== 0xa && c !== 0xd) return true;
  }
  return false;
}

function startsWith(p: CompiledParticle, k: XmlElement): boolean {
  if (p.kind === 'element') return p.name === k.local && p.ns === k.ns;
  if (p.kind === 'any') return anyAccepts(p, k.ns);
  if (p.kind === 'sequence') {
    for (const q of p.particles) {
      if (startsWith(q, k)) return true;
      if (!(q.kind === 'element' || q.kind === 'any' ? q.minOccurs === 0 : q.minOccurs === 0 || q.emptiable))
        return false;
    }
    return false;
  }
  return p.particles.some((q) => startsWith(q, k));
}

function describeChoice(g: CompiledGroup): string {
  return g.particles
    .map((p) => (p.kind === 'element' ? p.display : p.kind === 'any' ? '*' : `(${p.kind})`))
    .join(' | ');
}

function isKnown(type: CompiledComplexType, k: XmlElement): boolean {
  for (const e of type.elements) if (e.name === k.local && e.ns === k.ns) return true;
  return hasWildcardFor(type.content, k.ns);
}

function hasWildcardFor(g: CompiledGroup | null, ns: string): boolean {
  if (!g) return false;
  return g.particles.some((p) =>
    p.kind === 'any' ? anyAccepts(p, ns) : p.kind === 'element' ? false : hasWildcardFor(p, ns),
  );
}

function misplacedMessage(type: CompiledComplexType, decl: CompiledElement | undefined, out: Out): string {
  if (!decl) return 'element not allowed here';
  const v = out[decl.prop];
  if (decl.repeated && decl.maxOccurs <= 1) return 'out of order, or too many occurrences of its repeating group';
  if (decl.repeated && Array.isArray(v) && v.length >= decl.maxOccurs)
    return `too many occurrences (at most ${decl.maxOccurs})`;
  if (!decl.repeated && v !== undefined) return 'appears more than once (at most once allowed)';
  const choice = findChoiceOf(type.content, decl);
  if (choice) {
    const others = choice.particles.filter((p) => p !== decl && p.kind === 'element' && out[p.prop] !== undefined);
    if (others.length > 0) return `only one of (${describeChoice(choice)}) may be present`;
  }
  return `out of order (expected order: ${type.elements.map((e) => e.display).join(', ')})`;
}

function findChoiceOf(g: CompiledGroup | null, decl: CompiledElement): CompiledGroup | undefined {
  if (!g) return undefined;
  for (const p of g.particles) {
    if (p === decl) return g.kind === 'choice' ? g : undefined;
    if (p.kind !== 'element' && p.kind !== 'any') {
      const found = findChoiceOf(p, decl);
      if (found) return found;
    }
  }
  return undefined;
}

function sameValue(type: CompiledSimpleType, a: string, b: string): boolean {
  const scratch: string[] = [];
  const x = readSimple(type, a, scratch);
  const y = readSimple(type, b, scratch);
  if (x === INVALID || y === INVALID) return false;
  if (Buffer.isBuffer(x) && Buffer.isBuffer(y)) return x.equals(y);
  return x === y || (typeof x === 'number' && typeof y === 'number' && Number.isNaN(x) && Number.isNaN(y));
}

/**
 * Decodes `el` as the global element `elementKey` ("{ns}local"). Returns the typed value (see the value
 * mapping in builtins.ts/model.ts) or throws SchemaViolationError listing every violation.
 */
export function decodeElement(schema: CompiledSchema, elementKey: string, el: XmlElement): unknown {
  const decl = schema.elements.get(elementKey);
  if (!decl) throw new UnknownElementError(elementKey);
  const d = new Decoder();
  if (el.local !== decl.name || el.ns !== decl.ns) {
    d.report(el.local, `expected element ${elementKey}, found {${el.ns}}${el.local}`);
    throw new SchemaViolationError(d.violations);
  }
  const value = d.elementInFull(decl, el, decl.display);
  if (d.violations.length > 0) throw new SchemaViolationError(d.violations);
  return value;
}

/**
 * Hydrates the JSON-serialisable SchemaModel once, at start-up, into linked lookup tables for the
 * codec: type keys become object references, patterns become anchored RegExps, facet bounds are parsed
 * into comparable values, every element gets its wire tag, and every global element its namespace
 * declarations. The decoder and encoder then only walk these tables (their types: tables.ts).
 * "Compiling the schema" means this step, model -> codec tables; XSD -> model is "building the model"
 * (src/soap/wsdl/model-builder.ts), done by codegen.
 */
import { BUILTIN_REPR, isBuiltinName } from './builtins';
import {
  INTEGER_RANGES,
  applyWhiteSpace,
  builtinWhiteSpace,
  decimalParts,
  enumerationKeyOfLexical,
  isDecimalLexical,
  parseDuration,
  parseFloatLexical,
  parseTemporal,
  INVALID,
  type WhiteSpace,
} from './lexical';
import {
  XSD_NS,
  XSI_NS,
  splitClark,
  type AnyParticle,
  type AttributeDecl,
  type BuiltinName,
  type ComplexTypeDef,
  type ElementDecl,
  type Facets,
  type GlobalElement,
  type ModelGroup,
  type Particle,
  type SchemaModel,
  type SimpleTypeDef,
  type TypeDef,
  type TypeKey,
} from './model';
import { compileFastReader } from './readers';
import type {
  CompiledAny,
  CompiledAttribute,
  CompiledBound,
  CompiledComplexType,
  CompiledElement,
  CompiledGlobalElement,
  CompiledGroup,
  CompiledParticle,
  CompiledSchema,
  CompiledSimpleType,
  CompiledType,
  CompiledWildcard,
  FastReader,
  FastWriter,
  OrderKind,
} from './tables';
import { compileFastWriter } from './writers';

/** What compileSchema returns (the codec tables' root). */
export type { CompiledSchema } from './tables';

/** Flag set used for translated XSD patterns (src/soap/wsdl/xsd-regex.ts writes sources for unicodeSets mode). */
export const PATTERN_FLAGS = 'v';

export interface CompileOptions {
  /** Preferred prefixes by namespace URI; others get 'tns' (first global element's namespace), then ns1, ns2... */
  prefixes?: Record<string, string>;
}

export class SchemaCompileError extends Error {
  constructor(message: string) {
    super(`schema: ${message}`);
    this.name = 'SchemaCompileError';
  }
}

/** How many later elements of a plain sequence get a joined close-then-open tag (skipping absent optional ones). */
const CLOSE_THEN_OPEN_REACH = 4;

const BUILTIN_KEY_PREFIX = `{${XSD_NS}}`;
const XML_NAMESPACE = 'http://www.w3.org/XML/1998/namespace';

/** Built-ins whose every (whitespace-processed) lexical form is valid. */
const PLAIN_BUILTINS: ReadonlySet<BuiltinName> = new Set<BuiltinName>([
  'string',
  'normalizedString',
  'token',
  'anyURI',
  'anyType',
  'anySimpleType',
]);

export function compileSchema(model: SchemaModel, options: CompileOptions = {}): CompiledSchema {
  return new Compiler(model, options).run();
}

class Compiler {
  private readonly types = new Map<string, CompiledType>();
  private readonly elements = new Map<string, CompiledGlobalElement>();
  private readonly prefixes = new Map<string, string>();
  private currentTargetNamespace = '';

  constructor(
    private readonly model: SchemaModel,
    private readonly options: CompileOptions,
  ) {}

  run(): CompiledSchema {
    this.assignPrefixes();
    // Shells first so recursive and forward references link to the same objects.
    for (const key of Object.keys(this.model.types)) this.resolveType(key, `type ${key}`);
    for (const [key, def] of Object.entries(this.model.types)) {
      const compiled = this.types.get(key) as CompiledType;
      if (def.kind === 'complex') this.fillComplex(compiled as CompiledComplexType, def);
    }
    this.linkDerivations();
    for (const [key, g] of Object.entries(this.model.elements)) this.elements.set(key, this.compileGlobal(key, g));
    return { types: this.types, elements: this.elements, prefixes: this.prefixes };
  }

  private assignPrefixes(): void {
    const preferred = this.options.prefixes ?? {};
    const used = new Set<string>(['xsi', 'xml', 'xmlns']);
    // The xml prefix is bound by definition and must never be declared.
    this.prefixes.set(XML_NAMESPACE, 'xml');
    for (const [uri, prefix] of Object.entries(preferred)) {
      this.prefixes.set(uri, prefix);
      used.add(prefix);
    }
    const namespaces: string[] = [];
    const note = (ns: string): void => {
      if (ns !== '' && ns !== XML_NAMESPACE && !namespaces.includes(ns)) namespaces.push(ns);
    };
    for (const g of Object.values(this.model.elements)) note(g.ns);
    const walk = (p: Particle): void => {
      if (p.kind === 'element') note(p.ns);
      else if (p.kind !== 'any') p.particles.forEach(walk);
    };
    for (const def of Object.values(this.model.types)) {
      if (def.kind !== 'complex') continue;
      if (def.content) walk(def.content);
      for (const a of def.attributes) note(a.ns);
    }
    // 'tns' goes to the namespace most global elements live in (the contract's own), the rest get ns1, ns2...
    const weight = new Map<string, number>();
    for (const g of Object.values(this.model.elements)) weight.set(g.ns, (weight.get(g.ns) ?? 0) + 1);
    const main = namespaces.reduce<string | undefined>(
      (best, ns) => (best === undefined || (weight.get(ns) ?? 0) > (weight.get(best) ?? 0) ? ns : best),
      undefined,
    );
    if (main !== undefined && !this.prefixes.has(main) && !used.has('tns')) {
      this.prefixes.set(main, 'tns');
      used.add('tns');
    }
    let counter = 1;
    for (const ns of namespaces) {
      if (this.prefixes.has(ns)) continue;
      let prefix = used.has('tns') ? `ns${counter++}` : 'tns';
      while (used.has(prefix)) prefix = `ns${counter++}`;
      used.add(prefix);
      this.prefixes.set(ns, prefix);
    }
    this.prefixes.set(XSI_NS, 'xsi');
  }

  private resolveType(key: TypeKey, usedBy: string): CompiledType {
    const existing = this.types.get(key);
    if (existing) return existing;
    let def = this.model.types[key];
    if (!def) {
      const local = key.startsWith(BUILTIN_KEY_PREFIX) ? key.slice(BUILTIN_KEY_PREFIX.length) : undefined;
      if (local === undefined || !isBuiltinName(local))
        throw new SchemaCompileError(`type ${key} (used by ${usedBy}) is not defined`);
      def = { kind: 'simple', name: key, builtin: local, facets: {} };
    }
    if (def.kind === 'simple') {
      const compiled = this.compileSimple(key, def);
      this.types.set(key, compiled);
      return compiled;
    }
    const shell: CompiledComplexType = {
      kind: 'complex',
      key,
      targetNamespace: splitClark(key).ns,
      abstract: def.abstract ?? false,
      content: null,
      attributes: [],
      mixed: def.mixed ?? false,
      arrayProps: [],
      elements: [],
      sequence: undefined,
      derived: new Map(),
      anyAttribute: undefined,
      hasAttributes: false,
    };
    this.types.set(key, shell);
    return shell;
  }

  private simpleRef(key: TypeKey, usedBy: string): CompiledSimpleType {
    const t = this.resolveType(key, usedBy);
    if (t.kind !== 'simple') throw new SchemaCompileError(`${usedBy} needs a simple type but ${key} is complex`);
    return t;
  }

  private compileSimple(key: string, def: SimpleTypeDef): CompiledSimpleType {
    const f: Facets = def.facets ?? {};
    const builtin = def.builtin;
    if (!isBuiltinName(builtin)) throw new SchemaCompileError(`type ${key}: unknown built-in ${String(builtin)}`);
    const item = def.listOf !== undefined ? this.simpleRef(def.listOf, `list type ${key}`) : undefined;
    const members = def.unionOf?.map((m) => this.simpleRef(m, `union type ${key}`));
    // A union's members process whitespace themselves; its own facets see the collapsed form only when they all collapse.
    const whiteSpace: WhiteSpace = item
      ? 'collapse'
      : members
        ? members.every((m) => m.whiteSpace === 'collapse')
          ? 'collapse'
          : 'preserve'
        : (f.whiteSpace ?? builtinWhiteSpace(builtin));
    const order = item ? undefined : orderOf(builtin);
    const t: {
      -readonly [K in keyof CompiledSimpleType]: CompiledSimpleType[K];
    } = {
      kind: 'simple',
      key,
      builtin,
      repr: BUILTIN_REPR[builtin],
      whiteSpace,
      plain: false,
      numberMin: -Infinity,
      numberMax: Infinity,
      textWriter: undefined,
      attributeWriter: undefined,
      textReader: undefined,
    };
    if (item) t.item = item;
    if (members) t.members = members;
    const range = item ? undefined : INTEGER_RANGES[builtin];
    if (range) {
      t.integerRange = range;
      if (range.min !== undefined) t.numberMin = Number(range.min);
      if (range.max !== undefined) t.numberMax = Number(range.max);
    }
    if (order) t.order = order;
    if (f.enumeration && f.enumeration.length > 0) {
      const keys = new Set<string>();
      for (const v of f.enumeration) {
        const k = enumerationKeyOfLexical(t, applyWhiteSpace(v, whiteSpace));
        if (k === undefined)
          throw new SchemaCompileError(`type ${key}: enumeration value '${v}' is not a valid ${builtin}`);
        keys.add(k);
      }
      t.enumeration = keys;
      t.enumerationText = f.enumeration.join(', ');
    }
    if (f.pattern && f.pattern.length > 0) {
      t.patternSources = f.pattern;
      t.patterns = f.pattern.map((src) => {
        try {
          return new RegExp(`^(?:${src})$`, PATTERN_FLAGS);
        } catch (err) {
          throw new SchemaCompileError(`type ${key}: pattern ${src} does not compile: ${(err as Error).message}`);
        }
      });
    }
    if (f.length !== undefined) t.length = f.length;
    if (f.minLength !== undefined) t.minLength = f.minLength;
    if (f.maxLength !== undefined) t.maxLength = f.maxLength;
    if (f.totalDigits !== undefined) t.totalDigits = f.totalDigits;
    if (f.fractionDigits !== undefined) t.fractionDigits = f.fractionDigits;
    const bound = (lexical: string | undefined, inclusive: boolean, facet: string): CompiledBound | undefined => {
      if (lexical === undefined) return undefined;
      if (!order) throw new SchemaCompileError(`type ${key}: facet ${facet} does not apply to ${builtin}`);
      const b = parseBound(order, builtin, lexical.trim(), inclusive);
      if (!b) throw new SchemaCompileError(`type ${key}: ${facet} value '${lexical}' is not a valid ${builtin}`);
      return b;
    };
    const lower = bound(f.minInclusive, true, 'minInclusive') ?? bound(f.minExclusive, false, 'minExclusive');
    const upper = bound(f.maxInclusive, true, 'maxInclusive') ?? bound(f.maxExclusive, false, 'maxExclusive');
    if (lower) t.lower = lower;
    if (upper) t.upper = upper;
    t.plain =
      !item &&
      !members &&
      PLAIN_BUILTINS.has(builtin) &&
      !t.enumeration &&
      !t.patterns &&
      t.length === undefined &&
      t.minLength === undefined &&
      t.maxLength === undefined &&
      !lower &&
      !upper &&
      t.totalDigits === undefined &&
      t.fractionDigits === undefined;
    t.textWriter = compileFastWriter(t, false);
    t.attributeWriter = compileFastWriter(t, true);
    t.textReader = compileFastReader(t);
    return t;
  }

  private fillComplex(t: CompiledComplexType, def: ComplexTypeDef): void {
    const where = `type ${t.key}`;
    this.currentTargetNamespace = t.targetNamespace;
    t.attributes = def.attributes.map((a) => this.compileAttribute(a, where));
    if (def.anyAttribute)
      t.anyAttribute = compileWildcard(def.anyAttribute.namespace, def.anyAttribute.processContents, t.targetNamespace);
    t.hasAttributes = t.attributes.length > 0 || t.anyAttribute !== undefined;
    if (def.simpleContent !== undefined) t.simpleContent = this.simpleRef(def.simpleContent, where);
    if (def.content) {
      const elements: CompiledElement[] = [];
      const anys: CompiledAny[] = [];
      t.content = this.compileGroup(def.content, false, elements, anys, where);
      // The same property reached by two particles collects into one array.
      const counts = new Map<string, number>();
      for (const e of elements) counts.set(e.prop, (counts.get(e.prop) ?? 0) + 1);
      for (const e of elements) if ((counts.get(e.prop) ?? 0) > 1) e.repeated = true;
      const arrayProps: string[] = [];
      for (const e of elements) if (e.repeated && !arrayProps.includes(e.prop)) arrayProps.push(e.prop);
      for (const a of anys) if (!arrayProps.includes(a.prop)) arrayProps.push(a.prop);
      t.arrayProps = arrayProps;
      t.elements = elements;
      const c = t.content;
      if (c.kind !== 'choice' && c.maxOccurs === 1 && c.particles.every((p) => p.kind === 'element')) {
        const sequence = c.particles as CompiledElement[];
        t.sequence = sequence;
        sequence.forEach((e, i) => {
          const joined: (string | undefined)[] = [];
          for (let j = i + 1; j < sequence.length && j <= i + CLOSE_THEN_OPEN_REACH; j++)
            joined[j] = flat(e.closeTag + sequence[j].openTag);
          e.closeThenOpen = joined;
        });
      }
    }
  }

  private compileAttribute(a: AttributeDecl, where: string): CompiledAttribute {
    const type = this.simpleRef(a.type, `attribute ${a.name} of ${where}`);
    const qname = a.ns === '' ? a.name : `${this.prefixOf(a.ns)}:${a.name}`;
    return {
      name: a.name,
      ns: a.ns,
      prop: a.prop,
      type,
      required: a.required,
      default: a.default,
      fixed: a.fixed,
      qname,
      fastText: type.attributeWriter,
    };
  }

  private prefixOf(ns: string): string {
    const p = this.prefixes.get(ns);
    if (p === undefined) throw new SchemaCompileError(`no prefix for namespace ${ns}`);
    return p;
  }

  private compileGroup(
    g: ModelGroup,
    repeatedAbove: boolean,
    elements: CompiledElement[],
    anys: CompiledAny[],
    where: string,
  ): CompiledGroup {
    const maxOccurs = g.maxOccurs < 0 ? Infinity : g.maxOccurs;
    const repeats = repeatedAbove || maxOccurs > 1;
    const particles = g.particles.map((p) => this.compileParticle(p, repeats, elements, anys, where));
    const emptiableParticle = (p: CompiledParticle): boolean =>
      p.kind === 'element' || p.kind === 'any' ? p.minOccurs === 0 : p.minOccurs === 0 || p.emptiable;
    const emptiable =
      g.kind === 'choice'
        ? particles.length === 0 || particles.some(emptiableParticle)
        : particles.every(emptiableParticle);
    if (g.kind === 'all' && particles.some((p) => p.kind !== 'element' || p.maxOccurs > 1)) {
      throw new SchemaCompileError(`${where}: xs:all may only hold elements with maxOccurs <= 1`);
    }
    return { kind: g.kind, minOccurs: g.minOccurs, maxOccurs, particles, emptiable };
  }

  private compileParticle(
    p: Particle,
    repeatedAbove: boolean,
    elements: CompiledElement[],
    anys: CompiledAny[],
    where: string,
  ): CompiledParticle {
    if (p.kind === 'element') {
      const e = this.compileElementDecl(p, repeatedAbove, where);
      elements.push(e);
      return e;
    }
    if (p.kind === 'any') {
      const a = compileAny(p, this.currentTargetNamespace);
      anys.push(a);
      return a;
    }
    return this.compileGroup(p, repeatedAbove, elements, anys, where);
  }

  private compileElementDecl(d: ElementDecl, repeatedAbove: boolean, where: string): CompiledElement {
    const maxOccurs = d.maxOccurs < 0 ? Infinity : d.maxOccurs;
    const type = this.resolveType(d.type, `element ${d.name} of ${where}`);
    return {
      kind: 'element',
      name: d.name,
      ns: d.ns,
      prop: d.prop,
      type,
      minOccurs: d.minOccurs,
      maxOccurs,
      nillable: d.nillable,
      repeated: repeatedAbove || maxOccurs > 1,
      default: d.default,
      fixed: d.fixed,
      ...tags(d.ns === '' ? d.name : `${this.prefixOf(d.ns)}:${d.name}`),
      fastText: textWriterOf(type),
      closeThenOpen: [],
      fastRead: d.default === undefined && d.fixed === undefined ? textReaderOf(type) : undefined,
      display: d.name,
    };
  }

  private compileGlobal(key: string, g: GlobalElement): CompiledGlobalElement {
    const type = this.resolveType(g.type, `element ${key}`);
    const tag = g.ns === '' ? g.name : `${this.prefixOf(g.ns)}:${g.name}`;
    const e: CompiledGlobalElement = {
      kind: 'element',
      key,
      name: g.name,
      ns: g.ns,
      prop: g.name,
      type,
      minOccurs: 1,
      maxOccurs: 1,
      nillable: g.nillable,
      repeated: false,
      ...tags(tag),
      fastText: textWriterOf(type),
      closeThenOpen: [],
      fastRead: textReaderOf(type),
      display: g.name,
      declarations: '',
    };
    e.declarations = this.declarationsFor(e);
    return e;
  }

  /** Declarations for every namespace the element's subtree can use, each once, in a stable order. */
  private declarationsFor(top: CompiledGlobalElement): string {
    const namespaces = new Set<string>();
    let unqualified = false;
    let nillable = top.nillable;
    const seen = new Set<CompiledType>();
    const visitType = (t: CompiledType): void => {
      if (seen.has(t) || t.kind !== 'complex') return;
      seen.add(t);
      for (const a of t.attributes) if (a.ns !== '' && a.ns !== XML_NAMESPACE) namespaces.add(a.ns);
      for (const e of t.elements) {
        if (e.ns === '') unqualified = true;
        else namespaces.add(e.ns);
        if (e.nillable) nillable = true;
        visitType(e.type);
      }
      for (const d of t.derived.values()) visitType(d);
    };
    if (top.ns !== '') namespaces.add(top.ns);
    else unqualified = true;
    visitType(top.type);
    let out = '';
    // Unqualified children must not inherit a default namespace from the envelope they are written into.
    if (unqualified) out += ' xmlns=""';
    const ordered = [...namespaces].sort((a, b) => this.prefixOf(a).localeCompare(this.prefixOf(b)));
    if (top.ns !== '') {
      ordered.splice(ordered.indexOf(top.ns), 1);
      ordered.unshift(top.ns);
    }
    for (const ns of ordered) out += ` xmlns:${this.prefixOf(ns)}="${escapeDeclaration(ns)}"`;
    if (nillable) out += ` xmlns:xsi="${XSI_NS}"`;
    return out;
  }

  private linkDerivations(): void {
    for (const [key, def] of Object.entries(this.model.types)) {
      if (def.kind !== 'complex' || def.base === undefined) continue;
      const derived = this.types.get(key) as CompiledComplexType;
      let base: string | undefined = def.base;
      const guard = new Set<string>();
      while (base !== undefined && !guard.has(base)) {
        guard.add(base);
        const b = this.types.get(base);
        if (!b || b.kind !== 'complex') break;
        b.derived.set(key, derived);
        const bdef: TypeDef | undefined = this.model.types[base];
        base = bdef && bdef.kind === 'complex' ? bdef.base : undefined;
      }
    }
  }
}

function textWriterOf(t: CompiledType): FastWriter | undefined {
  return t.kind === 'simple' ? t.textWriter : undefined;
}

function textReaderOf(t: CompiledType): FastReader | undefined {
  return t.kind === 'simple' ? t.textReader : undefined;
}

function tags(tag: string): { tag: string; openTag: string; closeTag: string; emptyTag: string } {
  return { tag: flat(tag), openTag: flat(`<${tag}>`), closeTag: flat(`</${tag}>`), emptyTag: flat(`<${tag}/>`) };
}

/**
 * The same text as one flat string. A concatenation of 13 characters or more is a rope (a tree of its
 * parts) in V8; the encoder's output is a rope of these pieces, and flattening it for the response
 * measured ~3x slower when every tag was itself a small tree.
 */
export function flat(s: string): string {
  return Buffer.from(s, 'utf8').toString('utf8');
}

function escapeDeclaration(uri: string): string {
  return uri.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/"/g, '&quot;');
}

function compileAny(p: AnyParticle, targetNamespace: string): CompiledAny {
  const maxOccurs = p.maxOccurs < 0 ? Infinity : p.maxOccurs;
  return {
    kind: 'any',
    prop: p.prop,
    minOccurs: p.minOccurs,
    maxOccurs,
    ...compileWildcard(p.namespace, p.processContents, targetNamespace),
  };
}

function compileWildcard(
  namespace: string,
  processContents: CompiledWildcard['processContents'],
  targetNamespace: string,
): CompiledWildcard {
  const spec = namespace.trim() || '##any';
  if (spec === '##any') return { mode: 'any', allowed: new Set(), excluded: '', processContents };
  if (spec === '##other') return { mode: 'not', allowed: new Set(), excluded: targetNamespace, processContents };
  const allowed = new Set<string>();
  for (const token of spec.split(/\s+/)) {
    if (token === '##local') allowed.add('');
    else if (token === '##targetNamespace') allowed.add(targetNamespace);
    else allowed.add(token);
  }
  return { mode: 'list', allowed, excluded: '', processContents };
}

export function anyAccepts(a: CompiledWildcard, ns: string): boolean {
  if (a.mode === 'any') return true;
  if (a.mode === 'not') return ns !== '' && ns !== a.excluded;
  return a.allowed.has(ns);
}

function orderOf(builtin: BuiltinName): OrderKind | undefined {
  if (builtin === 'decimal') return 'decimal';
  const repr = BUILTIN_REPR[builtin];
  if (INTEGER_RANGES[builtin]) return repr === 'bigint' ? 'bigint' : 'number';
  if (builtin === 'float' || builtin === 'double') return 'number';
  if (builtin === 'duration') return 'duration';
  if (['date', 'dateTime', 'time', 'gYear', 'gYearMonth', 'gMonth', 'gMonthDay', 'gDay'].includes(builtin))
    return 'instant';
  return undefined;
}

function parseBound(
  order: OrderKind,
  builtin: BuiltinName,
  lexical: string,
  inclusive: boolean,
): CompiledBound | undefined {
  switch (order) {
    case 'decimal':
      return isDecimalLexical(lexical) ? { lexical, inclusive, decimal: decimalParts(lexical) } : undefined;
    case 'bigint':
      return /^[+-]?[0-9]+$/.test(lexical) ? { lexical, inclusive, bigint: BigInt(lexical) } : undefined;
    case 'number': {
      const n = parseFloatLexical(lexical);
      if (n === INVALID || (builtin !== 'float' && builtin !== 'double' && !Number.isInteger(n))) return undefined;
      return { lexical, inclusive, number: n };
    }
    case 'instant': {
      const i = parseTemporal(builtin, lexical);
      return i ? { lexical, inclusive, instant: i } : undefined;
    }
    case 'duration': {
      const d = parseDuration(lexical);
      return d ? { lexical, inclusive, duration: d } : undefined;
    }
  }
}

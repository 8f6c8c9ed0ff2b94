/**
 * Sample requests generated from the contract: the body element of an operation with every required
 * element and attribute, each holding an example value that satisfies its type's facets (enumeration,
 * pattern, length, bounds, fraction digits). Optional elements are listed in a comment where they may go,
 * so a reader sees what else the message takes without the sample growing invalid guesses.
 *
 * Example values start from a small table of readable hints (a real sku of the demo catalog, "EUR",
 * "DE", ...), but a hint is only used when the schema accepts it; otherwise a value is derived from the
 * built-in type and the facets alone.
 */
import {
  splitClark,
  type ComplexTypeDef,
  type ContractModel,
  type ElementDecl,
  type ModelGroup,
  type Particle,
  type SimpleTypeDef,
  type TypeDef,
  type TypeKey,
} from '../soap';
import { sampleForPattern } from './pattern-sample';

export interface SampleOptions {
  /** Prefix bound to the contract's target namespace (default "po"). */
  prefix?: string;
  /** Values by type or element local name (type first), tried before the built-in hints. */
  hints?: Readonly<Record<string, string>>;
}

/** Readable examples by type or element local name; each is checked against the schema before use. */
export const DEFAULT_HINTS: Readonly<Record<string, string>> = Object.freeze({
  sku: 'FAS-SCR-4X40',
  currency: 'EUR',
  CurrencyCode: 'EUR',
  countryCode: 'DE',
  orderId: 'paste-an-order-id',
  partnerOrderRef: 'PO-2026-0001',
  partnerLineRef: 'PO-2026-0001/1',
  PersonOrCompanyName: 'ACME Receiving',
  ProductName: 'Wood screw 4 x 40 mm, box of 200',
  line1: 'Dock 4',
  city: 'Hamburg',
  postalCode: '20095',
  category: 'Fasteners',
  text: 'screw',
  carrier: 'UPS',
  trackingNumber: '1Z999AA10123456784',
  reason: 'Sample reason',
  quantity: '2',
  delta: '10',
});

const MAX_DEPTH = 16;
const INDENT = '  ';

/** The sample body element of `elementKey` (a global element), pretty-printed, declaring its namespace. */
export function sampleElement(contract: ContractModel, elementKey: TypeKey, options: SampleOptions = {}): string {
  const element = contract.schema.elements[elementKey];
  if (element === undefined) throw new Error(`The contract ${contract.id} declares no element ${elementKey}`);
  const writer = new SampleWriter(contract, options);
  const decl: ElementDecl = {
    kind: 'element',
    name: element.name,
    ns: element.ns,
    prop: element.name,
    type: element.type,
    minOccurs: 1,
    maxOccurs: 1,
    nillable: element.nillable,
  };
  return writer.element(decl, 0, new Map()).join('\n');
}

class SampleWriter {
  private readonly prefix: string;
  private readonly hints: Readonly<Record<string, string>>;

  constructor(
    private readonly contract: ContractModel,
    options: SampleOptions,
  ) {
    this.prefix = options.prefix ?? 'po';
    this.hints = { ...DEFAULT_HINTS, ...(options.hints ?? {}) };
  }

  /** `scope`: the prefixes declared by the ancestors, by namespace. */
  element(decl: ElementDecl, depth: number, scope: ReadonlyMap<string, string>): string[] {
    const pad = INDENT.repeat(depth);
    let prefix = scope.get(decl.ns);
    let nsDecl = '';
    if (decl.ns !== '' && prefix === undefined) {
      // The first element of a namespace declares it: the root gets the chosen prefix, others ns1, ns2, ...
      prefix = scope.size === 0 ? this.prefix : `ns${scope.size}`;
      nsDecl = ` xmlns:${prefix}="${escapeXml(decl.ns)}"`;
      scope = new Map([...scope, [decl.ns, prefix]]);
    }
    const qname = decl.ns === '' ? decl.name : `${prefix}:${decl.name}`;
    const type = this.typeOf(decl.type);
    if (type === undefined || type.kind === 'simple') {
      const value = decl.fixed ?? decl.default ?? (type === undefined ? 'value' : this.simpleValue(type, decl.name));
      return [`${pad}<${qname}${nsDecl}>${escapeXml(value)}</${qname}>`];
    }
    const attributes = this.attributes(type) + nsDecl;
    if (type.simpleContent !== undefined) {
      const content = this.typeOf(type.simpleContent);
      const value = content !== undefined && content.kind === 'simple' ? this.simpleValue(content, decl.name) : 'value';
      return [`${pad}<${qname}${attributes}>${escapeXml(value)}</${qname}>`];
    }
    const children = type.content === null || depth >= MAX_DEPTH ? [] : this.group(type.content, depth + 1, scope);
    if (children.length === 0) return [`${pad}<${qname}${attributes}/>`];
    return [`${pad}<${qname}${attributes}>`, ...children, `${pad}</${qname}>`];
  }

  private group(group: ModelGroup, depth: number, scope: ReadonlyMap<string, string>): string[] {
    const pad = INDENT.repeat(depth);
    const particles = group.kind === 'choice' ? group.particles.slice(0, 1) : group.particles;
    const lines: string[] = [];
    const optional: string[] = [];
    for (const particle of particles) {
      if (particle.kind === 'element') {
        if (particle.minOccurs === 0) optional.push(particle.name);
        for (let i = 0; i < particle.minOccurs; i++) lines.push(...this.element(particle, depth, scope));
      } else if (particle.kind === 'any') {
        if (particle.minOccurs > 0) lines.push(`${pad}<!-- any element (${particle.namespace}) -->`);
      } else if (particle.minOccurs > 0) {
        lines.push(...this.group(particle, depth, scope));
      } else {
        optional.push(...namesIn(particle));
      }
    }
    if (group.kind === 'choice' && group.particles.length > 1) {
      lines.unshift(`${pad}<!-- one of: ${group.particles.flatMap(namesOf).join(' | ')} -->`);
    }
    if (optional.length > 0) lines.push(`${pad}<!-- optional: ${optional.join(', ')} -->`);
    return lines;
  }

  private attributes(type: ComplexTypeDef): string {
    return type.attributes
      .filter((attribute) => attribute.required)
      .map((attribute) => {
        const attrType = this.typeOf(attribute.type);
        const value =
          attribute.fixed ??
          attribute.default ??
          (attrType?.kind === 'simple' ? this.simpleValue(attrType, attribute.name) : 'value');
        return ` ${attribute.name}="${escapeXml(value)}"`;
      })
      .join('');
  }

  private typeOf(key: TypeKey): TypeDef | undefined {
    const type = this.contract.schema.types[key];
    if (type !== undefined) return type;
    const { ns, local } = splitClark(key);
    // Built-ins may be referenced without being listed in the model.
    if (ns === 'http://www.w3.org/2001/XMLSchema')
      return { kind: 'simple', builtin: local as SimpleTypeDef['builtin'], facets: {} };
    return undefined;
  }

  simpleValue(type: SimpleTypeDef, name: string): string {
    const { facets } = type;
    if (facets.enumeration !== undefined && facets.enumeration.length > 0) return facets.enumeration[0]!;
    if (type.listOf !== undefined) {
      const item = this.typeOf(type.listOf);
      return item?.kind === 'simple' ? this.simpleValue(item, name) : 'value';
    }
    const typeName = type.name === undefined ? undefined : splitClark(type.name).local;
    const candidates = [
      typeName === undefined ? undefined : this.hints[typeName],
      this.hints[name],
      ...builtinCandidates(type),
    ];
    for (const candidate of candidates) if (candidate !== undefined && satisfies(type, candidate)) return candidate;
    return builtinCandidates(type)[0] ?? '';
  }
}

function namesOf(particle: Particle): string[] {
  if (particle.kind === 'element') return [particle.name];
  if (particle.kind === 'any') return ['any'];
  return namesIn(particle);
}

function namesIn(group: ModelGroup): string[] {
  return group.particles.flatMap(namesOf);
}

const INTEGER_TYPES = new Set([
  'integer',
  'long',
  'int',
  'short',
  'byte',
  'nonNegativeInteger',
  'positiveInteger',
  'nonPositiveInteger',
  'negativeInteger',
  'unsignedLong',
  'unsignedInt',
  'unsignedShort',
  'unsignedByte',
]);
const NUMERIC_TYPES = new Set([...INTEGER_TYPES, 'decimal', 'float', 'double']);
const IMPLICIT_BOUNDS: Record<string, [number | undefined, number | undefined]> = {
  nonNegativeInteger: [0, undefined],
  positiveInteger: [1, undefined],
  nonPositiveInteger: [undefined, 0],
  negativeInteger: [undefined, -1],
  unsignedLong: [0, undefined],
  unsignedInt: [0, undefined],
  unsignedShort: [0, undefined],
  unsignedByte: [0, 255],
  byte: [-128, 127],
  short: [-32768, 32767],
};

/** Values of the built-in, adjusted to the bounds and lengths; the first is the fallback. */
function builtinCandidates(type: SimpleTypeDef): string[] {
  const { builtin, facets } = type;
  if (NUMERIC_TYPES.has(builtin)) return [numberSample(type)];
  switch (builtin) {
    case 'boolean':
      return ['true'];
    case 'date':
      return ['2026-03-02'];
    case 'dateTime':
      return ['2026-03-02T09:00:00Z'];
    case 'time':
      return ['09:00:00'];
    case 'duration':
      return ['P1D'];
    case 'gYear':
      return ['2026'];
    case 'gYearMonth':
      return ['2026-03'];
    case 'gMonth':
      return ['--03'];
    case 'gMonthDay':
      return ['--03-02'];
    case 'gDay':
      return ['---02'];
    case 'base64Binary':
      return ['AAECAw=='];
    case 'hexBinary':
      return ['00010203'];
    case 'anyURI':
      return ['https://example.com/'];
    case 'QName':
      return ['xs:string'];
    case 'language':
      return ['en'];
    default:
      break;
  }
  const words = ['ABC', 'A1', 'sample', 'Sample text', 'A', '1', 'abc-1', 'X1-Y2'];
  // Strings built from the pattern facets themselves, with quantified parts repeated 1 to 4 times.
  const fromPatterns = (facets.pattern ?? [])
    .flatMap((pattern) => [1, 2, 3, 4].map((repeat) => sampleForPattern(pattern, repeat)))
    .filter((s): s is string => s !== undefined);
  words.push(...fromPatterns);
  const length = facets.length;
  if (length !== undefined)
    return [...words.map((w) => fit(w, length, length)), 'A'.repeat(length), '1'.repeat(length)];
  const min = facets.minLength ?? 0;
  const max = facets.maxLength ?? Number.MAX_SAFE_INTEGER;
  return words.map((w) => fit(w, min, max));
}

function fit(word: string, min: number, max: number): string {
  let out = word;
  while (out.length < min) out += word;
  return out.slice(0, Math.max(min, Math.min(max, out.length)));
}

function numberSample(type: SimpleTypeDef): string {
  const { facets, builtin } = type;
  const [implicitLo, implicitHi] = IMPLICIT_BOUNDS[builtin] ?? [undefined, undefined];
  const integer = INTEGER_TYPES.has(builtin) || facets.fractionDigits === 0;
  const step = integer ? 1 : 0.01;
  const lo =
    facets.minInclusive !== undefined
      ? Number(facets.minInclusive)
      : facets.minExclusive !== undefined
        ? Number(facets.minExclusive) + step
        : implicitLo;
  const hi =
    facets.maxInclusive !== undefined
      ? Number(facets.maxInclusive)
      : facets.maxExclusive !== undefined
        ? Number(facets.maxExclusive) - step
        : implicitHi;
  let value = integer ? 1 : 10;
  if (lo !== undefined && value < lo) value = lo;
  if (hi !== undefined && value > hi) value = hi;
  if (integer) return String(Math.round(value));
  const digits = Math.min(facets.fractionDigits ?? 2, 2);
  return value.toFixed(digits);
}

/** True when `value` meets the type's lexical facets (patterns, lengths, numeric bounds, fraction digits). */
export function satisfies(type: SimpleTypeDef, value: string): boolean {
  const { facets, builtin } = type;
  for (const pattern of facets.pattern ?? []) {
    if (!new RegExp(`^(?:${pattern})$`, 'v').test(value)) return false;
  }
  if (facets.enumeration !== undefined && facets.enumeration.length > 0 && !facets.enumeration.includes(value))
    return false;
  if (NUMERIC_TYPES.has(builtin)) {
    if (!/^[+-]?(\d+(\.\d*)?|\.\d+)$/.test(value)) return false;
    if (INTEGER_TYPES.has(builtin) && value.includes('.')) return false;
    const n = Number(value);
    if (facets.minInclusive !== undefined && n < Number(facets.minInclusive)) return false;
    if (facets.maxInclusive !== undefined && n > Number(facets.maxInclusive)) return false;
    if (facets.minExclusive !== undefined && n <= Number(facets.minExclusive)) return false;
    if (facets.maxExclusive !== undefined && n >= Number(facets.maxExclusive)) return false;
    const fraction = value.split('.')[1]?.replace(/0+$/, '') ?? '';
    if (facets.fractionDigits !== undefined && fraction.length > facets.fractionDigits) return false;
    const [implicitLo, implicitHi] = IMPLICIT_BOUNDS[builtin] ?? [undefined, undefined];
    if (implicitLo !== undefined && n < implicitLo) return false;
    if (implicitHi !== undefined && n > implicitHi) return false;
    return true;
  }
  const length = [...value].length;
  if (facets.length !== undefined && length !== facets.length) return false;
  if (facets.minLength !== undefined && length < facets.minLength) return false;
  if (facets.maxLength !== undefined && length > facets.maxLength) return false;
  if (builtin === 'boolean') return value === 'true' || value === 'false' || value === '1' || value === '0';
  return true;
}

export function escapeXml(text: string): string {
  return text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');
}

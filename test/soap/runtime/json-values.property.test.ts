/**
 * Property: for random valid values of every request, response and fault detail element of the v1 and v2
 * contracts, JSON -> typed value -> XML -> typed value -> JSON is the identity (and the two typed values
 * are equal). Values are generated from the compiled schema tables (facets included) and kept only when
 * the encoder accepts them, so every run exercises valid values only.
 */
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { contract as v1 } from '../../../src/generated/v1';
import { contract as v2 } from '../../../src/generated/v2';
import type {
  CompiledComplexType,
  CompiledElement,
  CompiledSimpleType,
  CompiledType,
} from '../../../src/soap/schema/tables';
import { compileSchema } from '../../../src/soap/schema/compile';
import { decodeElement } from '../../../src/soap/schema/decode';
import { encodeElement } from '../../../src/soap/schema/encode';
import { INVALID } from '../../../src/soap/schema/lexical';
import type { ContractModel } from '../../../src/soap/schema/model';
import { writeSimple } from '../../../src/soap/schema/simple';
import { decodeJson, encodeJson } from '../../../src/soap/transport/json-values';
import { parseXmlFast } from '../../../src/soap/xml/fast';

const LIMITS = { maxDepth: 64, maxElements: 200_000 };
const TEXT_CHARS = fc.constantFrom(...'abcXYZ019 -_.,:/<>&"\'é漢😀\t'.split(/(?:)/u));

function valid(type: CompiledSimpleType, value: unknown): boolean {
  return writeSimple(type, value, []) !== INVALID;
}

function bound(b: CompiledSimpleType['lower'], fallback: number): number {
  return b === undefined ? fallback : Number(b.lexical);
}

function pad(n: number, width: number): string {
  return String(n).padStart(width, '0');
}

const ZONE = fc.constantFrom('Z', '+02:00', '-05:30', '+00:00');
const DATE = fc
  .record({
    y: fc.integer({ min: 1970, max: 2100 }),
    m: fc.integer({ min: 1, max: 12 }),
    d: fc.integer({ min: 1, max: 28 }),
  })
  .map(({ y, m, d }) => `${y}-${pad(m, 2)}-${pad(d, 2)}`);
const TIME = fc
  .record({
    h: fc.integer({ min: 0, max: 23 }),
    mi: fc.integer({ min: 0, max: 59 }),
    s: fc.integer({ min: 0, max: 59 }),
    ms: fc.option(fc.integer({ min: 0, max: 999 })),
  })
  .map(({ h, mi, s, ms }) => `${pad(h, 2)}:${pad(mi, 2)}:${pad(s, 2)}${ms === null ? '' : `.${pad(ms, 3)}`}`);

function simpleArbitrary(type: CompiledSimpleType): fc.Arbitrary<unknown> {
  const raw = rawArbitrary(type);
  return raw.filter((v) => valid(type, v));
}

function rawArbitrary(type: CompiledSimpleType): fc.Arbitrary<unknown> {
  if (type.enumeration !== undefined && type.enumerationText !== undefined) {
    const values = [...type.enumeration];
    return fc.constantFrom(...values).map((v) => (type.repr === 'number' ? Number(v) : v));
  }
  const lower = bound(type.lower, -1_000_000);
  const upper = bound(type.upper, 1_000_000);
  switch (type.builtin) {
    case 'boolean':
      return fc.boolean();
    case 'decimal': {
      const fd = Math.min(type.fractionDigits ?? 4, 4);
      const scale = 10 ** fd;
      return fc
        .integer({ min: Math.ceil(Math.max(lower, -1e9) * scale), max: Math.floor(Math.min(upper, 1e9) * scale) })
        .map((n) => {
          const sign = n < 0 ? '-' : '';
          const abs = Math.abs(n);
          return fd === 0 ? `${sign}${abs}` : `${sign}${Math.floor(abs / scale)}.${pad(abs % scale, fd)}`;
        });
    }
    case 'date':
      return fc.tuple(DATE, fc.option(ZONE)).map(([d, z]) => `${d}${z ?? ''}`);
    case 'dateTime':
      return fc.tuple(DATE, TIME, fc.option(ZONE, { freq: 4 })).map(([d, t, z]) => `${d}T${t}${z ?? ''}`);
    case 'time':
      return TIME;
    case 'base64Binary':
    case 'hexBinary':
      return fc.uint8Array({ maxLength: 16 }).map((a) => Buffer.from(a));
    default:
      break;
  }
  if (type.repr === 'number') {
    if (type.integerRange !== undefined)
      return fc.integer({ min: Math.max(lower, type.numberMin, -1e9), max: Math.min(upper, type.numberMax, 1e9) });
    return fc.double();
  }
  if (type.repr === 'bigint') {
    return fc.bigInt({ min: BigInt(Math.max(lower, -1e15)), max: BigInt(Math.min(upper, 1e15)) });
  }
  const minLength = type.length ?? type.minLength ?? 0;
  const maxLength = Math.min(type.length ?? type.maxLength ?? 40, 40);
  const patterns = type.patternSources ?? [];
  if (patterns.length > 0) {
    return fc
      .stringMatching(new RegExp(`^(?:${patterns[0]})$`, 'u'))
      .filter((s) => s.length >= minLength && [...s].length <= (type.length ?? type.maxLength ?? Infinity));
  }
  return fc.string({ unit: TEXT_CHARS, minLength, maxLength: Math.max(minLength, maxLength) });
}

const cache = new Map<CompiledType, fc.Arbitrary<unknown>>();

function typeArbitrary(type: CompiledType): fc.Arbitrary<unknown> {
  let found = cache.get(type);
  if (found !== undefined) return found;
  if (type.kind === 'simple') found = simpleArbitrary(type);
  else found = complexArbitrary(type);
  cache.set(type, found);
  return found;
}

function elementArbitrary(e: CompiledElement): fc.Arbitrary<unknown> {
  const item = e.nillable ? fc.option(typeArbitrary(e.type), { nil: null, freq: 4 }) : typeArbitrary(e.type);
  if (e.repeated)
    return fc.array(item, { minLength: e.minOccurs, maxLength: Math.max(e.minOccurs, Math.min(e.maxOccurs, 3)) });
  return item;
}

function complexArbitrary(type: CompiledComplexType): fc.Arbitrary<unknown> {
  assert.ok(
    type.content === null || type.content.kind === 'sequence',
    `${type.key}: only sequences are generated here`,
  );
  const model: Record<string, fc.Arbitrary<unknown>> = {};
  const required: string[] = [];
  for (const a of type.attributes) {
    model[a.prop] = simpleArbitrary(a.type);
    if (a.required) required.push(a.prop);
  }
  if (type.simpleContent !== undefined) {
    model.$value = simpleArbitrary(type.simpleContent);
    required.push('$value');
  }
  for (const e of type.elements) {
    model[e.prop] = elementArbitrary(e);
    if (e.repeated || e.minOccurs > 0) required.push(e.prop);
  }
  return fc.record(model, { requiredKeys: required });
}

function elementsOf(contract: ContractModel): string[] {
  const keys = new Set<string>();
  for (const portType of contract.portTypes) {
    for (const op of portType.operations) {
      keys.add(op.input);
      if (op.output !== undefined) keys.add(op.output);
      for (const f of op.faults) keys.add(f.element);
    }
  }
  return [...keys];
}

describe('JSON values: JSON -> typed -> XML -> typed -> JSON is the identity (property)', () => {
  for (const contract of [v1, v2]) {
    const schema = compileSchema(contract.schema);
    for (const key of elementsOf(contract)) {
      const decl = schema.elements.get(key);
      it(`${contract.id} ${decl?.name}`, () => {
        assert.ok(decl !== undefined);
        fc.assert(
          fc.property(typeArbitrary(decl.type), (value) => {
            const json = encodeJson(schema, key, value);
            const text = JSON.stringify(json);
            const typed = decodeJson(schema, key, JSON.parse(text), LIMITS);
            const xml = encodeElement(schema, key, typed);
            const again = decodeElement(schema, key, parseXmlFast(xml, { limits: LIMITS }));
            assert.deepStrictEqual(again, typed);
            assert.deepStrictEqual(encodeJson(schema, key, again), json);
            assert.equal(JSON.stringify(encodeJson(schema, key, again)), text);
          }),
          { numRuns: 60 },
        );
      });
    }
  }
});

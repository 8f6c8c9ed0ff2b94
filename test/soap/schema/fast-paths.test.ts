import assert from 'node:assert/strict';
import { compileSchema } from '../../../src/soap/schema/compile';
import type { CompiledSimpleType } from '../../../src/soap/schema/tables';
import type { BuiltinName, Facets } from '../../../src/soap/schema/model';
import { INVALID } from '../../../src/soap/schema/lexical';
import { compileFastReader } from '../../../src/soap/schema/readers';
import { readSimple } from '../../../src/soap/schema/simple';
import { compileFastWriter, generalText } from '../../../src/soap/schema/writers';

function simple(builtin: BuiltinName, facets: Facets = {}): CompiledSimpleType {
  const key = '{urn:t}T';
  return compileSchema({ types: { [key]: { kind: 'simple', builtin, facets } }, elements: {} }).types.get(
    key,
  ) as CompiledSimpleType;
}

const STRINGS = [
  '',
  'a',
  'ABC',
  'SKU-00001',
  'sku-1',
  ' padded',
  'padded ',
  'two  spaces',
  'one space',
  'tab\there',
  'line\nbreak',
  'cr\rhere',
  'a & b',
  '<tag>',
  'x > y',
  'say "hi"',
  "it's",
  '\u0001',
  '\uFFFE',
  '\uFFFF',
  '\uD800',
  '\uDC00',
  'emoji \u{1F600}',
  'é',
  'ü'.repeat(5),
  'x'.repeat(64),
  'x'.repeat(65),
  '12',
  '0',
  '00',
  '0.5',
  '0.50',
  '1.',
  '.5',
  '-1',
  '+1',
  '-0',
  '10.00',
  '123456789012345678',
  '1234567890123456789',
  '99.999',
  '1e5',
  'NaN',
  'INF',
  'true',
  'false',
  '1 ',
  ' 1',
  '2026-11-20',
  '2026-02-29',
  '2024-02-29',
  '0000-01-01',
  '2026-1-01',
  '2026-11-20T09:15:00Z',
  '2026-11-20T09:15:00.123+01:00',
  '2026-11-20T24:00:00',
  '2026-11-20T23:59:60Z',
  '2026-11-20T09:15:00+14:00',
  '2026-11-20T09:15:00+14:01',
  '2026-11-20T09:15:00-13:59',
  '2026-11-20T09:15:00.',
  '2026-11-20T09:15:00Zx',
  '2026-11-20 09:15:00',
  'ACCEPTED',
  ' ACCEPTED',
  'SHIPPED',
  'shipped',
  'EUR',
  'USD',
  'NCName',
  '1abc',
  'a:b',
  'en-US',
];
const NUMBERS = [
  0,
  -0,
  1,
  -1,
  0.5,
  1e21,
  -1e-7,
  NaN,
  Infinity,
  -Infinity,
  127,
  128,
  -128,
  -129,
  255,
  256,
  500,
  501,
  100000,
  100001,
  2 ** 31 - 1,
  2 ** 31,
  -(2 ** 31),
  -(2 ** 31) - 1,
  2 ** 32,
  Number.MAX_SAFE_INTEGER,
  2 ** 53 + 2,
];
const OTHERS = [
  undefined,
  null,
  true,
  false,
  0n,
  1n,
  -1n,
  2n ** 63n - 1n,
  2n ** 63n,
  -(2n ** 63n) - 1n,
  {},
  [],
  ['a'],
  Buffer.from('ab'),
];
const VALUES: unknown[] = [...STRINGS, ...NUMBERS, ...OTHERS];

const TYPES: Array<[string, CompiledSimpleType]> = [
  ['string', simple('string')],
  ['normalizedString', simple('normalizedString')],
  ['token', simple('token')],
  ['anyURI', simple('anyURI')],
  ['NCName', simple('NCName')],
  ['language', simple('language')],
  ['Text100', simple('string', { minLength: 1, maxLength: 100 })],
  ['length 3 token', simple('token', { length: 3 })],
  ['Sku', simple('string', { pattern: ['[A-Z0-9][A-Z0-9\\-]{0,31}'] })],
  ['two patterns', simple('string', { pattern: ['[A-Z].*', '.*[0-9]'], maxLength: 20 })],
  ['enumeration', simple('string', { enumeration: ['ACCEPTED', 'CANCELLED', 'SHIPPED', 'a & b'] })],
  ['token enumeration', simple('token', { enumeration: ['EUR', 'USD'] })],
  ['decimal', simple('decimal')],
  ['Money', simple('decimal', { totalDigits: 18, fractionDigits: 2, minInclusive: '0' })],
  ['decimal > 0', simple('decimal', { minExclusive: '0' })],
  ['decimal 10..99.99', simple('decimal', { minInclusive: '10', maxInclusive: '99.99' })],
  ['decimal totalDigits 3', simple('decimal', { totalDigits: 3 })],
  ['decimal >= -5', simple('decimal', { minInclusive: '-5', fractionDigits: 0 })],
  ['decimal enumeration', simple('decimal', { enumeration: ['1.5', '2'] })],
  ['date', simple('date')],
  ['dateTime', simple('dateTime')],
  ['dateTime bounded', simple('dateTime', { minInclusive: '2020-01-01T00:00:00Z' })],
  ['int', simple('int')],
  ['Quantity', simple('int', { minInclusive: '1', maxInclusive: '100000' })],
  ['LineNumber exclusive', simple('int', { minExclusive: '0', maxExclusive: '501' })],
  ['byte', simple('byte')],
  ['unsignedByte', simple('unsignedByte')],
  ['unsignedInt', simple('unsignedInt')],
  ['int totalDigits', simple('int', { totalDigits: 2 })],
  ['double', simple('double')],
  ['float bounded', simple('float', { minInclusive: '0' })],
  ['long', simple('long')],
  ['integer', simple('integer')],
  ['nonNegativeInteger <= 10', simple('nonNegativeInteger', { maxInclusive: '10' })],
  ['long > 0', simple('long', { minExclusive: '0' })],
  ['boolean', simple('boolean')],
  ['boolean pattern', simple('boolean', { pattern: ['true|false'] })],
  ['collapsed token 2..4', simple('token', { minLength: 2, maxLength: 4 })],
  ['replaced normalizedString pattern', simple('normalizedString', { pattern: ['[a-z ]+'] })],
  ['length 2 string', simple('string', { length: 2 })],
  ['int enumeration', simple('int', { enumeration: ['1', '+2', '03'] })],
  ['boolean enumeration', simple('boolean', { enumeration: ['1'] })],
  ['date enumeration', simple('date', { enumeration: ['2026-12-01'] })],
];

/** Raw texts for the readers: the strings above, with whitespace around, numbers' texts. */
const TEXTS = [
  ...STRINGS,
  ...STRINGS.map((s) => ` ${s}`),
  ...STRINGS.map((s) => `${s}\n`),
  ...NUMBERS.map(String),
  '+0',
  '-0',
  '007',
  '+12',
  '-12',
  '1234567890123456',
  '-123456789012345',
  '\u{1F600}\u{1F600}',
  '\u{1F600}',
  'ab\u{1F600}',
  '\u{1F600}x',
  'a\tb',
  'a  b',
  'EUR ',
  '1',
  '',
];

describe('schema fast paths (writers.ts, readers.ts)', () => {
  it('write exactly what the general path writes, and only values it accepts', () => {
    let fast = 0;
    for (const [name, t] of TYPES) {
      for (const attribute of [false, true]) {
        const writer = compileFastWriter(t, attribute);
        if (!writer) continue;
        for (const v of VALUES) {
          const text = writer(v);
          if (text === undefined) continue;
          fast++;
          const problems: string[] = [];
          const general = generalText(t, v, problems, attribute);
          assert.equal(
            text,
            general,
            `${name}${attribute ? ' (attribute)' : ''}: ${String(v)} fast '${text}' vs general ${general === undefined ? `refusal (${problems.join('; ')})` : `'${general}'`}`,
          );
        }
      }
    }
    assert.ok(fast > 200, `the fast writers accepted only ${fast} values`);
  });

  it('read exactly what the general path reads, and only texts it accepts', () => {
    let fast = 0;
    for (const [name, t] of TYPES) {
      const reader = compileFastReader(t);
      if (!reader) continue;
      for (const raw of TEXTS) {
        const value = reader(raw);
        if (value === undefined) continue;
        fast++;
        const problems: string[] = [];
        const general = readSimple(t, raw, problems);
        assert.notEqual(
          general,
          INVALID,
          `${name}: '${raw}' fast ${String(value)} vs general refusal (${problems.join('; ')})`,
        );
        assert.deepEqual(value, general, `${name}: '${raw}'`);
        assert.ok(Object.is(value, general) || typeof value === 'object', `${name}: '${raw}' same value (-0, NaN)`);
      }
    }
    assert.ok(fast > 200, `the fast readers accepted only ${fast} texts`);
  });

  it('read the common valid texts without the general path', () => {
    const takes = (t: CompiledSimpleType, raw: string): void =>
      assert.notEqual(compileFastReader(t)?.(raw), undefined, `${t.builtin} '${raw}'`);
    takes(simple('string', { minLength: 1, maxLength: 100 }), 'Example Trading GmbH');
    takes(simple('string', { pattern: ['[A-Z0-9][A-Z0-9\\-]{0,31}'] }), 'SKU-00001');
    takes(simple('string', { enumeration: ['ACCEPTED', 'SHIPPED'] }), 'SHIPPED');
    takes(simple('decimal', { totalDigits: 18, fractionDigits: 2, minInclusive: '0' }), '10.25');
    takes(simple('int', { minInclusive: '1', maxInclusive: '100000' }), '7');
    takes(simple('dateTime'), '2026-11-20T09:15:00Z');
    takes(simple('date'), '2026-12-01');
    takes(simple('token'), 'ACME');
  });

  it('take the common valid values without the general path', () => {
    const takes = (t: CompiledSimpleType, v: unknown): void =>
      assert.notEqual(compileFastWriter(t, false)?.(v), undefined, `${t.builtin} ${String(v)}`);
    takes(simple('string'), 'Hafenstrasse 12');
    takes(simple('string', { minLength: 1, maxLength: 100 }), 'Example Trading GmbH');
    takes(simple('string', { pattern: ['[A-Z0-9][A-Z0-9\\-]{0,31}'] }), 'SKU-00001');
    takes(simple('string', { enumeration: ['ACCEPTED', 'SHIPPED'] }), 'SHIPPED');
    takes(simple('decimal', { totalDigits: 18, fractionDigits: 2, minInclusive: '0' }), '10.25');
    takes(simple('decimal', { totalDigits: 18, fractionDigits: 2, minInclusive: '0' }), '0');
    takes(simple('int', { minInclusive: '1', maxInclusive: '500' }), 200);
    takes(simple('dateTime'), '2026-11-20T09:15:00Z');
    takes(simple('date'), '2026-12-01');
    takes(simple('long'), 9223372036854775807n);
    takes(simple('boolean'), true);
  });
});

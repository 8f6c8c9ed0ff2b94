import assert from 'node:assert/strict';
import { compileSchema } from '../../../src/soap/schema/compile';
import type { CompiledSimpleType } from '../../../src/soap/schema/tables';
import { INVALID } from '../../../src/soap/schema/lexical';
import type { BuiltinName, Facets } from '../../../src/soap/schema/model';
import { readSimple, writeSimple } from '../../../src/soap/schema/simple';

function simple(builtin: BuiltinName, facets: Facets = {}, listOf?: BuiltinName): CompiledSimpleType {
  const key = '{urn:t}T';
  const types = {
    [key]: {
      kind: 'simple' as const,
      builtin,
      facets,
      ...(listOf ? { listOf: `{http://www.w3.org/2001/XMLSchema}${listOf}` } : {}),
    },
  };
  return compileSchema({ types, elements: {} }).types.get(key) as CompiledSimpleType;
}

function read(t: CompiledSimpleType, s: string): { value: unknown; problems: string[] } {
  const problems: string[] = [];
  return { value: readSimple(t, s, problems), problems };
}

function accepts(t: CompiledSimpleType, s: string, expected: unknown): void {
  const r = read(t, s);
  assert.deepEqual(r.problems, [], `${t.builtin} '${s}'`);
  assert.deepEqual(r.value, expected, `${t.builtin} '${s}'`);
}

function refuses(t: CompiledSimpleType, s: string, message?: RegExp): void {
  const r = read(t, s);
  assert.equal(r.value, INVALID, `${t.builtin} '${s}' should be refused`);
  if (message) assert.match(r.problems.join('; '), message);
}

function writes(t: CompiledSimpleType, v: unknown, expected: string): void {
  const problems: string[] = [];
  assert.equal(writeSimple(t, v, problems), expected, problems.join('; '));
  assert.deepEqual(read(t, expected).value, v, 'written form reads back as the value');
}

describe('schema built-ins', () => {
  it('boolean', () => {
    const t = simple('boolean');
    for (const [s, v] of [
      ['true', true],
      ['false', false],
      ['1', true],
      ['0', false],
      [' true\n', true],
    ] as const)
      accepts(t, s, v);
    for (const s of ['TRUE', 'yes', '', '2']) refuses(t, s, /not a valid boolean/);
    writes(t, true, 'true');
  });

  it('integers with their ranges', () => {
    const long = simple('long');
    accepts(long, '9223372036854775807', 9223372036854775807n);
    accepts(long, '-9223372036854775808', -9223372036854775808n);
    accepts(long, '+0042', 42n);
    refuses(long, '9223372036854775808', /out of range for long/);
    refuses(long, '-9223372036854775809', /out of range/);
    refuses(long, '1.0', /not a valid long/);
    refuses(long, '1e3');
    refuses(long, '');
    writes(long, 9223372036854775807n, '9223372036854775807');
    const ulong = simple('unsignedLong');
    accepts(ulong, '18446744073709551615', 18446744073709551615n);
    refuses(ulong, '18446744073709551616', /out of range/);
    refuses(ulong, '-1', /out of range/);
    const int = simple('int');
    accepts(int, '2147483647', 2147483647);
    accepts(int, '-2147483648', -2147483648);
    accepts(int, '-0', 0);
    refuses(int, '2147483648', /out of range for int/);
    refuses(int, '12345678901234567890', /out of range/);
    writes(int, -5, '-5');
    for (const [b, ok, bad] of [
      ['short', '-32768', '32768'],
      ['byte', '127', '128'],
      ['unsignedByte', '255', '256'],
      ['unsignedShort', '65535', '-1'],
      ['unsignedInt', '4294967295', '4294967296'],
      ['positiveInteger', '1', '0'],
      ['nonNegativeInteger', '0', '-1'],
      ['negativeInteger', '-1', '0'],
      ['nonPositiveInteger', '0', '1'],
    ] as const) {
      const t = simple(b);
      assert.deepEqual(read(t, ok).problems, [], `${b} ${ok}`);
      refuses(t, bad, /out of range/);
    }
    accepts(simple('integer'), '123456789012345678901234567890', 123456789012345678901234567890n);
    const problems: string[] = [];
    assert.equal(writeSimple(int, 1.5, problems), INVALID);
    assert.equal(writeSimple(int, 2147483648, problems), INVALID);
  });

  it('decimal stays exact and as given', () => {
    const t = simple('decimal');
    for (const s of ['12345678901234567.89', '-0.5', '+1.', '.5', '007', '0']) accepts(t, s, s);
    accepts(t, ' 1.50 ', '1.50');
    for (const s of ['1e3', 'NaN', '1,5', '', '.', '-']) refuses(t, s, /not a valid decimal/);
    writes(t, '12345678901234567.89', '12345678901234567.89');
    const problems: string[] = [];
    assert.equal(writeSimple(t, 1.5, problems), INVALID, 'a JS number is not a decimal value');
  });

  it('float and double incl. INF, -INF, NaN', () => {
    const t = simple('double');
    accepts(t, '1.5E3', 1500);
    accepts(t, '-INF', -Infinity);
    accepts(t, 'INF', Infinity);
    accepts(t, 'NaN', NaN);
    accepts(t, '.5e-2', 0.005);
    for (const s of ['inf', 'Infinity', '1.5E', 'e3', '0x10', '']) refuses(t, s, /not a valid double/);
    writes(t, 0.1, '0.1');
    writes(t, 1e21, '1E21');
    writes(t, 5e-324, '5E-324');
    writes(t, -Infinity, '-INF');
    writes(t, 42, '42');
    const problems: string[] = [];
    assert.equal(writeSimple(t, NaN, problems), 'NaN');
    accepts(simple('float'), '3.4028235E38', 3.4028235e38);
  });

  it('date, dateTime, time keep their lexical form (no invented zone)', () => {
    const date = simple('date');
    for (const s of ['2026-01-02', '2024-02-29', '2026-01-02Z', '2026-01-02+14:00', '-0044-03-15', '12026-01-01'])
      accepts(date, s, s);
    for (const s of [
      '2026-02-29',
      '2026-13-01',
      '2026-1-2',
      '2026-01-02T00:00:00',
      '0000-01-01',
      '2026-01-02+15:00',
      '26-01-02',
    ])
      refuses(date, s, /not a valid date/);
    const dt = simple('dateTime');
    for (const s of [
      '2026-01-02T03:04:05',
      '2026-01-02T03:04:05.123456789Z',
      '2026-01-02T24:00:00',
      '2026-01-02T03:04:05-05:30',
    ])
      accepts(dt, s, s);
    for (const s of ['2026-01-02 03:04:05', '2026-01-02T24:00:01', '2026-01-02T03:60:00', '2026-01-02T03:04'])
      refuses(dt, s, /not a valid dateTime/);
    const time = simple('time');
    accepts(time, '23:59:59.5+01:00', '23:59:59.5+01:00');
    refuses(time, '25:00:00');
    for (const [b, ok, bad] of [
      ['gYear', '2026', '26'],
      ['gYearMonth', '2026-12', '2026-13'],
      ['gMonth', '--05', '05'],
      ['gMonthDay', '--02-29', '--02-30'],
      ['gDay', '---31', '---32'],
    ] as const) {
      accepts(simple(b), ok, ok);
      refuses(simple(b), bad);
    }
  });

  it('duration', () => {
    const t = simple('duration');
    for (const s of ['P1Y2M3DT4H5M6.7S', '-P1D', 'PT0S', 'P0Y', 'PT1.5S']) accepts(t, s, s);
    for (const s of ['P', 'PT', '1D', 'P1DT', 'P-1D', 'PT1.S']) refuses(t, s, /not a valid duration/);
  });

  it('base64Binary strictly, hexBinary', () => {
    const b64 = simple('base64Binary');
    accepts(b64, 'aGVsbG8=', Buffer.from('hello'));
    accepts(b64, 'aGVs\n bG8=', Buffer.from('hello'));
    accepts(b64, '', Buffer.alloc(0));
    for (const s of ['aGVsbG8', 'aGVsbG9=', 'a===', 'aGVsbG8=aGVs', '*abc']) refuses(b64, s, /base64/);
    writes(b64, Buffer.from([0, 255, 1]), 'AP8B');
    // values of megabytes (MTOM documents) once overflowed the regexp stack: RangeError, an internal error
    const large = Buffer.alloc(5 * 1024 * 1024 + 1, 7);
    accepts(b64, large.toString('base64'), large);
    accepts(b64, Buffer.alloc(5 * 1024 * 1024 + 2, 9).toString('base64'), Buffer.alloc(5 * 1024 * 1024 + 2, 9));
    refuses(b64, `${large.toString('base64').slice(0, -4)}*AA=`, /base64/);
    const hex = simple('hexBinary');
    accepts(hex, '00fF', Buffer.from([0, 255]));
    refuses(hex, 'abc', /hexBinary/);
    writes(hex, Buffer.from([0xab, 1]), 'AB01');
  });

  it('anyURI is lenient, names are checked', () => {
    accepts(simple('anyURI'), ' http://example.com/a b ', 'http://example.com/a b');
    accepts(simple('NCName'), 'a-b.c', 'a-b.c');
    refuses(simple('NCName'), 'a:b');
    accepts(simple('QName'), 'p:x', 'p:x');
    refuses(simple('language'), 'toolonglanguage');
    accepts(simple('language'), 'en-GB', 'en-GB');
  });

  it('whiteSpace: preserve, replace, collapse', () => {
    accepts(simple('string'), ' a\tb\n ', ' a\tb\n ');
    accepts(simple('normalizedString'), ' a\tb\n ', ' a b  ');
    accepts(simple('token'), '  a \t\n b  ', 'a b');
    accepts(simple('string', { whiteSpace: 'collapse' }), ' a  b ', 'a b');
  });

  it('length facets count code points; binary counts bytes; lists count items', () => {
    const t = simple('string', { minLength: 2, maxLength: 3 });
    accepts(t, '😀😀😀', '😀😀😀');
    refuses(t, '😀', /at least 2 characters/);
    refuses(t, 'abcd', /at most 3 characters/);
    refuses(simple('string', { length: 2 }), 'abc', /exactly 2 characters/);
    refuses(simple('hexBinary', { length: 2 }), 'AABBCC', /exactly 2 bytes/);
    accepts(simple('token', { maxLength: 2 }, 'int'), '1 2', [1, 2]);
    refuses(simple('token', { maxLength: 2 }, 'int'), '1 2 3', /at most 2 items/);
  });

  it('patterns (all must match) and enumerations (by value)', () => {
    const t = simple('string', { pattern: ['[A-Z]+', '.{2}'] });
    accepts(t, 'AB', 'AB');
    const r = read(t, 'abc');
    assert.equal(r.problems.length, 2, 'every failing pattern is reported');
    accepts(simple('string', { pattern: ['\\p{Lu}\\p{Nd}'] }), 'Ä1', 'Ä1');
    const e = simple('token', { enumeration: ['on hold', 'done'] });
    accepts(e, ' on   hold ', 'on hold');
    refuses(e, 'ON HOLD', /must be one of: on hold, done/);
    const d = simple('decimal', { enumeration: ['1.0', '2.50'] });
    accepts(d, '1', '1');
    accepts(d, '2.5', '2.5');
    refuses(d, '3');
  });

  it('range facets compare exactly (decimal, bigint) and chronologically (dates)', () => {
    const d = simple('decimal', { minExclusive: '0', maxInclusive: '99999999999999999.99' });
    accepts(d, '99999999999999999.99', '99999999999999999.99');
    refuses(d, '99999999999999999.991', /must be <= 99999999999999999.99/);
    refuses(d, '0.000', /must be > 0/);
    accepts(d, '0.0000000000000000000001', '0.0000000000000000000001');
    const l = simple('long', { maxExclusive: '9223372036854775807' });
    refuses(l, '9223372036854775807', /must be < 9223372036854775807/);
    accepts(l, '9223372036854775806', 9223372036854775806n);
    const date = simple('date', { minInclusive: '2026-01-01', maxInclusive: '2026-12-31' });
    accepts(date, '2026-06-30', '2026-06-30');
    refuses(date, '2025-12-31', /must be >= 2026-01-01/);
    refuses(date, '2027-01-01', /must be <= 2026-12-31/);
    const dt = simple('dateTime', { minInclusive: '2026-01-01T00:00:00Z' });
    accepts(dt, '2026-01-01T01:00:00+01:00', '2026-01-01T01:00:00+01:00');
    refuses(dt, '2026-01-01T00:59:59+01:00', /must be >=/);
    refuses(dt, '2026-01-01T05:00:00', /must be >=/); // no zone, within 14h: indeterminate, so not provably in range
    const dur = simple('duration', { maxInclusive: 'P1M' });
    accepts(dur, 'P27D', 'P27D');
    refuses(dur, 'P32D');
    refuses(dur, 'P30D'); // indeterminate against one month
    const dbl = simple('double', { minInclusive: '0' });
    refuses(dbl, 'NaN');
    refuses(dbl, '-INF');
  });

  it('totalDigits and fractionDigits', () => {
    const t = simple('decimal', { totalDigits: 5, fractionDigits: 2 });
    accepts(t, '123.45', '123.45');
    accepts(t, '00123.450', '00123.450');
    refuses(t, '1234.56', /at most 5 digits/);
    refuses(t, '1.234', /at most 2 fraction digits/);
    refuses(simple('integer', { totalDigits: 3 }), '1000', /at most 3 digits/);
  });

  it('the encoder refuses values of the wrong JS type', () => {
    const cases: [BuiltinName, unknown][] = [
      ['string', 1],
      ['boolean', 'true'],
      ['long', 1.5],
      ['int', 1n],
      ['base64Binary', 'aGk='],
      ['date', new Date()],
    ];
    for (const [b, v] of cases) {
      const problems: string[] = [];
      assert.equal(writeSimple(simple(b), v, problems), INVALID, `${b} ${String(v)}`);
      assert.ok(problems.length > 0);
    }
  });
});

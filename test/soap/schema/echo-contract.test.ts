import assert from 'node:assert/strict';
import { compileSchema } from '../../../src/soap/schema/compile';
import { decodeElement } from '../../../src/soap/schema/decode';
import { encodeElement } from '../../../src/soap/schema/encode';
import { SchemaViolationError } from '../../../src/soap/fault';
import { domElementView, parseXmlDom } from '../../../src/soap/xml/dom';
import { parseXmlFast } from '../../../src/soap/xml/fast';
import { contract } from '../../fixtures/echo/generated/contract';
import type { Primitives } from '../../fixtures/echo/generated/types';

const ECHO = 'urn:example:echo';

describe('schema codec on the generated echo contract', () => {
  const schema = compileSchema(contract.schema);

  it('compiles every type and element, the contract namespace as tns', () => {
    assert.ok(schema.elements.size > 0);
    assert.equal(schema.prefixes.get(ECHO), 'tns');
  });

  it('round-trips every primitive at its boundaries on both adapters', () => {
    const primitives: Primitives = {
      stringValue: ' spaces & <markup> ]]> kept ',
      tokenValue: 'a b',
      normalizedStringValue: 'x y',
      booleanValue: true,
      byteValue: -128,
      shortValue: 32767,
      intValue: -2147483648,
      longValue: 9223372036854775807n,
      unsignedByteValue: 255,
      unsignedShortValue: 65535,
      unsignedIntValue: 4294967295,
      unsignedLongValue: 18446744073709551615n,
      positiveIntegerValue: 123456789012345678901234567890n,
      nonNegativeIntegerValue: 0n,
      integerValue: -9223372036854775809n,
      decimalValue: '12345678901234567.89',
      floatValue: 1.5,
      doubleValue: 5e-324,
      dateValue: '2026-02-28',
      dateTimeValue: '2026-01-02T03:04:05.123456',
      timeValue: '23:59:59Z',
      durationValue: 'P1Y2M3DT4H5M6.7S',
      base64BinaryValue: Buffer.from([0, 1, 2, 253, 254, 255]),
      hexBinaryValue: Buffer.from('cafe', 'hex'),
      anyURIValue: 'urn:x:y',
    };
    const key = `{${ECHO}}EchoPrimitives`;
    let xml: string;
    try {
      xml = encodeElement(schema, key, { primitives });
    } catch (e) {
      // The fixture's facets may be narrower than the built-in boundaries; show what they refuse.
      assert.fail(String(e));
    }
    const fast = decodeElement(schema, key, parseXmlFast(xml));
    const dom = decodeElement(schema, key, domElementView(parseXmlDom(xml).documentElement));
    assert.deepEqual(fast, { primitives });
    assert.deepEqual(dom, fast);
  });

  it('reports violations with paths on the echo types', () => {
    const key = `{${ECHO}}EchoPrimitives`;
    const xml = encodeElement(schema, key, {
      primitives: {
        stringValue: 's',
        tokenValue: 't',
        normalizedStringValue: 'n',
        booleanValue: false,
        byteValue: 1,
        shortValue: 1,
        intValue: 1,
        longValue: 1n,
        unsignedByteValue: 1,
        unsignedShortValue: 1,
        unsignedIntValue: 1,
        unsignedLongValue: 1n,
        positiveIntegerValue: 1n,
        nonNegativeIntegerValue: 1n,
        integerValue: 1n,
        decimalValue: '1',
        floatValue: 1,
        doubleValue: 1,
        dateValue: '2026-01-01',
        dateTimeValue: '2026-01-01T00:00:00Z',
        timeValue: '00:00:00',
        durationValue: 'PT1S',
        base64BinaryValue: Buffer.alloc(1),
        hexBinaryValue: Buffer.alloc(1),
        anyURIValue: 'u',
      } satisfies Primitives,
    });
    const broken = xml
      .replace(/(<(?:\w+:)?byteValue>)1</, '$1128<')
      .replace(/(<(?:\w+:)?dateValue>)[^<]*</, '$12026-02-30<');
    assert.notEqual(broken, xml);
    assert.throws(
      () => decodeElement(schema, key, parseXmlFast(broken)),
      (e: unknown) => {
        assert.ok(e instanceof SchemaViolationError);
        assert.deepEqual(
          e.violations.map((v) => v.path),
          ['EchoPrimitives/primitives/byteValue', 'EchoPrimitives/primitives/dateValue'],
        );
        return true;
      },
    );
  });
});

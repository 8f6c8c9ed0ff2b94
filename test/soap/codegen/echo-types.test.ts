/**
 * The committed echo output, used as a program would use it. The project type check compiles this file,
 * so a generated type that drifts from the value mapping (decimal as string, long as bigint, binary as
 * Buffer, optional/nillable/repeated shapes) fails `npm test` through the @ts-expect-error lines below.
 */
import { strict as assert } from 'node:assert';
import { DeclaredFault, SoapFault } from '../../../src/soap/fault';
import type { SoapContext } from '../../../src/soap/pipeline';
import {
  contract,
  EchoFault,
  LimitFault,
  type EchoHandlers,
  type Money,
  type Primitives,
  type Structures,
} from '../../fixtures/echo/generated';

const primitives: Primitives = {
  stringValue: 's',
  tokenValue: 't',
  normalizedStringValue: 'n',
  booleanValue: true,
  byteValue: -8,
  shortValue: 300,
  intValue: 70000,
  longValue: 9007199254740993n,
  unsignedByteValue: 255,
  unsignedShortValue: 65535,
  unsignedIntValue: 4294967295,
  unsignedLongValue: 18446744073709551615n,
  positiveIntegerValue: 1n,
  nonNegativeIntegerValue: 0n,
  integerValue: -123456789012345678901234567890n,
  decimalValue: '12345678901234567.89',
  floatValue: 1.5,
  doubleValue: 2.25,
  dateValue: '2026-11-21',
  dateTimeValue: '2026-11-21T05:00:00Z',
  timeValue: '05:00:00',
  durationValue: 'P1DT2H',
  base64BinaryValue: Buffer.from('hi'),
  hexBinaryValue: Buffer.from([0xca, 0xfe]),
  anyURIValue: 'urn:x',
};

// @ts-expect-error decimal is a string, never a JS number
const decimalAsNumber: Money = { $value: 12.5, currency: 'EUR' };
// @ts-expect-error xs:long is a bigint
const longAsNumber: Primitives = { ...primitives, longValue: 1 };
// @ts-expect-error base64Binary is a Buffer
const base64AsString: Primitives = { ...primitives, base64BinaryValue: 'aGk=' };

const minimal: Structures = {
  Customer: { id: 'c1', name: 'Ann' },
  contact: { email: 'a@example.com' },
  options: { size: 3 },
  remark: null,
  total: { $value: '10.00', currency: 'EUR' },
  version: 1,
};
// @ts-expect-error remark is nillable but not optional
const withoutRemark: Structures = { ...minimal, remark: undefined };
// @ts-expect-error an enumeration is a union of its values
const badKind: Parameters<EchoHandlers['raiseFault']>[0] = { kind: 'other' };

const handlers: EchoHandlers = {
  async echoPrimitives(request) {
    return { primitives: request.primitives };
  },
  async echoStructures(request) {
    return { structures: request.structures };
  },
  async echoFacets(request) {
    return { facets: request.facets };
  },
  async raiseFault(request) {
    if (request.kind === 'echo')
      throw new EchoFault('echo fault', { code: 'E1', message: request.message ?? '', item: ['a', 'b'] });
    if (request.kind === 'limit') throw new LimitFault('limit fault', { limit: 10n, requested: '10.01' });
    return { kind: request.kind };
  },
};

describe('generated echo code', () => {
  it('implements the handler interface with typed requests and responses', async () => {
    const context = {} as SoapContext;
    assert.deepEqual(await handlers.echoPrimitives({ primitives }, context), { primitives });
    assert.deepEqual(await handlers.echoStructures({ structures: minimal }, context), { structures: minimal });
    assert.deepEqual(await handlers.raiseFault({ kind: 'none' }, context), { kind: 'none' });
    assert.ok([decimalAsNumber, longAsNumber, base64AsString, withoutRemark, badKind].length === 5);
  });

  it('throws declared faults carrying their detail element and typed detail', async () => {
    const context = {} as SoapContext;
    await assert.rejects(handlers.raiseFault({ kind: 'echo', message: 'm' }, context), (err: unknown) => {
      assert.ok(err instanceof EchoFault && err instanceof DeclaredFault && err instanceof SoapFault);
      assert.equal(err.code, 'Sender');
      assert.equal(err.reason, 'echo fault');
      assert.deepEqual(err.detail, {
        element: '{urn:example:echo}EchoFaultDetail',
        value: { code: 'E1', message: 'm', item: ['a', 'b'] },
      });
      return true;
    });
    await assert.rejects(handlers.raiseFault({ kind: 'limit' }, context), (err: unknown) => {
      assert.ok(err instanceof LimitFault);
      assert.equal(err.detail?.element, LimitFault.element);
      assert.equal(contract.schema.elements[LimitFault.element].type, '{urn:example:echo}LimitFaultInfo');
      return true;
    });
  });

  it('embeds the compiled contract', () => {
    assert.equal(contract.id, 'echo');
    assert.deepEqual(
      contract.services[0].ports.map((p) => p.name),
      ['EchoSoap11Port', 'EchoSoap12Port'],
    );
  });
});

import { strict as assert } from 'node:assert';
import * as soap from 'soap';
import { startEchoServer, type EchoServer } from './helpers/echo-server';
import { SOAP_VERSIONS } from './echo-scenarios';

// The `soap` npm package's client against our engine's echo service over real HTTP, SOAP 1.1 and 1.2.
//
// How a careful user of this client configures it for an exact contract (all documented options):
// - customDeserializer per XSD type: by default the client turns long/integer into JS numbers and
//   decimal into a float (losing 9223372036854775807 and 12345678901234567.89) and dates into Date objects
//   (inventing a time zone); here 64-bit/unbounded integers become bigint, decimal and dates stay lexical.
// - handleNilAsNull: an xsi:nil element arrives as null instead of vanishing.
// - ignoredNamespaces (none) + overrideRootElement: by default the client puts the body wrapper in the
//   default namespace, which would capture the unqualified local elements of urn:example:echo:types
//   (Customer/name, contact/email, ...) into urn:example:echo; a prefixed wrapper keeps them unqualified.
// - forceSoap12Headers for the SOAP 1.2 port (the client otherwise always speaks SOAP 1.1).

const ECHO_NS = 'urn:example:echo';
const toBigInt = (text: string): bigint => BigInt(text);
const toNumber = (text: string): number => Number(text);
const keepText = (text: string): string => text;

function clientOptions(version: (typeof SOAP_VERSIONS)[number]): soap.IOptions {
  return {
    handleNilAsNull: true,
    forceSoap12Headers: version === 'soap12',
    ignoredNamespaces: { namespaces: [], override: true },
    overrideRootElement: { namespace: 'tns', xmlnsAttributes: [{ name: 'xmlns:tns', value: ECHO_NS }] },
    customDeserializer: {
      long: toBigInt,
      integer: toBigInt,
      unsignedLong: toBigInt,
      positiveInteger: toBigInt,
      nonNegativeInteger: toBigInt,
      byte: toNumber,
      unsignedByte: toNumber,
      unsignedShort: toNumber,
      unsignedInt: toNumber,
      decimal: keepText,
      date: keepText,
      dateTime: keepText,
      base64Binary: (text: string) => Buffer.from(text, 'base64'),
      hexBinary: (text: string) => Buffer.from(text, 'hex'),
      // the echo contract's own restricted types
      Quantity: toNumber,
      SmallQuantity: toNumber,
      Serial: toBigInt,
      Temperature: toNumber,
    },
  } as soap.IOptions;
}

type Args = Record<string, unknown>;
interface Exchange {
  result: Args;
  request: string;
  response: string;
}
type Operation = (
  args: Args,
  callback: (error: unknown, result: Args, rawResponse: string, soapHeader: unknown, rawRequest: string) => void,
) => void;

function call(
  client: soap.Client,
  version: (typeof SOAP_VERSIONS)[number],
  operation: string,
  args: Args,
): Promise<Exchange> {
  const port = version === 'soap11' ? 'EchoSoap11Port' : 'EchoSoap12Port';
  const services = client as unknown as Record<string, Record<string, Record<string, Operation>>>;
  const method = services.EchoService?.[port]?.[operation];
  if (!method) throw new Error(`the soap client has no EchoService.${port}.${operation}`);
  return new Promise((resolve, reject) => {
    method(args, (error, result, response, _header, request) =>
      error ? reject(error) : resolve({ result, request, response }),
    );
  });
}

/** Runs `action` and returns what it threw (failing when it did not throw). */
async function thrown(action: () => Promise<unknown>): Promise<SoapClientError> {
  try {
    await action();
  } catch (error) {
    return error as SoapClientError;
  }
  assert.fail('expected a SOAP fault, got a normal response');
}

interface SoapClientError extends Error {
  root?: { Envelope?: { Body?: { Fault?: Record<string, unknown> } } };
  response?: { status?: number };
  body?: string;
}

function faultOf(error: SoapClientError): Record<string, unknown> {
  const fault = error.root?.Envelope?.Body?.Fault;
  assert.ok(fault, `not a SOAP fault: ${error.message}\n${error.body ?? ''}`);
  return fault;
}

/** SOAP 1.1 faultcode / SOAP 1.2 Code/Value, without its prefix. */
function faultCode(fault: Record<string, unknown>): string {
  const code = fault.faultcode ?? (fault.Code as { Value?: unknown } | undefined)?.Value;
  return String(code).replace(/^.*:/, '');
}

/** SOAP 1.1 faultstring / SOAP 1.2 Reason/Text; with an xml:lang attribute the client gives {attributes, $value}. */
function faultReason(fault: Record<string, unknown>): string {
  const text = fault.faultstring ?? (fault.Reason as { Text?: unknown } | undefined)?.Text;
  if (typeof text === 'string') return text;
  if (text && typeof text === 'object' && '$value' in text) return String((text as { $value: unknown }).$value);
  return JSON.stringify(fault);
}

function faultDetail(fault: Record<string, unknown>): Record<string, unknown> | undefined {
  return (fault.detail ?? fault.Detail) as Record<string, unknown> | undefined;
}

// ------------------------------------------------------------------------------------------- values

const ALL_BYTES = Buffer.from(Array.from({ length: 256 }, (_, i) => i));
const EXTREME_STRING = 'Grüße <&> "quoted" \'apos\' ]]> 日本語 😀\nsecond line\ttab  two spaces';

const extremePrimitivesSent = {
  stringValue: EXTREME_STRING,
  tokenValue: 'alpha beta gamma',
  normalizedStringValue: 'normalized string value',
  booleanValue: true,
  byteValue: -128,
  shortValue: -32768,
  intValue: -2147483648,
  longValue: 9223372036854775807n,
  unsignedByteValue: 255,
  unsignedShortValue: 65535,
  unsignedIntValue: 4294967295,
  unsignedLongValue: 18446744073709551615n,
  positiveIntegerValue: 123456789012345678901234567890n,
  nonNegativeIntegerValue: 9007199254740993n,
  integerValue: -98765432109876543210987654321n,
  decimalValue: '12345678901234567.89',
  floatValue: 3.4028234663852886e38,
  doubleValue: -1.7976931348623157e308,
  dateValue: '2024-02-29',
  dateTimeValue: '2024-02-29T23:59:59.125+05:30',
  timeValue: '13:20:00',
  durationValue: 'P1Y2M3DT4H5M6.5S',
  base64BinaryValue: ALL_BYTES.toString('base64'),
  hexBinaryValue: 'DEADBEEF00FF',
  anyURIValue: 'https://example.com/orders?id=42&lang=de#top',
};
const extremePrimitivesReceived = {
  ...extremePrimitivesSent,
  base64BinaryValue: ALL_BYTES,
  hexBinaryValue: Buffer.from('DEADBEEF00FF', 'hex'),
};

const zeroPrimitivesSent = {
  stringValue: '',
  tokenValue: 'x',
  normalizedStringValue: '',
  booleanValue: false,
  byteValue: 127,
  shortValue: 32767,
  intValue: 2147483647,
  longValue: -9223372036854775808n,
  unsignedByteValue: 0,
  unsignedShortValue: 0,
  unsignedIntValue: 0,
  unsignedLongValue: 0n,
  positiveIntegerValue: 1n,
  nonNegativeIntegerValue: 0n,
  integerValue: 0n,
  decimalValue: '-0.10',
  floatValue: -0.5,
  doubleValue: 0.1,
  dateValue: '1999-12-31',
  dateTimeValue: '2000-01-01T00:00:00Z',
  timeValue: '23:59:59.5-08:00',
  durationValue: '-P3D',
  base64BinaryValue: '',
  hexBinaryValue: '',
  anyURIValue: 'urn:isbn:0451450523',
};
// The client reads an empty element of a non-string type as null (it has no text to deserialize)
// (only xs:string itself is special-cased to ''), so the empty normalizedString arrives as null too.
const zeroPrimitivesReceived = {
  ...zeroPrimitivesSent,
  normalizedStringValue: null,
  base64BinaryValue: null,
  hexBinaryValue: null,
};

const money = (value: string, currency: string) => ({ attributes: { currency }, $value: value });
const address = (street: string, city: string, postalCode: string | undefined, country: string) => ({
  street,
  city,
  ...(postalCode === undefined ? {} : { 'postal-code': postalCode }),
  country,
});

// Attributes arrive as text: the client does not type attribute values.
const fullStructuresSent = {
  attributes: { version: 2, label: 'label with <tags> & "quotes"' },
  Customer: {
    attributes: { id: 'C-001', vip: true, since: '2020-01-31' },
    name: 'Ada Lovelace',
    address: address('1 Analytical Way', 'London', 'NW1 6XE', 'GB'),
    email: 'ada@example.com',
    phone: ['+44 20 0000 0001', '+44 20 0000 0002'],
  },
  contact: { email: 'orders@example.com' },
  options: { color: 'red', size: 42, gift: true },
  item: [
    { attributes: { line: 1 }, sku: 'ABC-0001', quantity: 3, price: money('19.99', 'EUR'), comment: 'fragile' },
    { attributes: { line: 2 }, sku: 'ABC-0002', quantity: 100000, price: money('0.01', 'EUR') },
  ],
  tag: ['alpha', 'beta', 'gamma', 'delta', 'epsilon'],
  note: 'a note',
  remark: 'a remark',
  total: money('12345678901234567.89', 'EUR'),
  priority: 3,
};
const fullStructuresReceived = {
  ...fullStructuresSent,
  attributes: { version: '2', label: 'label with <tags> & "quotes"' },
  Customer: { ...fullStructuresSent.Customer, attributes: { id: 'C-001', vip: 'true', since: '2020-01-31' } },
  item: [
    { ...fullStructuresSent.item[0], attributes: { line: '1' } },
    { ...fullStructuresSent.item[1], attributes: { line: '2' } },
  ],
};

const minimalStructuresSent = {
  attributes: { version: 1 },
  Customer: { attributes: { id: 'C-002' }, name: 'Bob' },
  contact: { postal: address('2 Main St', 'Springfield', undefined, 'US') },
  options: { size: 0 },
  remark: null,
  total: money('0', 'USD'),
};
const minimalStructuresReceived = { ...minimalStructuresSent, attributes: { version: '1' } };

const nilStructuresSent = {
  ...minimalStructuresSent,
  attributes: { version: 3 },
  contact: { phone: '+1 555 0100' },
  item: [{ attributes: { line: 7 }, sku: 'XYZ-0007', quantity: 1, price: money('-5.50', 'GBP'), comment: null }],
  tag: [''],
  note: null,
  total: money('-5.50', 'GBP'),
  priority: 1,
};
const nilStructuresReceived = {
  ...nilStructuresSent,
  attributes: { version: '3' },
  item: [{ ...nilStructuresSent.item[0], attributes: { line: '7' } }],
};

const facetsSent = {
  attributes: { level: 'high' },
  country: 'DE',
  status: 'on hold',
  sku: 'ABC-1234',
  euSku: 'EUX-1234',
  name: 'Zoë',
  identifier: 'order_1.a-b',
  consonants: 'bcdfg',
  percent: '99.99',
  quantity: 999,
  smallQuantity: 10,
  bigAmount: '12345678901234567.89',
  serial: 18446744073709551615n,
  temperature: -273.15,
  code: 'AB12',
};

// ------------------------------------------------------------------------------------------- tests

describe('interop: soap npm client against the echo service', function () {
  this.timeout(60_000);
  let server: EchoServer;

  before(async () => {
    server = await startEchoServer();
  });

  after(async () => {
    await server?.close();
  });

  for (const version of SOAP_VERSIONS) {
    describe(version, () => {
      let client: soap.Client;

      before(async () => {
        client = await soap.createClientAsync(server.wsdlUrl, clientOptions(version));
        client.setEndpoint(server.endpoint);
      });

      const echoes: Array<[string, string, string, Args, Args]> = [
        [
          'primitives at their extremes',
          'EchoPrimitives',
          'primitives',
          extremePrimitivesSent,
          extremePrimitivesReceived,
        ],
        [
          'primitives at zero, empty and the other extremes',
          'EchoPrimitives',
          'primitives',
          zeroPrimitivesSent,
          zeroPrimitivesReceived,
        ],
        [
          'structures with every optional part present',
          'EchoStructures',
          'structures',
          fullStructuresSent,
          fullStructuresReceived,
        ],
        [
          'structures with optional parts absent and a nil remark',
          'EchoStructures',
          'structures',
          minimalStructuresSent,
          minimalStructuresReceived,
        ],
        [
          'structures with nil note and nil item comment',
          'EchoStructures',
          'structures',
          nilStructuresSent,
          nilStructuresReceived,
        ],
        ['values constrained by facets', 'EchoFacets', 'facets', facetsSent, facetsSent],
      ];
      for (const [title, operation, part, sent, received] of echoes) {
        it(`round-trips ${title}`, async () => {
          const exchange = await call(client, version, operation, { [part]: sent });
          assert.deepStrictEqual(
            exchange.result,
            { [part]: received },
            `request:\n${exchange.request}\nresponse:\n${exchange.response}`,
          );
        });
      }

      it('receives the declared EchoFault with its detail', async () => {
        const error = await thrown(() =>
          call(client, version, 'RaiseFault', { kind: 'echo', message: 'echo fault <&> requested' }),
        );
        const fault = faultOf(error);
        assert.equal(faultCode(fault), version === 'soap11' ? 'Client' : 'Sender');
        assert.deepStrictEqual(faultDetail(fault), {
          EchoFaultDetail: { code: 'ECHO', message: 'echo fault <&> requested', item: ['echo', 'fault'] },
        });
      });

      it('receives the declared LimitFault with its detail (long and decimal exact)', async () => {
        const error = await thrown(() => call(client, version, 'RaiseFault', { kind: 'limit', message: 'limit' }));
        const detail = faultDetail(faultOf(error));
        const limit = (detail?.LimitFaultDetail ?? {}) as Record<string, unknown>;
        assert.equal(
          String(limit.limit),
          '9223372036854775807',
          JSON.stringify(detail, (_k, v) => (typeof v === 'bigint' ? `${v}n` : v)),
        );
        assert.equal(String(limit.requested), '12345678901234567.89');
      });

      it('gets a normal response when no fault is asked for', async () => {
        const exchange = await call(client, version, 'RaiseFault', { kind: 'none' });
        assert.deepStrictEqual(exchange.result, { kind: 'none' });
      });

      it('gets a generic Server/Receiver fault for an undeclared error, without its message', async () => {
        const secret = 'internal-secret-7f3a';
        const error = await thrown(() => call(client, version, 'RaiseFault', { kind: 'unexpected', message: secret }));
        const fault = faultOf(error);
        assert.equal(faultCode(fault), version === 'soap11' ? 'Server' : 'Receiver');
        assert.ok(
          !JSON.stringify(fault).includes(secret),
          `the fault leaks the handler's message: ${JSON.stringify(fault)}`,
        );
        assert.ok(!/\n\s+at /.test(error.body ?? ''), 'the fault carries a stack trace');
      });

      it('gets a Client/Sender fault naming the field for a value the schema forbids', async () => {
        const error = await thrown(() =>
          call(client, version, 'EchoFacets', { facets: { ...facetsSent, quantity: 0 } }),
        );
        const fault = faultOf(error);
        assert.equal(faultCode(fault), version === 'soap11' ? 'Client' : 'Sender');
        assert.match(faultReason(fault), /quantity/);
      });
    });
  }
});

import assert from 'node:assert/strict';
import { parseEnvelope } from '../../../src/soap/envelope';
import { WssFault } from '../../../src/soap/security/faults';
import { checkTimestamp, parseUtcDateTime } from '../../../src/soap/security/timestamp';

const WSU = 'http://docs.oasis-open.org/wss/2004/01/oasis-200401-wss-wssecurity-utility-1.0.xsd';

function timestampView(inner: string) {
  const xml = `<soap:Envelope xmlns:soap="http://schemas.xmlsoap.org/soap/envelope/"><soap:Header><wsu:Timestamp xmlns:wsu="${WSU}">${inner}</wsu:Timestamp></soap:Header><soap:Body/></soap:Envelope>`;
  return parseEnvelope(Buffer.from(xml), { dom: false }).headers[0]!.element;
}
const now = new Date('2026-01-01T12:00:00Z');
const window = { now, maxAgeSeconds: 300, futureSkewSeconds: 60 };
const expectWss = (code: string) => (error: unknown) => error instanceof WssFault && error.wssCode === code;

describe('security: Timestamp', () => {
  it('accepts Created within the window, with Z or an offset and fractions', () => {
    assert.equal(
      checkTimestamp(timestampView('<wsu:Created>2026-01-01T11:58:00Z</wsu:Created>'), window).created.toISOString(),
      '2026-01-01T11:58:00.000Z',
    );
    checkTimestamp(
      timestampView(
        '<wsu:Created>2026-01-01T13:59:30.123456+02:00</wsu:Created><wsu:Expires>2026-01-01T12:05:00Z</wsu:Expires>',
      ),
      window,
    );
  });

  it('rejects an old Created, a Created too far ahead and a passed Expires with MessageExpired', () => {
    assert.throws(
      () => checkTimestamp(timestampView('<wsu:Created>2026-01-01T11:54:59Z</wsu:Created>'), window),
      expectWss('MessageExpired'),
    );
    assert.throws(
      () => checkTimestamp(timestampView('<wsu:Created>2026-01-01T12:01:01Z</wsu:Created>'), window),
      expectWss('MessageExpired'),
    );
    assert.throws(
      () =>
        checkTimestamp(
          timestampView(
            '<wsu:Created>2026-01-01T11:58:00Z</wsu:Created><wsu:Expires>2026-01-01T11:59:59Z</wsu:Expires>',
          ),
          window,
        ),
      expectWss('MessageExpired'),
    );
  });

  it('rejects a Timestamp without Created, with two Created, without a time zone or with junk', () => {
    assert.throws(
      () => checkTimestamp(timestampView('<wsu:Expires>2026-01-01T12:05:00Z</wsu:Expires>'), window),
      expectWss('InvalidSecurity'),
    );
    assert.throws(
      () =>
        checkTimestamp(
          timestampView(
            '<wsu:Created>2026-01-01T11:58:00Z</wsu:Created><wsu:Created>2026-01-01T11:58:00Z</wsu:Created>',
          ),
          window,
        ),
      expectWss('InvalidSecurity'),
    );
    assert.throws(
      () => checkTimestamp(timestampView('<wsu:Created>2026-01-01T11:58:00</wsu:Created>'), window),
      expectWss('InvalidSecurity'),
    );
    assert.throws(
      () => checkTimestamp(timestampView('<wsu:Created>yesterday</wsu:Created>'), window),
      expectWss('InvalidSecurity'),
    );
  });

  it('parses xs:dateTime strictly', () => {
    assert.equal(parseUtcDateTime('2026-02-30T00:00:00Z'), undefined);
    assert.equal(parseUtcDateTime('2028-02-29T00:00:00Z')?.toISOString(), '2028-02-29T00:00:00.000Z');
    assert.equal(parseUtcDateTime('2026-13-01T00:00:00Z'), undefined);
    assert.equal(parseUtcDateTime('2026-01-01T24:00:00Z'), undefined);
    assert.equal(parseUtcDateTime(' 2026-01-01T00:00:00Z ')?.toISOString(), '2026-01-01T00:00:00.000Z');
  });
});

/**
 * Request encodings: UTF-16 (LE/BE, with and without a byte order mark) and ISO-8859-1 bodies are decoded
 * at the edge and answered in UTF-8; disagreements between Content-Type charset, byte order mark and XML
 * declaration are refused with 415, bytes invalid in their encoding with a Sender fault. Unit checks of
 * decodeRequestBody, then the same over real HTTP through both bindings.
 */
import assert from 'node:assert/strict';
import { decodeRequestBody } from '../../../src/soap/transport/charset';
import { createSoapEndpoint } from '../../../src/soap/endpoint';
import {
  CapturingLogger,
  TRANSPORTS,
  httpRequest,
  soap11,
  soap12,
  startServer,
  type RunningServer,
} from './http-helpers';
import { MINI_DOCUMENT_ROOT, MINI_NS, miniContract, type MiniHandlers } from './mini-contract';

const TEXT = 'Grüße à Zürich ½ €\u{1F600}';
const LATIN1_TEXT = 'Grüße à Zürich ½ ÿ';
const ping = (text: string): string => `<m:Ping xmlns:m="${MINI_NS}"><m:text>${text}</m:text></m:Ping>`;
const declared = (encoding: string, body: string): string =>
  `<?xml version="1.0" encoding="${encoding}"?>${body.replace(/^<\?xml[^>]*\?>/, '')}`;

function utf16be(text: string): Buffer {
  const le = Buffer.from(text, 'utf16le');
  return le.swap16();
}
const BOM_LE = Buffer.from([0xff, 0xfe]);
const BOM_BE = Buffer.from([0xfe, 0xff]);
const BOM_UTF8 = Buffer.from([0xef, 0xbb, 0xbf]);

function decodedText(raw: Buffer, charset: string | undefined): string {
  const result = decodeRequestBody(raw, charset);
  assert.ok(result.ok, result.ok ? '' : result.message);
  return result.body.toString('utf8');
}

function refusal(raw: Buffer, charset: string | undefined): { problem: string; message: string } {
  const result = decodeRequestBody(raw, charset);
  assert.equal(result.ok, false, 'expected a refusal');
  return result.ok ? { problem: '', message: '' } : result;
}

describe('request charset decoding (decodeRequestBody)', () => {
  const doc = soap11(ping(TEXT));

  it('returns a UTF-8 body as the very same Buffer (no copy on the common path)', () => {
    const raw = Buffer.from(doc, 'utf8');
    for (const charset of [undefined, 'utf-8', 'UTF-8', 'utf8']) {
      const result = decodeRequestBody(raw, charset);
      assert.ok(result.ok);
      assert.equal(result.body, raw);
    }
    const marked = Buffer.concat([BOM_UTF8, raw]);
    const result = decodeRequestBody(marked, 'utf-8');
    assert.ok(result.ok && result.body === marked);
  });

  it('decodes UTF-16LE and UTF-16BE, with a byte order mark or without, by charset or by detection', () => {
    const text = declared('UTF-16', doc);
    const expected = declared('UTF-8', doc);
    const le = Buffer.from(text, 'utf16le');
    const be = utf16be(text);
    assert.equal(decodedText(Buffer.concat([BOM_LE, le]), 'utf-16'), expected);
    assert.equal(decodedText(Buffer.concat([BOM_BE, be]), 'utf-16'), expected);
    assert.equal(decodedText(Buffer.concat([BOM_LE, le]), undefined), expected);
    assert.equal(decodedText(Buffer.concat([BOM_BE, be]), undefined), expected);
    assert.equal(decodedText(le, 'UTF-16'), expected);
    assert.equal(decodedText(be, 'utf-16'), expected);
    assert.equal(decodedText(le, undefined), expected);
    assert.equal(decodedText(be, undefined), expected);
    assert.equal(decodedText(Buffer.from(declared('UTF-16LE', doc), 'utf16le'), 'utf-16le'), expected);
    assert.equal(decodedText(utf16be(declared('UTF-16BE', doc)), 'UTF-16BE'), expected);
    // no declaration at all
    const bare = soap12(ping(TEXT));
    assert.equal(decodedText(Buffer.concat([BOM_LE, Buffer.from(bare, 'utf16le')]), 'utf-16'), bare);
  });

  it('decodes ISO-8859-1 by charset, or by the declaration when there is no charset', () => {
    const text = declared('ISO-8859-1', soap11(ping(LATIN1_TEXT)));
    const expected = declared('UTF-8', soap11(ping(LATIN1_TEXT)));
    assert.equal(decodedText(Buffer.from(text, 'latin1'), 'ISO-8859-1'), expected);
    assert.equal(decodedText(Buffer.from(text, 'latin1'), undefined), expected);
    assert.equal(decodedText(Buffer.from(declared('latin1', text), 'latin1'), 'iso_8859-1'), declared('UTF-8', text));
    const undeclared = soap12(ping(LATIN1_TEXT));
    assert.equal(decodedText(Buffer.from(undeclared, 'latin1'), 'ISO-8859-1'), undeclared);
  });

  it('refuses a charset that disagrees with the byte order mark or the layout (415)', () => {
    const le = Buffer.concat([BOM_LE, Buffer.from(declared('UTF-16', doc), 'utf16le')]);
    assert.match(refusal(le, 'utf-8').message, /Content-Type says UTF-8 but the body is UTF-16LE \(byte order mark\)/);
    assert.match(refusal(le, 'utf-16be').message, /UTF-16BE but the body is UTF-16LE/);
    assert.match(refusal(le, 'iso-8859-1').message, /mismatch/);
    assert.match(refusal(Buffer.from(doc, 'utf8'), 'utf-16').message, /says UTF-16 but the body is not UTF-16/);
    assert.match(refusal(Buffer.concat([BOM_UTF8, Buffer.from(doc)]), 'iso-8859-1').message, /UTF-8 byte order mark/);
    assert.equal(refusal(le, 'utf-8').problem, 'unsupported-media-type');
  });

  it('refuses an XML declaration that disagrees with the body or the charset (415)', () => {
    const utf8DeclaredLatin1 = Buffer.from(declared('ISO-8859-1', doc), 'utf8');
    assert.match(
      refusal(utf8DeclaredLatin1, 'utf-8').message,
      /XML declaration says ISO-8859-1 but the Content-Type says UTF-8/,
    );
    assert.match(
      refusal(Buffer.from(declared('UTF-16', doc), 'utf8'), undefined).message,
      /XML declaration says UTF-16 but the body is UTF-8/,
    );
    assert.match(
      refusal(Buffer.from(declared('UTF-8', doc), 'utf16le'), 'utf-16').message,
      /XML declaration says UTF-8 but the body is UTF-16LE/,
    );
    assert.match(
      refusal(Buffer.from(declared('UTF-16BE', doc), 'utf16le'), undefined).message,
      /says UTF-16BE but the body is UTF-16LE/,
    );
    assert.match(
      refusal(Buffer.from(declared('Shift_JIS', doc), 'utf8'), undefined).message,
      /Unsupported encoding 'Shift_JIS'/,
    );
    assert.match(refusal(Buffer.from(doc), 'koi8-r').message, /Unsupported charset 'koi8-r'/);
  });

  it('calls bytes that are not valid UTF-16 malformed (not 415)', () => {
    const odd = Buffer.concat([BOM_LE, Buffer.from(doc, 'utf16le'), Buffer.from([0x3c])]);
    assert.deepEqual(refusal(odd, 'utf-16'), {
      ok: false,
      problem: 'malformed',
      message: 'The request body is not valid UTF-16LE',
    });
    const loneSurrogate = Buffer.concat([
      BOM_LE,
      Buffer.from('<a>', 'utf16le'),
      Buffer.from([0x00, 0xd8]),
      Buffer.from('</a>', 'utf16le'),
    ]);
    assert.equal(refusal(loneSurrogate, undefined).problem, 'malformed');
  });
});

const handlers: MiniHandlers = {
  async ping(request) {
    return { text: `${request.text}|${request.text.length}` };
  },
  async other() {
    return {};
  },
  async notify() {},
};

function faultReason(body: string): string {
  return (
    /<faultstring[^>]*>([^<]*)<\/faultstring>|<soap:Text[^>]*>([^<]*)<\/soap:Text>/
      .exec(body)
      ?.slice(1)
      .find((x) => x !== undefined) ?? ''
  );
}

for (const transport of TRANSPORTS) {
  describe(`request encodings over ${transport}`, () => {
    let server: RunningServer;
    let url: string;
    before(async () => {
      const endpoint = createSoapEndpoint({
        contract: miniContract,
        service: 'MiniService',
        handlers,
        logger: new CapturingLogger(),
        documentRoot: MINI_DOCUMENT_ROOT,
      });
      server = await startServer(transport, { '/soap/mini': endpoint });
      url = `${server.base}/soap/mini`;
    });
    after(() => server.close());

    const post = (contentType: string, body: Buffer) =>
      httpRequest(url, { headers: { 'Content-Type': contentType }, body });

    it('answers a SOAP 1.1 UTF-16LE request (BOM, charset=utf-16) in UTF-8 with the same characters', async () => {
      const body = Buffer.concat([BOM_LE, Buffer.from(declared('utf-16', soap11(ping(TEXT))), 'utf16le')]);
      const r = await post('text/xml; charset=utf-16', body);
      assert.equal(r.status, 200, r.body);
      assert.equal(r.headers['content-type'], 'text/xml; charset=utf-8');
      assert.ok(r.body.includes(`>${TEXT}|${TEXT.length}<`), r.body);
    });

    it('answers a SOAP 1.2 UTF-16BE request without BOM or charset (detected) in UTF-8', async () => {
      const r = await post('application/soap+xml', utf16be(soap12(ping(TEXT))));
      assert.equal(r.status, 200, r.body);
      assert.equal(r.headers['content-type'], 'application/soap+xml; charset=utf-8');
      assert.ok(r.body.includes(`>${TEXT}|${TEXT.length}<`), r.body);
    });

    it('answers an ISO-8859-1 request in UTF-8', async () => {
      const r = await post(
        'text/xml; charset=ISO-8859-1',
        Buffer.from(declared('ISO-8859-1', soap11(ping(LATIN1_TEXT))), 'latin1'),
      );
      assert.equal(r.status, 200, r.body);
      assert.ok(r.body.includes(`>${LATIN1_TEXT}|${LATIN1_TEXT.length}<`), r.body);
    });

    it('refuses a charset / byte order mark mismatch with 415 and a fault in the request version', async () => {
      const body = Buffer.concat([BOM_LE, Buffer.from(soap12(ping('x')), 'utf16le')]);
      const r = await post('application/soap+xml; charset=utf-8', body);
      assert.equal(r.status, 415);
      assert.match(r.body, /<soap:Value>soap:Sender<\/soap:Value>/);
      assert.match(faultReason(r.body), /Charset mismatch: the Content-Type says UTF-8 but the body is UTF-16LE/);
    });

    it('refuses a declaration that disagrees with the charset with 415', async () => {
      const r = await post('text/xml; charset=utf-8', Buffer.from(declared('ISO-8859-1', soap11(ping('x')))));
      assert.equal(r.status, 415);
      assert.match(faultReason(r.body), /XML declaration says ISO-8859-1/);
    });

    it('answers invalid UTF-16 bytes with a Client fault (500 in SOAP 1.1, like invalid UTF-8)', async () => {
      const r = await post(
        'text/xml; charset=utf-16',
        Buffer.concat([BOM_LE, Buffer.from(soap11(ping('x')), 'utf16le'), Buffer.from([0x3c])]),
      );
      assert.equal(r.status, 500);
      assert.match(r.body, /<faultcode>soap:Client<\/faultcode>/);
      assert.match(faultReason(r.body), /not valid UTF-16LE/);
    });
  });
}

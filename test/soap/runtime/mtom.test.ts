/**
 * MTOM/XOP over real HTTP through both bindings: a multipart/related request whose xop:Include is
 * replaced by its part's base64 (SOAP 1.1 and 1.2), the MTOM reply with the large base64 content as a
 * binary part, and every malformed package refused (no root part, unknown cid, no boundary, over the
 * body limit) with a fault and nothing dispatched.
 */
import assert from 'node:assert/strict';
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

const XOP = 'http://www.w3.org/2004/08/xop/include';
const LIMIT = 256 * 1024;
const seen: string[] = [];
const handlers: MiniHandlers = {
  async ping(request) {
    seen.push(request.text);
    return { text: request.text };
  },
  async other() {
    return {};
  },
  async notify() {},
};

interface PartSpec {
  readonly id?: string;
  readonly type: string;
  readonly body: Buffer | string;
}

function multipart(boundary: string, parts: readonly PartSpec[]): Buffer {
  const chunks: Buffer[] = [Buffer.from('preamble to be ignored\r\n')];
  for (const part of parts) {
    chunks.push(
      Buffer.from(
        `--${boundary}\r\nContent-Type: ${part.type}\r\nContent-Transfer-Encoding: binary\r\n${part.id === undefined ? '' : `Content-ID: <${part.id}>\r\n`}\r\n`,
      ),
    );
    chunks.push(Buffer.isBuffer(part.body) ? part.body : Buffer.from(part.body, 'utf8'));
    chunks.push(Buffer.from('\r\n'));
  }
  chunks.push(Buffer.from(`--${boundary}--\r\n`));
  return Buffer.concat(chunks);
}

const pingWithInclude = (cid: string): string =>
  `<m:Ping xmlns:m="${MINI_NS}"><m:text><xop:Include xmlns:xop="${XOP}" href="cid:${encodeURIComponent(cid)}"/></m:text></m:Ping>`;

function mtomType(soapType: string, extra = ''): string {
  return `multipart/related; type="application/xop+xml"; boundary="b-1"; start="<root@x>"; start-info="${soapType}"${extra}`;
}

for (const transport of TRANSPORTS) {
  describe(`MTOM/XOP over ${transport}`, () => {
    let server: RunningServer;
    let url: string;
    before(async () => {
      const endpoint = createSoapEndpoint({
        contract: miniContract,
        service: 'MiniService',
        handlers,
        logger: new CapturingLogger(),
        documentRoot: MINI_DOCUMENT_ROOT,
        limits: { maxBodyBytes: LIMIT },
        mtom: { thresholdBytes: 1000 },
      });
      server = await startServer(transport, { '/soap/mini': endpoint });
      url = `${server.base}/soap/mini`;
    });
    after(() => server.close());

    it('SOAP 1.1: replaces xop:Include by the part as base64 and answers MTOM with the binary as a part', async () => {
      const binary = Buffer.alloc(5000, 0);
      for (let i = 0; i < binary.length; i++) binary[i] = (i * 7) & 0xff;
      const body = multipart('b-1', [
        {
          id: 'root@x',
          type: 'application/xop+xml; charset=UTF-8; type="text/xml"',
          body: soap11(pingWithInclude('bin/1@x')),
        },
        { id: 'bin/1@x', type: 'application/octet-stream', body: binary },
      ]);
      const r = await httpRequest(url, {
        headers: { 'Content-Type': mtomType('text/xml'), SOAPAction: '"urn:mini/Ping"' },
        body,
      });
      assert.equal(r.status, 200, r.body);
      assert.equal(seen.at(-1), binary.toString('base64'));
      const type = String(r.headers['content-type']);
      assert.match(
        type,
        /^multipart\/related; type="application\/xop\+xml"; boundary="[^"]+"; start="<[^>]+>"; start-info="text\/xml"$/,
      );
      assert.match(r.body, /Content-Type: application\/xop\+xml; charset=utf-8; type="text\/xml"/);
      assert.match(
        r.body,
        /<xop:Include xmlns:xop="http:\/\/www.w3.org\/2004\/08\/xop\/include" href="cid:1.attachment@partner-orders"\/>/,
      );
      assert.ok(!r.body.includes(binary.toString('base64')), 'the binary travels as a part, not base64');
    });

    it('SOAP 1.2: the root part type names the version; small content stays inline in the MTOM reply', async () => {
      const body = multipart('b-1', [
        {
          id: 'root@x',
          type: 'application/xop+xml; charset=UTF-8; type="application/soap+xml"; action="urn:mini/Ping"',
          body: soap12(pingWithInclude('small@x')),
        },
        { id: 'small@x', type: 'application/octet-stream', body: Buffer.from('hello') },
      ]);
      const r = await httpRequest(url, { headers: { 'Content-Type': mtomType('application/soap+xml') }, body });
      assert.equal(r.status, 200, r.body);
      assert.equal(seen.at(-1), 'aGVsbG8=');
      assert.match(String(r.headers['content-type']), /start-info="application\/soap\+xml"/);
      assert.match(r.body, />aGVsbG8=</);
    });

    it('refuses a package without its root part (400, Client fault)', async () => {
      const before = seen.length;
      const body = multipart('b-1', [{ id: 'other@x', type: 'application/octet-stream', body: 'x' }]);
      const r = await httpRequest(url, { headers: { 'Content-Type': mtomType('text/xml') }, body });
      assert.equal(r.status, 400);
      assert.match(r.body, /<faultcode>soap:Client<\/faultcode>/);
      assert.match(r.body, /no root part with Content-ID &lt;root@x&gt;/);
      assert.equal(seen.length, before);
    });

    it('refuses an xop:Include whose cid is not a part (400)', async () => {
      const before = seen.length;
      const body = multipart('b-1', [
        { id: 'root@x', type: 'application/xop+xml; type="text/xml"', body: soap11(pingWithInclude('missing@x')) },
      ]);
      const r = await httpRequest(url, { headers: { 'Content-Type': mtomType('text/xml') }, body });
      assert.equal(r.status, 400);
      assert.match(r.body, /refers to cid:missing@x, which is not a part of the message/);
      assert.equal(seen.length, before);
    });

    it('refuses a multipart without boundary, and a root part that is not XOP (400)', async () => {
      const noBoundary = await httpRequest(url, {
        headers: { 'Content-Type': 'multipart/related; type="application/xop+xml"' },
        body: 'x',
      });
      assert.equal(noBoundary.status, 400);
      assert.match(noBoundary.body, /no valid boundary/);
      const body = multipart('b-1', [{ id: 'root@x', type: 'text/plain', body: 'hello' }]);
      const wrongRoot = await httpRequest(url, { headers: { 'Content-Type': mtomType('text/xml') }, body });
      assert.equal(wrongRoot.status, 400);
      assert.match(wrongRoot.body, /root part is 'text\/plain'/);
    });

    it('refuses a package over the body limit with 413 before dispatch', async () => {
      const before = seen.length;
      const body = multipart('b-1', [
        { id: 'root@x', type: 'application/xop+xml; type="text/xml"', body: soap11(pingWithInclude('big@x')) },
        { id: 'big@x', type: 'application/octet-stream', body: Buffer.alloc(LIMIT + 1) },
      ]);
      const r = await httpRequest(url, { headers: { 'Content-Type': mtomType('text/xml') }, body });
      assert.equal(r.status, 413);
      assert.equal(seen.length, before);
    });

    it('still refuses other multipart types with 415', async () => {
      const r = await httpRequest(url, {
        headers: { 'Content-Type': 'multipart/related; type="text/xml"; boundary=x' },
        body: 'x',
      });
      assert.equal(r.status, 415);
    });
  });
}

import { strict as assert } from 'node:assert';
import { resolve } from 'node:path';
import { createSoapEndpoint } from '../../../src/soap/endpoint';
import { contract } from '../../fixtures/echo/generated';
import { echoHandlers } from '../../fixtures/echo/service';
import { httpRequest, startServer, type RunningServer } from '../runtime/http-helpers';

const ECHO_NS = 'urn:example:echo';
const WSA = 'http://www.w3.org/2005/08/addressing';
const WSA04 = 'http://schemas.xmlsoap.org/ws/2004/08/addressing';
const S11 = 'http://schemas.xmlsoap.org/soap/envelope/';
const S12 = 'http://www.w3.org/2003/05/soap-envelope';

const raiseFault = (kind: string) =>
  `<e:RaiseFault xmlns:e="${ECHO_NS}"><e:kind>${kind}</e:kind>${kind === 'echo' ? '<e:message>boom</e:message>' : ''}</e:RaiseFault>`;

function envelope11(headers: string, body: string): string {
  return `<s:Envelope xmlns:s="${S11}" xmlns:wsa="${WSA}"><s:Header>${headers}</s:Header><s:Body>${body}</s:Body></s:Envelope>`;
}

/** What clients with addressing on send: every header mustUnderstand. */
function wsaHeaders(
  action: string,
  extra: { messageId?: string | null; replyTo?: string; to?: string; ns?: string; mu?: string } = {},
): string {
  const ns = extra.ns ?? WSA;
  const mu = extra.mu ?? ' s:mustUnderstand="1"';
  const id = extra.messageId === undefined ? 'urn:uuid:1b4e28ba-2fa1-11d2-883f-0016d3cca427' : extra.messageId;
  return (
    `<a:Action xmlns:a="${ns}"${mu}>${action}</a:Action>` +
    (id === null ? '' : `<a:MessageID xmlns:a="${ns}">${id}</a:MessageID>`) +
    `<a:ReplyTo xmlns:a="${ns}"><a:Address>${extra.replyTo ?? (ns === WSA ? `${WSA}/anonymous` : `${WSA04}/role/anonymous`)}</a:Address></a:ReplyTo>` +
    `<a:To xmlns:a="${ns}"${mu}>${extra.to ?? 'http://127.0.0.1/soap/echo'}</a:To>`
  );
}

function header(body: string, ns: string, local: string): string[] {
  const found: string[] = [];
  const re = new RegExp(`<(\\w+):${local} xmlns:\\1="${ns.replace(/[.]/g, '\\.')}">([^<]*)</\\1:${local}>`, 'g');
  for (const m of body.matchAll(re)) found.push(m[2]!);
  return found;
}

describe('WS-Addressing on an endpoint (echo contract)', () => {
  let server: RunningServer;
  let url: string;

  before(async () => {
    const endpoint = createSoapEndpoint({
      contract,
      service: 'EchoService',
      handlers: echoHandlers,
      addressing: true,
      documentRoot: resolve(__dirname, '..', '..', '..'),
      logger: { debug() {}, info() {}, warn() {}, error() {} },
    });
    server = await startServer('node:http', { '/soap/echo': endpoint });
    url = `${server.base}/soap/echo`;
  });
  after(() => server.close());

  const post11 = (xml: string, soapAction?: string) =>
    httpRequest(url, {
      headers: {
        'content-type': 'text/xml; charset=utf-8',
        ...(soapAction === undefined ? {} : { soapaction: `"${soapAction}"` }),
      },
      body: xml,
    });

  it('understands Action and To marked mustUnderstand and addresses the reply (the soapAction as wsa:Action)', async () => {
    const reply = await post11(
      envelope11(wsaHeaders(`${ECHO_NS}/RaiseFault`), raiseFault('none')),
      `${ECHO_NS}/RaiseFault`,
    );
    assert.equal(reply.status, 200, reply.body);
    assert.deepEqual(header(reply.body, WSA, 'Action'), [`${ECHO_NS}:Echo:RaiseFaultResponse`]);
    assert.deepEqual(header(reply.body, WSA, 'RelatesTo'), ['urn:uuid:1b4e28ba-2fa1-11d2-883f-0016d3cca427']);
    assert.deepEqual(header(reply.body, WSA, 'To'), [`${WSA}/anonymous`]);
    const [messageId] = header(reply.body, WSA, 'MessageID');
    assert.match(messageId ?? '', /^urn:uuid:[0-9a-f-]{36}$/);
    assert.equal(reply.headers['x-request-id'], 'urn:uuid:1b4e28ba-2fa1-11d2-883f-0016d3cca427');
  });

  it('accepts the default action of WS-Addressing Metadata (urn: namespace, ":" delimiter) without SOAPAction', async () => {
    const reply = await post11(envelope11(wsaHeaders(`${ECHO_NS}:Echo:RaiseFaultRequest`), raiseFault('none')));
    assert.equal(reply.status, 200, reply.body);
    assert.deepEqual(header(reply.body, WSA, 'Action'), [`${ECHO_NS}:Echo:RaiseFaultResponse`]);
  });

  it('answers wsa:ActionNotSupported, with the addressing fault action, for an action of another operation', async () => {
    const reply = await post11(envelope11(wsaHeaders(`${ECHO_NS}/EchoFacets`), raiseFault('none')));
    assert.equal(reply.status, 500);
    assert.match(reply.body, /<faultcode>wsa:ActionNotSupported<\/faultcode>/);
    assert.match(reply.body, /xmlns:wsa="http:\/\/www\.w3\.org\/2005\/08\/addressing"/);
    assert.deepEqual(header(reply.body, WSA, 'Action'), [`${WSA}/fault`]);
    assert.deepEqual(header(reply.body, WSA, 'RelatesTo'), ['urn:uuid:1b4e28ba-2fa1-11d2-883f-0016d3cca427']);
  });

  it('answers wsa:MessageAddressingHeaderRequired when Action or (for a request-response) MessageID is missing', async () => {
    const noId = await post11(envelope11(wsaHeaders(`${ECHO_NS}/RaiseFault`, { messageId: null }), raiseFault('none')));
    assert.equal(noId.status, 500);
    assert.match(noId.body, /<faultcode>wsa:MessageAddressingHeaderRequired<\/faultcode>/);
    assert.match(noId.body, /wsa:MessageID/);
    const noAction = await post11(envelope11(`<wsa:To s:mustUnderstand="1">x</wsa:To>`, raiseFault('none')));
    assert.match(noAction.body, /<faultcode>wsa:MessageAddressingHeaderRequired<\/faultcode>/);
  });

  it('refuses a non-anonymous ReplyTo with wsa:OnlyAnonymousAddressSupported', async () => {
    const reply = await post11(
      envelope11(wsaHeaders(`${ECHO_NS}/RaiseFault`, { replyTo: 'http://elsewhere.example/cb' }), raiseFault('none')),
    );
    assert.equal(reply.status, 500);
    assert.match(reply.body, /<faultcode>wsa:OnlyAnonymousAddressSupported<\/faultcode>/);
  });

  it('refuses two wsa:Action headers, and a SOAPAction that differs from wsa:Action', async () => {
    const twice = await post11(
      envelope11(
        wsaHeaders(`${ECHO_NS}/RaiseFault`) + `<wsa:Action>${ECHO_NS}/RaiseFault</wsa:Action>`,
        raiseFault('none'),
      ),
    );
    assert.match(twice.body, /<faultcode>wsa:InvalidAddressingHeader<\/faultcode>/);
    const mismatch = await post11(
      envelope11(wsaHeaders(`${ECHO_NS}:Echo:RaiseFaultRequest`), raiseFault('none')),
      `${ECHO_NS}/RaiseFault`,
    );
    assert.match(mismatch.body, /<faultcode>wsa:ActionMismatch<\/faultcode>/);
  });

  it('gives a declared fault its default fault action and other faults the SOAP fault action', async () => {
    const declared = await post11(envelope11(wsaHeaders(`${ECHO_NS}/RaiseFault`), raiseFault('echo')));
    assert.equal(declared.status, 500);
    assert.match(declared.body, /EchoFaultDetail/);
    assert.deepEqual(header(declared.body, WSA, 'Action'), [`${ECHO_NS}:Echo:RaiseFault:Fault:EchoFault`]);
    const invalid = await post11(
      envelope11(
        wsaHeaders(`${ECHO_NS}/RaiseFault`),
        `<e:RaiseFault xmlns:e="${ECHO_NS}"><e:kind>nonsense</e:kind></e:RaiseFault>`,
      ),
    );
    assert.match(invalid.body, /soap:Client/);
    assert.deepEqual(header(invalid.body, WSA, 'Action'), [`${WSA}/soap/fault`]);
  });

  it('speaks the 2004/08 submission over SOAP 1.2 (default action with "/", To required)', async () => {
    const body = (headers: string) =>
      `<s:Envelope xmlns:s="${S12}"><s:Header>${headers}</s:Header><s:Body>${raiseFault('none')}</s:Body></s:Envelope>`;
    const post12 = (xml: string) =>
      httpRequest(url, { headers: { 'content-type': 'application/soap+xml; charset=utf-8' }, body: xml });
    const ok = await post12(body(wsaHeaders(`${ECHO_NS}/Echo/RaiseFaultRequest`, { ns: WSA04 })));
    assert.equal(ok.status, 200, ok.body);
    assert.deepEqual(header(ok.body, WSA04, 'Action'), [`${ECHO_NS}/Echo/RaiseFaultResponse`]);
    assert.deepEqual(header(ok.body, WSA04, 'RelatesTo'), ['urn:uuid:1b4e28ba-2fa1-11d2-883f-0016d3cca427']);
    assert.deepEqual(header(ok.body, WSA04, 'To'), [`${WSA04}/role/anonymous`]);
    const noTo = await post12(
      body(
        `<a:Action xmlns:a="${WSA04}">${ECHO_NS}/RaiseFault</a:Action><a:MessageID xmlns:a="${WSA04}">uuid:1</a:MessageID>`,
      ),
    );
    assert.equal(noTo.status, 400);
    assert.match(noTo.body, /MessageInformationHeaderRequired/);
  });

  it('adds nothing to a request without WS-Addressing', async () => {
    const reply = await post11(envelope11('', raiseFault('none')));
    assert.equal(reply.status, 200);
    assert.doesNotMatch(reply.body, /addressing/);
  });
});

/**
 * Signed WS-Addressing headers (xmlsec1 signs; never our code): a request whose wsa:Action, To and
 * MessageID are covered by Signature References is accepted and addressed; the wrapping attack on them
 * (the signed wsa:Action moved into a wrapper header, an unsigned wsa:Action in its place) is refused.
 */
import assert from 'node:assert/strict';
import { DOMParser, XMLSerializer } from '@xmldom/xmldom';
import { addressingInterceptor } from '../../../src/soap/addressing/interceptor';
import { SoapFault } from '../../../src/soap/fault';
import type { SoapExchange } from '../../../src/soap/pipeline';
import { describeCertificate } from '../../../src/soap/security/certificate-info';
import { WSSE_NS } from '../../../src/soap/security/constants';
import { contract } from '../../fixtures/echo/generated';
import { buildWorld, exchangeFor, interceptorFor, type SecurityWorld } from '../security/support/harness';
import { WSA, opensslIssuerRfc2253, xmlsec1Available, xmlsec1Sign, xmlsecTemplate } from '../security/support/signers';

const ACTION = 'urn:example:echo/EchoPrimitives';
const DEFAULT_ACTION = 'urn:example:echo:Echo:EchoPrimitivesRequest';
const MESSAGE_ID = 'urn:uuid:6f1c1b8e-0d3a-4a53-9a43-1d8d4b0e2f10';

const addressingHeaders =
  `<wsa:Action xmlns:wsa="${WSA}" wsu:Id="WSA-Action" soap:mustUnderstand="1">${ACTION}</wsa:Action>` +
  `<wsa:MessageID xmlns:wsa="${WSA}" wsu:Id="WSA-MessageID">${MESSAGE_ID}</wsa:MessageID>` +
  `<wsa:To xmlns:wsa="${WSA}" wsu:Id="WSA-To" soap:mustUnderstand="1">http://127.0.0.1/soap/echo</wsa:To>`;

describe('WS-Addressing headers signed with xmlsec1', function () {
  this.timeout(60_000);
  let world: SecurityWorld;
  const addressing = addressingInterceptor(contract, 'EchoService');

  before(async function () {
    if (!xmlsec1Available()) this.skip(); // installed here and in CI (xmlsec1)
    world = await buildWorld();
  });
  after(() => world?.pki.dispose());

  function signed(): string {
    const facts = describeCertificate(world.alice.certPem);
    const template = xmlsecTemplate({
      keyReference: 'bst',
      certificateDerBase64: facts.der.toString('base64'),
      issuerName: opensslIssuerRfc2253(world.alice.certPath),
      serial: facts.serial,
      created: new Date().toISOString(),
      expires: new Date(Date.now() + 300_000).toISOString(),
      references: ['TS-1', 'Body-1', 'WSA-Action', 'WSA-MessageID', 'WSA-To'],
      extraHeaderXml: addressingHeaders,
    });
    return xmlsec1Sign(world.pki, template, world.alice);
  }

  async function run(xml: string): Promise<SoapExchange> {
    const exchange = exchangeFor(xml);
    exchange.operation = { name: 'EchoPrimitives', input: '', soapAction: ACTION };
    // The order of the endpoint: addressing first, then security; the verdict is the same either way.
    await addressing.handleRequest!(exchange);
    await interceptorFor(world).interceptor.handleRequest!(exchange);
    return exchange;
  }

  it('accepts a request whose wsa:Action, MessageID and To are signed, and addresses the reply', async () => {
    const exchange = await run(signed());
    assert.equal(exchange.principal?.id, 'alice');
    assert.ok(exchange.responseHeaders.some((h) => h.includes(`RelatesTo`) && h.includes(MESSAGE_ID)));
  });

  it('refuses the signed wsa:Action moved into a wrapper with an unsigned wsa:Action in its place (InvalidSecurity)', async () => {
    const document = new DOMParser().parseFromString(signed(), 'text/xml');
    const action = document.getElementsByTagNameNS(WSA, 'Action').item(0)!;
    const header = action.parentNode!;
    const wrapper = document.createElementNS('urn:attacker', 'x:Wrapper');
    header.replaceChild(wrapper, action);
    wrapper.appendChild(action);
    const unsigned = document.createElementNS(WSA, 'wsa:Action');
    unsigned.appendChild(document.createTextNode(DEFAULT_ACTION));
    header.appendChild(unsigned);
    await assert.rejects(run(new XMLSerializer().serializeToString(document)), (error: unknown) => {
      assert.ok(error instanceof SoapFault);
      assert.equal(error.subcode?.ns, WSSE_NS);
      assert.equal(error.subcode?.local, 'InvalidSecurity');
      return true;
    });
  });

  it('refuses an unsigned twin of a signed wsa:To (InvalidSecurity, or the addressing cardinality fault first)', async () => {
    const document = new DOMParser().parseFromString(signed(), 'text/xml');
    const to = document.getElementsByTagNameNS(WSA, 'To').item(0)!;
    const twin = document.createElementNS(WSA, 'wsa:To');
    twin.appendChild(document.createTextNode('http://elsewhere.example/'));
    to.parentNode!.insertBefore(twin, to);
    await assert.rejects(run(new XMLSerializer().serializeToString(document)), SoapFault);
  });
});

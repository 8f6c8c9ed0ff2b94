/**
 * WS-Security over real HTTP: the engine's endpoint serving the echo fixture with the interceptor in
 * front. Signed requests come from zeep and xmlsec1; signed responses are checked by xmlsec1 and zeep.
 * A counting handler proves that no rejected message reaches the service.
 */
import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { resolve } from 'node:path';
import { DOMParser, XMLSerializer } from '@xmldom/xmldom';
import { createSoapEndpoint } from '../../../src/soap/endpoint';
import type { SoapContext } from '../../../src/soap/pipeline';
import { describeCertificate } from '../../../src/soap/security/certificate-info';
import { contract, type EchoHandlers } from '../../fixtures/echo/generated';
import { PASSWORDS, buildWorld, interceptorFor, quietLogger, type SecurityWorld } from './support/harness';
import {
  S11,
  S12,
  xmlsec1Available,
  xmlsec1Sign,
  xmlsec1Verify,
  xmlsecTemplate,
  zeepAvailable,
  zeepSign,
  zeepVerify,
} from './support/signers';
import type { TestIdentity } from './support/pki';

const ECHO_NS = 'urn:example:echo';
// A fresh message text per request: RSA PKCS#1 v1.5 signatures are deterministic, so two messages signed
// within the same second would otherwise be byte-identical, and the second one rightly a replay.
const raise = (kind = 'none') =>
  `<e:RaiseFault xmlns:e="${ECHO_NS}"><e:kind>${kind}</e:kind><e:message>${randomUUID()}</e:message></e:RaiseFault>`;
const envelope = (header = '') =>
  `<soap:Envelope xmlns:soap="${S11}"><soap:Header>${header}</soap:Header><soap:Body>${raise()}</soap:Body></soap:Envelope>`;

const isoIn = (seconds: number) => new Date(Date.now() + seconds * 1000).toISOString().replace(/\.\d{3}Z$/, 'Z');

describe('security: WS-Security over HTTP against the echo service', function () {
  this.timeout(120_000);
  let world: SecurityWorld;
  let server: Server;
  let url: string;
  const calls: (string | undefined)[] = [];

  before(async function () {
    if (!zeepAvailable() || !xmlsec1Available()) this.skip(); // installed here and in CI
    world = await buildWorld();
    const handlers: EchoHandlers = {
      async echoPrimitives(request) {
        return request;
      },
      async echoStructures(request) {
        return request;
      },
      async echoFacets(request) {
        return request;
      },
      async raiseFault(request, context: SoapContext) {
        calls.push(context.principal?.id);
        return { kind: request.kind };
      },
    };
    const endpoint = createSoapEndpoint({
      contract,
      service: 'EchoService',
      handlers,
      interceptors: [interceptorFor(world).interceptor],
      documentRoot: resolve(__dirname, '..', '..', '..'),
      logger: quietLogger,
    });
    server = createServer((req, res) => endpoint.handle(req, res));
    await new Promise<void>((done) => server.listen(0, '127.0.0.1', done));
    url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/soap/echo`;
  });

  after(async () => {
    if (server) await new Promise((done) => server.close(done));
    world?.pki.dispose();
  });

  async function post(xml: string, soap12 = false): Promise<{ status: number; body: string }> {
    const headers: Record<string, string> = soap12
      ? { 'content-type': 'application/soap+xml; charset=utf-8; action="urn:example:echo/RaiseFault"' }
      : { 'content-type': 'text/xml; charset=utf-8', soapaction: '"urn:example:echo/RaiseFault"' };
    const response = await fetch(url, { method: 'POST', headers, body: xml });
    return { status: response.status, body: await response.text() };
  }

  const signedByXmlsec = (signer: TestIdentity, overrides: Partial<Parameters<typeof xmlsecTemplate>[0]> = {}) => {
    const facts = describeCertificate(signer.certPem);
    const template = xmlsecTemplate({
      keyReference: 'bst',
      certificateDerBase64: facts.der.toString('base64'),
      created: isoIn(0),
      expires: isoIn(300),
      ...overrides,
    }).replace(/<e:EchoPrimitivesRequest[\s\S]*<\/e:EchoPrimitivesRequest>/, raise());
    return xmlsec1Sign(world.pki, template, signer);
  };

  async function expectAccepted(xml: string, partner: string, soap12 = false): Promise<string> {
    const before = calls.length;
    const { status, body } = await post(xml, soap12);
    assert.equal(status, 200, body);
    assert.deepEqual(calls.slice(before), [partner], 'the handler ran once, as the authenticated partner');
    return body;
  }

  async function expectFault(xml: string, faultcode: RegExp): Promise<void> {
    const before = calls.length;
    const { status, body } = await post(xml);
    assert.equal(status, 500, body);
    const code = /<faultcode[^>]*>([^<]*)<\/faultcode>/.exec(body)?.[1] ?? '';
    assert.match(code, faultcode, body);
    if (code.startsWith('wsse:')) {
      assert.match(
        body,
        /xmlns:wsse="http:\/\/docs\.oasis-open\.org\/wss\/2004\/01\/oasis-200401-wss-wssecurity-secext-1\.0\.xsd"/,
      );
    }
    assert.ok(!/at .*\.ts:\d+|alice|bob/.test(body), 'no stack trace, no partner name in the fault');
    assert.equal(calls.length, before, 'the handler was not called');
  }

  it('accepts a zeep BinarySignature + UsernameToken digest request and hands the partner to the handler', async () => {
    await expectAccepted(
      zeepSign(envelope(), {
        signature: 'binary',
        signer: world.alice,
        username: 'alice',
        password: PASSWORDS.alice,
        digest: true,
      }),
      'alice',
    );
  });

  it('accepts an xmlsec1-signed request and a plain PasswordText request', async () => {
    await expectAccepted(signedByXmlsec(world.alice), 'alice');
    await expectAccepted(zeepSign(envelope(), { username: 'alice', password: PASSWORDS.alice }), 'alice');
  });

  it('answers every attack with its wsse fault and never calls the handler', async () => {
    const good = signedByXmlsec(world.alice);
    const tamperedBody = signedByXmlsec(world.alice).replace('<e:kind>none</e:kind>', '<e:kind>echo</e:kind>');
    const document = new DOMParser().parseFromString(signedByXmlsec(world.alice), 'text/xml');
    const body = document.getElementsByTagNameNS(S11, 'Body').item(0)!;
    const wrapper = document.createElementNS('urn:attacker', 'x:Wrapper');
    document.getElementsByTagNameNS(S11, 'Header').item(0)!.appendChild(wrapper);
    const unsigned = document.createElementNS(S11, 'soap:Body');
    unsigned.appendChild(new DOMParser().parseFromString(raise('echo'), 'text/xml').documentElement!);
    document.documentElement!.replaceChild(unsigned, body);
    wrapper.appendChild(body);
    const wrapped = new XMLSerializer().serializeToString(document);

    await expectAccepted(good, 'alice');
    await expectFault(good, /^wsse:InvalidSecurity$/); // replayed signed message
    await expectFault(tamperedBody, /^wsse:FailedCheck$/);
    await expectFault(wrapped, /^wsse:InvalidSecurity$/);
    await expectFault(signedByXmlsec(world.alice, { references: ['TS-1'] }), /^wsse:InvalidSecurity$/);
    await expectFault(signedByXmlsec(world.attacker), /^wsse:FailedAuthentication$/);
    await expectFault(signedByXmlsec(world.expired), /^wsse:InvalidSecurityToken$/);
    await expectFault(
      signedByXmlsec(world.alice, { created: isoIn(-600), expires: isoIn(-300) }),
      /^wsse:MessageExpired$/,
    );
    await expectFault(
      zeepSign(envelope(), { signature: 'binary', signer: world.alice, algorithm: 'sha1' }),
      /^wsse:UnsupportedAlgorithm$/,
    );
    await expectFault(
      zeepSign(envelope(), { username: 'alice', password: 'wrong', digest: true }),
      /^wsse:FailedAuthentication$/,
    );
    await expectFault(zeepSign(envelope(), { username: 'nobody', password: 'wrong' }), /^wsse:FailedAuthentication$/);
    await expectFault(envelope(), /^wsse:FailedAuthentication$/);
    const digest = zeepSign(envelope(), { username: 'alice', password: PASSWORDS.alice, digest: true });
    await expectAccepted(digest, 'alice');
    await expectFault(digest, /^wsse:InvalidSecurity$/); // replayed nonce
  });

  it('refuses DOCTYPE and entity payloads before any security processing', async () => {
    const signed = signedByXmlsec(world.alice);
    const doctype = signed.replace(
      '<?xml version="1.0" encoding="UTF-8"?>',
      '<?xml version="1.0"?><!DOCTYPE x [<!ENTITY e "none">]>',
    );
    await expectFault(doctype, /Client$/);
    await expectFault(doctype.replace('<e:kind>none</e:kind>', '<e:kind>&e;</e:kind>'), /Client$/);
  });

  it('signs the response for a partner whose policy asks for it; xmlsec1 and zeep verify it', async () => {
    const response = await expectAccepted(
      zeepSign(envelope(), {
        signature: 'binary',
        signer: world.bob,
        username: 'bob',
        password: PASSWORDS.bob,
        digest: true,
      }),
      'bob',
    );
    assert.match(response, /<wsse:Security[^>]*mustUnderstand="1"/);
    assert.match(response, /<wsu:Timestamp wsu:Id="TS-/);
    assert.match(response, /RaiseFaultResponse/);
    const verified = xmlsec1Verify(world.pki, response, world.service.certPath);
    assert.ok(verified.ok, verified.output);
    assert.ok(zeepVerify(response, world.service.certPath), 'zeep verifies the signed response');
    assert.ok(
      !zeepVerify(response.replace('>none<', '>echo<'), world.service.certPath),
      'zeep notices a tampered response',
    );
    assert.ok(!zeepVerify(response, world.bob.certPath), 'zeep refuses another key');
  });

  it('signs SOAP 1.2 responses too (request signed by xmlsec1)', async () => {
    const response = await expectAccepted(signedByXmlsec(world.bob, { soap12: true }), 'bob', true);
    assert.match(response, /<wsse:Security[^>]*mustUnderstand="true"/);
    const verified = xmlsec1Verify(world.pki, response, world.service.certPath, S12);
    assert.ok(verified.ok, verified.output);
    assert.ok(zeepVerify(response, world.service.certPath), 'zeep verifies the signed SOAP 1.2 response');
  });

  it('answers SOAP 1.2 requests with the WSS code as Sender Subcode', async () => {
    const request = `<env:Envelope xmlns:env="${S12}"><env:Body>${raise()}</env:Body></env:Envelope>`;
    const before = calls.length;
    const { status, body } = await post(request, true);
    assert.equal(status, 400, body);
    assert.match(
      body,
      /<soap:Code><soap:Value>soap:Sender<\/soap:Value><soap:Subcode><soap:Value xmlns:wsse="http:\/\/docs\.oasis-open\.org\/wss\/2004\/01\/oasis-200401-wss-wssecurity-secext-1\.0\.xsd">wsse:FailedAuthentication<\/soap:Value>/,
    );
    assert.equal(calls.length, before);
  });

  it('leaves responses unsigned for partners without signResponse', async () => {
    const response = await expectAccepted(
      zeepSign(envelope(), { username: 'alice', password: PASSWORDS.alice }),
      'alice',
    );
    assert.ok(!response.includes('Signature'));
  });
});

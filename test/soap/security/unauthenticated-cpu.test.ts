/**
 * Issue 14, finding 4: an unauthenticated sender must not buy CPU with a signed-looking message. The
 * SignatureValue is verified against the registered key before any Reference is digested; References
 * may not nest; the digested octets, DigestValues and PrefixLists are bounded. (The DOM-path decision is
 * in test/soap/envelope.test.ts; scripts/measure-signature-cpu.ts measures the costs.)
 */
import assert from 'node:assert/strict';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { resolve } from 'node:path';
import { createSoapEndpoint } from '../../../src/soap/endpoint';
import type { SoapInterceptor } from '../../../src/soap/pipeline';
import { contract, type EchoHandlers } from '../../fixtures/echo/generated';
import { describeCertificate } from '../../../src/soap/security/certificate-info';
import {
  buildWorld,
  expectAccepted,
  expectRejected,
  interceptorFor,
  xmlsecSignedBy,
  type SecurityWorld,
} from './support/harness';
import { DS, S11, xmlsec1Available } from './support/signers';

const WSU = 'http://docs.oasis-open.org/wss/2004/01/oasis-200401-wss-wssecurity-utility-1.0.xsd';

describe('security: unauthenticated CPU (issue 14, finding 4)', function () {
  this.timeout(60_000);
  let world: SecurityWorld;

  before(async function () {
    if (!xmlsec1Available()) this.skip(); // installed here and in CI
    world = await buildWorld();
  });
  after(() => world?.pki.dispose());

  it("the signature is checked against the registered key before any digest: a registered certificate with someone else's signature never gets its References digested", async () => {
    const { interceptor } = interceptorFor(world);
    const aliceDer = describeCertificate(world.alice.certPem).der.toString('base64');
    // Signed by the attacker's key while presenting alice's registered certificate, then the Body changed:
    // both the signature and the Body digest are wrong; the signature must be what is found wrong.
    const forged = xmlsecSignedBy(world, world.attacker, {
      certificateDerBase64: aliceDer,
      payloadText: 'original',
    }).replace('original', 'changed');
    assert.equal(await expectRejected(interceptor, forged, 'FailedCheck'), 'the signature value does not verify');
  });

  it('References that nest (a referenced element inside another) are refused, even when correctly signed', async () => {
    const { interceptor } = interceptorFor(world);
    const nested = `<x:L1 xmlns:x="urn:x" xmlns:wsu="${WSU}" wsu:Id="R1"><x:L2 wsu:Id="R2">deep</x:L2></x:L1>`;
    const signed = xmlsecSignedBy(world, world.alice, {
      payloadText: nested,
      references: ['TS-1', 'Body-1', 'R1', 'R2'],
      idElements: ['urn:x:L1', 'urn:x:L2'],
    });
    assert.match(await expectRejected(interceptor, signed, 'InvalidSecurity'), /inside another referenced element/);
    const siblings = xmlsecSignedBy(world, world.alice, { references: ['TS-1', 'Body-1'] });
    await expectAccepted(interceptor, siblings, 'alice');
  });

  it('the canonical octets digested are bounded (maxSignedBytes)', async () => {
    const big = xmlsecSignedBy(world, world.alice, { payloadText: 'x'.repeat(4000) });
    const { interceptor: bounded } = interceptorFor(world, { maxSignedBytes: 2000 });
    assert.match(await expectRejected(bounded, big, 'InvalidSecurity'), /more than 2000 canonical bytes/);
    await expectAccepted(interceptorFor(world).interceptor, big, 'alice');
  });

  it('an oversized DigestValue is refused before any cryptography', async () => {
    const { interceptor } = interceptorFor(world);
    const signed = xmlsecSignedBy(world, world.alice);
    const long = signed.replace(
      /<ds:DigestValue>[^<]*<\/ds:DigestValue>/,
      `<ds:DigestValue>${Buffer.alloc(96, 7).toString('base64')}</ds:DigestValue>`,
    );
    assert.match(await expectRejected(interceptor, long, 'InvalidSecurity'), /DigestValue of 96 bytes/);
  });

  it('the endpoint parses a message into the DOM only when its wsse:Security holds a ds:Signature', async () => {
    const sawDom: boolean[] = [];
    const probe: SoapInterceptor = {
      name: 'dom-probe',
      handleRequest(exchange) {
        sawDom.push(exchange.envelope?.dom !== undefined);
      },
    };
    const endpoint = createSoapEndpoint({
      contract,
      service: 'EchoService',
      handlers: {
        async echoPrimitives(request) {
          return request;
        },
        async echoStructures(request) {
          return request;
        },
        async echoFacets(request) {
          return request;
        },
        async raiseFault(request) {
          return { kind: request.kind };
        },
      } satisfies EchoHandlers,
      interceptors: [probe],
      documentRoot: resolve(__dirname, '..', '..', '..'),
    });
    const server = createServer((req, res) => endpoint.handle(req, res));
    await new Promise<void>((done) => server.listen(0, '127.0.0.1', done));
    try {
      const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/soap/echo`;
      const post = (body: string) =>
        fetch(url, {
          method: 'POST',
          headers: { 'content-type': 'text/xml; charset=utf-8', soapaction: '"urn:example:echo/RaiseFault"' },
          body,
        }).then((r) => r.text());
      const raise = (text: string) =>
        `<e:RaiseFault xmlns:e="urn:example:echo"><e:kind>none</e:kind><e:message>${text}</e:message></e:RaiseFault>`;
      await post(`<soap:Envelope xmlns:soap="${S11}"><soap:Body>${raise(`see ${DS}`)}</soap:Body></soap:Envelope>`);
      await post(
        `<soap:Envelope xmlns:soap="${S11}"><soap:Header><x:Note xmlns:x="urn:x" xmlns:ds="${DS}"><ds:Signature/></x:Note></soap:Header><soap:Body>${raise('a')}</soap:Body></soap:Envelope>`,
      );
      await post(
        xmlsecSignedBy(world, world.alice).replace(
          /<e:EchoPrimitivesRequest[\s\S]*<\/e:EchoPrimitivesRequest>/,
          raise('signed'),
        ),
      );
      assert.deepEqual(sawDom, [false, false, true]);
    } finally {
      await new Promise((done) => server.close(done));
    }
  });
});

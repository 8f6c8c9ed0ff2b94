import assert from 'node:assert/strict';
import { signResponseEnvelope } from '../../../src/soap/security/response-signer';
import { TestPki, type TestIdentity } from './support/pki';
import { S11, S12, xmlsec1Available, xmlsec1Verify, zeepAvailable, zeepVerify } from './support/signers';

describe('security: response signing (verified by xmlsec1 and zeep)', function () {
  this.timeout(60_000);
  let pki: TestPki;
  let service: TestIdentity;
  before(function () {
    if (!xmlsec1Available() || !zeepAvailable()) this.skip(); // installed here and in CI
    pki = new TestPki();
    service = pki.selfSigned('service');
  });
  after(() => pki?.dispose());
  const key = () => ({ privateKeyPem: service.keyPem, certificatePem: service.certPem });

  it('adds Security to an existing Header, keeps other header blocks, signs a default-namespace envelope', () => {
    const xml = `<?xml version="1.0" encoding="utf-8"?><Envelope xmlns="${S11}"><Header><x:Trace xmlns:x="urn:t">1</x:Trace></Header><Body><r:Out xmlns:r="urn:r">ok &amp; done</r:Out></Body></Envelope>`;
    const signed = signResponseEnvelope(xml, key(), { now: new Date(), ttlSeconds: 300 });
    assert.match(signed, /<Header><wsse:Security[\s\S]*<\/wsse:Security><x:Trace/);
    const verified = xmlsec1Verify(pki, signed, service.certPath);
    assert.ok(verified.ok, verified.output);
    assert.ok(zeepVerify(signed, service.certPath));
  });

  it('creates the Header when missing, for SOAP 1.2, and writes Created/Expires from the clock', () => {
    const now = new Date();
    const xml = `<env:Envelope xmlns:env="${S12}"><env:Body><r:Out xmlns:r="urn:r"/></env:Body></env:Envelope>`;
    const signed = signResponseEnvelope(xml, key(), { now, ttlSeconds: 120 });
    assert.match(signed, /^<env:Envelope[^>]*><env:Header><wsse:Security[^>]*env:mustUnderstand="true"/);
    assert.ok(signed.includes(`<wsu:Created>${now.toISOString()}</wsu:Created>`));
    assert.ok(signed.includes(`<wsu:Expires>${new Date(now.getTime() + 120_000).toISOString()}</wsu:Expires>`));
    const verified = xmlsec1Verify(pki, signed, service.certPath, S12);
    assert.ok(verified.ok, verified.output);
    assert.ok(
      !xmlsec1Verify(
        pki,
        signed.replace('<r:Out xmlns:r="urn:r"/>', '<r:Out xmlns:r="urn:r">x</r:Out>'),
        service.certPath,
        S12,
      ).ok,
    );
  });

  it('refuses what is not a SOAP envelope', () => {
    assert.throws(() => signResponseEnvelope('<a/>', key(), { now: new Date(), ttlSeconds: 1 }), /not a SOAP envelope/);
    assert.throws(() => signResponseEnvelope('<a', key(), { now: new Date(), ttlSeconds: 1 }), /malformed/);
  });
});

import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { X509Certificate, createHash } from 'node:crypto';
import {
  describeCertificate,
  normalizeDistinguishedName,
  normalizeSerial,
  skiFromPublicKey,
} from '../../../src/soap/security/certificate-info';
import { TestPki, toolAvailable, type TestIdentity } from './support/pki';

describe('security: certificate facts for the trust store', function () {
  let pki: TestPki;
  let withSki: TestIdentity;
  let withoutSki: TestIdentity;

  before(function () {
    if (!toolAvailable('openssl', ['version'])) this.skip();
    pki = new TestPki();
    withSki = pki.selfSigned('facts', '/CN=facts, test/O=Independent Signer/C=DE');
    withoutSki = pki.withDates('noext', '20200101000000Z', '20300101000000Z');
  });
  after(() => pki?.dispose());

  const openssl = (args: string[]) => execFileSync('openssl', args).toString('utf8').trim();

  it('computes thumbprints, serial and SKI as openssl does', () => {
    const facts = describeCertificate(withSki.certPem);
    const sha1 = openssl(['x509', '-in', withSki.certPath, '-noout', '-fingerprint', '-sha1'])
      .split('=')[1]!
      .replace(/:/g, '')
      .toLowerCase();
    const sha256 = openssl(['x509', '-in', withSki.certPath, '-noout', '-fingerprint', '-sha256'])
      .split('=')[1]!
      .replace(/:/g, '')
      .toLowerCase();
    const serialHex = openssl(['x509', '-in', withSki.certPath, '-noout', '-serial']).split('=')[1]!;
    const ski = openssl(['x509', '-in', withSki.certPath, '-noout', '-ext', 'subjectKeyIdentifier'])
      .split('\n')[1]!
      .trim()
      .replace(/:/g, '')
      .toLowerCase();
    assert.equal(facts.sha1Thumbprint, sha1);
    assert.equal(facts.sha256Thumbprint, sha256);
    assert.equal(facts.serial, BigInt(`0x${serialHex}`).toString(10));
    assert.equal(facts.ski, ski);
    assert.equal(facts.der.length > 0 && createHash('sha256').update(facts.der).digest('hex'), sha256);
  });

  it("derives the SKI by RFC 3280 method 1 when the extension is absent (agreeing with openssl's own method 1)", () => {
    const certificate = new X509Certificate(withoutSki.certPem);
    assert.ok(!openssl(['x509', '-in', withoutSki.certPath, '-noout', '-text']).includes('Subject Key Identifier'));
    assert.equal(describeCertificate(withoutSki.certPem).ski, skiFromPublicKey(certificate).toString('hex'));
    // openssl req's default SKI is method 1, so for the certificate that has one both ways agree.
    assert.equal(
      skiFromPublicKey(new X509Certificate(withSki.certPem)).toString('hex'),
      describeCertificate(withSki.certPem).ski,
    );
  });

  it('normalizes issuer names written by node, OpenSSL RFC 2253, Java and .NET to one form', () => {
    const facts = describeCertificate(withSki.certPem);
    const rfc2253 = openssl(['x509', '-in', withSki.certPath, '-noout', '-issuer', '-nameopt', 'RFC2253']).replace(
      /^issuer=/,
      '',
    );
    assert.equal(normalizeDistinguishedName(rfc2253), facts.issuer);
    assert.equal(normalizeDistinguishedName('CN=facts\\, test, O=Independent Signer, C=DE'), facts.issuer);
    assert.equal(
      normalizeDistinguishedName('OID.2.5.4.6=DE; o="Independent  Signer"; cn=Facts\\2C test'),
      facts.issuer,
    );
    assert.notEqual(normalizeDistinguishedName('CN=facts, O=Independent Signer'), facts.issuer);
  });

  it('reads decimal serial numbers only', () => {
    assert.equal(normalizeSerial(' 000123 '), '123');
    assert.equal(normalizeSerial('0x1F'), undefined);
  });

  it('refuses what is not a certificate', () => {
    assert.throws(
      () => describeCertificate('-----BEGIN CERTIFICATE-----\nAAAA\n-----END CERTIFICATE-----\n'),
      /not an X.509 certificate/,
    );
  });
});

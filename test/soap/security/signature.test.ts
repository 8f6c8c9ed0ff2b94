/**
 * The signature suite at the interceptor level: messages signed by zeep and by xmlsec1 (never by our
 * code), parsed by the engine's parseEnvelope (DOM path), then tampered with in the classic ways.
 * Every negative case must end in the right wsse fault with no principal set.
 */
import assert from 'node:assert/strict';
import { DOMParser, XMLSerializer } from '@xmldom/xmldom';
import { SoapFault } from '../../../src/soap/fault';
import type { SoapExchange, SoapInterceptor } from '../../../src/soap/pipeline';
import { describeCertificate } from '../../../src/soap/security/certificate-info';
import { PASSWORD_DIGEST, WSSE_NS } from '../../../src/soap/security/constants';
import { WS_SECURITY_INTERCEPTOR, type WsSecurityState } from '../../../src/soap/security/interceptor';
import { passwordDigest } from '../../../src/soap/security/username-token';
import { domNodeOf } from '../../../src/soap/xml/dom';
import { XmlRejectedError } from '../../../src/soap/xml/guard';
import {
  PASSWORDS,
  buildWorld,
  exchangeFor,
  interceptorFor,
  plainEnvelope,
  type SecurityWorld,
} from './support/harness';
import {
  DS,
  S11,
  WSSE,
  WSU,
  opensslIssuerRfc2253,
  xmlsec1Available,
  xmlsec1Sign,
  xmlsecTemplate,
  zeepAvailable,
  zeepSign,
  type TemplateOptions,
} from './support/signers';
import type { TestIdentity } from './support/pki';

type WssCode =
  | 'MessageExpired'
  | 'InvalidSecurity'
  | 'FailedAuthentication'
  | 'FailedCheck'
  | 'InvalidSecurityToken'
  | 'SecurityTokenUnavailable'
  | 'UnsupportedAlgorithm'
  | 'UnsupportedSecurityToken';

const RSA_SHA1 = 'http://www.w3.org/2000/09/xmldsig#rsa-sha1';
const SHA1 = 'http://www.w3.org/2000/09/xmldsig#sha1';

/** With milliseconds, so that two deterministic RSA signatures of one template never coincide. */
function isoIn(seconds: number): string {
  return new Date(Date.now() + seconds * 1000).toISOString();
}

function mutate(xml: string, change: (document: Document) => void): string {
  const document = new DOMParser().parseFromString(xml, 'text/xml');
  change(document);
  return new XMLSerializer().serializeToString(document);
}

function first(document: Document, ns: string, local: string): Element {
  const found = (ns ? document.getElementsByTagNameNS(ns, local) : document.getElementsByTagName(local)).item(0);
  assert.ok(found, `no ${local} in the test message`);
  return found;
}

describe('security: X.509 signatures from independent signers', function () {
  this.timeout(120_000);
  let world: SecurityWorld;
  let interceptor: SoapInterceptor;

  before(async function () {
    if (!zeepAvailable() || !xmlsec1Available()) {
      this.skip(); // both are installed here and in CI (python3-zeep, python3-xmlsec, xmlsec1)
    }
    world = await buildWorld();
  });
  beforeEach(function () {
    if (world) interceptor = interceptorFor(world).interceptor;
  });
  after(() => world?.pki.dispose());

  async function accept(
    xml: string,
    expectedPartner: string,
    using: SoapInterceptor = interceptor,
  ): Promise<SoapExchange> {
    const exchange = exchangeFor(xml);
    await using.handleRequest!(exchange);
    assert.equal(exchange.principal?.id, expectedPartner);
    const state = exchange.attributes.get(WS_SECURITY_INTERCEPTOR) as WsSecurityState;
    assert.ok(exchange.understood.has(state.header!.element), 'the Security header is marked understood');
    return exchange;
  }

  async function reject(
    xml: string | (() => string),
    code: WssCode,
    using: SoapInterceptor = interceptor,
  ): Promise<void> {
    const exchange = exchangeFor(typeof xml === 'string' ? xml : xml());
    await assert.rejects(
      async () => using.handleRequest!(exchange),
      (error: unknown) => {
        assert.ok(error instanceof SoapFault, `expected a SoapFault, got ${String(error)}`);
        assert.equal(error.subcode?.ns, WSSE_NS);
        assert.equal(
          error.subcode?.local,
          code,
          `expected wsse:${code}, got wsse:${error.subcode?.local} (${(error as { why?: string }).why})`,
        );
        if (process.env.WSS_TEST_WHY) process.stderr.write(`      why: ${(error as { why?: string }).why}\n`);
        assert.equal(error.subcodeIsFaultcode11, true);
        assert.equal(error.code, 'Sender');
        assert.ok(!/alice|bob|carol|mallory/i.test(error.reason), 'the reason names nobody');
        return true;
      },
    );
    assert.equal(exchange.principal, undefined, 'no principal after a fault');
  }

  const template = (signer: TestIdentity, overrides: Partial<TemplateOptions> = {}): string => {
    const facts = describeCertificate(signer.certPem);
    return xmlsecTemplate({
      keyReference: 'bst',
      certificateDerBase64: facts.der.toString('base64'),
      ski: Buffer.from(facts.ski, 'hex').toString('base64'),
      sha1Thumbprint: Buffer.from(facts.sha1Thumbprint, 'hex').toString('base64'),
      issuerName: opensslIssuerRfc2253(signer.certPath),
      serial: facts.serial,
      created: isoIn(0),
      expires: isoIn(300),
      ...overrides,
    });
  };
  const xmlsecSigned = (signer: TestIdentity, overrides: Partial<TemplateOptions> = {}) =>
    xmlsec1Sign(world.pki, template(signer, overrides), signer);
  const zeepSigned = (
    signer: TestIdentity,
    signature: 'binary' | 'issuerserial' = 'binary',
    extra: Parameters<typeof zeepSign>[1] = {},
  ) => zeepSign(plainEnvelope(), { signature, signer, ...extra });

  describe('accepted', () => {
    it('zeep BinarySignature (RSA-SHA256) with a UsernameToken digest and Timestamp', async () => {
      const exchange = await accept(
        zeepSigned(world.alice, 'binary', { username: 'alice', password: PASSWORDS.alice, digest: true }),
        'alice',
      );
      assert.equal(exchange.principal?.authenticatedBy, 'X509+UsernameToken/PasswordDigest');
    });

    it('zeep Signature (certificate in ds:X509Data) alone identifies the partner', async () => {
      const exchange = await accept(zeepSigned(world.alice, 'issuerserial'), 'alice');
      assert.equal(exchange.principal?.authenticatedBy, 'X509');
    });

    for (const keyReference of ['bst', 'ski', 'thumbprint', 'issuerserial'] as const) {
      it(`xmlsec1 template, SecurityTokenReference by ${keyReference}`, async () => {
        await accept(xmlsecSigned(world.alice, { keyReference }), 'alice');
      });
    }

    it('RSA-SHA384 with SHA-384 digests and RSA-SHA512 with SHA-512 digests', async () => {
      await accept(
        xmlsecSigned(world.alice, {
          signatureMethod: 'http://www.w3.org/2001/04/xmldsig-more#rsa-sha384',
          digestMethod: 'http://www.w3.org/2001/04/xmldsig-more#sha384',
        }),
        'alice',
      );
      await accept(
        xmlsecSigned(world.alice, {
          signatureMethod: 'http://www.w3.org/2001/04/xmldsig-more#rsa-sha512',
          digestMethod: 'http://www.w3.org/2001/04/xmlenc#sha512',
        }),
        'alice',
      );
    });

    it('SOAP 1.2 envelopes', async () => {
      await accept(xmlsecSigned(world.alice, { soap12: true }), 'alice');
    });

    it('exc-c14n InclusiveNamespaces PrefixList on SignedInfo and References (as WSS4J/CXF write them)', async () => {
      await accept(xmlsecSigned(world.alice, { inclusivePrefixes: 'soap wsse' }), 'alice');
    });

    it('a second partner is resolved as itself', async () => {
      await accept(xmlsecSigned(world.bob, { keyReference: 'ski' }), 'bob');
    });

    it('RSA-SHA1 / SHA-1 when the partner policy allows legacy algorithms', async () => {
      await accept(zeepSigned(world.carol, 'binary', { algorithm: 'sha1' }), 'carol');
    });

    it('the dispatched Body view is the node that was verified', async () => {
      const exchange = await accept(xmlsecSigned(world.alice, { payloadText: 'verified payload' }), 'alice');
      assert.equal(exchange.envelope?.payload?.children[0]?.text, 'verified payload');
      const state = exchange.attributes.get(WS_SECURITY_INTERCEPTOR) as WsSecurityState;
      assert.ok(state.signature?.signedElements.has(domNodeOf(exchange.envelope!.body)!));
    });
  });

  describe('rejected', () => {
    it('tampered Body -> FailedCheck', async () => {
      await reject(xmlsecSigned(world.alice).replace('signed by xmlsec1', 'signed by xmlsec2'), 'FailedCheck');
      await reject(
        mutate(zeepSigned(world.alice), (d) => {
          first(d, '', 'stringValue').textContent = 'changed';
        }),
        'FailedCheck',
      );
    });

    it('tampered Timestamp -> FailedCheck', async () => {
      const signed = xmlsecSigned(world.alice);
      const tampered = mutate(signed, (d) => {
        first(d, WSU, 'Expires').textContent = isoIn(200);
      });
      await reject(tampered, 'FailedCheck');
    });

    it('a signature covering only the Timestamp -> InvalidSecurity', async () => {
      await reject(xmlsecSigned(world.alice, { references: ['TS-1'] }), 'InvalidSecurity');
    });

    it('a signature covering only the Body while a Timestamp is present -> InvalidSecurity', async () => {
      await reject(xmlsecSigned(world.alice, { references: ['Body-1'] }), 'InvalidSecurity');
    });

    it('signed Body moved into a header wrapper, unsigned Body in its place -> InvalidSecurity', async () => {
      const wrapped = mutate(xmlsecSigned(world.alice), (d) => {
        const body = first(d, S11, 'Body');
        const header = first(d, S11, 'Header');
        const wrapper = d.createElementNS('urn:attacker', 'x:Wrapper');
        header.appendChild(wrapper);
        const evil = d.createElementNS(S11, 'soap:Body');
        evil.appendChild(
          new DOMParser().parseFromString(
            '<e:EchoPrimitivesRequest xmlns:e="urn:example:echo"><stringValue>evil</stringValue></e:EchoPrimitivesRequest>',
            'text/xml',
          ).documentElement!,
        );
        d.documentElement!.replaceChild(evil, body);
        wrapper.appendChild(body);
      });
      await reject(wrapped, 'InvalidSecurity');
    });

    it('the same wrapping inside wsse:Security -> InvalidSecurity', async () => {
      const wrapped = mutate(zeepSigned(world.alice), (d) => {
        const body = first(d, S11, 'Body');
        const security = first(d, WSSE, 'Security');
        const evil = d.createElementNS(S11, 'soap:Body');
        evil.appendChild(
          new DOMParser().parseFromString(
            '<e:EchoPrimitivesRequest xmlns:e="urn:example:echo"><stringValue>evil</stringValue></e:EchoPrimitivesRequest>',
            'text/xml',
          ).documentElement!,
        );
        d.documentElement!.replaceChild(evil, body);
        security.appendChild(body);
      });
      await reject(wrapped, 'InvalidSecurity');
      // Inside the signature's own ds:Object the moved Body still verifies; only the node check stops it.
      const inObject = mutate(xmlsecSigned(world.alice), (d) => {
        const body = first(d, S11, 'Body');
        const object = d.createElementNS(DS, 'ds:Object');
        first(d, DS, 'Signature').appendChild(object);
        const evil = d.createElementNS(S11, 'soap:Body');
        d.documentElement!.replaceChild(evil, body);
        object.appendChild(body);
      });
      await reject(inObject, 'InvalidSecurity');
    });

    it('duplicate Ids (a copy of the signed Body under the same wsu:Id) -> InvalidSecurity', async () => {
      const duplicated = mutate(xmlsecSigned(world.alice), (d) => {
        const body = first(d, S11, 'Body');
        const wrapper = d.createElementNS('urn:attacker', 'x:Wrapper');
        wrapper.appendChild(body.cloneNode(true));
        first(d, S11, 'Header').appendChild(wrapper);
        first(d, '', 'stringValue').textContent = 'evil';
      });
      await reject(duplicated, 'InvalidSecurity');
      // Id, ID and wsu:Id count as one namespace of identifiers.
      const plainId = mutate(xmlsecSigned(world.alice), (d) => {
        const other = d.createElementNS('urn:attacker', 'x:Other');
        other.setAttribute('ID', 'Body-1');
        first(d, S11, 'Header').appendChild(other);
      });
      await reject(plainId, 'InvalidSecurity');
    });

    it('a second, unsigned Timestamp -> InvalidSecurity (inside wsse:Security or in another header)', async () => {
      const inSecurity = mutate(xmlsecSigned(world.alice), (d) => {
        const ts = d.createElementNS(WSU, 'wsu:Timestamp');
        ts.appendChild(d.createElementNS(WSU, 'wsu:Created')).appendChild(d.createTextNode(isoIn(0)));
        first(d, WSSE, 'Security').insertBefore(ts, first(d, WSSE, 'Security').firstChild);
      });
      await reject(inSecurity, 'InvalidSecurity');
      const elsewhere = mutate(xmlsecSigned(world.alice), (d) => {
        const holder = d.createElementNS('urn:attacker', 'x:Holder');
        const ts = d.createElementNS(WSU, 'wsu:Timestamp');
        ts.appendChild(d.createElementNS(WSU, 'wsu:Created')).appendChild(d.createTextNode(isoIn(0)));
        holder.appendChild(ts);
        first(d, S11, 'Header').appendChild(holder);
      });
      await reject(elsewhere, 'InvalidSecurity');
    });

    it('two wsse:Security headers for us -> InvalidSecurity', async () => {
      const twice = mutate(xmlsecSigned(world.alice), (d) => {
        const extra = d.createElementNS(WSSE, 'wsse:Security');
        const token = extra.appendChild(d.createElementNS(WSSE, 'wsse:UsernameToken'));
        token.appendChild(d.createElementNS(WSSE, 'wsse:Username')).appendChild(d.createTextNode('alice'));
        token.appendChild(d.createElementNS(WSSE, 'wsse:Password')).appendChild(d.createTextNode(PASSWORDS.alice));
        first(d, S11, 'Header').appendChild(extra);
      });
      await reject(twice, 'InvalidSecurity');
    });

    it('a SignedInfo with two References to the same Id -> InvalidSecurity', async () => {
      await reject(xmlsecSigned(world.alice, { references: ['TS-1', 'Body-1', 'Body-1'] }), 'InvalidSecurity');
    });

    it('a comment inside DigestValue -> InvalidSecurity', async () => {
      const commented = mutate(xmlsecSigned(world.alice), (d) => {
        const digest = first(d, DS, 'DigestValue');
        const value = digest.textContent!;
        digest.textContent = value.slice(0, 10);
        digest.appendChild(d.createComment('x'));
        digest.appendChild(d.createTextNode(value.slice(10)));
      });
      await reject(commented, 'InvalidSecurity');
    });

    it("an attacker's own certificate in the BinarySecurityToken -> FailedAuthentication", async () => {
      await reject(zeepSigned(world.attacker, 'binary'), 'FailedAuthentication');
      await reject(xmlsecSigned(world.attacker, { keyReference: 'bst' }), 'FailedAuthentication');
    });

    it("an attacker's certificate presented under alice's issuer and serial -> FailedAuthentication", async () => {
      const facts = describeCertificate(world.alice.certPem);
      const attackerDer = describeCertificate(world.attacker.certPem).der.toString('base64');
      const signed = xmlsecSigned(world.attacker, {
        keyReference: 'issuerserial',
        issuerName: opensslIssuerRfc2253(world.alice.certPath),
        serial: facts.serial,
      }).replace(
        '</ds:X509IssuerSerial>',
        `</ds:X509IssuerSerial><ds:X509Certificate>${attackerDer}</ds:X509Certificate>`,
      );
      await reject(signed, 'FailedAuthentication');
    });

    it("an attacker's key under alice's SubjectKeyIdentifier -> FailedCheck (verified with alice's registered key)", async () => {
      const aliceSki = Buffer.from(describeCertificate(world.alice.certPem).ski, 'hex').toString('base64');
      await reject(xmlsecSigned(world.attacker, { keyReference: 'ski', ski: aliceSki }), 'FailedCheck');
    });

    it('expired, not yet valid and revoked certificates -> InvalidSecurityToken; unknown -> FailedAuthentication', async () => {
      await reject(xmlsecSigned(world.expired), 'InvalidSecurityToken');
      await reject(xmlsecSigned(world.notYetValid, { keyReference: 'thumbprint' }), 'InvalidSecurityToken');
      await reject(xmlsecSigned(world.revoked, { keyReference: 'ski' }), 'InvalidSecurityToken');
      const stranger = world.pki.selfSigned('stranger');
      await reject(xmlsecSigned(stranger, { keyReference: 'ski' }), 'FailedAuthentication');
      await reject(xmlsecSigned(stranger, { keyReference: 'issuerserial' }), 'FailedAuthentication');
    });

    it('a BinarySecurityToken reference that points nowhere -> SecurityTokenUnavailable', async () => {
      await reject(xmlsecSigned(world.alice).replace('URI="#X509-1"', 'URI="#X509-404"'), 'SecurityTokenUnavailable');
    });

    it('RSA-SHA1 without the legacy policy -> UnsupportedAlgorithm', async () => {
      await reject(zeepSigned(world.alice, 'binary', { algorithm: 'sha1' }), 'UnsupportedAlgorithm');
      await reject(xmlsecSigned(world.alice, { signatureMethod: RSA_SHA1 }), 'UnsupportedAlgorithm');
      await reject(xmlsecSigned(world.alice, { digestMethod: SHA1 }), 'UnsupportedAlgorithm');
    });

    it('HMAC and other signature methods -> UnsupportedAlgorithm', async () => {
      const hmac = template(world.alice)
        .replace('http://www.w3.org/2001/04/xmldsig-more#rsa-sha256', 'http://www.w3.org/2000/09/xmldsig#hmac-sha1')
        .replace('<ds:SignatureValue></ds:SignatureValue>', '<ds:SignatureValue>AAAA</ds:SignatureValue>')
        .replace(/<ds:DigestValue><\/ds:DigestValue>/g, '<ds:DigestValue>AAAA</ds:DigestValue>');
      await reject(hmac, 'UnsupportedAlgorithm');
    });

    it('expired and future Timestamps in a validly signed message -> MessageExpired', async () => {
      await reject(xmlsecSigned(world.alice, { created: isoIn(-400), expires: isoIn(-100) }), 'MessageExpired');
      await reject(xmlsecSigned(world.alice, { created: isoIn(-400), expires: undefined }), 'MessageExpired');
      await reject(xmlsecSigned(world.alice, { created: isoIn(120), expires: isoIn(420) }), 'MessageExpired');
    });

    it('a replayed signed message -> InvalidSecurity, also on another instance sharing the cache', async () => {
      const signed = xmlsecSigned(world.alice);
      const { interceptor: one, replayCache } = interceptorFor(world);
      const { interceptor: two } = interceptorFor(world, { replayCache });
      await accept(signed, 'alice', one);
      await reject(signed, 'InvalidSecurity', one);
      await reject(signed, 'InvalidSecurity', two);
    });

    it('a signed message whose envelope has no DOM -> InvalidSecurity (never verified on another parse)', async () => {
      const exchange = exchangeFor(xmlsecSigned(world.alice));
      const withoutDom = { ...exchange, envelope: { ...exchange.envelope!, dom: undefined } };
      await assert.rejects(
        async () => interceptor.handleRequest!(withoutDom),
        (e: unknown) => e instanceof SoapFault && e.subcode?.local === 'InvalidSecurity',
      );
      assert.equal(withoutDom.principal, undefined);
    });

    it('a signature namespace spelled with a character reference still takes the DOM path and is verified', async () => {
      const disguise = (xml: string) =>
        xml.replace(
          /xmlns:ds="http:\/\/www\.w3\.org\/2000\/09\/xmldsig#"/,
          'xmlns:ds="http://www.w3.org/2000/09/xmldsig&#x23;"',
        );
      const disguised = disguise(xmlsecSigned(world.alice));
      assert.ok(!disguised.includes('http://www.w3.org/2000/09/xmldsig#'));
      assert.ok(exchangeFor(disguised).envelope?.dom, 'the envelope parser switched to the DOM');
      await accept(disguised, 'alice');
      await reject(disguise(xmlsecSigned(world.alice)).replace('signed by xmlsec1', 'tampered'), 'FailedCheck');
    });

    it('certificate and UsernameToken naming different partners -> FailedAuthentication', async () => {
      await reject(
        zeepSigned(world.alice, 'binary', { username: 'bob', password: PASSWORDS.bob, digest: true }),
        'FailedAuthentication',
      );
    });

    it('DOCTYPE and entity payloads never reach the security layer (strict parse refuses them)', () => {
      const signed = xmlsecSigned(world.alice);
      const withDoctype = signed.replace(
        '<?xml version="1.0" encoding="UTF-8"?>',
        '<?xml version="1.0"?><!DOCTYPE x [<!ENTITY e "evil">]>',
      );
      assert.throws(() => exchangeFor(withDoctype), XmlRejectedError);
      const withEntity = withDoctype.replace('signed by xmlsec1', '&e;');
      assert.throws(() => exchangeFor(withEntity), XmlRejectedError);
    });
  });

  describe('UsernameToken without signature (zeep)', () => {
    const digestEnvelope = (password: string) =>
      zeepSign(plainEnvelope(), { username: 'alice', password, digest: true });

    it('accepts PasswordDigest and PasswordText', async () => {
      await accept(digestEnvelope(PASSWORDS.alice), 'alice');
      const text = await accept(zeepSign(plainEnvelope(), { username: 'alice', password: PASSWORDS.alice }), 'alice');
      assert.equal(text.principal?.authenticatedBy, 'UsernameToken/PasswordText');
    });

    it('a replayed nonce -> InvalidSecurity', async () => {
      const message = digestEnvelope(PASSWORDS.alice);
      await accept(message, 'alice');
      await reject(message, 'InvalidSecurity');
    });

    it('a digest with a wrong password -> FailedAuthentication', async () => {
      await reject(digestEnvelope('not-the-password'), 'FailedAuthentication');
    });

    it('a digest UsernameToken without a Nonce -> InvalidSecurityToken', async () => {
      const created = isoIn(0);
      const digest = passwordDigest(Buffer.alloc(0), created, PASSWORDS.alice);
      const xml = plainEnvelope(
        undefined,
        `<soap:Header><wsse:Security xmlns:wsse="${WSSE}" xmlns:wsu="${WSU}"><wsu:Timestamp><wsu:Created>${created}</wsu:Created></wsu:Timestamp><wsse:UsernameToken><wsse:Username>alice</wsse:Username><wsse:Password Type="${PASSWORD_DIGEST}">${digest}</wsse:Password><wsu:Created>${created}</wsu:Created></wsse:UsernameToken></wsse:Security></soap:Header>`,
      );
      await reject(xml, 'InvalidSecurityToken');
    });

    it('unknown user, wrong text password and disabled partner all -> the same FailedAuthentication', async () => {
      await reject(zeepSign(plainEnvelope(), { username: 'mallory', password: 'x' }), 'FailedAuthentication');
      await reject(zeepSign(plainEnvelope(), { username: 'alice', password: 'wrong' }), 'FailedAuthentication');
      await reject(zeepSign(plainEnvelope(), { username: 'disabled', password: 'disabled-6' }), 'FailedAuthentication');
    });

    it('text-only and digest-only partners -> FailedAuthentication for the other type', async () => {
      await reject(
        zeepSign(plainEnvelope(), { username: 'textonly', password: 'text-Only-4', digest: true }),
        'FailedAuthentication',
      );
      await accept(zeepSign(plainEnvelope(), { username: 'textonly', password: 'text-Only-4' }), 'textonly');
      await reject(
        zeepSign(plainEnvelope(), { username: 'digestonly', password: 'digest-Only-5' }),
        'FailedAuthentication',
      );
      await accept(
        zeepSign(plainEnvelope(), { username: 'digestonly', password: 'digest-Only-5', digest: true }),
        'digestonly',
      );
    });

    it('policy: missing Timestamp -> InvalidSecurity; a signature required but absent -> InvalidSecurity', async () => {
      await reject(
        zeepSign(plainEnvelope(), { username: 'alice', password: PASSWORDS.alice, timestamp: false }),
        'InvalidSecurity',
      );
      await reject(
        zeepSign(plainEnvelope(), { username: 'bob', password: PASSWORDS.bob, digest: true }),
        'InvalidSecurity',
      );
    });

    it('no Security header, or one for another actor only -> FailedAuthentication', async () => {
      await reject(plainEnvelope(), 'FailedAuthentication');
      const otherActor = plainEnvelope(
        undefined,
        `<soap:Header><wsse:Security xmlns:wsse="${WSSE}" soap:actor="urn:elsewhere"><wsse:UsernameToken><wsse:Username>alice</wsse:Username><wsse:Password>${PASSWORDS.alice}</wsse:Password></wsse:UsernameToken></wsse:Security></soap:Header>`,
      );
      await reject(otherActor, 'FailedAuthentication');
    });
  });
});

/**
 * A real parsed envelope (H2's parseEnvelope, DOM path when signed) handed to the interceptor, with
 * partners and certificates registered in the in-memory store.
 */
import assert from 'node:assert/strict';
import { parseEnvelope } from '../../../../src/soap/envelope';
import { SoapFault } from '../../../../src/soap/fault';
import { WSSE_NS } from '../../../../src/soap/security/constants';
import type { EngineLogger, SoapExchange, SoapInterceptor } from '../../../../src/soap/pipeline';
import type { XmlElement } from '../../../../src/soap/xml/element';
import { describeCertificate } from '../../../../src/soap/security/certificate-info';
import { hashPassword } from '../../../../src/soap/security/password-hash';
import { InMemoryReplayCache, type ReplayCache } from '../../../../src/soap/security/replay-cache';
import { InMemoryCredentialStore, type SecurityPolicy } from '../../../../src/soap/security/store';
import { wsSecurityInterceptor, type WsSecurityOptions } from '../../../../src/soap/security/interceptor';
import { TestPki, type TestIdentity } from './pki';
import { opensslIssuerRfc2253, xmlsec1Sign, xmlsecTemplate, type TemplateOptions } from './signers';

export const quietLogger: EngineLogger = { debug() {}, info() {}, warn() {}, error() {} };

export function exchangeFor(raw: string | Buffer): SoapExchange {
  const bytes = typeof raw === 'string' ? Buffer.from(raw, 'utf8') : raw;
  const envelope = parseEnvelope(bytes, { dom: false });
  return {
    request: {
      raw: bytes,
      httpHeaders: {},
      method: 'POST',
      endpointUrl: 'http://127.0.0.1/soap',
      remoteAddress: '127.0.0.1',
    },
    envelope,
    messageId: 'test',
    log: quietLogger,
    understood: new Set<XmlElement>(),
    responseHeaders: [],
    httpHeaders: {},
    attributes: new Map(),
    startedAt: process.hrtime.bigint(),
  };
}

export const PASSWORDS = { alice: 'alice-Secret-1', bob: 'bob-Secret-2', carol: 'carol-Secret-3' } as const;

export interface SecurityWorld {
  pki: TestPki;
  store: InMemoryCredentialStore;
  alice: TestIdentity;
  bob: TestIdentity;
  carol: TestIdentity;
  attacker: TestIdentity;
  expired: TestIdentity;
  notYetValid: TestIdentity;
  revoked: TestIdentity;
  service: TestIdentity;
}

const principal = (id: string, roles: string[] = []) => ({ id, name: id, roles });

/** Builds keys with openssl and registers: alice, bob (signature required), carol (legacy algorithms). */
export async function buildWorld(): Promise<SecurityWorld> {
  const pki = new TestPki();
  const alice = pki.selfSigned('alice');
  const bob = pki.selfSigned('bob');
  const carol = pki.selfSigned('carol');
  const attacker = pki.selfSigned('attacker', '/CN=alice/O=Independent Signer');
  const expired = pki.withDates('expired', '20200101000000Z', '20210101000000Z');
  const notYetValid = pki.withDates('future', '20400101000000Z', '20410101000000Z');
  const revoked = pki.selfSigned('revoked');
  const service = pki.selfSigned('service', '/CN=partner-order-service/O=Us');
  const store = new InMemoryCredentialStore();
  const partner = async (id: string, password: string, policy: Partial<SecurityPolicy> = {}) =>
    store.addAccount({
      principal: principal(id),
      username: id,
      passwordHash: await hashPassword(password),
      digestSecret: password,
      policy,
    });
  await partner('alice', PASSWORDS.alice);
  await partner('bob', PASSWORDS.bob, { requireSignature: true, signResponse: true });
  await partner('carol', PASSWORDS.carol, { allowLegacyAlgorithms: true });
  await partner('textonly', 'text-Only-4', { authModes: 'text' });
  await partner('digestonly', 'digest-Only-5', { authModes: 'digest' });
  store.addAccount({
    principal: principal('disabled'),
    username: 'disabled',
    passwordHash: await hashPassword('disabled-6'),
    digestSecret: 'disabled-6',
    disabled: true,
  });
  await partner('dave', 'dave-7');
  store.addCertificatePem('alice', alice.certPem);
  store.addCertificatePem('bob', bob.certPem);
  store.addCertificatePem('carol', carol.certPem);
  store.addCertificatePem('dave', expired.certPem);
  store.addCertificatePem('dave', notYetValid.certPem);
  store.addCertificatePem('dave', revoked.certPem);
  store.revokeCertificate(describeCertificate(revoked.certPem).sha256Thumbprint, new Date(Date.now() - 60_000));
  return { pki, store, alice, bob, carol, attacker, expired, notYetValid, revoked, service };
}

export function interceptorFor(
  world: SecurityWorld,
  overrides: Partial<WsSecurityOptions> = {},
): {
  interceptor: SoapInterceptor;
  replayCache: ReplayCache;
} {
  const replayCache = overrides.replayCache ?? new InMemoryReplayCache();
  const interceptor = wsSecurityInterceptor({
    store: world.store,
    replayCache,
    serviceKey: { privateKeyPem: world.service.keyPem, certificatePem: world.service.certPem },
    logger: quietLogger,
    ...overrides,
  });
  return { interceptor, replayCache };
}

export const ECHO_PAYLOAD =
  '<e:EchoPrimitivesRequest xmlns:e="urn:example:echo"><stringValue>hello</stringValue></e:EchoPrimitivesRequest>';

export const plainEnvelope = (payload = ECHO_PAYLOAD, header = '<soap:Header/>') =>
  `<soap:Envelope xmlns:soap="http://schemas.xmlsoap.org/soap/envelope/">${header}<soap:Body>${payload}</soap:Body></soap:Envelope>`;

export type WssCode =
  | 'MessageExpired'
  | 'InvalidSecurity'
  | 'FailedAuthentication'
  | 'FailedCheck'
  | 'InvalidSecurityToken'
  | 'SecurityTokenUnavailable'
  | 'UnsupportedAlgorithm'
  | 'UnsupportedSecurityToken';

/** Runs the interceptor on `xml` and expects `partner` to be authenticated. */
export async function expectAccepted(
  interceptor: SoapInterceptor,
  xml: string,
  partner: string,
): Promise<SoapExchange> {
  const exchange = exchangeFor(xml);
  await interceptor.handleRequest!(exchange);
  assert.equal(exchange.principal?.id, partner);
  return exchange;
}

/** Runs the interceptor on `xml` and expects wsse:`code`, with no principal set; answers the logged why. */
export async function expectRejected(interceptor: SoapInterceptor, xml: string, code: WssCode): Promise<string> {
  const exchange = exchangeFor(xml);
  let why = '';
  await assert.rejects(
    async () => interceptor.handleRequest!(exchange),
    (error: unknown) => {
      assert.ok(error instanceof SoapFault, `expected a SoapFault, got ${String(error)}`);
      why = (error as { why?: string }).why ?? '';
      assert.equal(error.subcode?.ns, WSSE_NS);
      assert.equal(error.subcode?.local, code, `expected wsse:${code}, got wsse:${error.subcode?.local} (${why})`);
      return true;
    },
  );
  assert.equal(exchange.principal, undefined, 'no principal after a fault');
  return why;
}

/** An xmlsec1 signature of the recipe's template (signers.ts) by `signer`, with every STR form filled in. */
export function xmlsecSignedBy(
  world: SecurityWorld,
  signer: TestIdentity,
  overrides: Partial<TemplateOptions> = {},
): string {
  const facts = describeCertificate(signer.certPem);
  const now = Date.now();
  return xmlsec1Sign(
    world.pki,
    xmlsecTemplate({
      keyReference: 'bst',
      certificateDerBase64: facts.der.toString('base64'),
      ski: Buffer.from(facts.ski, 'hex').toString('base64'),
      sha1Thumbprint: Buffer.from(facts.sha1Thumbprint, 'hex').toString('base64'),
      issuerName: opensslIssuerRfc2253(signer.certPath),
      serial: facts.serial,
      // Milliseconds, so two signatures of one template never coincide.
      created: new Date(now).toISOString(),
      expires: new Date(now + 300_000).toISOString(),
      ...overrides,
    }),
    signer,
    overrides.idElements,
  );
}

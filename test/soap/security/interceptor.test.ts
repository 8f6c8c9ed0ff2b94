import assert from 'node:assert/strict';
import { SoapFault } from '../../../src/soap/fault';
import { WSSE_NS } from '../../../src/soap/security/constants';
import { WS_SECURITY_INTERCEPTOR, WSSE_SECURITY_QNAME, wsSecurityInterceptor } from '../../../src/soap/security/interceptor';
import { hashPassword } from '../../../src/soap/security/password-hash';
import { InMemoryReplayCache } from '../../../src/soap/security/replay-cache';
import { InMemoryCredentialStore, type CredentialStore } from '../../../src/soap/security/store';
import { exchangeFor, plainEnvelope, quietLogger } from './support/harness';

const WSU = 'http://docs.oasis-open.org/wss/2004/01/oasis-200401-wss-wssecurity-utility-1.0.xsd';
const textRequest = (username: string, password: string) =>
  plainEnvelope(undefined, `<soap:Header><wsse:Security xmlns:wsse="${WSSE_NS}" xmlns:wsu="${WSU}" soap:mustUnderstand="1"><wsu:Timestamp><wsu:Created>${new Date().toISOString()}</wsu:Created></wsu:Timestamp><wsse:UsernameToken><wsse:Username>${username}</wsse:Username><wsse:Password>${password}</wsse:Password></wsse:UsernameToken></wsse:Security></soap:Header>`);

describe('security: interceptor contract', () => {
  let store: InMemoryCredentialStore;
  before(async () => {
    store = new InMemoryCredentialStore()
      .addPartner({ principal: { id: 'p-1', name: 'acme', roles: ['admin'] }, username: 'acme', passwordHash: await hashPassword('pw-acme-1') })
      .addPartner({ principal: { id: 'p-2', name: 'signed', roles: [] }, username: 'signed', passwordHash: await hashPassword('pw-signed-2'), policy: { signResponse: true } });
  });

  it('declares wsse:Security as understood and marks the processed header block', async () => {
    const interceptor = wsSecurityInterceptor({ store, replayCache: new InMemoryReplayCache(), logger: quietLogger });
    assert.deepEqual(interceptor.understands, [WSSE_SECURITY_QNAME]);
    const exchange = exchangeFor(textRequest('acme', 'pw-acme-1'));
    await interceptor.handleRequest!(exchange);
    assert.deepEqual(exchange.principal, { id: 'p-1', name: 'acme', roles: ['admin'], authenticatedBy: 'UsernameToken/PasswordText' });
    assert.ok(exchange.understood.has(exchange.envelope!.headers[0]!.element));
    assert.ok(exchange.attributes.has(WS_SECURITY_INTERCEPTOR));
  });

  it('lets a failing credential store surface as itself (a server error), not as a client fault', async () => {
    const broken: CredentialStore = {
      findPartnerByUsername: () => Promise.reject(new Error('database unavailable')),
      findCertificate: () => Promise.reject(new Error('database unavailable')),
    };
    const interceptor = wsSecurityInterceptor({ store: broken, replayCache: new InMemoryReplayCache(), logger: quietLogger });
    await assert.rejects(async () => interceptor.handleRequest!(exchangeFor(textRequest('acme', 'x'))), /database unavailable/);
  });

  it('leaves the response alone unless the policy asks for a signature, and refuses to send it unsigned without a key', async () => {
    const interceptor = wsSecurityInterceptor({ store, replayCache: new InMemoryReplayCache(), logger: quietLogger });
    const plain = exchangeFor(textRequest('acme', 'pw-acme-1'));
    await interceptor.handleRequest!(plain);
    plain.response = { value: {}, xml: plainEnvelope('<r/>') };
    await interceptor.handleResponse!(plain);
    assert.equal(plain.response.xml, plainEnvelope('<r/>'));

    const wantsSignature = exchangeFor(textRequest('signed', 'pw-signed-2'));
    await interceptor.handleRequest!(wantsSignature);
    wantsSignature.response = { value: {}, xml: plainEnvelope('<r/>') };
    await assert.rejects(
      async () => interceptor.handleResponse!(wantsSignature),
      (error: unknown) => error instanceof SoapFault && error.code === 'Receiver',
    );
  });
});

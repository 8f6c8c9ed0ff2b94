import assert from 'node:assert/strict';
import { randomBytes, randomUUID } from 'node:crypto';
import Redis from 'ioredis';
import { SoapFault } from '../../../src/soap/fault';
import { PASSWORD_DIGEST, WSSE_NS } from '../../../src/soap/security/constants';
import {
  WS_SECURITY_INTERCEPTOR,
  WSSE_SECURITY_QNAME,
  wsSecurityInterceptor,
} from '../../../src/soap/security/interceptor';
import { hashPassword } from '../../../src/soap/security/password-hash';
import { InMemoryReplayCache, RedisReplayCache } from '../../../src/soap/security/replay-cache';
import { passwordDigest } from '../../../src/soap/security/username-token';
import { InMemoryCredentialStore, type CredentialStore } from '../../../src/soap/security/store';
import { exchangeFor, plainEnvelope, quietLogger } from './support/harness';

const WSU = 'http://docs.oasis-open.org/wss/2004/01/oasis-200401-wss-wssecurity-utility-1.0.xsd';
const textRequest = (username: string, password: string) =>
  plainEnvelope(
    undefined,
    `<soap:Header><wsse:Security xmlns:wsse="${WSSE_NS}" xmlns:wsu="${WSU}" soap:mustUnderstand="1"><wsu:Timestamp><wsu:Created>${new Date().toISOString()}</wsu:Created></wsu:Timestamp><wsse:UsernameToken><wsse:Username>${username}</wsse:Username><wsse:Password>${password}</wsse:Password></wsse:UsernameToken></wsse:Security></soap:Header>`,
  );

describe('security: interceptor contract', () => {
  let store: InMemoryCredentialStore;
  before(async () => {
    store = new InMemoryCredentialStore()
      .addAccount({
        principal: { id: 'p-1', name: 'acme', roles: ['admin'] },
        username: 'acme',
        passwordHash: await hashPassword('pw-acme-1'),
      })
      .addAccount({
        principal: { id: 'p-2', name: 'signed', roles: [] },
        username: 'signed',
        passwordHash: await hashPassword('pw-signed-2'),
        policy: { signResponse: true },
      });
  });

  it('declares wsse:Security as understood and marks the processed header block', async () => {
    const interceptor = wsSecurityInterceptor({ store, replayCache: new InMemoryReplayCache(), logger: quietLogger });
    assert.deepEqual(interceptor.understands, [WSSE_SECURITY_QNAME]);
    const exchange = exchangeFor(textRequest('acme', 'pw-acme-1'));
    await interceptor.handleRequest!(exchange);
    assert.deepEqual(exchange.principal, {
      id: 'p-1',
      name: 'acme',
      roles: ['admin'],
      authenticatedBy: 'UsernameToken/PasswordText',
    });
    assert.ok(exchange.understood.has(exchange.envelope!.headers[0]!.element));
    assert.ok(exchange.attributes.has(WS_SECURITY_INTERCEPTOR));
  });

  it('lets a failing credential store surface as itself (a server error), not as a client fault', async () => {
    const broken: CredentialStore = {
      findAccountByUsername: () => Promise.reject(new Error('database unavailable')),
      findCertificate: () => Promise.reject(new Error('database unavailable')),
    };
    const interceptor = wsSecurityInterceptor({
      store: broken,
      replayCache: new InMemoryReplayCache(),
      logger: quietLogger,
    });
    await assert.rejects(
      async () => interceptor.handleRequest!(exchangeFor(textRequest('acme', 'x'))),
      /database unavailable/,
    );
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

  describe('two instances sharing Redis (127.0.0.1:6379)', () => {
    const prefix = `test:wss-interceptor:${randomUUID()}:`;
    const connections: Redis[] = [];
    before(async function () {
      for (let i = 0; i < 2; i++)
        connections.push(new Redis({ host: '127.0.0.1', port: 6379, lazyConnect: true, maxRetriesPerRequest: 1 }));
      try {
        for (const connection of connections) await connection.connect();
      } catch {
        this.skip(); // Redis is a local service here and in CI
      }
    });
    after(async () => {
      if (connections[0]?.status === 'ready') {
        const keys = await connections[0].keys(`${prefix}*`);
        if (keys.length) await connections[0].del(...keys);
      }
      for (const connection of connections) connection.disconnect();
    });

    it('a PasswordDigest nonce accepted by one instance is a replay on the other', async () => {
      const digestStore = new InMemoryCredentialStore().addAccount({
        principal: { id: 'p-3', name: 'digest', roles: [] },
        username: 'digest',
        digestSecret: 'pw-digest-3',
      });
      const [one, two] = connections.map((connection) =>
        wsSecurityInterceptor({
          store: digestStore,
          replayCache: new RedisReplayCache(connection, prefix),
          logger: quietLogger,
        }),
      );
      const nonce = randomBytes(16);
      const created = new Date().toISOString();
      const request = plainEnvelope(
        undefined,
        `<soap:Header><wsse:Security xmlns:wsse="${WSSE_NS}" xmlns:wsu="${WSU}"><wsu:Timestamp><wsu:Created>${created}</wsu:Created></wsu:Timestamp><wsse:UsernameToken><wsse:Username>digest</wsse:Username><wsse:Password Type="${PASSWORD_DIGEST}">${passwordDigest(nonce, created, 'pw-digest-3')}</wsse:Password><wsse:Nonce>${nonce.toString('base64')}</wsse:Nonce><wsu:Created>${created}</wsu:Created></wsse:UsernameToken></wsse:Security></soap:Header>`,
      );
      const first = exchangeFor(request);
      await one!.handleRequest!(first);
      assert.equal(first.principal?.id, 'p-3');
      const replay = exchangeFor(request);
      await assert.rejects(
        async () => two!.handleRequest!(replay),
        (e: unknown) => e instanceof SoapFault && e.subcode?.local === 'InvalidSecurity',
      );
      assert.equal(replay.principal, undefined);
    });
  });
});

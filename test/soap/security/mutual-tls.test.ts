/**
 * Issue 14, finding 8: with HTTPS client certificates on (src/ops/http-server.ts), the certificate the
 * handshake verified identifies the partner it is registered for. Alone it authenticates only a partner
 * whose policy has mutualTls; together with a wsse:Security header both must name the same partner; a
 * certificate registered for nobody, for a disabled partner, revoked, or held by two partners never does.
 */
import assert from 'node:assert/strict';
import { readFileSync, writeFileSync } from 'node:fs';
import https from 'node:https';
import type { AddressInfo } from 'node:net';
import { join, resolve } from 'node:path';
import { createHttpServer, type AppServer } from '../../../src/ops/http-server';
import { createSoapEndpoint } from '../../../src/soap/endpoint';
import type { SoapContext } from '../../../src/soap/pipeline';
import { describeCertificate } from '../../../src/soap/security/certificate-info';
import { contract, type EchoHandlers } from '../../fixtures/echo/generated';
import { PASSWORDS, buildWorld, interceptorFor, quietLogger, type SecurityWorld } from './support/harness';
import type { TestIdentity } from './support/pki';
import { S11, WSSE, WSU } from './support/signers';

const raise = `<e:RaiseFault xmlns:e="urn:example:echo"><e:kind>none</e:kind><e:message>m</e:message></e:RaiseFault>`;
const bare = `<soap:Envelope xmlns:soap="${S11}"><soap:Body>${raise}</soap:Body></soap:Envelope>`;
const withPasswordText = (username: string, password: string) =>
  `<soap:Envelope xmlns:soap="${S11}"><soap:Header><wsse:Security xmlns:wsse="${WSSE}">` +
  `<wsu:Timestamp xmlns:wsu="${WSU}"><wsu:Created>${new Date().toISOString()}</wsu:Created></wsu:Timestamp><wsse:UsernameToken><wsse:Username>${username}</wsse:Username>` +
  `<wsse:Password>${password}</wsse:Password></wsse:UsernameToken></wsse:Security></soap:Header><soap:Body>${raise}</soap:Body></soap:Envelope>`;

describe('security: mutual TLS identifies the partner (issue 14, finding 8)', function () {
  this.timeout(120_000);
  let world: SecurityWorld;
  let server: AppServer;
  let port: number;
  let serverIdentity: TestIdentity;
  const clients: Record<string, TestIdentity> = {};
  const calls: Array<{ partner?: string; by?: string }> = [];

  before(async () => {
    world = await buildWorld();
    const principal = (id: string) => ({ id, name: id, roles: [] });
    for (const name of ['tlsonly', 'tlsoff', 'tlssigned', 'stranger', 'twice', 'revokedtls'])
      clients[name] = world.pki.selfSigned(`${name}-client`);
    world.store.addAccount({ principal: principal('tlsonly'), username: 'tlsonly', policy: { mutualTls: true } });
    world.store.addAccount({ principal: principal('tlsoff'), username: 'tlsoff', policy: {} });
    world.store.addAccount({
      principal: principal('tlssigned'),
      username: 'tlssigned',
      policy: { mutualTls: true, requireSignature: true },
    });
    world.store.addAccount({ principal: principal('twin'), username: 'twin', policy: { mutualTls: true } });
    world.store.addCertificatePem('tlsonly', clients.tlsonly!.certPem);
    world.store.addCertificatePem('tlsoff', clients.tlsoff!.certPem);
    world.store.addCertificatePem('tlssigned', clients.tlssigned!.certPem);
    world.store.addCertificatePem('tlsonly', clients.revokedtls!.certPem);
    world.store.revokeCertificate(
      describeCertificate(clients.revokedtls!.certPem).sha256Thumbprint,
      new Date(Date.now() - 1000),
    );
    // Older data may hold one certificate for two partners: it identifies neither.
    world.store.addCertificatePem('twin', clients.twice!.certPem);
    world.store.addCertificatePem('tlsoff', clients.twice!.certPem);

    serverIdentity = world.pki.selfSigned('localhost', '/CN=localhost');
    const caFile = join(world.pki.dir, 'client-ca.pem');
    writeFileSync(
      caFile,
      Object.values(clients)
        .map((client) => client.certPem)
        .join(''),
    );
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
        calls.push({ partner: context.principal?.id, by: context.principal?.authenticatedBy });
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
    server = createHttpServer((req, res) => endpoint.handle(req, res), {
      https: { certFile: serverIdentity.certPath, keyFile: serverIdentity.keyPath, caFile, requestClientCert: true },
      headersTimeoutMs: 10_000,
      requestTimeoutMs: 10_000,
      keepAliveTimeoutMs: 1_000,
    });
    await new Promise<void>((done) => server.listen(0, '127.0.0.1', done));
    port = (server.address() as AddressInfo).port;
  });

  after(async () => {
    if (server) await new Promise((done) => server.close(done));
    world?.pki.dispose();
  });

  function post(client: TestIdentity, xml: string): Promise<{ status: number; body: string }> {
    return new Promise((done, fail) => {
      const request = https.request(
        {
          host: '127.0.0.1',
          port,
          path: '/soap/echo',
          method: 'POST',
          agent: false,
          key: readFileSync(client.keyPath),
          cert: client.certPem,
          ca: serverIdentity.certPem,
          checkServerIdentity: () => undefined,
          headers: { 'content-type': 'text/xml; charset=utf-8', soapaction: '"urn:example:echo/RaiseFault"' },
        },
        (response) => {
          const chunks: Buffer[] = [];
          response.on('data', (chunk: Buffer) => chunks.push(chunk));
          response.on('end', () =>
            done({ status: response.statusCode ?? 0, body: Buffer.concat(chunks).toString('utf8') }),
          );
        },
      );
      request.on('error', fail);
      request.end(xml);
    });
  }

  async function expectPartner(client: TestIdentity, xml: string, partner: string, by: string): Promise<void> {
    const before = calls.length;
    const reply = await post(client, xml);
    assert.equal(reply.status, 200, reply.body);
    assert.deepEqual(calls.slice(before), [{ partner, by }]);
  }

  async function expectFault(client: TestIdentity, xml: string, code: RegExp): Promise<void> {
    const before = calls.length;
    const reply = await post(client, xml);
    assert.equal(reply.status, 500, reply.body);
    assert.match(/<faultcode>([^<]*)</.exec(reply.body)?.[1] ?? reply.body, code);
    assert.equal(calls.length, before, 'the handler was not called');
  }

  it('a registered client certificate alone authenticates a partner whose policy allows mutual TLS', async () => {
    await expectPartner(clients.tlsonly!, bare, 'tlsonly', 'TLS');
  });

  it('alone it does not authenticate a partner without mutualTls, or one whose policy requires a signature', async () => {
    await expectFault(clients.tlsoff!, bare, /^wsse:FailedAuthentication$/);
    await expectFault(clients.tlssigned!, bare, /^wsse:InvalidSecurity$/);
  });

  it('a certificate registered for nobody, revoked, or held by two partners identifies nobody', async () => {
    await expectFault(clients.stranger!, bare, /^wsse:FailedAuthentication$/);
    await expectFault(clients.revokedtls!, bare, /^wsse:InvalidSecurityToken$/);
    await expectFault(clients.twice!, bare, /^wsse:FailedAuthentication$/);
  });

  it('with a UsernameToken, certificate and token must name the same partner', async () => {
    await expectFault(clients.tlsonly!, withPasswordText('alice', PASSWORDS.alice), /^wsse:FailedAuthentication$/);
    await expectPartner(
      clients.stranger!,
      withPasswordText('alice', PASSWORDS.alice),
      'alice',
      'UsernameToken/PasswordText',
    );
  });
});

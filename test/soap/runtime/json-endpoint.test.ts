/**
 * The JSON endpoint of the engine over real sockets, on the mini contract: mutual TLS with a registered
 * client certificate and HTTP Basic (HTTPS) through the HTTP authentication interceptor, a one-way
 * operation (202), a declared fault, and faults with their own status and headers (503 and 429 with
 * Retry-After) as problem details.
 */
import assert from 'node:assert/strict';
import { createServer as createHttpsServer, request as httpsRequest, type Server } from 'node:https';
import type { AddressInfo } from 'node:net';
import { SoapFault } from '../../../src/soap/fault';
import type { SoapContext, SoapInterceptor } from '../../../src/soap/pipeline';
import { hashPassword } from '../../../src/soap/security/password-hash';
import { httpAuthenticationInterceptor } from '../../../src/soap/security/http-authentication';
import { InMemoryCredentialStore } from '../../../src/soap/security/store';
import { createJsonEndpoint, jsonRequestListener } from '../../../src/soap/transport/json-endpoint';
import { TestPki, type TestIdentity } from '../security/support/pki';
import { PingFault, miniContract, type MiniHandlers } from './mini-contract';

interface Reply {
  status: number;
  headers: Record<string, string | string[] | undefined>;
  json: Record<string, unknown>;
}

describe('JSON endpoint over HTTPS: mTLS, Basic, one-way, problems', () => {
  let pki: TestPki;
  let server: Server;
  let port: number;
  let serverId: TestIdentity;
  let registered: TestIdentity;
  let stranger: TestIdentity;
  const notified: string[] = [];
  let failWith: SoapFault | undefined;

  const handlers: MiniHandlers = {
    async ping(request, context: SoapContext) {
      if (failWith !== undefined) throw failWith;
      if (request.text === 'fault') throw new PingFault('Ping refused', { code: 'E42' });
      return {
        text: `${request.text} from ${context.principal?.id ?? '?'} by ${context.principal?.authenticatedBy ?? '?'}`,
        count: request.count,
      };
    },
    async other() {
      return {};
    },
    async notify(request) {
      notified.push(request.text);
    },
  };

  before(async () => {
    pki = new TestPki();
    serverId = pki.selfSigned('localhost', '/CN=localhost');
    registered = pki.selfSigned('partner-a');
    stranger = pki.selfSigned('stranger');
    const credentials = new InMemoryCredentialStore()
      .addAccount({
        principal: { id: 'a', name: 'Partner A', roles: ['partner'] },
        username: 'alice',
        passwordHash: await hashPassword('alice-password-1'),
      })
      .addAccount({
        principal: { id: 'b', name: 'Partner B', roles: ['partner'] },
        username: 'bob',
        passwordHash: await hashPassword('bob-password-1'),
        policy: { requireSignature: true },
      });
    credentials.addCertificatePem('a', registered.certPem);
    const authentication: SoapInterceptor = httpAuthenticationInterceptor({ store: credentials, realm: 'mini' });
    const endpoint = createJsonEndpoint({
      contract: miniContract,
      service: 'MiniService',
      handlers,
      basePath: '/api/mini',
      interceptors: [authentication],
      faultStatus: { PingFault: 422 },
      typeBase: 'urn:test:problem:',
    });
    server = createHttpsServer(
      {
        key: serverId.keyPem,
        cert: serverId.certPem,
        ca: [registered.certPem, stranger.certPem],
        requestCert: true,
        rejectUnauthorized: false,
      },
      jsonRequestListener([endpoint], {}, (_req, res) => {
        res.writeHead(404);
        res.end();
      }),
    );
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    port = (server.address() as AddressInfo).port;
  });
  after(async () => {
    await new Promise<void>((resolve) => server?.close(() => resolve()));
    pki?.dispose();
  });
  afterEach(() => {
    failWith = undefined;
  });

  function post(path: string, body: unknown, options: { client?: TestIdentity; basic?: string } = {}): Promise<Reply> {
    return new Promise((resolve, reject) => {
      const data = JSON.stringify(body);
      const req = httpsRequest(
        {
          host: '127.0.0.1',
          port,
          path,
          method: 'POST',
          ca: serverId.certPem,
          servername: 'localhost',
          checkServerIdentity: () => undefined,
          key: options.client?.keyPem,
          cert: options.client?.certPem,
          headers: {
            'Content-Type': 'application/json',
            'Content-Length': Buffer.byteLength(data),
            ...(options.basic === undefined
              ? {}
              : { Authorization: `Basic ${Buffer.from(options.basic).toString('base64')}` }),
          },
        },
        (res) => {
          const chunks: Buffer[] = [];
          res.on('data', (c: Buffer) => chunks.push(c));
          res.on('end', () => {
            const text = Buffer.concat(chunks).toString('utf8');
            resolve({
              status: res.statusCode ?? 0,
              headers: res.headers,
              json: text === '' ? {} : (JSON.parse(text) as Record<string, unknown>),
            });
          });
        },
      );
      req.on('error', reject);
      req.end(data);
    });
  }

  it('authenticates a registered client certificate as its partner (mTLS)', async () => {
    const reply = await post('/api/mini/Ping', { text: 'hi', count: 3 }, { client: registered });
    assert.equal(reply.status, 200, JSON.stringify(reply.json));
    assert.deepEqual(reply.json, { text: 'hi from a by mTLS', count: 3 });
  });

  it('falls back to Basic when the certificate is not registered, and refuses without credentials', async () => {
    const withBasic = await post(
      '/api/mini/Ping',
      { text: 'hi' },
      { client: stranger, basic: 'alice:alice-password-1' },
    );
    assert.deepEqual(withBasic.json, { text: 'hi from a by HTTP Basic' });
    const without = await post('/api/mini/Ping', { text: 'hi' }, { client: stranger });
    assert.equal(without.status, 401);
    assert.equal(without.headers['www-authenticate'], 'Basic realm="mini", charset="UTF-8"');
  });

  it('accepts Basic over HTTPS without a certificate; refuses a wrong password and a partner whose policy requires signatures', async () => {
    assert.equal((await post('/api/mini/Ping', { text: 'x' }, { basic: 'alice:alice-password-1' })).status, 200);
    const wrong = await post('/api/mini/Ping', { text: 'x' }, { basic: 'alice:nope' });
    assert.equal(wrong.status, 401);
    assert.equal(wrong.json.type, 'urn:test:problem:authentication');
    const signer = await post('/api/mini/Ping', { text: 'x' }, { basic: 'bob:bob-password-1' });
    assert.equal(signer.status, 401);
  });

  it('answers a one-way operation with 202 and no body', async () => {
    const reply = await post('/api/mini/Notify', { text: 'note' }, { client: registered });
    assert.equal(reply.status, 202);
    assert.deepEqual(notified, ['note']);
  });

  it('renders a declared fault at its status with its detail fields', async () => {
    const reply = await post('/api/mini/Ping', { text: 'fault' }, { client: registered });
    assert.equal(reply.status, 422);
    assert.equal(reply.headers['content-type'], 'application/problem+json');
    assert.deepEqual(reply.json, {
      type: 'urn:test:problem:mini:PingFault',
      title: 'Ping fault',
      status: 422,
      detail: 'Ping refused',
      code: 'E42',
      requestId: reply.headers['x-request-id'],
    });
  });

  it("keeps a fault's own status and headers: 503 and 429 with Retry-After", async () => {
    failWith = new SoapFault({
      code: 'Receiver',
      reason: 'Service temporarily unavailable',
      httpStatus: 503,
      httpHeaders: { 'Retry-After': '5' },
    });
    const unavailable = await post('/api/mini/Ping', { text: 'x' }, { client: registered });
    assert.equal(unavailable.status, 503);
    assert.equal(unavailable.headers['retry-after'], '5');
    assert.equal(unavailable.json.type, 'about:blank');
    assert.equal(unavailable.json.title, 'Service Unavailable');
    failWith = new SoapFault({
      code: 'Sender',
      reason: 'Rate limit exceeded',
      subcode: { ns: 'urn:ops', local: 'RateLimited' },
      httpStatus: 429,
      httpHeaders: { 'Retry-After': '2' },
    });
    const limited = await post('/api/mini/Ping', { text: 'x' }, { client: registered });
    assert.equal(limited.status, 429);
    assert.equal(limited.headers['retry-after'], '2');
    assert.equal(limited.json.type, 'urn:test:problem:RateLimited');
  });
});

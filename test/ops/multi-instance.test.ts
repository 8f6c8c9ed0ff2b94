// Two service processes (`partner-orders serve`) on loopback ports behind nginx, sharing one PostgreSQL
// database and Redis: the rate limit is global, a replayed signed message accepted by one instance is
// refused by the other, a product update on one instance is seen on the other, and killing one instance
// with SIGKILL under load loses no acknowledged order while clients only see retriable failures.
import assert from 'node:assert/strict';
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import Redis from 'ioredis';
import { digestSecretBox } from '../../src/app';
import { openDatabase } from '../../src/db/connection';
import { createStores } from '../../src/db/stores';
import { KnexCredentialStore } from '../../src/db/stores/credential-store';
import { KnexLimitsStore } from '../../src/db/stores/limits-store';
import type { AppConfig } from '../../src/ops/config';
import { DEV_DEMO_PASSWORDS, prepareDatabase } from '../../src/server';
import { PartnerService } from '../../src/service/partners';
import { createScratchDatabase, type ScratchDatabase } from '../db/harness';
import { TestPki, type TestIdentity } from '../soap/security/support/pki';
import { zeepAvailable, zeepSign } from '../soap/security/support/signers';
import { soap11 } from '../support/app-server';
import { ROOT, freePort, startServeProcess, waitForPort, type ServeProcess } from './serve-process';
import { testConfig } from './test-config';

const RL_POINTS = 6;

function nginxConfig(dir: string, listenPort: number, upstreams: readonly number[]): string {
  return `worker_processes 1;
pid ${dir}/nginx.pid;
error_log ${dir}/error.log warn;
events { worker_connections 512; }
http {
  access_log off;
  client_body_temp_path ${dir}/body;
  proxy_temp_path ${dir}/proxy;
  fastcgi_temp_path ${dir}/fastcgi;
  uwsgi_temp_path ${dir}/uwsgi;
  scgi_temp_path ${dir}/scgi;
  upstream partner_orders {
${upstreams.map((port) => `    server 127.0.0.1:${port} max_fails=1 fail_timeout=10s;`).join('\n')}
  }
  server {
    listen 127.0.0.1:${listenPort};
    client_max_body_size 2m;
    location / {
      proxy_pass http://partner_orders;
      proxy_set_header Host $http_host;
      proxy_set_header X-Forwarded-For $proxy_add_x_forwarded_for;
      proxy_set_header X-Forwarded-Proto $scheme;
      proxy_next_upstream error timeout http_502 http_503;
      proxy_connect_timeout 2s;
      add_header X-Upstream $upstream_addr always;
    }
  }
}
`;
}

async function post(url: string, action: string, envelope: string): Promise<{ status: number; body: string; headers: Headers }> {
  const response = await fetch(url, {
    method: 'POST',
    headers: { 'Content-Type': 'text/xml; charset=utf-8', SOAPAction: `"urn:partner-orders:v1/${action}"`, Connection: 'close' },
    body: envelope,
  });
  return { status: response.status, body: await response.text(), headers: response.headers };
}

const withTimestamp = (body: string, credentials: { username: string; password: string }): string => {
  const created = new Date().toISOString();
  const expires = new Date(Date.now() + 300_000).toISOString();
  return soap11(body, credentials).replace(
    '<wsse:UsernameToken>',
    '<wsu:Timestamp xmlns:wsu="http://docs.oasis-open.org/wss/2004/01/oasis-200401-wss-wssecurity-utility-1.0.xsd">' +
      `<wsu:Created>${created}</wsu:Created><wsu:Expires>${expires}</wsu:Expires></wsu:Timestamp><wsse:UsernameToken>`,
  );
};

const getProduct = (sku: string) => `<po:GetProductRequest><po:sku>${sku}</po:sku></po:GetProductRequest>`;
const priceOf = (body: string) => /<tns:unitPrice>([^<]+)<\/tns:unitPrice>/.exec(body)?.[1];

describe('multi-instance behind nginx (PostgreSQL + Redis)', function () {
  this.timeout(180000);
  const demo = { username: 'demo', password: DEV_DEMO_PASSWORDS.demo };
  const admin = { username: 'admin', password: DEV_DEMO_PASSWORDS.admin };
  const throttled = { username: `rl-${randomUUID().slice(0, 8)}`, password: 'throttled-partner-Pass-1' };
  let scratch: ScratchDatabase | undefined;
  let config: AppConfig;
  let a: ServeProcess;
  let b: ServeProcess;
  let nginx: ChildProcess | undefined;
  let nginxDir: string | undefined;
  let gateway: string;
  let pki: TestPki | undefined;
  let signer: TestIdentity;
  const instances: ServeProcess[] = [];
  const redisPrefix = `test:multi:${randomUUID()}:`;

  before(async function () {
    if (spawnSync('nginx', ['-v'], { stdio: 'pipe' }).status !== 0) this.skip();
    scratch = await createScratchDatabase('postgres');
    const patch = {
      database: { url: scratch.options.url },
      redis: { url: 'redis://127.0.0.1:6379', keyPrefix: redisPrefix },
      security: { replayCache: { store: 'redis' } },
      rateLimits: { partner: { points: 10_000, durationSeconds: 1, maxInFlight: 100 }, operation: { points: 10_000, durationSeconds: 1 } },
      cache: { catalog: { ttlSeconds: 300 } },
      server: { shutdownGraceMs: 5000 },
    };
    config = testConfig(patch);
    await prepareDatabase(config, ROOT, 'test');

    const db = openDatabase({ url: config.database.url ?? undefined });
    try {
      const partners = new PartnerService(createStores(db).partners);
      const { partner } = await partners.addPartner({ username: throttled.username, password: throttled.password });
      await new KnexLimitsStore(db).setLimit(partner.id, { operation: '*', points: RL_POINTS, durationSeconds: 60, maxInFlight: null });
      const credentials = new KnexCredentialStore(db, digestSecretBox(config));
      if (zeepAvailable()) {
        pki = new TestPki();
        signer = pki.selfSigned('demo-signer');
        await credentials.addCertificate('demo', signer.certPem);
      }
    } finally {
      await db.close();
    }

    a = await startServeProcess(patch);
    instances.push(a);
    b = await startServeProcess(patch);
    instances.push(b);

    nginxDir = fs.mkdtempSync(path.join(os.tmpdir(), 'po-nginx-'));
    const port = await freePort();
    fs.writeFileSync(path.join(nginxDir, 'nginx.conf'), nginxConfig(nginxDir, port, [a.port, b.port]));
    nginx = spawn('nginx', ['-p', nginxDir, '-c', path.join(nginxDir, 'nginx.conf'), '-g', 'daemon off;'], { stdio: ['ignore', 'ignore', 'pipe'] });
    await waitForPort(port);
    gateway = `http://127.0.0.1:${port}`;
  });

  after(async () => {
    if (nginx && nginx.exitCode === null) {
      nginx.kill('SIGQUIT');
      await new Promise((resolve) => nginx?.once('exit', resolve));
    }
    for (const instance of instances) await instance.stop();
    if (nginxDir) fs.rmSync(nginxDir, { recursive: true, force: true });
    pki?.dispose();
    const redis = new Redis('redis://127.0.0.1:6379');
    const keys = await redis.keys(`${redisPrefix}*`);
    if (keys.length) await redis.del(...keys);
    await redis.quit();
    await scratch?.drop();
  });

  it('nginx spreads requests over both instances', async () => {
    const upstreams = new Set<string>();
    for (let i = 0; i < 4; i++) {
      const reply = await post(`${gateway}/soap/v1/orders`, 'GetProduct', soap11(getProduct('FAS-SCR-4X40'), demo));
      assert.equal(reply.status, 200, reply.body);
      upstreams.add(reply.headers.get('x-upstream') ?? '');
    }
    assert.deepEqual([...upstreams].sort(), [`127.0.0.1:${a.port}`, `127.0.0.1:${b.port}`].sort());
  });

  it('the rate limit is global: N+5 requests through nginx give exactly 5 throttled faults', async () => {
    const statuses: number[] = [];
    const upstreams = new Set<string>();
    for (let i = 0; i < RL_POINTS + 5; i++) {
      const reply = await post(`${gateway}/soap/v1/orders`, 'GetProduct', withTimestamp(getProduct('FAS-SCR-4X40'), throttled));
      statuses.push(reply.status);
      upstreams.add(reply.headers.get('x-upstream') ?? '');
      if (reply.status === 429) assert.ok(Number(reply.headers.get('retry-after')) >= 1, 'Retry-After');
      else assert.equal(reply.status, 200, reply.body);
    }
    assert.equal(upstreams.size, 2, 'both instances counted');
    assert.deepEqual(statuses, [...Array(RL_POINTS).fill(200), ...Array(5).fill(429)]);
  });

  it('a replayed signed message accepted by one instance is refused by the other', async function () {
    if (pki === undefined) this.skip();
    const envelope = `<soapenv:Envelope xmlns:soapenv="http://schemas.xmlsoap.org/soap/envelope/" xmlns:po="urn:partner-orders:v1"><soapenv:Header/><soapenv:Body>${getProduct('TLS-HAM-500')}</soapenv:Body></soapenv:Envelope>`;
    const signed = zeepSign(envelope, { signature: 'binary', signer, timestamp: true });
    const first = await post(`${a.url}/soap/v1/orders`, 'GetProduct', signed);
    assert.equal(first.status, 200, first.body);
    const replay = await post(`${b.url}/soap/v1/orders`, 'GetProduct', signed);
    assert.equal(replay.status, 500);
    assert.match(replay.body, /InvalidSecurity|FailedAuthentication/);
    assert.doesNotMatch(replay.body, /<tns:GetProductResponse/);
  });

  it('a product update on one instance is seen on the other', async () => {
    const sku = 'TLS-LVL-600';
    const before = await post(`${b.url}/soap/v1/orders`, 'GetProduct', soap11(getProduct(sku), demo));
    assert.equal(priceOf(before.body), '16.40');
    const upsert = await post(
      `${a.url}/soap/v1/admin`,
      'UpsertProduct',
      soap11(
        `<po:UpsertProductRequest><po:product><po:sku>${sku}</po:sku><po:name>Spirit level 600 mm, aluminium</po:name>` +
          '<po:category>Tools</po:category><po:unitPrice>17.90</po:unitPrice><po:currency>EUR</po:currency><po:active>true</po:active></po:product></po:UpsertProductRequest>',
        admin,
      ),
    );
    assert.equal(upsert.status, 200, upsert.body);
    let price: string | undefined;
    const deadline = Date.now() + 3000;
    do {
      price = priceOf((await post(`${b.url}/soap/v1/orders`, 'GetProduct', soap11(getProduct(sku), demo))).body);
      if (price === '17.90') break;
      await new Promise((resolve) => setTimeout(resolve, 50));
    } while (Date.now() < deadline);
    assert.equal(price, '17.90');
  });

  it('SIGKILL of one instance under load: no acknowledged order is lost, clients see only retriable failures', async () => {
    const CLIENTS = 4;
    const ORDERS_PER_CLIENT = 8;
    const acknowledged = new Map<string, string>();
    const acknowledgedBy = new Map<string, number>();
    const failures: string[] = [];
    const unexpected: string[] = [];
    const submit = (ref: string) =>
      soap11(
        `<po:SubmitOrderRequest><po:partnerOrderRef>${ref}</po:partnerOrderRef><po:shipTo><po:name>ACME Receiving</po:name>` +
          '<po:line1>Dock 4</po:line1><po:city>Hamburg</po:city><po:postalCode>20095</po:postalCode><po:countryCode>DE</po:countryCode></po:shipTo>' +
          '<po:line><po:sku>ELE-LED-E27-9W</po:sku><po:quantity>1</po:quantity></po:line></po:SubmitOrderRequest>',
        demo,
      );
    const retriable = (status: number) => status === 502 || status === 503 || status === 504 || status === 429;

    const client = async (clientIndex: number) => {
      for (let i = 0; i < ORDERS_PER_CLIENT; i++) {
        const ref = `load-${clientIndex}-${i}-${randomUUID().slice(0, 8)}`;
        for (let attempt = 0; ; attempt++) {
          assert.ok(attempt < 20, `order ${ref} never acknowledged`);
          let reply: { status: number; body: string; headers: Headers };
          try {
            reply = await post(`${gateway}/soap/v1/orders`, 'SubmitOrder', submit(ref));
          } catch (error) {
            failures.push(`network: ${String(error)}`);
            await new Promise((resolve) => setTimeout(resolve, 100));
            continue;
          }
          if (reply.status === 200) {
            const orderId = /<tns:orderId>([^<]+)<\/tns:orderId>/.exec(reply.body)?.[1];
            assert.ok(orderId, reply.body);
            acknowledged.set(ref, orderId);
            const upstream = reply.headers.get('x-upstream') ?? '';
            acknowledgedBy.set(upstream, (acknowledgedBy.get(upstream) ?? 0) + 1);
            break;
          }
          if (retriable(reply.status)) {
            failures.push(String(reply.status));
            await new Promise((resolve) => setTimeout(resolve, 100));
            continue;
          }
          unexpected.push(`${reply.status}: ${reply.body.slice(0, 300)}`);
          break;
        }
      }
    };

    const load = Promise.all(Array.from({ length: CLIENTS }, (_, i) => client(i)));
    // Kill B once it has acknowledged some orders (they must survive it) while others are in flight on it.
    const bUpstream = `127.0.0.1:${b.port}`;
    const deadline = Date.now() + 20000;
    while ((acknowledgedBy.get(bUpstream) ?? 0) < 2 && Date.now() < deadline) await new Promise((resolve) => setTimeout(resolve, 10));
    b.child.kill('SIGKILL');
    await load;

    assert.deepEqual(unexpected, [], 'only retriable failures');
    assert.equal(acknowledged.size, CLIENTS * ORDERS_PER_CLIENT);
    assert.ok((acknowledgedBy.get(bUpstream) ?? 0) >= 2, 'the killed instance had acknowledged orders, which must survive it');
    for (const [ref, orderId] of acknowledged) {
      const reply = await post(`${a.url}/soap/v1/orders`, 'GetOrder', soap11(`<po:GetOrderRequest><po:orderId>${orderId}</po:orderId></po:GetOrderRequest>`, demo));
      assert.equal(reply.status, 200, `acknowledged order ${orderId} (${ref}) is missing: ${reply.body}`);
      assert.match(reply.body, new RegExp(`<tns:partnerOrderRef>${ref}</tns:partnerOrderRef>`));
    }
  });
});

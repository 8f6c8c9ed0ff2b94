// Two `partner-orders serve` processes behind nginx, sharing one fresh PostgreSQL database and Redis (one
// key prefix and invalidation channel per run), configured only through the environment (DATABASE_URL,
// REDIS_URL, SECRETS_KEY, PAGING_TOKEN_KEY, NODE_CONFIG) as an operator would. It shows that the rate
// limit is global, that a signed message or a digest nonce accepted by one instance is a replay on the
// other, that a catalog or stock change on one instance is seen on the other at once, and that killing
// one instance with SIGKILL under load loses no acknowledged order while clients only see retriable
// failures. The nginx settings are those of deploy/nginx.conf.example (docs/operations.md, "Multi-instance deployment").
import assert from 'node:assert/strict';
import { spawn, spawnSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import fs from 'node:fs';
import https from 'node:https';
import os from 'node:os';
import path from 'node:path';
import Redis from 'ioredis';
import { digestSecretBox } from '../../src/app';
import { openDatabase } from '../../src/db/connection';
import { KnexCredentialStore } from '../../src/db/stores/credential-store';
import { DEV_DEMO_PASSWORDS, prepareDatabase } from '../../src/server';
import { createScratchDatabase, type ScratchDatabase } from '../db/harness';
import { merge, testConfig } from '../ops/test-config';
import { TestPki, type TestIdentity } from '../soap/security/support/pki';
import { zeepAvailable, zeepSign } from '../soap/security/support/signers';
import { soap11 } from '../support/app-server';
import {
  freePort,
  nginxAvailable,
  sleep,
  startNginx,
  startService,
  stopProcess,
  waitForPort,
  NGINX_BINARY,
  PROJECT_ROOT,
  type RunningNginx,
  type ServiceInstance,
} from './support/processes';
import {
  adjustStock,
  bareEnvelope,
  faultcode11,
  getOrder,
  getProduct,
  getStockLevels,
  post,
  searchProducts,
  soap11Digest,
  soap12,
  submitOrder,
  textOf,
  textsOf,
  upsertProduct,
  type Reply,
} from './support/soap';

const REDIS_URL = 'redis://127.0.0.1:6379';
/** SearchProducts requests per partner per minute, counted across all instances. */
const SEARCH_LIMIT = 6;
/** What nginx retries on the other instance; for POSTs nginx itself narrows this to "not sent yet". */
const NEXT_UPSTREAM = 'error timeout http_502 http_503';
const LOAD_CLIENTS = 8;
const LOAD_MS = 4000;
const KILL_AFTER_MS = 1500;

async function metricValue(instance: ServiceInstance, pattern: RegExp): Promise<number> {
  const text = await (await fetch(`${instance.url}/metrics`)).text();
  const match = pattern.exec(text);
  return match ? Number(match[1]) : 0;
}

/** POST over HTTPS trusting exactly `caPem` (the test's self-signed certificate for nginx). */
function postTls(
  url: string,
  caPem: string,
  body: Buffer | string,
  headers: Record<string, string>,
): Promise<{ status: number; headers: Record<string, string | string[] | undefined>; body: string }> {
  return new Promise((resolve, reject) => {
    const request = https.request(
      url,
      { method: 'POST', ca: caPem, checkServerIdentity: () => undefined, headers, agent: false },
      (response) => {
        const chunks: Buffer[] = [];
        response.on('data', (chunk: Buffer) => chunks.push(chunk));
        response.on('end', () =>
          resolve({
            status: response.statusCode ?? 0,
            headers: response.headers,
            body: Buffer.concat(chunks).toString('utf8'),
          }),
        );
        response.on('error', reject);
      },
    );
    request.on('error', reject);
    request.end(body);
  });
}

/** Replaces `from` (which must occur) in the example configuration. */
function substitute(text: string, from: string | RegExp, to: string): string {
  assert.ok(
    typeof from === 'string' ? text.includes(from) : from.test(text),
    `deploy/nginx.conf.example no longer contains ${String(from)}`,
  );
  return text.replace(from, to);
}

async function deleteRedisKeys(prefix: string): Promise<number> {
  const redis = new Redis(REDIS_URL);
  let deleted = 0;
  try {
    let cursor = '0';
    do {
      const [next, keys] = await redis.scan(cursor, 'MATCH', `${prefix}*`, 'COUNT', 500);
      cursor = next;
      if (keys.length > 0) deleted += await redis.del(...keys);
    } while (cursor !== '0');
  } finally {
    await redis.quit();
  }
  return deleted;
}

describe('ops e2e: two instances behind nginx sharing PostgreSQL and Redis', function () {
  this.timeout(120_000);
  const runId = randomBytes(6).toString('hex');
  const redisPrefix = `po-test-${runId}:`;
  const demo = { username: 'demo', password: DEV_DEMO_PASSWORDS.demo };
  const admin = { username: 'admin', password: DEV_DEMO_PASSWORDS.admin };
  let scratch: ScratchDatabase | undefined;
  let pki: TestPki | undefined;
  let signer: TestIdentity;
  let a: ServiceInstance | undefined;
  let b: ServiceInstance | undefined;
  let nginx: RunningNginx | undefined;

  const instanceA = () => a as ServiceInstance;
  const instanceB = () => b as ServiceInstance;
  const gateway = () => `${(nginx as RunningNginx).url}/soap/v1/orders`;
  const upstreamOf = (reply: Reply) => reply.headers.get('x-upstream') ?? '';
  const nameOf = (upstream: string) =>
    upstream === `127.0.0.1:${instanceA().port}` ? 'A' : upstream === `127.0.0.1:${instanceB().port}` ? 'B' : upstream;

  before(async function () {
    if (!nginxAvailable()) this.skip();
    if (!zeepAvailable()) this.skip();
    scratch = await createScratchDatabase('postgres');
    const databaseUrl = scratch.options.url as string;
    // What every instance must share (docs/operations.md, "Multi-instance deployment"): database, Redis and its key prefix, the
    // digest-secret key and the paging-token key. Fresh random keys per run prove nothing relies on defaults.
    const secretsKey = randomBytes(32).toString('base64');
    const pagingKey = randomBytes(32).toString('base64');
    const patch = {
      redis: { keyPrefix: redisPrefix },
      security: { replayCache: { store: 'redis' } },
      rateLimits: {
        store: 'redis',
        partner: { points: 100_000, durationSeconds: 1, maxInFlight: 64 },
        operation: { points: 100_000, durationSeconds: 1 },
        operations: { SearchProducts: { points: SEARCH_LIMIT, durationSeconds: 60 } },
      },
      cache: {
        catalog: { ttlSeconds: 300 },
        stock: { ttlSeconds: 300 },
        invalidationChannel: `${redisPrefix}cache-invalidation`,
      },
      server: { shutdownGraceMs: 3000 },
    };
    const env = {
      DATABASE_URL: databaseUrl,
      REDIS_URL,
      SECRETS_KEY: secretsKey,
      PAGING_TOKEN_KEY: pagingKey,
      LOG_LEVEL: 'warn',
      NODE_CONFIG: JSON.stringify(patch),
    };

    // Seeded once, before the instances start, with the keys they will use (the digest secrets of the
    // demo partners are sealed with SECRETS_KEY).
    const config = testConfig(
      merge(patch, {
        database: { url: databaseUrl },
        redis: { url: REDIS_URL },
        security: { secretKey: secretsKey },
        pagingTokenKey: pagingKey,
      }),
    );
    await prepareDatabase(config, PROJECT_ROOT, 'test');
    pki = new TestPki();
    signer = pki.selfSigned('e2e-demo-signer');
    const db = openDatabase({ url: databaseUrl });
    try {
      await new KnexCredentialStore(db, digestSecretBox(config)).addCertificate('demo', signer.certPem);
    } finally {
      await db.close();
    }

    [a, b] = await Promise.all([startService({ name: 'A', env }), startService({ name: 'B', env })]);
    nginx = await startNginx({ upstreamPorts: [a.port, b.port], nextUpstream: NEXT_UPSTREAM });
  });

  after(async function () {
    this.timeout(30_000);
    await nginx?.stop();
    await Promise.all([a, b].map((instance) => (instance ? stopProcess(instance.child, 'SIGTERM', 5000) : undefined)));
    pki?.dispose();
    if (scratch) await deleteRedisKeys(redisPrefix);
    await scratch?.drop();
  });

  it('the rate limit is global: N+5 requests through nginx, alternating instances, give exactly 5 throttled faults', async () => {
    const replies: Reply[] = [];
    for (let i = 0; i < SEARCH_LIMIT + 5; i++)
      replies.push(await post(gateway(), 'SearchProducts', soap11Digest(searchProducts('screw'), demo)));
    const served = replies.map((r) => nameOf(upstreamOf(r)));
    // Round robin: consecutive requests went to different instances, so each saw about half of them and a
    // per-instance limit of 6 would have let all 11 through.
    for (let i = 1; i < served.length; i++)
      assert.notEqual(served[i], served[i - 1], `alternating instances: ${served.join(',')}`);
    assert.deepEqual(
      replies.map((r) => r.status),
      [...Array(SEARCH_LIMIT).fill(200), ...Array(5).fill(429)],
      served.join(','),
    );
    for (const reply of replies.slice(SEARCH_LIMIT)) {
      const retryAfter = Number(reply.headers.get('retry-after'));
      assert.ok(
        Number.isInteger(retryAfter) && retryAfter >= 1 && retryAfter <= 60,
        `Retry-After ${reply.headers.get('retry-after')}`,
      );
      assert.equal(faultcode11(reply.body), 'soap:Client', reply.body);
      assert.match(
        reply.body,
        /Request rate limit exceeded for operation SearchProducts for partner demo \(6 per 60 s\)/,
      );
    }
    const rejectedA = await metricValue(instanceA(), /rate_limit_rejections_total\{limiter="operation"\} (\d+)/);
    const rejectedB = await metricValue(instanceB(), /rate_limit_rejections_total\{limiter="operation"\} (\d+)/);
    assert.equal(rejectedA + rejectedB, 5);
    assert.ok(rejectedA > 0 && rejectedB > 0, `both instances refused (A ${rejectedA}, B ${rejectedB})`);

    // SOAP 1.2 carries the throttle as a Subcode of Sender (SOAP 1.1 has only the Client code).
    const reply12 = await post(gateway(), 'SearchProducts', soap12(searchProducts('screw'), demo), {
      'Content-Type': 'application/soap+xml; charset=utf-8; action="urn:partner-orders:v1/SearchProducts"',
    });
    assert.equal(reply12.status, 429, reply12.body);
    assert.match(
      reply12.body,
      /<soap:Value>soap:Sender<\/soap:Value><soap:Subcode><soap:Value xmlns:ops="urn:partner-orders:ops">ops:RequestRateExceeded<\/soap:Value>/,
    );
    assert.ok(Number(reply12.headers.get('retry-after')) >= 1);
  });

  it('a signed message accepted by one instance is refused as a replay by the other', async () => {
    const signed = zeepSign(bareEnvelope(getProduct('TLS-HAM-500')), { signature: 'binary', signer, timestamp: true });
    const first = await post(instanceA().ordersUrl, 'GetProduct', signed);
    assert.equal(first.status, 200, first.body);
    assert.equal(textOf(first.body, 'sku'), 'TLS-HAM-500');

    const before = await metricValue(instanceB(), /wssec_failures_total\{reason="InvalidSecurity"\} (\d+)/);
    const replay = await post(instanceB().ordersUrl, 'GetProduct', signed);
    assert.equal(replay.status, 500, replay.body);
    assert.equal(faultcode11(replay.body), 'wsse:InvalidSecurity', replay.body);
    assert.doesNotMatch(replay.body, /GetProductResponse/);
    assert.equal(await metricValue(instanceB(), /wssec_failures_total\{reason="InvalidSecurity"\} (\d+)/), before + 1);
  });

  it('a UsernameToken PasswordDigest nonce used on one instance is a replay on the other', async () => {
    const digest = zeepSign(bareEnvelope(getProduct('FAS-NUT-M8')), {
      username: demo.username,
      password: demo.password,
      digest: true,
      timestamp: true,
    });
    assert.match(digest, /#PasswordDigest/);
    const first = await post(instanceB().ordersUrl, 'GetProduct', digest);
    assert.equal(first.status, 200, first.body);
    const replay = await post(instanceA().ordersUrl, 'GetProduct', digest);
    assert.equal(replay.status, 500, replay.body);
    assert.equal(faultcode11(replay.body), 'wsse:InvalidSecurity', replay.body);
    assert.doesNotMatch(replay.body, /GetProductResponse/);
  });

  it('a product update on one instance is seen on the other at once (its warm cache is invalidated)', async () => {
    const sku = 'TLS-LVL-600';
    const hits = /cache_requests_total\{cache="catalog",result="hit"\} (\d+)/;
    const read = async (instance: ServiceInstance) => {
      const reply = await post(instance.ordersUrl, 'GetProduct', soap11Digest(getProduct(sku), demo));
      assert.equal(reply.status, 200, reply.body);
      return textOf(reply.body, 'unitPrice');
    };
    // Several rounds, each reading B immediately after A's UpsertProduct answered: no polling, no waiting.
    let expected = '16.40';
    for (let round = 1; round <= 5; round++) {
      assert.equal(await read(instanceB()), expected);
      const hitsBefore = await metricValue(instanceB(), hits);
      assert.equal(await read(instanceB()), expected);
      assert.equal(await metricValue(instanceB(), hits), hitsBefore + 1, 'B serves the product from its cache');

      expected = `${16 + round}.${String(round * 11).padStart(2, '0')}`;
      const upsert = await post(
        instanceA().adminUrl,
        'UpsertProduct',
        soap11(upsertProduct(sku, 'Spirit level 600 mm, aluminium', 'Tools', expected), admin),
      );
      assert.equal(upsert.status, 200, upsert.body);
      assert.equal(await read(instanceB()), expected, `round ${round}: B still served the old price`);
    }
  });

  it('a stock adjustment on one instance is seen on the other at once (stock cache TTL 300 s here)', async () => {
    const sku = 'SAF-EAR-200';
    const onHand = async (instance: ServiceInstance) => {
      const reply = await post(instance.ordersUrl, 'GetStockLevels', soap11Digest(getStockLevels(sku), demo));
      assert.equal(reply.status, 200, reply.body);
      return Number(textOf(reply.body, 'onHand'));
    };
    const start = await onHand(instanceB());
    assert.equal(await onHand(instanceB()), start);
    const adjust = await post(instanceA().adminUrl, 'AdjustStock', soap11(adjustStock(sku, 7), admin));
    assert.equal(adjust.status, 200, adjust.body);
    assert.equal(await onHand(instanceB()), start + 7);
  });

  it('deploy/nginx.conf.example, run with local addresses: TLS, correlation id, SOAP 413 from nginx at the service limit', async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'po-e2e-nginx-example-'));
    const tls = (pki as TestPki).selfSigned('nginx-example', '/CN=partners.example.com');
    const port = await freePort();
    let text = fs.readFileSync(path.join(PROJECT_ROOT, 'deploy', 'nginx.conf.example'), 'utf8');
    text = substitute(text, 'user www-data;', process.getuid?.() === 0 ? 'user root;' : '');
    text = substitute(text, 'pid /run/nginx.pid;', `pid ${dir}/nginx.pid;`);
    text = substitute(text, /\/var\/log\/nginx\//g, `${dir}/`);
    text = substitute(
      text,
      'http {',
      `http {\n  client_body_temp_path ${dir}/body;\n  proxy_temp_path ${dir}/proxy;\n  fastcgi_temp_path ${dir}/fastcgi;\n  uwsgi_temp_path ${dir}/uwsgi;\n  scgi_temp_path ${dir}/scgi;`,
    );
    text = substitute(text, 'server 10.0.0.11:8080', `server 127.0.0.1:${instanceA().port}`);
    text = substitute(text, 'server 10.0.0.12:8080', `server 127.0.0.1:${instanceB().port}`);
    text = substitute(text, 'listen 443 ssl;', `listen 127.0.0.1:${port} ssl;`);
    text = substitute(text, '/etc/nginx/tls/partners.example.com.pem', tls.certPath);
    text = substitute(text, '/etc/nginx/tls/partners.example.com.key', tls.keyPath);
    const configPath = path.join(dir, 'nginx.conf');
    fs.writeFileSync(configPath, text);
    const check = spawnSync(NGINX_BINARY, ['-t', '-p', dir, '-c', configPath], { stdio: 'pipe' });
    assert.equal(check.status, 0, check.stderr.toString());
    const proxy = spawn(NGINX_BINARY, ['-p', dir, '-c', configPath, '-g', 'daemon off;'], {
      stdio: ['ignore', 'ignore', 'pipe'],
    });
    try {
      await waitForPort(port);
      const url = `https://127.0.0.1:${port}/soap/v1/orders`;
      const soapHeaders = {
        'Content-Type': 'text/xml; charset=utf-8',
        SOAPAction: '"urn:partner-orders:v1/GetProduct"',
      };

      const ok = await postTls(url, tls.certPem, soap11Digest(getProduct('FAS-SCR-4X40'), demo), soapHeaders);
      assert.equal(ok.status, 200, ok.body);
      assert.match(
        String(ok.headers['x-request-id']),
        /^[0-9a-f]{32}$/,
        'nginx $request_id reached the service and came back',
      );
      const kept = await postTls(url, tls.certPem, soap11Digest(getProduct('FAS-SCR-4X40'), demo), {
        ...soapHeaders,
        'X-Request-Id': 'partner-rid-1',
      });
      assert.equal(kept.headers['x-request-id'], 'partner-rid-1');

      // nginx's cap is the service's limit: one byte over gets the service's fault text from nginx, without
      // an instance being involved (an instance would reset the connection nginx is still sending on).
      const limit = 1024 * 1024;
      const envelopeOf = (size: number) => {
        const shell = soap11(searchProducts(''), demo);
        return shell.replace(
          '<po:text></po:text>',
          `<po:text>${'x'.repeat(size - Buffer.byteLength(shell))}</po:text>`,
        );
      };
      const atLimit = await postTls(url, tls.certPem, envelopeOf(limit), soapHeaders);
      assert.notEqual(atLimit.status, 413, 'a body of exactly the limit reaches the service');
      assert.equal(faultcode11(atLimit.body), 'soap:Client', atLimit.body.slice(0, 500));
      for (const size of [limit + 1, 3 * limit]) {
        const over = await postTls(url, tls.certPem, envelopeOf(size), soapHeaders);
        assert.equal(over.status, 413, `${size} bytes`);
        assert.match(String(over.headers['content-type']), /^text\/xml/);
        assert.match(
          over.body,
          /<faultcode>soap:Client<\/faultcode><faultstring xml:lang="en">Request body exceeds the limit of 1048576 bytes/,
        );
      }

      const log = fs.readFileSync(path.join(dir, 'partner-orders.access.log'), 'utf8');
      assert.match(log, /upstream=127\.0\.0\.1:\d+ upstream_status=200 rid=partner-rid-1/);
    } finally {
      await stopProcess(proxy, 'SIGQUIT', 3000);
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });

  it('SIGKILL of one instance under load: no acknowledged order is lost, clients see only retriable failures', async function () {
    this.timeout(60_000);
    const lines = [
      { sku: 'PLB-TAPE-PTFE', quantity: 1 },
      { sku: 'PCK-TAPE-50', quantity: 2 },
    ];
    for (const line of lines) {
      const adjust = await post(instanceA().adminUrl, 'AdjustStock', soap11(adjustStock(line.sku, 1_000_000), admin));
      assert.equal(adjust.status, 200, adjust.body);
    }

    // Retriable: the request may or may not have been processed, and resending the same partnerOrderRef is
    // safe (SubmitOrder is idempotent per partner and reference). Anything else fails the test.
    //  - a network error between client and nginx (connection reset, socket closed);
    //  - 502 Bad Gateway / 504 Gateway Timeout: the instance died or stalled with the request;
    //  - 503: no instance available, or the service's Server fault "Service temporarily unavailable".
    const retriable = (reply: Reply): string | undefined => {
      if (reply.status === 502 || reply.status === 504) return `HTTP ${reply.status}`;
      if (reply.status === 503) {
        const code = faultcode11(reply.body);
        if (code === undefined) return 'HTTP 503';
        if (code === 'soap:Server' && /temporarily unavailable/.test(reply.body))
          return 'Server fault: temporarily unavailable';
      }
      return undefined;
    };

    const acknowledged = new Map<string, { orderId: string; by: string }>();
    const failures = new Map<string, number>();
    const unexpected: string[] = [];
    const count = (kind: string) => failures.set(kind, (failures.get(kind) ?? 0) + 1);
    const started = Date.now();
    let retriesTotal = 0;

    const client = async (index: number) => {
      let sequence = 0;
      while (Date.now() - started < LOAD_MS && unexpected.length === 0) {
        const ref = `e2e-${runId}-${index}-${sequence++}`;
        for (let attempt = 1; ; attempt++) {
          if (attempt > 40) {
            unexpected.push(`${ref}: not acknowledged after 40 attempts`);
            return;
          }
          let reply: Reply;
          try {
            // Every attempt is a new message (fresh nonce) carrying the same partnerOrderRef.
            reply = await post(gateway(), 'SubmitOrder', soap11Digest(submitOrder(ref, lines), demo));
          } catch (error) {
            count(`network: ${(error as { cause?: { code?: string } }).cause?.code ?? String(error)}`);
            retriesTotal++;
            await sleep(50);
            continue;
          }
          if (reply.status === 200) {
            const orderId = textOf(reply.body, 'orderId');
            if (orderId === undefined) unexpected.push(`${ref}: 200 without orderId: ${reply.body.slice(0, 300)}`);
            else acknowledged.set(ref, { orderId, by: nameOf(upstreamOf(reply)) });
            break;
          }
          const kind = retriable(reply);
          if (kind === undefined) {
            unexpected.push(`${ref}: HTTP ${reply.status} ${reply.body.slice(0, 300)}`);
            return;
          }
          count(kind);
          retriesTotal++;
          await sleep(50);
        }
      }
    };

    const load = Promise.all(Array.from({ length: LOAD_CLIENTS }, (_, i) => client(i)));
    await sleep(KILL_AFTER_MS);
    const ackedByBBeforeKill = [...acknowledged.values()].filter((o) => o.by === 'B').length;
    instanceB().child.kill('SIGKILL');
    await load;
    const elapsed = Date.now() - started;

    const ackedBy = (name: string) => [...acknowledged.values()].filter((o) => o.by === name).length;
    const summary =
      `${acknowledged.size} orders acknowledged in ${elapsed} ms (A ${ackedBy('A')}, B ${ackedBy('B')}); ` +
      `retriable failures ${JSON.stringify(Object.fromEntries(failures))}; retries ${retriesTotal}`;
    process.stderr.write(`      [load] ${summary}\n`);
    assert.deepEqual(unexpected, [], summary);
    assert.equal(instanceB().child.signalCode, 'SIGKILL');
    assert.ok(ackedByBBeforeKill > 0, `B acknowledged orders before it was killed (${summary})`);
    assert.ok(ackedBy('A') > ackedByBBeforeKill, summary);

    // Every acknowledged order is there with all its lines, read back from the survivor.
    for (const [ref, { orderId }] of acknowledged) {
      const reply = await post(instanceA().ordersUrl, 'GetOrder', soap11Digest(getOrder(orderId), demo));
      assert.equal(reply.status, 200, `acknowledged order ${orderId} (${ref}) is missing: ${reply.body}`);
      assert.equal(textOf(reply.body, 'partnerOrderRef'), ref);
      assert.deepEqual(
        textsOf(reply.body, 'sku'),
        lines.map((l) => l.sku),
        `lines of ${orderId}`,
      );
      assert.deepEqual(
        textsOf(reply.body, 'quantity').map(Number),
        lines.map((l) => l.quantity),
        `quantities of ${orderId}`,
      );
    }
    // Retried submissions made no second orders and no order exists that its client was not told about:
    // the run's orders in the database are exactly the acknowledged ones.
    const db = openDatabase({ url: (scratch as ScratchDatabase).options.url });
    try {
      const rows: { partner_order_ref: string; id: string }[] = await db
        .knex('orders')
        .where('partner_order_ref', 'like', `e2e-${runId}-%`)
        .select('partner_order_ref', 'id');
      assert.deepEqual(
        new Map(rows.map((row) => [row.partner_order_ref, String(row.id)])),
        new Map([...acknowledged].map(([ref, { orderId }]) => [ref, orderId])),
      );
    } finally {
      await db.close();
    }

    // The survivor keeps serving through nginx.
    const after = await post(gateway(), 'GetProduct', soap11(getProduct('FAS-SCR-4X40'), demo));
    assert.equal(after.status, 200, after.body);
    assert.equal(nameOf(upstreamOf(after)), 'A');
  });
});

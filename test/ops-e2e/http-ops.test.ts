// The ops layer over HTTP through the real app (createApp + startServer, or a `partner-orders serve`
// process where logs and signals matter): throttling of N+5 requests, cache invalidation of catalog and
// stock, the /metrics families after real traffic, /readyz following the database (cut and restored
// through a TCP proxy), X-Request-Id and WS-Addressing MessageID as the correlation id in the access log,
// and graceful shutdown on SIGTERM finishing a request in flight.
import assert from 'node:assert/strict';
import fs from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import type { AppConfig } from '../../src/config';
import { prepareDatabase, startServer, type RunningServer } from '../../src/server';
import { createScratchDatabase, type ScratchDatabase } from '../db/harness';
import { TcpProxy } from '../db/tcp-proxy';
import { merge, testConfig } from '../ops/test-config';
import { soap11, startTestApp, type TestApp } from '../support/app-server';
import { exited, sleep, startService, stopProcess, PROJECT_ROOT, type ServiceInstance } from './support/processes';
import {
  adjustStock,
  faultcode11,
  getProduct,
  getStockLevels,
  post,
  searchProducts,
  soap11Digest,
  soap12,
  submitOrder,
  textOf,
  upsertProduct,
  type Reply,
} from './support/soap';

const metricsOf = async (baseUrl: string) => (await fetch(`${baseUrl}/metrics`)).text();
const sample = (text: string, series: string): number | undefined => {
  const escaped = series.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
  const match = new RegExp(`^${escaped} ([0-9.e+-]+)$`, 'm').exec(text);
  return match ? Number(match[1]) : undefined;
};

describe('ops e2e: over HTTP through the real app', function () {
  this.timeout(60_000);

  describe('rate limit', () => {
    const POINTS = 6;
    let app: TestApp;
    before(async () => {
      app = await startTestApp({ config: { rateLimits: { partner: { points: POINTS, durationSeconds: 60 } } } });
    });
    after(async () => app?.close());

    it('N+5 requests from one partner: the first N pass, exactly 5 get a 429 Client fault with Retry-After', async () => {
      const replies: Reply[] = [];
      for (let i = 0; i < POINTS + 5; i++)
        replies.push(await post(app.ordersUrl, 'GetProduct', soap11Digest(getProduct('FAS-SCR-4X40'), app.demo)));
      assert.deepEqual(
        replies.map((r) => r.status),
        [...Array(POINTS).fill(200), ...Array(5).fill(429)],
      );
      for (const reply of replies.slice(POINTS)) {
        const retryAfter = Number(reply.headers.get('retry-after'));
        assert.ok(
          Number.isInteger(retryAfter) && retryAfter >= 1 && retryAfter <= 60,
          `Retry-After ${reply.headers.get('retry-after')}`,
        );
        assert.equal(faultcode11(reply.body), 'soap:Client');
        assert.match(reply.body, /Request rate limit exceeded for partner demo \(6 per 60 s\); retry after \d+ s/);
      }
      const reply12 = await post(app.ordersUrl, 'GetProduct', soap12(getProduct('FAS-SCR-4X40'), app.demo), {
        'Content-Type': 'application/soap+xml; charset=utf-8; action="urn:partner-orders:v1/GetProduct"',
      });
      assert.equal(reply12.status, 429);
      assert.match(
        reply12.body,
        /<soap:Subcode><soap:Value xmlns:ops="urn:partner-orders:ops">ops:RequestRateExceeded<\/soap:Value><\/soap:Subcode>/,
      );
      const metrics = await metricsOf(app.baseUrl);
      assert.equal(sample(metrics, 'rate_limit_rejections_total{limiter="partner"}'), 6);
    });
  });

  describe('catalog and stock caches', () => {
    let app: TestApp;
    before(async () => {
      app = await startTestApp({ config: { cache: { catalog: { ttlSeconds: 300 }, stock: { ttlSeconds: 300 } } } });
    });
    after(async () => app?.close());

    const hitsOf = async (cache: string) =>
      sample(await metricsOf(app.baseUrl), `cache_requests_total{cache="${cache}",result="hit"}`) ?? 0;

    it('GetProduct is served from the cache until UpsertProduct invalidates it; SearchProducts too', async () => {
      const read = async () =>
        textOf(
          (await post(app.ordersUrl, 'GetProduct', soap11Digest(getProduct('TLS-SAW-550'), app.demo))).body,
          'unitPrice',
        );
      const search = async () =>
        (await post(app.ordersUrl, 'SearchProducts', soap11Digest(searchProducts('saw'), app.demo))).body;
      assert.equal(await read(), '21.90');
      assert.match(await search(), /Hand saw 550 mm, hardened teeth/);
      const hits = await hitsOf('catalog');
      assert.equal(await read(), '21.90');
      assert.match(await search(), /Hand saw 550 mm, hardened teeth/);
      assert.equal(await hitsOf('catalog'), hits + 2, 'both repeated reads were cache hits');

      const upsert = await post(
        app.adminUrl,
        'UpsertProduct',
        soap11(upsertProduct('TLS-SAW-550', 'Hand saw 550 mm, induction-hardened teeth', 'Tools', '23.40'), app.admin),
      );
      assert.equal(upsert.status, 200, upsert.body);
      assert.equal(await read(), '23.40');
      assert.match(await search(), /Hand saw 550 mm, induction-hardened teeth/);
    });

    it('GetStockLevels is served from the cache until AdjustStock invalidates it', async () => {
      const onHand = async () =>
        Number(
          textOf(
            (await post(app.ordersUrl, 'GetStockLevels', soap11Digest(getStockLevels('OFF-LBL-100'), app.demo))).body,
            'onHand',
          ),
        );
      assert.equal(await onHand(), 240);
      const hits = await hitsOf('stock');
      assert.equal(await onHand(), 240);
      assert.equal(await hitsOf('stock'), hits + 1);
      const adjust = await post(app.adminUrl, 'AdjustStock', soap11(adjustStock('OFF-LBL-100', -15), app.admin));
      assert.equal(adjust.status, 200, adjust.body);
      assert.equal(await onHand(), 225);
    });
  });

  describe('metrics and default stock freshness', () => {
    let app: TestApp;
    before(async () => {
      app = await startTestApp({
        config: {
          metrics: { collectDefaultMetrics: true },
          rateLimits: { operations: { ListOrders: { points: 1, durationSeconds: 60 } } },
        },
      });
    });
    after(async () => app?.close());

    it('with the default stock TTL (0) an order reserving stock shows in the next GetStockLevels', async () => {
      const available = async () => {
        const reply = await post(
          app.ordersUrl,
          'GetStockLevels',
          soap11Digest(getStockLevels('CLN-RAG-10KG'), app.demo),
        );
        assert.equal(reply.status, 200, reply.body);
        return Number(textOf(reply.body, 'available'));
      };
      const before = await available();
      const order = await post(
        app.ordersUrl,
        'SubmitOrder',
        soap11Digest(submitOrder('metrics-1', [{ sku: 'CLN-RAG-10KG', quantity: 3 }]), app.demo),
      );
      assert.equal(order.status, 200, order.body);
      assert.equal(await available(), before - 3);
    });

    it('/metrics shows requests, latency, in-flight, faults by code, WS-Security failures, rejections, cache and pool', async () => {
      // Traffic of every kind: ok, cached reads, a schema fault, an authentication failure, a throttled call.
      for (let i = 0; i < 2; i++)
        assert.equal(
          (await post(app.ordersUrl, 'GetProduct', soap11Digest(getProduct('FAS-WSH-M8'), app.demo))).status,
          200,
        );
      const invalid = await post(
        app.ordersUrl,
        'GetProduct',
        soap11Digest('<po:GetProductRequest><po:sku>not a sku!</po:sku></po:GetProductRequest>', app.demo),
      );
      assert.equal(faultcode11(invalid.body), 'soap:Client', invalid.body);
      const badPassword = await post(
        app.ordersUrl,
        'GetProduct',
        soap11(getProduct('FAS-WSH-M8'), { username: 'demo', password: 'wrong-password' }),
      );
      assert.equal(faultcode11(badPassword.body), 'wsse:FailedAuthentication');
      const listOrders = () => post(app.ordersUrl, 'ListOrders', soap11Digest('<po:ListOrdersRequest/>', app.demo));
      assert.equal((await listOrders()).status, 200);
      const throttled = await listOrders();
      assert.equal(throttled.status, 429, throttled.body);

      const text = await metricsOf(app.baseUrl);
      const service = 'service="PartnerOrderService"';
      assert.ok((sample(text, `soap_requests_total{${service},operation="GetProduct",outcome="ok"}`) ?? 0) >= 2, text);
      assert.ok((sample(text, `soap_requests_total{${service},operation="GetProduct",outcome="fault"}`) ?? 0) >= 2);
      assert.ok(
        (sample(text, `soap_request_duration_seconds_count{${service},operation="GetProduct",outcome="ok"}`) ?? 0) >= 2,
      );
      assert.match(
        text,
        /^soap_request_duration_seconds_bucket\{le="0\.005",service="PartnerOrderService",operation="GetProduct",outcome="ok"\} \d+$/m,
      );
      assert.match(
        text,
        /^soap_request_duration_seconds_sum\{service="PartnerOrderService",operation="GetProduct",outcome="ok"\} [0-9.e-]+$/m,
      );
      assert.equal(sample(text, `soap_requests_in_flight{${service}}`), 0);
      assert.equal(sample(text, 'soap_faults_total{code="Sender",subcode="FailedAuthentication"}'), 1);
      assert.equal(sample(text, 'soap_faults_total{code="Sender",subcode="RequestRateExceeded"}'), 1);
      assert.ok((sample(text, 'soap_faults_total{code="Sender",subcode=""}') ?? 0) >= 1, 'the schema fault');
      assert.equal(sample(text, 'wssec_failures_total{reason="FailedAuthentication"}'), 1);
      assert.equal(sample(text, 'rate_limit_rejections_total{limiter="operation"}'), 1);
      assert.ok((sample(text, 'cache_requests_total{cache="catalog",result="hit"}') ?? 0) >= 1);
      assert.ok((sample(text, 'cache_requests_total{cache="catalog",result="miss"}') ?? 0) >= 1);
      for (const state of ['used', 'free', 'pending', 'creating'])
        assert.notEqual(sample(text, `db_pool_connections{pool="default",state="${state}"}`), undefined, state);
      assert.ok((sample(text, 'process_resident_memory_bytes') ?? 0) > 0);
      assert.match(text, /^nodejs_eventloop_lag_seconds [0-9.e-]+$/m);
    });
  });

  describe('readiness follows the database', () => {
    let scratch: ScratchDatabase | undefined;
    let proxy: TcpProxy | undefined;
    let running: RunningServer | undefined;
    let baseUrl: string;

    before(async () => {
      scratch = await createScratchDatabase('postgres');
      const direct = new URL(scratch.options.url as string);
      proxy = new TcpProxy(direct.hostname, Number(direct.port || 5432));
      const port = await proxy.start();
      const viaProxy = new URL(direct.toString());
      viaProxy.port = String(port);
      const config: AppConfig = testConfig(
        merge({ database: { url: viaProxy.toString(), acquireTimeoutMs: 1000 } }, { health: { checkTimeoutMs: 1000 } }),
      );
      await prepareDatabase(config, PROJECT_ROOT, 'test');
      running = await startServer(config, { port: 0, host: '127.0.0.1', exitOnShutdown: false });
      baseUrl = `http://127.0.0.1:${running.address.port}`;
    });

    after(async () => {
      await running?.stop();
      await proxy?.stop();
      await scratch?.drop();
    });

    const readyz = async () => {
      const response = await fetch(`${baseUrl}/readyz`);
      return {
        status: response.status,
        body: (await response.json()) as { status: string; checks: Record<string, { status: string; error?: string }> },
      };
    };

    it('/readyz is 200 with the database up, 503 while it is unreachable, 200 again when it returns; /healthz stays 200', async () => {
      const up = await readyz();
      assert.equal(up.status, 200);
      assert.equal(up.body.checks.database?.status, 'ok');

      await (proxy as TcpProxy).stop();
      const down = await readyz();
      assert.equal(down.status, 503);
      assert.equal(down.body.status, 'not-ready');
      assert.equal(down.body.checks.database?.status, 'fail');
      assert.equal((await fetch(`${baseUrl}/healthz`)).status, 200, 'the process itself is alive');
      // A SOAP call meanwhile gets a retriable answer, not a hang or a stack trace.
      const call = await post(
        `${baseUrl}/soap/v1/orders`,
        'GetProduct',
        soap11Digest(getProduct('FAS-SCR-4X40'), { username: 'demo', password: 'demo-password-2026' }),
      );
      assert.equal(call.status, 503, call.body);
      assert.equal(call.headers.get('retry-after'), '5');
      assert.equal(faultcode11(call.body), 'soap:Server', call.body);
      assert.match(call.body, /<faultstring xml:lang="en">Service temporarily unavailable<\/faultstring>/);
      assert.doesNotMatch(call.body, /\bat .*:\d+:\d+|ECONNREFUSED|knex|\.ts:/);

      await (proxy as TcpProxy).start();
      let again = await readyz();
      for (let i = 0; i < 20 && again.status !== 200; i++) {
        await sleep(100);
        again = await readyz();
      }
      assert.equal(again.status, 200, JSON.stringify(again.body));
      const reply = await post(
        `${baseUrl}/soap/v1/orders`,
        'GetProduct',
        soap11Digest(getProduct('FAS-SCR-4X40'), { username: 'demo', password: 'demo-password-2026' }),
      );
      assert.equal(reply.status, 200, reply.body);
    });
  });

  describe('a serve process: correlation ids in the access log, graceful shutdown', () => {
    let server: ServiceInstance | undefined;
    let dir: string | undefined;
    const demo = { username: 'demo', password: 'demo-password-2026' };
    const instance = () => server as ServiceInstance;

    before(async () => {
      dir = fs.mkdtempSync(path.join(os.tmpdir(), 'po-e2e-serve-'));
      server = await startService({
        name: 'serve',
        env: {
          DATABASE_URL: undefined,
          REDIS_URL: undefined,
          SQLITE_FILENAME: path.join(dir, 'service.sqlite'),
          LOG_LEVEL: 'info',
          NODE_CONFIG: JSON.stringify({ server: { shutdownGraceMs: 5000 } }),
        },
      });
    });

    after(async () => {
      if (server) await stopProcess(server.child, 'SIGKILL');
      if (dir) fs.rmSync(dir, { recursive: true, force: true });
    });

    const accessLine = async (requestId: string) => {
      for (let i = 0; i < 20; i++) {
        const line = instance()
          .logLines()
          .find((l) => l.type === 'access' && l.requestId === requestId);
        if (line) return line;
        await sleep(50);
      }
      assert.fail(`no access log line with requestId ${requestId}:\n${instance().output().slice(-2000)}`);
    };

    it('X-Request-Id is echoed and logged; a WS-Addressing MessageID takes precedence; without either one is generated', async () => {
      const fromHeader = await post(
        instance().ordersUrl,
        'GetProduct',
        soap11Digest(getProduct('FAS-SCR-4X40'), demo),
        { 'X-Request-Id': 'e2e-req-4711' },
      );
      assert.equal(fromHeader.status, 200);
      assert.equal(fromHeader.headers.get('x-request-id'), 'e2e-req-4711');
      const line = await accessLine('e2e-req-4711');
      assert.equal(line.operation, 'GetProduct');
      assert.equal(line.partner, 'demo');
      assert.equal(line.outcome, 'ok');
      assert.equal(line.soapVersion, '1.1');
      assert.equal(line.status, 200);
      assert.equal(typeof line.durationMs, 'number');
      assert.ok((line.bytesIn as number) > 0 && (line.bytesOut as number) > 0);

      const messageId = 'urn:uuid:6b1e8f5c-1d2a-4c3b-9e8f-7a6b5c4d3e2f';
      const withAddressing = soap11Digest(getProduct('FAS-SCR-4X40'), demo).replace(
        '<soapenv:Header>',
        // WS-Addressing 1.0: once any addressing header is present, wsa:Action is required too.
        `<soapenv:Header><wsa:Action xmlns:wsa="http://www.w3.org/2005/08/addressing">urn:partner-orders:v1/GetProduct</wsa:Action>` +
          `<wsa:MessageID xmlns:wsa="http://www.w3.org/2005/08/addressing">${messageId}</wsa:MessageID>`,
      );
      const fromMessageId = await post(instance().ordersUrl, 'GetProduct', withAddressing, {
        'X-Request-Id': 'e2e-req-ignored',
      });
      assert.equal(fromMessageId.status, 200, fromMessageId.body);
      assert.equal(fromMessageId.headers.get('x-request-id'), messageId);
      assert.equal((await accessLine(messageId)).operation, 'GetProduct');

      const fault = await post(
        instance().ordersUrl,
        'GetProduct',
        soap11(getProduct('FAS-SCR-4X40'), { username: 'demo', password: 'wrong' }),
      );
      const generated = fault.headers.get('x-request-id') ?? '';
      assert.match(generated, /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/);
      const faultLine = await accessLine(generated);
      assert.equal(faultLine.outcome, 'fault');
      assert.equal(faultLine.faultCode, 'Sender');
      assert.match(String(faultLine.faultSubcode), /FailedAuthentication$/);
      assert.doesNotMatch(
        JSON.stringify(instance().logLines()),
        /wrong<\/wsse:Password>|demo-password-2026/,
        'no password in the log at info level',
      );
    });

    it('SIGTERM while a request is in flight: the request completes, new connections are refused, exit code 0', async () => {
      const body = Buffer.from(soap11Digest(getProduct('TLS-TAP-5M'), demo));
      const half = Math.floor(body.length / 2);
      const socket = net.connect(instance().port, '127.0.0.1');
      await new Promise<void>((resolve, reject) => {
        socket.once('connect', () => resolve());
        socket.once('error', reject);
      });
      const received: Buffer[] = [];
      socket.on('data', (chunk: Buffer) => received.push(chunk));
      const closed = new Promise<void>((resolve) => socket.once('close', () => resolve()));
      // Headers and half the body: the request is in flight (the server is reading it) when SIGTERM comes.
      socket.write(
        `POST /soap/v1/orders HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: text/xml; charset=utf-8\r\n` +
          `SOAPAction: "urn:partner-orders:v1/GetProduct"\r\nContent-Length: ${body.length}\r\n\r\n`,
      );
      socket.write(body.subarray(0, half));
      await sleep(200);

      instance().child.kill('SIGTERM');
      await sleep(500);
      assert.equal(instance().child.exitCode, null, 'still running while the request is in flight');
      const refused = await fetch(`${instance().url}/healthz`).then(
        () => 'answered',
        (error: { cause?: { code?: string } }) => error.cause?.code ?? 'error',
      );
      assert.equal(refused, 'ECONNREFUSED', 'no new connections once shutdown began');

      socket.write(body.subarray(half));
      await closed;
      const response = Buffer.concat(received).toString('utf8');
      assert.match(response, /^HTTP\/1\.1 200 OK\r\n/, response);
      assert.match(response, /\r\nConnection: close\r\n/i);
      assert.match(response, /<tns:sku>TLS-TAP-5M<\/tns:sku>/);

      await exited(instance().child);
      assert.equal(instance().child.exitCode, 0, instance().output().slice(-2000));
      const events = instance()
        .logLines()
        .map((l) => l.message);
      assert.ok(
        events.includes('shutdown started') && events.includes('shutdown complete'),
        JSON.stringify(events.slice(-5)),
      );
    });
  });
});

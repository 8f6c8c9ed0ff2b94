// The ops interceptors running inside the real engine over HTTP: rate limiting (429 + Retry-After in the
// fault), metrics at /metrics, one access line per request, deprecation headers, health endpoints.
import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import type { AddressInfo } from 'node:net';
import type { Server } from 'node:http';
import path from 'node:path';
import { PassThrough } from 'node:stream';
import express from 'express';
import { createSoapEndpoint, type SoapInterceptor, soapRouterFor } from '../../src/soap';
import { createHealth } from '../../src/ops/health';
import { accessLogInterceptor, createLogger } from '../../src/ops/logging';
import { createMetrics, metricsHandler, metricsInterceptor } from '../../src/ops/metrics';
import { createRateLimiter } from '../../src/ops/rate-limit';
import { deprecationInterceptor } from '../../src/ops/deprecation';
import { MINI_NS, miniContract, type MiniHandlers } from '../soap/runtime/mini-contract';

const handlers: MiniHandlers = {
  async ping(request) {
    return { text: request.text };
  },
  async other() {
    return {};
  },
  async notify() {},
};

/** Stands in for the WS-Security interceptor: the partner id comes from a test header. */
const testAuthentication: SoapInterceptor = {
  name: 'test-authentication',
  handleRequest(exchange) {
    const id = exchange.request.httpHeaders['x-test-partner'];
    if (typeof id === 'string') exchange.principal = { id, name: `Partner ${id}`, roles: ['partner'] };
  },
};

const envelope11 = (text: string) =>
  `<soap:Envelope xmlns:soap="http://schemas.xmlsoap.org/soap/envelope/"><soap:Body><m:Ping xmlns:m="${MINI_NS}"><m:text>${text}</m:text></m:Ping></soap:Body></soap:Envelope>`;
const envelope12 = (text: string) =>
  `<env:Envelope xmlns:env="http://www.w3.org/2003/05/soap-envelope"><env:Body><m:Ping xmlns:m="${MINI_NS}"><m:text>${text}</m:text></m:Ping></env:Body></env:Envelope>`;

describe('ops interceptors inside the engine, over HTTP', () => {
  const POINTS = 8;
  const lines: Record<string, unknown>[] = [];
  const metrics = createMetrics({ collectDefaultMetrics: false });
  let server: Server;
  let base: string;

  before(async () => {
    const stream = new PassThrough();
    stream.on('data', (chunk: Buffer) => {
      for (const line of chunk.toString().split('\n'))
        if (line.trim()) lines.push(JSON.parse(line) as Record<string, unknown>);
    });
    const logger = createLogger({ level: 'info' }, { stream });
    const limiter = createRateLimiter({
      limits: {
        partner: { points: POINTS, durationSeconds: 60, maxInFlight: 5 },
        operation: { points: 1000, durationSeconds: 60 },
        operations: {},
        unauthenticated: { points: 1000, durationSeconds: 60, maxInFlight: 5 },
      },
      keyPrefix: `test:${randomUUID()}`,
      onReject: (throttle) => metrics.recordRateLimitRejection(throttle),
    });
    const endpoint = createSoapEndpoint({
      contract: miniContract,
      service: 'MiniService',
      handlers,
      interceptors: [
        metricsInterceptor(metrics, { service: 'mini' }),
        accessLogInterceptor(logger, { service: 'mini' }),
        deprecationInterceptor({
          version: 'v1',
          policy: { deprecated: true, deprecatedSince: '2026-07-01', sunset: '2027-06-30', link: null },
        }),
        testAuthentication,
        limiter.interceptor,
      ],
      logger,
      documentRoot: path.join(__dirname, '..', '..'),
    });
    const health = createHealth({ checks: { database: async () => undefined } });
    const app = express();
    app.get('/healthz', health.healthz);
    app.get('/readyz', health.readyz);
    app.get('/metrics', metricsHandler(metrics));
    app.use('/soap/mini', soapRouterFor(endpoint));
    server = app.listen(0, '127.0.0.1');
    await new Promise((resolve) => server.once('listening', resolve));
    base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  });
  after(async () => {
    server.closeAllConnections();
    await new Promise((resolve) => server.close(resolve));
  });

  const post11 = (partnerId: string, text: string) =>
    fetch(`${base}/soap/mini`, {
      method: 'POST',
      headers: {
        'Content-Type': 'text/xml; charset=utf-8',
        SOAPAction: '"urn:mini/Ping"',
        'X-Test-Partner': partnerId,
        'X-Request-Id': `req-${text}`,
      },
      body: envelope11(text),
    });

  it('N+5 requests over HTTP give exactly 5 SOAP faults with HTTP 429 and Retry-After', async () => {
    const replies = [];
    for (let i = 0; i < POINTS + 5; i++) {
      const response = await post11('acme', `n${i}`);
      replies.push({
        status: response.status,
        retryAfter: response.headers.get('retry-after'),
        body: await response.text(),
      });
    }
    assert.deepEqual(
      replies.map((r) => r.status),
      [...Array(POINTS).fill(200), ...Array(5).fill(429)],
    );
    for (const reply of replies.slice(POINTS)) {
      assert.ok(Number(reply.retryAfter) >= 1 && Number(reply.retryAfter) <= 60, `Retry-After ${reply.retryAfter}`);
      assert.match(reply.body, /<faultcode>soap:Client<\/faultcode>|<faultcode>[^<]*Client<\/faultcode>/);
      assert.match(reply.body, /Request rate limit exceeded for partner Partner acme/);
    }
    // SOAP 1.2 carries the throttle as a Subcode.
    const response = await fetch(`${base}/soap/mini`, {
      method: 'POST',
      headers: {
        'Content-Type': 'application/soap+xml; charset=utf-8; action="urn:mini/Ping"',
        'X-Test-Partner': 'acme',
      },
      body: envelope12('v12'),
    });
    assert.equal(response.status, 429);
    assert.ok(response.headers.get('retry-after'));
    const body = await response.text();
    assert.match(body, /Sender<\/\w+:Value>/);
    assert.match(body, /RequestRateExceeded/);
    assert.match(body, /urn:partner-orders:ops/);
  });

  it('exposes the request metrics and rate-limit rejections at /metrics', async () => {
    const text = await (await fetch(`${base}/metrics`)).text();
    assert.match(text, new RegExp(`soap_requests_total\\{service="mini",operation="Ping",outcome="ok"\\} ${POINTS}`));
    assert.match(text, /soap_requests_total\{service="mini",operation="Ping",outcome="fault"\} 6/);
    assert.match(text, /soap_faults_total\{code="Sender",subcode="RequestRateExceeded"\} 6/);
    assert.match(text, /rate_limit_rejections_total\{limiter="partner"\} 6/);
    assert.match(text, /soap_requests_in_flight\{service="mini"\} 0/);
  });

  it('wrote one access line per request with the correlation id and fields', () => {
    const access = lines.filter((l) => l.message === 'access');
    assert.equal(access.length, POINTS + 6);
    const first = access[0];
    assert.equal(first.operation, 'Ping');
    assert.equal(first.partner, 'Partner acme');
    assert.equal(first.soapVersion, '1.1');
    assert.equal(first.outcome, 'ok');
    assert.equal(first.status, 200);
    assert.equal(first.requestId, 'req-n0');
    assert.ok(Number(first.bytesIn) > 0 && Number(first.bytesOut) > 0);
    const throttled = access[POINTS];
    assert.equal(throttled.outcome, 'fault');
    assert.equal(throttled.status, 429);
    assert.equal(throttled.faultCode, 'Sender');
    assert.equal(throttled.faultSubcode, '{urn:partner-orders:ops}RequestRateExceeded');
  });

  it('adds the deprecation headers to SOAP responses of a deprecated version', async () => {
    const response = await post11('other-partner', 'dep');
    assert.equal(response.status, 200);
    assert.equal(response.headers.get('deprecation'), '@1782864000');
    assert.equal(response.headers.get('sunset'), 'Wed, 30 Jun 2027 00:00:00 GMT');
  });

  it('serves /healthz and /readyz next to the endpoint', async () => {
    assert.equal((await fetch(`${base}/healthz`)).status, 200);
    assert.equal((await fetch(`${base}/readyz`)).status, 200);
  });
});

// Tracing through the real app (createApp over a scratch SQLite database, node:http), with OpenTelemetry's
// in-memory exporter: an incoming W3C traceparent is continued; there is a SERVER span for the request, a
// span per interceptor phase, one for the handler and one per database query, each in the request's trace
// and nested where it ran; the trace id is in the log lines and is the correlation id (X-Request-Id and a
// generic fault's reference). Off by default. With tracing.otlpEndpoint the spans reach an OTLP/HTTP
// collector (a local HTTP server standing in for one).
import assert from 'node:assert/strict';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import os from 'node:os';
import path from 'node:path';
import fs from 'node:fs';
import { Writable } from 'node:stream';
import { InMemorySpanExporter, type ReadableSpan } from '@opentelemetry/sdk-trace-node';
import { createApp, type App } from '../../src/app';
import { createLogger } from '../../src/ops/logging';
import { DEV_DEMO_PASSWORDS, prepareDatabase } from '../../src/server';
import { soap11 } from '../support/app-server';
import { merge, testConfig } from './test-config';

const TRACE_ID = '4bf92f3577b34da6a3ce929d0e0e4736';
const PARENT_SPAN_ID = '00f067aa0ba902b7';
const demo = { username: 'demo', password: DEV_DEMO_PASSWORDS.demo };
const getProduct = (sku: string) => `<po:GetProductRequest><po:sku>${sku}</po:sku></po:GetProductRequest>`;

interface Running {
  app: App;
  url: string;
  lines: Record<string, unknown>[];
  close(): Promise<void>;
}

async function start(patch: unknown, exporter?: InMemorySpanExporter): Promise<Running> {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'po-tracing-'));
  const config = testConfig(
    merge(
      { database: { url: null, sqlite: { filename: path.join(dir, 'orders.sqlite') } }, logging: { level: 'info' } },
      patch,
    ),
  );
  await prepareDatabase(config, process.cwd(), 'test');
  const lines: Record<string, unknown>[] = [];
  const stream = new Writable({
    write(chunk: Buffer, _encoding, done) {
      for (const line of chunk.toString('utf8').split('\n'))
        if (line.trim() !== '') lines.push(JSON.parse(line) as Record<string, unknown>);
      done();
    },
  });
  const app = await createApp({
    config,
    logger: createLogger(config.logging, { stream }),
    tracingExporter: exporter,
    migrate: false,
  });
  const server = http.createServer(app.requestListener);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    app,
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    lines,
    async close() {
      await new Promise((resolve) => server.close(resolve));
      await app.close();
      fs.rmSync(dir, { recursive: true, force: true });
    },
  };
}

function post(url: string, headers: Record<string, string> = {}): Promise<Response> {
  return fetch(`${url}/soap/v1/orders`, {
    method: 'POST',
    headers: {
      'Content-Type': 'text/xml; charset=utf-8',
      SOAPAction: '"urn:partner-orders:v1/GetProduct"',
      ...headers,
    },
    body: soap11(getProduct('FAS-SCR-4X40'), demo),
  });
}

const parentOf = (span: ReadableSpan) => span.parentSpanContext?.spanId;
const idOf = (span: ReadableSpan) => span.spanContext().spanId;

/** Whether `span` is `ancestor` or lies below it. */
function descendsFrom(span: ReadableSpan, ancestor: ReadableSpan, all: readonly ReadableSpan[]): boolean {
  for (
    let current: ReadableSpan | undefined = span;
    current !== undefined;
    current = all.find((s) => idOf(s) === parentOf(current as ReadableSpan))
  ) {
    if (idOf(current) === idOf(ancestor)) return true;
  }
  return false;
}

describe('ops/tracing (OpenTelemetry, in-memory exporter)', function () {
  this.timeout(30_000);
  let running: Running | undefined;
  afterEach(async () => {
    await running?.close();
    running = undefined;
  });

  it('continues a W3C traceparent: request, interceptor, handler and query spans in one trace, nested where they ran', async () => {
    const exporter = new InMemorySpanExporter();
    running = await start({ tracing: { enabled: true } }, exporter);
    const response = await post(running.url, { traceparent: `00-${TRACE_ID}-${PARENT_SPAN_ID}-01` });
    assert.equal(response.status, 200, await response.text());
    assert.equal(response.headers.get('x-request-id'), TRACE_ID, 'the correlation id is the trace id');

    const spans = exporter.getFinishedSpans();
    assert.ok(spans.length > 0);
    for (const span of spans) assert.equal(span.spanContext().traceId, TRACE_ID, span.name);
    const request = spans.find((s) => s.name === 'POST /soap/v1/orders');
    assert.ok(request, spans.map((s) => s.name).join(', '));
    assert.equal(parentOf(request), PARENT_SPAN_ID, 'the request span is a child of the caller span');
    assert.equal(request.attributes['http.response.status_code'], 200);

    const names = spans.map((s) => s.name);
    for (const expected of [
      'interceptor metrics handleRequest',
      'interceptor ws-security handleRequest',
      'interceptor rate-limit handleRequest',
      'interceptor ws-security handleResponse',
    ]) {
      assert.ok(names.includes(expected), `${expected} in ${names.join(', ')}`);
    }
    const handler = spans.find((s) => s.name === 'handler PartnerOrderService.getProduct');
    assert.ok(handler, names.join(', '));
    const queries = spans.filter((s) => s.name.startsWith('db '));
    assert.ok(queries.length > 0, 'database queries are traced');
    for (const span of spans.filter((s) => s !== request))
      assert.ok(descendsFrom(span, request, spans), `${span.name} is inside the request span`);
    assert.ok(
      queries.some(
        (q) => descendsFrom(q, handler, spans) && String(q.attributes['db.query.text']).includes('products'),
      ),
      'the product query ran inside the handler span',
    );
    // The credential lookup runs inside the WS-Security interceptor's span.
    const security = spans.find((s) => s.name === 'interceptor ws-security handleRequest') as ReadableSpan;
    assert.ok(queries.some((q) => descendsFrom(q, security, spans)));

    const accessLine = running.lines.find((line) => line.message === 'soap request' || line.operation === 'GetProduct');
    assert.ok(accessLine, JSON.stringify(running.lines.slice(0, 3)));
    assert.equal(accessLine.trace_id, TRACE_ID, 'log lines carry the trace id');
  });

  it('starts a trace when none comes in; a generic fault quotes the trace id as its reference', async () => {
    const exporter = new InMemorySpanExporter();
    running = await start({ tracing: { enabled: true } }, exporter);
    // A failure the domain does not know: the engine answers a generic Receiver fault with a reference.
    const catalog = running.app.stores.catalog as unknown as Record<string, unknown>;
    for (const method of ['getProduct', 'getProducts']) {
      if (typeof catalog[method] === 'function') catalog[method] = () => Promise.reject(new Error('disk on fire'));
    }
    const response = await post(running.url);
    const body = await response.text();
    assert.equal(response.status, 500, body);
    const request = exporter.getFinishedSpans().find((s) => s.name === 'POST /soap/v1/orders') as ReadableSpan;
    const traceId = request.spanContext().traceId;
    assert.equal(parentOf(request), undefined, 'a new trace');
    assert.match(body, new RegExp(`Internal error; reference ${traceId}`));
    assert.doesNotMatch(body, /disk on fire/);
    const errorLines = running.lines.filter((line) => line.level === 'error');
    assert.ok(
      errorLines.length > 0 && errorLines.every((line) => line.trace_id === traceId),
      JSON.stringify(errorLines),
    );
  });

  it('is off by default: no spans, no trace ids in the log, a traceparent is ignored', async () => {
    running = await start({});
    assert.equal(running.app.config.tracing.enabled, false);
    assert.equal(running.app.ops.tracing.enabled, false);
    const response = await post(running.url, { traceparent: `00-${TRACE_ID}-${PARENT_SPAN_ID}-01` });
    assert.equal(response.status, 200);
    assert.notEqual(response.headers.get('x-request-id'), TRACE_ID);
    assert.ok(running.lines.length > 0 && running.lines.every((line) => line.trace_id === undefined));
  });

  it('exports over OTLP/HTTP when tracing.otlpEndpoint is set', async () => {
    const received: { path: string; type: string; body: Buffer }[] = [];
    const collector = http.createServer((req, res) => {
      const chunks: Buffer[] = [];
      req.on('data', (chunk: Buffer) => chunks.push(chunk));
      req.on('end', () => {
        received.push({ path: req.url ?? '', type: req.headers['content-type'] ?? '', body: Buffer.concat(chunks) });
        res.writeHead(200, { 'Content-Type': 'application/json' }).end('{}');
      });
    });
    await new Promise<void>((resolve) => collector.listen(0, '127.0.0.1', resolve));
    try {
      const endpoint = `http://127.0.0.1:${(collector.address() as AddressInfo).port}/v1/traces`;
      running = await start({ tracing: { enabled: true, otlpEndpoint: endpoint } });
      assert.equal((await post(running.url, { traceparent: `00-${TRACE_ID}-${PARENT_SPAN_ID}-01` })).status, 200);
      await running.close(); // flushes the batch
      running = undefined;
      assert.ok(received.length > 0, 'the collector received spans');
      assert.equal(received[0].path, '/v1/traces');
      const payload = received.map((r) => r.body.toString('latin1')).join('');
      const traceBytes = Buffer.from(TRACE_ID, 'hex').toString('latin1');
      assert.ok(
        payload.includes(TRACE_ID) || payload.includes(traceBytes),
        `the trace id is in the export (${received[0].type})`,
      );
    } finally {
      await new Promise((resolve) => collector.close(resolve));
    }
  });
});

import assert from 'node:assert/strict';
import type { AddressInfo } from 'node:net';
import express from 'express';
import knexFactory from 'knex';
import { SoapFault } from '../../src/soap';
import { createMetrics, metricsHandler, metricsInterceptor } from '../../src/ops/metrics';
import { makeExchange, partner } from './exchange';

const WSSE = 'http://docs.oasis-open.org/wss/2004/01/oasis-200401-wss-wssecurity-secext-1.0.xsd';

describe('ops/metrics', () => {
  it('counts requests, latency, faults and WS-Security failures from exchanges', async () => {
    const metrics = createMetrics({ collectDefaultMetrics: false });
    const interceptor = metricsInterceptor(metrics, { service: 'v1' });

    const ok = makeExchange({ operation: 'GetOrder', principal: partner('p1') });
    await interceptor.handleRequest?.(ok);
    assert.match(await metrics.render(), /soap_requests_in_flight\{service="v1"\} 1/);
    ok.status = 200;
    interceptor.afterCompletion?.(ok);

    const denied = makeExchange({ operation: 'GetOrder' });
    await interceptor.handleRequest?.(denied);
    denied.fault = new SoapFault({
      code: 'Sender',
      reason: 'bad password',
      subcode: { ns: WSSE, local: 'FailedAuthentication' },
      subcodeIsFaultcode11: true,
    });
    denied.status = 500;
    interceptor.afterCompletion?.(denied);

    // A fault before routing: handleRequest never ran, so in-flight must not go negative.
    const unparsable = makeExchange();
    unparsable.fault = SoapFault.sender('not well-formed');
    unparsable.status = 400;
    interceptor.afterCompletion?.(unparsable);

    const text = await metrics.render();
    assert.match(text, /soap_requests_total\{service="v1",operation="GetOrder",outcome="ok"\} 1/);
    assert.match(text, /soap_requests_total\{service="v1",operation="GetOrder",outcome="fault"\} 1/);
    assert.match(text, /soap_requests_total\{service="v1",operation="unknown",outcome="fault"\} 1/);
    assert.match(text, /soap_request_duration_seconds_count\{service="v1",operation="GetOrder",outcome="ok"\} 1/);
    assert.match(
      text,
      /soap_request_duration_seconds_bucket\{le="\+Inf",service="v1",operation="GetOrder",outcome="ok"\} 1/,
    );
    assert.match(text, /soap_requests_in_flight\{service="v1"\} 0/);
    assert.match(text, /soap_faults_total\{code="Sender",subcode="FailedAuthentication"\} 1/);
    assert.match(text, /soap_faults_total\{code="Sender",subcode=""\} 1/);
    assert.match(text, /wssec_failures_total\{reason="FailedAuthentication"\} 1/);
  });

  it('records rate-limit rejections and cache hits/misses', async () => {
    const metrics = createMetrics({ collectDefaultMetrics: false });
    metrics.recordRateLimitRejection('partner');
    metrics.recordRateLimitRejection('partner');
    metrics.recordCacheLookup('catalog', 'hit');
    metrics.recordCacheLookup('catalog', 'miss');
    metrics.recordCacheLookup('catalog', 'hit');
    const text = await metrics.render();
    assert.match(text, /rate_limit_rejections_total\{limiter="partner"\} 2/);
    assert.match(text, /cache_requests_total\{cache="catalog",result="hit"\} 2/);
    assert.match(text, /cache_requests_total\{cache="catalog",result="miss"\} 1/);
  });

  it('reports knex pool usage on scrape', async () => {
    const knex = knexFactory({
      client: 'better-sqlite3',
      connection: { filename: ':memory:' },
      useNullAsDefault: true,
      pool: { min: 0, max: 2 },
    });
    try {
      const metrics = createMetrics({ collectDefaultMetrics: false });
      metrics.observeDatabasePool(knex);
      await knex.raw('select 1');
      let text = await metrics.render();
      assert.match(text, /db_pool_connections\{pool="default",state="used"\} 0/);
      assert.match(text, /db_pool_connections\{pool="default",state="free"\} 1/);
      await knex.transaction(async (trx) => {
        await trx.raw('select 1');
        text = await metrics.render();
      });
      assert.match(text, /db_pool_connections\{pool="default",state="used"\} 1/);
      assert.match(text, /db_pool_connections\{pool="default",state="pending"\} 0/);
    } finally {
      await knex.destroy();
    }
  });

  it('serves the Prometheus text format over HTTP, with process metrics, on its own registry', async () => {
    const metrics = createMetrics({ collectDefaultMetrics: true });
    const other = createMetrics({ collectDefaultMetrics: true });
    metrics.recordCacheLookup('catalog', 'miss');
    const app = express();
    app.get('/metrics', metricsHandler(metrics));
    const server = app.listen(0, '127.0.0.1');
    await new Promise((resolve) => server.once('listening', resolve));
    try {
      const response = await fetch(`http://127.0.0.1:${(server.address() as AddressInfo).port}/metrics`);
      assert.equal(response.status, 200);
      assert.match(response.headers.get('content-type') ?? '', /^text\/plain; version=0\.0\.4/);
      const text = await response.text();
      assert.match(text, /# TYPE soap_requests_total counter/);
      assert.match(text, /# TYPE soap_request_duration_seconds histogram/);
      assert.match(text, /process_cpu_user_seconds_total/);
      assert.match(text, /nodejs_eventloop_lag_seconds/);
      assert.match(text, /cache_requests_total\{cache="catalog",result="miss"\} 1/);
      assert.doesNotMatch(await other.render(), /cache_requests_total\{/);
    } finally {
      await new Promise((resolve) => server.close(resolve));
    }
  });
});

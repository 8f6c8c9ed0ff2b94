import assert from 'node:assert/strict';
import type { AddressInfo } from 'node:net';
import express from 'express';
import type { VersionPolicy } from '../../src/config';
import { deprecationHeaders, deprecationInterceptor, deprecationMiddleware } from '../../src/ops/deprecation';
import { makeExchange, partner } from './exchange';

const deprecated: VersionPolicy = {
  deprecated: true,
  deprecatedSince: '2026-07-01T00:00:00Z',
  sunset: '2027-06-30',
  link: 'https://partners.example.com/migrate-to-v2',
};

describe('ops/deprecation', () => {
  it('formats Deprecation as @unix-seconds, Sunset as an HTTP-date, and a deprecation Link', () => {
    assert.deepEqual(deprecationHeaders(deprecated), {
      Deprecation: '@1782864000',
      Sunset: 'Wed, 30 Jun 2027 00:00:00 GMT',
      Link: '<https://partners.example.com/migrate-to-v2>; rel="deprecation"; type="text/html"',
    });
    assert.deepEqual(deprecationHeaders({ deprecated: true, deprecatedSince: null, sunset: null, link: null }), {
      Deprecation: 'true',
    });
    assert.equal(deprecationHeaders({ ...deprecated, deprecated: false }), undefined);
  });

  it('the interceptor adds the headers and logs one line per call', () => {
    const logged: Record<string, unknown>[] = [];
    const logger = {
      debug() {},
      info: (_m: string, meta?: Record<string, unknown>) => logged.push(meta ?? {}),
      warn() {},
      error() {},
    };
    const interceptor = deprecationInterceptor({ version: 'v1', policy: deprecated, logger });
    const exchange = makeExchange({ operation: 'GetOrder', principal: partner('p9', 'Globex') });
    interceptor.handleRequest?.(exchange);
    interceptor.afterCompletion?.(exchange);
    assert.equal(exchange.httpHeaders.Deprecation, '@1782864000');
    assert.equal(exchange.httpHeaders.Sunset, 'Wed, 30 Jun 2027 00:00:00 GMT');
    assert.equal(logged.length, 1);
    assert.equal(logged[0].version, 'v1');
    assert.equal(logged[0].partner, 'Globex');
    assert.equal(logged[0].operation, 'GetOrder');
  });

  it('does nothing for a current version', () => {
    const logged: unknown[] = [];
    const logger = { debug() {}, info: () => logged.push(1), warn() {}, error() {} };
    const interceptor = deprecationInterceptor({
      version: 'v2',
      policy: { deprecated: false, deprecatedSince: null, sunset: null, link: null },
      logger,
    });
    const exchange = makeExchange({ operation: 'GetOrder' });
    interceptor.handleRequest?.(exchange);
    interceptor.afterCompletion?.(exchange);
    assert.deepEqual(exchange.httpHeaders, {});
    assert.equal(logged.length, 0);
  });

  it('the middleware sets the headers on every response under the path', async () => {
    const app = express();
    app.use('/v1', deprecationMiddleware({ version: 'v1', policy: deprecated }));
    app.get('/v1', (_req, res) => {
      res.status(500).send('fault');
    });
    app.get('/v2', (_req, res) => {
      res.send('ok');
    });
    const server = app.listen(0, '127.0.0.1');
    await new Promise((resolve) => server.once('listening', resolve));
    try {
      const base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
      const v1 = await fetch(`${base}/v1?wsdl`);
      assert.equal(v1.headers.get('deprecation'), '@1782864000');
      assert.equal(v1.headers.get('sunset'), 'Wed, 30 Jun 2027 00:00:00 GMT');
      const v2 = await fetch(`${base}/v2`);
      assert.equal(v2.headers.get('deprecation'), null);
    } finally {
      await new Promise((resolve) => server.close(resolve));
    }
  });
});

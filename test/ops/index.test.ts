import assert from 'node:assert/strict';
import type { AddressInfo } from 'node:net';
import express from 'express';
import knexFactory from 'knex';
import { createOperations } from '../../src/ops';
import { makeExchange, partner } from './exchange';
import { testConfig } from './test-config';

describe('ops/index createOperations', () => {
  it('assembles everything from config: interceptor order, routes, Redis-backed limits, readiness without Redis, close', async () => {
    const config = testConfig({
      redis: { url: 'redis://127.0.0.1:6379', keyPrefix: `test:${process.pid}:${Date.now()}:` },
      versions: { v1: { deprecated: true, sunset: '2027-06-30' } },
      rateLimits: { partner: { points: 2 } },
    });
    const knex = knexFactory({
      client: 'better-sqlite3',
      connection: { filename: ':memory:' },
      useNullAsDefault: true,
    });
    const ops = createOperations({ config, database: { ping: () => knex.raw('select 1'), knex } });
    const server = (() => {
      const app = express();
      ops.mountRoutes(app);
      return app.listen(0, '127.0.0.1');
    })();
    try {
      const security = { name: 'ws-security' };
      const names = ops.interceptors({ service: 'v1', version: 'v1', security: [security] }).map((i) => i.name);
      assert.deepEqual(names, [
        'metrics',
        'access-log',
        'deprecation',
        'auth-failure-limit',
        'ws-security',
        'rate-limit',
      ]);
      assert.deepEqual(
        ops.interceptors({ service: 'v2', version: 'v2' }).map((i) => i.name),
        ['metrics', 'access-log', 'auth-failure-limit', 'rate-limit'],
      );

      // The limiter counts in Redis because redis.url is set (rateLimits.store "auto").
      const results = [];
      for (let i = 0; i < 3; i++) {
        const exchange = makeExchange({ operation: 'GetOrder', principal: partner('p1') });
        results.push(
          await Promise.resolve(ops.rateLimiter.interceptor.handleRequest?.(exchange)).then(
            () => 'ok',
            () => 'throttled',
          ),
        );
        ops.rateLimiter.interceptor.afterCompletion?.(exchange);
      }
      assert.deepEqual(results, ['ok', 'ok', 'throttled']);
      const keys = await ops.redis?.client.keys(`${config.redis.keyPrefix}rl*`);
      assert.ok(keys !== undefined && keys.length > 0, 'rate-limit counters live in Redis');
      if (keys) await ops.redis?.client.del(...keys);

      if (!server.listening) await new Promise((resolve) => server.once('listening', resolve));
      const base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
      const ready = (await (await fetch(`${base}/readyz`)).json()) as {
        status: string;
        checks: Record<string, { status: string }>;
      };
      assert.equal(ready.status, 'ready');
      // Redis is not a readiness check: its loss degrades the instance, it does not make it unready.
      assert.deepEqual(Object.keys(ready.checks).sort(), ['database']);
      const metrics = await (await fetch(`${base}/metrics`)).text();
      assert.match(metrics, /rate_limit_rejections_total\{limiter="partner"\} 1/);
      assert.match(metrics, /db_pool_connections\{pool="default",state="free"\}/);
    } finally {
      await new Promise((resolve) => server.close(resolve));
      await ops.close();
      await knex.destroy();
    }
    assert.equal(ops.redis?.client.status, 'end');
  });

  it('works without Redis: memory limiter, no redis check', async () => {
    const ops = createOperations({ config: testConfig(), database: { ping: async () => undefined } });
    assert.equal(ops.redis, undefined);
    const report = await ops.health.readiness();
    assert.deepEqual(Object.keys(report.checks), ['database']);
    await ops.close();
  });
});

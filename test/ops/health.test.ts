import assert from 'node:assert/strict';
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import express from 'express';
import knexFactory, { type Knex } from 'knex';
import Redis from 'ioredis';
import { createHealth, type Health, type ReadinessCheck } from '../../src/ops/health';

async function serve(health: Health): Promise<{ server: Server; url: string }> {
  const app = express();
  app.get('/healthz', health.healthz);
  app.get('/readyz', health.readyz);
  const server = app.listen(0, '127.0.0.1');
  await new Promise((resolve) => server.once('listening', resolve));
  return { server, url: `http://127.0.0.1:${(server.address() as AddressInfo).port}` };
}

describe('ops/health', () => {
  let knex: Knex;
  let redis: Redis;
  let server: Server | undefined;
  before(() => {
    knex = knexFactory({ client: 'better-sqlite3', connection: { filename: ':memory:' }, useNullAsDefault: true });
    redis = new Redis('redis://127.0.0.1:6379');
  });
  afterEach(async () => {
    if (server) await new Promise((resolve) => server?.close(resolve));
    server = undefined;
  });
  after(async () => {
    await knex.destroy();
    await redis.quit();
  });

  it('/readyz stays 200 while degraded (status "degraded" with the reason) and is 503 only when a check fails', async () => {
    let redisDown: string | undefined = 'no answer from redis within 50 ms';
    let databaseUp = true;
    const health = createHealth({
      checks: { database: () => (databaseUp ? Promise.resolve() : Promise.reject(new Error('connection refused'))) },
      degradations: { redis: () => redisDown },
    });
    const s = await serve(health);
    server = s.server;
    const read = async () => {
      const response = await fetch(`${s.url}/readyz`);
      return {
        status: response.status,
        body: (await response.json()) as { status: string; degraded?: Record<string, string> },
      };
    };
    assert.deepEqual(await read().then((r) => [r.status, r.body.status, r.body.degraded]), [
      200,
      'degraded',
      { redis: 'no answer from redis within 50 ms' },
    ]);
    redisDown = undefined;
    assert.deepEqual(await read().then((r) => [r.status, r.body.status, r.body.degraded]), [200, 'ready', undefined]);
    databaseUp = false;
    redisDown = 'connection closed';
    assert.deepEqual(await read().then((r) => [r.status, r.body.status]), [503, 'not-ready']);
  });

  it('/healthz answers 200 {status:"ok"} even when dependencies are down', async () => {
    const health = createHealth({ checks: { database: () => Promise.reject(new Error('down')) } });
    const s = await serve(health);
    server = s.server;
    const response = await fetch(`${s.url}/healthz`);
    assert.equal(response.status, 200);
    assert.deepEqual(await response.json(), { status: 'ok' });
  });

  it('/readyz is 200 when the database and Redis answer, listing each check', async () => {
    const health = createHealth({ checks: { database: () => knex.raw('select 1'), redis: () => redis.ping() } });
    const s = await serve(health);
    server = s.server;
    const response = await fetch(`${s.url}/readyz`);
    assert.equal(response.status, 200);
    const body = (await response.json()) as { status: string; checks: Record<string, { status: string }> };
    assert.equal(body.status, 'ready');
    assert.equal(body.checks.database.status, 'ok');
    assert.equal(body.checks.redis.status, 'ok');
    assert.equal(response.headers.get('cache-control'), 'no-store');
  });

  it('/readyz is 503 when a check fails or hangs past its timeout', async () => {
    const hang: ReadinessCheck = () => new Promise(() => undefined);
    const unreachable = new Redis('redis://127.0.0.1:1', {
      lazyConnect: true,
      maxRetriesPerRequest: 0,
      retryStrategy: () => null,
      enableOfflineQueue: false,
    });
    unreachable.on('error', () => undefined);
    const health = createHealth({ checks: { database: hang, redis: () => unreachable.ping() }, timeoutMs: 100 });
    const s = await serve(health);
    server = s.server;
    const started = Date.now();
    const response = await fetch(`${s.url}/readyz`);
    assert.ok(Date.now() - started < 2000, 'checks are bounded by their timeout');
    assert.equal(response.status, 503);
    const body = (await response.json()) as {
      status: string;
      checks: Record<string, { status: string; error?: string }>;
    };
    assert.equal(body.status, 'not-ready');
    assert.equal(body.checks.database.status, 'fail');
    assert.match(body.checks.database.error ?? '', /no answer within 100 ms/);
    assert.equal(body.checks.redis.status, 'fail');
    unreachable.disconnect();
  });

  it('/readyz is 503 "draining" once draining starts, while /healthz stays 200', async () => {
    const health = createHealth({ checks: { database: () => knex.raw('select 1') } });
    const s = await serve(health);
    server = s.server;
    assert.equal((await fetch(`${s.url}/readyz`)).status, 200);
    health.startDraining();
    const response = await fetch(`${s.url}/readyz`);
    assert.equal(response.status, 503);
    assert.equal(((await response.json()) as { status: string }).status, 'draining');
    assert.equal((await fetch(`${s.url}/healthz`)).status, 200);
  });
});

// The Redis circuit and the per-concern fallbacks against a redis-server this suite starts itself on a free
// port (never the shared 6379), stalled with SIGSTOP and killed with SIGKILL: commands give up after the
// command timeout, the circuit opens after the threshold (or at once when the connection drops), stops
// calling Redis, probes in the background and closes again once Redis answers; each transition is logged
// once. The replay cache's "refuse" policy answers 503 + Retry-After with a Server fault, never a 500.
import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import type Redis from 'ioredis';
import { RateLimiterRes } from 'rate-limiter-flexible';
import type { AppConfig } from '../../src/config';
import {
  closeRedisClient,
  createRedisCircuit,
  createRedisClient,
  RedisTimeout,
  RedisUnavailable,
  type RedisCircuit,
} from '../../src/ops/redis';
import { sharedReplayCache } from '../../src/ops/replay-cache';
import { sharedLimiter } from '../../src/ops/shared-limiter';
import { SoapFault, type EngineLogger } from '../../src/soap';
import { soap11Digest, getProduct, faultcode11 } from '../ops-e2e/support/soap';
import { startTestApp, type TestApp } from '../support/app-server';
import { redisServerAvailable, startOwnRedis, type OwnRedis } from '../support/redis';

const COMMAND_TIMEOUT_MS = 50;
const PROBE_INTERVAL_MS = 200;

interface LogEntry {
  level: string;
  message: string;
}

function recordingLogger(entries: LogEntry[]): EngineLogger {
  const at = (level: string) => (message: string) => void entries.push({ level, message });
  return { error: at('error'), warn: at('warn'), info: at('info'), debug: at('debug') } as EngineLogger;
}

async function until(condition: () => boolean, what: string, timeoutMs = 5000): Promise<number> {
  const started = Date.now();
  while (!condition()) {
    if (Date.now() - started > timeoutMs) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
  return Date.now() - started;
}

async function timed<T>(work: () => Promise<T>): Promise<{ ms: number; outcome: T | Error }> {
  const started = process.hrtime.bigint();
  let outcome: T | Error;
  try {
    outcome = await work();
  } catch (error) {
    outcome = error as Error;
  }
  return { ms: Number(process.hrtime.bigint() - started) / 1e6, outcome };
}

describe('ops/redis circuit and fallbacks (own redis-server, stalled and killed)', function () {
  this.timeout(60_000);
  let redis: OwnRedis;
  let client: Redis;
  let circuit: RedisCircuit;
  let log: LogEntry[];

  before(async function () {
    if (!redisServerAvailable()) this.skip();
    redis = await startOwnRedis();
  });
  after(async () => {
    await redis?.stop();
  });
  beforeEach(async function () {
    if (redis === undefined) this.skip();
    log = [];
    client = createRedisClient({ url: redis.url, connectTimeoutMs: 500 }) as Redis;
    if (client.status !== 'ready') await new Promise((resolve) => client.once('ready', resolve));
    circuit = createRedisCircuit(client, {
      commandTimeoutMs: COMMAND_TIMEOUT_MS,
      failureThreshold: 3,
      probeIntervalMs: PROBE_INTERVAL_MS,
      logger: recordingLogger(log),
    });
  });
  afterEach(async () => {
    redis?.resume();
    circuit?.dispose();
    if (client !== undefined) await closeRedisClient(client, 200);
  });

  const transitions = () => log.filter((e) => e.message.startsWith('redis ')).map((e) => e.message.split(':')[0]);

  it('stalled (SIGSTOP): each command gives up after the timeout, the circuit opens after 3 failures, then nothing waits; SIGCONT closes it', async () => {
    redis.stall();
    const failures = [];
    for (let i = 0; i < 3; i++) failures.push(await timed(() => circuit.call((c) => c.get('k'))));
    for (const { ms, outcome } of failures) {
      assert.ok(outcome instanceof RedisTimeout, String(outcome));
      assert.ok(ms < COMMAND_TIMEOUT_MS + 40, `a command waited ${ms.toFixed(1)} ms`);
    }
    assert.equal(circuit.available, false);
    assert.match(circuit.status().reason ?? '', /no answer from redis within 50 ms/);
    const skipped = await timed(() => circuit.call((c) => c.get('k')));
    assert.ok(skipped.outcome instanceof RedisUnavailable);
    assert.ok(skipped.ms < 5, `an open circuit answered in ${skipped.ms.toFixed(2)} ms`);

    // Probes keep failing while stalled; still one transition logged.
    await new Promise((resolve) => setTimeout(resolve, PROBE_INTERVAL_MS * 3));
    assert.deepEqual(transitions(), ['redis unavailable']);

    redis.resume();
    const recoveredMs = await until(() => circuit.available, 'the circuit to close');
    assert.ok(recoveredMs <= PROBE_INTERVAL_MS + 200, `closed ${recoveredMs} ms after SIGCONT`);
    assert.equal(await client.set('k', 'v'), 'OK');
    assert.deepEqual(transitions(), ['redis unavailable', 'redis available again']);
  });

  it('killed (SIGKILL): the dropped connection opens the circuit at once; a restarted server closes it', async () => {
    await redis.kill();
    await until(() => !circuit.available, 'the circuit to open on the dropped connection', 2000);
    const skipped = await timed(() => circuit.call((c) => c.get('k')));
    assert.ok(skipped.outcome instanceof RedisUnavailable);
    await new Promise((resolve) => setTimeout(resolve, 1000));
    assert.deepEqual(transitions(), ['redis unavailable'], 'reconnect attempts are not logged one by one');

    await redis.restart();
    const recoveredMs = await until(() => circuit.available, 'the circuit to close after the restart');
    // The reconnect back-off is capped at 1 s, the probe runs every PROBE_INTERVAL_MS.
    assert.ok(recoveredMs <= 1000 + PROBE_INTERVAL_MS + 300, `closed ${recoveredMs} ms after the restart`);
    assert.deepEqual(transitions(), ['redis unavailable', 'redis available again']);
  });

  it('a reply that arrived while this process was busy is not a timeout (event-loop lag is not an outage)', async () => {
    for (let i = 0; i < 5; i++) {
      const answer = circuit.call((c) => c.ping());
      const until = Date.now() + COMMAND_TIMEOUT_MS * 2;
      while (Date.now() < until) {
        // a synchronous task hogging the event loop past the timeout while Redis answers
      }
      assert.equal(await answer, 'PONG');
    }
    assert.equal(circuit.available, true);
  });

  it('an error reply is an answer, not an outage: it never opens the circuit', async () => {
    await client.set('a-string', 'x');
    for (let i = 0; i < 5; i++)
      await assert.rejects(
        circuit.call((c) => c.lpush('a-string', 'y')),
        /WRONGTYPE/,
      );
    assert.equal(circuit.available, true);
  });

  it('rate windows are counted in Redis, and per instance while it is stalled', async () => {
    const keyPrefix = `test:shared:${randomUUID()}`;
    let fallbacks = 0;
    const limiter = sharedLimiter({ points: 3, duration: 60, keyPrefix }, circuit, () => fallbacks++);
    await limiter.consume('p');
    assert.equal(await client.exists(`${keyPrefix}:p`), 1);
    redis.stall();
    const outcomes: string[] = [];
    for (let i = 0; i < 6; i++)
      outcomes.push(
        await limiter.consume('p').then(
          () => 'ok',
          (r: unknown) => (r instanceof RateLimiterRes ? 'limited' : String(r)),
        ),
      );
    // The memory fallback starts its own window: 3 allowed, then limited.
    assert.deepEqual(outcomes, ['ok', 'ok', 'ok', 'limited', 'limited', 'limited']);
    assert.equal(fallbacks, 6);
  });

  it("replay cache 'per-instance': a replay to the same instance is still refused while Redis is stalled", async () => {
    const cache = sharedReplayCache({
      circuit,
      prefix: `test:replay:${randomUUID()}:`,
      maxEntries: 1000,
      whenUnavailable: 'per-instance',
    });
    assert.equal(await cache.remember('before', 60_000), true);
    assert.equal(await cache.remember('before', 60_000), false, 'Redis caught the replay');
    redis.stall();
    assert.equal(await cache.remember('during', 60_000), true);
    assert.equal(await cache.remember('during', 60_000), false, 'memory caught the replay');
  });

  it("replay cache 'refuse': a 503 + Retry-After Receiver fault while Redis is unavailable, not an error", async () => {
    const cache = sharedReplayCache({
      circuit,
      prefix: `test:replay:${randomUUID()}:`,
      maxEntries: 1000,
      whenUnavailable: 'refuse',
    });
    redis.stall();
    const refused = await timed(() => cache.remember('n', 60_000));
    assert.ok(refused.outcome instanceof SoapFault, String(refused.outcome));
    assert.equal(refused.outcome.code, 'Receiver');
    assert.equal(refused.outcome.httpStatus, 503);
    assert.equal(refused.outcome.httpHeaders?.['Retry-After'], '5');
    assert.ok(refused.ms < COMMAND_TIMEOUT_MS + 40);
  });
});

describe('ops/redis: the service over HTTP with its Redis gone (own redis-server)', function () {
  this.timeout(60_000);
  let redis: OwnRedis | undefined;
  let app: TestApp | undefined;

  before(async function () {
    if (!redisServerAvailable()) this.skip();
    redis = await startOwnRedis();
  });
  after(async () => {
    await app?.close();
    await redis?.stop();
  });

  it("PasswordDigest with replayCache.whenRedisUnavailable 'refuse': 503 + Retry-After soap:Server fault; /readyz 200 degraded; recovers", async () => {
    const own = redis as OwnRedis;
    app = await startTestApp({
      config: {
        redis: { url: own.url, keyPrefix: `test-${randomUUID()}:`, circuit: { probeIntervalMs: PROBE_INTERVAL_MS } },
        security: { replayCache: { store: 'redis', whenRedisUnavailable: 'refuse' } },
      },
    });
    const config: AppConfig = app.config;
    assert.equal(config.redis.commandTimeoutMs, COMMAND_TIMEOUT_MS);
    const digestRequest = () =>
      fetch(app!.ordersUrl, {
        method: 'POST',
        headers: { 'Content-Type': 'text/xml; charset=utf-8', SOAPAction: '"urn:partner-orders:v1/GetProduct"' },
        body: soap11Digest(getProduct('FAS-SCR-4X40'), app!.demo),
      }).then(async (r) => ({ status: r.status, headers: r.headers, body: await r.text() }));

    assert.equal((await digestRequest()).status, 200);
    await own.kill();
    const refused = await digestRequest();
    assert.equal(refused.status, 503, refused.body);
    assert.equal(refused.headers.get('retry-after'), '5');
    assert.equal(faultcode11(refused.body), 'soap:Server');
    assert.match(refused.body, /Service temporarily unavailable/);

    const ready = await fetch(`${app.baseUrl}/readyz`);
    const report = (await ready.json()) as { status: string; degraded?: Record<string, string> };
    assert.equal(ready.status, 200);
    assert.equal(report.status, 'degraded');
    assert.ok(report.degraded?.redis, JSON.stringify(report));
    const metrics = await (await fetch(`${app.baseUrl}/metrics`)).text();
    assert.match(metrics, /^degraded\{dependency="redis"\} 1$/m);
    assert.match(metrics, /^redis_fallbacks_total\{concern="replay-cache"\} [1-9]/m);

    await own.restart();
    const started = Date.now();
    let answer = await digestRequest();
    while (answer.status !== 200 && Date.now() - started < 5000) {
      await new Promise((resolve) => setTimeout(resolve, 50));
      answer = await digestRequest();
    }
    assert.equal(answer.status, 200, answer.body);
    const after = (await (await fetch(`${app.baseUrl}/readyz`)).json()) as { status: string };
    assert.equal(after.status, 'ready');
    assert.match(await (await fetch(`${app.baseUrl}/metrics`)).text(), /^degraded\{dependency="redis"\} 0$/m);
  });
});

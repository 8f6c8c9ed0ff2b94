import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import Redis from 'ioredis';
import { SoapFault, type SoapInterceptor } from '../../src/soap';
import {
  CONCURRENCY_LIMIT_EXCEEDED,
  REQUEST_RATE_EXCEEDED,
  createRateLimiter,
  type Throttle,
} from '../../src/ops/rate-limit';
import { makeExchange, partner } from './exchange';
import { circuitOf } from '../support/redis';

const limits = {
  partner: { points: 10, durationSeconds: 60, maxInFlight: 3 },
  operation: { points: 1000, durationSeconds: 60 },
  operations: {},
  unauthenticated: { points: 4, durationSeconds: 60, maxInFlight: 2 },
};

/** Runs one exchange through handleRequest and afterCompletion, as the engine would; returns the fault if any. */
async function call(
  interceptor: SoapInterceptor,
  spec: Parameters<typeof makeExchange>[0],
): Promise<{ fault?: SoapFault; headers: Record<string, string> }> {
  const exchange = makeExchange(spec);
  try {
    await interceptor.handleRequest?.(exchange);
    exchange.status = 200;
    return { headers: exchange.httpHeaders };
  } catch (error) {
    assert.ok(error instanceof SoapFault, String(error));
    exchange.fault = error;
    exchange.status = error.httpStatus;
    return { fault: error, headers: exchange.httpHeaders };
  } finally {
    interceptor.afterCompletion?.(exchange);
  }
}

function assertThrottled(fault: SoapFault | undefined, subcode = REQUEST_RATE_EXCEEDED): void {
  assert.ok(fault, 'expected a throttling fault');
  assert.equal(fault.code, 'Sender');
  assert.deepEqual(fault.subcode, subcode);
  assert.equal(fault.httpStatus, 429);
  const retryAfter = Number(fault.httpHeaders?.['Retry-After']);
  assert.ok(
    Number.isInteger(retryAfter) && retryAfter >= 1 && retryAfter <= 60,
    `Retry-After ${fault.httpHeaders?.['Retry-After']}`,
  );
}

describe('ops/rate-limit', () => {
  it('N+5 requests from one partner: exactly 5 throttled faults with 429 and Retry-After', async () => {
    const rejected: Throttle[] = [];
    const { interceptor } = createRateLimiter({
      limits,
      keyPrefix: `t-${randomUUID()}`,
      onReject: (t) => rejected.push(t),
    });
    const outcomes = [];
    for (let i = 0; i < limits.partner.points + 5; i++)
      outcomes.push(await call(interceptor, { operation: 'GetOrder', principal: partner('p1') }));
    const faults = outcomes.filter((o) => o.fault !== undefined);
    assert.equal(faults.length, 5);
    assert.ok(
      outcomes.slice(0, limits.partner.points).every((o) => o.fault === undefined),
      'the first N pass',
    );
    for (const { fault, headers } of faults) {
      assertThrottled(fault);
      assert.equal(headers['Retry-After'], fault?.httpHeaders?.['Retry-After']);
      assert.match(fault?.reason ?? '', /Partner p1/);
    }
    assert.deepEqual(rejected, ['partner', 'partner', 'partner', 'partner', 'partner']);
    // Another partner has its own budget.
    assert.equal((await call(interceptor, { operation: 'GetOrder', principal: partner('p2') })).fault, undefined);
  });

  it('limits each operation separately, with per-operation defaults', async () => {
    const { interceptor } = createRateLimiter({
      limits: {
        ...limits,
        operation: { points: 3, durationSeconds: 60 },
        operations: { SubmitOrder: { points: 1, durationSeconds: 60 } },
      },
      keyPrefix: `t-${randomUUID()}`,
    });
    const p = partner('p1');
    assert.equal((await call(interceptor, { operation: 'SubmitOrder', principal: p })).fault, undefined);
    const second = await call(interceptor, { operation: 'SubmitOrder', principal: p });
    assertThrottled(second.fault);
    assert.match(second.fault?.reason ?? '', /operation SubmitOrder/);
    for (let i = 0; i < 3; i++)
      assert.equal((await call(interceptor, { operation: 'GetOrder', principal: p })).fault, undefined);
    assertThrottled((await call(interceptor, { operation: 'GetOrder', principal: p })).fault);
  });

  it('applies per-partner overrides from the injected lookup, cached briefly', async () => {
    let lookups = 0;
    const { interceptor } = createRateLimiter({
      limits,
      keyPrefix: `t-${randomUUID()}`,
      limitsFor: async (id) => {
        lookups++;
        return id === 'big' ? { partner: { points: 20 } } : null;
      },
    });
    let faults = 0;
    for (let i = 0; i < 25; i++)
      if ((await call(interceptor, { operation: 'GetOrder', principal: partner('big') })).fault) faults++;
    assert.equal(faults, 5);
    assert.equal(lookups, 1);
  });

  it('falls back to defaults when the override lookup fails', async () => {
    const { interceptor } = createRateLimiter({
      limits,
      keyPrefix: `t-${randomUUID()}`,
      limitsFor: async () => {
        throw new Error('database down');
      },
    });
    let faults = 0;
    for (let i = 0; i < 12; i++)
      if ((await call(interceptor, { operation: 'GetOrder', principal: partner('p') })).fault) faults++;
    assert.equal(faults, 2);
  });

  it('limits requests in flight per partner and releases slots on completion', async () => {
    const rejected: Throttle[] = [];
    const limiter = createRateLimiter({ limits, keyPrefix: `t-${randomUUID()}`, onReject: (t) => rejected.push(t) });
    const open = [];
    for (let i = 0; i < 3; i++) {
      const exchange = makeExchange({ operation: 'GetOrder', principal: partner('p1') });
      await limiter.interceptor.handleRequest?.(exchange);
      open.push(exchange);
    }
    assert.equal(limiter.inFlight('p1'), 3);
    const blocked = await call(limiter.interceptor, { operation: 'GetOrder', principal: partner('p1') });
    assertThrottled(blocked.fault, CONCURRENCY_LIMIT_EXCEEDED);
    assert.equal(blocked.fault?.httpHeaders?.['Retry-After'], '1');
    assert.equal(limiter.inFlight('p1'), 3, 'a refused request holds no slot');
    open[0].status = 200;
    limiter.interceptor.afterCompletion?.(open[0]);
    assert.equal(limiter.inFlight('p1'), 2);
    assert.equal(
      (await call(limiter.interceptor, { operation: 'GetOrder', principal: partner('p1') })).fault,
      undefined,
    );
    for (const exchange of open.slice(1)) limiter.interceptor.afterCompletion?.(exchange);
    assert.equal(limiter.inFlight('p1'), 0);
    assert.deepEqual(rejected, ['partner-in-flight']);
  });

  it('limits unauthenticated traffic per remote address', async () => {
    const { interceptor } = createRateLimiter({ limits, keyPrefix: `t-${randomUUID()}` });
    const results = [];
    for (let i = 0; i < 6; i++)
      results.push(await call(interceptor, { operation: 'GetOrder', remoteAddress: '10.1.1.1' }));
    assert.equal(results.filter((r) => r.fault).length, 2);
    assert.match(results[5].fault?.reason ?? '', /address 10\.1\.1\.1/);
    assert.equal((await call(interceptor, { operation: 'GetOrder', remoteAddress: '10.1.1.2' })).fault, undefined);
  });

  describe('with Redis (127.0.0.1:6379)', () => {
    const clients: Redis[] = [];
    after(async () => {
      await Promise.all(clients.map((c) => c.quit()));
    });

    it('two limiter instances share one limit: N+5 requests across both give exactly 5 throttled faults', async () => {
      const keyPrefix = `test:rl:${randomUUID()}`;
      const a = new Redis('redis://127.0.0.1:6379', { lazyConnect: false });
      const b = new Redis('redis://127.0.0.1:6379', { lazyConnect: false });
      clients.push(a, b);
      const first = createRateLimiter({ limits, redis: circuitOf(a), keyPrefix });
      const second = createRateLimiter({ limits, redis: circuitOf(b), keyPrefix });
      const outcomes = [];
      for (let i = 0; i < limits.partner.points + 5; i++) {
        const instance = i % 2 === 0 ? first : second;
        outcomes.push(await call(instance.interceptor, { operation: 'GetOrder', principal: partner('shared') }));
      }
      const faults = outcomes.filter((o) => o.fault);
      assert.equal(faults.length, 5);
      for (const { fault } of faults) assertThrottled(fault);
      const keys = await a.keys(`${keyPrefix}*`);
      assert.ok(keys.length >= 1, 'the counters live in Redis');
      await a.del(...keys);
    });

    it("inFlight 'redis': the in-flight cap holds across instances and slots are released", async () => {
      const keyPrefix = `test:rl:${randomUUID()}`;
      const a = new Redis('redis://127.0.0.1:6379');
      const b = new Redis('redis://127.0.0.1:6379');
      clients.push(a, b);
      const rejected: Throttle[] = [];
      const first = createRateLimiter({
        limits,
        redis: circuitOf(a),
        keyPrefix,
        inFlight: 'redis',
        onReject: (t) => rejected.push(t),
      });
      const second = createRateLimiter({
        limits,
        redis: circuitOf(b),
        keyPrefix,
        inFlight: 'redis',
        onReject: (t) => rejected.push(t),
      });
      const open = [];
      for (const instance of [first, second, first]) {
        const exchange = makeExchange({ operation: 'GetOrder', principal: partner('wide') });
        await instance.interceptor.handleRequest?.(exchange);
        open.push({ instance, exchange });
      }
      assert.equal(await first.sharedInFlight('wide'), 3);
      assertThrottled(
        (await call(second.interceptor, { operation: 'GetOrder', principal: partner('wide') })).fault,
        CONCURRENCY_LIMIT_EXCEEDED,
      );
      const [done] = open;
      done.instance.interceptor.afterCompletion?.(done.exchange);
      // The release is fire-and-forget; wait until Redis has it.
      for (let i = 0; i < 100 && (await first.sharedInFlight('wide')) !== 2; i++)
        await new Promise((resolve) => setTimeout(resolve, 5));
      assert.equal(
        (await call(second.interceptor, { operation: 'GetOrder', principal: partner('wide') })).fault,
        undefined,
      );
      for (const { instance, exchange } of open.slice(1)) instance.interceptor.afterCompletion?.(exchange);
      for (let i = 0; i < 100 && (await first.sharedInFlight('wide')) !== 0; i++)
        await new Promise((resolve) => setTimeout(resolve, 5));
      assert.equal(await first.sharedInFlight('wide'), 0);
      assert.deepEqual(rejected, ['partner-in-flight']);
      const keys = await a.keys(`${keyPrefix}*`);
      if (keys.length) await a.del(...keys);
    });

    it("inFlight 'redis': slots of an instance that died mid-request free themselves when their lease expires", async () => {
      const keyPrefix = `test:rl:${randomUUID()}`;
      const a = new Redis('redis://127.0.0.1:6379');
      clients.push(a);
      const crashed = createRateLimiter({
        limits,
        redis: circuitOf(a),
        keyPrefix,
        inFlight: 'redis',
        inFlightLeaseMs: 300,
      });
      for (let i = 0; i < limits.partner.maxInFlight; i++) {
        await crashed.interceptor.handleRequest?.(makeExchange({ operation: 'GetOrder', principal: partner('gone') }));
      }
      const survivor = createRateLimiter({
        limits,
        redis: circuitOf(a),
        keyPrefix,
        inFlight: 'redis',
        inFlightLeaseMs: 300,
      });
      assertThrottled(
        (await call(survivor.interceptor, { operation: 'GetOrder', principal: partner('gone') })).fault,
        CONCURRENCY_LIMIT_EXCEEDED,
      );
      await new Promise((resolve) => setTimeout(resolve, 400));
      assert.equal(
        (await call(survivor.interceptor, { operation: 'GetOrder', principal: partner('gone') })).fault,
        undefined,
      );
      const keys = await a.keys(`${keyPrefix}*`);
      if (keys.length) await a.del(...keys);
    });

    it('keeps limiting on this instance when Redis is unreachable', async () => {
      const dead = new Redis('redis://127.0.0.1:1', {
        lazyConnect: true,
        enableOfflineQueue: false,
        maxRetriesPerRequest: 0,
        retryStrategy: () => null,
      });
      dead.on('error', () => undefined);
      const { interceptor } = createRateLimiter({
        limits,
        redis: circuitOf(dead),
        keyPrefix: `test:rl:${randomUUID()}`,
        inFlight: 'redis',
      });
      let faults = 0;
      for (let i = 0; i < limits.partner.points + 3; i++) {
        if ((await call(interceptor, { operation: 'GetOrder', principal: partner('offline') })).fault) faults++;
      }
      assert.equal(faults, 3);
      dead.disconnect();
    });
  });
});

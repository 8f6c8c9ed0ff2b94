import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import Redis from 'ioredis';
import {
  InMemoryReplayCache,
  RedisReplayCache,
  replayKey,
  type ReplayCache,
} from '../../../src/soap/security/replay-cache';

function behavesAsReplayCache(make: () => ReplayCache, advance: (ms: number) => Promise<void>) {
  it('accepts a key once and refuses it again within its lifetime', async () => {
    const cache = make();
    const key = replayKey('nonce', randomUUID());
    assert.equal(await cache.remember(key, 60_000), true);
    assert.equal(await cache.remember(key, 60_000), false);
    assert.equal(await cache.remember(replayKey('nonce', randomUUID()), 60_000), true);
  });

  it('forgets a key after its lifetime', async () => {
    const cache = make();
    const key = replayKey('signed', randomUUID());
    assert.equal(await cache.remember(key, 150), true);
    await advance(300);
    assert.equal(await cache.remember(key, 150), true);
  });

  it('lets exactly one of many concurrent calls with one key through', async () => {
    const cache = make();
    const key = replayKey('nonce', randomUUID());
    const results = await Promise.all(Array.from({ length: 20 }, () => cache.remember(key, 60_000)));
    assert.equal(results.filter(Boolean).length, 1);
  });
}

describe('security: replay cache', () => {
  it('builds unambiguous keys (length-prefixed parts)', () => {
    assert.notEqual(replayKey('signed', 'ab', 'c'), replayKey('signed', 'a', 'bc'));
    assert.equal(replayKey('nonce', Buffer.from('x')), replayKey('nonce', 'x'));
  });

  describe('in memory', () => {
    let now = Date.now();
    behavesAsReplayCache(
      () => new InMemoryReplayCache({ clock: () => now }),
      async (ms) => {
        now += ms;
      },
    );

    it('fails closed when full instead of forgetting live keys', async () => {
      const cache = new InMemoryReplayCache({ maxEntries: 2 });
      assert.equal(await cache.remember('a', 60_000), true);
      assert.equal(await cache.remember('b', 60_000), true);
      assert.equal(await cache.remember('c', 60_000), false);
    });

    it('makes room from expired keys before refusing', async () => {
      let clock = 0;
      const cache = new InMemoryReplayCache({ maxEntries: 2, clock: () => clock });
      assert.equal(await cache.remember('a', 100), true);
      assert.equal(await cache.remember('b', 60_000), true);
      clock = 200;
      assert.equal(await cache.remember('c', 60_000), true);
      assert.equal(await cache.remember('b', 60_000), false);
    });

    it('sweeps expired keys each second, in insertion order while lifetimes are equal, fully once they differ', async () => {
      let clock = 0;
      const cache = new InMemoryReplayCache({ clock: () => clock });
      for (let i = 0; i < 10; i++) {
        clock = i * 100;
        assert.equal(await cache.remember(`k${i}`, 1_000), true);
      }
      clock = 1_450; // k0..k4 expired (at 1,000..1,400), k5..k9 live
      assert.equal(await cache.remember('x', 1_000), true);
      assert.equal(cache.size, 6);
      assert.equal(await cache.remember('k9', 1_000), false, 'a live key is still refused after the sweep');
      assert.equal(await cache.remember('k0', 1_000), true, 'an expired key is accepted again');

      clock = 3_000;
      assert.equal(await cache.remember('long', 60_000), true); // swept: all but 'long' expired
      assert.equal(cache.size, 1);
      assert.equal(await cache.remember('short', 10), true); // lifetimes differ now: insertion order is not expiry order
      clock = 4_100; // 'short' expired behind the live 'long'
      assert.equal(await cache.remember('y', 60_000), true);
      assert.equal(cache.size, 2, 'the expired key behind a live one was swept too');
    });
  });

  describe('Redis (127.0.0.1:6379)', function () {
    let redis: Redis;
    let otherInstance: Redis;
    const prefix = `test:wss:${randomUUID()}:`;

    before(async function () {
      redis = new Redis({ host: '127.0.0.1', port: 6379, lazyConnect: true, maxRetriesPerRequest: 1 });
      otherInstance = new Redis({ host: '127.0.0.1', port: 6379, lazyConnect: true, maxRetriesPerRequest: 1 });
      try {
        await redis.connect();
        await otherInstance.connect();
      } catch {
        this.skip(); // Redis is a local service here and in CI; without it only the in-memory cache is checked.
      }
    });

    after(async () => {
      if (redis?.status === 'ready') {
        const keys = await redis.keys(`${prefix}*`);
        if (keys.length) await redis.del(...keys);
      }
      redis?.disconnect();
      otherInstance?.disconnect();
    });

    behavesAsReplayCache(
      () => new RedisReplayCache(redis, prefix),
      (ms) => new Promise((r) => setTimeout(r, ms)),
    );

    it('catches a replay sent to another instance sharing the Redis', async () => {
      const key = replayKey('signed', randomUUID());
      assert.equal(await new RedisReplayCache(redis, prefix).remember(key, 60_000), true);
      assert.equal(await new RedisReplayCache(otherInstance, prefix).remember(key, 60_000), false);
      assert.ok((await redis.pttl(prefix + key)) > 0, 'the key carries a TTL');
    });
  });
});
